"""Red / amber / green status, always with the reason a person can read, check and print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from scrdesk.domain.dates import format_date
from scrdesk.domain.timescales import working_days_between
from scrdesk.domain.values import COMPLETE_ACTION_STATUSES

COLOURS = ("red", "amber", "green", "grey", "blue")


@dataclass(frozen=True)
class Rag:
    """`colour` is for painting; `reason` is what is shown and printed beside it."""

    colour: str
    reason: str

    def __post_init__(self) -> None:
        if self.colour not in COLOURS:
            raise ValueError(f"RAG colour must be one of {COLOURS}, not {self.colour!r}")

    @property
    def label(self) -> str:
        return self.colour.capitalize()

    def __str__(self) -> str:
        return self.reason


def _d(value: date | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _working_days(n: int) -> str:
    return f"{n} working day" if n == 1 else f"{n} working days"


def _completed(done: date | bool, due: date | None) -> Rag:
    if not isinstance(done, date):
        return Rag("blue", "Complete")
    when = format_date(done)
    if due is None:
        return Rag("blue", f"Complete: {when}")
    late = (done - due).days
    if late > 0:
        return Rag("blue", f"Complete: {when}, {_days(late)} after the target {format_date(due)}")
    return Rag("blue", f"Complete: {when}, within the target {format_date(due)}")


def rag_for_deadline(
    due: date | None,
    done: date | bool | None,
    today: date,
    amber_working_days: int = 10,
    what: str = "target",
) -> Rag:
    """Red once `due` has passed undone; amber within `amber_working_days`; green before that.

    `done` is the completion date (or True when only the fact is known); `what` names the
    deadline in the reason ("target", "revised target", "target completion").
    """
    due, today = _d(due), _d(today)
    done = _d(done) if isinstance(done, date) else done
    if done:
        return _completed(done, due)
    if due is None:
        return Rag("grey", f"Grey: no {what} date set")
    when = format_date(due)
    overdue = (today - due).days
    if overdue > 0:
        return Rag("red", f"Red: {what} {when} passed {_days(overdue)} ago, not complete")
    if overdue == 0:
        return Rag("amber", f"Amber: due today ({when})")
    left = working_days_between(today, due)
    if left <= amber_working_days:
        if left == 0:  # due on a weekend or bank holiday before the next working day
            return Rag("amber", f"Amber: due before the next working day ({when})")
        return Rag("amber", f"Amber: due in {_working_days(left)} ({when})")
    return Rag("green", f"Green: due {when}, on track")


def rag_for_action(
    status: str | None,
    target_date: date | None,
    revised_target_date: date | None,
    signoff_date: date | None,
    today: date,
    amber_working_days: int = 10,
) -> Rag:
    """An action plan line: the revised target wins; a complete status ends the clock."""
    signoff_date = _d(signoff_date)
    if status in COMPLETE_ACTION_STATUSES:
        on = f" {format_date(signoff_date)}" if signoff_date else ""
        if status == "signed_off":
            return Rag("blue", f"Complete: signed off{on}")
        if status == "complete_evidenced":
            return Rag("blue", f"Complete: evidenced{on}")
        # Done, but the sub group cannot close it until the agency sends its evidence.
        return Rag("green", "Complete: awaiting evidence")
    if revised_target_date is not None:
        rag = rag_for_deadline(revised_target_date, None, today, amber_working_days, "revised target")
        if rag.colour == "red" and target_date is not None:
            rag = Rag("red", f"{rag.reason} (original target {format_date(_d(target_date))})")
    else:
        rag = rag_for_deadline(target_date, None, today, amber_working_days, "target")
    if status != "slipping":
        return rag
    # A person has said it is slipping: never show it greener than amber.
    if rag.colour == "red":
        return Rag("red", f"{rag.reason}; marked slipping")
    detail = rag.reason.split(": ", 1)[1].removesuffix(", on track")
    return Rag("amber", f"Amber: marked slipping; {detail}")


def rag_for_review(
    target_date: date | None,
    completed_date: date | None,
    today: date,
    amber_working_days: int = 20,
) -> Rag:
    return rag_for_deadline(target_date, completed_date, today, amber_working_days, "target completion")
