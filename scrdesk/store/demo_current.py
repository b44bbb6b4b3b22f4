"""The current-process demo: a fictional partnership under Working Together 2023, as at 30 Sep 2026.

`scrdesk demo --current PATH` and `scrdesk --demo current`. Where the seed-year demo replays the
2016-17 reference report, this one shows today's process: incidents considered for notification,
notifications (one withdrawn), rapid reviews (one agency's return late, one submitted late), their
outcomes (an LCSPR published, an LCSPR in progress, a no-further-review decision the national
panel agreed with), pre-publication copies, local reviews against the partnership's own targets,
actions, briefings and their dissemination, learning events and meetings. Its last complete
reporting year, 2025-26, holds 5 incidents considered, 3 notifications (1 withdrawn), 2 rapid
reviews and 1 LCSPR initiated.

Everything is invented and says so: the Fernhallow partnership, its agencies, officers, children
("Child FA" …) and the restricted identifiers (marked FICTIONAL). Every record goes in through the
store's write functions, the ones the window uses, so each is checked by its rules and audited;
the file is built beside its destination and moved into place when complete.
"""

from __future__ import annotations

import contextlib
import os
from datetime import date
from pathlib import Path

from scrdesk.domain.dates import from_iso
from scrdesk.store import (
    actions,
    agencies,
    anchor,
    backup,
    briefings,
    events,
    referrals,
    reviews,
    statutory,
)
from scrdesk.store.db import Store

DEMO_USER = "scrdesk-demo"
AS_AT = date(2026, 9, 30)
#: The partnership's last complete reporting year (1 Apr 2025 – 31 Mar 2026).
LAST_FULL_YEAR = 2025
BOARD = "Fernhallow Safeguarding Children Partnership (fictional demo)"

SETTINGS = {
    "board_name": BOARD,
    "board_short_name": "FSCP",
    "default_framework": "wt2018",
    "jurisdiction": "england",
    "as_at_date": AS_AT.isoformat(),
    # Fernhallow moved to the 2018 arrangements early (a setting; any date from 29 Jun 2018).
    "arrangements_2018_date": "2019-06-29",
}

AGENCIES = (
    ("Fernhallow Council Children's Services", "FC CS", "la_childrens"),
    ("Fernhallow Police", "FP", "police"),
    ("Fernhallow Integrated Care Board", "FICB", "health_commissioner"),
    ("Fernhallow Hospitals NHS Trust", "FHT", "health_provider"),
    ("Fernhallow Community Health", "FCH", "health_provider"),
    ("Fernhallow Schools Safeguarding Service", "FSSS", "education"),
    ("Fernhallow Probation Delivery Unit", "FPDU", "probation"),
)

_SIDE_FILES = ("-wal", "-shm", "-journal")


def write_current_demo(path: str | Path) -> Path:
    """Build a fresh current-process demo at `path`, replacing any file there; return the path.

    As `write_demo`: the caller decides whether replacing is allowed; a file a live copy of scrdesk
    holds is never replaced.
    """
    path = Path(path)
    backup.refuse_if_in_use(path, "it is replaced with the demo data")
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    _remove(building)
    store = Store.open(building, user=DEMO_USER)
    try:
        with store.transaction():
            _Loader(store).load()
    except BaseException:
        store.close()
        _remove(building)
        raise
    store.close()
    backup.refuse_if_in_use(path, "it is replaced with the demo data")
    _remove(path)
    os.replace(building, path)
    anchor.forget(path)
    return path


def _remove(path: Path) -> None:
    for suffix in ("", *_SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def d(text: str) -> date:
    return from_iso(text)


class _Loader:
    def __init__(self, store: Store):
        self.store = store
        self.agency: dict[str, int] = {}
        self.referral: dict[str, int] = {}
        self.review: dict[str, int] = {}

    def load(self) -> None:
        self.store.set_settings(SETTINGS)
        for name, short, kind in AGENCIES:
            self.agency[short] = agencies.save_agency(self.store, {
                "name": name, "short_name": short, "type": kind, "active": 1,
                "lead_name": f"Safeguarding lead, {short} (fictional)",
                "lead_email": f"{short.lower().replace(' ', '.')}.safeguarding@fernhallow.example"})
        self.meetings()
        self.year_2024_25()
        self.year_2025_26()
        self.year_2026_27()
        self.events()

    # -- helpers -----------------------------------------------------------------------------

    def add_referral(self, ref: str, letter: str, **fields) -> int:
        record = {"ref": ref, "pseudonym": f"Child F{letter}", "location": "Fernhallow", **fields}
        identifiers = [{"kind": "name", "value": f"Fictional Child F{letter} Example"},
                       {"kind": "case_number", "value": f"FICTIONAL-FH-{ref[3:]}0{ord(letter)}"}]
        self.referral[ref] = referrals.create_referral(self.store, record, identifiers)
        return self.referral[ref]

    def decide(self, ref: str, decision: str, when: str, rationale: str, recommendation: str | None = None) -> None:
        referrals.update_referral(self.store, self.referral[ref], {
            "meeting_date": when, "recommendation": recommendation or decision, "decision": decision,
            "decision_date": when, "decision_maker": "Partnership safeguarding partners (demo)",
            "rationale": rationale})

    def new_review(self, key: str, ref: str, review: dict) -> int:
        review = {"status": "agreed", "framework": "wt2018", **review}
        self.review[key] = reviews.create_review(self.store, review, referral_id=self.referral[ref])
        return self.review[key]

    def steps(self, key: str, done: list[tuple[str, str]], planned: list[tuple[str, str]] = ()) -> None:
        for kind, when in done:
            reviews.save_child(self.store, "milestones", self.review[key], {"kind": kind, "actual_date": when,
                                                                            "planned_date": when})
        for kind, when in planned:
            reviews.save_child(self.store, "milestones", self.review[key], {"kind": kind, "planned_date": when})

    def recommendation(self, key: str, number: int, text: str, level: str = "multi_agency") -> int:
        return reviews.save_child(self.store, "recommendations", self.review[key],
                                  {"number": str(number), "text": text, "level": level})

    def action(self, key: str, recommendation: int, agency: str, text: str, agreed: str, target: str,
               updates: list[tuple[str, str | None, str]] = (), evidence: str | None = None) -> int:
        action_id = actions.create_action(self.store, {
            "review_id": self.review[key], "recommendation_id": recommendation, "agency_id": self.agency[agency],
            "lead_officer": f"Safeguarding lead, {agency}", "text": text, "agreed_date": agreed,
            "target_date": target, "status": "not_started"})
        for when, status, note in updates:
            closing = status in ("complete_evidenced", "signed_off")
            actions.add_update(self.store, action_id, on=d(when), author=f"Safeguarding lead, {agency}", note=note,
                               status_to=status, evidence_note=evidence if closing else None)
        return action_id

    def briefing(self, key: str, template: str, title: str, bodies: dict[str, str], approved: str, issued: str,
                 sent: str, feedback: dict[str, tuple[str, str, int]]) -> int:
        store = self.store
        briefing_id = briefings.create_briefing(store, self.review[key], template, title)
        sections = []
        for section, _guidance in briefings.editor_sections(store, briefings.get_briefing(store, briefing_id)):
            section.body = bodies.get(section.key, section.body)
            sections.append(section)
        briefings.save_briefing(store, briefing_id, title=title, learning_themes=bodies.get("themes"),
                                status="issued", approved_date=approved, issued_date=issued, sections=sections)
        for short, agency_id in self.agency.items():
            record = {"agency_id": agency_id, "sent_date": sent}
            if short in feedback:
                back, teams, reached = feedback[short]
                record.update(feedback_received_date=back, teams_briefed=teams, staff_reached=reached,
                              note="Discussed at team meetings; reflective questions used in supervision.")
            briefings.save_dissemination(store, briefing_id, None, record)
        return briefing_id

    # -- the years ---------------------------------------------------------------------------

    def meetings(self) -> None:
        # The case review sub group meets six-weekly (fictional dates).
        for when in ("2024-04-17", "2024-05-29", "2024-06-12", "2024-07-24", "2024-09-04", "2024-10-16",
                     "2024-11-14", "2025-01-08", "2025-02-19", "2025-04-02", "2025-05-20", "2025-07-02",
                     "2025-08-13", "2025-09-18", "2025-11-05", "2025-12-17", "2026-01-22", "2026-03-04",
                     "2026-04-08", "2026-05-20", "2026-07-01", "2026-07-16", "2026-09-02"):
            events.save_meeting(self.store, None, {"date": when, "kind": "scr_subgroup",
                                                   "notes": "Case review sub group (demo)"})

    def year_2024_25(self) -> None:
        store = self.store
        # Ref001: notified, rapid review kept on the case (a tracker's columns), LCSPR, published in May 2025.
        self.add_referral("Ref001", "A", source="sin", referring_agency_id=self.agency["FC CS"],
                          incident_date="2024-05-03", la_aware_date="2024-05-07", received_date="2024-05-07",
                          sin_reference="FICTIONAL-SIN-2401", summary="Head injury to a baby",
                          gender="male", age_months=4, harm_category="harmed_abuse",
                          child_age_band="under_1", child_sex="male", harm_type="physical_abuse",
                          harm_outcome="serious_harm", harm_setting="family_home", social_care_status="cin")
        statutory.record_notification_decision(store, self.referral["Ref001"], d("2024-05-09"), True,
                                               "Serious harm; abuse suspected; child known to services",
                                               notified=d("2024-05-10"))
        statutory.record_rapid_review(store, self.referral["Ref001"], rr_meeting_date="2024-05-23",
                                      rr_submitted_date="2024-05-30", rr_outcome="LCSPR",
                                      panel_response_date="2024-06-14", panel_agreed=1)
        self.decide("Ref001", "LCSPR", "2024-06-12", "The rapid review found practice issues across agencies "
                    "that a local child safeguarding practice review should look at.")
        lcspr = self.new_review("Ref001", "Ref001", {
            "title": "Ref001 LCSPR", "review_type": "LCSPR", "methodology": "scie_learning_together",
            "lead_reviewer": "R. Quillfeather (fictional independent reviewer)",
            "panel_chair": "R. Quillfeather (fictional independent reviewer)", "agreed_date": "2024-06-12",
            "publication_decision": "publish"})
        reviews.update_review(store, lcspr, {"tor_date": "2024-07-01", "initiated_date": "2024-07-08",
                                             "status": "underway"})
        reviews.save_child(store, "review_delays", lcspr, {"date": "2024-11-20",
                                                           "reason": "Criminal trial; family contact after the verdict"})
        reviews.save_child(store, "parallel_proceedings", lcspr, {"kind": "criminal", "status": "concluded"})
        self.steps("Ref001", [("scoping", "2024-07-08"), ("practitioner_learning_event", "2024-10-15"),
                              ("draft_report", "2025-01-31"), ("panel_signoff", "2025-02-20")])
        reviews.update_review(store, lcspr, {"completed_date": "2025-02-28", "status": "completed",
                                             "sent_to_panel_date": "2025-05-02"})
        statutory.plan_publication(store, lcspr, d("2025-05-15"))
        statutory.record_publication_copies(store, lcspr, panel_sos=d("2025-05-02"), ofsted=d("2025-05-02"))
        reviews.update_review(store, lcspr, {"published_date": "2025-05-15", "status": "published"})
        first = self.recommendation("Ref001", 1, "Health visitors give and record safe handling and "
                                    "soothing advice at every contact with a baby under six months.")
        second = self.recommendation("Ref001", 2, "Police and children's services hold a strategy discussion "
                                     "for every non-mobile baby with an unexplained injury.")
        third = self.recommendation("Ref001", 3, "Children's services assess the fathers and male carers in "
                                    "every pre-birth assessment.", "single_agency")
        self.action("Ref001", first, "FCH", "Audit 20 records of babies under six months for soothing advice "
                    "and report to the sub group.", "2025-05-20", "2025-11-30",
                    [("2025-08-14", "on_track", "Audit tool agreed."),
                     ("2025-11-20", "complete_evidenced", "Audit done: 18 of 20 records show the advice.")],
                    evidence="Audit report seen by the sub group, 20 Nov 2025")
        self.action("Ref001", second, "FP", "Brief every child abuse investigation officer on strategy "
                    "discussions for non-mobile babies.", "2025-05-20", "2026-03-31",
                    [("2026-02-10", "slipping", "Briefings delayed by a restructure of the team.")])
        self.action("Ref001", third, "FC CS", "Revise the pre-birth assessment template to name every adult "
                    "in the household.", "2025-05-20", "2026-12-31",
                    [("2026-06-30", "on_track", "Draft template with practice leads.")])
        self.briefing("Ref001", "six_step", "Learning from the Ref001 LCSPR (fictional)", {
            "background": "Child FA, a baby of four months, lived with his mother and her partner.",
            "safeguarding_concerns": "Missed health appointments; the partner was not known to services.",
            "incident": "Child FA was taken to hospital with a head injury that doctors judged was not accidental.",
            "review": "A Learning Together review with practitioners from every agency involved.",
            "findings": "The adults in the household were not all known; advice on soothing was not recorded.",
            "recommendations": "Three recommendations, for health, police and children's services.",
            "good_practice": "The emergency department escalated quickly and well.",
            "changes_to_practice": "A new pre-birth assessment template is being tested.",
            "themes": "Hidden adults; non-mobile babies"},
            approved="2025-05-20", issued="2025-05-22", sent="2025-05-23",
            feedback={"FC CS": ("2025-06-18", "Front door; Family help", 64), "FHT": ("2025-06-20", "Emergency "
                      "department; Midwifery", 120), "FCH": ("2025-06-30", "Health visiting", 85),
                      "FP": ("2025-07-01", "Child abuse investigation team", 40),
                      "FICB": ("2025-06-25", "Designated professionals; GP safeguarding leads", 55)})

        # Ref002: notified; the rapid review went to the Panel late (3 working days); no further
        # review, and the Panel agreed.
        self.add_referral("Ref002", "B", source="sin", referring_agency_id=self.agency["FP"],
                          incident_date="2024-09-10", la_aware_date="2024-09-11", received_date="2024-09-11",
                          sin_reference="FICTIONAL-SIN-2402", summary="Serious injury in a road collision "
                          "while missing from home", gender="female", age_years=14, harm_category="harmed_other",
                          child_age_band="11_15", child_sex="female", harm_type="extra_familial",
                          harm_outcome="serious_harm", harm_setting="community", social_care_status="cin")
        statutory.record_notification_decision(store, self.referral["Ref002"], d("2024-09-13"), True,
                                               "Serious harm while missing; exploitation suspected",
                                               notified=d("2024-09-16"))
        statutory.record_rapid_review(store, self.referral["Ref002"], rr_meeting_date="2024-10-03",
                                      rr_submitted_date="2024-10-10", rr_outcome="NFA",
                                      panel_response_date="2024-10-31", panel_agreed=1)
        self.decide("Ref002", "NFA", "2024-10-24", "Agencies worked well together; the learning is already in "
                    "the exploitation sub group's plan. No further review.")

        # Ref003: considered for notification and not notified; a case mapping exercise instead,
        # measured against the partnership's own target.
        self.add_referral("Ref003", "C", source="agency_referral", referring_agency_id=self.agency["FSSS"],
                          received_date="2024-11-04", summary="Neglect noticed at school over two years",
                          gender="male", age_years=9, harm_category="harmed_neglect")
        statutory.record_notification_decision(store, self.referral["Ref003"], d("2024-11-14"), False,
                                               "Criteria for notification not met: no serious harm")
        self.decide("Ref003", "CASE_MAPPING", "2024-11-14", "Learning can be drawn quickly with the "
                    "practitioners who knew the family.")
        mapping = self.new_review("Ref003", "Ref003", {
            "title": "Ref003 case mapping", "review_type": "CASE_MAPPING", "methodology": "case_mapping",
            "lead_reviewer": "Partnership business office (demo)", "agreed_date": "2024-11-14"})
        reviews.update_review(store, mapping, {"initiated_date": "2024-12-02", "status": "underway"})
        self.steps("Ref003", [("practitioner_learning_event", "2025-01-20")])
        reviews.update_review(store, mapping, {"completed_date": "2025-04-25", "status": "completed"})
        rec = self.recommendation("Ref003", 1, "Schools use the neglect tool when attendance and presentation "
                                  "concerns persist for a term.")
        self.action("Ref003", rec, "FSSS", "Train designated safeguarding leads in the neglect tool.",
                    "2025-05-01", "2025-10-31",
                    [("2025-07-10", "on_track", "Two sessions held."),
                     ("2025-10-15", "signed_off", "All secondary schools trained; sub group signed off.")],
                    evidence="Attendance lists and feedback seen by the sub group")
        self.action("Ref003", rec, "FCH", "School nurses record neglect tool scores in the child's health record.",
                    "2025-05-01", "2026-06-30")
        self.briefing("Ref003", "seven_minute", "Seven-minute briefing: neglect seen at school (fictional)", {
            "background": "Child FC was often hungry and tired at school over two years.",
            "why_it_matters": "Neglect builds slowly; each concern alone looks small.",
            "key_information_1": "Attendance, presentation and hunger were recorded separately.",
            "key_information_2": "The neglect tool was not used.",
            "key_information_3": "Escalation worked once it was used.",
            "things_to_note": "Bring concerns together and use the tool.",
            "what_to_do": "Talk to your designated safeguarding lead after two concerns.",
            "themes": "Neglect"},
            approved="2025-06-04", issued="2025-06-10", sent="2025-06-11",
            feedback={"FSSS": ("2025-07-02", "Designated safeguarding leads", 140),
                      "FCH": ("2025-07-14", "School nurses", 22),
                      "FC CS": ("2025-07-08", "Family help; Children in care", 48),
                      "FHT": ("2025-07-09", "Paediatrics", 30)})

    def year_2025_26(self) -> None:
        store = self.store
        # Ref004: notified; the rapid review run in the workspace with three agencies' returns (the
        # police's came in late); submitted on time with the partners' decision (an LCSPR), which the
        # Panel agreed; the LCSPR is completed and its publication planned.
        self.add_referral("Ref004", "D", source="sin", referring_agency_id=self.agency["FHT"],
                          incident_date="2025-04-08", la_aware_date="2025-04-09", received_date="2025-04-09",
                          sin_reference="FICTIONAL-SIN-2501", summary="Fractures to a baby",
                          gender="male", age_weeks=10, harm_category="harmed_abuse",
                          child_age_band="under_1", child_sex="male", harm_type="physical_abuse",
                          harm_outcome="serious_harm", harm_setting="family_home", social_care_status="cp_plan")
        statutory.record_notification_decision(store, self.referral["Ref004"], d("2025-04-11"), True,
                                               "Serious harm; abuse suspected", notified=d("2025-04-14"))
        rapid = statutory.start_rapid_review(store, self.referral["Ref004"], d("2025-04-14"),
                                             [self.agency[a] for a in ("FC CS", "FP", "FHT")])
        self.review["Ref004 rapid"] = rapid
        for row in self.store.rows("SELECT ar.id, ag.short_name FROM agency_returns ar JOIN agencies ag "
                                   "ON ag.id = ar.agency_id WHERE ar.review_id = ?", [rapid]):
            received = "2025-05-02" if row["short_name"] == "FP" else "2025-04-25"
            reviews.record_return_received(store, row["id"], d(received))
        for step in reviews.milestones(store, rapid):
            if step["actual_date"] is None and step["kind"] != "submitted_to_panel":
                reviews.mark_milestone_done(store, step["id"], d(min(step["planned_date"], "2025-05-06")))
        statutory.record_submission(store, rapid, d("2025-05-06"))
        reviews.record_panel_response(store, rapid, d("2025-05-23"), True)
        lcspr = statutory.decide_after_rapid_review(
            store, rapid, "LCSPR", d("2025-05-06"), decision_maker="Partnership safeguarding partners (demo)",
            rationale="Serious harm to a baby on a child protection plan; multi-agency learning likely.")
        self.review["Ref004"] = lcspr
        reviews.update_review(store, lcspr, {
            "methodology": "silp", "lead_reviewer": "M. Fernsby (fictional independent reviewer)",
            "tor_date": "2025-06-09", "initiated_date": "2025-06-16", "status": "underway",
            "publication_decision": "publish"})
        reviews.save_child(store, "review_delays", lcspr, {"date": "2025-10-01",
                                                           "reason": "Criminal trial listed for March 2026"})
        reviews.save_child(store, "parallel_proceedings", lcspr, {"kind": "criminal", "status": "concluded"})
        self.steps("Ref004", [("practitioner_learning_event", "2025-09-23"), ("draft_report", "2026-06-30"),
                              ("panel_signoff", "2026-08-20")], [("published", "2026-10-22")])
        reviews.update_review(store, lcspr, {"completed_date": "2026-08-28", "status": "completed"})
        # Publication planned for 22 Oct 2026: the copy to the Panel and the Secretary of State is
        # due 7 working days before (13 Oct), and shows on the dashboard ahead of it.
        statutory.plan_publication(store, lcspr, d("2026-10-22"))
        rec = self.recommendation("Ref004", 1, "Every agency checks for a child protection plan when a "
                                  "baby presents with an injury.")
        self.action("Ref004", rec, "FHT", "Add a child protection plan check to the emergency department's "
                    "triage for babies.", "2026-09-02", "2027-01-31")

        # Ref005: notified, then withdrawn: the injury was found to be accidental (no rapid review owed).
        self.add_referral("Ref005", "E", source="sin", referring_agency_id=self.agency["FHT"],
                          incident_date="2025-07-02", la_aware_date="2025-07-03", received_date="2025-07-03",
                          sin_reference="FICTIONAL-SIN-2502", summary="Burn to a toddler",
                          gender="female", age_years=2, harm_category="harmed_other",
                          child_age_band="1_5", child_sex="female", harm_type="physical_abuse",
                          harm_outcome="serious_harm", harm_setting="family_home")
        statutory.record_notification_decision(store, self.referral["Ref005"], d("2025-07-07"), True,
                                               "Serious harm; cause unclear", notified=d("2025-07-08"))
        statutory.withdraw_notification(store, self.referral["Ref005"], d("2025-07-18"),
                                        "Medical evidence showed an accidental injury: criteria not met")
        self.decide("Ref005", "NFA", "2025-07-18", "Notification withdrawn with the Panel's agreement.")

        # Ref007 and Ref008: considered, not notified.
        self.add_referral("Ref007", "G", source="agency_referral", referring_agency_id=self.agency["FCH"],
                          received_date="2025-09-08", summary="Missed health checks for a disabled child",
                          gender="male", age_years=6, harm_category="harmed_neglect")
        statutory.record_notification_decision(store, self.referral["Ref007"], d("2025-09-18"), False,
                                               "Criteria for notification not met; learning for one agency")
        self.decide("Ref007", "SINGLE_AGENCY", "2025-09-18", "The learning is for community health alone.")
        single = self.new_review("Ref007", "Ref007", {
            "title": "Ref007 single agency review", "review_type": "SINGLE_AGENCY", "methodology": "single_agency",
            "lead_reviewer": "Named nurse, FCH (fictional)", "agreed_date": "2025-09-18"})
        reviews.update_review(store, single, {"initiated_date": "2025-10-01", "status": "underway"})
        reviews.update_review(store, single, {"completed_date": "2026-02-20", "status": "completed"})
        rec = self.recommendation("Ref007", 1, "Follow up every missed health check for a disabled child "
                                  "within two weeks.", "single_agency")
        self.action("Ref007", rec, "FCH", "Set a two-week follow-up rule in the health records system.",
                    "2026-03-04", "2026-10-31", [("2026-07-01", "on_track", "System change booked.")])

        self.add_referral("Ref008", "H", source="agency_referral", referring_agency_id=self.agency["FP"],
                          received_date="2026-01-12", summary="Teenager assaulted in the town centre",
                          gender="male", age_years=16, harm_category="harmed_other")
        statutory.record_notification_decision(store, self.referral["Ref008"], d("2026-01-22"), False,
                                               "Criteria for notification not met: injuries not serious")
        self.decide("Ref008", "NFA", "2026-01-22", "Single incident; agencies responded well.")

        # Ref006: notified in February 2026; rapid review kept on the case, on time; LCSPR agreed in
        # April 2026 after the Panel agreed, now in progress.
        self.add_referral("Ref006", "F", source="sin", referring_agency_id=self.agency["FC CS"],
                          incident_date="2026-02-09", la_aware_date="2026-02-11", received_date="2026-02-11",
                          sin_reference="FICTIONAL-SIN-2503", summary="Serious self-harm by a young person",
                          gender="female", age_years=15, harm_category="harmed_other",
                          child_age_band="11_15", child_sex="female", harm_type="self_harm",
                          harm_outcome="serious_harm", harm_setting="community", social_care_status="looked_after")
        statutory.record_notification_decision(store, self.referral["Ref006"], d("2026-02-12"), True,
                                               "Serious harm to a looked-after child", notified=d("2026-02-16"))
        statutory.record_rapid_review(store, self.referral["Ref006"], rr_meeting_date="2026-03-02",
                                      rr_submitted_date="2026-03-06", rr_outcome="LCSPR",
                                      panel_response_date="2026-03-27", panel_agreed=1)
        self.decide("Ref006", "LCSPR", "2026-04-08", "Questions about placement planning and mental health "
                    "support across agencies.")
        lcspr = self.new_review("Ref006", "Ref006", {
            "title": "Ref006 LCSPR", "review_type": "LCSPR", "methodology": "scie_learning_together",
            "lead_reviewer": "R. Quillfeather (fictional independent reviewer)", "agreed_date": "2026-04-08",
            "publication_decision": "to_be_decided"})
        reviews.update_review(store, lcspr, {"tor_date": "2026-04-14", "initiated_date": "2026-04-20",
                                             "status": "underway"})
        self.steps("Ref006", [("scoping", "2026-04-20"), ("practitioner_learning_event", "2026-07-08")],
                   [("draft_report", "2026-09-25"), ("panel_signoff", "2026-10-06")])

    def year_2026_27(self) -> None:
        store = self.store
        # Ref009: notified on 21 Sep 2026; the rapid review clock runs from the notification
        # (due 12 Oct 2026) without anyone opening the workspace.
        self.add_referral("Ref009", "I", source="sin", referring_agency_id=self.agency["FP"],
                          incident_date="2026-09-14", la_aware_date="2026-09-16", received_date="2026-09-16",
                          sin_reference="FICTIONAL-SIN-2601", summary="Criminal exploitation; stabbing",
                          gender="male", age_years=16, harm_category="harmed_other",
                          child_age_band="16_17", child_sex="male", harm_type="criminal_exploitation",
                          harm_outcome="serious_harm", harm_setting="community", social_care_status="cin")
        statutory.record_notification_decision(store, self.referral["Ref009"], d("2026-09-18"), True,
                                               "Serious harm; exploitation", notified=d("2026-09-21"))
        # Ref010: the partners decided to notify on 29 Sep; the notification is due by 5 Oct 2026.
        self.add_referral("Ref010", "J", source="sin", referring_agency_id=self.agency["FHT"],
                          incident_date="2026-09-26", la_aware_date="2026-09-28", received_date="2026-09-28",
                          summary="Unexplained injuries to a baby", gender="female", age_weeks=7,
                          harm_category="harmed_abuse", child_age_band="under_1", child_sex="female",
                          harm_type="physical_abuse", harm_outcome="serious_harm", harm_setting="family_home")
        statutory.record_notification_decision(store, self.referral["Ref010"], d("2026-09-29"), True,
                                               "Serious harm to a non-mobile baby")
        # Ref011: a case mapping exercise under way, against the partnership's own target.
        self.add_referral("Ref011", "K", source="agency_referral", referring_agency_id=self.agency["FSSS"],
                          received_date="2026-07-06", summary="Repeated exclusions and missing episodes",
                          gender="male", age_years=13, harm_category="harmed_other")
        statutory.record_notification_decision(store, self.referral["Ref011"], d("2026-07-16"), False,
                                               "Criteria for notification not met")
        self.decide("Ref011", "CASE_MAPPING", "2026-07-16", "A practitioner workshop will draw out the learning "
                    "on exclusions.", recommendation="LOCAL_LEARNING")
        mapping = self.new_review("Ref011", "Ref011", {
            "title": "Ref011 case mapping", "review_type": "CASE_MAPPING", "methodology": "case_mapping",
            "lead_reviewer": "Partnership business office (demo)", "agreed_date": "2026-07-16"})
        reviews.update_review(store, mapping, {"initiated_date": "2026-08-03", "status": "underway"})
        self.steps("Ref011", [], [("practitioner_learning_event", "2026-10-14")])

    def events(self) -> None:
        for review, kind, title, when, attendance in (
            ("Ref001", "practitioner_learning_event", "Ref001 LCSPR practitioner learning event", "2024-10-15", 24),
            ("Ref003", "workshop", "Ref003 case mapping workshop", "2025-01-20", 14),
            ("Ref001", "practitioner_debrief", "Ref001 LCSPR practitioner de-brief", "2025-06-05", 18),
            ("Ref001", "wider_debrief", "Ref001 LCSPR wider de-brief", "2025-07-09", 65),
            ("Ref004", "practitioner_learning_event", "Ref004 LCSPR practitioner learning event", "2025-09-23", 27),
            (None, "training", "Learning from reviews: multi-agency training", "2025-11-12", 30),
            (None, "training", "Learning from reviews: multi-agency training", "2026-02-11", 28),
            ("Ref006", "practitioner_learning_event", "Ref006 LCSPR practitioner learning event", "2026-07-08", 21),
        ):
            record = {"kind": kind, "title": title, "date": when, "attendance": attendance,
                      "facilitator": "Partnership project officer (demo)",
                      "feedback": "\u201cHearing how the other agencies saw the family changed how I see it.\u201d"}
            if review:
                record["review_id"] = self.review[review]
            events.save_event(self.store, None, record)
