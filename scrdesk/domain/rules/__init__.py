"""Rules for whole records: pure functions `record -> {field: message}`.

One module per kind of record (`referrals`, `reviews`, `actions`, `briefings`, `events`, …). Each
`problems(record, …)` takes the record as it would be stored (a mapping of column -> value, ISO
dates as text) and returns the broken rules keyed by *column name*, each message in the words the
window shows beside the field. An empty dict means the record may be written.

The store's write functions (`scrdesk/store/<entity>.py`) call these before every create and
update and raise `RuleBroken`; the window, the importer, the command line and `check` all reach
the rules through the store, so one broken record gets the same words on every path.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain.errors import ScrdeskError

Problems = dict[str, str]


class RuleBroken(ScrdeskError):
    """A record breaks one or more rules; `problems` maps column -> message."""

    def __init__(self, what: str, problems: Mapping[str, str], labels: Mapping[str, str] | None = None):
        self.what = what
        self.problems = dict(problems)
        self.labels = dict(labels or {})
        super().__init__(self.describe())

    def describe(self) -> str:
        parts = [f"{self.labels.get(column, column.replace('_', ' '))}: {message}"
                 for column, message in self.problems.items()]
        return f"{self.what} cannot be saved. " + "; ".join(parts)


def require(problems: Problems, what: str, labels: Mapping[str, str] | None = None) -> None:
    """Raise `RuleBroken` when `problems` is not empty."""
    if problems:
        raise RuleBroken(what, problems, labels)


def date_order(record: Mapping[str, object], pairs: tuple[tuple[str, str, str], ...]) -> Problems:
    """`(earlier, later, message)` pairs: the later column may not hold a date before the earlier.

    ISO dates compare as text; a blank on either side is not a problem here.
    """
    found: Problems = {}
    for earlier, later, message in pairs:
        a, b = record.get(earlier), record.get(later)
        if a and b and str(b) < str(a) and later not in found:
            found[later] = message
    return found
