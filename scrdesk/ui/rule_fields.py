"""A record's broken rules (`{column: message}` from `scrdesk.domain.rules`) shown beside the
fields of a dialog, so the dialog and the store refuse in the same words."""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.rules import RuleBroken
from scrdesk.ui.forms import Field

REQUIRED = "is required"


def rule_errors(problems: Mapping[str, str], fields: Mapping[str, Field]) -> dict[Field, str]:
    """{field: message} for a dialog's `cross_check`, from the rules' {column: message}.

    A required field already says "is required" itself once the person has been there; saying
    it again here would flag every blank required field of a new record before anything is typed.
    """
    return {fields[column]: message for column, message in problems.items()
            if column in fields and not (message == REQUIRED and fields[column].required)}


def as_invalid(refusal: RuleBroken, fields: Mapping[str, Field]) -> InvalidValue | RuleBroken:
    """A store's refusal as the `InvalidValue` a RecordDialog shows beside the field (the first
    broken rule whose field is on the form); the refusal itself when none is."""
    for column, message in refusal.problems.items():
        field = fields.get(column)
        if field is not None:
            return InvalidValue(field.label, None, message)
    return refusal
