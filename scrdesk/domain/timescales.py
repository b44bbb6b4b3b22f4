"""Statutory clocks: working days (England and Wales bank holidays), months, and timescale rules.

Counting convention, used throughout: a clock starts the day *after* its trigger.
`add_working_days(d, 5)` is the fifth working day after `d` (a Friday trigger with no holidays
gives the next Friday), whatever kind of day `d` itself is. `add_working_days(d, 0)` is `d`.
`working_days_between(a, b)` counts the working days a clock started on `a` has used by `b`, so
that `working_days_between(d, add_working_days(d, n)) == n` for every `d` and `n`.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.resources import resource_path

UNITS = ("working_days", "days", "months")
UNIT_LABELS = {"working_days": "working days", "days": "days", "months": "months"}

# The dates a rule's clock can start from, named as the record columns that hold them.
TRIGGERS = {
    "incident_date": "Incident date",
    "la_aware_date": "Date LA became aware",
    "received_date": "Date referral received",
    "sin_submitted_date": "Serious incident notification submitted",
    "decision_date": "Decision date",
    "agreed_date": "Review agreed",
    "tor_date": "Terms of reference agreed",
    "initiated_date": "Review initiated",
    "planned_publication_date": "Planned publication date",
    "completed_date": "Review completed",
    "sent_to_panel_date": "Sent to national panel",
    "published_date": "Published",
    "sent_date": "Briefing sent",
    "last_monitored_date": "Last monitored",
}

# England and Wales share their bank holidays; "ENG" is the subdivision the package names.
_COUNTRY = "GB"
_SUBDIV = "ENG"


#: Years held in resources/bank_holidays.json; years outside it ask the package itself.
BANK_HOLIDAY_YEARS = (1990, 2060)


def package_bank_holidays(year: int) -> dict[date, str]:
    """The `holidays` package's England and Wales bank holidays of `year`, with names."""
    # Imported here, not at the top: the package loads every country it knows (0.15-0.5 s,
    # ~17 MB), which start-up should not pay; the bundled file answers for the usual years.
    import holidays

    found = holidays.country_holidays(_COUNTRY, subdiv=_SUBDIV, years=year)
    return {d: name for d, name in sorted(found.items()) if d.year == year}


@cache
def _bundled_bank_holidays() -> dict[int, dict[date, str]]:
    data = json.loads(resource_path("bank_holidays.json").read_text(encoding="utf-8"))
    by_year: dict[int, dict[date, str]] = {year: {} for year in range(data["years"][0], data["years"][1] + 1)}
    for text, name in data["holidays"].items():
        day = date.fromisoformat(text)
        by_year[day.year][day] = name
    return by_year


def bank_holidays(year: int) -> dict[date, str]:
    """Every England and Wales bank holiday of `year` with its name, for display."""
    bundled = _bundled_bank_holidays()
    return dict(bundled[year]) if year in bundled else package_bank_holidays(year)


@cache
def _holidays_in(year: int) -> tuple[date, ...]:
    """Bank holidays of `year` that fall on a weekday (those on a weekend change nothing)."""
    return tuple(sorted(d for d in bank_holidays(year) if d.weekday() < 5))


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def is_bank_holiday(d: date) -> bool:
    d = _as_date(d)
    return d in _holidays_in(d.year)


def is_working_day(d: date) -> bool:
    d = _as_date(d)
    return d.weekday() < 5 and d not in _holidays_in(d.year)


def add_working_days(d: date, n: int) -> date:
    """The `n`th working day after `d` (before it when `n` is negative); `d` itself for 0."""
    d = _as_date(d)
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        d += step
        if is_working_day(d):
            remaining -= 1
    return d


def _weekdays_through(d: date) -> int:
    """Weekdays from a fixed Monday up to and including `d` (a prefix count, so ranges subtract)."""
    days = d.toordinal() - 1  # ordinal 1 (1 Jan 0001) is a Monday
    weeks, rest = divmod(days, 7)
    return weeks * 5 + min(rest + 1, 5)


def _holidays_through(d: date, since: date) -> int:
    """Weekday bank holidays in (since, d]."""
    count = 0
    for year in range(since.year, d.year + 1):
        days = _holidays_in(year)
        lo = bisect.bisect_right(days, since) if year == since.year else 0
        hi = bisect.bisect_right(days, d) if year == d.year else len(days)
        count += max(hi - lo, 0)
    return count


def _working_days_in(after: date, through: date) -> int:
    """Working days in (after, through]; 0 when the range is empty."""
    if through <= after:
        return 0
    weekdays = _weekdays_through(through) - _weekdays_through(after)
    return weekdays - _holidays_through(through, after)


def working_days_between(a: date, b: date) -> int:
    """Working days after `a` up to and including `b`.

    When `b` is before `a` the answer is negative: minus the working days from `b` (included)
    up to `a` (excluded) — the mirror image, so it inverts `add_working_days` both ways.
    """
    a, b = _as_date(a), _as_date(b)
    if b >= a:
        return _working_days_in(a, b)
    return -_working_days_in(b - timedelta(days=1), a - timedelta(days=1))


def add_months(d: date, n: int) -> date:
    """Same day `n` months on; a day the month lacks becomes its last (31 Jan + 1 -> 28/29 Feb)."""
    d = _as_date(d)
    months = d.year * 12 + (d.month - 1) + n
    year, month = divmod(months, 12)
    month += 1
    return date(year, month, min(d.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    # Not calendar.monthrange: the calendar module loads locale, at every start of the window.
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - timedelta(days=1)).day


def add_offset(d: date, offset: int, unit: str) -> date:
    d = _as_date(d)
    if unit == "working_days":
        return add_working_days(d, offset)
    if unit == "days":
        return d + timedelta(days=offset)
    if unit == "months":
        return add_months(d, offset)
    raise InvalidValue("Timescale unit", unit, f"must be one of: {', '.join(UNITS)}")


#: The clocks a rule can run, as `export clocks` and the dashboard name them.
CLOCKS = (
    "NOTIFICATION", "RAPID_REVIEW", "DECISION", "PANEL_TOLD", "SCR_INITIATED_TOLD",
    "REVIEW_TARGET", "LCSPR_COMPLETION", "PRE_PUBLICATION",
)
#: Which record a clock runs on.
RECORDS = ("referral", "review")
#: Conditions a rule may put on its record (worked out in domain/clocks.py).
CONDITIONS = ("notifiable", "notified", "notified_not_scr", "not_withdrawn", "publishing")


@dataclass(frozen=True)
class Rule:
    """A timescale: `offset` `unit`s after (negative: before) the date named by `trigger`.

    A rule that runs a clock also says which (`clock`), on which record (`record`), for which
    review types (`applies_to`, empty for all), under which condition (`only_if`), which columns
    stop it (`done`, first filled wins), which columns start it when `trigger` is blank
    (`fallback`), where it comes from (`source`) and how many working days ahead it turns amber
    (`warn`). `local` marks the partnership's own target: its offset comes from the settings.
    """

    key: str
    label: str
    trigger: str
    offset: int
    unit: str
    note: str = ""
    clock: str = ""
    record: str = ""
    applies_to: tuple[str, ...] = ()
    only_if: str = ""
    done: tuple[str, ...] = ()
    fallback: tuple[str, ...] = ()
    source: str = ""
    warn: int | None = None
    local: bool = False

    def __post_init__(self) -> None:
        if self.clock and self.clock not in CLOCKS:
            raise InvalidValue("Timescale clock", self.clock, f"must be one of: {', '.join(CLOCKS)}")
        if self.clock and self.record not in RECORDS:
            raise InvalidValue("Timescale record", self.record, f"must be one of: {', '.join(RECORDS)}")
        if self.only_if and self.only_if not in CONDITIONS:
            raise InvalidValue("Timescale only_if", self.only_if, f"must be one of: {', '.join(CONDITIONS)}")
        for column in self.fallback:
            if column not in TRIGGERS:
                raise InvalidValue("Timescale fallback", column, f"must be one of: {', '.join(TRIGGERS)}")
        if self.warn is not None and (isinstance(self.warn, bool) or not isinstance(self.warn, int) or self.warn < 0):
            raise InvalidValue("Timescale warn", self.warn, "must be a whole number of working days, 0 or more")
        if self.unit not in UNITS:
            raise InvalidValue("Timescale unit", self.unit, f"must be one of: {', '.join(UNITS)}")
        if isinstance(self.offset, bool) or not isinstance(self.offset, int):
            raise InvalidValue("Timescale offset", self.offset, "must be a whole number")
        if self.trigger not in TRIGGERS:
            raise InvalidValue("Timescale trigger", self.trigger, f"must be one of: {', '.join(TRIGGERS)}")

    def describe(self) -> str:
        """`+5 working days`, `-7 working days`, `+1 month`."""
        unit = UNIT_LABELS[self.unit]
        if abs(self.offset) == 1:
            unit = unit.rstrip("s")
        return f"{self.offset:+d} {unit}"


def due_date(rule: Rule, trigger_date: date | None) -> date | None:
    if trigger_date is None:
        return None
    return add_offset(trigger_date, rule.offset, rule.unit)


# Local settings rather than statutory rules: the defaults a new data file starts with.
LOCAL_RULES: dict[str, Rule] = {
    "action_monitoring_cadence": Rule(
        "action_monitoring_cadence", "Action plan monitored", "last_monitored_date", 14, "days",
        "Local setting",
    ),
    "dissemination_feedback_after_sent": Rule(
        "dissemination_feedback_after_sent", "Dissemination feedback due", "sent_date", 28, "days",
        "Local setting",
    ),
}
