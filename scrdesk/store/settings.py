"""Settings that travel with the data file, and their defaults."""

from __future__ import annotations

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
    "retention_years": {"referrals": 25, "reviews": 25, "actions": 10, "attachments": 10},
}


def marking_for(settings: dict, kind: str) -> str:
    return (settings.get("marking") or {}).get(kind) or "OFFICIAL-SENSITIVE"
