"""Rules for a briefing (6-step, 7-minute) and its dissemination to each agency.

Each `…problems(record)` takes the record as stored (column -> value, ISO dates as text) and
returns `{column: message}` in the words the briefing editor and the dissemination dialog show
beside the field.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain import limits, values
from scrdesk.domain.dates import format_stored
from scrdesk.domain.limits import length_problems
from scrdesk.domain.rules import Problems, date_order

REQUIRED = "is required"

# The editor's fields: the title is a TITLE; themes and each section are boxes of free text.
LIMITS = {"title": limits.TITLE, "learning_themes": limits.NOTE}
SECTION_LIMITS = {"title": limits.TITLE, "body": limits.NOTE}
# The dissemination dialog: "Teams briefed" is a short note, the note a box.
DISSEMINATION_LIMITS = {"teams_briefed": limits.REASON, "note": limits.NOTE}

# A briefing is approved before it is issued (the sub group signs it off, then it goes out);
# a dissemination's feedback is due, and comes back, after the briefing was sent to the agency.
# (earlier, later, message): `check` uses the same pairs for files written before these rules.
BRIEFING_DATE_ORDER = (("approved_date", "issued_date", "is before it was approved"),)
DISSEMINATION_DATE_ORDER = (
    ("sent_date", "feedback_received_date", "is before the briefing was sent"),
    ("sent_date", "feedback_due_date", "is before the briefing was sent"),
)

# A status that says a step has happened needs the date it happened.
_STATUS_DATES = (
    ("approved", "approved_date", "is required for an approved briefing"),
    ("issued", "issued_date", "is required for an issued briefing"),
)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def problems(briefing: Mapping[str, object]) -> Problems:
    """Everything wrong with a briefing as it would be stored (its sections apart)."""
    found: Problems = {}
    status = briefing.get("status")
    if _blank(status):
        found["status"] = REQUIRED
    elif status not in values.BRIEFING_STATUSES:
        found["status"] = f"is not a briefing status ({', '.join(values.BRIEFING_STATUSES.values())})"
    for wanted, column, message in _STATUS_DATES:
        if status == wanted and _blank(briefing.get(column)):
            found[column] = message
    for column, message in date_order(briefing, BRIEFING_DATE_ORDER).items():
        found.setdefault(column, f"{message} ({format_stored(briefing.get('approved_date'))})")
    for column, message in length_problems(briefing, LIMITS).items():
        found.setdefault(column, message)
    return found


def section_problems(section: Mapping[str, object]) -> Problems:
    """A section has a title, and neither it nor its text is longer than the editor takes."""
    found: Problems = {}
    if _blank(section.get("title")):
        found["title"] = REQUIRED
    for column, message in length_problems(section, SECTION_LIMITS).items():
        found.setdefault(column, message)
    return found


def dissemination_problems(dissemination: Mapping[str, object]) -> Problems:
    """Everything wrong with one agency's copy of a briefing as it would be stored."""
    found: Problems = {}
    if _blank(dissemination.get("agency_id")):
        found["agency_id"] = REQUIRED
    if not _blank(dissemination.get("feedback_received_date")) and _blank(dissemination.get("sent_date")):
        found["sent_date"] = "is required once feedback has been received"
    for column, message in date_order(dissemination, DISSEMINATION_DATE_ORDER).items():
        found.setdefault(column, message)
    staff = dissemination.get("staff_reached")
    if not _blank(staff) and (not isinstance(staff, int) or staff < 0):
        found["staff_reached"] = "must be a whole number, 0 or more"
    for column, message in length_problems(dissemination, DISSEMINATION_LIMITS).items():
        found.setdefault(column, message)
    return found
