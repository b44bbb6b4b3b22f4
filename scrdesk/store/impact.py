"""From a recommendation to its impact: accepted (fully, partly with reason, not accepted with
reason), the outcome intended, how assurance will be sought (audit, case file review, survey,
practitioner feedback), the assurance evidence (attachments owned by the "recommendation"), an
impact statement, and closure by the sub group on a date — with evidence of impact, or on its
actions alone.

A recommendation counts as closed when the sub group recorded its closure; one never closed in
scrdesk whose actions are all done ("Complete – evidenced" or "Signed off") counts as closed on
its actions alone, on the day its last action was signed off — what offices did before impact was
tracked. Every write is one transaction, checking `scrdesk.domain.rules.learning` first and
refusing with `RuleBroken` in the words the Impact dialog shows beside the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scrdesk.domain import values
from scrdesk.domain.rules import Problems, RuleBroken
from scrdesk.domain.rules import learning as rules
from scrdesk.store.attachments import add_attachment, attachment_count, attachment_rows
from scrdesk.store.db import Store, StoreError

OWNER_KIND = "recommendation"

LABELS = {
    "acceptance": "Accepted", "acceptance_reason": "Reason", "accepted_date": "Accepted on",
    "intended_outcome": "Outcome intended", "assurance_methods": "Assurance sought by",
    "assurance_plan": "Assurance plan", "impact_statement": "Impact statement",
    "closure_basis": "Closed", "closed_date": "Closed on", "closed_by": "Closed by",
}

COLUMNS = tuple(LABELS)

RECOMMENDATION_GONE = "That recommendation is no longer in the data file."

#: Action statuses that close an action for good (the action rules' evidenced statuses).
_CLOSED_ACTIONS = "('complete_evidenced', 'signed_off')"

_REF = ("coalesce((SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r "
        "ON r.id = rr.referral_id WHERE rr.review_id = rv.id), rv.title)")

#: The closure states a recommendation is counted under.
OPEN, WITH_IMPACT, ON_ACTIONS = "open", "closed_with_impact", "closed_on_actions"
STATE_LABELS = {OPEN: "Open", WITH_IMPACT: "Closed with evidence of impact", ON_ACTIONS: "Closed on actions alone"}


def _refuse(what: str, found: Problems) -> None:
    if found:
        raise RuleBroken(what, found, LABELS)


def _clean(record: Mapping[str, object]) -> dict:
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in record.items() if k in COLUMNS}


# -- reading ---------------------------------------------------------------------------------

def get_impact(store: Store, recommendation_id: int) -> dict:
    """The recommendation (`number`, `text`, `review_id`, `ref`) with its impact columns (blank
    when none are recorded), `methods` (a list of codes) and `evidence_files` (a count)."""
    row = store.row(f"SELECT rc.id AS recommendation_id, rc.number, rc.text, rc.review_id, {_REF} AS ref "
                    "FROM recommendations rc JOIN reviews rv ON rv.id = rc.review_id WHERE rc.id = ?",
                    [recommendation_id])
    if row is None:
        raise StoreError(RECOMMENDATION_GONE)
    kept = store.row("SELECT * FROM recommendation_impact WHERE recommendation_id = ?", [recommendation_id]) or {}
    row.update({column: kept.get(column) for column in COLUMNS})
    row["id"] = kept.get("id")
    row["methods"] = rules.split_methods(row["assurance_methods"])
    row["evidence_files"] = attachment_count(store, OWNER_KIND, recommendation_id)
    return row


def evidence_rows(store: Store, recommendation_id: int) -> list[dict]:
    """The assurance evidence files of a recommendation (no content)."""
    return attachment_rows(store, OWNER_KIND, recommendation_id)


def closures(store: Store, review_id: int | None = None) -> dict[int, dict]:
    """`{recommendation_id: {"state", "label", "closed_date", "acceptance"}}` for every
    recommendation (of one review when given), in one query: closed with impact, closed on its
    actions alone (recorded so, or all its actions done), or open."""
    # The actions counted in one pass over the plan (or the review's part of it), not per row.
    where, inner, params = "", "", []
    if review_id is not None:
        where, inner, params = " WHERE rc.review_id = ?", " AND a.review_id = ?", [review_id, review_id]
    rows = store.rows(
        "SELECT rc.id, im.acceptance, im.closure_basis, im.closed_date, ac.actions, ac.done, ac.last_signoff "
        "FROM recommendations rc LEFT JOIN recommendation_impact im ON im.recommendation_id = rc.id "
        "LEFT JOIN (SELECT a.recommendation_id, count(*) AS actions, "
        f"sum(a.status IN {_CLOSED_ACTIONS}) AS done, "
        "max(coalesce(a.signoff_date, substr(a.updated_at, 1, 10))) AS last_signoff FROM actions a "
        f"WHERE a.recommendation_id IS NOT NULL{inner} GROUP BY a.recommendation_id) ac "
        f"ON ac.recommendation_id = rc.id{where}", params)
    found = {}
    for row in rows:
        state, closed = _state(row)
        found[row["id"]] = {"state": state, "label": STATE_LABELS[state], "closed_date": closed,
                            "acceptance": row["acceptance"]}
    return found


def _state(row: Mapping[str, object]) -> tuple[str, str | None]:
    if row["closed_date"]:
        return (WITH_IMPACT if row["closure_basis"] == "impact" else ON_ACTIONS), str(row["closed_date"])
    if row["actions"] and row["actions"] == row["done"]:
        return ON_ACTIONS, str(row["last_signoff"]) if row["last_signoff"] else None
    return OPEN, None


def closure_summary(store: Store, start: str | None = None, end: str | None = None) -> dict[str, int]:
    """`{"closed", "closed_with_impact", "closed_on_actions_only"}`: recommendations closed
    (between `start` and `end`, ISO inclusive, when given), with evidence of impact or on their
    actions alone."""
    with_impact = on_actions = 0
    for closure in closures(store).values():
        closed = closure["closed_date"]
        if closure["state"] == OPEN or (start and (not closed or closed < start)) or (end and (not closed or closed > end)):
            continue
        if closure["state"] == WITH_IMPACT:
            with_impact += 1
        else:
            on_actions += 1
    return {"closed": with_impact + on_actions, "closed_with_impact": with_impact,
            "closed_on_actions_only": on_actions}


def impact_rows(store: Store, start: str | None = None, end: str | None = None) -> list[dict]:
    """Recommendations with anything recorded about their acceptance or impact (closed between
    `start` and `end` when given), by review and number: `ref`, `number`, `text`,
    `acceptance_label`, `acceptance_reason`, `intended_outcome`, `methods_label`,
    `assurance_plan`, `impact_statement`, `closure_label`, `closed_date`, `closed_by`,
    `evidence_files` — for the yearly report and the evidence pack."""
    where, params = "", []
    if start:
        where += " AND im.closed_date >= ?"
        params.append(start)
    if end:
        where += " AND im.closed_date <= ?"
        params.append(end)
    rows = store.rows(
        f"SELECT rc.id AS recommendation_id, {_REF} AS ref, rc.number, rc.text, im.*, "
        f"(SELECT count(*) FROM attachments t WHERE t.owner_kind = '{OWNER_KIND}' AND t.owner_id = rc.id) "
        "AS evidence_files FROM recommendation_impact im JOIN recommendations rc ON rc.id = im.recommendation_id "
        f"JOIN reviews rv ON rv.id = rc.review_id WHERE 1 = 1{where} "
        "ORDER BY ref, CAST(rc.number AS INTEGER), rc.number, rc.id", params)
    for row in rows:
        row["acceptance_label"] = values.label(rules.ACCEPTANCE, row["acceptance"]) if row["acceptance"] else ""
        row["methods_label"] = ", ".join(rules.ASSURANCE_METHODS[c] for c in rules.split_methods(row["assurance_methods"])
                                         if c in rules.ASSURANCE_METHODS)
        row["closure_label"] = (values.label(rules.CLOSURE_BASES, row["closure_basis"])
                                if row["closure_basis"] else "")
    return rows


# -- writing ---------------------------------------------------------------------------------

def impact_problems(impact: Mapping[str, object]) -> Problems:
    """The rules as a save applies them, for the dialog to show as the person types."""
    return rules.impact_problems(_clean(impact))


def save_impact(store: Store, recommendation_id: int, impact: Mapping[str, object],
                files: Iterable[dict] = ()) -> int:
    """Record a recommendation's acceptance, assurance and impact (and add assurance evidence
    files, read by `read_attachment_file`) in one transaction; returns the impact row's id.
    `assurance_methods` may be given as a list of codes."""
    record = dict(impact)
    if not isinstance(record.get("assurance_methods"), (str, type(None))):
        record["assurance_methods"] = rules.join_methods(record["assurance_methods"])  # type: ignore[arg-type]
    record = _clean(record)
    files = list(files)
    with store.transaction():
        if store.get("recommendations", recommendation_id) is None:
            raise StoreError(RECOMMENDATION_GONE)
        existing = store.row("SELECT * FROM recommendation_impact WHERE recommendation_id = ?", [recommendation_id])
        merged = {**{c: (existing or {}).get(c) for c in COLUMNS}, **record}
        _refuse("The recommendation's impact", rules.impact_problems(merged))
        if existing is None:
            impact_id = store.insert("recommendation_impact", {"recommendation_id": recommendation_id, **merged})
        else:
            impact_id = int(existing["id"])
            changed = {k: v for k, v in merged.items() if existing.get(k) != v}
            store.update("recommendation_impact", impact_id, changed)
        for file in files:
            add_attachment(store, OWNER_KIND, recommendation_id, file)
    return impact_id
