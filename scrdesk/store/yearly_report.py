"""The yearly report: its narrative sections (written in the window, kept in the file) and the
figures behind every section, as one plain dict the PDF and Word builders print.

The tables come from `scrdesk.store.annual` (the same figures as the annual report tables); the
sections other engineers' records add (governance, publication, channels, impact, themes) are read
through their own store modules when those are in this build.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain.dates import reporting_period, reporting_year_label
from scrdesk.domain.profiles import profile_in_force
from scrdesk.domain.rules import require
from scrdesk.domain.rules import yearly_report as rules
from scrdesk.store import annual
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

def outcome_history(store: Store, year: int, years: int = HISTORY_YEARS) -> list[dict]:
    """Referral outcomes for each of the `years` reporting years up to `year`, oldest first:
    [{"year", "label", "total", "outcomes": [{"code", "label", "count"}]}]. Counted as the annual
    report counts them (the same function), so the two documents agree."""
    settings = store.settings()
    month, day = settings.year_start_month, settings.year_start_day
    out = []
    for y in range(year - years + 1, year + 1):
        start, end = reporting_period(y, month, day)
        profile = profile_in_force(start, settings.jurisdiction)
        referrals = annual._referrals(store, start, end, profile, settings.jurisdiction)
        out.append({"year": y, "label": reporting_year_label(y, month, day),
                    "total": referrals["total"], "outcomes": referrals["outcomes"]})
    return out


def _optional_section(module: str, function: str, store: Store, year: int) -> dict | None:
    """A section another part of scrdesk provides, or None where this build has not got it."""
    import importlib

    try:
        read = getattr(importlib.import_module(f"scrdesk.store.{module}"), function)
    except (ImportError, AttributeError):
        return None
    return read(store, year)


def yearly_report_data(store: Store, year: int) -> dict:
    """Everything the yearly report prints for the reporting year starting in `year`."""
    from scrdesk.store import learning_reads, themes_report

    report = annual.annual_report(store, year)
    start, end = report["period"]["start"], report["period"]["end"]
    texts = narrative(store, year)
    return {
        "year": year,
        "label": report["label"],
        "period": report["period"],
        "board_name": report["board_name"],
        "framework": report["framework"],
        "annual": report,
        "sections": [{"key": key, "title": title, "text": texts[key]} for key, title in rules.SECTIONS],
        "history": outcome_history(store, year),
        "briefings": learning_reads.briefing_channels(store, start, end),
        "publications": learning_reads.publications(store, start, end),
        "impact": learning_reads.impact_rows(store, start, end),
        "themes": themes_report.themes_report_data(store)["themes"],
        "governance": _optional_section("governance_reports", "governance_section", store, year),
        "learning": _optional_section("learning_annual", "learning_section", store, year),
    }
