"""The themes report's data: which learning themes recur across reviews, in which reviews and
reporting years, and how many actions are still open under each.

Themes come from the tags on reviews, recommendations and briefings (`store.themes.theme_usage`).
A file where nothing is tagged falls back on each briefing's "learning themes" text (one theme per
`;`-separated phrase, as offices typed them before themes were data), so it still gets a report.
"""

from __future__ import annotations

from collections import defaultdict

from scrdesk.domain import values
from scrdesk.domain.dates import from_iso, reporting_year, reporting_year_label
from scrdesk.store import themes
from scrdesk.store.db import Store

_COMPLETE = "(" + ", ".join(f"'{s}'" for s in sorted(values.COMPLETE_ACTION_STATUSES)) + ")"


def _reviews(store: Store) -> dict[int, dict]:
    return {r["id"]: r for r in store.rows(
        "SELECT v.id, v.title, COALESCE(v.agreed_date, v.initiated_date) AS agreed, "
        "(SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
        " WHERE rr.review_id = v.id) AS ref, "
        f"(SELECT count(*) FROM actions a WHERE a.review_id = v.id AND a.status NOT IN {_COMPLETE}) AS open_actions "
        "FROM reviews v")}


def _from_briefing_text(store: Store, reviews: dict[int, dict], year_of) -> list[dict]:
    labels: dict[str, str] = {}
    found: dict[str, set[int]] = defaultdict(set)
    for row in store.rows("SELECT review_id, learning_themes FROM briefings WHERE learning_themes IS NOT NULL"):
        for phrase in str(row["learning_themes"]).replace("\n", ";").split(";"):
            label = " ".join(phrase.split())
            if label and row["review_id"] in reviews:
                labels.setdefault(label.casefold(), label[0].upper() + label[1:])
                found[label.casefold()].add(row["review_id"])
    out = []
    for code, ids in found.items():
        years = sorted({y for y in (year_of(reviews[i]["agreed"]) for i in ids) if y is not None})
        out.append({"code": code, "label": labels[code], "reviews": [{"id": i} for i in ids], "years": years,
                    "recommendations": 0, "briefings": len(ids),
                    "open_actions": sum(reviews[i]["open_actions"] for i in ids)})
    return out


def themes_report_data(store: Store) -> dict:
    """Every theme found, most reviews first: `label`, `review_count`, its `reviews` (ref, title,
    year, open actions of the review), `years` (labels), `open_actions` under the theme, and how
    many `recommendations` and `briefings` carry it; `recurring` are those in two or more reviews."""
    settings = store.settings()
    month, day = settings.year_start_month, settings.year_start_day
    reviews = _reviews(store)

    def year_of(agreed: str | None) -> int | None:
        return reporting_year(from_iso(agreed), month, day) if agreed else None

    usage, source = themes.theme_usage(store), "tags"
    if not usage:
        usage, source = _from_briefing_text(store, reviews, year_of), "briefings"
    out = []
    for theme in usage:
        rows = sorted((reviews[r["id"]] for r in theme["reviews"] if r["id"] in reviews),
                      key=lambda r: (r["agreed"] or "", r["id"]))
        out.append({
            "code": theme["code"], "label": theme["label"], "review_count": len(rows),
            "reviews": [{"ref": r["ref"] or r["title"], "title": r["title"],
                         "year": reporting_year_label(year_of(r["agreed"]), month, day) if r["agreed"] else "",
                         "open_actions": r["open_actions"]} for r in rows],
            "years": [reporting_year_label(y, month, day) for y in theme["years"]],
            "open_actions": theme["open_actions"], "recommendations": theme["recommendations"],
            "briefings": theme["briefings"],
        })
    out.sort(key=lambda t: (-t["review_count"], t["label"].casefold()))
    return {
        "board_name": settings.board_name,
        "as_at": settings.today().isoformat(),
        "source": source,
        "themes": out,
        "recurring": [t for t in out if t["review_count"] >= 2],
    }
