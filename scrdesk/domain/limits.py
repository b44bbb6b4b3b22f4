"""How long a typed value may be: one table of limits for the window, the importer and `check`.

The window's fields take their `max_length` from here, and each record's rules
(`scrdesk.domain.rules.<entity>.LIMITS`) check the same numbers, so an import cannot store what the
window would refuse. Every document wraps or splits text up to these lengths.
"""

from __future__ import annotations

from collections.abc import Mapping

SHORT_NAME = 40        # an agency's short name, a board's short name
NAME = 200             # a person's or an agency's name, an email address, "escalated to"
TITLE = 300            # a review, briefing or event title
LINE = 500             # any other one-line text (summary, location, reference)
REASON = 1_000         # a reason or short note given with a change
NOTE = 20_000          # free text in a box: rationale, notes, briefing sections, updates


def length_problems(record: Mapping[str, object], limits: Mapping[str, int]) -> dict[str, str]:
    """`{column: message}` for every text in `record` longer than its limit in `limits`."""
    found = {}
    for column, limit in limits.items():
        value = record.get(column)
        if isinstance(value, str) and len(value.strip()) > limit:
            found[column] = f"is too long ({len(value.strip()):,} characters; at most {limit:,})"
    return found
