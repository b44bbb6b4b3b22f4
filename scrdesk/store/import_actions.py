"""Importing composite-plan actions from a tracker: the columns people keep and how each row
becomes an action (with its latest update).

Each row is held to the action rules (`domain.rules.actions`) the window applies. A row marked
"Complete – evidenced" or "Signed off" with neither an "Evidence" nor a "Completion reason" is
taken in as "Complete – awaiting evidence", with a note naming the row (trackers often mark an
action closed before the evidence is in; the action is not lost, and is not closed unevidenced).
Any other broken rule refuses the row, naming the row and the column. A row closed with evidence
gets a sign-off date: the one given, else the import date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from scrdesk.domain import values
from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.refs import normalise_ref
from scrdesk.domain.rules import Problems, RuleBroken
from scrdesk.domain.rules import actions as rules
from scrdesk.store.actions import LABELS, evidence_counts
from scrdesk.store.db import Store
from scrdesk.store.import_base import (
    Agencies,
    Cached,
    FieldSpec,
    PlannedInsert,
    PlannedUpdate,
    Planner,
    RowErrors,
    as_text,
    date_converter,
    same,
    value_converter,
)
from scrdesk.store.tracker_files import blank

ACTION_FIELDS: dict[str, FieldSpec] = {
    "review": FieldSpec("Review", True, ("Review", "Review ref", "Ref", "Reference", "Case ref",
                                         "SCR", "SCR ref", "Case")),
    "recommendation": FieldSpec("Recommendation no", False, (
        "Recommendation no", "Recommendation number", "Rec no", "Rec number", "Rec",
        "Recommendation ref", "Recommendation")),
    "agency": FieldSpec("Agency", False, ("Agency", "Lead agency", "Responsible agency",
                                          "Agency responsible", "Organisation", "Organization")),
    "lead_officer": FieldSpec("Lead officer", False, (
        "Lead officer", "Lead", "Responsible officer", "Lead person", "Named lead", "Owner",
        "Officer")),
    "text": FieldSpec("Action", True, ("Action", "Actions", "Action text", "SMART action",
                                       "Action required", "Action to be taken",
                                       "Actions to be taken", "Description")),
    "agreed_date": FieldSpec("Date agreed", False, ("Date agreed", "Agreed", "Agreed date",
                                                    "Date action agreed")),
    "target_date": FieldSpec("Target date", False, (
        "Target date", "Target", "Target completion date", "Due date", "Due", "Deadline",
        "Timescale")),
    "revised_target_date": FieldSpec("Revised target", False, (
        "Revised target", "Revised target date", "Revised date", "New target date",
        "Revised timescale", "Revised deadline")),
    "revised_reason": FieldSpec("Reason for revised target", False, (
        "Reason for revised target", "Reason for revision", "Revision reason", "Revised reason",
        "Reason for change")),
    "status": FieldSpec("Status", False, ("Status", "Action status", "Progress status",
                                          "Current status")),
    "signoff_date": FieldSpec("Signed off", False, ("Signed off", "Sign off date",
                                                    "Date signed off", "Sign off")),
    "escalated_date": FieldSpec("Escalated", False, ("Escalated", "Date escalated",
                                                     "Escalation date", "Escalated date")),
    "escalated_to": FieldSpec("Escalated to", False, ("Escalated to",)),
    "evidence_note": FieldSpec("Evidence", False, (
        "Evidence", "Evidence of completion", "Evidence note", "Evidence notes", "Evidence provided",
        "Evidence of impact", "Evidence held")),
    "completion_reason": FieldSpec("Completion reason", False, (
        "Completion reason", "Reason for closure", "Closure reason", "Reason closed", "Reason for closing",
        "Reason closed without evidence", "Closed because")),
    "update_note": FieldSpec("Latest update", False, (
        "Latest update", "Update", "Progress update", "Progress", "Progress to date",
        "Update note", "Comments")),
}

_ACTION_DATES = ("agreed_date", "target_date", "revised_target_date", "signoff_date", "escalated_date")
_ACTION_TEXTS = ("lead_officer", "revised_reason", "escalated_to", "evidence_note", "completion_reason",
                 "update_note")
_RECORD_COLUMNS = (*_ACTION_DATES, "lead_officer", "revised_reason", "escalated_to", "evidence_note",
                   "completion_reason", "status")

#: Rows taken in as awaiting evidence named one by one in the plan's notes, up to this many.
_NAMED_ROWS = 20


class ActionPlanner(Planner):
    kind = "actions"
    fields = ACTION_FIELDS

    def __init__(self, *args):
        super().__init__(*args)
        label = self.labels.get
        self.prefix = self.settings.ref_prefix
        self.width = self.settings.ref_width
        self.reviews_by_ref: dict[str, set[int]] = {}
        for row in self.store.rows("SELECT rr.review_id, r.ref FROM review_referrals rr "
                                   "JOIN referrals r ON r.id = rr.referral_id"):
            self.reviews_by_ref.setdefault(row["ref"], set()).add(row["review_id"])
        self.reviews_by_title = {values.normalise_text(r["title"]): r["id"]
                                 for r in self.store.rows("SELECT id, title FROM reviews")}
        self.review_names = {r["id"]: r["title"] for r in self.store.rows("SELECT id, title FROM reviews")}
        self.recommendations: dict[tuple[int, str], int] = {}
        self.recommendation_numbers: dict[int, list[str]] = {}
        for row in self.store.rows("SELECT id, review_id, number, text FROM recommendations ORDER BY id"):
            if row["number"]:
                self.recommendations.setdefault((row["review_id"], values.normalise_text(row["number"])), row["id"])
                self.recommendation_numbers.setdefault(row["review_id"], []).append(row["number"])
            self.recommendations.setdefault((row["review_id"], values.normalise_text(row["text"])), row["id"])
        self.existing: dict[tuple[int, str], dict] = {}
        for row in self.store.rows("SELECT * FROM actions ORDER BY id"):
            self.existing.setdefault((row["review_id"], values.normalise_text(row["text"])), row)
        self.notes = {(r["action_id"], r["note"]) for r in self.store.rows("SELECT action_id, note FROM action_updates")}
        # Read once, so the rules cost no query per row.
        self.evidence = evidence_counts(self.store)
        self.import_date = self.settings.today().isoformat()
        self.awaiting: list[tuple[int, str]] = []
        self.converters: dict[str, Callable] = {
            "review": Cached(self._review),
            "status": value_converter(values.ACTION_STATUSES, label("status", "")),
            "text": self._text,
            "recommendation": as_text,
        }
        if "agency" in self.labels:
            self.converters["agency"] = Agencies(self.store, self.labels.get).converter("agency")
        for name in _ACTION_DATES:
            self.converters[name] = date_converter(label(name, ""))
        for name in _ACTION_TEXTS:
            self.converters[name] = as_text
        self.seen: dict[tuple[int, str], int] = {}

    def _text(self, cell: object) -> str:
        if blank(cell):
            raise InvalidValue(self.labels["text"], None, "is blank; every row needs the action")
        return as_text(cell)

    def _review(self, cell: object) -> int:
        label = self.labels["review"]
        if blank(cell):
            raise InvalidValue(label, None, "is blank; every action belongs to a review")
        text = as_text(cell)
        try:
            ids = self.reviews_by_ref.get(normalise_ref(text, self.prefix, self.width), set())
        except InvalidValue:
            ids = set()
        if len(ids) > 1:
            raise InvalidValue(label, cell, "belongs to more than one review; use the review's title")
        if ids:
            return next(iter(ids))
        found = self.reviews_by_title.get(values.normalise_text(text))
        if found is None:
            raise InvalidValue(label, cell, "is not a review in this file; give the ref of a "
                               "referral the review is linked to, or the review's title")
        return found

    def _recommendation(self, review_id: int, text: str) -> int:
        found = self.recommendations.get((review_id, values.normalise_text(text)))
        if found is None:
            numbers = self.recommendation_numbers.get(review_id)
            known = f"its recommendations are {', '.join(numbers)}" if numbers else "it has no recommendations yet"
            raise InvalidValue(self.labels["recommendation"], text,
                               f"is not a recommendation of {self.review_names[review_id]} ({known})")
        return found

    def plan_row(self, number: int, got: dict[str, object]) -> None:
        text = got["text"]
        review_id = got.pop("review")
        key = (review_id, values.normalise_text(text))
        if key in self.seen:
            raise RowErrors([InvalidValue(self.labels["text"], text, "appears twice for the same review "
                                           f"(rows {self.seen[key]} and {number})")])
        self.seen[key] = number
        record = {"review_id": review_id, "text": text}
        if got.get("recommendation"):
            try:
                record["recommendation_id"] = self._recommendation(review_id, got["recommendation"])
            except InvalidValue as error:
                raise RowErrors([error]) from None
        if got.get("agency") is not None:
            record["agency_id"] = got["agency"]
        for name in _RECORD_COLUMNS:
            if got.get(name) is not None:
                record[name] = got[name]
        note = got.get("update_note")
        shown = f"{self.review_names[review_id]}: {text[:60]}"
        existing = self.existing.get(key)
        self._check(number, record, existing)
        if existing is None:
            self.plan.inserts.append(PlannedInsert(number, shown, record, note))
            return
        changes = {k: v for k, v in record.items() if not same(existing.get(k), v)}
        if note is not None and (existing["id"], note) in self.notes:
            note = None
        if changes or note:
            before = {k: existing.get(k) for k in changes}
            self.plan.updates.append(PlannedUpdate(number, shown, existing["id"], changes, before, note))
        else:
            self.plan.unchanged.append(shown)


    def _check(self, number: int, record: dict, existing: Mapping | None) -> None:
        """Hold the row to the action rules as it would be stored, changing `record` where the
        import decides (awaiting evidence; the sign-off date). For an action already held, only
        what the row would break counts (an old fault in a column the row leaves alone is `check`'s)."""
        files = self.evidence.get(existing["id"], 0) if existing else 0
        stored = dict(existing) if existing else {"status": "not_started"}
        merged = {**stored, **record}
        # Only a status the row sets is decided here; a held action keeping its status keeps it.
        setting = "status" in record and (existing is None or not same(existing["status"], record["status"]))
        if setting and rules.completion_problem(merged["status"], files, merged.get("evidence_note"),
                                                merged.get("completion_reason")):
            self.awaiting.append((number, record["status"]))
            record["status"] = merged["status"] = rules.AWAITING_EVIDENCE
        elif setting and merged["status"] in rules.EVIDENCED_STATUSES and not merged.get("signoff_date"):
            record["signoff_date"] = merged["signoff_date"] = self.import_date
        found = rules.problems(merged, evidence_files=files)
        if existing is not None and found:
            before = rules.problems(existing, evidence_files=files)
            changed = {column for column, value in record.items() if not same(existing.get(column), value)}
            found = {column: message for column, message in found.items()
                     if column in changed or before.get(column) != message}
        if found:
            raise RowErrors([InvalidValue(self._label(column), None, message) for column, message in found.items()])

    def _label(self, column: str) -> str:
        """The column as the file heads it, else as the window names it."""
        return self.labels.get(column) or LABELS.get(column, column)

    def run(self, progress) -> None:
        super().run(progress)
        awaiting = rules.AWAITING_EVIDENCE
        shown = values.label(values.ACTION_STATUSES, awaiting)
        for number, status in self.awaiting[:_NAMED_ROWS]:
            self.plan.notes.append(
                f"Row {number}: \u2018{values.label(values.ACTION_STATUSES, status)}\u2019 with no evidence or "
                f"completion reason was imported as {shown}.")
        if len(self.awaiting) > _NAMED_ROWS:
            more = len(self.awaiting) - _NAMED_ROWS
            self.plan.notes.append(f"{more} more row{'s' if more != 1 else ''} closed with no evidence or "
                                   f"completion reason {'were' if more != 1 else 'was'} imported as {shown}.")


def check_before_writing(store: Store, plan) -> None:
    """The action rules on every planned row once more, inside the import's write (the file may
    have changed since the plan was made): raises `RuleBroken` naming the first row that breaks
    one. Two queries in all, whatever the number of rows."""
    evidence = evidence_counts(store)
    ids = [update.row_id for update in plan.updates]
    held = {row["id"]: row for start in range(0, len(ids), 500)
            for row in store.rows(f"SELECT * FROM actions WHERE id IN ({', '.join('?' * len(ids[start:start + 500]))})",
                                  ids[start:start + 500])}
    for insert in plan.inserts:
        _refuse_row(insert.source_row, rules.problems({"status": "not_started", **insert.values}, evidence_files=0))
    for update in plan.updates:
        old = held.get(update.row_id)
        if old is None:
            continue  # gone since the plan: the write itself reports it
        files = evidence.get(update.row_id, 0)
        before = rules.problems(old, evidence_files=files)
        found = rules.problems({**old, **update.changes}, evidence_files=files)
        _refuse_row(update.source_row, {column: message for column, message in found.items()
                                        if column in update.changes or before.get(column) != message})


def _refuse_row(number: int, found: Problems) -> None:
    if found:
        raise RuleBroken(f"Row {number}", found, LABELS)
