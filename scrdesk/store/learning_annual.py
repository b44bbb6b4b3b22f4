"""The learning section of the annual report: publications, channels, recommendations closed
with and without evidence of impact, and themes, for one reporting year.

`store.annual` (the annual report's own module) calls `learning_section` and prints what it gives;
nothing here formats a document.
"""

from __future__ import annotations

from scrdesk.domain.dates import reporting_period
from scrdesk.domain.rules.actions import EVIDENCED_STATUSES
from scrdesk.store import channels, themes
from scrdesk.store.db import Store

# What `impact.closures` counts, in SQL: the day a recommendation's last action closed (its sign-off
# date, else the day the action was last saved), and the statuses that close an action for good.
# The day is also the key of the index the year's closures are found by (idx_actions_closed_on,
# tests/test_annual_growth_indexes.py): the same words, or SQLite reads every action.
_CLOSED_ON = "coalesce(a.signoff_date, substr(a.updated_at, 1, 10))"
_CLOSING = "(" + ", ".join(f"'{s}'" for s in sorted(EVIDENCED_STATUSES)) + ")"


def learning_section(store: Store, year: int) -> dict:
    """The learning that landed in reporting year `year` (the year starting in it, e.g. 2016 for
    2016-17, from the settings' year start):

    {"publications": reviews published in the year,
     "channels": {"newsletter_issues": issues dated in the year,
                  "briefings_in_newsletters": briefings those issues promoted (each once),
                  "briefings_on_website": briefings first put on the website in the year},
     "recommendations": {"closed": closed in the year, "closed_with_impact": of which with an
                         impact statement, "closed_on_actions_only": of which on their actions
                         alone (recorded so, or never closed in scrdesk with every action done)},
     "themes": {theme code: reviews live in the year carrying it}}
    """
    settings = store.settings()
    start, end = (d.isoformat() for d in reporting_period(year, settings.year_start_month, settings.year_start_day))
    published = store.scalar("SELECT count(*) FROM reviews WHERE published_date BETWEEN ? AND ?", [start, end])
    return {
        "publications": int(published or 0),
        "channels": channels.channel_counts(store, start, end),
        "recommendations": closed_in_year(store, start, end),
        "themes": themes.review_counts(store, start, end),
    }


def closed_in_year(store: Store, start: str, end: str) -> dict[str, int]:
    """`impact.closure_summary(store, start, end)` (ISO dates, inclusive), reading only the year's
    closures instead of working out every recommendation's state on the file.

    A recommendation closed by the sub group counts on its recorded date. One never closed in
    scrdesk counts on the day its last action closed, when all its actions are closed: so it has
    an action closed in the year, and those recommendations are the only ones to look at."""
    params = {"s": start, "e": end}
    recorded = store.rows(
        "SELECT im.closure_basis = 'impact' AS with_impact, count(*) AS n FROM recommendation_impact im "
        "JOIN recommendations rc ON rc.id = im.recommendation_id "
        "WHERE im.closed_date BETWEEN :s AND :e GROUP BY 1", params)
    with_impact = sum(row["n"] for row in recorded if row["with_impact"])
    on_actions = sum(row["n"] for row in recorded if not row["with_impact"])
    on_actions += int(store.scalar(
        "WITH touched AS (SELECT DISTINCT a.recommendation_id AS id FROM actions a "
        f" WHERE a.recommendation_id IS NOT NULL AND {_CLOSED_ON} BETWEEN :s AND :e) "
        "SELECT count(*) FROM touched t JOIN recommendations rc ON rc.id = t.id "
        "LEFT JOIN recommendation_impact im ON im.recommendation_id = t.id "
        "WHERE coalesce(im.closed_date, '') = '' AND ("
        f" SELECT count(*) = sum(a.status IN {_CLOSING}) AND max({_CLOSED_ON}) <= :e "
        " FROM actions a WHERE a.recommendation_id = t.id)", params) or 0)
    return {"closed": with_impact + on_actions, "closed_with_impact": with_impact,
            "closed_on_actions_only": on_actions}
