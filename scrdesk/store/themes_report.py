"""The themes report's data: which learning themes recur across reviews, in which reviews and
reporting years, and how many actions are still open under each.

Themes come from the theme tags on reviews, recommendations and briefings where the file holds
them (`learning_reads.theme_tags`), else from each briefing's "learning themes" text (one theme
per `;`-separated phrase), so an older file still gets a report.
"""

from __future__ import annotations

from collections import defaultdict

from scrdesk.domain import values
from scrdesk.domain.dates import reporting_year_label
from scrdesk.store import learning_reads
from scrdesk.store.db import Store

_COMPLETE = "(" + ", ".join(f"'{s}'" for s in sorted(values.COMPLETE_ACTION_STATUSES)) + ")"


def _briefing_theme_tags(store: Store) -> list[dict]:
    """(theme, label, review_id) from the briefings' learning-themes text."""
    tags = []
    for row in store.rows("SELECT review_id, learning_themes FROM briefings WHERE learning_themes IS NOT NULL"):
        for phrase in str(row["learning_themes"]).replace("\n", ";").split(";"):
            label = " ".join(phrase.split())
            if label:
                tags.append({"code": label.casefold(), "label": label[0].upper() + label[1:],
                             "review_id": row["review_id"]})
    return tags


def themes_report_data(store: Store) -> dict:
    """Every theme found, most reviews first: its reviews (ref, title, year), the years, open actions."""
    settings = store.settings()
    tags = learning_reads.theme_tags(store)
    source = "tags"
    if tags is None:
        tags, source = _briefing_theme_tags(store), "briefings"
    reviews = {r["id"]: r for r in store.rows(
        "SELECT v.id, v.title, v.review_type, COALESCE(v.agreed_date, v.initiated_date, v.completed_date) AS day, "
        "(SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
        " WHERE rr.review_id = v.id) AS ref, "
        f"(SELECT count(*) FROM actions a WHERE a.review_id = v.id AND a.status NOT IN {_COMPLETE}) AS open_actions "
        "FROM reviews v")}
    labels: dict[str, str] = {}
    by_theme: dict[str, set[int]] = defaultdict(set)
    for tag in tags:
        if tag["review_id"] in reviews:
            labels.setdefault(tag["code"], tag["label"])
            by_theme[tag["code"]].add(tag["review_id"])

    def year_of(day: str | None) -> str:
        if not day:
            return ""
        y, m, d = (int(p) for p in day[:10].split("-"))
        start_year = y if (m, d) >= (settings.year_start_month, settings.year_start_day) else y - 1
        return reporting_year_label(start_year, settings.year_start_month, settings.year_start_day)

    themes = []
    for code, ids in by_theme.items():
        rows = sorted((reviews[i] for i in ids), key=lambda r: (r["day"] or "", r["id"]))
        themed = [{"ref": r["ref"] or r["title"], "title": r["title"], "year": year_of(r["day"]),
                   "type": r["review_type"], "open_actions": r["open_actions"]} for r in rows]
        themes.append({
            "code": code, "label": labels[code], "review_count": len(themed), "reviews": themed,
            "years": sorted({t["year"] for t in themed if t["year"]}),
            "open_actions": sum(t["open_actions"] for t in themed),
        })
    themes.sort(key=lambda t: (-t["review_count"], t["label"].casefold()))
    return {
        "board_name": settings.board_name,
        "as_at": settings.today().isoformat(),
        "source": source,
        "themes": themes,
        "recurring": [t for t in themes if t["review_count"] >= 2],
    }
