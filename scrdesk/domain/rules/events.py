"""Rules for a learning event (practitioner event, de-brief, training, workshop) and a meeting.

Each `…problems(record)` takes the record as stored (column -> value, ISO dates as text) and
returns `{column: message}` in the words the event and meeting dialogs show beside the field.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain import limits, values
from scrdesk.domain.limits import length_problems
from scrdesk.domain.rules import Problems

REQUIRED = "is required"

EVENT_LIMITS = {"title": limits.TITLE, "facilitator": limits.NAME, "feedback": limits.NOTE}
MEETING_LIMITS = {"notes": limits.NOTE}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _kind_problem(kind: object, kinds: values.ValueList, what: str) -> str | None:
    if _blank(kind):
        return REQUIRED
    if kind not in kinds:
        return f"is not a kind of {what} ({', '.join(kinds.values())})"
    return None


def event_problems(event: Mapping[str, object]) -> Problems:
    """A learning event says what kind it was and when it was held."""
    found: Problems = {}
    if problem := _kind_problem(event.get("kind"), values.EVENT_KINDS, "event"):
        found["kind"] = problem
    if _blank(event.get("date")):
        found["date"] = REQUIRED
    attendance = event.get("attendance")
    if not _blank(attendance) and (not isinstance(attendance, int) or attendance < 0):
        found["attendance"] = "must be a whole number, 0 or more"
    for column, message in length_problems(event, EVENT_LIMITS).items():
        found.setdefault(column, message)
    return found


def meeting_problems(meeting: Mapping[str, object]) -> Problems:
    """A meeting has its date and says which body met."""
    found: Problems = {}
    if _blank(meeting.get("date")):
        found["date"] = REQUIRED
    if problem := _kind_problem(meeting.get("kind"), values.MEETING_KINDS, "meeting"):
        found["kind"] = problem
    for column, message in length_problems(meeting, MEETING_LIMITS).items():
        found.setdefault(column, message)
    return found
