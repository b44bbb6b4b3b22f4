"""What File → Export… offers to choose from: the briefings and the reviews, each named by the
refs of its cases (the window shows refs, never a child's name)."""

from __future__ import annotations

from scrdesk.store.db import Store

_REFS_OF_REVIEW = ("(SELECT group_concat(r.ref, ', ') FROM review_referrals rr "
                   "JOIN referrals r ON r.id = rr.referral_id WHERE rr.review_id = rv.id)")


def briefing_choices(store: Store) -> list[dict]:
    """`id`, `status`, `version`, `template`, `title` (of the review) and `refs` of every
    briefing, by refs then newest version first."""
    return store.rows(
        f"SELECT b.id, b.status, b.version, b.template, rv.title, {_REFS_OF_REVIEW} AS refs "
        "FROM briefings b JOIN reviews rv ON rv.id = b.review_id ORDER BY refs, b.version DESC")


def timeline_review_choices(store: Store) -> list[dict]:
    """`id`, `title` and `refs` of every review, by refs then title."""
    return store.rows(f"SELECT rv.id, rv.title, {_REFS_OF_REVIEW} AS refs FROM reviews rv "
                      "ORDER BY refs, rv.title")
