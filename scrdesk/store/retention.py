"""Retention: what is due for a retention review, legal hold, and a subject-access export.

A record is due when its closing date plus the years set for its kind (setting
`retention_years`) has passed. Closing dates: a referral closes at its decision, or when the
last review it led to closes; a review closes at the latest of completion, publication, removal
and its last action's sign-off, once completed and every action is complete; an action at its
sign-off (the sub group's own plan actions, which have no review, too); an attachment with what
it is attached to: a referral's or a review's with the referral or review, a recommendation's
impact evidence with its review and the recommendation's closure by the sub group (not while an
impact record is open), a briefing's with its review, a dissemination's at its feedback, a
meeting's at the meeting, and a terms of reference document when a later version replaces it.
Legal hold (on referrals and reviews) stops the clock for the whole case: a held referral holds
its reviews and the other way round, and a held review holds its actions, recommendations and
their evidence. The reason and date of a hold are kept on the record (`legal_hold_reason`,
`legal_hold_since`).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.timescales import add_months
from scrdesk.domain.values import COMPLETE_ACTION_STATUSES
from scrdesk.store import history
from scrdesk.store.db import Store, StoreError, now_stamp

HOLDABLE_TABLES = ("referrals", "reviews")
CLOSED_REVIEW_STATUSES = frozenset({"completed", "published", "closed"})


@dataclass(frozen=True)
class RetentionItem:
    table: str
    row_id: int
    label: str  # "Referral Ref053"
    closed_on: date
    review_due: date
    years: int
    legal_hold: bool = False
    hold_note: str = ""  # "on legal hold" / "held with Review SCR Child A"


def _day(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _latest(*values) -> date | None:
    days = [d for d in map(_day, values) if d is not None]
    return max(days) if days else None


class _Case:
    """Every closing date and hold in the file, read once (a handful of queries)."""

    def __init__(self, store: Store):
        self.referrals = {r["id"]: r for r in store.rows(
            "SELECT id, ref, decision, decision_date, legal_hold FROM referrals")}
        self.reviews = {r["id"]: r for r in store.rows(
            "SELECT id, title, status, completed_date, published_date, removal_date, legal_hold "
            "FROM reviews")}
        self._reviews_of: dict[int, list[int]] = defaultdict(list)
        self._referrals_of: dict[int, list[int]] = defaultdict(list)
        for link in store.rows("SELECT review_id, referral_id FROM review_referrals ORDER BY id"):
            self._reviews_of[link["referral_id"]].append(link["review_id"])
            self._referrals_of[link["review_id"]].append(link["referral_id"])
        self.actions = {r["id"]: r for r in store.rows(
            "SELECT id, review_id, status, signoff_date, text FROM actions")}
        self._actions_of: dict[int, list[dict]] = defaultdict(list)
        for action in self.actions.values():
            self._actions_of[action["review_id"]].append(action)
        self.briefings = {r["id"]: r["review_id"] for r in store.rows(
            "SELECT id, review_id FROM briefings")}
        self.recommendations = {r["id"]: r["review_id"] for r in store.rows(
            "SELECT id, review_id FROM recommendations")}
        # A recommendation's impact record, where there is one: open until the sub group closes it.
        self.impact_closed = {r["recommendation_id"]: r["closed_date"] for r in store.rows(
            "SELECT recommendation_id, closed_date FROM recommendation_impact")}
        self.tor_superseded = self._superseded(store.rows(
            "SELECT id, approved_date FROM terms_of_reference ORDER BY approved_date, id"))
        self.disseminations = {r["id"]: r for r in store.rows(
            "SELECT id, briefing_id, feedback_received_date, sent_date FROM disseminations")}
        self.meetings = {r["id"]: r["date"] for r in store.rows("SELECT id, date FROM meetings")}
        self.attachments = store.rows(
            "SELECT id, owner_kind, owner_id, file_name, added_at FROM attachments "
            "WHERE owner_kind != 'logo'")
        self.review_closed = {rid: self._review_closed(rid) for rid in self.reviews}
        self.review_held = {rid: self._review_held(rid) for rid in self.reviews}

    @staticmethod
    def _superseded(versions: list[dict]) -> dict[int, str]:
        """{terms of reference id: the date the next version was approved}; the current version
        (the latest) is still in force, so it has none."""
        return {before["id"]: after["approved_date"] for before, after in zip(versions, versions[1:], strict=False)}

    def reviews_of(self, referral_id: int) -> list[int]:
        return self._reviews_of.get(referral_id, [])

    def referrals_of(self, review_id: int) -> list[int]:
        return self._referrals_of.get(review_id, [])

    def _review_closed(self, review_id: int) -> date | None:
        review = self.reviews[review_id]
        if review["status"] not in CLOSED_REVIEW_STATUSES or not review["completed_date"]:
            return None
        actions = self._actions_of.get(review_id, [])
        if any(a["status"] not in COMPLETE_ACTION_STATUSES for a in actions):
            return None
        return _latest(review["completed_date"], review["published_date"], review["removal_date"],
                       *(a["signoff_date"] for a in actions))

    def _review_held(self, review_id: int) -> str:
        if self.reviews[review_id]["legal_hold"]:
            return "on legal hold"
        for referral_id in self.referrals_of(review_id):
            if self.referrals.get(referral_id, {}).get("legal_hold"):
                return f"held with Referral {self.referrals[referral_id]['ref']}"
        return ""

    def referral_closed(self, referral_id: int) -> date | None:
        referral = self.referrals[referral_id]
        if not referral["decision"] or not referral["decision_date"]:
            return None
        reviews = self.reviews_of(referral_id)
        if any(self.review_closed.get(r) is None for r in reviews):
            return None
        return _latest(referral["decision_date"], *(self.review_closed[r] for r in reviews))

    def referral_held(self, referral_id: int) -> str:
        if self.referrals[referral_id]["legal_hold"]:
            return "on legal hold"
        for review_id in self.reviews_of(referral_id):
            if self.reviews[review_id]["legal_hold"]:
                return f"held with Review {self.reviews[review_id]['title']}"
        return ""

    def action_closed(self, action_id: int) -> date | None:
        action = self.actions.get(action_id)
        return _day(action["signoff_date"]) if action else None

    def action_label(self, action_id: int) -> str:
        """'Action “Audit neglect referrals…” (SCR Child A)'."""
        action = self.actions[action_id]
        text = " ".join(str(action["text"] or "").split())
        text = text if len(text) <= 50 else text[:49] + "…"
        review = self.reviews.get(action["review_id"])
        return f"Action “{text}”" + (f" ({review['title']})" if review else "")

    def action_held(self, action_id: int) -> str:
        action = self.actions.get(action_id)
        if not action or not self.review_held.get(action["review_id"]):
            return ""
        return f"held with Review {self.reviews[action['review_id']]['title']}"

    def owner_review(self, kind: str, owner_id: int) -> int | None:
        if kind == "review":
            return owner_id
        if kind == "action":
            return (self.actions.get(owner_id) or {}).get("review_id")
        if kind == "recommendation":
            return self.recommendations.get(owner_id)
        if kind == "briefing":
            return self.briefings.get(owner_id)
        if kind == "dissemination":
            return self.briefings.get((self.disseminations.get(owner_id) or {}).get("briefing_id"))
        return None

    def recommendation_closed(self, recommendation_id: int) -> date | None:
        """Impact evidence is kept while it may still be asked for: until its review closes and,
        where the recommendation has an impact record, until the sub group closes that too."""
        closed = self.review_closed.get(self.recommendations.get(recommendation_id))
        if closed is None:
            return None
        if recommendation_id not in self.impact_closed:
            return closed
        impact_closed = _day(self.impact_closed[recommendation_id])
        return max(closed, impact_closed) if impact_closed else None

    def attachment_closed(self, kind: str, owner_id: int) -> date | None:
        if kind == "action":
            return self.action_closed(owner_id)
        if kind == "review":
            return self.review_closed.get(owner_id)
        if kind == "referral":
            return self.referral_closed(owner_id) if owner_id in self.referrals else None
        if kind == "recommendation":
            return self.recommendation_closed(owner_id)
        if kind == "briefing":
            review = self.briefings.get(owner_id)
            return self.review_closed.get(review) if review else None
        if kind == "dissemination":
            found = self.disseminations.get(owner_id)
            return _latest(found["feedback_received_date"], found["sent_date"]) if found else None
        if kind == "meeting":
            return _day(self.meetings.get(owner_id))
        if kind == "terms_of_reference":
            return _day(self.tor_superseded.get(owner_id))
        return None

    def attachment_held(self, kind: str, owner_id: int) -> str:
        if kind == "referral":
            held = owner_id in self.referrals and self.referral_held(owner_id)
            return f"held with Referral {self.referrals[owner_id]['ref']}" if held else ""
        review = self.owner_review(kind, owner_id)
        return f"held with Review {self.reviews[review]['title']}" if review and self.review_held.get(review) else ""


def _years(store: Store) -> dict[str, int]:
    configured = store.settings().retention_years
    return {kind: int(years) for kind, years in configured.items() if years}


def due_for_retention_review(store: Store, today: date | None = None, *,
                             include_held: bool = False) -> list[RetentionItem]:
    """Records whose closing date plus their kind's retention years has passed, soonest-due
    first. Records on legal hold (directly or through their case) are left out unless
    `include_held`, when they come with `legal_hold` set and a note saying why."""
    today = today or store.settings().today()
    years = _years(store)
    case = _Case(store)
    candidates: list[tuple[str, int, str, date | None, str]] = []
    if "referrals" in years:
        candidates += [("referrals", rid, f"Referral {r['ref']}", case.referral_closed(rid),
                        case.referral_held(rid)) for rid, r in case.referrals.items()]
    if "reviews" in years:
        candidates += [("reviews", rid, f"Review {r['title']}", case.review_closed[rid],
                        case.review_held[rid]) for rid, r in case.reviews.items()]
    if "actions" in years:
        candidates += [("actions", aid, case.action_label(aid), case.action_closed(aid),
                        case.action_held(aid)) for aid in case.actions]
    if "attachments" in years:
        for row in case.attachments:
            kind, owner = row["owner_kind"], row["owner_id"]
            candidates.append(("attachments", row["id"], f"Attachment {row['file_name']}",
                               case.attachment_closed(kind, owner), case.attachment_held(kind, owner)))
    found = []
    for table, row_id, label, closed, held in candidates:
        if closed is None or (held and not include_held):
            continue
        due = add_months(closed, 12 * years[table])
        if due <= today:
            found.append(RetentionItem(table, row_id, label, closed, due, years[table],
                                       bool(held), held))
    found.sort(key=lambda item: (item.review_due, item.table, item.row_id))
    return found


def legal_hold_reason(store: Store, table: str, row_id: int) -> str | None:
    if table not in HOLDABLE_TABLES:
        return None
    return store.scalar(f"SELECT legal_hold_reason FROM {table} WHERE id = ? AND legal_hold = 1", [row_id])


def set_legal_hold(store: Store, table: str, row_id: int, on: bool, reason: str = "") -> None:
    """Put a referral or review on legal hold (a reason is required) or release it; one
    audited transaction records the flag and the reason."""
    if table not in HOLDABLE_TABLES:
        raise StoreError("Legal hold is set on a referral or a review; the rest of the case "
                         "follows it.")
    if store.get(table, row_id) is None:
        raise StoreError(f"There is no {history.TABLE_LABELS[table].lower()} {row_id} to hold.")
    reason = (reason or "").strip()
    if on and not reason:
        raise InvalidValue("Reason for legal hold", reason,
                           "say why the record must be kept (for example the proceedings)")
    with store.transaction():
        store.update(table, row_id, {
            "legal_hold": 1 if on else 0,
            "legal_hold_reason": reason if on else None,
            "legal_hold_since": now_stamp()[:10] if on else None,
        })


# -- subject access -------------------------------------------------------------------------------

_ATTACHMENT_DETAILS = ("id", "owner_kind", "owner_id", "file_name", "mime_type", "size", "sha256",
                       "added_by", "added_at")
_REVIEW_CHILDREN = ("milestones", "recommendations", "actions", "briefings",
                    "parallel_proceedings", "review_delays", "agency_returns", "learning_events")


def _in(store: Store, table: str, column: str, ids: list[int]) -> list[dict]:
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return store.rows(f'SELECT * FROM "{table}" WHERE "{column}" IN ({marks}) ORDER BY id', ids)


def subject_access_data(store: Store, referral_id: int) -> dict:
    """Everything held about one case, with the history of every record in it.

    The referral, its restricted identifiers (revealed: this is the subject's own data), the
    reviews it led to with their milestones, recommendations, actions and updates, briefings
    and sections, proceedings, delays, agency returns and events, the details (not the content)
    of the files attached to the referral and to any of these, the agencies named, and the audit history of all of these, including
    records since deleted. A review linked to other referrals may hold other children's
    information: `shared_reviews` lists them so a person checks before release.
    """
    referral = store.get("referrals", referral_id)
    if referral is None:
        raise StoreError(f"There is no referral {referral_id}.")
    settings = store.settings()
    review_ids = [r["review_id"] for r in store.rows(
        "SELECT review_id FROM review_referrals WHERE referral_id = ? ORDER BY review_id",
        [referral_id])]
    data: dict = {
        "kind": "subject_access",
        "generated_at": now_stamp(),
        "generated_by": store.user,
        "board": settings.board_name,
        # An unstamped referral is read in the board's own framework (a Welsh board's in Welsh terms).
        "default_framework": settings.default_framework,
        "marking": settings.marking_for("subject_access"),
        "contains_restricted_identifiers": True,
        "referral": referral,
        "restricted_identifiers": _in(store, "restricted_identifiers", "referral_id", [referral_id]),
        "reviews": _in(store, "reviews", "id", review_ids),
    }
    for table in _REVIEW_CHILDREN:
        data[table] = _in(store, table, "review_id", review_ids)
    action_ids = [a["id"] for a in data["actions"]]
    briefing_ids = [b["id"] for b in data["briefings"]]
    data["action_updates"] = _in(store, "action_updates", "action_id", action_ids)
    data["briefing_sections"] = _in(store, "briefing_sections", "briefing_id", briefing_ids)
    data["disseminations"] = _in(store, "disseminations", "briefing_id", briefing_ids)
    owners = {"referral": [referral_id], "review": review_ids, "action": action_ids,
              "recommendation": [r["id"] for r in data["recommendations"]], "briefing": briefing_ids,
              "dissemination": [d["id"] for d in data["disseminations"]]}
    data["attachments"] = [
        {key: row[key] for key in _ATTACHMENT_DETAILS}  # never the content
        for kind, ids in owners.items() for row in _in(store, "attachments", "owner_id", ids)
        if row["owner_kind"] == kind]
    agency_ids = {row["agency_id"] for table in ("actions", "agency_returns", "disseminations")
                  for row in data[table] if row.get("agency_id")}
    if referral["referring_agency_id"]:
        agency_ids.add(referral["referring_agency_id"])
    data["agencies"] = {str(a["id"]): a["name"]
                        for a in _in(store, "agencies", "id", sorted(agency_ids))}
    links = _in(store, "review_referrals", "review_id", review_ids)
    data["shared_reviews"] = sorted({link["review_id"] for link in links
                                     if link["referral_id"] != referral_id})
    data["history"] = [_history_json(e) for e in _case_history(store, referral_id, review_ids)]
    return data


def _case_history(store: Store, referral_id: int, review_ids: list[int]) -> list[history.HistoryEntry]:
    ever_reviews = set(review_ids) | _linked_reviews_ever(store, referral_id)
    touched: dict[str, set[int]] = {
        "referrals": {referral_id},
        "restricted_identifiers": history.rows_ever_linked(
            store, "restricted_identifiers", "referral_id", [referral_id]),
        "review_referrals": history.rows_ever_linked(
            store, "review_referrals", "referral_id", [referral_id]),
        "reviews": ever_reviews,
    }
    for table in _REVIEW_CHILDREN:
        touched[table] = history.rows_ever_linked(store, table, "review_id", ever_reviews)
    touched["action_updates"] = history.rows_ever_linked(
        store, "action_updates", "action_id", touched["actions"])
    touched["briefing_sections"] = history.rows_ever_linked(
        store, "briefing_sections", "briefing_id", touched["briefings"])
    touched["disseminations"] = history.rows_ever_linked(
        store, "disseminations", "briefing_id", touched["briefings"])
    touched["attachments"] = {
        int(r["row_id"]) for kind, ids in (("referral", {referral_id}), ("review", ever_reviews),
                                           ("action", touched["actions"]),
                                           ("recommendation", touched["recommendations"]),
                                           ("briefing", touched["briefings"]),
                                           ("dissemination", touched["disseminations"]))
        for r in _attachment_rows_ever(store, kind, ids)}
    entries = [e for table, ids in touched.items()
               for e in history.history_of_rows(store, table, ids, reveal=True)]
    entries.sort(key=lambda e: e.audit_id)
    return entries


def _attachment_rows_ever(store: Store, owner_kind: str, owner_ids: set[int]) -> list[dict]:
    """Attachments ever held by one of the owners. An update's entry holds only what it changed,
    so each attachment's whole story is replayed: any moment it belonged to one of them counts."""
    if not owner_ids:
        return []
    marks = ", ".join("?" for _ in owner_ids)
    candidates = store.rows(
        "SELECT DISTINCT row_id FROM audit_log WHERE tbl = 'attachments' AND "
        f"json_extract(coalesce(new, old), '$.owner_id') IN ({marks})", sorted(owner_ids))
    found = []
    for candidate in candidates:
        if any(state.get("owner_kind") == owner_kind and state.get("owner_id") in owner_ids
               for state in _states_of(store, "attachments", candidate["row_id"])):
            found.append(candidate)
    return found


def _states_of(store: Store, table: str, row_id: int) -> list[dict]:
    """Every state one record has been in, from its audit entries (updates applied in turn)."""
    states, state = [], {}
    for entry in store.rows("SELECT action, old, new FROM audit_log WHERE tbl = ? AND row_id = ? "
                            "ORDER BY id", [table, row_id]):
        if entry["action"] == "insert":
            state = json.loads(entry["new"] or "{}")
        elif entry["action"] == "update":
            state = {**state, **json.loads(entry["new"] or "{}")}
        else:
            state = json.loads(entry["old"] or "{}")
        states.append(state)
    return states


def _linked_reviews_ever(store: Store, referral_id: int) -> set[int]:
    found = set()
    for link in store.rows("SELECT DISTINCT row_id FROM audit_log WHERE tbl = 'review_referrals' AND "
                           "json_extract(coalesce(new, old), '$.referral_id') = ?", [referral_id]):
        for state in _states_of(store, "review_referrals", link["row_id"]):
            if state.get("referral_id") == referral_id and state.get("review_id") is not None:
                found.add(int(state["review_id"]))
    return found


def _history_json(entry: history.HistoryEntry) -> dict:
    return {
        "at": entry.at, "who": entry.who, "action": entry.action, "table": entry.table,
        "row_id": entry.row_id, "record": entry.record,
        "changes": [{"field": f, "old": old, "new": new} for f, old, new in entry.changes],
    }


def suggested_subject_access_name(store: Store, referral_id: int, today: date | None = None) -> str:
    """'subject-access-Ref053-20170630.json': the case reference, never a name."""
    ref = store.scalar("SELECT ref FROM referrals WHERE id = ?", [referral_id]) or f"case{referral_id}"
    safe = "".join(c for c in str(ref) if c.isalnum() or c in "-_") or f"case{referral_id}"
    return f"subject-access-{safe}-{(today or date.today()):%Y%m%d}.json"


def subject_access_json(data: dict) -> bytes:
    """`subject_access_data` as indented UTF-8 JSON."""
    return (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")


def write_subject_access_json(store: Store, referral_id: int, out_path: str | os.PathLike) -> Path:
    """Write `subject_access_data` as indented UTF-8 JSON (via a temporary file, so a failed
    write leaves no half file). The export the user asks for goes through `exports`, which
    checks and records it; this is the plain file, for tests and tools."""
    out_path = Path(out_path)
    partial = out_path.with_name(out_path.name + ".part")
    partial.write_bytes(subject_access_json(subject_access_data(store, referral_id)))
    os.replace(partial, out_path)
    return out_path
