"""What a notified case's rapid review report prints, in the order of the national panel's rapid
review template (see scrdesk/documents/rapid_review_report.py for the source of the headings).

The rapid review is either run in the workspace (a RAPID_REVIEW review with its steps and agency
returns, `store.statutory.rapid_review_plan`) or kept on the case as a tracker keeps it (the
referral's rr_* columns); both give the same keys. Characteristics are printed by their labels
from the national code lists. Read only; names no child (ref and pseudonym, never the restricted
identifiers).
"""

from __future__ import annotations

from datetime import date

from scrdesk.domain import values
from scrdesk.domain.dates import from_iso
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.profiles import get_profile
from scrdesk.domain.refs import normalise_ref
from scrdesk.domain.rules import statutory as rules
from scrdesk.domain.timescales import due_date
from scrdesk.store import statutory
from scrdesk.store.db import Store
from scrdesk.store.queries import profile_for, today_for

#: The characteristics the notification gives for the national data, in the form's order.
CHARACTERISTICS = (
    ("child_age_band", "Age band"), ("child_sex", "Sex"), ("child_ethnicity", "Ethnicity"),
    ("child_disability", "Disability"), ("social_care_status", "Social care status"),
    ("harm_type", "Type of harm"), ("harm_outcome", "Death or serious harm"), ("harm_setting", "Setting"),
)


def find_notified_referral(store: Store, ref: str) -> int:
    """The notified referral a ref names (`Ref004`, `ref 4`, `4`)."""
    text = str(ref).strip()
    row = store.row("SELECT id, sin_submitted_date FROM referrals WHERE ref = ?",
                    [normalise_ref(text, store.settings().ref_prefix)])
    if row is None:
        raise ScrdeskError(f"There is no referral {text!r}: give its ref, e.g. Ref004.")
    if not row["sin_submitted_date"]:
        raise ScrdeskError(f"{text} was not notified to the national panel, so it has no rapid review report.")
    return int(row["id"])


def notified_cases(store: Store) -> list[dict]:
    """Every notified case (ref, date notified, withdrawn or not), newest first: the window's choice."""
    return store.rows("SELECT id, ref, sin_submitted_date, notification_withdrawn_date FROM referrals "
                      "WHERE sin_submitted_date IS NOT NULL ORDER BY sin_submitted_date DESC, ref")


def _characteristic(column: str, code) -> str:
    if code in (None, ""):
        return "Not recorded"
    if column in rules.CODE_LISTS:
        return values.label(rules.CODE_LISTS[column], code)
    return str(code)


def rapid_review_report_data(store: Store, referral_id: int, today: date | None = None) -> dict:
    """Everything the report prints for one notified case. Keys: `ref`, `pseudonym`, `framework`,
    `notification_label`; `dates` [(label, date or None)]; `submission_due`, `submitted`,
    `submitted_on_time`; `characteristics` [(label, text)]; `summary`, `notify_reason`,
    `withdrawn` (date, reason) or None; `workspace` (True when run in the workspace); `returns`
    [{agency, due, received, late}]; `steps` [{label, due, done}]; `outcome` (label), `outcome_code`,
    `decision_label`, `decision_date`, `decision_maker`, `rationale`; `national` (bool);
    `panel_response_date`, `panel_agreed`; `today`."""
    today = today or today_for(store)
    referral = store.get("referrals", referral_id)
    if referral is None or not referral.get("sin_submitted_date"):
        raise ScrdeskError("That referral was not notified to the national panel.")
    rapid_id = store.scalar(
        "SELECT rv.id FROM reviews rv JOIN review_referrals rr ON rr.review_id = rv.id "
        "WHERE rr.referral_id = ? AND rv.review_type = ? ORDER BY rv.id LIMIT 1",
        [referral_id, statutory.RAPID_REVIEW])
    profile = profile_for(store, referral.get("framework"))
    notified = from_iso(referral["sin_submitted_date"])
    returns, steps = [], []
    if rapid_id is not None:
        plan = statutory.rapid_review_plan(store, int(rapid_id), today)
        profile = get_profile(plan["review"]["framework"]) if plan["review"]["framework"] else profile
        returns = [{"agency": r["agency_name"], "due": from_iso(r["due_date"]),
                    "received": from_iso(r["received_date"]), "late": r["late"]} for r in plan["returns"]]
        steps = [{"label": s["label"], "due": from_iso(s["planned_date"]), "done": from_iso(s["actual_date"])}
                 for s in plan["steps"]]
        submitted, submission_due = plan["submitted"], plan["submission_due"]
        # The workspace keeps the meeting as a step; a date typed on the case wins.
        held = [s["actual_date"] for s in plan["steps"] if "meeting" in s["kind"] and s["actual_date"]]
        meeting = from_iso(referral.get("rr_meeting_date") or (held[0] if held else None))
        response, agreed = plan["panel_response_date"], plan["panel_agreed"]
    else:
        rule = profile.rule("rapid_review_after_notification")
        submission_due = due_date(rule, notified) if rule and notified else None
        submitted = from_iso(referral.get("rr_submitted_date"))
        meeting = from_iso(referral.get("rr_meeting_date"))
        response, agreed = from_iso(referral.get("panel_response_date")), referral.get("panel_agreed")
    outcome_code = referral.get("rr_outcome") or (referral.get("decision") if referral.get("decision")
                                                  in statutory.DECISIONS_AFTER_RAPID_REVIEW else None)
    withdrawn = None
    if referral.get("notification_withdrawn_date"):
        withdrawn = (from_iso(referral["notification_withdrawn_date"]),
                     referral.get("notification_withdrawn_reason") or "")
    return {
        "ref": referral["ref"], "pseudonym": referral.get("pseudonym") or "",
        "framework": profile.name,
        "notification_label": profile.notification_label,
        "dates": [("Incident", from_iso(referral.get("incident_date"))),
                  ("Local authority aware", from_iso(referral.get("la_aware_date"))),
                  ("Considered for notification", from_iso(referral.get("notify_considered_date"))),
                  ("Notified to the national panel", notified),
                  ("Rapid review meeting", meeting),
                  ("Rapid review due", submission_due),
                  ("Rapid review submitted", submitted),
                  ("Panel response", response)],
        "submission_due": submission_due, "submitted": submitted,
        "submitted_on_time": None if not (submitted and submission_due) else submitted <= submission_due,
        "sin_reference": referral.get("sin_reference") or "",
        "characteristics": [(label, _characteristic(column, referral.get(column)))
                            for column, label in CHARACTERISTICS],
        "summary": referral.get("summary") or "", "notify_reason": referral.get("notify_reason") or "",
        "withdrawn": withdrawn, "workspace": rapid_id is not None, "returns": returns, "steps": steps,
        "outcome_code": outcome_code,
        "outcome": values.label(rules.RAPID_REVIEW_OUTCOMES, outcome_code) if outcome_code else "",
        "decision_label": profile.label(referral.get("decision")),
        "decision_date": from_iso(referral.get("decision_date")),
        "decision_maker": referral.get("decision_maker") or "", "rationale": referral.get("rationale") or "",
        "national": outcome_code == "NATIONAL",
        "panel_response_date": response, "panel_agreed": agreed, "today": today,
    }
