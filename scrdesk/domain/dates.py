"""Dates as people in an English business office write them (day first), and reporting years."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from scrdesk.domain.errors import InvalidValue

# Fixed English names: strftime("%b") follows the OS locale, and a Welsh or Polish locale on
# the council laptop must not change what a printed paper says.
MONTH_ABBRS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

_MONTHS_BY_NAME: dict[str, int] = {}
for _number, (_abbr, _name) in enumerate(zip(MONTH_ABBRS, MONTH_NAMES, strict=True), start=1):
    _MONTHS_BY_NAME[_abbr.lower()] = _number
    _MONTHS_BY_NAME[_name.lower()] = _number
_MONTHS_BY_NAME["sept"] = 9

# Years outside this range are typing slips (0217, 2917), not dates of a case.
MIN_YEAR = 1900
MAX_YEAR = 2100

HINT = "use dd/mm/yyyy, e.g. 31/03/2017"

# One separator used throughout: "5/3-2017" is more likely a slip than a date.
_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
# ISO, optionally with the midnight time a spreadsheet or CSV export appends.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
# "5 Feb 2017", "5th February 2017", "5 th February 2017" (as the 2016-17 report prints it).
_WORDS = re.compile(r"(\d{1,2})\s*(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4}|\d{2})")


def _expand_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Same pivot as strptime's %y, so a spreadsheet and scrdesk read "68" and "69" alike.
        year += 2000 if year < 69 else 1900
    return year


def _build(value: object, field: str, day: int, month: int, year: int) -> date:
    if not 1 <= month <= 12:
        extra = " (dates are day first)" if 1 <= day <= 12 else ""
        raise InvalidValue(field, value, f"is not a real date: there is no month {month}{extra}; {HINT}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValue(field, value, f"is not a real date: the year {year} is out of range; {HINT}")
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(
            field, value,
            f"is not a real date: {MONTH_NAMES[month - 1]} {year} has no day {day}; {HINT}",
        ) from None


def parse_date(value: object, field: str = "Date") -> date | None:
    """Read a date typed by a person or found in a spreadsheet cell; blank gives None."""
    if value is None:
        return None
    if isinstance(value, datetime):  # before `date`: datetime is a subclass of date
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidValue(field, value, f"is not a date; {HINT}")
    text = " ".join(value.split())
    if not text:
        return None
    lowered = text.lower()
    if m := _NUMERIC.fullmatch(lowered):
        return _build(value, field, int(m.group(1)), int(m.group(3)), _expand_year(m.group(4)))
    if m := _ISO.fullmatch(lowered):
        return _build(value, field, int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := _WORDS.fullmatch(lowered):
        month = _MONTHS_BY_NAME.get(m.group(2))
        if month is not None:
            return _build(value, field, int(m.group(1)), month, _expand_year(m.group(3)))
    raise InvalidValue(field, value, f"is not a date; {HINT}")


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def format_date(d: date | None) -> str:
    """`31 Mar 2017`; the empty string for no date."""
    if d is None:
        return ""
    d = _as_date(d)
    return f"{d.day} {MONTH_ABBRS[d.month - 1]} {d.year}"


def iso(d: date | None) -> str | None:
    return None if d is None else _as_date(d).isoformat()


def _start(year: int, start_month: int, start_day: int) -> date:
    try:
        return date(year, start_month, start_day)
    except ValueError:
        raise InvalidValue(
            "Reporting year start", f"{start_day}/{start_month}",
            "is not a day that exists every year; use e.g. 1 April",
        ) from None


def reporting_year(d: date, start_month: int = 4, start_day: int = 1) -> int:
    """The calendar year in which the reporting year holding `d` starts (31 Mar 2017 -> 2016)."""
    d = _as_date(d)
    _start(d.year, start_month, start_day)  # validates the setting
    return d.year if (d.month, d.day) >= (start_month, start_day) else d.year - 1


def reporting_period(year: int, start_month: int = 4, start_day: int = 1) -> tuple[date, date]:
    """First and last day (both inclusive) of the reporting year starting in `year`."""
    return (
        _start(year, start_month, start_day),
        _start(year + 1, start_month, start_day) - timedelta(days=1),
    )


def reporting_year_label(year: int, start_month: int = 4, start_day: int = 1) -> str:
    """`2016-17`; a reporting year that is the calendar year is just `2016`."""
    if (start_month, start_day) == (1, 1):
        return str(year)
    return f"{year}-{(year + 1) % 100:02d}"


def from_iso(value: date | str | None) -> date | None:
    """A stored ISO date (or a date already) as a date; blank as None."""
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def format_stored(value: date | str | None) -> str:
    """A stored ISO date as people read it ("5 Feb 2017"); blank as ""."""
    return format_date(from_iso(value))


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 action', '3 actions' ('1 day', '2 days'; `many` for irregular words)."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"
