"""What the sub group itself has coming due, read for the dashboard: its terms of reference's next
review and its next six-monthly health check.

Apart from `scrdesk.store.governance` (which re-exports these) so the dashboard, the first
screen, does not load the sub group's writes and everything they import.
"""

from __future__ import annotations

from datetime import date

from scrdesk.domain.dates import format_date, format_stored, plural
from scrdesk.domain.rag import Rag
from scrdesk.domain.timescales import add_months
from scrdesk.store.db import Store

#: The owner kind of a terms of reference version's documents (attachments).
TOR_OWNER = "terms_of_reference"


def terms_of_reference(store: Store) -> list[dict]:
    """Terms of reference versions, oldest first, each with `documents` (how many files kept)."""
    return store.rows(
        "SELECT t.*, (SELECT count(*) FROM attachments a WHERE a.owner_kind = ? AND a.owner_id = t.id) AS documents "
        "FROM terms_of_reference t ORDER BY t.approved_date, t.id", [TOR_OWNER])


def terms_of_reference_due(store: Store, today: date | None = None) -> dict | None:
    """The current version (latest approved) with `due` (its next review date has come) and
    `days` until (negative: since) that date; None when there is no version or no date set."""
    versions = terms_of_reference(store)
    if not versions or not versions[-1].get("next_review_date"):
        return None
    current = versions[-1]
    today = today or store.settings().today()
    days = (date.fromisoformat(current["next_review_date"]) - today).days
    return {**current, "due": days <= 0, "days": days}


def next_health_check_due(store: Store) -> date | None:
    """The last check's date plus the `health_check_months` setting (six-monthly by default);
    None before the first check."""
    last = store.scalar("SELECT max(date) FROM health_checks")
    if not last:
        return None
    return add_months(date.fromisoformat(last), store.settings().health_check_months)


def _due_rag(due: date, today: date, soon: int, what: str) -> Rag:
    days = (due - today).days
    if days < 0:
        return Rag("red", f"Red: {what} was due {format_date(due)}, {plural(-days, 'day')} ago")
    if days <= soon:
        return Rag("amber", f"Amber: {what} is due {format_date(due)}, in {plural(days, 'day')}")
    return Rag("green", f"Green: {what} is due {format_date(due)}")


def dashboard_lines(store: Store, today: date, soon: int) -> list[dict]:
    """The dashboard's lines for the sub group itself, each opening the Sub group tab: the terms of
    reference when their review falls due within `soon` days (or has passed), and when the next
    six-monthly health check is due (always, once there has been one)."""
    lines = []
    tor = terms_of_reference_due(store, today)
    if tor is not None and tor["days"] <= soon:
        due = date.fromisoformat(tor["next_review_date"])
        lines.append({"kind": "tab", "tab": "SubGroupTab", "id": None,
                      "title": f"Terms of reference (version {tor['version']}) due for review",
                      "detail": f"Approved {format_stored(tor['approved_date'])}; review due {format_date(due)}",
                      "rag": _due_rag(due, today, soon, "the review")})
    check = next_health_check_due(store)
    if check is not None:
        lines.append({"kind": "tab", "tab": "SubGroupTab", "id": None,
                      "title": f"Next health check due {format_date(check)}",
                      "detail": f"Six-monthly self-assessment (every {store.settings().health_check_months} months)",
                      "rag": _due_rag(check, today, soon, "the health check")})
    return lines
