"""Rules for today's statutory process on a referral and on a review (issue 11).

Pure functions `record -> {column: message}` in the words the window shows beside the field; the
store's writes in store/statutory.py call them. The national data's code lists are here too: they
are counted in the annual report, never listed per child.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain import limits
from scrdesk.domain.limits import length_problems
from scrdesk.domain.rules import Problems, date_order
from scrdesk.domain.values import ValueList

LIMITS = {
    "notify_reason": limits.REASON,
    "notification_withdrawn_reason": limits.REASON,
    "no_publication_reasons": limits.NOTE,
    "child_ethnicity": limits.NAME,
}

# The serious incident notification's characteristics, as the national panel's notification form
# and its annual report group them.
AGE_BANDS = ValueList([("under_1", "Under 1"), ("1_5", "1 to 5"), ("6_10", "6 to 10"), ("11_15", "11 to 15"),
                       ("16_17", "16 to 17"), ("18_plus", "18 or over (care leaver)")],
                      aliases={"<1": "under_1", "Under one": "under_1"})
SEXES = ValueList([("female", "Female"), ("male", "Male"), ("other", "Other"), ("not_known", "Not known")],
                  aliases={"F": "female", "M": "male", "Girl": "female", "Boy": "male", "Unknown": "not_known"})
SOCIAL_CARE_STATUSES = ValueList([
    ("cp_plan", "Child protection plan"), ("cin", "Child in need"), ("looked_after", "Looked after"),
    ("care_leaver", "Care leaver"), ("previously_known", "Previously known"), ("not_known", "Not known to social care"),
], aliases={"CP": "cp_plan", "CPP": "cp_plan", "CIN": "cin", "LAC": "looked_after", "CLA": "looked_after"})
HARM_TYPES = ValueList([
    ("physical_abuse", "Physical abuse"), ("neglect", "Neglect"), ("sexual_abuse", "Sexual abuse"),
    ("emotional_abuse", "Emotional abuse"), ("criminal_exploitation", "Child criminal exploitation"),
    ("sexual_exploitation", "Child sexual exploitation"), ("extra_familial", "Extra-familial harm"),
    ("self_harm", "Suicide or self-harm"), ("sudden_death", "Sudden unexpected death in infancy"),
    ("other", "Other"),
], aliases={"CCE": "criminal_exploitation", "CSE": "sexual_exploitation", "SUDI": "sudden_death"})
HARM_OUTCOMES = ValueList([("death", "Death"), ("serious_harm", "Serious harm")],
                          aliases={"Died": "death", "Serious injury": "serious_harm"})
SETTINGS_OF_HARM = ValueList([
    ("family_home", "Family home"), ("foster_care", "Foster care"), ("residential", "Residential setting"),
    ("school", "School or education"), ("community", "Community"), ("other", "Other"),
])
DISABILITY = ValueList([("yes", "Yes"), ("no", "No"), ("not_known", "Not known")])
#: What a rapid review can lead to (the Panel's rapid review template).
RAPID_REVIEW_OUTCOMES = ValueList([
    ("LCSPR", "Local child safeguarding practice review"), ("NFA", "No further review"),
    ("LOCAL_LEARNING", "Other local learning review"), ("NATIONAL", "National review recommended"),
], aliases={"No further action": "NFA", "CSPR": "LCSPR", "Local learning": "LOCAL_LEARNING"})

#: Column -> its code list, for the window's choices and the importer's checks.
CODE_LISTS: dict[str, ValueList] = {
    "child_age_band": AGE_BANDS, "child_sex": SEXES, "social_care_status": SOCIAL_CARE_STATUSES,
    "harm_type": HARM_TYPES, "harm_outcome": HARM_OUTCOMES, "harm_setting": SETTINGS_OF_HARM,
    "child_disability": DISABILITY, "rr_outcome": RAPID_REVIEW_OUTCOMES,
}

_REFERRAL_ORDER = (
    ("la_aware_date", "sin_submitted_date", "is before the local authority became aware"),
    ("sin_submitted_date", "notification_withdrawn_date", "is before the date notified"),
    ("sin_submitted_date", "rr_meeting_date", "is before the date notified"),
    ("sin_submitted_date", "rr_submitted_date", "is before the date notified"),
    ("rr_submitted_date", "panel_response_date", "is before the rapid review was submitted"),
)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _yes(value: object) -> bool | None:
    if value in (1, "1", True):
        return True
    if value in (0, "0", False):
        return False
    return None


def referral_problems(referral: Mapping[str, object]) -> Problems:
    """A referral's notification, withdrawal, rapid review and national data fields."""
    found: Problems = {}
    found.update(length_problems(referral, LIMITS))
    found.update(date_order(referral, _REFERRAL_ORDER))
    decision = _yes(referral.get("notify_decision"))
    if decision is not None and _blank(referral.get("notify_considered_date")):
        found.setdefault("notify_considered_date", "is required when the decision whether to notify is recorded")
    if decision is False and _blank(referral.get("notify_reason")):
        found.setdefault("notify_reason", "is required when the partners decided not to notify")
    if decision is False and not _blank(referral.get("sin_submitted_date")):
        found.setdefault("notify_decision", "says not to notify, but a notification date is recorded")
    withdrawn = not _blank(referral.get("notification_withdrawn_date"))
    if withdrawn and _blank(referral.get("sin_submitted_date")):
        found.setdefault("notification_withdrawn_date", "needs the date notified: only a notification can be withdrawn")
    if withdrawn and _blank(referral.get("notification_withdrawn_reason")):
        found.setdefault("notification_withdrawn_reason",
                         "is required: say why the case did not meet the notification criteria")
    if not withdrawn and not _blank(referral.get("notification_withdrawn_reason")):
        found.setdefault("notification_withdrawn_date", "is required when a withdrawal reason is given")
    for column, codes in CODE_LISTS.items():
        value = referral.get(column)
        if not _blank(value) and value not in codes:
            found.setdefault(column, f"is not one of: {', '.join(codes.values())}")
    found.update(welsh_review_problems(referral))
    return found


# Wales: regulation 4 of the Safeguarding Boards (Functions and Procedures) (Wales) Regulations
# 2015 fixes the kind of Child Practice Review — extended where the child was on the child
# protection register or looked after (or both) at any time in the six months before the
# incident, concise otherwise (Working Together to Safeguard People, Volume 2, 2016). Not a choice.
def welsh_review_kind(referral: Mapping[str, object]) -> str | None:
    """CPR_EXTENDED or CPR_CONCISE as the regulation fixes it; None where it is not yet known."""
    flag = _yes(referral.get("cp_or_looked_after_6_months"))
    if flag is None and referral.get("social_care_status") in ("cp_plan", "looked_after"):
        flag = True
    if flag is None:
        return None
    return "CPR_EXTENDED" if flag else "CPR_CONCISE"


def welsh_review_problems(referral: Mapping[str, object]) -> Problems:
    decision = referral.get("decision")
    if decision not in ("CPR_CONCISE", "CPR_EXTENDED"):
        return {}
    fixed = welsh_review_kind(referral)
    if fixed is None or fixed == decision:
        return {}
    if fixed == "CPR_EXTENDED":
        return {"decision": "must be an extended Child Practice Review: the child was on the child protection "
                            "register or looked after in the six months before (2015 Regulations, reg. 4)"}
    return {"decision": "must be a concise Child Practice Review: the child was neither on the child protection "
                        "register nor looked after in the six months before (2015 Regulations, reg. 4)"}


def publication_problems(review: Mapping[str, object]) -> Problems:
    """A review's planned publication, copies and decision not to publish. A planned date in the
    future is the point of it, never a data error."""
    found: Problems = {}
    found.update(length_problems(review, LIMITS))
    if not _blank(review.get("no_publication_date")):
        if _blank(review.get("no_publication_reasons")):
            found["no_publication_reasons"] = "is required: the Panel is sent the reasons for not publishing"
        if not _blank(review.get("published_date")):
            found["no_publication_date"] = "cannot be recorded for a review that was published"
    if _blank(review.get("no_publication_date")) and not _blank(review.get("no_publication_sent_date")):
        found["no_publication_date"] = "is required when the decision not to publish was sent to the Panel"
    found.update(date_order(review, (
        ("no_publication_date", "no_publication_sent_date", "is before the decision not to publish"),
        ("agreed_date", "planned_publication_date", "is before the review was agreed"),
        ("agreed_date", "scr_told_date", "is before the review was agreed"),
    )))
    return found


__all__ = [
    "CODE_LISTS", "LIMITS", "publication_problems", "referral_problems", "welsh_review_kind",
    "welsh_review_problems",
]
