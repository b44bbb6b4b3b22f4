"""Importing referrals and composite-plan actions from a tracker kept in Excel (.xlsx) or CSV.

Three steps, so the window can show a preview: `read_table` reads the file as it is,
`plan_import` checks every row against the data file and says what would change, and
`apply_import` writes the plan in one transaction (all or nothing). Nothing here knows about Qt.

Headings are matched loosely (case, spaces, underscores and punctuation ignored) against the
spellings people use in their trackers. A blank cell never clears a value already held: a tracker
that lacks a detail must not wipe it from the record.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from scrdesk.domain import values
from scrdesk.domain.ages import parse_age
from scrdesk.domain.dates import parse_date
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.profiles import decision_code_from_text, load_profiles, profile_in_force
from scrdesk.domain.refs import normalise_ref
from scrdesk.store.db import Store
from scrdesk.store.tracker_files import RawTable, blank, read_table

KINDS = ("referrals", "actions")
Progress = Callable[[int, int], None]
_PROGRESS_EVERY = 500


# -- which column holds what -----------------------------------------------------------------

@dataclass(frozen=True)
class FieldSpec:
    """A target field: its label, whether a file must have it, and the headings that mean it.

    `fallback` headings are taken only when no other field claims them first ("Recommendation"
    is the decision in a tracker without a "Decision" column, and the recommendation otherwise).
    """

    label: str
    required: bool
    spellings: tuple[str, ...]
    fallback: tuple[str, ...] = ()


FIELDS: dict[str, dict[str, FieldSpec]] = {
    "referrals": {
        "ref": FieldSpec("Ref", True, ("Ref", "Reference", "Case ref", "Case reference", "Ref no",
                                       "Ref number", "Referral ref", "Referral reference", "SCR ref")),
        "received_date": FieldSpec("Date received", False, (
            "Date received", "Received", "Received date", "Date of referral", "Referral date",
            "Date referral received", "Referral received")),
        "summary": FieldSpec("Summary", False, ("Summary", "Case summary", "Brief summary",
                                                "Description", "Brief description")),
        "location": FieldSpec("Location", False, ("Location", "Area", "Town", "Locality", "District")),
        "gender": FieldSpec("Gender", False, ("Gender", "Sex", "Subject gender")),
        "age": FieldSpec("Age", False, ("Age", "Age of child", "Child's age", "Subject age")),
        "decision": FieldSpec("Decision", False, (
            "Decision", "Outcome", "Sub group decision", "Decision made", "Type of review",
            "Review type", "Outcome of referral"), fallback=("Recommendation", "Recommendations")),
        "decision_date": FieldSpec("Decision date", False, (
            "Decision date", "Date of decision", "Date decided", "Outcome date")),
        "source": FieldSpec("Source", False, ("Source", "Referral source", "Source of referral",
                                              "Referral type", "Type of referral")),
        "referring_agency": FieldSpec("Referring agency", False, (
            "Referring agency", "Referred by", "Referrer", "Referring organisation", "Agency")),
        "status_note": FieldSpec("Status", False, ("Status", "Current status", "Status note",
                                                   "Status update", "Progress")),
        "meeting_date": FieldSpec("Meeting date", False, (
            "Meeting date", "Date considered", "Considered", "Date of meeting", "Sub group date",
            "Sub group meeting", "Meeting")),
        "incident_date": FieldSpec("Incident date", False, ("Incident date", "Date of incident",
                                                            "Incident")),
        "recommendation": FieldSpec("Recommendation", False, (
            "Recommended", "Recommended outcome", "Recommendation to sub group",
            "Initial recommendation"), fallback=("Recommendation", "Recommendations")),
        "la_aware_date": FieldSpec("Date LA aware", False, (
            "Date LA aware", "LA aware", "LA aware date", "Date LA became aware")),
        "sin_reference": FieldSpec("SIN reference", False, (
            "SIN ref", "SIN reference", "SIN no", "SIN number", "Ofsted ref", "Notification ref")),
        "sin_submitted_date": FieldSpec("SIN submitted", False, (
            "SIN submitted", "SIN submitted date", "Date SIN submitted", "SIN date",
            "Notification date", "Date notified")),
        "harm_category": FieldSpec("Harm category", False, ("Harm category", "Category of harm",
                                                            "Harm", "Category")),
        "decision_maker": FieldSpec("Decision maker", False, ("Decision maker", "Decided by")),
        "rationale": FieldSpec("Rationale", False, ("Rationale", "Rationale for decision",
                                                    "Reasons for decision", "Reason")),
    },
    "actions": {
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
        "update_note": FieldSpec("Latest update", False, (
            "Latest update", "Update", "Progress update", "Progress", "Progress to date",
            "Update note", "Comments")),
    },
}


def normalise_heading(text: object) -> str:
    """`Date_Received`, `date received` and `Date-received:` all become `datereceived`."""
    return "".join(ch for ch in str(text or "").casefold() if ch.isalnum())


def _fields(kind: str) -> dict[str, FieldSpec]:
    try:
        return FIELDS[kind]
    except KeyError:
        raise ScrdeskError(f"Cannot import {kind!r}: choose one of {', '.join(KINDS)}.") from None


def guess_mapping(headings: list[str], kind: str) -> dict[str, int]:
    """field -> column index, from the headings; each column is used for one field at most."""
    specs = _fields(kind)
    columns = [normalise_heading(h) for h in headings]
    mapping: dict[str, int] = {}
    for attribute in ("spellings", "fallback"):
        for name, spec in specs.items():
            if name in mapping:
                continue
            for spelling in getattr(spec, attribute):
                wanted = normalise_heading(spelling)
                found = next((i for i, c in enumerate(columns)
                              if c == wanted and i not in mapping.values()), None)
                if found is not None:
                    mapping[name] = found
                    break
    return mapping


# -- checking every row ----------------------------------------------------------------------

@dataclass
class PlannedInsert:
    source_row: int
    key: str
    values: dict
    update_note: str | None = None


@dataclass
class PlannedUpdate:
    source_row: int
    key: str
    row_id: int
    changes: dict
    before: dict
    update_note: str | None = None


@dataclass
class ImportPlan:
    kind: str
    file_name: str
    mapping: dict[str, int]
    inserts: list[PlannedInsert] = field(default_factory=list)
    updates: list[PlannedUpdate] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[InvalidValue] = field(default_factory=list)
    ignored_headings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        noun = "referral" if self.kind == "referrals" else "action"

        def count(n: int) -> str:
            return f"{n} {noun}{'' if n == 1 else 's'}"

        text = (f"{self.file_name}: {self.rows_read} rows read; {count(len(self.inserts))} to add, "
                f"{count(len(self.updates))} to change, {len(self.unchanged)} unchanged")
        if self.errors:
            text += f"; {len(self.errors)} problem{'' if len(self.errors) == 1 else 's'}"
        return text


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    updated: int


class _Cached:
    """Remembers what each distinct cell value turned into (or the error it gave): a tracker
    repeats the same decisions, agencies and dates thousands of times."""

    def __init__(self, convert: Callable[[object], object]):
        self.convert = convert
        self.seen: dict[object, tuple[object, InvalidValue | None]] = {}

    def __call__(self, cell: object):
        key = (type(cell), cell)
        try:
            found = self.seen[key]
        except KeyError:
            try:
                found = (self.convert(cell), None)
            except InvalidValue as error:
                found = (None, error)
            except TypeError:  # an unhashable cell is never cached, just converted
                return self.convert(cell)
            self.seen[key] = found
        error = found[1]
        if error is not None:
            raise InvalidValue(error.field, error.value, error.message)
        return found[0]


def _as_text(cell: object) -> str | None:
    if blank(cell):
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # Excel gives whole numbers as floats: "1.0" is recommendation 1
    if isinstance(cell, date):
        return cell.isoformat()[:10]
    return str(cell).strip()


def _date_converter(label: str):
    def convert(cell: object) -> str | None:
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            raise InvalidValue(label, cell, "is a number, not a date; use dd/mm/yyyy, e.g. 31/03/2017")
        found = parse_date(cell, label)
        return found.isoformat() if found else None
    return _Cached(convert)


def _value_converter(value_list: Mapping[str, str], label: str):
    return _Cached(lambda cell: None if blank(cell) else values.code_from_text(value_list, _as_text(cell), label))


def _decision_converter(label: str):
    def convert(cell: object) -> str | None:
        if blank(cell):
            return None
        try:
            return decision_code_from_text(_as_text(cell))
        except InvalidValue as error:
            raise InvalidValue(label, cell, error.message) from None
    return _Cached(convert)


def _age_converter(label: str):
    def convert(cell: object) -> dict | None:
        age = parse_age(_as_text(cell) if isinstance(cell, str) else cell, label)
        if age is None:
            return None
        columns = age.to_columns()
        columns["age_various"] = int(bool(columns["age_various"]))
        return columns
    return _Cached(convert)


class _Agencies:
    def __init__(self, store: Store, label_for: Callable[[str], str]):
        self.by_text: dict[str, int] = {}
        self.names: list[str] = []
        for row in store.rows("SELECT id, name, short_name FROM agencies ORDER BY name"):
            self.names.append(row["name"])
            for text in (row["name"], row["short_name"]):
                if text:
                    self.by_text.setdefault(values.normalise_text(text), row["id"])
        self.label_for = label_for

    def converter(self, field_name: str):
        label = self.label_for(field_name)

        def convert(cell: object) -> int | None:
            if blank(cell):
                return None
            found = self.by_text.get(values.normalise_text(_as_text(cell)))
            if found is None:
                known = ", ".join(self.names[:12]) + (", ..." if len(self.names) > 12 else "")
                hint = f" (known: {known})" if self.names else " (there are no agencies yet)"
                raise InvalidValue(label, cell, "is not an agency in this file; add it under "
                                   f"Agencies first, or use its name or short name{hint}")
            return found
        return _Cached(convert)


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % _PROGRESS_EVERY == 0 or done == total):
        progress(done, total)


def _same(old: object, new: object) -> bool:
    if old is None or new is None:
        return old is new
    return str(old) == str(new)


def _mapping_errors(raw: RawTable, kind: str, mapping: dict[str, int]) -> list[InvalidValue]:
    specs = _fields(kind)
    errors = []
    for name, column in mapping.items():
        if name not in specs:
            errors.append(InvalidValue("Column choice", name, f"is not a field of {kind}", row=1))
        elif not 0 <= column < len(raw.headings):
            errors.append(InvalidValue(specs[name].label, column, "points past the last column", row=1))
    headings = ", ".join(h for h in raw.headings if h) or "none"
    for name, spec in specs.items():
        if spec.required and name not in mapping:
            errors.append(InvalidValue(spec.label, None, "no column holds it, and it is needed for "
                                       f"every row (the headings found are: {headings})", row=1))
    return errors


def plan_import(store: Store, kind: str, raw: RawTable, mapping: dict[str, int] | None = None,
                progress: Progress | None = None) -> ImportPlan:
    """Check every row and work out what importing `raw` would add and change; write nothing."""
    mapping = dict(guess_mapping(raw.headings, kind) if mapping is None else mapping)
    plan = ImportPlan(kind, raw.file_name, mapping, notes=list(raw.notes), rows_read=len(raw.rows))
    used = set(mapping.values())
    plan.ignored_headings = [h for i, h in enumerate(raw.headings) if h and i not in used]
    plan.errors = _mapping_errors(raw, kind, mapping)
    if plan.errors:
        return plan
    planner = _ReferralPlanner if kind == "referrals" else _ActionPlanner
    planner(store, raw, mapping, plan).run(progress)
    return plan


class _Planner:
    kind = ""

    def __init__(self, store: Store, raw: RawTable, mapping: dict[str, int], plan: ImportPlan):
        self.store = store
        self.raw = raw
        self.plan = plan
        self.settings = store.settings()
        specs = FIELDS[self.kind]
        # Messages name the column as the person's own spreadsheet heads it.
        self.labels = {name: raw.headings[column] or specs[name].label for name, column in mapping.items()}
        self.columns = list(mapping.items())

    def run(self, progress: Progress | None) -> None:
        steps = [(name, column, self.converters[name]) for name, column in self.columns]
        total = len(self.raw.rows)
        for done, (row, number) in enumerate(zip(self.raw.rows, self.raw.source_rows, strict=True), 1):
            got, errors = {}, []
            width = len(row)
            for name, column, convert in steps:
                try:
                    got[name] = convert(row[column] if column < width else None)
                except InvalidValue as error:
                    errors.append(error)
            try:
                if errors:
                    raise _RowErrors(errors)
                self.plan_row(number, got)
            except _RowErrors as problems:
                self.plan.errors.extend(e.at_row(number) for e in problems.errors)
            _tick(progress, done, total)

    def plan_row(self, number: int, got: dict[str, object]) -> None:
        """Plan one row from its converted cells (every conversion succeeded)."""
        raise NotImplementedError


class _RowErrors(Exception):
    def __init__(self, errors: list[InvalidValue]):
        super().__init__(errors)
        self.errors = errors


_REFERRAL_DATES = ("received_date", "decision_date", "meeting_date", "incident_date",
                   "la_aware_date", "sin_submitted_date")
_REFERRAL_TEXTS = ("summary", "location", "status_note", "sin_reference", "decision_maker", "rationale")
_AGE_COLUMNS = ("age_years", "age_months", "age_weeks", "age_various")


class _ReferralPlanner(_Planner):
    kind = "referrals"

    def __init__(self, *args):
        super().__init__(*args)
        label = self.labels.get
        prefix = self.settings.ref_prefix
        width = self.settings.ref_width
        self.jurisdiction = self.settings.jurisdiction
        self.default_framework = self.settings.default_framework
        self.converters: dict[str, Callable] = {
            "ref": lambda cell: self._ref(cell, prefix, width),
            "gender": _value_converter(values.GENDERS, label("gender", "")),
            "source": _value_converter(values.REFERRAL_SOURCES, label("source", "")),
            "harm_category": _value_converter(values.HARM_CATEGORIES, label("harm_category", "")),
            "age": _age_converter(label("age", "")),
            "decision": _decision_converter(label("decision", "")),
            "recommendation": _decision_converter(label("recommendation", "")),
        }
        if "referring_agency" in self.labels:
            self.converters["referring_agency"] = _Agencies(self.store, self.labels.get).converter("referring_agency")
        for name in _REFERRAL_DATES:
            self.converters[name] = _date_converter(label(name, ""))
        for name in _REFERRAL_TEXTS:
            self.converters[name] = _as_text
        self.existing = {r["ref"]: r for r in self.store.rows("SELECT * FROM referrals")}
        self.seen: dict[str, int] = {}
        self._framework_cache: dict[int, str] = {}
        self._framework_changes = sorted(
            {p.in_force_from.isoformat() for p in load_profiles().values()}
            | {(p.in_force_to + timedelta(days=1)).isoformat()
               for p in load_profiles().values() if p.in_force_to is not None})

    def _ref(self, cell: object, prefix: str, width: int) -> str:
        if blank(cell):
            raise InvalidValue(self.labels["ref"], None, "is blank; every row needs its reference")
        try:
            return normalise_ref(cell if isinstance(cell, int) else _as_text(cell), prefix, width)
        except InvalidValue as error:
            raise InvalidValue(self.labels["ref"], cell, error.message) from None

    def _framework(self, record: Mapping) -> str | None:
        when = record.get("decision_date") or record.get("meeting_date") or record.get("received_date")
        if not when:
            return self.default_framework
        # The profile in force only changes at a profile's start or end, so one lookup per
        # stretch between those dates serves every date in it.
        stretch = bisect.bisect_right(self._framework_changes, when)
        if stretch not in self._framework_cache:
            found = profile_in_force(date.fromisoformat(when), self.jurisdiction)
            self._framework_cache[stretch] = found.code
        return self._framework_cache[stretch]

    def plan_row(self, number: int, got: dict[str, object]) -> None:
        ref = got.pop("ref")
        if ref in self.seen:
            raise _RowErrors([InvalidValue(self.labels["ref"], ref, f"appears twice in the file "
                                           f"(rows {self.seen[ref]} and {number})")])
        self.seen[ref] = number
        record = {name: value for name, value in got.items() if name not in ("age", "referring_agency")}
        if got.get("age"):
            record.update(got["age"])
        if got.get("referring_agency") is not None:
            record["referring_agency_id"] = got["referring_agency"]
        record = {name: value for name, value in record.items() if value is not None}
        existing = self.existing.get(ref)
        merged = {**(existing or {}), **record}
        if merged.get("decision"):
            record["framework"] = self._framework(merged)
        if existing is None:
            self.plan.inserts.append(PlannedInsert(number, ref, {"ref": ref, **record}))
            return
        if "age_years" in record or "age_months" in record or "age_weeks" in record or \
                "age_various" in record:
            # An age replaces the whole age: "12 yrs" over "4 mths" must clear the months.
            for column in _AGE_COLUMNS:
                record.setdefault(column, 0 if column == "age_various" else None)
        changes = {k: v for k, v in record.items() if not _same(existing.get(k), v)}
        if changes:
            before = {k: existing.get(k) for k in changes}
            self.plan.updates.append(PlannedUpdate(number, ref, existing["id"], changes, before))
        else:
            self.plan.unchanged.append(ref)


_ACTION_DATES = ("agreed_date", "target_date", "revised_target_date", "signoff_date", "escalated_date")
_ACTION_TEXTS = ("lead_officer", "revised_reason", "escalated_to", "update_note")


class _ActionPlanner(_Planner):
    kind = "actions"

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
        self.converters: dict[str, Callable] = {
            "review": _Cached(self._review),
            "status": _value_converter(values.ACTION_STATUSES, label("status", "")),
            "text": self._text,
            "recommendation": _as_text,
        }
        if "agency" in self.labels:
            self.converters["agency"] = _Agencies(self.store, self.labels.get).converter("agency")
        for name in _ACTION_DATES:
            self.converters[name] = _date_converter(label(name, ""))
        for name in _ACTION_TEXTS:
            self.converters[name] = _as_text
        self.seen: dict[tuple[int, str], int] = {}

    def _text(self, cell: object) -> str:
        if blank(cell):
            raise InvalidValue(self.labels["text"], None, "is blank; every row needs the action")
        return _as_text(cell)

    def _review(self, cell: object) -> int:
        label = self.labels["review"]
        if blank(cell):
            raise InvalidValue(label, None, "is blank; every action belongs to a review")
        text = _as_text(cell)
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
            raise _RowErrors([InvalidValue(self.labels["text"], text, "appears twice for the same review "
                                           f"(rows {self.seen[key]} and {number})")])
        self.seen[key] = number
        record = {"review_id": review_id, "text": text}
        if got.get("recommendation"):
            try:
                record["recommendation_id"] = self._recommendation(review_id, got["recommendation"])
            except InvalidValue as error:
                raise _RowErrors([error]) from None
        if got.get("agency") is not None:
            record["agency_id"] = got["agency"]
        for name in (*_ACTION_DATES, "lead_officer", "revised_reason", "escalated_to", "status"):
            if got.get(name) is not None:
                record[name] = got[name]
        note = got.get("update_note")
        shown = f"{self.review_names[review_id]}: {text[:60]}"
        existing = self.existing.get(key)
        if existing is None:
            self.plan.inserts.append(PlannedInsert(number, shown, record, note))
            return
        changes = {k: v for k, v in record.items() if not _same(existing.get(k), v)}
        if note is not None and (existing["id"], note) in self.notes:
            note = None
        if changes or note:
            before = {k: existing.get(k) for k in changes}
            self.plan.updates.append(PlannedUpdate(number, shown, existing["id"], changes, before, note))
        else:
            self.plan.unchanged.append(shown)


# -- writing ---------------------------------------------------------------------------------

def apply_import(store: Store, plan: ImportPlan, progress: Progress | None = None) -> ImportResult:
    """Write the whole plan in one transaction: either every row goes in, or none does."""
    if plan.errors:
        raise ScrdeskError(f"{plan.file_name} has {len(plan.errors)} problem"
                           f"{'' if len(plan.errors) == 1 else 's'}, so nothing was imported; "
                           "correct the file and try again.")
    table = "referrals" if plan.kind == "referrals" else "actions"
    total = len(plan.inserts) + len(plan.updates)
    today = store.settings().today().isoformat()
    try:
        with store.transaction():
            done = 0
            for insert in plan.inserts:
                row_id = store.db.execute(*_insert_sql(table, insert.values)).lastrowid
                if insert.update_note:
                    _log_update(store, row_id, today, insert.update_note, None, None)
                done += 1
                _tick(progress, done, total)
            for update in plan.updates:
                if update.changes:
                    store.update(table, update.row_id, update.changes)
                if plan.kind == "actions" and ("status" in update.changes or update.update_note):
                    note = update.update_note or f"Status changed by import from {plan.file_name}"
                    _log_update(store, update.row_id, today, note, update.before.get("status"),
                                update.changes.get("status"))
                done += 1
                _tick(progress, done, total)
    except sqlite3.IntegrityError as error:
        raise ScrdeskError(f"The data file changed since {plan.file_name} was checked ({error}); "
                           "nothing was imported. Check the file again and re-import.") from None
    return ImportResult(len(plan.inserts), len(plan.updates))


def _log_update(store: Store, action_id: int, today: str, note: str,
                status_from: str | None, status_to: str | None) -> None:
    store.db.execute(*_insert_sql("action_updates", {
        "action_id": action_id, "date": today, "author": store.user, "note": note,
        "status_from": status_from, "status_to": status_to}))


def _insert_sql(table: str, record: Mapping[str, object]) -> tuple[str, list]:
    columns = ", ".join(f'"{c}"' for c in record)
    marks = ", ".join("?" for _ in record)
    return f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(record.values())


__all__ = [
    "FIELDS", "KINDS", "FieldSpec", "ImportPlan", "ImportResult", "PlannedInsert", "PlannedUpdate",
    "RawTable", "apply_import", "guess_mapping", "normalise_heading", "plan_import", "read_table",
]
