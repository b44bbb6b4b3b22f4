"""Importing referrals from a tracker: the columns people keep and how each row becomes a referral.

Each row is held to the referral rules (`domain.rules.referrals`) the window applies, so a row the
dialog would refuse is refused here naming its row and column; its framework comes from the one
function that decides it (`profiles.framework_for`). A tracker's identifying columns (the child's
name, date of birth, NHS or case number, address) become the referral's restricted identifiers,
never printable fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from scrdesk.domain import values
from scrdesk.domain.dates import parse_date
from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.profiles import deciding_date, framework_for
from scrdesk.domain.refs import normalise_ref
from scrdesk.domain.rules import referrals as rules
from scrdesk.domain.rules import statutory as statutory_rules
from scrdesk.store.import_base import (
    Agencies,
    Cached,
    FieldSpec,
    PlannedInsert,
    PlannedUpdate,
    Planner,
    Progress,
    RowErrors,
    age_converter,
    as_text,
    date_converter,
    decision_converter,
    same,
    value_converter,
)
from scrdesk.store.referrals import LABELS
from scrdesk.store.tracker_files import blank

CURRENT_PROCESS_FIELDS: dict[str, FieldSpec] = {
    "notify_considered_date": FieldSpec("Date considered for notification", False, (
        "Date considered for notification", "Considered for notification", "Notification considered",
        "Date notification considered", "SIN decision date", "Date of SIN decision",
        "Notification decision date", "Decision to notify date")),
    "notify_decision": FieldSpec("Decision to notify", False, (
        "SIN decision", "Decision to notify", "Notify", "Notify?", "Notification decision", "To notify",
        "Notify decision", "Decision whether to notify")),
    "notify_reason": FieldSpec("Notification reason", False, (
        "Notification reason", "Notify reason", "SIN decision reason", "Reason for notification decision",
        "Reason not notified", "Reason for not notifying", "Notification rationale")),
    "notification_withdrawn_date": FieldSpec("Date withdrawn", False, (
        "Date withdrawn", "Withdrawn", "Withdrawn date", "Withdrawal date", "Notification withdrawn",
        "Date notification withdrawn")),
    "notification_withdrawn_reason": FieldSpec("Withdrawn reason", False, (
        "Withdrawn reason", "Withdrawal reason", "Reason withdrawn", "Reason for withdrawal",
        "Why withdrawn")),
    "rr_meeting_date": FieldSpec("Rapid review meeting", False, (
        "RR meeting date", "RR meeting", "Rapid review meeting", "Rapid review meeting date", "RR date",
        "Rapid review date", "Date of rapid review")),
    "rr_submitted_date": FieldSpec("Rapid review submitted", False, (
        "RR submitted", "Rapid review submitted", "RR submitted date", "Date RR submitted",
        "RR submission date", "Date rapid review submitted", "RR sent to panel", "RR sent to Panel date")),
    "rr_outcome": FieldSpec("Rapid review outcome", False, (
        "RR outcome", "Rapid review outcome", "Outcome of rapid review", "RR recommendation",
        "RR decision", "Rapid review recommendation")),
    "panel_response_date": FieldSpec("Panel response date", False, (
        "Panel response date", "Panel response", "Date of panel response", "Panel responded",
        "National panel response", "Panel reply date")),
    "panel_agreed": FieldSpec("Panel agreed", False, (
        "Panel agreed", "Panel agreed?", "Panel agreement", "Panel agrees", "Did the panel agree",
        "Panel agreed with decision")),
    "harm_type": FieldSpec("Type of harm", False, (
        "Type of harm", "Harm type", "Nature of harm", "Primary harm", "Main type of harm")),
    "harm_outcome": FieldSpec("Death or serious harm", False, (
        "Death or serious harm", "Died or seriously harmed", "Death serious harm", "Harm outcome",
        "Death or serious injury")),
    "harm_setting": FieldSpec("Setting", False, (
        "Setting", "Setting of harm", "Where harm occurred", "Place of harm", "Incident setting")),
    "child_age_band": FieldSpec("Age band", False, ("Age band", "Age group", "Age range", "Child age band")),
    "child_sex": FieldSpec("Sex of child", False, ("Child sex", "Sex of child", "Child's sex", "Childs sex")),
    "child_ethnicity": FieldSpec("Ethnicity", False, ("Ethnicity", "Ethnic group", "Ethnic origin",
                                                       "Child's ethnicity")),
    "child_disability": FieldSpec("Disability", False, ("Disability", "Disabled", "Child disability",
                                                         "Disability Y/N")),
    "social_care_status": FieldSpec("Social care status", False, (
        "Social care status", "Social care involvement", "CP/CIN/LAC status", "Status with social care",
        "Known to social care")),
    "cp_or_looked_after_6_months": FieldSpec("CP register or looked after in the 6 months before", False, (
        "CP or looked after in 6 months", "CPR or LAC in previous 6 months", "On CPR or looked after",
        "CP register or looked after in the 6 months before")),
    "lac_death_ofsted_date": FieldSpec("Ofsted told of the death", False, (
        "LAC death Ofsted", "Ofsted told of the death", "Ofsted told of death", "Ofsted notified of death", "Death notified to Ofsted")),
    "lac_death_sos_date": FieldSpec("Secretary of State told of the death", False, (
        "LAC death SoS", "Secretary of State told of the death", "Secretary of State told of death", "SoS notified of death", "DfE notified of death",
        "Death notified to Secretary of State")),
}

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
        "Notification date", "Date notified", "Notified", "Date of notification", "SIN notified")),
    "harm_category": FieldSpec("Harm category", False, ("Harm category", "Category of harm",
                                                        "Harm", "Category")),
    "decision_maker": FieldSpec("Decision maker", False, ("Decision maker", "Decided by")),
    "rationale": FieldSpec("Rationale", False, ("Rationale", "Rationale for decision",
                                                "Reasons for decision", "Reason")),
    # Today's process (WT2018 ch.4 / WT2023 ch.5 and the Panel's rapid review guidance): the columns
    # offices keep per case. Each field is named for the referral column it fills.
    **CURRENT_PROCESS_FIELDS,
    # Identifying columns: kept as restricted identifiers of the referral, never printed.
    "child_name": FieldSpec("Child's name", False, (
        "Name", "Child's name", "Childs name", "Child name", "Child", "Name of child", "Full name",
        "Subject name", "Young person", "Young person's name")),
    "forename": FieldSpec("Forename", False, ("Forename", "Forenames", "First name", "Given name")),
    "surname": FieldSpec("Surname", False, ("Surname", "Last name", "Family name")),
    "date_of_birth": FieldSpec("Date of birth", False, ("Date of birth", "DOB", "Birth date",
                                                        "Child's DOB", "Child's date of birth")),
    "nhs_number": FieldSpec("NHS number", False, ("NHS number", "NHS no", "NHS")),
    "case_number": FieldSpec("Case number", False, (
        "Case number", "Case no", "LCS number", "LCS no", "LCS ID", "LA case number", "LA number",
        "Mosaic number", "Mosaic ID", "Child ID", "CRN", "Case ID")),
    "address": FieldSpec("Address", False, ("Address", "Home address", "Child's address", "Postcode")),
}

# Identifying columns -> the restricted identifier kind each becomes (values.RESTRICTED_KINDS).
IDENTIFYING_FIELDS = {"child_name": "name", "forename": "name", "surname": "name",
                      "date_of_birth": "date_of_birth", "nhs_number": "other",
                      "case_number": "case_number", "address": "address"}

# A rule's column -> the import field whose heading names it in a message.
_FIELD_OF_COLUMN = {"referring_agency_id": "referring_agency", "age_years": "age", "age_months": "age",
                    "age_weeks": "age", "age_various": "age"}

_REFERRAL_DATES = ("received_date", "decision_date", "meeting_date", "incident_date",
                   "la_aware_date", "sin_submitted_date", "notify_considered_date",
                   "notification_withdrawn_date", "rr_meeting_date", "rr_submitted_date",
                   "panel_response_date", "lac_death_ofsted_date", "lac_death_sos_date")
_REFERRAL_TEXTS = ("summary", "location", "status_note", "sin_reference", "decision_maker", "rationale",
                   "child_name", "forename", "surname", "nhs_number", "case_number", "address",
                   "notify_reason", "notification_withdrawn_reason", "child_ethnicity")

# The words offices write in a yes/no column, beyond yes and no themselves.
NOTIFY_WORDS = {"notify": 1, "notified": 1, "to notify": 1, "notification": 1, "sin": 1,
                "not notified": 0, "do not notify": 0, "dont notify": 0, "not to notify": 0,
                "no notification": 0, "not notify": 0}
AGREED_WORDS = {"agreed": 1, "agree": 1, "agrees": 1, "disagreed": 0, "disagree": 0, "not agreed": 0,
                "did not agree": 0, "didnt agree": 0}
_YES_NO = {"yes": 1, "y": 1, "true": 1, "1": 1, "no": 0, "n": 0, "false": 0, "0": 0}
_AGE_COLUMNS = ("age_years", "age_months", "age_weeks", "age_various")


class ReferralPlanner(Planner):
    kind = "referrals"
    fields = REFERRAL_FIELDS

    def __init__(self, *args):
        super().__init__(*args)
        label = self.labels.get
        prefix = self.settings.ref_prefix
        width = self.settings.ref_width
        self.converters: dict[str, Callable] = {
            "ref": lambda cell: self._ref(cell, prefix, width),
            "gender": value_converter(values.GENDERS, label("gender", "")),
            "source": value_converter(values.REFERRAL_SOURCES, label("source", "")),
            "harm_category": _harm_converter(label("harm_category", "")),
            "notify_decision": yes_no_converter(label("notify_decision", ""), NOTIFY_WORDS),
            "panel_agreed": yes_no_converter(label("panel_agreed", ""), AGREED_WORDS),
            "cp_or_looked_after_6_months": yes_no_converter(label("cp_or_looked_after_6_months", ""), {}),
            "age": age_converter(label("age", "")),
            "decision": decision_converter(label("decision", "")),
            "recommendation": decision_converter(label("recommendation", "")),
            "date_of_birth": _birth_date,
        }
        if "referring_agency" in self.labels:
            self.converters["referring_agency"] = Agencies(self.store, self.labels.get).converter("referring_agency")
        for name, codes in statutory_rules.CODE_LISTS.items():
            self.converters[name] = value_converter(codes, label(name, ""))
        for name in _REFERRAL_DATES:
            self.converters[name] = date_converter(label(name, ""))
        for name in _REFERRAL_TEXTS:
            self.converters[name] = as_text
        self.existing = {r["ref"]: r for r in self.store.rows("SELECT * FROM referrals")}
        self.held_identifiers: set[tuple[int, str, str]] = set()
        if any(name in self.labels for name in IDENTIFYING_FIELDS):
            self.held_identifiers = {(r["referral_id"], r["kind"], r["value"]) for r in self.store.rows(
                "SELECT referral_id, kind, value FROM restricted_identifiers")}
        self.seen: dict[str, int] = {}
        self._framework_cache: dict[object, str] = {}
        self.undated: list[str] = []

    def run(self, progress: Progress | None) -> None:
        super().run(progress)
        if self.undated:
            shown = ", ".join(self.undated[:10]) + (f" and {len(self.undated) - 10} more"
                                                   if len(self.undated) > 10 else "")
            self.plan.notes.append(f"{len(self.undated)} referral{'s have' if len(self.undated) != 1 else ' has'}"
                                   f" a decision but no decision date ({shown}); the date is asked for "
                                   "when the referral is next saved, and `scrdesk check` lists them")

    def _ref(self, cell: object, prefix: str, width: int) -> str:
        if blank(cell):
            raise InvalidValue(self.labels["ref"], None, "is blank; every row needs its reference")
        try:
            return normalise_ref(cell if isinstance(cell, int) else as_text(cell), prefix, width)
        except InvalidValue as error:
            raise InvalidValue(self.labels["ref"], cell, error.message) from None

    def _framework(self, record: Mapping) -> str:
        # framework_for depends only on the record's deciding date and the settings, and a
        # tracker repeats its dates: one call per distinct date.
        when = deciding_date(record)
        if when not in self._framework_cache:
            self._framework_cache[when] = framework_for(record, self.settings)
        return self._framework_cache[when]

    def _label(self, column: str) -> str:
        """The column as the person's own file heads it, else as the window labels it."""
        name = _FIELD_OF_COLUMN.get(column, column)
        if name in self.labels:
            return self.labels[name]
        if name in REFERRAL_FIELDS:
            return REFERRAL_FIELDS[name].label
        return LABELS.get(column, column.replace("_", " ").capitalize())

    def _identifiers(self, got: Mapping[str, object]) -> list[dict]:
        """The row's identifying cells as restricted identifiers (a forename and surname as one name)."""
        found = []
        names = [got.get(name) for name in ("forename", "surname") if got.get(name)]
        if names:
            found.append(("forename" if got.get("forename") else "surname", "name", " ".join(names)))
        for name, kind in IDENTIFYING_FIELDS.items():
            if name not in ("forename", "surname") and got.get(name):
                found.append((name, kind, got[name]))
        identifiers, errors = [], []
        for name, kind, value in found:
            identifier = {"kind": kind, "value": value}
            for message in rules.identifier_problems(identifier).values():
                errors.append(InvalidValue(self.labels.get(name, REFERRAL_FIELDS[name].label), None, message))
            identifiers.append(identifier)
        if errors:
            raise RowErrors(errors)
        return identifiers

    def plan_row(self, number: int, got: dict[str, object]) -> None:
        ref = got.pop("ref")
        if ref in self.seen:
            raise RowErrors([InvalidValue(self.labels["ref"], ref, f"appears twice in the file "
                                           f"(rows {self.seen[ref]} and {number})")])
        self.seen[ref] = number
        identifiers = self._identifiers(got)
        record = {name: value for name, value in got.items()
                  if name not in ("age", "referring_agency", "harm_category") and name not in IDENTIFYING_FIELDS}
        if got.get("harm_category"):
            column, code = got["harm_category"]
            # A separate "Type of harm" column, where there is one, is the national field's own.
            if column == "harm_category" or record.get("harm_type") is None:
                record[column] = code
        if got.get("age"):
            record.update(got["age"])
        if got.get("referring_agency") is not None:
            record["referring_agency_id"] = got["referring_agency"]
        record = {name: value for name, value in record.items() if value is not None}
        existing = self.existing.get(ref)
        merged = {"ref": ref, **(existing or {}), **record}
        if merged.get("decision") and not merged.get("framework"):
            record["framework"] = merged["framework"] = self._framework(merged)
        self._check(merged, existing, record)
        if identifiers:
            self.plan.restricted += len(identifiers)
        if existing is None:
            self.plan.inserts.append(PlannedInsert(number, ref, {"ref": ref, **record}, identifiers=identifiers))
            return
        identifiers = [i for i in identifiers
                       if (existing["id"], i["kind"], i["value"]) not in self.held_identifiers]
        if "age_years" in record or "age_months" in record or "age_weeks" in record or \
                "age_various" in record:
            # An age replaces the whole age: "12 yrs" over "4 mths" must clear the months.
            for column in _AGE_COLUMNS:
                record.setdefault(column, 0 if column == "age_various" else None)
        changes = {k: v for k, v in record.items() if not same(existing.get(k), v)}
        if changes or identifiers:
            before = {k: existing.get(k) for k in changes}
            self.plan.updates.append(PlannedUpdate(number, ref, existing["id"], changes, before,
                                                   identifiers=identifiers))
        else:
            self.plan.unchanged.append(ref)

    def _check(self, merged: Mapping, existing: Mapping | None, record: Mapping) -> None:
        """The referral rules on the row as it would be stored; for a referral already held, only
        what the row would break (an old fault in a column the row leaves alone is `check`'s)."""
        check = merged if merged.get("framework") else {**merged, "framework": self._framework(merged)}
        found = rules.problems(check)
        if existing is not None and found:
            before = rules.problems(existing if existing.get("framework")
                                    else {**existing, "framework": self._framework(existing)})
            found = {column: message for column, message in found.items()
                     if column in record or before.get(column) != message}
        if found.get("decision_date") == rules.DECISION_NEEDS_DATE:
            # Old trackers often record an outcome without its date: taken in, and said so (the
            # window asks for the date when the referral is next saved; `check` lists it).
            del found["decision_date"]
            self.undated.append(merged["ref"])
        if found:
            raise RowErrors([InvalidValue(self._label(column), None, message)
                             for column, message in found.items()])


def yes_no_converter(label: str, words: Mapping[str, int]):
    """Yes/No (and the column's own words, e.g. "Not notified") as 1/0."""
    table = {**_YES_NO, **words}

    def convert(cell: object) -> int | None:
        if blank(cell):
            return None
        found = table.get(values.normalise_text(as_text(cell)))
        if found is None:
            raise InvalidValue(label, cell, "is not Yes or No")
        return found
    return Cached(convert)


def _harm_converter(label: str):
    """A "Harm category" column holds either the 2015 categories (Died – abuse…) or, in today's
    trackers, the national type of harm (Neglect, Physical abuse…): either is taken, as
    ("harm_category" or "harm_type", code)."""
    def convert(cell: object) -> tuple[str, str] | None:
        if blank(cell):
            return None
        text = as_text(cell)
        for column, codes in (("harm_category", values.HARM_CATEGORIES),
                              ("harm_type", statutory_rules.HARM_TYPES)):
            code = values.lookup_table(codes).get(values.normalise_text(text))
            if code is not None:
                return column, code
        raise InvalidValue(label, cell, "is not a harm category ("
                           f"{', '.join(values.HARM_CATEGORIES.values())}) nor a type of harm "
                           f"({', '.join(statutory_rules.HARM_TYPES.values())})")
    return Cached(convert)


def _birth_date(cell: object) -> str | None:
    """A date of birth as people write it (31/03/2012), so the export gate finds it as printed;
    text that is not a date is kept as typed."""
    if blank(cell):
        return None
    try:
        found = parse_date(cell, "Date of birth")
    except InvalidValue:
        found = None
    return found.strftime("%d/%m/%Y") if found else as_text(cell)

