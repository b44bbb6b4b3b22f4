"""The yearly report: its narrative sections (written in the window, kept in the file) and the
figures behind every section, as one plain dict the PDF and Word builders print.

The tables come from `scrdesk.store.annual` (the same figures as the annual report tables, with its
governance and learning sections); publications, newsletter and website channels, impact and themes
are read through their own store modules (publication, channels, impact, themes).
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain.rules import require
from scrdesk.domain.rules import yearly_report as rules
from scrdesk.store import annual, impact, learning_reads, publication
from scrdesk.store.db import Store

HISTORY_YEARS = 5


# -- the narrative ---------------------------------------------------------------------------

def narrative(store: Store, year: int) -> dict[str, str]:
    """Every section's text for the reporting year starting in `year` ('' where none is written)."""
    texts = dict.fromkeys(rules.SECTION_TITLES, "")
    for row in store.rows("SELECT section, body FROM yearly_report_sections WHERE year = ?", [year]):
        if row["section"] in texts:
            texts[row["section"]] = row["body"] or ""
    return texts


def save_narrative(store: Store, year: int, texts: Mapping[str, str]) -> None:
    """Write the given sections' texts for `year` in one transaction; a blank text removes the row."""
    clean = {key: (value or "").strip() for key, value in texts.items()}
    require(rules.problems(clean), f"The {year} yearly report", rules.SECTION_TITLES)
    with store.transaction():
        for key, body in clean.items():
            row_id = store.scalar("SELECT id FROM yearly_report_sections WHERE year = ? AND section = ?", [year, key])
            if not body:
                if row_id is not None:
                    store.delete("yearly_report_sections", row_id)
            elif row_id is None:
                store.insert("yearly_report_sections", {"year": year, "section": key, "body": body})
            else:
                store.update("yearly_report_sections", row_id, {"body": body})


def years_written(store: Store) -> list[int]:
    """Reporting years with any narrative written, newest first."""
    return [r["year"] for r in store.rows("SELECT DISTINCT year FROM yearly_report_sections ORDER BY year DESC")]


# -- the figures -------------------------------------------------------------------------------

def outcome_history(store: Store, year: int, years: int = HISTORY_YEARS, report: dict | None = None) -> list[dict]:
    """Referral outcomes for each of the `years` reporting years up to `year`, oldest first:
    [{"year", "label", "total", "outcomes": [{"code", "label", "count"}]}], each from the annual
    report of that year (`report` is `year`'s own, when already made), so the two documents agree."""
    out = []
    for y in range(year - years + 1, year + 1):
        own = report if (report is not None and y == year) else annual.annual_report(store, y)
        out.append({"year": y, "label": own["label"], "total": own["referrals"]["total"],
                    "outcomes": own["referrals"]["outcomes"]})
    return out


def yearly_report_data(store: Store, year: int) -> dict:
    """Everything the yearly report prints for the reporting year starting in `year`."""
    from scrdesk.store import themes_report

    report = annual.annual_report(store, year)
    start, end = report["period"]["start"], report["period"]["end"]
    texts = narrative(store, year)
    labels = report.get("theme_labels", {})
    year_themes = [{"code": code, "label": labels.get(code, code), "review_count": n}
                   for code, n in (report.get("learning") or {}).get("themes", {}).items()]
    return {
        "year": year,
        "label": report["label"],
        "period": report["period"],
        "board_name": report["board_name"],
        "framework": report["framework"],
        "annual": report,
        "sections": [{"key": key, "title": title, "text": texts[key]} for key, title in rules.SECTIONS],
        "history": outcome_history(store, year, report=report),
        "briefings": learning_reads.briefing_channels(store, start, end),
        "publications": publication.publications_between(store, start, end),
        "impact": impact.impact_rows(store, start, end),
        # The themes of the reviews live in the year; every year's, where none is tagged.
        "themes": year_themes or themes_report.themes_report_data(store)["themes"],
        "governance": report.get("governance"),
        "learning": report.get("learning"),
    }
