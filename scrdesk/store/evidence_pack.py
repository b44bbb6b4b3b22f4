"""The inspection evidence pack's data: what an Ofsted inspection asks to see of case reviews,
for a period, as one plain dict (decisions with rationale, national panel responses, timeliness,
the action plan by agency, dissemination evidence and feedback, impact statements).

Rows carry only publishable fields: refs, summaries, agencies, dates and the sub group's own words;
never a pseudonym or a restricted identifier.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from scrdesk.domain import values
from scrdesk.domain.dates import format_date
from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.profiles import profile_in_force
from scrdesk.store import annual, impact, learning_reads, papers, queries
from scrdesk.store.db import Store

#: Without --from, the pack covers the three years before its end date: the span an inspection of
#: a partnership's arrangements usually looks back over.
DEFAULT_YEARS = 3

SECTIONS = (
    ("decisions", "Decisions with rationale"),
    ("panel", "National panel responses"),
    ("timeliness", "Timeliness of reviews"),
    ("actions", "The action plan by agency"),
    ("dissemination", "Dissemination evidence and feedback"),
    ("impact", "Impact statements"),
)


def period(store: Store, start: date | None, end: date | None) -> tuple[date, date]:
    end = end or store.settings().today()
    start = start or end.replace(year=end.year - DEFAULT_YEARS, day=min(end.day, 28))
    if start > end:
        raise InvalidValue("From date", start.isoformat(), f"is after the to date ({format_date(end)})")
    return start, end


def _decisions(store: Store, s: str, e: str) -> list[dict]:
    rows = store.rows(
        "SELECT r.ref, r.summary, r.source, r.received_date, r.meeting_date, r.recommendation, r.decision, "
        "r.decision_date, r.decision_maker, r.rationale, r.framework FROM referrals r "
        "WHERE r.decision_date BETWEEN ? AND ? ORDER BY r.decision_date, r.ref", [s, e])
    jurisdiction = store.settings().jurisdiction
    for row in rows:
        in_force = profile_in_force(date.fromisoformat(row["decision_date"]), jurisdiction)
        profile = annual._profile(row["framework"], in_force)
        row["decision_label"] = annual._label_in(profile, row["decision"])
        row["recommendation_label"] = annual._label_in(profile, row["recommendation"]) if row["recommendation"] else ""
        row["source_label"] = values.label(values.REFERRAL_SOURCES, row["source"])
        row["summary"] = row["summary"] or ""
        row["rationale"] = row["rationale"] or ""
        row["decision_maker"] = row["decision_maker"] or ""
    return rows


def _panel(store: Store, s: str, e: str) -> list[dict]:
    """Each time the national panel was told of a decision or sent a review, with its response."""
    out = []
    jurisdiction = store.settings().jurisdiction
    for row in store.rows(
        "SELECT r.ref, r.decision, r.framework, r.decision_date, r.panel_informed_date AS sent, "
        "r.panel_response_date AS response, r.panel_agreed AS agreed FROM referrals r "
        "WHERE r.panel_informed_date BETWEEN :s AND :e OR r.panel_response_date BETWEEN :s AND :e "
        "ORDER BY r.panel_informed_date, r.ref", {"s": s, "e": e}):
        profile = annual._profile(row["framework"], profile_in_force(date.fromisoformat(row["sent"] or e), jurisdiction))
        out.append({**row, "what": f"Decision: {annual._label_in(profile, row['decision'])}"})
    for row in store.rows(
        "SELECT COALESCE((SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r "
        " ON r.id = rr.referral_id WHERE rr.review_id = v.id), v.title) AS ref, v.review_type, "
        "v.sent_to_panel_date AS sent, v.panel_response_date AS response, v.panel_agreed AS agreed "
        "FROM reviews v WHERE v.sent_to_panel_date BETWEEN :s AND :e OR v.panel_response_date BETWEEN :s AND :e "
        "ORDER BY v.sent_to_panel_date", {"s": s, "e": e}):
        out.append({**row, "what": "Review report sent"})
    for row in out:
        row["agreed_text"] = {1: "Agreed", 0: "Did not agree"}.get(row["agreed"], "No response recorded"
                                                                   if not row["response"] else "Not stated")
    return out


def _actions_by_agency(store: Store, start: date, end: date) -> dict:
    """The plan by agency as at `end`: every open action, and those completed in the period; the
    actions completed before it are counted, not listed (a large plan would run to a thousand pages).
    An action of the sub group's own plan (no review) is named by its source."""
    s, e = start.isoformat(), end.isoformat()
    refs = {r["review_id"]: r["refs"] for r in store.rows(
        "SELECT rr.review_id, group_concat(r.ref, ', ') AS refs FROM review_referrals rr "
        "JOIN referrals r ON r.id = rr.referral_id GROUP BY rr.review_id")}
    agencies: dict[str, list[dict]] = defaultdict(list)
    earlier: dict[str, int] = defaultdict(int)
    for row in queries.action_rows(store, end, order="plan"):
        agency = row.get("agency_name") or "No agency set"
        if row["status"] in values.COMPLETE_ACTION_STATUSES and not s <= (row["signoff_date"] or e) <= e:
            earlier[agency] += 1
            continue
        agencies[agency].append({
            "ref": refs.get(row["review_id"]) or row.get("review_title") or row.get("source_text") or "Sub group plan",
            "recommendation_number": row.get("recommendation_number") or "",
            "text": row["text"],
            "effective_target": row["effective_target"],
            "status": row["status_label"],
            "signoff_date": row["signoff_date"],
            "rag": papers.rag_dict(row["rag"]),
        })
    return {
        "as_at": e,
        "totals": annual._actions(store, end),
        "agencies": [{"agency": name, "actions": agencies.get(name, []), "completed_before": earlier.get(name, 0)}
                     for name in sorted(set(agencies) | set(earlier))],
    }


def _dissemination(store: Store, s: str, e: str) -> list[dict]:
    return store.rows(
        "SELECT COALESCE((SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r "
        " ON r.id = rr.referral_id WHERE rr.review_id = b.review_id), '') AS ref, b.title AS briefing, "
        "ag.name AS agency, d.sent_date, d.feedback_due_date, d.feedback_received_date, d.teams_briefed, "
        "d.staff_reached, d.note, (SELECT count(*) FROM attachments a WHERE a.owner_kind = 'dissemination' "
        " AND a.owner_id = d.id) AS evidence_files "
        "FROM disseminations d JOIN briefings b ON b.id = d.briefing_id JOIN agencies ag ON ag.id = d.agency_id "
        "WHERE d.sent_date BETWEEN ? AND ? ORDER BY d.sent_date, ref, ag.name", [s, e])


def evidence_pack_data(store: Store, start: date | None = None, end: date | None = None) -> dict:
    """Every section of the evidence pack for the period `start`..`end` (defaults: see `period`)."""
    start, end = period(store, start, end)
    s, e = start.isoformat(), end.isoformat()
    settings = store.settings()
    profile = profile_in_force(start, settings.jurisdiction)
    reviews = annual._reviews(store, start, end, profile)
    return {
        "period": {"start": s, "end": e},
        "board_name": settings.board_name,
        "sections": [{"key": k, "title": t} for k, t in SECTIONS],
        "decisions": _decisions(store, s, e),
        "panel": _panel(store, s, e),
        "timeliness": reviews["timeliness"],
        "actions": _actions_by_agency(store, start, min(end, settings.today())),
        "dissemination": _dissemination(store, s, e),
        "channels": learning_reads.briefing_channels(store, s, e),
        "impact": impact.impact_rows(store, s, e),
        "closures": impact.closure_summary(store, s, e),
    }
