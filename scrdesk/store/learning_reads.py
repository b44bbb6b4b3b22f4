"""Reads shared by the documents that report on learning (the yearly report, the evidence pack,
the chair's report): each issued briefing with where it went (agencies, newsletter issues, web
pages), and whether a table is in the file (for sections an older build's file lacks).
"""

from __future__ import annotations

from scrdesk.store import channels
from scrdesk.store.db import Store


def has_table(store: Store, name: str) -> bool:
    return bool(store.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [name]))


def _label(number: str) -> str:
    return f"Issue {number}" if str(number).strip().isdigit() else str(number)


def briefing_channels(store: Store, start: str, end: str) -> list[dict]:
    """Briefings issued between `start` and `end` (ISO, inclusive), each with `ref`, `title`,
    `issued_date`, the agencies it was `sent` to, the `feedback` received, the `newsletters` that
    promoted it ({"label", "date"}) and its `website` pages ({"address", "date", "removed"})."""
    rows = store.rows(
        "SELECT b.id, b.title, b.template, b.issued_date, (SELECT group_concat(r.ref, ', ') FROM review_referrals rr "
        " JOIN referrals r ON r.id = rr.referral_id WHERE rr.review_id = b.review_id) AS ref, "
        "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id) AS sent, "
        "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id "
        " AND d.feedback_received_date IS NOT NULL) AS feedback "
        "FROM briefings b WHERE b.issued_date BETWEEN ? AND ? ORDER BY b.issued_date, b.id", [start, end])
    found = channels.channels_by_briefing(store, [r["id"] for r in rows])
    for row in rows:
        row["ref"], row["title"] = row["ref"] or "", row["title"] or ""
        promoted = found.get(row["id"], {"newsletters": [], "website": []})
        row["newsletters"] = [{"label": _label(n["number"]), "date": n["issue_date"]} for n in promoted["newsletters"]]
        row["website"] = [{"address": w["web_address"] or "", "date": w["posted_date"], "removed": w["removed_date"]}
                          for w in promoted["website"]]
    return rows
