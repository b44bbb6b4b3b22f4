"""Rules for the yearly report's narrative: which sections there are, and how long each may be.

The sections follow the reference report's shape (an SCR sub group's annual report: introduction,
governance, progress, outcomes, challenges, next steps), split where the figures differ.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain.limits import NOTE, length_problems
from scrdesk.domain.rules import Problems

#: (key, heading) in the order the report prints them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("introduction", "Introduction and context"),
    ("governance", "Membership and governance"),
    ("referrals", "Referrals and decisions"),
    ("reviews", "Reviews: new, underway, completed and published"),
    ("case_mapping", "Case mapping and other reviews"),
    ("learning", "Learning and dissemination"),
    ("training", "Training and events"),
    ("actions", "The action plan and impact"),
    ("challenges", "Challenges"),
    ("priorities", "Priorities for next year"),
)
SECTION_TITLES = dict(SECTIONS)
LIMITS = {key: NOTE for key, _ in SECTIONS}


def problems(texts: Mapping[str, object]) -> Problems:
    """`{section: message}` for an unknown section or a text longer than a note may be."""
    found: Problems = {key: "is not a section of the yearly report" for key in texts if key not in SECTION_TITLES}
    found.update(length_problems(texts, LIMITS))
    return found
