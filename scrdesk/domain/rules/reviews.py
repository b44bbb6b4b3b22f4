"""Rules for a review and the rows that hang off it (milestone, delay, parallel proceeding,
recommendation, linked referral).

Each `…_problems(record)` takes the record as stored (column -> value, ISO dates as text) and
returns `{column: message}` in the words the review dialogs show beside the field.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain import limits, values
from scrdesk.domain.dates import format_stored
from scrdesk.domain.limits import length_problems
from scrdesk.domain.rules import Problems, statutory

# The window's field lengths (TextField 500, NoteField 20,000; the title is a TITLE).
LIMITS = {
    "title": limits.TITLE,
    "lead_reviewer": limits.NAME,
    "panel_chair": limits.NAME,
    "target_override_reason": limits.REASON,
    "family_engagement": limits.NOTE,
    "notes": limits.NOTE,
}
MILESTONE_LIMITS = {"notes": limits.NOTE}
DELAY_LIMITS = {"reason": limits.REASON}
PROCEEDING_LIMITS = {"status": limits.LINE, "notes": limits.NOTE}
RECOMMENDATION_LIMITS = {"number": limits.SHORT_NAME, "text": limits.NOTE}

# A review's dates in the order things happen to it: agreed by the sub group; its terms of reference
# set and the review started (either may come first: an SCR is often "initiated" at the decision
# and its terms of reference agreed weeks later, as in the 2016-17 NSCB report); finished; the final
# report sent to the national panel before it is published (Working Together 2018 ch 4 para 42,
# 2023 ch 5: at least 7 working days before publication; WT2015 ch 4 para 18: to the national
# panel on completion); published; and taken down no earlier than it went up. Each date is checked
# against the latest date filled in at an earlier step, so "completed before agreed" is caught when
# the dates between are blank.
ORDERED_STEPS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("agreed_date", "the date agreed"),),
    (("tor_date", "the terms of reference date"), ("initiated_date", "the date initiated")),
    (("completed_date", "the date completed"),),
    (("sent_to_panel_date", "the date sent to the national panel"),),
    (("published_date", "the date published"),),
    (("removal_date", "the removal date"),),
)

# Statuses that say the review is finished, so its completion date must be known.
FINISHED_STATUSES = ("completed", "published", "closed")

REQUIRED = "is required"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def ordered_dates_problems(record: Mapping[str, object]) -> Problems:
    """Each review date that comes before an earlier step's date: "is before the date agreed (…)"."""
    found: Problems = {}
    latest: tuple[str, str] | None = None  # (ISO date, its words): the latest earlier step filled in
    for step in ORDERED_STEPS:
        step_latest = latest
        for column, words in step:
            value = record.get(column)
            if _blank(value):
                continue
            value = str(value)[:10]
            if latest is not None and value < latest[0]:
                found[column] = f"is before {latest[1]} ({format_stored(latest[0])})"
                continue  # a date out of order is not the yardstick for the steps after it
            if step_latest is None or value > step_latest[0]:
                step_latest = (value, words)
        latest = step_latest
    return found


def problems(review: Mapping[str, object]) -> Problems:
    """Everything wrong with a review as it would be stored."""
    found: Problems = {}
    if _blank(review.get("title")):
        found["title"] = REQUIRED
    if _blank(review.get("review_type")):
        found["review_type"] = REQUIRED
    if not _blank(review.get("target_date_override")) and _blank(review.get("target_override_reason")):
        found["target_override_reason"] = "is required when the target is set by hand"
    for column, message in ordered_dates_problems(review).items():
        found.setdefault(column, message)
    status = review.get("status")
    if status in FINISHED_STATUSES and _blank(review.get("completed_date")):
        found.setdefault("completed_date", f"is required when the status is {values.label(values.REVIEW_STATUSES, status)}")
    if status == "published" and _blank(review.get("published_date")):
        found.setdefault("published_date", "is required when the status is Published")
    # The panel can only answer what it was sent.
    response, sent = review.get("panel_response_date"), review.get("sent_to_panel_date")
    if not _blank(response) and not _blank(sent) and str(response) < str(sent):
        found.setdefault("panel_response_date",
                         f"is before the date sent to the national panel ({format_stored(sent)})")
    for column, message in length_problems(review, LIMITS).items():
        found.setdefault(column, message)
    # The planned publication, copies and a decision not to publish hold on every save of a review.
    for column, message in statutory.publication_problems(review).items():
        found.setdefault(column, message)
    return found


def milestone_problems(milestone: Mapping[str, object], *, undated_ok: bool = False) -> Problems:
    """A milestone names its step and has a planned date or the date it was done.

    `undated_ok`: a step added from the methodology's list ("Plan steps…") may wait for its date
    when the methodology gives it no fixed timescale; a person recording a step gives one.
    """
    found: Problems = {}
    if _blank(milestone.get("kind")):
        found["kind"] = REQUIRED
    if not undated_ok and _blank(milestone.get("planned_date")) and _blank(milestone.get("actual_date")):
        found["planned_date"] = "give the planned date, or the date it was done"
    attendance = milestone.get("attendance")
    if not _blank(attendance) and (not isinstance(attendance, int) or attendance < 0):
        found["attendance"] = "must be a whole number, 0 or more"
    found.update({k: v for k, v in length_problems(milestone, MILESTONE_LIMITS).items() if k not in found})
    return found


def delay_problems(delay: Mapping[str, object]) -> Problems:
    """A delay log entry has its date and its reason."""
    found: Problems = {}
    if _blank(delay.get("date")):
        found["date"] = REQUIRED
    if _blank(delay.get("reason")):
        found["reason"] = REQUIRED
    found.update({k: v for k, v in length_problems(delay, DELAY_LIMITS).items() if k not in found})
    return found


def proceeding_problems(proceeding: Mapping[str, object]) -> Problems:
    """A parallel proceeding says which kind it is."""
    found: Problems = {}
    if _blank(proceeding.get("kind")):
        found["kind"] = REQUIRED
    found.update({k: v for k, v in length_problems(proceeding, PROCEEDING_LIMITS).items() if k not in found})
    return found


def recommendation_problems(recommendation: Mapping[str, object]) -> Problems:
    """A recommendation has its text."""
    found: Problems = {}
    if _blank(recommendation.get("text")):
        found["text"] = REQUIRED
    found.update({k: v for k, v in length_problems(recommendation, RECOMMENDATION_LIMITS).items()
                  if k not in found})
    return found


def agency_return_problems(agency_return: Mapping[str, object]) -> Problems:
    """An agency's summary and chronology cannot arrive before it was asked for."""
    received, requested = agency_return.get("received_date"), agency_return.get("requested_date")
    if not _blank(received) and not _blank(requested) and str(received)[:10] < str(requested)[:10]:
        return {"received_date": f"is before the date it was requested ({format_stored(requested)})"}
    return {}
