"""Today's statutory process (Working Together 2018/2023): notification, rapid review, LCSPR.

A serious incident is notified to the national panel within 5 working days of the local authority
becoming aware; a rapid review is submitted within 15 working days of notification; the
partnership then decides on an LCSPR. The clocks come from the record's own framework profile, so
a case decided under Working Together 2015 keeps its 2015 rules.
"""

from __future__ import annotations

from datetime import date

from scrdesk.domain.dates import format_date, reporting_period
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.profiles import framework_for, get_profile
from scrdesk.domain.rag import rag_for_deadline
from scrdesk.domain.rules import require
from scrdesk.domain.rules import statutory as rules
from scrdesk.domain.timescales import add_working_days, due_date
from scrdesk.store import referrals as referral_store
from scrdesk.store import reviews as review_store
from scrdesk.store.queries import profile_for, today_for

RAPID_REVIEW = "RAPID_REVIEW"
RAPID_METHODOLOGY = "rapid_review"
#: The decisions a rapid review can lead to (issue 7).
DECISIONS_AFTER_RAPID_REVIEW = ("LCSPR", "NFA", "LOCAL_LEARNING", "NATIONAL")
#: The step by which agency summaries and chronologies are due: "days 2–10".
RETURNS_DUE_STEP = "agency_summaries"


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def notification_clock(store, referral: dict, today: date | None = None) -> dict | None:
    """The 5-working-day notification clock of one referral, or None where it does not apply."""
    aware = _d(referral.get("la_aware_date"))
    if aware is None:
        return None
    profile = profile_for(store, referral.get("framework"))
    rule = profile.rule("sin_after_aware")
    if rule is None:
        return None
    due = due_date(rule, aware)
    notified = _d(referral.get("sin_submitted_date"))
    rag = rag_for_deadline(due, notified, today or today_for(store), amber_working_days=2,
                           what="notification")
    on_time = None if notified is None else notified <= due
    return {"aware": aware, "due": due, "notified": notified, "on_time": on_time, "rag": rag,
            "label": profile.notification_label,
            "text": _on_time_text("Notified", notified, due) if notified else str(rag)}


def _on_time_text(what: str, done: date, due: date) -> str:
    if done <= due:
        return f"{what} {format_date(done)}, on time (due {format_date(due)})"
    late = (done - due).days
    return f"{what} {format_date(done)}, {late} day{'s' if late != 1 else ''} late (due {format_date(due)})"


def start_rapid_review(store, referral_id: int, notification_date: date,
                       agency_ids: list[int] | None = None) -> int:
    """Record the notification and open a rapid review with its day-by-day plan.

    Every step's due date is counted in working days from the notification; each agency asked
    for a summary and chronology gets a return due on day 10. One transaction.
    """
    referral = store.get("referrals", referral_id)
    if referral is None:
        raise ScrdeskError(f"There is no referral {referral_id}.")
    aware = _d(referral.get("la_aware_date"))
    if aware and notification_date < aware:
        raise InvalidValue("Date notified", format_date(notification_date),
                           f"is before the local authority became aware ({format_date(aware)})")
    # The partnership's own switch date decides, not the national one: an LSCB still on 2015 rules
    # ran no rapid reviews.
    profile = get_profile(framework_for({**referral, "decision_date": None, "meeting_date": None,
                                         "received_date": notification_date.isoformat()}, store.settings()))
    methodology = profile.methodology(RAPID_METHODOLOGY)
    if methodology is None:
        raise ScrdeskError(f"The {profile.name} framework has no rapid review; "
                           "rapid reviews began with Working Together 2018.")
    plan = methodology.planned_dates(notification_date)
    returns_due = next((d for kind, _, d in plan if kind == RETURNS_DUE_STEP), None)
    with store.transaction():
        # Through the referral's and review's own writes, so their rules hold here too.
        referral_store.update_referral(store, referral_id, {
            "sin_submitted_date": notification_date.isoformat(),
            "source": referral.get("source") or "sin",
            "framework": referral.get("framework") or profile.code,
        })
        review_id = review_store.create_review(store, {
            "title": f"{referral['ref']} rapid review",
            "review_type": RAPID_REVIEW,
            "methodology": RAPID_METHODOLOGY,
            "status": "underway",
            "framework": profile.code,
            "agreed_date": notification_date.isoformat(),
            "initiated_date": notification_date.isoformat(),
        }, referral_id=referral_id)
        for kind, _label, planned in plan:
            done = notification_date.isoformat() if kind == "notification" else None
            store.insert("milestones", {"review_id": review_id, "kind": kind,
                                        "planned_date": planned.isoformat() if planned else None,
                                        "actual_date": done})
        letters = add_working_days(notification_date, 1)
        for agency_id in agency_ids or []:
            store.insert("agency_returns", {
                "review_id": review_id, "agency_id": agency_id, "kind": "summary_chronology",
                "requested_date": letters.isoformat(),
                "due_date": returns_due.isoformat() if returns_due else None})
    return review_id


def rapid_review_plan(store, review_id: int, today: date | None = None) -> dict:
    """The workspace: each step with its due date and done date, each agency's return, the
    submission clock and the panel's response."""
    today = today or today_for(store)
    review = store.get("reviews", review_id)
    if review is None or review["review_type"] != RAPID_REVIEW:
        raise ScrdeskError("That review is not a rapid review.")
    profile = profile_for(store, review["framework"])
    wording = dict(profile.methodology_milestones(RAPID_METHODOLOGY))
    steps = []
    for m in store.rows("SELECT * FROM milestones WHERE review_id = ? ORDER BY planned_date, id", [review_id]):
        rag = rag_for_deadline(_d(m["planned_date"]), _d(m["actual_date"]), today,
                               amber_working_days=2, what="step")
        steps.append({**m, "label": wording.get(m["kind"], m["kind"]), "rag": rag})
    returns = []
    for r in store.rows(
        "SELECT ar.*, ag.name AS agency_name FROM agency_returns ar JOIN agencies ag ON ag.id = ar.agency_id "
        "WHERE ar.review_id = ? ORDER BY ag.name", [review_id]
    ):
        received, due = _d(r["received_date"]), _d(r["due_date"])
        late = bool(received and due and received > due) or bool(not received and due and today > due)
        returns.append({**r, "late": late,
                        "rag": rag_for_deadline(due, received, today, amber_working_days=2, what="return")})
    notification = _d(review["agreed_date"])
    rule = profile.rule("rapid_review_after_notification")
    submission_due = due_date(rule, notification) if rule and notification else None
    submitted = _d(review["sent_to_panel_date"])
    return {
        "review": review,
        "steps": steps,
        "returns": returns,
        "notification_date": notification,
        "submission_due": submission_due,
        "submitted": submitted,
        "submitted_on_time": None if not submitted or not submission_due else submitted <= submission_due,
        "submission_rag": rag_for_deadline(submission_due, submitted, today, amber_working_days=3,
                                           what="submission"),
        "panel_response_date": _d(review["panel_response_date"]),
        "panel_agreed": review["panel_agreed"],
    }


def record_submission(store, review_id: int, submitted: date) -> None:
    """The rapid review went to the national panel: the review and its milestone, together."""
    with store.transaction():
        review_store.update_review(store, review_id, {"sent_to_panel_date": submitted.isoformat()})
        for m in store.rows("SELECT id FROM milestones WHERE review_id = ? AND kind = 'submitted_to_panel'",
                            [review_id]):
            store.update("milestones", m["id"], {"actual_date": submitted.isoformat()})


def decide_after_rapid_review(store, review_id: int, decision: str, decided: date,
                              *, decision_maker: str = "", rationale: str = "") -> int | None:
    """Record the partnership's decision; an LCSPR decision opens the LCSPR. Returns its id."""
    if decision not in DECISIONS_AFTER_RAPID_REVIEW:
        raise InvalidValue("Decision", decision, "is not a decision a rapid review can lead to")
    review = store.get("reviews", review_id)
    links = store.rows("SELECT referral_id FROM review_referrals WHERE review_id = ?", [review_id])
    lcspr_id = None
    with store.transaction():
        for link in links:
            referral_store.update_referral(store, link["referral_id"], {
                "decision": decision, "decision_date": decided.isoformat(),
                "decision_maker": decision_maker or None, "rationale": rationale or None,
                "framework": review["framework"]})
        # The rapid review was complete when it went to the Panel, if that came before the decision.
        sent = review.get("sent_to_panel_date")
        completed = min(sent, decided.isoformat()) if sent else decided.isoformat()
        review_store.update_review(store, review_id, {"status": "completed", "completed_date": completed})
        if decision == "LCSPR":
            refs = ", ".join(store.scalar("SELECT ref FROM referrals WHERE id = ?", [lk["referral_id"]])
                             for lk in links)
            lcspr_id = review_store.create_review(store, {
                "title": f"{refs} LCSPR" if refs else "LCSPR", "review_type": "LCSPR",
                "status": "agreed", "framework": review["framework"],
                "agreed_date": decided.isoformat()})
            for link in links:
                review_store.link_referral(store, lcspr_id, link["referral_id"])
    return lcspr_id


def lcspr_clocks(store, review: dict, today: date | None = None) -> dict:
    """Completion target, and the report to the panel at least 7 working days before publication."""
    today = today or today_for(store)
    profile = profile_for(store, review.get("framework"))
    completion_rule = profile.rule("lcspr_completion_after_decision")
    agreed = _d(review.get("agreed_date"))
    completion_due = due_date(completion_rule, agreed) if completion_rule and agreed else None
    # The copy is due 7 working days before the PLANNED date, so the clock warns ahead; the actual
    # date stands in for records kept before a planned date was recorded.
    publication = _d(review.get("planned_publication_date")) or _d(review.get("published_date"))
    panel_rule = profile.rule("panel_report_before_publication")
    not_publishing = bool(review.get("no_publication_date"))
    panel_due = due_date(panel_rule, publication) if panel_rule and publication and not not_publishing else None
    sent = _d(review.get("panel_sos_copy_date")) or _d(review.get("sent_to_panel_date"))
    kept_rule = profile.rule("published_kept_online")
    kept_until = due_date(kept_rule, publication) if kept_rule and publication else None
    removal = _d(review.get("removal_date"))
    return {
        "completion_due": completion_due,
        "completion_rag": rag_for_deadline(completion_due, _d(review.get("completed_date")), today,
                                           amber_working_days=20, what="completion"),
        "panel_report_due": panel_due,
        # Warned as far ahead as the profile's rule says, as the dashboard does.
        "panel_report_rag": rag_for_deadline(panel_due, sent, today,
                                             amber_working_days=panel_rule.warn if panel_rule and panel_rule.warn
                                             is not None else 5,
                                             what="copy to the Panel and the Secretary of State"),
        "panel_report_on_time": None if not (sent and panel_due) else sent <= panel_due,
        "ofsted_copy_date": _d(review.get("ofsted_copy_date")),
        "kept_online_until": kept_until,
        "removal_too_early": bool(removal and kept_until and removal < kept_until),
    }


def funnel(store, year: int) -> dict:
    """Incidents considered → notified → rapid reviews (and % on time) → decisions → LCSPRs
    initiated, completed, published; the panel's agreement rate — for one reporting year.

    A rapid review is counted per notified case, whether it was run in the workspace (a
    RAPID_REVIEW review) or kept on the case from a tracker (rapid review dates on the referral).
    A withdrawn notification owes no rapid review and is counted apart. Characteristics are
    counted, never listed per child.
    """
    start, end = reporting_period(year, store.settings().year_start_month,
                                  store.settings().year_start_day)
    span = [start.isoformat(), end.isoformat()]
    # Considered on the day it was considered, else (no such day recorded) on the day it was
    # notified: the key of the index idx_referrals_considered, word for word.
    considered = int(store.scalar(
        "SELECT count(*) FROM referrals WHERE coalesce(notify_considered_date, sin_submitted_date) "
        "BETWEEN ? AND ?", span))
    notifications = store.rows(
        "SELECT r.*, (SELECT min(rv.agreed_date) FROM review_referrals rr JOIN reviews rv ON rv.id = rr.review_id "
        "  WHERE rr.referral_id = r.id AND rv.review_type = 'RAPID_REVIEW') AS rr_workspace_started, "
        "(SELECT min(rv.sent_to_panel_date) FROM review_referrals rr JOIN reviews rv ON rv.id = rr.review_id "
        "  WHERE rr.referral_id = r.id AND rv.review_type = 'RAPID_REVIEW') AS rr_workspace_sent, "
        "(SELECT min(rv.panel_response_date) FROM review_referrals rr JOIN reviews rv ON rv.id = rr.review_id "
        "  WHERE rr.referral_id = r.id AND rv.review_type = 'RAPID_REVIEW') AS rr_workspace_response, "
        "(SELECT max(rv.panel_agreed) FROM review_referrals rr JOIN reviews rv ON rv.id = rr.review_id "
        "  WHERE rr.referral_id = r.id AND rv.review_type = 'RAPID_REVIEW') AS rr_workspace_agreed "
        "FROM referrals r WHERE r.sin_submitted_date BETWEEN ? AND ? ORDER BY r.ref", span)
    notified_on_time = sum(1 for r in notifications
                           if (c := notification_clock(store, r, end)) and c["on_time"])
    withdrawn = [r for r in notifications if r["notification_withdrawn_date"]]
    by_harm: dict[str, int] = {}
    for r in notifications:
        if r["harm_type"]:
            by_harm[r["harm_type"]] = by_harm.get(r["harm_type"], 0) + 1
    rapid = [r for r in notifications if not r["notification_withdrawn_date"] and (
        r["rr_workspace_started"] or r["rr_meeting_date"] or r["rr_submitted_date"] or r["rr_outcome"])]
    submitted, on_time = 0, 0
    by_sex: dict[str, int] = {}
    by_age: dict[str, int] = {}
    for r in rapid:
        sent = _d(r["rr_submitted_date"]) or _d(r["rr_workspace_sent"])
        rule = profile_for(store, r["framework"]).rule("rapid_review_after_notification")
        if sent:
            submitted += 1
            if rule and sent <= due_date(rule, _d(r["sin_submitted_date"])):
                on_time += 1
        for counts, column in ((by_sex, "child_sex"), (by_age, "child_age_band")):
            if r[column]:
                counts[r[column]] = counts.get(r[column], 0) + 1
    responses = [(r["panel_response_date"] or r["rr_workspace_response"],
                  r["panel_agreed"] if r["panel_response_date"] else r["rr_workspace_agreed"]) for r in rapid]
    responded = [agreed for when, agreed in responses if when]
    agreed = sum(1 for a in responded if a)

    def lcsprs(column: str) -> int:
        return int(store.scalar(
            f"SELECT count(*) FROM reviews WHERE review_type = 'LCSPR' AND {column} BETWEEN ? AND ?", span))

    decisions = {code: 0 for code in DECISIONS_AFTER_RAPID_REVIEW}
    for r in rapid:
        # The decision on the case where one is recorded after its rapid review, else the tracker's outcome.
        code = r["decision"] if r["decision"] in decisions and r["decision_date"] and r["decision_date"] <= span[1] \
            else r["rr_outcome"]
        if code in decisions:
            decisions[code] += 1
    return {
        "considered": considered,
        "notifications": {"total": len(notifications), "on_time": notified_on_time, "withdrawn": len(withdrawn),
                          "by_harm": by_harm},
        "rapid_reviews": {"total": len(rapid), "submitted": submitted, "on_time": on_time,
                          "on_time_rate": round(on_time / submitted, 3) if submitted else None,
                          "by_sex": by_sex, "by_age_band": by_age},
        "decisions": decisions,
        "lcsprs": {"initiated": lcsprs("coalesce(initiated_date, agreed_date)"),
                   "completed": lcsprs("completed_date"), "published": lcsprs("published_date")},
        "panel": {"responses": len(responded), "agreed": agreed,
                  "agreement_rate": round(agreed / len(responded), 3) if responded else None},
    }


def statutory_clocks(store, today: date | None = None) -> list[dict]:
    """Open clocks of live rapid reviews and LCSPRs, for the dashboard and the meeting paper:
    each {kind, id, ref, what, due, rag}."""
    today = today or today_for(store)
    clocks = []
    for review in store.rows("SELECT * FROM reviews WHERE review_type IN ('RAPID_REVIEW', 'LCSPR') "
                             "AND status IN ('agreed', 'underway') ORDER BY title"):
        if review["review_type"] == RAPID_REVIEW:
            plan = rapid_review_plan(store, review["id"], today)
            if plan["submitted"] is None and plan["submission_due"]:
                clocks.append({"kind": "review", "id": review["id"], "ref": review["title"],
                               "what": "Rapid review submission", "due": plan["submission_due"].isoformat(),
                               "rag": plan["submission_rag"]})
            late = [r["agency_name"] for r in plan["returns"] if r["late"] and not r["received_date"]]
            if late:
                clocks.append({"kind": "review", "id": review["id"], "ref": review["title"],
                               "what": f"Agency returns overdue: {', '.join(late)}",
                               "due": plan["returns"][0]["due_date"], "rag": plan["returns"][0]["rag"]})
        else:
            lcspr = lcspr_clocks(store, review, today)
            if lcspr["completion_due"] and not review["completed_date"]:
                clocks.append({"kind": "review", "id": review["id"], "ref": review["title"],
                               "what": "LCSPR completion", "due": lcspr["completion_due"].isoformat(),
                               "rag": lcspr["completion_rag"]})
            if lcspr["panel_report_due"] and not (review["panel_sos_copy_date"] or review["sent_to_panel_date"]):
                clocks.append({"kind": "review", "id": review["id"], "ref": review["title"],
                               "what": "Copy to the Panel and the Secretary of State before publication",
                               "due": lcspr["panel_report_due"].isoformat(), "rag": lcspr["panel_report_rag"]})
    return sorted(clocks, key=lambda c: c["due"] or "9999")


# -- today's process: the fields the window and the importer write ----------------------------

REFERRAL_FIELDS = (
    "notify_considered_date", "notify_decision", "notify_reason", "sin_submitted_date",
    "notification_withdrawn_date", "notification_withdrawn_reason",
    "rr_meeting_date", "rr_submitted_date", "rr_outcome", "panel_response_date", "panel_agreed",
    *rules.CODE_LISTS.keys() - {"rr_outcome"}, "cp_or_looked_after_6_months",
    "lac_death_ofsted_date", "lac_death_sos_date", "child_ethnicity",
)
REVIEW_FIELDS = (
    "planned_publication_date", "panel_sos_copy_date", "ofsted_copy_date", "no_publication_date",
    "no_publication_reasons", "no_publication_sent_date", "scr_told_date",
)
_LABELS = {
    "notify_considered_date": "Date considered for notification", "notify_decision": "Notify",
    "notify_reason": "Reason", "sin_submitted_date": "Date notified",
    "notification_withdrawn_date": "Date withdrawn", "notification_withdrawn_reason": "Withdrawn reason",
    "rr_meeting_date": "Rapid review meeting", "rr_submitted_date": "Rapid review submitted",
    "rr_outcome": "Rapid review outcome", "panel_response_date": "Panel response date",
    "planned_publication_date": "Planned publication date",
    "panel_sos_copy_date": "Copy to the Panel and Secretary of State", "ofsted_copy_date": "Copy to Ofsted",
    "no_publication_date": "Decided not to publish", "no_publication_reasons": "Reasons for not publishing",
    "no_publication_sent_date": "Decision sent to the Panel", "scr_told_date": "Panel and Ofsted told",
    "lead_reviewer": "Lead reviewer", "decision": "Decision",
}


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


def _changes(changes: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ScrdeskError(f"Not a field of today's process: {', '.join(sorted(unknown))}")
    return {k: (None if v == "" else _iso(v)) for k, v in changes.items()}


def update_referral_process(store, referral_id: int, changes: dict) -> None:
    """Write any of REFERRAL_FIELDS on one referral (dates as `date` or ISO text), after the
    rules in domain/rules/statutory.py; one transaction. The window's dialog and the importer's
    current-process columns both come here."""
    changes = _changes(changes, REFERRAL_FIELDS)
    with store.transaction():
        referral = store.get("referrals", referral_id)
        if referral is None:
            raise ScrdeskError(f"There is no referral {referral_id}.")
        require(rules.referral_problems({**referral, **changes}), f"Referral {referral['ref']}", _LABELS)
        store.update("referrals", referral_id, changes)


def update_review_process(store, review_id: int, changes: dict) -> None:
    """Write any of REVIEW_FIELDS on one review after its rules; one transaction."""
    changes = _changes(changes, REVIEW_FIELDS)
    with store.transaction():
        review = store.get("reviews", review_id)
        if review is None:
            raise ScrdeskError(f"There is no review {review_id}.")
        merged = {**review, **changes}
        problems = rules.publication_problems(merged)
        if changes.get("scr_told_date") and not (merged.get("lead_reviewer") or "").strip():
            problems.setdefault("lead_reviewer", "is required: the Panel and Ofsted are told the reviewer's name")
        require(problems, f"Review {review['title']}", _LABELS)
        store.update("reviews", review_id, changes)


def record_notification_decision(store, referral_id: int, considered: date, notify: bool, reason: str = "",
                                 notified: date | None = None) -> None:
    """The partners' discussion of whether to notify: date, decision, reason (and the date notified)."""
    changes = {"notify_considered_date": considered, "notify_decision": 1 if notify else 0,
               "notify_reason": reason or None}
    if notified is not None:
        changes["sin_submitted_date"] = notified
    update_referral_process(store, referral_id, changes)


def withdraw_notification(store, referral_id: int, withdrawn: date, reason: str) -> None:
    """Further information showed the case did not meet the notification criteria: no rapid
    review is owed (the national panel allows a notification to be withdrawn)."""
    update_referral_process(store, referral_id, {"notification_withdrawn_date": withdrawn,
                                                 "notification_withdrawn_reason": reason})


def record_rapid_review(store, referral_id: int, **fields) -> None:
    """rr_meeting_date, rr_submitted_date, rr_outcome, panel_response_date, panel_agreed on the case."""
    update_referral_process(store, referral_id, fields)


def plan_publication(store, review_id: int, planned: date | None) -> None:
    update_review_process(store, review_id, {"planned_publication_date": planned})


def record_publication_copies(store, review_id: int, *, panel_sos: date | None = None,
                              ofsted: date | None = None) -> None:
    """The copy to the Panel and the Secretary of State, and Ofsted's copy, each with its date."""
    changes = {}
    if panel_sos is not None:
        changes["panel_sos_copy_date"] = panel_sos
    if ofsted is not None:
        changes["ofsted_copy_date"] = ofsted
    update_review_process(store, review_id, changes)


def decide_not_to_publish(store, review_id: int, decided: date, reasons: str, sent: date | None = None) -> None:
    update_review_process(store, review_id, {"no_publication_date": decided, "no_publication_reasons": reasons,
                                             "no_publication_sent_date": sent})


def record_scr_initiation_told(store, review_id: int, told: date) -> None:
    """WT2015: the Panel and Ofsted told the SCR was initiated, with the reviewer's name."""
    update_review_process(store, review_id, {"scr_told_date": told})
