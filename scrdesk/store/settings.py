"""Settings that travel with the data file, and their defaults."""

from __future__ import annotations

from datetime import date

DEFAULT_SETTINGS: dict[str, object] = {
    "board_name": "Safeguarding Children Partnership",
    "board_short_name": "SCP",
    "logo_attachment_id": None,
    # Protective marking per document kind; the published briefing may be OFFICIAL.
    "marking": {
        "briefing": "OFFICIAL",
        "paper": "OFFICIAL-SENSITIVE",
        "actions": "OFFICIAL-SENSITIVE",
        "annual": "OFFICIAL",
        "chaser": "OFFICIAL-SENSITIVE",
        "timeline": "OFFICIAL-SENSITIVE",
        "subject_access": "OFFICIAL-SENSITIVE",
    },
    "default_framework": "wt2018",
    "jurisdiction": "england",
    "ref_prefix": "Ref",
    "ref_width": 3,
    "year_start_month": 4,
    "year_start_day": 1,
    "monitoring_cadence_days": 14,
    "feedback_period_days": 28,
    "action_amber_working_days": 10,
    "review_amber_working_days": 20,
    "due_soon_days": 14,
    # Retention: years after a record closes before it is due for a retention review.
    # "Today" for every clock, RAG and paper. Normally None (the real date); the demo data is a
    # snapshot of June 2017, so it sets this and the window says so, rather than showing
    # nine-year-old actions as overdue.
    "as_at_date": None,
    "retention_years": {"referrals": 25, "reviews": 25, "actions": 10, "attachments": 10},
}


def marking_for(settings: dict, kind: str) -> str:
    return (settings.get("marking") or {}).get(kind) or "OFFICIAL-SENSITIVE"


def effective_today(settings: dict) -> date:
    """The date clocks are measured against: the as-at date when one is set, else today."""
    as_at = settings.get("as_at_date")
    if as_at:
        try:
            return date.fromisoformat(str(as_at))
        except ValueError:
            pass  # a damaged setting must not stop the window opening; fall back to today
    return date.today()
