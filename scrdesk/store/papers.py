"""What each document needs, gathered from the store into plain dicts (no ReportLab here).

One function per document: `briefing_data`, `paper_data`, `action_plan_data`, `chaser_data`,
`timeline_data`. Labels come from each record's own framework profile and every RAG carries its
reason. Restricted identifiers are never read here (only the anonymisation gate reads them), and
pseudonyms are not selected: the documents print references, never a child's name.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from scrdesk.domain import values
from scrdesk.domain.ages import Age, format_age
from scrdesk.domain.dates import format_date
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.rag import Rag
from scrdesk.domain.refs import normalise_ref
from scrdesk.domain.rules.governance import PLAN_SOURCES
from scrdesk.domain.templates import load_template
from scrdesk.store.queries import (
    action_rows,
    dissemination_waiting,
    overdue_by_agency,
    profile_for,
    review_rows,
    today_for,
)
from scrdesk.store.statutory import statutory_clocks

DEFAULT_SINCE_WEEKS = 6
PAPER_KINDS = {"scr": "scr_subgroup", "qa": "qa_subgroup"}


def rag_dict(rag: Rag | None) -> dict:
    if rag is None:
        return {"colour": "grey", "reason": ""}
    return {"colour": rag.colour, "reason": rag.reason}


def _age(row: dict) -> str:
    try:
        return format_age(Age.from_columns(row))
    except InvalidValue:
        return ""


# -- briefings -------------------------------------------------------------------------------

def find_briefing_id(store, ref_or_briefing_id: int | str) -> int:
    """A briefing id from itself, or from a review's case reference (`Ref021`, `ref 21`) or title.

    For a review with several briefings: the issued one, else the highest version.
    """
    if isinstance(ref_or_briefing_id, int):
        if store.get("briefings", ref_or_briefing_id) is None:
            raise ScrdeskError(f"There is no briefing {ref_or_briefing_id}.")
        return ref_or_briefing_id
    text = str(ref_or_briefing_id).strip()
    review_ids: list[int] = []
    try:
        ref = normalise_ref(text, store.settings().ref_prefix, store.settings().ref_width)
        review_ids = [r["review_id"] for r in store.rows(
            "SELECT rr.review_id FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
            "WHERE r.ref = ?", [ref])]
    except InvalidValue:
        ref = text
    if not review_ids:
        review_ids = [r["id"] for r in store.rows("SELECT id FROM reviews WHERE title = ? COLLATE NOCASE", [text])]
    if not review_ids:
        raise ScrdeskError(f"There is no review for {ref}.")
    marks = ", ".join("?" for _ in review_ids)
    found = store.scalar(
        f"SELECT id FROM briefings WHERE review_id IN ({marks}) "
        "ORDER BY status = 'issued' DESC, version DESC, id DESC LIMIT 1", review_ids)
    if found is None:
        raise ScrdeskError(f"The review for {ref} has no briefing yet; write one in the Briefings tab first.")
    return int(found)


def briefing_data(store, ref_or_briefing_id: int | str) -> dict:
    briefing_id = find_briefing_id(store, ref_or_briefing_id)
    briefing = store.get("briefings", briefing_id)
    # One review's own rows only: a briefing needs no clocks, stages or action counts.
    review = store.get("reviews", briefing["review_id"])
    profile = profile_for(store, review.get("framework"))
    linked = store.rows("SELECT r.ref, r.summary FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
                        "WHERE rr.review_id = ? ORDER BY r.ref", [review["id"]])
    sections = store.rows("SELECT key, title, body FROM briefing_sections WHERE briefing_id = ? "
                          "ORDER BY position, id", [briefing_id])
    summaries = [r["summary"] for r in linked if r["summary"]]
    return {
        "briefing_id": briefing_id,
        "review_id": review["id"],
        "ref": ", ".join(r["ref"] for r in linked) or review["title"],
        "title": briefing.get("title") or "",
        "summary": summaries[0] if len(summaries) == 1 else review["title"],
        "template": briefing["template"],
        "status": briefing["status"],
        "version": briefing["version"],
        "approved_date": briefing["approved_date"],
        "issued_date": briefing["issued_date"],
        "learning_themes": briefing.get("learning_themes") or "",
        "review_type_label": profile.label(review["review_type"]),
        "methodology_label": profile.methodology_label(review["methodology"]) if review.get("methodology") else "",
        "published_date": review.get("published_date"),
        "sections": sections,
    }


# -- the meeting briefing paper ----------------------------------------------------------------

def last_meeting_before(store, on: date, meeting_kind: str) -> date | None:
    found = store.scalar("SELECT max(date) FROM meetings WHERE kind = ? AND date < ?",
                         [meeting_kind, on.isoformat()])
    return date.fromisoformat(found) if found else None


def _referral_row(store, row: dict) -> dict:
    profile = profile_for(store, row.get("framework"))
    return {
        "ref": row["ref"],
        "received_date": row["received_date"],
        "source": values.label(values.REFERRAL_SOURCES, row["source"]),
        "summary": row["summary"] or "",
        "location": row["location"] or "",
        "gender": values.label(values.GENDERS, row["gender"]),
        "age": _age(row),
        "harm": values.label(values.HARM_CATEGORIES, row["harm_category"]),
        "meeting_date": row["meeting_date"],
        "recommendation": profile.label(row["recommendation"]) if row["recommendation"] else "",
        "decision": profile.label(row["decision"]) if row["decision"] else "",
        "decision_date": row["decision_date"],
        "rationale": row["rationale"] or "",
    }


def _review_row(review: dict) -> dict:
    summaries = [r["summary"] for r in review["referrals"] if r.get("summary")]
    return {
        "id": review["id"],
        "ref": review["refs"],
        "summary": summaries[0] if len(summaries) == 1 else review["title"],
        "type": review["type_label"],
        "methodology": review["methodology_label"],
        "reviewer": review.get("lead_reviewer") or "",
        "status": review["status_label"],
        "current_stage": review["current_stage"],
        "current_stage_date": review["current_stage_date"],
        "next_milestone": review["next_milestone"],
        "next_milestone_date": review["next_milestone_date"],
        "target_date": review["target_date"],
        "target_basis": review["target_basis"],
        "rag": rag_dict(review["rag"]),
        "publication": review["publication"],
        "open_actions": review["open_actions"],
        "overdue_actions": review["overdue_actions"],
    }


#: How the sub group's own plan actions are named where a review's ref would be.
PLAN_REF = "Sub group plan"


def _plan_title(row: dict) -> str:
    return f"{PLAN_REF} \u2013 {PLAN_SOURCES.get(row.get('source_kind') or '', 'own actions')}"


def _action_row(row: dict, refs: dict[int, str]) -> dict:
    return {
        "id": row["id"],
        # The sub group's own plan action (issue 13) has a source instead of a review.
        "ref": refs.get(row["review_id"], row["review_title"]) or PLAN_REF,
        "review_title": row["review_title"] or _plan_title(row),
        "recommendation_number": row.get("recommendation_number") or "",
        "agency": row.get("agency_name") or "No agency set",
        "agency_short": row.get("agency_short") or row.get("agency_name") or "",
        "lead_officer": row.get("lead_officer") or "",
        "text": row["text"],
        "agreed_date": row.get("agreed_date"),
        "target_date": row["target_date"],
        "revised_target_date": row["revised_target_date"],
        "revised_reason": row.get("revised_reason") or "",
        "effective_target": row["effective_target"],
        "status": row["status_label"],
        "rag": rag_dict(row["rag"]),
        "signoff_date": row.get("signoff_date"),
    }


def _review_refs(store) -> dict[int, str]:
    refs: dict[int, list[str]] = defaultdict(list)
    for row in store.rows("SELECT rr.review_id, r.ref FROM review_referrals rr "
                          "JOIN referrals r ON r.id = rr.referral_id ORDER BY r.ref"):
        refs[row["review_id"]].append(row["ref"])
    return {k: ", ".join(v) for k, v in refs.items()}


def paper_data(store, on: date | None = None, kind: str = "scr") -> dict:
    """The meeting briefing paper for the SCR (case review) sub group or the QA sub group."""
    if kind not in PAPER_KINDS:
        raise InvalidValue("Paper kind", kind, "must be scr or qa")
    on = on or today_for(store)
    meeting_kind = PAPER_KINDS[kind]
    last = last_meeting_before(store, on, meeting_kind)
    since = last or on - timedelta(weeks=DEFAULT_SINCE_WEEKS)
    since_basis = (f"since the last meeting on {format_date(last)}" if last else
                   f"in the {DEFAULT_SINCE_WEEKS} weeks before this meeting (no earlier meeting is recorded)")
    referrals = [_referral_row(store, r) for r in store.rows(
        "SELECT * FROM referrals WHERE received_date > ? AND received_date <= ? ORDER BY received_date, ref",
        [since.isoformat(), on.isoformat()])]
    refs = _review_refs(store)
    overdue = [{"agency": g["agency"], "actions": [_action_row(a, refs) for a in g["actions"]]}
               for g in overdue_by_agency(store, on)]
    profile = profile_for(store, None)
    data = {
        "on": on.isoformat(),
        "kind": kind,
        "meeting_label": profile.value_label("MEETING_KINDS", meeting_kind),
        "since": since.isoformat(),
        "since_basis": since_basis,
        "reviews": [_review_row(r) for r in review_rows(store, on, live_only=True)],
        # Working Together 2018/2023 clocks of live rapid reviews and LCSPRs, soonest first.
        "statutory_clocks": [{"ref": c["ref"], "what": c["what"], "due": c["due"], "rag": rag_dict(c["rag"])}
                             for c in statutory_clocks(store, on)],
        "referrals": referrals,
        "overdue_by_agency": overdue,
        "learning": [],
        "feedback_waiting": [],
    }
    if kind == "qa":
        data["learning"] = [{
            "ref": refs.get(b["review_id"], b["review_title"]),
            "title": b["title"] or b["review_title"],
            "template": b["template"],
            "issued_date": b["issued_date"],
            "sent": b["sent"],
            "feedback": b["feedback"],
        } for b in store.rows(
            "SELECT b.*, rv.title AS review_title, "
            "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id AND d.sent_date IS NOT NULL) AS sent, "
            "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id "
            " AND d.feedback_received_date IS NOT NULL) AS feedback "
            "FROM briefings b JOIN reviews rv ON rv.id = b.review_id "
            "WHERE b.status = 'issued' AND b.issued_date > ? AND b.issued_date <= ? ORDER BY b.issued_date",
            [since.isoformat(), on.isoformat()])]
        data["feedback_waiting"] = [{
            "ref": refs.get(d["review_id"], d["review_title"]),
            "agency": d["agency_name"],
            "sent_date": d["sent_date"],
            "feedback_due_date": d["feedback_due_date"],
            "rag": rag_dict(d["rag"]),
        } for d in dissemination_waiting(store, on, within_days=0)]
    return data


# -- the composite action plan -------------------------------------------------------------------

def action_plan_data(store, today: date | None = None) -> dict:
    """The plan grouped review -> recommendation -> actions, with the latest update of each action."""
    today = today or today_for(store)
    reviews = {r["id"]: r for r in review_rows(store, today)}
    refs = _review_refs(store)
    latest = {r["action_id"]: r for r in store.rows(
        "SELECT u.action_id, u.date, u.note FROM action_updates u WHERE u.id = "
        "(SELECT u2.id FROM action_updates u2 WHERE u2.action_id = u.action_id ORDER BY u2.date DESC, u2.id DESC LIMIT 1)")}
    recommendations = {r["id"]: r for r in store.rows("SELECT * FROM recommendations")}
    groups: dict[int, dict] = {}
    totals = {"total": 0, "complete": 0, "overdue": 0, "red": 0, "amber": 0, "green": 0, "blue": 0, "grey": 0}
    for row in action_rows(store, today, order="plan"):
        review = reviews.get(row["review_id"], {})
        # The sub group's own plan: a group per source, a part per source text, after the reviews.
        plan = row["review_id"] is None
        group = groups.setdefault(("source", row["source_kind"]) if plan else row["review_id"], {
            "ref": PLAN_REF if plan else refs.get(row["review_id"], row["review_title"]),
            "title": PLAN_SOURCES.get(row["source_kind"] or "", "") if plan else row["review_title"],
            "type": "" if plan else review.get("type_label", ""),
            "status": review.get("status_label", ""),
            "recommendations": {},
        })
        rec_id = row.get("recommendation_id")
        rec = recommendations.get(rec_id) if rec_id else None
        rec_group = group["recommendations"].setdefault(("source", row["source_text"]) if plan else rec_id, {
            "number": (rec or {}).get("number") or "",
            "text": (rec or {}).get("text") or (plan and row["source_text"]) or "Actions not linked to a recommendation",
            # A part of the sub group's own plan is a source, not a recommendation.
            "source": plan,
            "level": values.label(values.RECOMMENDATION_LEVELS, (rec or {}).get("level")) if rec else "",
            "actions": [],
        })
        action = _action_row(row, refs)
        update = latest.get(row["id"])
        action["latest_update"] = (f"{format_date(date.fromisoformat(update['date']))}: {update['note']}"
                                   if update else "")
        rec_group["actions"].append(action)
        totals["total"] += 1
        totals[action["rag"]["colour"]] = totals.get(action["rag"]["colour"], 0) + 1
        if row["status"] in values.COMPLETE_ACTION_STATUSES:
            totals["complete"] += 1
        elif row["effective_target"] and row["effective_target"] < today.isoformat():
            totals["overdue"] += 1
    ordered = []
    for group in groups.values():
        recs = list(group["recommendations"].values())
        # Unlinked actions last: they follow the numbered recommendations.
        recs.sort(key=lambda r: (r["text"] == "Actions not linked to a recommendation", _number_key(r["number"])))
        ordered.append({**group, "recommendations": recs})
    ordered.sort(key=lambda g: (g["ref"] == PLAN_REF, g["ref"], g["title"]))
    return {"as_at": today.isoformat(), "reviews": ordered, "totals": totals}


def _number_key(number: str) -> tuple:
    digits = "".join(ch for ch in number if ch.isdigit())
    return (int(digits) if digits else 10**6, number)


# -- chasers -----------------------------------------------------------------------------------

def chaser_data(store, agency_id: int | None = None, today: date | None = None) -> list[dict]:
    """Per agency with something to chase: overdue and due-soon actions, missing dissemination evidence."""
    today = today or today_for(store)
    soon = store.settings().due_soon_days
    refs = _review_refs(store)
    sql = "SELECT * FROM agencies WHERE active = 1" + (" AND id = ?" if agency_id is not None else "") + " ORDER BY name"
    agencies = store.rows(sql, [agency_id] if agency_id is not None else [])
    if agency_id is not None and not agencies:
        raise ScrdeskError(f"There is no active agency {agency_id}.")
    out = []
    for agency in agencies:
        overdue = [_action_row(a, refs) for a in action_rows(store, today, agency_id=agency["id"], overdue=True,
                                                             order="target")]
        due_soon = [_action_row(a, refs) for a in action_rows(store, today, agency_id=agency["id"],
                                                              due_within_days=soon, order="target")]
        evidence = []
        for d in store.rows(
            "SELECT d.*, b.title AS briefing_title, b.template, b.review_id, rv.title AS review_title, "
            "(SELECT count(*) FROM attachments at WHERE at.owner_kind = 'dissemination' AND at.owner_id = d.id) AS files "
            "FROM disseminations d JOIN briefings b ON b.id = d.briefing_id JOIN reviews rv ON rv.id = b.review_id "
            "WHERE d.agency_id = ? AND d.sent_date IS NOT NULL ORDER BY d.feedback_due_date, d.id", [agency["id"]]):
            no_feedback = d["feedback_received_date"] is None
            no_evidence = not (d["teams_briefed"] or d["staff_reached"] or d["files"])
            if not (no_feedback or no_evidence):
                continue
            due = d["feedback_due_date"]
            late = bool(due) and due < today.isoformat()
            evidence.append({
                "ref": refs.get(d["review_id"], d["review_title"]),
                "briefing": d["briefing_title"] or _template_name(d["template"]),
                "sent_date": d["sent_date"],
                "feedback_due_date": due,
                "missing": "feedback and evidence of dissemination" if no_feedback else "evidence of dissemination",
                "late": late,
            })
        if overdue or due_soon or evidence:
            out.append({
                "agency_id": agency["id"],
                "agency": agency["name"],
                "short_name": agency.get("short_name") or agency["name"],
                "lead_name": agency.get("lead_name") or "",
                "lead_email": agency.get("lead_email") or "",
                "overdue": overdue,
                "due_soon": due_soon,
                "evidence": evidence,
                "due_soon_days": soon,
                "as_at": today.isoformat(),
            })
    return out


def _template_name(code: str) -> str:
    try:
        return load_template(code).name
    except ScrdeskError:
        return "briefing"


def agency_lead_email(store, agency_id: int | None) -> str:
    if agency_id is None:
        return ""
    row = store.get("agencies", agency_id)
    return (row or {}).get("lead_email") or ""


# -- timelines -----------------------------------------------------------------------------------

def timeline_data(store, review_id: int | None = None, today: date | None = None) -> dict:
    """One review's milestones, or (review_id None) every live review for a Gantt chart."""
    today = today or today_for(store)
    reviews = review_rows(store, today, review_id=review_id) if review_id is not None else \
        review_rows(store, today, live_only=True)
    if review_id is not None and not reviews:
        raise ScrdeskError(f"There is no review {review_id}.")
    ids = [r["id"] for r in reviews]
    milestones: dict[int, list[dict]] = defaultdict(list)
    if ids:
        marks = ", ".join("?" for _ in ids)
        for m in store.rows(f"SELECT * FROM milestones WHERE review_id IN ({marks}) "
                            "ORDER BY review_id, coalesce(actual_date, planned_date), id", ids):
            milestones[m["review_id"]].append({
                "kind": m["kind"],
                "label": values.label(values.MILESTONE_KINDS, m["kind"]),
                "planned_date": m["planned_date"],
                "actual_date": m["actual_date"],
                "attendance": m["attendance"],
                "notes": m["notes"] or "",
            })
    rows = []
    for r in reviews:
        row = _review_row(r)
        row.update({
            "start_date": r.get("initiated_date") or r.get("agreed_date"),
            "agreed_date": r.get("agreed_date"),
            "completed_date": r.get("completed_date"),
            "published_date": r.get("published_date"),
            "milestones": milestones.get(r["id"], []),
        })
        rows.append(row)
    return {"today": today.isoformat(), "review_id": review_id, "reviews": rows}
