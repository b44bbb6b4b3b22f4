"""Rules for a partner agency, in the words the Settings dialog's agency form shows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from scrdesk.domain import limits, values
from scrdesk.domain.limits import length_problems
from scrdesk.domain.rules import Problems

REQUIRED = "is required"
LIMITS = {"name": limits.NAME, "short_name": limits.SHORT_NAME, "lead_name": limits.NAME,
          "lead_email": limits.NAME}

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
EMAIL_MESSAGE = "is not an email address, e.g. name@agency.gov.uk"
NAME_TAKEN = "is already used by another agency"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def email_problem(value: object) -> str | None:
    """The message for a lead contact's email that is not one; None when it is (or is blank)."""
    if _blank(value) or EMAIL.fullmatch(str(value).strip()):
        return None
    return EMAIL_MESSAGE


def problems(agency: Mapping[str, object], other_names: Iterable[str] = ()) -> Problems:
    """Everything wrong with an agency; `other_names` are the other agencies' names (a name is
    unique in the file, whatever its capitals)."""
    found: Problems = {}
    name = agency.get("name")
    if _blank(name):
        found["name"] = REQUIRED
    elif str(name).strip().casefold() in {n.strip().casefold() for n in other_names}:
        found["name"] = NAME_TAKEN
    kind = agency.get("type")
    if _blank(kind):
        found["type"] = REQUIRED
    elif kind not in values.AGENCY_TYPES:
        found["type"] = f"is not a type of agency ({', '.join(values.AGENCY_TYPES.values())})"
    if message := email_problem(agency.get("lead_email")):
        found["lead_email"] = message
    for column, message in length_problems(agency, LIMITS).items():
        found.setdefault(column, message)
    return found
