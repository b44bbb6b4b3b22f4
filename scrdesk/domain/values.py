"""Canonical value lists (code -> label, in display order) and loose matching of typed values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from scrdesk.domain.errors import InvalidValue


class ValueList(dict[str, str]):
    """An ordered code -> label dict that also knows the other words people use for its codes."""

    def __init__(self, items: Iterable[tuple[str, str]], aliases: Mapping[str, str] | None = None):
        super().__init__(items)
        self.aliases: dict[str, str] = dict(aliases or {})
        unknown = set(self.aliases.values()) - set(self)
        if unknown:
            raise ValueError(f"aliases point at unknown codes: {sorted(unknown)}")


def normalise_text(text: str) -> str:
    """Casefold, treat dashes / underscores / slashes as spaces, `&` as `and`, collapse spaces."""
    s = text.casefold().replace("&", " and ")
    s = re.sub(r"[\u2010-\u2015\u2212_\-/]", " ", s)
    s = re.sub(r"[.,:;'\"\u2018\u2019\u201c\u201d]", "", s)
    return " ".join(s.split())


def _keys(code: str, label_text: str) -> Iterable[str]:
    yield code
    yield label_text
    # "Health commissioner (ICB/CCG)" is typed as "Health commissioner" more often than not.
    bare = re.sub(r"\s*\([^)]*\)", "", label_text)
    if bare != label_text:
        yield bare


def lookup_table(values: Mapping[str, str]) -> dict[str, str]:
    """normalised text -> code, from codes, labels and (for a ValueList) aliases."""
    table: dict[str, str] = {}
    for code, label_text in values.items():
        for key in _keys(code, label_text):
            table.setdefault(normalise_text(key), code)
    for alias, code in getattr(values, "aliases", {}).items():
        table.setdefault(normalise_text(alias), code)
    return table


def label(values: Mapping[str, str], code: str | None) -> str:
    """The label for `code`; the code itself when the list does not know it; "" for None."""
    if code is None:
        return ""
    return values.get(code, code)


def code_from_text(values: Mapping[str, str], text: object, field: str) -> str:
    """The code a person meant by `text` (a code, a label or a known alias, loosely matched)."""
    choices = ", ".join(values.values())
    if text is None or not str(text).strip():
        raise InvalidValue(field, text, f"is blank; choose one of: {choices}")
    code = lookup_table(values).get(normalise_text(str(text)))
    if code is None:
        raise InvalidValue(field, text, f"is not one of: {choices}")
    return code


AGENCY_TYPES = ValueList(
    [
        ("la_childrens", "LA children's services"),
        ("police", "Police"),
        ("health_commissioner", "Health commissioner (ICB/CCG)"),
        ("health_provider", "Health provider"),
        ("education", "Education"),
        ("probation", "Probation"),
        ("voluntary", "Voluntary sector"),
        ("other", "Other"),
    ],
    aliases={
        "Children's services": "la_childrens",
        "Local authority children's services": "la_childrens",
        "Childrens social care": "la_childrens",
        "Children's social care": "la_childrens",
        "ICB": "health_commissioner",
        "CCG": "health_commissioner",
        "Health": "health_provider",
        "Voluntary": "voluntary",
        "Charity": "voluntary",
    },
)

REFERRAL_SOURCES = ValueList(
    [
        ("agency_referral", "Agency referral"),
        ("sin", "Serious incident notification"),
        ("other", "Other"),
    ],
    aliases={"SIN": "sin", "Notification": "sin", "Referral": "agency_referral"},
)

GENDERS = ValueList(
    [
        ("male", "Male"),
        ("female", "Female"),
        ("male_and_female", "Male and female"),
        ("not_known", "Not known"),
    ],
    aliases={
        "M": "male",
        "F": "female",
        "Both": "male_and_female",
        "Mixed": "male_and_female",
        "Unknown": "not_known",
        "NK": "not_known",
        "N/K": "not_known",
    },
)

HARM_CATEGORIES = ValueList(
    [
        ("died_abuse", "Died \u2013 abuse"),
        ("died_neglect", "Died \u2013 neglect"),
        ("died_other", "Died \u2013 other"),
        ("harmed_abuse", "Seriously harmed \u2013 abuse"),
        ("harmed_neglect", "Seriously harmed \u2013 neglect"),
        ("harmed_other", "Seriously harmed \u2013 other"),
    ],
    aliases={
        "Harmed - abuse": "harmed_abuse",
        "Harmed - neglect": "harmed_neglect",
        "Harmed - other": "harmed_other",
    },
)

REVIEW_STATUSES = ValueList(
    [
        ("agreed", "Agreed"),
        ("underway", "Underway"),
        ("completed", "Completed"),
        ("published", "Published"),
        ("closed", "Closed"),
    ],
    aliases={"Complete": "completed", "In progress": "underway", "Initiated": "underway"},
)

ACTION_STATUSES = ValueList(
    [
        ("not_started", "Not started"),
        ("on_track", "On track"),
        ("slipping", "Slipping"),
        ("complete_awaiting_evidence", "Complete \u2013 awaiting evidence"),
        ("complete_evidenced", "Complete \u2013 evidenced"),
        ("signed_off", "Signed off"),
    ],
    aliases={"In progress": "on_track", "Overdue": "slipping", "Closed": "signed_off"},
)

# Statuses that stop an action's clock: it is no longer overdue, whatever its target said.
COMPLETE_ACTION_STATUSES = frozenset({"complete_awaiting_evidence", "complete_evidenced", "signed_off"})

RECOMMENDATION_LEVELS = ValueList(
    [
        ("single_agency", "Single agency"),
        ("multi_agency", "Multi-agency"),
        ("national", "National"),
    ]
)

BRIEFING_STATUSES = ValueList(
    [
        ("draft", "Draft"),
        ("approved", "Approved"),
        ("issued", "Issued"),
    ],
    aliases={"Published": "issued", "Sent": "issued"},
)

EVENT_KINDS = ValueList(
    [
        ("practitioner_learning_event", "Practitioner learning event"),
        ("practitioner_debrief", "Practitioner de-brief"),
        ("wider_debrief", "Wider de-brief"),
        ("training", "Training"),
        ("workshop", "Workshop"),
    ],
    aliases={
        "Learning event": "practitioner_learning_event",
        "Practitioner debrief": "practitioner_debrief",
        "Wider debrief": "wider_debrief",
    },
)

MEETING_KINDS = ValueList(
    [
        ("scr_subgroup", "Case review sub group"),
        ("qa_subgroup", "QA sub group"),
        ("board", "Board"),
    ],
    aliases={
        "SCR sub group": "scr_subgroup",
        "SCR subgroup": "scr_subgroup",
        "Quality assurance sub group": "qa_subgroup",
        "Partnership": "board",
    },
)

PROCEEDING_KINDS = ValueList(
    [
        ("criminal", "Criminal proceedings"),
        ("inquest", "Inquest"),
        ("family_court", "Family court"),
        ("dhr", "Domestic homicide review"),
        ("sar", "Safeguarding adults review"),
    ],
    aliases={"Criminal": "criminal"},
)

PUBLICATION_DECISIONS = ValueList(
    [
        ("publish", "Publish"),
        ("publish_redacted", "Publish redacted"),
        ("not_published", "Not published"),
        ("to_be_decided", "To be decided"),
    ],
    aliases={"TBC": "to_be_decided", "TBD": "to_be_decided", "Redacted": "publish_redacted"},
)

RESTRICTED_KINDS = ValueList(
    [
        ("name", "Name"),
        ("date_of_birth", "Date of birth"),
        ("address", "Address"),
        ("case_number", "LA case number"),
        ("other", "Other"),
    ],
    aliases={"DOB": "date_of_birth", "Case number": "case_number"},
)

# Every step a review timeline can hold. A methodology (in a framework profile) picks from these
# and may word them its own way.
MILESTONE_KINDS = ValueList(
    [
        ("notification", "Serious incident notification"),
        ("agency_letters", "Letters to agencies"),
        ("agency_summaries", "Agency summaries and chronologies"),
        ("review_meeting", "Rapid review meeting"),
        ("scoping_tor", "Scoping / terms of reference"),
        ("agency_reports_requested", "Agency reports requested"),
        ("agency_reports_received", "Agency reports received"),
        ("merged_chronology", "Merged chronology"),
        ("family_contact", "Family contact"),
        ("practitioner_learning_event", "Practitioner learning event"),
        ("recall_workshop", "Recall / workshop"),
        ("draft_report", "Draft report"),
        ("panel_signoff", "Panel sign-off"),
        ("board_signoff", "Board / partner sign-off"),
        ("submitted_to_panel", "Submitted to national panel"),
        ("published", "Published"),
        ("practitioner_debrief", "Practitioner de-brief"),
        ("wider_debrief", "Wider de-brief"),
    ]
)
