"""Typed errors shared by every layer. A user's mistake is an InvalidValue, never a traceback."""

from __future__ import annotations


class ScrdeskError(Exception):
    """Base of every error scrdesk reports to a person in one clear line."""


class InvalidValue(ScrdeskError):
    """A value a person typed or imported is not acceptable.

    `field` names the field as the person sees it; `row` is the 1-based spreadsheet row for imports.
    """

    def __init__(self, field: str, value: object, message: str, row: int | None = None):
        self.field = field
        self.value = value
        self.message = message
        self.row = row
        super().__init__(self.describe())

    def describe(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        shown = "" if self.value in (None, "") else f" ({self.value!r})"
        return f"{where}{self.field}{shown}: {self.message}"

    def at_row(self, row: int) -> InvalidValue:
        return InvalidValue(self.field, self.value, self.message, row)
