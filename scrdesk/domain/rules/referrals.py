"""Rules for a referral and its restricted identifiers.

`problems(referral, settings)` takes the referral as stored (column -> value, ISO dates as text) and
returns `{column: message}` in the words the referral dialog shows beside the field. The window,
the importer and `check` all use it, so one broken referral gets the same words everywhere.

The framework a referral is held to is decided in one place, `profiles.framework_for` (decision
date, else meeting, else received; the board's jurisdiction and 2018 switch date); a referral keeps
the framework it was stamped with when its decision was first recorded (`framework_to_stamp`).
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain import limits, values
from scrdesk.domain.dates import format_stored
from scrdesk.domain.limits import length_problems
from scrdesk.domain.profiles import framework_for, load_profiles
from scrdesk.domain.rules import Problems, statutory

REQUIRED = "is required"
DECISION_NEEDS_DATE = "is required when a decision is recorded"

# The window's field lengths: one-line text 500, a name 200, the rationale a note.
LIMITS = {
    "ref": limits.SHORT_NAME,
    "pseudonym": limits.NAME,
    "sin_reference": limits.LINE,
    "summary": limits.LINE,
    "location": limits.LINE,
    "decision_maker": limits.NAME,
    "rationale": limits.NOTE,
    "status_note": limits.LINE,
}
IDENTIFIER_LIMITS = {"value": limits.LINE}

# (earlier column, later column, words for the earlier one): the later date cannot come first.
# Something happens to a child, then the local authority learns of it and tells the national panel
# (WT2018 ch 4 para 17: the notification within 5 working days of becoming aware), a referral
# reaches the sub group, it decides, and then tells the panel, which answers.
ORDERED_DATES: tuple[tuple[str, str, str], ...] = (
    ("incident_date", "la_aware_date", "the incident date"),
    ("incident_date", "received_date", "the incident date"),
    ("la_aware_date", "sin_submitted_date", "the LA became aware"),
    ("received_date", "decision_date", "the referral was received"),
    ("decision_date", "panel_informed_date", "the decision date"),
    ("panel_informed_date", "panel_response_date", "the national panel was informed"),
)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def framework_to_stamp(referral: Mapping[str, object], settings) -> str | None:
    """The framework a referral is stored with: its stamp once it has one; else, when a decision is
    recorded, the one in force for it (`framework_for`); else none (undecided referrals follow
    their dates until decided)."""
    if not _blank(referral.get("framework")):
        return str(referral["framework"])
    if _blank(referral.get("decision")):
        return None
    return framework_for(referral, settings)


def date_problems(referral: Mapping[str, object]) -> Problems:
    """Each date before one that must come first: "is before the referral was received (5 Feb 2017)"."""
    found: Problems = {}
    for earlier, later, words in ORDERED_DATES:
        a, b = referral.get(earlier), referral.get(later)
        if _blank(a) or _blank(b) or later in found:
            continue
        if str(b)[:10] < str(a)[:10]:
            found[later] = f"is before {words} ({format_stored(str(a)[:10])})"
    return found


def decision_problems(referral: Mapping[str, object], settings=None) -> Problems:
    """A decision and its date go together, and the decision is one the framework offers."""
    found: Problems = {}
    decision, decided_on = referral.get("decision"), referral.get("decision_date")
    if not _blank(decision) and _blank(decided_on):
        found["decision_date"] = DECISION_NEEDS_DATE
    if not _blank(decided_on) and _blank(decision):
        found["decision"] = "choose the decision made on that date"
    code = referral.get("framework")
    if _blank(code) and settings is not None:
        code = framework_for(referral, settings)
    profile = load_profiles().get(str(code)) if not _blank(code) else None
    if profile is not None:
        for column in ("decision", "recommendation"):
            chosen = referral.get(column)
            if not _blank(chosen) and chosen not in profile.decision_codes:
                found.setdefault(column, f"is not a decision under {profile.name}")
    return found


def _listed(value: object, value_list: values.ValueList, what: str) -> str | None:
    if _blank(value) or value in value_list:
        return None
    return f"is not a {what} ({', '.join(value_list.values())})"


def problems(referral: Mapping[str, object], settings=None) -> Problems:
    """Everything wrong with a referral as it would be stored.

    `settings` (the board's `Settings`) decides the framework of a referral not yet stamped, for
    checking its decision; without it an unstamped decision is not checked against a framework.
    """
    found: Problems = {}
    if _blank(referral.get("ref")):
        found["ref"] = REQUIRED
    for column, message in date_problems(referral).items():
        found.setdefault(column, message)
    for column, message in decision_problems(referral, settings).items():
        found.setdefault(column, message)
    for column, value_list, what in (("source", values.REFERRAL_SOURCES, "source"),
                                     ("gender", values.GENDERS, "gender"),
                                     ("harm_category", values.HARM_CATEGORIES, "harm category")):
        if message := _listed(referral.get(column), value_list, what):
            found.setdefault(column, message)
    for column, message in length_problems(referral, LIMITS).items():
        found.setdefault(column, message)
    # Today's process (notification decision, withdrawal, rapid review, national data, the Welsh
    # review kind) holds on every save of a referral, not only through the statutory screens.
    for column, message in statutory.referral_problems(referral).items():
        found.setdefault(column, message)
    return found


def identifier_problems(identifier: Mapping[str, object]) -> Problems:
    """A restricted identifier says what kind it is and holds a value."""
    found: Problems = {}
    if message := _listed(identifier.get("kind"), values.RESTRICTED_KINDS, "kind of identifier"):
        found["kind"] = message
    if _blank(identifier.get("kind")):
        found["kind"] = REQUIRED
    if _blank(identifier.get("value")):
        found["value"] = REQUIRED
    for column, message in length_problems(identifier, IDENTIFIER_LIMITS).items():
        found.setdefault(column, message)
    return found
