"""Learning themes: the partnership's list (seeded from resources/themes.json when the file was
made; it may add its own or retire one) and the tags on reviews, recommendations and briefings,
with the reads that show which themes recur, in which reviews and years, and how many actions
are still open under each.

A review carries a theme when it is tagged itself or through one of its recommendations or
briefings. Every write is one transaction, checking `scrdesk.domain.rules.learning` first.
"""

from __future__ import annotations

from collections.abc import Iterable

from scrdesk.domain.dates import from_iso, reporting_year
from scrdesk.domain.rules import Problems, RuleBroken
from scrdesk.domain.rules import learning as rules
from scrdesk.store.db import Store, StoreError

LABELS = {"label": "Theme", "theme_ids": "Themes"}

#: What can carry a tag -> its column in theme_tags and its table.
KINDS = {"review": ("review_id", "reviews"), "recommendation": ("recommendation_id", "recommendations"),
         "briefing": ("briefing_id", "briefings")}

_OPEN_ACTION = "a.status NOT IN ('complete_awaiting_evidence', 'complete_evidenced', 'signed_off')"

# Each tag as (theme, the review it belongs to): directly, or through a recommendation or briefing.
_TAG_REVIEWS = (
    "SELECT t.theme_id, coalesce(t.review_id, rc.review_id, b.review_id) AS review_id FROM theme_tags t "
    "LEFT JOIN recommendations rc ON rc.id = t.recommendation_id LEFT JOIN briefings b ON b.id = t.briefing_id"
)


def _refuse(what: str, found: Problems) -> None:
    if found:
        raise RuleBroken(what, found, LABELS)


def _column(kind: str) -> tuple[str, str]:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"{kind} cannot carry a theme") from None


# -- the list --------------------------------------------------------------------------------

def theme_list(store: Store, *, include_retired: bool = False) -> list[dict]:
    """`id`, `code`, `label`, `active` of each theme in the list's order."""
    where = "" if include_retired else " WHERE active = 1"
    return store.rows(f"SELECT id, code, label, active FROM themes{where} ORDER BY position, label, id")


def add_theme(store: Store, label: str) -> int:
    """Add a theme of the partnership's own to the end of the list; returns its id."""
    label = (label or "").strip()
    with store.transaction():
        taken = [row["label"] for row in store.rows("SELECT label FROM themes")]
        _refuse("The theme", rules.theme_problems({"label": label}, taken_labels=taken))
        code = rules.theme_code(label)
        if store.scalar("SELECT 1 FROM themes WHERE code = ?", [code]):
            code = f"{code}_{int(store.scalar('SELECT max(id) FROM themes') or 0) + 1}"
        position = int(store.scalar("SELECT coalesce(max(position), 0) FROM themes")) + 1
        return store.insert("themes", {"code": code, "label": label, "position": position})


def set_theme_active(store: Store, theme_id: int, active: bool) -> None:
    """Retire a theme (no longer offered; its tags stay) or bring it back."""
    with store.transaction():
        if store.get("themes", theme_id) is None:
            raise StoreError("That theme is no longer in the data file.")
        store.update("themes", theme_id, {"active": int(active)})


# -- tags ------------------------------------------------------------------------------------

def tag_ids(store: Store, kind: str, record_id: int) -> list[int]:
    """The theme ids tagged on one review, recommendation or briefing."""
    column, _table = _column(kind)
    return [row["theme_id"] for row in store.rows(
        f"SELECT t.theme_id FROM theme_tags t JOIN themes th ON th.id = t.theme_id WHERE t.{column} = ? "
        "ORDER BY th.position, th.label", [record_id])]


def tag_labels(store: Store, kind: str, record_ids: Iterable[int] | None = None) -> dict[int, str]:
    """`{record_id: "Neglect; Escalation"}` for the records of a kind that carry a tag (of the ids
    given, or all), in one query."""
    column, _table = _column(kind)
    where, params = f"t.{column} IS NOT NULL", []
    if record_ids is not None:
        params = list(record_ids)
        if not params:
            return {}
        where = f"t.{column} IN ({', '.join('?' * len(params))})"
    found: dict[int, list[str]] = {}
    for row in store.rows(f"SELECT t.{column} AS record_id, th.label FROM theme_tags t JOIN themes th "
                          f"ON th.id = t.theme_id WHERE {where} ORDER BY th.position, th.label", params):
        found.setdefault(row["record_id"], []).append(row["label"])
    return {record_id: "; ".join(labels) for record_id, labels in found.items()}


def set_tags(store: Store, kind: str, record_id: int, theme_ids: Iterable[int]) -> None:
    """Make a record's tags exactly `theme_ids`, in one transaction."""
    column, table = _column(kind)
    wanted = list(dict.fromkeys(int(i) for i in theme_ids))
    with store.transaction():
        if store.get(table, record_id) is None:
            raise StoreError(f"That {kind} is no longer in the data file.")
        known = {row["id"] for row in store.rows("SELECT id FROM themes")}
        unknown = [i for i in wanted if i not in known]
        if unknown:
            _refuse("The themes", {"theme_ids": "include a theme that is no longer in the list"})
        have = {row["theme_id"]: row["id"] for row in store.rows(
            f"SELECT id, theme_id FROM theme_tags WHERE {column} = ?", [record_id])}
        for theme_id, tag_id in have.items():
            if theme_id not in wanted:
                store.delete("theme_tags", tag_id)
        for theme_id in wanted:
            if theme_id not in have:
                store.insert("theme_tags", {"theme_id": theme_id, column: record_id})


# -- across reviews --------------------------------------------------------------------------

def theme_usage(store: Store) -> list[dict]:
    """Every theme carried by at least one record, the most reviews first: `id`, `code`,
    `label`, `reviews` (each `{"id", "ref", "year"}`: the reporting year it was agreed in),
    `years` (sorted), `recommendations`, `briefings` (tag counts) and `open_actions` (open
    actions of the recommendations tagged, or of the reviews tagged directly)."""
    settings = store.settings()
    themes = {row["id"]: {**row, "reviews": [], "years": [], "recommendations": 0, "briefings": 0, "open_actions": 0}
              for row in store.rows("SELECT id, code, label FROM themes")}
    for row in store.rows(
            f"SELECT DISTINCT x.theme_id, rv.id, coalesce((SELECT group_concat(r.ref, ', ') FROM review_referrals rr "
            "JOIN referrals r ON r.id = rr.referral_id WHERE rr.review_id = rv.id), rv.title) AS ref, "
            f"coalesce(rv.agreed_date, rv.initiated_date) AS agreed FROM ({_TAG_REVIEWS}) x "
            "JOIN reviews rv ON rv.id = x.review_id ORDER BY ref"):
        agreed = from_iso(row["agreed"])
        year = reporting_year(agreed, settings.year_start_month, settings.year_start_day) if agreed else None
        theme = themes[row["theme_id"]]
        theme["reviews"].append({"id": row["id"], "ref": row["ref"], "year": year})
        if year is not None and year not in theme["years"]:
            theme["years"].append(year)
    for row in store.rows("SELECT theme_id, count(recommendation_id) AS recs, count(briefing_id) AS briefs "
                          "FROM theme_tags GROUP BY theme_id"):
        themes[row["theme_id"]].update(recommendations=row["recs"], briefings=row["briefs"])
    for row in store.rows(
            "SELECT t.theme_id, count(DISTINCT a.id) AS open FROM theme_tags t JOIN actions a "
            "ON (a.recommendation_id = t.recommendation_id OR a.review_id = t.review_id) "
            f"WHERE {_OPEN_ACTION} GROUP BY t.theme_id"):
        themes[row["theme_id"]]["open_actions"] = row["open"]
    used = [t for t in themes.values() if t["reviews"] or t["recommendations"] or t["briefings"]]
    for theme in used:
        theme["years"].sort()
    return sorted(used, key=lambda t: (-len(t["reviews"]), t["label"]))


def review_counts(store: Store, start: str, end: str) -> dict[str, int]:
    """`{theme code: reviews}`: for each theme, how many reviews live in the period (agreed by
    `end`, and not completed before `start` or published in it) carry it, directly or through a recommendation or
    briefing. Themes no such review carries are left out."""
    return {row["code"]: int(row["reviews"]) for row in store.rows(
        f"SELECT th.code, count(DISTINCT x.review_id) AS reviews FROM ({_TAG_REVIEWS}) x "
        "JOIN themes th ON th.id = x.theme_id JOIN reviews rv ON rv.id = x.review_id "
        "WHERE coalesce(rv.agreed_date, rv.initiated_date) <= ? "
        "AND (rv.completed_date IS NULL OR rv.completed_date >= ? OR rv.published_date >= ?) "
        "GROUP BY th.code ORDER BY reviews DESC, th.position", [end, start, start])}
