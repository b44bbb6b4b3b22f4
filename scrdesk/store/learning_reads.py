"""Reads of the learning records (where briefings were published and promoted, publications,
recommendations' impact, themes) shaped for the yearly report, the evidence pack and the themes
report. Each read works on a file without those records (an older file, or a build without them):
it returns what the file holds and says nothing it does not know.
"""

from __future__ import annotations

import json

from scrdesk.store.db import Store


def has_table(store: Store, name: str) -> bool:
    return bool(store.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [name]))


_REF = ("(SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r "
        "ON r.id = rr.referral_id WHERE rr.review_id = {review})")


def _label(number: str) -> str:
    return f"Issue {number}" if str(number).strip().isdigit() else str(number)


def briefing_channels(store: Store, start: str, end: str) -> list[dict]:
    """Briefings issued between `start` and `end` (ISO), each with the agencies sent to, the
    feedback received, the newsletter issues that promoted it and its web pages."""
    rows = store.rows(
        f"SELECT b.id, b.title, b.template, b.issued_date, {_REF.format(review='b.review_id')} AS ref, "
        "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id) AS sent, "
        "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id "
        " AND d.feedback_received_date IS NOT NULL) AS feedback "
        "FROM briefings b WHERE b.issued_date BETWEEN ? AND ? ORDER BY b.issued_date, b.id", [start, end])
    newsletters: dict[int, list[dict]] = {}
    website: dict[int, list[dict]] = {}
    ids = [r["id"] for r in rows]
    marks = ", ".join("?" for _ in ids)
    if ids and has_table(store, "newsletter_items"):
        for n in store.rows("SELECT i.briefing_id, n.number, n.issue_date, n.web_address FROM newsletter_items i "
                            "JOIN newsletter_issues n ON n.id = i.issue_id "
                            f"WHERE i.briefing_id IN ({marks}) ORDER BY n.issue_date, n.id", ids):
            newsletters.setdefault(n["briefing_id"], []).append(
                {"label": _label(n["number"]), "date": n["issue_date"], "address": n["web_address"] or ""})
    if ids and has_table(store, "briefing_web_posts"):
        for w in store.rows("SELECT briefing_id, web_address, posted_date, removed_date FROM briefing_web_posts "
                            f"WHERE briefing_id IN ({marks}) ORDER BY posted_date, id", ids):
            website.setdefault(w["briefing_id"], []).append(
                {"address": w["web_address"] or "", "date": w["posted_date"], "removed": w["removed_date"]})
    for row in rows:
        row["ref"] = row["ref"] or ""
        row["title"] = row["title"] or ""
        row["newsletters"] = newsletters.get(row["id"], [])
        row["website"] = website.get(row["id"], [])
    return rows


def publications(store: Store, start: str, end: str) -> list[dict]:
    """Reviews published between `start` and `end`, with the web address and how the media were
    handled where the publication is recorded."""
    kept = has_table(store, "publications")
    extra = ("p.web_address, p.media_approach, p.notes" if kept else "NULL AS web_address, NULL AS media_approach, "
             "NULL AS notes")
    join = "LEFT JOIN publications p ON p.review_id = v.id " if kept else ""
    rows = store.rows(
        f"SELECT v.id, v.title, v.review_type, v.published_date, {_REF.format(review='v.id')} AS ref, {extra} "
        f"FROM reviews v {join}WHERE v.published_date BETWEEN ? AND ? ORDER BY v.published_date, v.id", [start, end])
    for row in rows:
        row["ref"] = row["ref"] or row["title"]
        row["web_address"] = row["web_address"] or ""
        row["notes"] = "; ".join(t for t in (row.pop("media_approach"), row["notes"]) if t)
    return rows


def _methods(text: str | None) -> str:
    """Assurance methods as words, whether kept as a JSON list or as typed."""
    if not text:
        return ""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    return str(value)


def impact_rows(store: Store, start: str | None = None, end: str | None = None) -> list[dict]:
    """Recommendations with an impact record: acceptance, assurance, impact statement and closure;
    with a period, those closed in it or still open."""
    if not has_table(store, "recommendation_impact"):
        return []
    where, params = "", []
    if start and end:
        where = "WHERE i.closed_date IS NULL OR i.closed_date BETWEEN ? AND ? "
        params = [start, end]
    rows = store.rows(
        f"SELECT c.id, c.number, c.text AS recommendation, {_REF.format(review='c.review_id')} AS ref, "
        "i.acceptance, i.acceptance_reason, i.intended_outcome, i.assurance_methods, i.assurance_plan, "
        "i.impact_statement, i.closure_basis, i.closed_date "
        "FROM recommendation_impact i JOIN recommendations c ON c.id = i.recommendation_id "
        f"{where}ORDER BY ref, c.number, c.id", params)
    for row in rows:
        row["ref"] = row["ref"] or ""
        row["assurance"] = "; ".join(t for t in (_methods(row["assurance_methods"]), row["assurance_plan"]) if t)
    return rows


def theme_tags(store: Store) -> list[dict] | None:
    """[{"code", "label", "review_id"}] for every theme tagged on a review, or on a recommendation
    or briefing of one; None when the file keeps no theme tags."""
    if not has_table(store, "theme_tags"):
        return None
    rows = store.rows(
        "SELECT t.code, t.label, COALESCE(g.review_id, c.review_id, b.review_id) AS review_id "
        "FROM theme_tags g JOIN themes t ON t.id = g.theme_id "
        "LEFT JOIN recommendations c ON c.id = g.recommendation_id "
        "LEFT JOIN briefings b ON b.id = g.briefing_id ORDER BY t.position, t.id")
    return rows or None
