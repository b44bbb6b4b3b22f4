"""A child's age as the sub group writes it (`6 wks`, `1 yr 11 mths`, `Various`), kept structured."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from scrdesk.domain.errors import InvalidValue

# Care leavers can be the subject of a review up to 25.
MAX_YEARS = 25
# Beyond these people write the next unit up; a larger number is more likely a slip.
MAX_WEEKS = 104
MAX_MONTHS = 35

FORMS = "write it as e.g. 6 wks, 4 mths, 1 yr 11 mths, 12 yrs or Various"

_UNITS = {
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "mos": "months", "mth": "months", "mths": "months",
    "mnth": "months", "mnths": "months", "month": "months", "months": "months",
    "y": "years", "yr": "years", "yrs": "years", "year": "years", "years": "years",
    "yo": "years", "y/o": "years",
}
_VARIOUS = {"various", "various ages", "multiple", "multiple ages", "multiple children", "varied"}
_SHAPE = re.compile(r"(?:\d+\s*[a-z/]*\s*)+")
_PART = re.compile(r"(\d+)\s*([a-z/]*)")


@dataclass(frozen=True)
class Age:
    """Weeks alone, or years and/or months, or `various` (several children)."""

    years: int | None = None
    months: int | None = None
    weeks: int | None = None
    various: bool = False

    def __post_init__(self) -> None:
        numbers = (self.years, self.months, self.weeks)
        for n in numbers:
            if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
                raise InvalidValue("Age", n, f"must be a whole number of 0 or more; {FORMS}")
        given = [n is not None for n in numbers]
        if self.various and any(given):
            raise InvalidValue("Age", self, f"is either Various or a number, not both; {FORMS}")
        if not self.various and not any(given):
            raise InvalidValue("Age", self, f"has no number; {FORMS}")
        if self.weeks is not None and (self.years is not None or self.months is not None):
            raise InvalidValue("Age", self, f"weeks cannot be mixed with months or years; {FORMS}")
        if self.years is not None and self.years > MAX_YEARS:
            raise InvalidValue(
                "Age", self.years,
                f"{self.years} years is too old for a child (at most {MAX_YEARS}, for care leavers); {FORMS}",
            )
        if self.weeks is not None and self.weeks > MAX_WEEKS:
            raise InvalidValue(
                "Age", self.weeks,
                f"more than {MAX_WEEKS} weeks should be written in months or years; {FORMS}",
            )
        if self.months is not None:
            if self.years is not None and self.months > 11:
                raise InvalidValue(
                    "Age", self.months, f"with years, months must be 0 to 11; {FORMS}"
                )
            if self.months > MAX_MONTHS:
                raise InvalidValue(
                    "Age", self.months,
                    f"more than {MAX_MONTHS} months should be written as years and months; {FORMS}",
                )

    def to_columns(self) -> dict[str, int | bool | None]:
        return {
            "age_years": self.years,
            "age_months": self.months,
            "age_weeks": self.weeks,
            "age_various": self.various,
        }

    @classmethod
    def from_columns(cls, row: Mapping) -> Age | None:
        """Rebuild from the four `age_*` columns; None when the row holds no age."""

        def get(key: str):
            try:
                return row[key]
            except (KeyError, IndexError):  # sqlite3.Row raises IndexError for a missing column
                return None

        years, months, weeks = get("age_years"), get("age_months"), get("age_weeks")
        if get("age_various"):
            return cls(various=True)
        if years is None and months is None and weeks is None:
            return None
        return cls(years=years, months=months, weeks=weeks)

    def __str__(self) -> str:
        return format_age(self)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def format_age(age: Age | None) -> str:
    """As the annual report prints it: `6 wks`, `4 mths`, `1 yr 11 mths`, `12 yrs`, `Various`."""
    if age is None:
        return ""
    if age.various:
        return "Various"
    if age.weeks is not None:
        return _plural(age.weeks, "wk", "wks")
    parts = []
    if age.years is not None:
        parts.append(_plural(age.years, "yr", "yrs"))
    # "1 yr 0 mths" reads as a slip; the report writes "1 yr".
    if age.months is not None and not (age.years is not None and age.months == 0):
        parts.append(_plural(age.months, "mth", "mths"))
    return " ".join(parts)


def parse_age(text: object, field: str = "Age") -> Age | None:
    """Read an age in the forms people write; blank gives None, anything else is InvalidValue."""
    if text is None or isinstance(text, Age):
        return text
    if isinstance(text, bool):
        raise InvalidValue(field, text, f"is not an age; {FORMS}")
    if isinstance(text, int | float):
        # A spreadsheet cell holding 12 means 12 years, as a bare "12" does.
        if isinstance(text, float) and not text.is_integer():
            raise InvalidValue(field, text, f"is not a whole number; {FORMS}")
        return _checked(field, text, years=int(text))
    if not isinstance(text, str):
        raise InvalidValue(field, text, f"is not an age; {FORMS}")
    s = " ".join(text.lower().split())
    if not s:
        return None
    if s in _VARIOUS:
        return Age(various=True)
    s = re.sub(r"^aged?\s+", "", s)
    s = re.sub(r"\s+old$", "", s)
    s = s.replace(",", " ").replace(" and ", " ").strip()
    if not _SHAPE.fullmatch(s):
        raise InvalidValue(field, text, f"is not an age; {FORMS}")
    parts = _PART.findall(s)
    if len(parts) == 1 and parts[0][1] == "":
        return _checked(field, text, years=int(parts[0][0]))
    found: dict[str, int] = {}
    for number, unit_text in parts:
        unit = _UNITS.get(unit_text)
        if unit is None:
            raise InvalidValue(field, text, f"is not an age; {FORMS}")
        if unit in found:
            raise InvalidValue(field, text, f"gives {unit} twice; {FORMS}")
        found[unit] = int(number)
    if list(found) == ["months", "years"]:
        raise InvalidValue(field, text, f"should give years before months; {FORMS}")
    if "years" in found and found.get("months") == 0:
        del found["months"]
    return _checked(field, text, **found)


def _checked(field: str, text: object, **numbers: int) -> Age:
    try:
        return Age(**numbers)
    except InvalidValue as exc:
        raise InvalidValue(field, text, exc.message) from None
