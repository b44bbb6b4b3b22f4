"""Importing referrals from a tracker: the columns people keep and how each row becomes a referral."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from datetime import date, timedelta

from scrdesk.domain import values
from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.profiles import load_profiles, profile_in_force
from scrdesk.domain.refs import normalise_ref
from scrdesk.store.import_base import (
    Agencies,
    FieldSpec,
    PlannedInsert,
    PlannedUpdate,
    Planner,
    RowErrors,
    age_converter,
    as_text,
    date_converter,
    decision_converter,
    same,
    value_converter,
)
from scrdesk.store.tracker_files import blank

REFERRAL_FIELDS: dict[str, FieldSpec] = {
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
}

_REFERRAL_DATES = ("received_date", "decision_date", "meeting_date", "incident_date",
                   "la_aware_date", "sin_submitted_date")
_REFERRAL_TEXTS = ("summary", "location", "status_note", "sin_reference", "decision_maker", "rationale")
_AGE_COLUMNS = ("age_years", "age_months", "age_weeks", "age_various")


class ReferralPlanner(Planner):
    kind = "referrals"
    fields = REFERRAL_FIELDS

    def __init__(self, *args):
        super().__init__(*args)
        label = self.labels.get
        prefix = self.settings.ref_prefix
        width = self.settings.ref_width
        self.jurisdiction = self.settings.jurisdiction
        self.default_framework = self.settings.default_framework
        self.converters: dict[str, Callable] = {
            "ref": lambda cell: self._ref(cell, prefix, width),
            "gender": value_converter(values.GENDERS, label("gender", "")),
            "source": value_converter(values.REFERRAL_SOURCES, label("source", "")),
            "harm_category": value_converter(values.HARM_CATEGORIES, label("harm_category", "")),
            "age": age_converter(label("age", "")),
            "decision": decision_converter(label("decision", "")),
            "recommendation": decision_converter(label("recommendation", "")),
        }
        if "referring_agency" in self.labels:
            self.converters["referring_agency"] = Agencies(self.store, self.labels.get).converter("referring_agency")
        for name in _REFERRAL_DATES:
            self.converters[name] = date_converter(label(name, ""))
        for name in _REFERRAL_TEXTS:
            self.converters[name] = as_text
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
            return normalise_ref(cell if isinstance(cell, int) else as_text(cell), prefix, width)
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
            raise RowErrors([InvalidValue(self.labels["ref"], ref, f"appears twice in the file "
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
        changes = {k: v for k, v in record.items() if not same(existing.get(k), v)}
        if changes:
            before = {k: existing.get(k) for k in changes}
            self.plan.updates.append(PlannedUpdate(number, ref, existing["id"], changes, before))
        else:
            self.plan.unchanged.append(ref)

