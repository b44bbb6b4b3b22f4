"""The sub group's own business (issue 13): members, the chair's history, terms of reference
versions, meetings' attendance and quorum, decisions taken at a meeting, six-monthly health checks
and the actions arising from them, and escalations.

Every write is one transaction that checks `scrdesk.domain.rules.governance` first and refuses
with `RuleBroken` in the words the Sub group tab shows beside the field. Reads return plain dicts
with ISO dates; they carry refs, agencies and the sub group's own words, never a pseudonym.
The reviewer register and costs are in `store/reviewers.py`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date

from scrdesk.domain import values
from scrdesk.domain.dates import format_stored
from scrdesk.domain.resources import resource_path
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import governance as rules
from scrdesk.store import actions as action_store
from scrdesk.store.attachments import add_attachment, delete_owned
from scrdesk.store.db import Store, StoreError
from scrdesk.store.reviews import profile_for_record
from scrdesk.store.sub_group_due import (  # noqa: F401 (the sub group's reads, kept apart for the dashboard)
    TOR_OWNER,
    dashboard_lines,
    next_health_check_due,
    terms_of_reference,
    terms_of_reference_due,
)

LABELS = {
    "agency_id": "Agency", "name": "Name", "role": "Role", "deputy_name": "Deputy", "from_date": "From",
    "to_date": "To", "notes": "Notes", "interim": "Interim", "version": "Version", "approved_date": "Approved on",
    "next_review_date": "Next review due", "meeting_id": "Meeting", "status": "Attendance",
    "attendee": "Who attended", "note": "Note", "date": "Date", "code": "Question", "rag": "RAG",
    "comment": "Comment", "raised_date": "Raised on", "raised_by": "Raised by", "to_whom": "Escalated to",
    "subject": "Subject", "outcome": "Outcome", "closed_date": "Closed on",
}

GONE = "That record is no longer in the data file."


def _refuse(what: str, found: Mapping[str, str]) -> None:
    if found:
        raise RuleBroken(what, found, LABELS)


def _clean(record: Mapping[str, object]) -> dict:
    """Blank text as NULL, other text stripped: what the rules and the file see is the same."""
    cleaned = {}
    for key, value in record.items():
        if isinstance(value, str):
            value = value.strip() or None
        cleaned[key] = value
    return cleaned


def _save(store: Store, table: str, row_id: int | None, record: Mapping[str, object], check, what: str) -> int:
    """Create (no `row_id`) or update one row of `table` after `check(merged record)`."""
    with store.transaction():
        if row_id:
            old = store.get(table, row_id)
            if old is None:
                raise StoreError(GONE)
            merged = {**old, **_clean(record)}
            _refuse(what, check(merged))
            store.update(table, row_id, {k: v for k, v in merged.items() if old.get(k) != v})
            return row_id
        new = _clean(record)
        _refuse(what, check(new))
        return store.insert(table, new)


def _delete(store: Store, table: str, row_id: int) -> None:
    with store.transaction():
        if store.get(table, row_id) is None:
            raise StoreError(GONE)
        store.delete(table, row_id)


# -- members and chairs ---------------------------------------------------------------------------

def members(store: Store, on: date | str | None = None) -> list[dict]:
    """Members by agency (agency name, then from date); with `on`, only those serving that day."""
    where, params = "", []
    if on is not None:
        day = on.isoformat() if isinstance(on, date) else on
        where = " WHERE (m.from_date IS NULL OR m.from_date <= ?) AND (m.to_date IS NULL OR m.to_date >= ?)"
        params = [day, day]
    return store.rows("SELECT m.*, ag.name AS agency_name FROM members m JOIN agencies ag ON ag.id = m.agency_id"
                      f"{where} ORDER BY ag.name, m.from_date, m.id", params)


def save_member(store: Store, member_id: int | None, member: Mapping[str, object]) -> int:
    """Create or update a member (agency, name, role, deputy, from/to)."""
    return _save(store, "members", member_id, member, rules.member_problems, "The member")


def delete_member(store: Store, member_id: int) -> None:
    _delete(store, "members", member_id)


def chairs(store: Store) -> list[dict]:
    """The chair's history, earliest first, each with its agency's name (if any)."""
    return store.rows("SELECT c.*, ag.name AS agency_name FROM chairs c LEFT JOIN agencies ag ON ag.id = c.agency_id "
                      "ORDER BY c.from_date, c.id")


def chair_on(store: Store, on: date | str) -> dict | None:
    """Who chaired the sub group on a day (None when no one is recorded)."""
    day = on.isoformat() if isinstance(on, date) else on
    return store.row("SELECT * FROM chairs WHERE from_date <= ? AND (to_date IS NULL OR to_date >= ?) "
                     "ORDER BY from_date DESC LIMIT 1", [day, day])


def save_chair(store: Store, chair_id: int | None, chair: Mapping[str, object]) -> int:
    """Create or update a chair's term; refused when it overlaps another chair's term (one chair
    at a time: end the current term first)."""
    def check(record: Mapping[str, object]) -> dict:
        found = rules.chair_problems(record)
        if not found:
            others = [c for c in chairs(store) if c["id"] != record.get("id")]
            overlap = rules.chairs_overlap([*others, record])
            if overlap:
                found["from_date"] = overlap
        return found

    return _save(store, "chairs", chair_id, chair, check, "The chair")


def delete_chair(store: Store, chair_id: int) -> None:
    _delete(store, "chairs", chair_id)


# -- terms of reference ---------------------------------------------------------------------------

def save_terms_of_reference(store: Store, tor_id: int | None, tor: Mapping[str, object],
                            files: Iterable[dict] = ()) -> int:
    """Create or update a version and keep its document(s) (rows from `read_attachment_file`),
    in one transaction."""
    with store.transaction():
        saved = _save(store, "terms_of_reference", tor_id, tor, rules.terms_of_reference_problems,
                      "The terms of reference")
        for file in files:
            add_attachment(store, TOR_OWNER, saved, file)
    return saved


def delete_terms_of_reference(store: Store, tor_id: int) -> None:
    """A version and the documents kept with it."""
    with store.transaction():
        _delete(store, "terms_of_reference", tor_id)
        delete_owned(store, TOR_OWNER, [tor_id])


# -- meetings: attendance, quorum, decisions ------------------------------------------------------

def attendance(store: Store, meeting_id: int) -> list[dict]:
    """One meeting's attendance by agency (agency name order), with the status label."""
    rows = store.rows("SELECT ma.*, ag.name AS agency_name FROM meeting_attendance ma "
                      "JOIN agencies ag ON ag.id = ma.agency_id WHERE ma.meeting_id = ? ORDER BY ag.name",
                      [meeting_id])
    for row in rows:
        row["status_label"] = rules.ATTENDANCE.get(row["status"], row["status"])
    return rows


def set_attendance(store: Store, meeting_id: int, rows: Iterable[Mapping[str, object]]) -> None:
    """Replace a meeting's attendance with `rows` ({agency_id, status, attendee, note}), in one
    transaction; refused (nothing changed) when any row breaks a rule."""
    cleaned = [_clean({**row, "meeting_id": meeting_id}) for row in rows]
    for row in cleaned:
        _refuse("The attendance", rules.attendance_problems(row))
    with store.transaction():
        if store.get("meetings", meeting_id) is None:
            raise StoreError(GONE)
        for old in store.rows("SELECT id FROM meeting_attendance WHERE meeting_id = ?", [meeting_id]):
            store.delete("meeting_attendance", old["id"])
        for row in cleaned:
            store.insert("meeting_attendance", row)


def is_quorate(store: Store, meeting_id: int) -> bool:
    """Whether the meeting had its quorum (the `quorum_agencies` setting) present or deputised."""
    statuses = [r["status"] for r in store.rows(
        "SELECT status FROM meeting_attendance WHERE meeting_id = ?", [meeting_id])]
    return rules.is_quorate(statuses, store.settings().quorum_agencies)


def meetings_with_attendance(store: Store, start: date | None = None, end: date | None = None) -> list[dict]:
    """Meetings (newest first) in an optional period, each with counts per attendance status,
    `recorded` (whether attendance was taken), `quorate`, and `decisions` (referrals decided there)."""
    where, params = "", []
    if start and end:
        where, params = " WHERE m.date BETWEEN ? AND ?", [start.isoformat(), end.isoformat()]
    meetings = store.rows(f"SELECT m.* FROM meetings m{where} ORDER BY m.date DESC, m.id DESC", params)
    counts: dict[int, dict[str, int]] = {}
    for row in store.rows("SELECT meeting_id, status, count(*) AS n FROM meeting_attendance GROUP BY 1, 2"):
        counts.setdefault(row["meeting_id"], {})[row["status"]] = row["n"]
    decided: dict[str, int] = {
        r["meeting_date"]: r["n"] for r in store.rows(
            "SELECT meeting_date, count(*) AS n FROM referrals WHERE meeting_date IS NOT NULL GROUP BY 1")}
    quorum = store.settings().quorum_agencies
    for meeting in meetings:
        meeting["kind_label"] = values.label(values.MEETING_KINDS, meeting["kind"])
        mine = counts.get(meeting["id"], {})
        meeting.update({code: mine.get(code, 0) for code in rules.ATTENDANCE})
        meeting["recorded"] = bool(mine)
        meeting["quorate"] = bool(mine) and sum(mine.get(c, 0) for c in rules.ATTENDED) >= quorum
        meeting["decisions"] = decided.get(meeting["date"], 0)
    return meetings


def meeting_decisions(store: Store, meeting_id: int) -> list[dict]:
    """The referrals considered at a meeting (their meeting date is the meeting's date): ref,
    summary, recommendation, decision and its date. No pseudonym."""
    meeting = store.get("meetings", meeting_id)
    if meeting is None:
        return []
    rows = store.rows("SELECT id, ref, summary, recommendation, decision, decision_date, framework FROM referrals "
                      "WHERE meeting_date = ? ORDER BY ref", [meeting["date"]])
    for row in rows:
        # Each decision in the words of the framework it was made under.
        profile = profile_for_record(store, row["framework"], row["decision_date"])
        row["decision_label"] = profile.label(row["decision"]) if row["decision"] else ""
        row["recommendation_label"] = profile.label(row["recommendation"]) if row["recommendation"] else ""
    return rows


def attendance_rates(store: Store, start: date, end: date) -> dict[str, float]:
    """{agency name: share of the period's meetings with attendance taken at which the agency was
    present or sent a deputy} (0 to 1, two places), for agencies with attendance recorded."""
    rows = store.rows(
        "SELECT ag.name, sum(ma.status IN ('present', 'deputy')) AS came, count(*) AS expected "
        "FROM meeting_attendance ma JOIN meetings m ON m.id = ma.meeting_id JOIN agencies ag ON ag.id = ma.agency_id "
        "WHERE m.date BETWEEN ? AND ? GROUP BY ag.id ORDER BY ag.name", [start.isoformat(), end.isoformat()])
    return {r["name"]: round(r["came"] / r["expected"], 2) for r in rows if r["expected"]}


# -- health checks --------------------------------------------------------------------------------

def default_questions() -> list[dict]:
    """The default question set (resources/health_check/questions.json): [{code, area, text}]."""
    data = json.loads(resource_path("health_check", "questions.json").read_text(encoding="utf-8"))
    return [{"code": str(q["code"]), "area": str(q["area"]), "text": str(q["text"])} for q in data["questions"]]


def health_checks(store: Store) -> list[dict]:
    """Every health check, oldest first: id, date, notes, and counts `red`/`amber`/`green`/`unanswered`."""
    checks = store.rows("SELECT * FROM health_checks ORDER BY date, id")
    for check in checks:
        found = {r["rag"]: r["n"] for r in store.rows(
            "SELECT rag, count(*) AS n FROM health_check_answers WHERE health_check_id = ? GROUP BY rag", [check["id"]])}
        check.update({c: found.get(c, 0) for c in rules.RAG})
        check["unanswered"] = found.get(None, 0)
    return checks


def health_check_answers(store: Store, check_id: int) -> list[dict]:
    """A check's questions in order: code, area, question (the words asked), rag, comment."""
    return store.rows("SELECT id, code, area, question, rag, comment FROM health_check_answers "
                      "WHERE health_check_id = ? ORDER BY position, id", [check_id])


def health_check_actions(store: Store, check_id: int) -> list[dict]:
    """The sub group plan actions arising from a check, target order, with agency name."""
    return store.rows("SELECT a.*, ag.name AS agency_name FROM actions a LEFT JOIN agencies ag ON ag.id = a.agency_id "
                      "WHERE a.health_check_id = ? ORDER BY coalesce(a.revised_target_date, a.target_date), a.id",
                      [check_id])


def create_health_check(store: Store, check: Mapping[str, object],
                        questions: list[dict] | None = None) -> int:
    """A new check on its date with every question of the set (default: `default_questions()`)
    unanswered, in one transaction; refused when a check is already held on that date."""
    record = _clean(check)
    found = rules.health_check_problems(record)
    if not found and store.scalar("SELECT 1 FROM health_checks WHERE date = ?", [record["date"]]):
        found["date"] = "already has a health check"
    _refuse("The health check", found)
    with store.transaction():
        check_id = store.insert("health_checks", record)
        for position, q in enumerate(questions or default_questions(), start=1):
            store.insert("health_check_answers", {"health_check_id": check_id, "code": q["code"], "area": q["area"],
                                                  "question": q["text"], "position": position})
    return check_id


def update_health_check(store: Store, check_id: int, check: Mapping[str, object]) -> None:
    _save(store, "health_checks", check_id, check, rules.health_check_problems, "The health check")


def answer_health_check(store: Store, check_id: int, answers: Mapping[str, Mapping[str, object]]) -> None:
    """Set each question's RAG and comment ({code: {rag, comment}}), all in one transaction;
    refused, naming the question, when any answer breaks a rule."""
    with store.transaction():
        known = {r["code"]: r for r in health_check_answers(store, check_id)}
        for code, answer in answers.items():
            if code not in known:
                raise StoreError(f"The health check has no question {code}.")
            merged = {**known[code], **_clean(answer), "code": code}
            found = rules.answer_problems(merged)
            if found:
                raise RuleBroken(f"The answer to {code}", found, LABELS)
            store.update("health_check_answers", known[code]["id"],
                         {k: merged.get(k) for k in ("rag", "comment")})


def add_health_check_action(store: Store, check_id: int, action: Mapping[str, object]) -> int:
    """An action arising from a health check: a sub group plan action (source "health_check",
    no review) with the action plan's rules and mechanics."""
    check = store.get("health_checks", check_id)
    if check is None:
        raise StoreError(GONE)
    record = {"status": "not_started", **action, "review_id": None, "source_kind": "health_check",
              "health_check_id": check_id}
    if not record.get("source_text"):
        record["source_text"] = f"Health check of {format_stored(check['date'])}"
    return action_store.create_action(store, record)


def delete_health_check(store: Store, check_id: int) -> None:
    """A check and its answers; actions arising stay in the plan (their source text says where
    they came from)."""
    _delete(store, "health_checks", check_id)


# -- escalations ----------------------------------------------------------------------------------

_ESCALATION_SELECT = (
    "SELECT e.*, a.text AS action_text, ag.name AS action_agency, rv.title AS review_title, "
    "(SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
    " WHERE rr.review_id = e.review_id) AS review_refs, rf.ref AS referral_ref "
    "FROM escalations e LEFT JOIN actions a ON a.id = e.action_id LEFT JOIN agencies ag ON ag.id = a.agency_id "
    "LEFT JOIN reviews rv ON rv.id = e.review_id LEFT JOIN referrals rf ON rf.id = e.referral_id")


def _concerns(row: dict) -> str:
    if row.get("action_id"):
        agency = f" ({row['action_agency']})" if row.get("action_agency") else ""
        return f"Action{agency}: {row.get('action_text') or ''}".strip()
    if row.get("review_id"):
        return f"Review {row.get('review_refs') or row.get('review_title') or ''}".strip()
    if row.get("referral_id"):
        return f"Referral {row.get('referral_ref') or ''}".strip()
    return ""


def escalations(store: Store, *, open_only: bool = False) -> list[dict]:
    """The escalation log, newest first, each with `to_whom_label`, `concerns` (the record it is
    about, in words) and `open`."""
    where = " WHERE e.closed_date IS NULL" if open_only else ""
    rows = store.rows(f"{_ESCALATION_SELECT}{where} ORDER BY e.raised_date DESC, e.id DESC")
    for row in rows:
        row["to_whom_label"] = rules.ESCALATE_TO.get(row["to_whom"], row["to_whom"])
        row["concerns"] = _concerns(row)
        row["open"] = not row["closed_date"]
    return rows


def escalation_report_rows(store: Store) -> list[dict]:
    """The log oldest first, for the chair's report (same fields as `escalations`)."""
    return list(reversed(escalations(store)))


def save_escalation(store: Store, escalation_id: int | None, escalation: Mapping[str, object]) -> int:
    """Create or update an escalation (closing it needs its outcome)."""
    return _save(store, "escalations", escalation_id, escalation, rules.escalation_problems, "The escalation")


def delete_escalation(store: Store, escalation_id: int) -> None:
    _delete(store, "escalations", escalation_id)


def escalate_action(store: Store, action_id: int, escalation: Mapping[str, object]) -> int:
    """Escalate an (overdue) action in one step: the escalation logged against it and the action's
    own "escalated on / to" set, in one transaction."""
    with store.transaction():
        action = store.get("actions", action_id)
        if action is None:
            raise StoreError(action_store.ACTION_GONE)
        record = {"subject": action_for_escalation(store, action_id)["subject"], **escalation, "action_id": action_id}
        escalation_id = save_escalation(store, None, record)
        saved = store.get("escalations", escalation_id)
        action_store.update_action(store, action_id, {
            "escalated_date": saved["raised_date"], "escalated_to": rules.ESCALATE_TO[saved["to_whom"]]})
    return escalation_id


def action_for_escalation(store: Store, action_id: int) -> dict:
    """What "Escalate…" on an action starts from: a `subject` and the action in `words`."""
    row = store.row("SELECT a.text, coalesce(a.revised_target_date, a.target_date) AS target, ag.name AS agency "
                    "FROM actions a LEFT JOIN agencies ag ON ag.id = a.agency_id WHERE a.id = ?", [action_id])
    if row is None:
        raise StoreError(action_store.ACTION_GONE)
    text = row["text"] if len(row["text"]) <= 70 else row["text"][:69] + "\u2026"
    due = f", due {format_stored(row['target'])}" if row["target"] else ""
    return {"subject": f"Overdue action: {text}"[:rules.ESCALATION_LIMITS["subject"]],
            "words": f"Action ({row['agency'] or 'no agency'}{due}): {text}"}


def review_for_escalation(store: Store, review_id: int) -> dict:
    """What "Escalate…" on a review starts from: a `subject` and the review in `words` (refs)."""
    row = store.row("SELECT rv.title, (SELECT group_concat(r.ref, ', ') FROM review_referrals rr "
                    "JOIN referrals r ON r.id = rr.referral_id WHERE rr.review_id = rv.id) AS refs "
                    "FROM reviews rv WHERE rv.id = ?", [review_id])
    if row is None:
        raise StoreError(GONE)
    return {"subject": f"Review behind target: {row['title']}"[:rules.ESCALATION_LIMITS["subject"]],
            "words": f"Review {row['refs'] or row['title']}"}


def escalate_review(store: Store, review_id: int, escalation: Mapping[str, object]) -> int:
    """Escalate a (late) review in one step: the escalation logged against it."""
    return save_escalation(store, None, {"subject": review_for_escalation(store, review_id)["subject"],
                                         **escalation, "review_id": review_id})


# -- reads for the Sub group tab's dialogs --------------------------------------------------------

#: The tables a Sub group dialog may read one row of (through `get_record`).
_OWN_TABLES = frozenset({"members", "chairs", "terms_of_reference", "health_checks", "escalations",
                         "reviewers", "commissions", "review_costs", "budgets", "budget_contributions",
                         "meetings"})


def get_record(store: Store, table: str, row_id: int) -> dict | None:
    """One row of one of the sub group's own tables (None when it has gone)."""
    if table not in _OWN_TABLES:
        raise StoreError(f"{table} is not one of the sub group's records.")
    return store.get(table, row_id)


def tor_documents(store: Store, tor_id: int) -> list[dict]:
    """The files kept with a terms of reference version (id, file_name, size)."""
    return store.rows("SELECT id, file_name, size FROM attachments WHERE owner_kind = ? AND owner_id = ? "
                      "ORDER BY id", [TOR_OWNER, tor_id])


def escalation_choices(store: Store, today: date | None = None) -> dict[str, str]:
    """What an escalation may concern, as {"action:ID" | "review:ID": words}: open actions past
    their target (most overdue first) and open reviews, each named by agency or refs."""
    today = today or store.settings().today()
    found: dict[str, str] = {}
    for row in store.rows(
            "SELECT a.id, a.text, coalesce(a.revised_target_date, a.target_date) AS target, ag.name AS agency "
            "FROM actions a LEFT JOIN agencies ag ON ag.id = a.agency_id WHERE a.status NOT IN "
            "('complete_awaiting_evidence', 'complete_evidenced', 'signed_off') "
            "AND coalesce(a.revised_target_date, a.target_date) < ? ORDER BY target, a.id", [today.isoformat()]):
        text = row["text"] if len(row["text"]) <= 70 else row["text"][:69] + "\u2026"
        found[f"action:{row['id']}"] = f"Overdue action ({row['agency'] or 'no agency'}, due {row['target']}): {text}"
    for row in store.rows(
            "SELECT rv.id, rv.title, (SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r "
            "ON r.id = rr.referral_id WHERE rr.review_id = rv.id) AS refs FROM reviews rv "
            "WHERE rv.completed_date IS NULL ORDER BY refs, rv.title"):
        found[f"review:{row['id']}"] = f"Review {row['refs'] or row['title']}"
    return found

