"""Reviews: reads and writes of a review and what hangs off it (linked referrals, milestones,
delays, parallel proceedings, recommendations). Every write is one transaction and checks the
review rules in `scrdesk.domain.rules.reviews` first."""

from __future__ import annotations

from scrdesk.store.db import Store


def review_choices(store: Store) -> list[dict]:
    """`id` and `title` of every review, by title: what a "Review" choice offers."""
    return store.rows("SELECT id, title FROM reviews ORDER BY title, id")


def review_count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM reviews"))
