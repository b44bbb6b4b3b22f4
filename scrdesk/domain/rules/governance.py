"""Rules for the sub group's own business (issue 13): members, chairs, terms of reference,
meeting attendance, health checks and their answers, escalations, reviewers, commissions, review
costs, budgets and partner contributions.

Each `<record>_problems(record)` takes the record as stored (column -> value, ISO dates as text,
amounts in pounds) and returns `{column: message}` in the words the Sub group tab's dialogs show
beside the field. The value lists (attendance, RAG, to whom, role, cost kind, plan source) live
here too: the window, the store and the documents read their labels from them.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain import limits
from scrdesk.domain.limits import length_problems
from scrdesk.domain.rules import Problems, date_order
from scrdesk.domain.values import ValueList

REQUIRED = "is required"

ATTENDANCE = ValueList((("present", "Present"), ("deputy", "Deputy sent"), ("apologies", "Apologies"),
                        ("absent", "Absent")))
#: Attendance that counts towards the quorum and an agency's attendance rate.
ATTENDED = frozenset({"present", "deputy"})

RAG = ValueList((("red", "Red"), ("amber", "Amber"), ("green", "Green")))

# The route the reference report describes: the project officer's concerns go to the business
# manager; the sub group's, through the chair's bi-monthly report, to the board chair.
ESCALATE_TO = ValueList((("business_manager", "Business manager"), ("subgroup_chair", "Sub group chair"),
                         ("board_chair", "Board chair")))

COMMISSION_ROLES = ValueList((("author", "Author"), ("panel_chair", "Panel chair"),
                              ("both", "Author and panel chair")))

COST_KINDS = ValueList((("author", "Author"), ("venue", "Venue"), ("legal", "Legal"), ("other", "Other")))

#: Where a sub group plan action (one with no review) comes from.
PLAN_SOURCES = ValueList((("business_plan", "Business plan priority"),
                          ("inspection", "Inspection recommendation"),
                          ("health_check", "Health check"), ("audit", "Audit")))

MEMBER_LIMITS = {"name": limits.NAME, "role": limits.NAME, "deputy_name": limits.NAME, "notes": limits.NOTE}
CHAIR_LIMITS = {"name": limits.NAME, "role": limits.NAME, "notes": limits.NOTE}
TOR_LIMITS = {"version": limits.SHORT_NAME, "notes": limits.NOTE}
ATTENDANCE_LIMITS = {"attendee": limits.NAME, "note": limits.REASON}
HEALTH_CHECK_LIMITS = {"notes": limits.NOTE}
ANSWER_LIMITS = {"comment": limits.NOTE}
ESCALATION_LIMITS = {"raised_by": limits.NAME, "subject": limits.LINE, "outcome": limits.NOTE}
REVIEWER_LIMITS = {"name": limits.NAME, "organisation": limits.NAME, "methodologies": limits.LINE,
                   "notes": limits.NOTE}
COMMISSION_LIMITS = {"notes": limits.REASON}
COST_LIMITS = {"note": limits.REASON}
BUDGET_LIMITS = {"notes": limits.NOTE}
CONTRIBUTION_LIMITS = {"note": limits.REASON}

BEFORE_FROM = "is before the from date"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _required(record: Mapping[str, object], columns: tuple[str, ...]) -> Problems:
    return {column: REQUIRED for column in columns if _blank(record.get(column))}


def _choice(record: Mapping[str, object], column: str, choices: ValueList, what: str,
            *, required: bool = True) -> Problems:
    value = record.get(column)
    if _blank(value):
        return {column: REQUIRED} if required else {}
    if value not in choices:
        return {column: f"is not {what} ({', '.join(choices.values())})"}
    return {}


def _amount(record: Mapping[str, object], column: str, *, required: bool = False) -> Problems:
    value = record.get(column)
    if _blank(value):
        return {column: REQUIRED} if required else {}
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return {column: "is not a number"}
    if number < 0:
        return {column: "cannot be negative"}
    return {}


def _merge(*parts: Problems) -> Problems:
    found: Problems = {}
    for part in parts:
        for column, message in part.items():
            found.setdefault(column, message)
    return found


def member_problems(member: Mapping[str, object]) -> Problems:
    """A member sits for an agency, has a name, and leaves on or after joining."""
    return _merge(_required(member, ("agency_id", "name")),
                  date_order(member, (("from_date", "to_date", BEFORE_FROM),)),
                  length_problems(member, MEMBER_LIMITS))


def chair_problems(chair: Mapping[str, object]) -> Problems:
    """A chair has a name and a start; an end, when given, is on or after the start."""
    return _merge(_required(chair, ("name", "from_date")),
                  date_order(chair, (("from_date", "to_date", BEFORE_FROM),)),
                  length_problems(chair, CHAIR_LIMITS))


def chairs_overlap(chairs: list[Mapping[str, object]]) -> str:
    """Why a chair history is not one chair at a time ("" when it is): each chair's term ends
    before the next one starts."""
    ordered = sorted(chairs, key=lambda c: str(c.get("from_date") or ""))
    for before, after in zip(ordered, ordered[1:], strict=False):
        end = before.get("to_date")
        if _blank(end) or str(end) >= str(after.get("from_date")):
            return (f"overlaps {before.get('name')}'s term: end that term before "
                    f"{after.get('from_date')} first")
    return ""


def terms_of_reference_problems(tor: Mapping[str, object]) -> Problems:
    """A version has its name and approval date; its next review falls after approval."""
    found = _merge(_required(tor, ("version", "approved_date")), length_problems(tor, TOR_LIMITS))
    a, b = tor.get("approved_date"), tor.get("next_review_date")
    if a and b and str(b) <= str(a) and "next_review_date" not in found:
        found["next_review_date"] = "is not after the date approved"
    return found


def attendance_problems(row: Mapping[str, object]) -> Problems:
    """One agency's attendance at one meeting: the meeting, the agency and how it attended."""
    return _merge(_required(row, ("meeting_id", "agency_id")),
                  _choice(row, "status", ATTENDANCE, "an attendance"),
                  length_problems(row, ATTENDANCE_LIMITS))


def is_quorate(statuses: list[str], quorum_agencies: int) -> bool:
    """Quorate when at least `quorum_agencies` agencies were present or sent a deputy (the
    partnership's own terms of reference; the number is the `quorum_agencies` setting)."""
    return sum(1 for s in statuses if s in ATTENDED) >= quorum_agencies


def health_check_problems(check: Mapping[str, object]) -> Problems:
    return _merge(_required(check, ("date",)), length_problems(check, HEALTH_CHECK_LIMITS))


def answer_problems(answer: Mapping[str, object]) -> Problems:
    """A question answered with a RAG rating (or not yet); a Red or Amber rating says why."""
    found = _merge(_required(answer, ("code",)),
                   _choice(answer, "rag", RAG, "a RAG rating", required=False),
                   length_problems(answer, ANSWER_LIMITS))
    if answer.get("rag") in ("red", "amber") and _blank(answer.get("comment")):
        found.setdefault("comment", "is required for a Red or Amber rating: say why")
    return found


def escalation_problems(escalation: Mapping[str, object]) -> Problems:
    """Raised on a date by someone to one of three people about something; closing it needs the
    outcome, on or after the day it was raised."""
    found = _merge(_required(escalation, ("raised_date", "raised_by", "subject")),
                   _choice(escalation, "to_whom", ESCALATE_TO, "someone an escalation goes to"),
                   date_order(escalation, (("raised_date", "closed_date", "is before the date raised"),)),
                   length_problems(escalation, ESCALATION_LIMITS))
    if not _blank(escalation.get("closed_date")) and _blank(escalation.get("outcome")):
        found.setdefault("outcome", "is required when the escalation is closed")
    return found


def reviewer_problems(reviewer: Mapping[str, object]) -> Problems:
    return _merge(_required(reviewer, ("name",)), length_problems(reviewer, REVIEWER_LIMITS))


def commission_problems(commission: Mapping[str, object]) -> Problems:
    """A reviewer commissioned for a review in a role; the fee is the days times the day rate
    when all three are given."""
    found = _merge(_required(commission, ("review_id", "reviewer_id")),
                   _choice(commission, "role", COMMISSION_ROLES, "a commission role"),
                   _amount(commission, "agreed_days"), _amount(commission, "day_rate"),
                   _amount(commission, "fee"), length_problems(commission, COMMISSION_LIMITS))
    if not any(c in found for c in ("agreed_days", "day_rate", "fee")):
        days, rate, fee = (commission.get(c) for c in ("agreed_days", "day_rate", "fee"))
        if not any(_blank(v) for v in (days, rate, fee)):
            expected = round(float(days) * float(rate), 2)  # type: ignore[arg-type]
            if abs(float(fee) - expected) >= 0.005:  # type: ignore[arg-type]
                found["fee"] = f"is not the agreed days times the day rate (\u00a3{expected:,.2f})"
    return found


def commission_fee(commission: Mapping[str, object]) -> float | None:
    """The fee as given, else days times rate when both are given."""
    fee = commission.get("fee")
    if not _blank(fee):
        return round(float(fee), 2)  # type: ignore[arg-type]
    days, rate = commission.get("agreed_days"), commission.get("day_rate")
    if _blank(days) or _blank(rate):
        return None
    return round(float(days) * float(rate), 2)  # type: ignore[arg-type]


def cost_problems(cost: Mapping[str, object]) -> Problems:
    return _merge(_required(cost, ("review_id", "date")),
                  _choice(cost, "kind", COST_KINDS, "a kind of cost"),
                  _amount(cost, "amount", required=True), length_problems(cost, COST_LIMITS))


def budget_problems(budget: Mapping[str, object]) -> Problems:
    found = _merge(_required(budget, ("year",)), _amount(budget, "amount", required=True),
                   length_problems(budget, BUDGET_LIMITS))
    year = budget.get("year")
    if "year" not in found:
        try:
            if not 1990 <= int(year) <= 2100:  # type: ignore[arg-type]
                found["year"] = "is not a reporting year"
        except (TypeError, ValueError):
            found["year"] = "is not a reporting year"
    return found


def contribution_problems(contribution: Mapping[str, object]) -> Problems:
    return _merge(_required(contribution, ("budget_id", "agency_id")),
                  _amount(contribution, "amount", required=True),
                  length_problems(contribution, CONTRIBUTION_LIMITS))
