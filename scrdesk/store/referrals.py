"""Referrals: reads and writes of a referral and its restricted identifiers, and the register.

Every write is one transaction and checks the rules in `scrdesk.domain.rules.referrals` first,
refusing with `RuleBroken` in the words the referral dialog shows beside the field. A referral is
stamped with its framework (`framework_to_stamp`) when its decision is first recorded, and keeps it.
Restricted identifiers (names, dates of birth, addresses, case numbers) live in their own table and
never feed a document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scrdesk.domain import values
from scrdesk.domain.profiles import load_profiles
from scrdesk.domain.refs import next_ref
from scrdesk.domain.rules import Problems, RuleBroken
from scrdesk.domain.rules import referrals as rules
from scrdesk.store.db import Store, StoreError

# What a person calls each column, for a refusal raised outside the dialog (import, command line).
LABELS = {
    "ref": "Ref", "pseudonym": "Pseudonym", "source": "Source", "referring_agency_id": "Referring agency",
    "received_date": "Date received", "incident_date": "Incident date", "la_aware_date": "Date LA became aware",
    "sin_submitted_date": "Date notified", "sin_reference": "SIN reference", "summary": "Summary",
    "location": "Location", "gender": "Gender", "harm_category": "Harm category",
    "meeting_date": "Meeting considered", "recommendation": "Sub group recommendation",
    "decision": "Decision", "decision_date": "Decision date", "decision_maker": "Decision maker",
    "rationale": "Rationale", "panel_informed_date": "National panel informed",
    "panel_response_date": "Panel response", "status_note": "Status note", "kind": "Kind",
    "value": "Identifier",
}

# What a referral's register line says about where it has got to.
_STATUS_SQL = """
    CASE
        WHEN rv.status IS NOT NULL THEN rv.status
        WHEN r.decision IS NOT NULL THEN 'decided'
        ELSE 'awaiting_decision'
    END"""

STATUS_LABELS = {
    **values.REVIEW_STATUSES,
    "decided": "Decided",
    "awaiting_decision": "Awaiting decision",
}

_REGISTER_SELECT = f"""
SELECT r.id, r.ref, r.received_date, r.summary, r.location, r.gender, r.age_years, r.age_months,
       r.age_weeks, r.age_various, r.decision, r.decision_date, r.framework, r.pseudonym,
       CASE WHEN r.age_various THEN 100000
            ELSE coalesce(r.age_weeks * 7, coalesce(r.age_years, 0) * 365 + coalesce(r.age_months, 0) * 30)
       END AS age_days,
       {_STATUS_SQL} AS status
FROM referrals r
LEFT JOIN (
    SELECT rr.referral_id, min(v.status) AS status
    FROM review_referrals rr JOIN reviews v ON v.id = rr.review_id GROUP BY rr.referral_id
) rv ON rv.referral_id = r.id
"""

_TEXT_COLUMNS = ("ref", "summary", "location", "pseudonym", "decision", "status")
# The register sorts only by its own columns (the view passes a column key and a direction).
REGISTER_COLUMNS = ("ref", "received_date", "summary", "location", "gender", "age_days", "decision",
                    "decision_date", "status")


# -- reading ---------------------------------------------------------------------------------

def get_referral(store: Store, referral_id: int) -> dict | None:
    return store.get("referrals", referral_id)


def referral_count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM referrals"))


def suggested_ref(store: Store) -> str:
    """The next free ref in the board's style ("Ref053" after "Ref052")."""
    settings = store.settings()
    existing = [row["ref"] for row in store.rows("SELECT ref FROM referrals")]
    return next_ref(existing, settings.ref_prefix, settings.ref_width)


def ref_clash(store: Store, ref: str, referral_id: int | None = None) -> int | None:
    """The id of another referral already holding `ref`, if any."""
    return store.scalar("SELECT id FROM referrals WHERE ref = ? AND id IS NOT ?", [ref, referral_id])


def identifiers(store: Store, referral_id: int) -> list[dict]:
    """`id`, `kind`, `value` of a referral's restricted identifiers, in the order added."""
    return store.rows("SELECT id, kind, value FROM restricted_identifiers WHERE referral_id = ? ORDER BY id",
                      [referral_id])


def linked_review_count(store: Store, referral_id: int) -> int:
    return int(store.scalar("SELECT count(*) FROM review_referrals WHERE referral_id = ?", [referral_id]))


def latest_review_of_type(store: Store, referral_id: int, review_type: str) -> dict | None:
    """`id`, `agreed_date`, `status` of the latest review of `review_type` the referral is linked to."""
    return store.row(
        "SELECT rv.id, rv.agreed_date, rv.status FROM review_referrals rr JOIN reviews rv ON rv.id = rr.review_id "
        "WHERE rr.referral_id = ? AND rv.review_type = ? ORDER BY rv.id DESC LIMIT 1",
        [referral_id, review_type])


def _codes_matching(text: str, lists: list[Mapping[str, str]]) -> list[str]:
    """Codes whose label contains `text`, so "case mapping" finds CASE_MAPPING in SQL."""
    needle = text.casefold()
    return sorted({code for mapping in lists for code, label in mapping.items()
                   if needle in label.casefold()})


def register_rows(store: Store, filter_text: str, order_by: str, offset: int, limit: int) -> list[dict]:
    """One page of the referral register, filtered and sorted in SQL.

    `order_by` is the view's ORDER BY over the register's own column keys (or "" for the newest
    received first).
    """
    sql = f"SELECT * FROM ({_REGISTER_SELECT}) AS reg"
    params: list = []
    text = filter_text.strip()
    if text:
        like = f"%{text}%"
        clauses = [f'"{column}" LIKE ?' for column in _TEXT_COLUMNS]
        params += [like] * len(_TEXT_COLUMNS)
        decision_lists = [p.labels for p in load_profiles().values()]
        for column, lists in (("decision", decision_lists), ("gender", [values.GENDERS]),
                              ("status", [STATUS_LABELS])):
            codes = _codes_matching(text, lists)
            if codes:
                clauses.append(f'"{column}" IN ({", ".join("?" for _ in codes)})')
                params += codes
        sql += " WHERE " + " OR ".join(clauses)
    sql += f" ORDER BY {order_by or 'received_date IS NULL, received_date DESC, ref DESC'}"
    sql += " LIMIT ? OFFSET ?"
    params += [limit, offset]
    return store.rows(sql, params)


# -- checking --------------------------------------------------------------------------------

def _new_problems(found: Problems, before: Problems, changed: Iterable[str]) -> Problems:
    """The problems a write would add: an old file's existing fault in a column this write leaves
    alone does not block an unrelated change (`check` lists it instead)."""
    changed = set(changed)
    return {column: message for column, message in found.items()
            if column in changed or before.get(column) != message}


def _refuse(what: str, found: Problems) -> None:
    if found:
        raise RuleBroken(what, found, LABELS)


def _clash_problem(store: Store, ref: object, referral_id: int | None) -> Problems:
    if ref and ref_clash(store, str(ref), referral_id) is not None:
        return {"ref": f"{ref} is already used by another referral"}
    return {}


def _check_identifiers(new: Iterable[Mapping[str, object]]) -> list[dict]:
    rows = []
    for identifier in new:
        _refuse("The restricted identifier", rules.identifier_problems(identifier))
        rows.append({"kind": identifier["kind"], "value": str(identifier["value"]).strip()})
    return rows


# -- writing ---------------------------------------------------------------------------------

def create_referral(store: Store, referral: Mapping[str, object],
                    new_identifiers: Iterable[Mapping[str, object]] = ()) -> int:
    """Add a referral (and its restricted identifiers) in one transaction; returns its id."""
    record = dict(referral)
    record["framework"] = rules.framework_to_stamp(record, store.settings())
    _refuse("The referral", rules.problems(record, store.settings()))
    rows = _check_identifiers(new_identifiers)
    with store.transaction():
        _refuse("The referral", _clash_problem(store, record.get("ref"), None))
        referral_id = store.insert("referrals", record)
        for row in rows:
            store.insert("restricted_identifiers", {"referral_id": referral_id, **row})
    return referral_id


def update_referral(store: Store, referral_id: int, referral: Mapping[str, object], *,
                    new_identifiers: Iterable[Mapping[str, object]] = (),
                    removed_identifiers: Iterable[int] = ()) -> list[int]:
    """Change a referral's columns, add and remove restricted identifiers, in one transaction.

    Refuses a change that would break a referral rule; the framework stamp is set when a decision is
    first recorded and kept afterwards. Returns the ids of the identifiers added.
    """
    rows = _check_identifiers(new_identifiers)
    settings = store.settings()
    with store.transaction():
        old = get_referral(store, referral_id)
        if old is None:
            raise StoreError("That referral no longer exists (it may have been deleted).")
        changes = {k: v for k, v in referral.items() if k != "id" and old.get(k) != v}
        merged = {**old, **changes}
        stamp = rules.framework_to_stamp(merged, settings)
        if stamp != old.get("framework"):
            changes["framework"] = merged["framework"] = stamp
        _refuse("The referral", _new_problems(rules.problems(merged, settings),
                                              rules.problems(old, settings), changes))
        if "ref" in changes:
            _refuse("The referral", _clash_problem(store, changes["ref"], referral_id))
        if changes:
            store.update("referrals", referral_id, changes)
        for identifier_id in removed_identifiers:
            store.db.execute("DELETE FROM restricted_identifiers WHERE id = ? AND referral_id = ?",
                             [identifier_id, referral_id])
        return [store.insert("restricted_identifiers", {"referral_id": referral_id, **row}) for row in rows]


def delete_referral(store: Store, referral_id: int) -> None:
    """Delete a referral with its restricted identifiers and its links to reviews (the reviews are
    kept), in one transaction. Identifiers and links go by the schema's ON DELETE CASCADE; files
    attached to the referral name their owner by kind and id, so they are deleted here first."""
    with store.transaction() as db:
        db.execute("DELETE FROM attachments WHERE owner_kind = 'referral' AND owner_id = ?", [referral_id])
        store.delete("referrals", referral_id)
