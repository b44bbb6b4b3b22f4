"""The learning section of the annual report: publications, channels, recommendations closed
with and without evidence of impact, and themes, for one reporting year.

`store.annual` (the annual report's own module) calls `learning_section` and prints what it gives;
nothing here formats a document.
"""

from __future__ import annotations

from scrdesk.domain.dates import reporting_period
from scrdesk.store import channels, impact, themes
from scrdesk.store.db import Store


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
        "recommendations": impact.closure_summary(store, start, end),
        "themes": themes.review_counts(store, start, end),
    }
