"""Reads of the sub group's own business shaped for its documents (issue 13): the chair's report
for a period, the health check with its trend against the previous check, and the annual report's
governance and costs sections.

The sub group's records (meetings' attendance, health checks, escalations, reviewers' costs) are
kept by `store/governance.py` and `store/reviewers.py`; each read here works on a file without
those tables (an older file, or a build without them) and then says nothing it does not know.
Rows carry refs, agencies, dates and the sub group's own words: never a pseudonym or a restricted
identifier.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from scrdesk.domain.dates import format_date, reporting_period
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.store import learning_reads, papers
from scrdesk.store.db import Store
from scrdesk.store.learning_reads import has_table
from scrdesk.store.queries import dissemination_waiting, overdue_by_agency, review_rows

#: Exceptions first: a review past its target, then one close to it, then the rest.
_RAG_ORDER = {"red": 0, "amber": 1, "grey": 2, "green": 3, "blue": 4}


def _iso(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def chair_report_period(store: Store, start: date | None, end: date | None) -> tuple[date, date]:
    """The report's period: by default the two months up to the file's today (the report is
    bi-monthly), refused by name when the from date is after the to date."""
    end = end or store.settings().today()
    if start is None:
        month = end.month - 2
        year = end.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        start = date(year, month, 1)
    if start > end:
        raise InvalidValue("From date", start.isoformat(), f"is after the to date ({format_date(end)})")
    return start, end


# -- the chair's report ------------------------------------------------------------------------

def _referrals(store: Store, s: str, e: str) -> list[dict]:
    """Referrals received, considered at a meeting or decided in the period, each with its
    recommendation and decision in its own framework's words."""
    rows = store.rows(
        "SELECT * FROM referrals WHERE received_date BETWEEN :s AND :e OR meeting_date BETWEEN :s AND :e "
        "OR decision_date BETWEEN :s AND :e ORDER BY coalesce(meeting_date, received_date), ref",
        {"s": s, "e": e})
    return [papers._referral_row(store, r) for r in rows]


def _delays(store: Store, e: str) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = defaultdict(list)
    for row in store.rows("SELECT review_id, date, reason FROM review_delays WHERE date <= ? "
                          "ORDER BY date DESC, id DESC", [e]):
        found[row["review_id"]].append({"date": row["date"], "reason": row["reason"]})
    return found


def _review(row: dict, delays: list[dict]) -> dict:
    shaped = papers._review_row(row)
    shaped.update({
        "initiated_date": row.get("initiated_date"),
        "agreed_date": row.get("agreed_date"),
        "completed_date": row.get("completed_date"),
        "delays": delays,
        "exception": row["rag"] is not None and row["rag"].colour in ("red", "amber"),
    })
    return shaped


def _reviews(store: Store, start: date, end: date) -> tuple[list[dict], list[dict]]:
    """(reviews initiated in the period, reviews open during the period with their progress
    against target: exceptions first, each with its reasons for delay, latest first)."""
    s, e = start.isoformat(), end.isoformat()
    delays = _delays(store, e)
    rows = review_rows(store, end)
    initiated = sorted((r for r in rows if r.get("initiated_date") and s <= r["initiated_date"] <= e),
                       key=lambda r: (r["initiated_date"], r["refs"]))
    open_rows = [r for r in rows
                 if (r.get("initiated_date") or r.get("agreed_date") or "9999") <= e
                 and not (r.get("completed_date") and r["completed_date"] < s)]
    shaped = [_review(r, delays.get(r["id"], [])) for r in open_rows]
    shaped.sort(key=lambda r: (_RAG_ORDER.get(r["rag"]["colour"], 5), r["target_date"] or "9999", r["ref"]))
    return [_review(r, delays.get(r["id"], [])) for r in initiated], shaped


def _escalations(store: Store, s: str, e: str) -> list[dict]:
    """Escalations raised in the period, or raised before it and still open during it, oldest
    first, each with the record it concerns in words."""
    if not has_table(store, "escalations"):
        return []
    from scrdesk.store import governance

    return [x for x in governance.escalation_report_rows(store)
            if x["raised_date"] <= e and (x["raised_date"] >= s or not x["closed_date"] or x["closed_date"] >= s)]


def _action(row: dict, refs: dict[int, str]) -> dict:
    shaped = papers._action_row(row, refs)
    if row.get("review_id") is None:  # the sub group's own plan: named by its source
        shaped["ref"] = "Sub group plan"
        if row.get("source_text"):
            shaped["text"] = f"{row['text']} (from: {row['source_text']})"
    return shaped


def chair_report_data(store: Store, start: date | None = None, end: date | None = None) -> dict:
    """Everything the chair's report to the Executive Support Group prints for a period: referrals
    considered and decisions, reviews initiated, reviews' progress against target (exceptions
    first, with reasons for delay), overdue actions by agency as at the period's end, briefings
    issued and dissemination returns outstanding, escalations, and items for the board chair."""
    start, end = chair_report_period(store, start, end)
    s, e = start.isoformat(), end.isoformat()
    initiated, progress = _reviews(store, start, end)
    refs = papers._review_refs(store)
    overdue = [{"agency": g["agency"], "actions": [_action(a, refs) for a in g["actions"]]}
               for g in overdue_by_agency(store, end)]
    escalations = _escalations(store, s, e)
    settings = store.settings()
    return {
        "period": {"start": s, "end": e},
        "board_name": settings.board_name,
        "referrals": _referrals(store, s, e),
        "initiated": initiated,
        "progress": progress,
        "overdue_by_agency": overdue,
        "briefings": learning_reads.briefing_channels(store, s, e),
        "feedback_outstanding": [{
            "ref": refs.get(d["review_id"], d["review_title"]),
            "briefing": d["briefing_title"] or d["review_title"],
            "agency": d["agency_name"],
            "sent_date": d["sent_date"],
            "feedback_due_date": d["feedback_due_date"],
            "rag": papers.rag_dict(d["rag"]),
        } for d in dissemination_waiting(store, end, within_days=0)],
        "escalations": escalations,
        # The concerns the sub group sends on to the board chair through this report.
        "for_board_chair": [x for x in escalations if x.get("to_whom") == "board_chair"],
    }


# -- the health check ----------------------------------------------------------------------------

def health_check_dates(store: Store) -> list[str]:
    """The ISO dates of the health checks held, oldest first (none on a file without them)."""
    if not has_table(store, "health_checks"):
        return []
    return [r["date"] for r in store.rows("SELECT date FROM health_checks ORDER BY date")]


def _answers(store: Store, check_id: int) -> list[dict]:
    return store.rows("SELECT code, area, question AS text, rag, comment FROM health_check_answers "
                      "WHERE health_check_id = ? ORDER BY position, id", [check_id])


def _rag_counts(rows: list[dict]) -> dict[str, int]:
    return {c: sum(1 for r in rows if r.get("rag") == c) for c in ("red", "amber", "green")}


#: Checks shown in the trend chart: three years of six-monthly checks.
TREND_CHECKS = 6


def health_check_data(store: Store, on: date | str | None = None) -> dict:
    """The health check held on `on` (default: the latest), each question's RAG and comment beside
    the previous check's RAG for the same question (by its code), the counts of each RAG in both,
    the counts at up to six checks to this one, and the actions arising (in the sub group's own
    plan). Refused by name when there is no such check."""
    checks = store.rows("SELECT id, date, notes FROM health_checks ORDER BY date") \
        if has_table(store, "health_checks") else []
    if not checks:
        raise ScrdeskError("There is no health check yet; record one in the Sub group tab first.")
    if on is None:
        current = checks[-1]
    else:
        current = next((c for c in checks if c["date"] == _iso(on)), None)
        if current is None:
            held = ", ".join(format_date(date.fromisoformat(c["date"])) for c in checks)
            raise InvalidValue("Health check date", _iso(on), f"has no health check; checks were held on {held}")
    earlier = [c for c in checks if c["date"] < current["date"]]
    previous = earlier[-1] if earlier else None
    answers = _answers(store, current["id"])
    before = {a["code"]: a for a in _answers(store, previous["id"])} if previous else {}
    questions = [{**a, "previous_rag": (before.get(a["code"]) or {}).get("rag")} for a in answers]
    shown = [*earlier[-(TREND_CHECKS - 1):], current]
    actions = store.rows(
        "SELECT a.*, coalesce(a.revised_target_date, a.target_date) AS effective_target, "
        "ag.name AS agency_name FROM actions a LEFT JOIN agencies ag ON ag.id = a.agency_id "
        "WHERE a.health_check_id = ? ORDER BY a.id", [current["id"]])
    from scrdesk.domain import values

    return {
        "date": current["date"],
        "previous_date": previous["date"] if previous else None,
        "notes": current["notes"] or "",
        "questions": questions,
        "counts": _rag_counts(questions),
        "previous_counts": _rag_counts(list(before.values())) if previous else None,
        "history": [{"date": c["date"], **_rag_counts(_answers(store, c["id"]))} for c in shown],
        "actions": [{"text": a["text"], "lead_officer": a["lead_officer"] or "", "agency": a["agency_name"] or "",
                     "target_date": a["effective_target"], "status": values.label(values.ACTION_STATUSES, a["status"])}
                    for a in actions],
    }


# -- the annual report's sections -------------------------------------------------------------------

def _year(store: Store, year: int) -> tuple[date, date]:
    settings = store.settings()
    return reporting_period(year, settings.year_start_month, settings.year_start_day)


def governance_section(store: Store, year: int) -> dict:
    """The annual report's "governance" section for the reporting year starting in `year`:
    {"meetings_held", "meetings_quorate", "attendance_by_agency": {agency: rate}, "health_checks":
    [ISO dates], "terms_of_reference_reviewed": [ISO dates], "escalations": n}.

    Meetings are the case review sub group's own (not the QA sub group's). An agency's attendance
    rate is the share of the year's meetings with its attendance recorded at which it was present
    or sent a deputy (0 to 1, two places); a meeting is quorate under the `quorum_agencies`
    setting (the terms of reference)."""
    start, end = _year(store, year)
    s, e = start.isoformat(), end.isoformat()
    held = int(store.scalar("SELECT count(*) FROM meetings WHERE kind = 'scr_subgroup' AND date BETWEEN ? AND ?",
                            [s, e]) or 0)
    section = {"meetings_held": held, "meetings_quorate": 0, "attendance_by_agency": {},
               "health_checks": [], "terms_of_reference_reviewed": [], "escalations": 0}
    if not has_table(store, "meeting_attendance"):
        return section
    from scrdesk.domain.rules.governance import ATTENDED, is_quorate

    rows = store.rows(
        "SELECT m.id AS meeting_id, ag.name AS agency, at.status FROM meeting_attendance at "
        "JOIN meetings m ON m.id = at.meeting_id JOIN agencies ag ON ag.id = at.agency_id "
        "WHERE m.kind = 'scr_subgroup' AND m.date BETWEEN ? AND ? ORDER BY ag.name", [s, e])
    by_meeting: dict[int, list[str]] = defaultdict(list)
    by_agency: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_meeting[r["meeting_id"]].append(r["status"])
        by_agency[r["agency"]].append(r["status"])
    quorum = store.settings().quorum_agencies
    section["meetings_quorate"] = sum(1 for statuses in by_meeting.values() if is_quorate(statuses, quorum))
    section["attendance_by_agency"] = {agency: round(sum(1 for x in statuses if x in ATTENDED) / len(statuses), 2)
                                       for agency, statuses in by_agency.items()}
    section["health_checks"] = [r["date"] for r in store.rows(
        "SELECT date FROM health_checks WHERE date BETWEEN ? AND ? ORDER BY date", [s, e])]
    section["terms_of_reference_reviewed"] = [r["approved_date"] for r in store.rows(
        "SELECT approved_date FROM terms_of_reference WHERE approved_date BETWEEN ? AND ? ORDER BY approved_date",
        [s, e])]
    section["escalations"] = int(store.scalar(
        "SELECT count(*) FROM escalations WHERE raised_date BETWEEN ? AND ?", [s, e]) or 0)
    return section


def costs_section(store: Store, year: int) -> dict:
    """The annual report's "costs" section for the reporting year starting in `year`:
    {"budget", "contributed", "spent", "committed", "by_review": {ref: amount}, "by_type": {review
    type code: {"reviews", "spent", "per_review"}}}: the year's budget and what partners put in,
    the costs dated in the year (author, venue, legal, other) in all, per review and as the cost
    per review of each type, and the fees of commissions agreed in the year. Pounds, two places;
    all zero on a file without the reviewer records."""
    start, end = _year(store, year)
    if not has_table(store, "review_costs"):
        return {"budget": 0.0, "contributed": 0.0, "spent": 0.0, "committed": 0.0, "by_review": {}, "by_type": {}}
    from scrdesk.store import reviewers

    return reviewers.cost_summary(store, start, end)
