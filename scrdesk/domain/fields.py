"""How stored fields read to a person: column labels, which value list a code field uses, and
which fields are yes/no or labelled by the framework profile. Shared by the audit history and
the documents that print records field by field (the subject access export)."""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain import values

#: Column names that do not read well once their underscores become spaces.
FIELD_LABELS = {
    "la_aware_date": "Date LA became aware",
    "sin_reference": "SIN reference",
    "sin_submitted_date": "Date notified",
    "age_years": "Age (years)",
    "age_months": "Age (months)",
    "age_weeks": "Age (weeks)",
    "age_various": "Age various",
    "tor_date": "Terms of reference date",
    "target_date_override": "Target date (set by hand)",
    "target_override_reason": "Reason for the target date",
    "sent_to_panel_date": "Sent to national panel",
    "panel_informed_date": "National panel informed",
    "panel_response_date": "National panel response",
    "panel_agreed": "National panel agreed",
    "signoff_date": "Sign-off date",
    "lead_email": "Lead contact email",
    "lead_name": "Lead contact",
    "mime_type": "File type",
    "sha256": "Checksum",
    "status_from": "Status before",
    "status_to": "Status after",
    "legal_hold_reason": "Reason for legal hold",
    "legal_hold_since": "On legal hold since",
}

#: Fields holding a code from a value list: (table or "*", field) -> the list.
VALUE_LISTS: Mapping[tuple[str, str], Mapping[str, str]] = {
    ("*", "source"): values.REFERRAL_SOURCES,
    ("*", "gender"): values.GENDERS,
    ("*", "harm_category"): values.HARM_CATEGORIES,
    ("*", "publication_decision"): values.PUBLICATION_DECISIONS,
    ("reviews", "status"): values.REVIEW_STATUSES,
    ("actions", "status"): values.ACTION_STATUSES,
    ("action_updates", "status_from"): values.ACTION_STATUSES,
    ("action_updates", "status_to"): values.ACTION_STATUSES,
    ("briefings", "status"): values.BRIEFING_STATUSES,
    ("agencies", "type"): values.AGENCY_TYPES,
    ("milestones", "kind"): values.MILESTONE_KINDS,
    ("learning_events", "kind"): values.EVENT_KINDS,
    ("meetings", "kind"): values.MEETING_KINDS,
    ("parallel_proceedings", "kind"): values.PROCEEDING_KINDS,
    ("restricted_identifiers", "kind"): values.RESTRICTED_KINDS,
    ("recommendations", "level"): values.RECOMMENDATION_LEVELS,
}

#: Decision and review-type codes, labelled by the record's framework profile.
PROFILE_FIELDS = frozenset({"decision", "recommendation", "review_type"})

YES_NO_FIELDS = frozenset({"legal_hold", "age_various", "panel_agreed", "active"})


def field_label(name: str) -> str:
    """'received_date' -> 'Received date'; '_id' columns read as the thing they point at."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    text = name[:-3] if name.endswith("_id") else name
    text = text.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def value_list_for(table: str, name: str) -> Mapping[str, str] | None:
    return VALUE_LISTS.get((table, name)) or VALUE_LISTS.get(("*", name))


def list_label(table: str, name: str, code: object) -> str | None:
    """The label of a coded field's value, or None when the field holds no code."""
    found = value_list_for(table, name)
    return values.label(found, str(code)) if found is not None else None
