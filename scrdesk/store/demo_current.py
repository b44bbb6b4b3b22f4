"""The current-process demo: a fictional partnership under Working Together 2023, as at 30 Sep 2026.

`scrdesk demo --current PATH` and `scrdesk --demo current`. Where the seed-year demo replays the
2016-17 reference report, this one shows today's process: incidents considered for notification,
notifications (one withdrawn), rapid reviews (one agency's return late, one submitted late), their
outcomes (an LCSPR published, an LCSPR in progress, a no-further-review decision the national
panel agreed with), pre-publication copies, local reviews against the partnership's own targets,
actions, briefings and their dissemination, learning events and meetings. Its last complete
reporting year, 2025-26, holds 5 incidents considered, 3 notifications (1 withdrawn), 2 rapid
reviews and 1 LCSPR initiated.

For 2025-26 and up to the as-at date it also holds the sub group's own business (issue 13):
members by agency with deputies, the chair's history, terms of reference with the next review due,
six-weekly meetings' attendance (one inquorate), two health checks (one with an action arising in
the sub group's plan), escalations (one closed), a reviewer commissioned as author and panel chair
for the LCSPRs, costs and a budget with partner contributions; and the learning that landed
(issue 14): the published LCSPR's checklist and web address, newsletter issues and web pages for
the briefings, recommendations' acceptance, assurance and impact (one closed with evidence of
impact), and themes on reviews, recommendations and briefings.

Everything is invented and says so: the Fernhallow partnership, its agencies, officers, children
("Child FA" …), the restricted identifiers (marked FICTIONAL), members and chairs (role titles
only), reviewers (plainly fictional names), web addresses (example.org.uk) and every fee, cost and
budget (fictional figures, said in their notes). Every record goes in through the store's write
functions, the ones the window uses, so each is checked by its rules and audited; the file is
built beside its destination and moved into place when complete.
"""

from __future__ import annotations

import contextlib
import hashlib
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
    channels,
    events,
    governance,
    impact,
    publication,
    referrals,
    reviewers,
    reviews,
    statutory,
    themes,
)
from scrdesk.store.db import Store
from scrdesk.store.demo import minimal_pdf

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
    # Fernhallow keeps a published review on its website for three years (every profile's
    # `published_kept_online` asks for at least a year), so Ref001's report, published in May
    # 2025, is still online at the as-at date.
    "report_online_months": 36,
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

# -- the sub group's own business (issue 13) ----------------------------------------------------
# Members and chairs are role titles; reviewers are plainly fictional names; every fee, cost and
# budget is a fictional figure and says so in its note.

FICTIONAL_COST = "Fictional figure for the demo"

#: (agency, name, role, deputy, from, to, notes)
MEMBERS = (
    ("FC CS", "Head of Service, Safeguarding and Quality Assurance", "Member (local authority; safeguarding partner)",
     "Service Manager, Front Door", "2023-04-01", None, None),
    ("FP", "Detective Inspector, Public Protection", "Member (police; safeguarding partner)",
     "Detective Sergeant, Child Abuse Investigation Team", "2023-04-01", None, None),
    ("FICB", "Designated Nurse, Safeguarding Children", "Member (integrated care board; safeguarding partner)",
     "Named GP for Safeguarding", "2023-04-01", None, None),
    ("FHT", "Named Nurse, Safeguarding Children", "Member (acute health)", "Named Midwife", "2023-04-01", None, None),
    ("FCH", "Head of Safeguarding", "Member (community health)", "Named Nurse, Health Visiting", "2023-04-01",
     None, None),
    ("FSSS", "Education Safeguarding Manager", "Member (education)", "Designated Safeguarding Lead Adviser",
     "2024-09-01", None, None),
    ("FPDU", "Senior Probation Officer", "Member (probation)", None, "2023-04-01", "2025-12-31",
     "Probation's seat reviewed after the autumn health check: a service manager sits from January 2026."),
    ("FPDU", "Probation Service Manager, Public Protection", "Member (probation)", "Senior Probation Officer",
     "2026-01-01", None, None),
)

#: (name, role, agency, interim, from, to, notes): one chair at a time.
CHAIRS = (
    ("Head of Safeguarding, Fernhallow Integrated Care Board", "Head of Safeguarding", "FICB", 0,
     "2023-04-01", "2025-08-31", None),
    ("Detective Chief Inspector, Public Protection, Fernhallow Police", "Detective Chief Inspector", "FP", 1,
     "2025-09-01", "2025-12-31", "Interim chair while the safeguarding partners appointed."),
    ("Assistant Director, Safeguarding and Quality Assurance, Fernhallow Council", "Assistant Director", "FC CS", 0,
     "2026-01-01", None, "Appointed by the safeguarding partners (role title only in the demo)."),
)

#: The case review sub group's meeting the summer left inquorate.
INQUORATE = "2025-08-13"

#: Attendance at each meeting: P present, D deputy sent, A apologies, X absent, in this agency order.
ATTENDANCE_ORDER = ("FC CS", "FP", "FICB", "FHT", "FCH", "FSSS", "FPDU")
ATTENDANCE = {
    "2025-04-02": "PPPPDPA", "2025-05-20": "PPDPPPP", "2025-07-02": "PPPPPDA", INQUORATE: "PAAADAX",
    "2025-09-18": "PPPPPPD", "2025-11-05": "PDPPPPA", "2025-12-17": "PPPDPAP", "2026-01-22": "PPPPPPP",
    "2026-03-04": "DPPPPPA", "2026-04-08": "PPPPPDP", "2026-05-20": "PPDPPPA", "2026-07-01": "PPPPAPP",
    "2026-07-16": "PPPAPAA", "2026-09-02": "PPPPPPP",
}
_MARKS = {"P": "present", "D": "deputy", "A": "apologies", "X": "absent"}

#: Six-monthly health checks: date -> {question code: (RAG, comment)} (the default question set).
HEALTH_CHECKS = {
    "2025-09-18": {
        "MEM1": ("amber", "Every agency has a member; probation has no named deputy."),
        "MEM2": ("green", "Terms of reference version 4 approved on 2 July 2025."),
        "ATT1": ("amber", "The August meeting was inquorate (summer leave); probation came to one of the last "
                          "four meetings."),
        "TIM1": ("green", "Notifications made within five working days; decisions at the next meeting."),
        "TIM2": ("amber", "Ref001 LCSPR completed; Ref004 LCSPR may wait on criminal proceedings."),
        "ACT1": ("green", "Actions from Ref001 and Ref003 on track."),
        "ACT2": ("green", "No action closed without evidence."),
        "DIS1": ("amber", "Ref001 and Ref003 briefings issued; some agencies' feedback still outstanding."),
        "IMP1": ("amber", "No recommendation yet closed on evidence of impact; the Ref001 audit reports in "
                          "November."),
    },
    "2026-03-04": {
        "MEM1": ("green", "Every agency has a member and a named deputy."),
        "MEM2": ("green", "Terms of reference version 4 in force; next review October 2026."),
        "ATT1": ("green", "Every meeting since August quorate; probation's attendance better."),
        "TIM1": ("green", "Notifications and decisions on time."),
        "TIM2": ("amber", "Ref004 LCSPR delayed by the criminal trial; the delay recorded and the board chair told."),
        "ACT1": ("amber", "The police briefing action for Ref001 is slipping (a restructure of the team)."),
        "ACT2": ("green", "Completed actions signed off on evidence."),
        "DIS1": ("amber", "Two agencies per briefing have not returned their feedback."),
        "IMP1": ("green", "Ref001 recommendation 1 closed with evidence of impact (health visiting re-audit)."),
    },
}

#: (name, organisation, methodologies, notes)
REVIEWERS = (
    ("R. Quillfeather (fictional independent reviewer)", "Independent (fictional)", "Learning Together; SILP",
     "Fictional reviewer for the demo: author and panel chair for Fernhallow's LCSPRs."),
    ("M. Fernsby (fictional independent reviewer)", "Independent (fictional)", "SILP",
     "Fictional reviewer for the demo."),
)

#: (review, reviewer, role, agreed on, days, day rate)
COMMISSIONS = (
    ("Ref001", "R. Quillfeather (fictional independent reviewer)", "both", "2024-06-12", 22, 500),
    ("Ref004", "M. Fernsby (fictional independent reviewer)", "author", "2025-06-09", 18, 475),
    ("Ref004", "R. Quillfeather (fictional independent reviewer)", "panel_chair", "2025-06-09", 6, 500),
    ("Ref006", "R. Quillfeather (fictional independent reviewer)", "both", "2026-04-14", 22, 520),
)

#: (review, kind, date, amount, what for)
COSTS = (
    ("Ref001", "venue", "2024-10-15", 350, "room hire for the practitioner learning event"),
    ("Ref001", "author", "2024-10-31", 5500, "first half of the author's fee"),
    ("Ref001", "legal", "2025-04-16", 900, "legal advice before publication"),
    ("Ref001", "other", "2025-05-09", 180, "printing the report for the family's reading"),
    ("Ref001", "author", "2025-05-30", 5500, "second half of the author's fee, on publication"),
    ("Ref001", "venue", "2025-07-09", 600, "venue for the wider de-brief"),
    ("Ref004", "venue", "2025-09-23", 400, "room hire for the practitioner learning event"),
    ("Ref004", "author", "2025-12-19", 4275, "first half of the author's fee"),
    ("Ref004", "other", "2026-03-31", 1500, "the panel chair's fee to date"),
    ("Ref004", "author", "2026-08-28", 4275, "second half of the author's fee, on completion"),
    ("Ref006", "venue", "2026-07-08", 380, "room hire for the practitioner learning event"),
    ("Ref006", "author", "2026-07-31", 5720, "first half of the author's fee"),
)

#: Reporting year -> (budget, {agency: contribution}): the three safeguarding partners share it.
BUDGETS = {
    2024: (30000, {"FC CS": 10000, "FP": 10000, "FICB": 10000}),
    2025: (33000, {"FC CS": 11000, "FP": 11000, "FICB": 11000}),
    2026: (33000, {"FC CS": 11000, "FP": 11000, "FICB": 11000}),
}

# -- the learning that landed (issue 14) -----------------------------------------------------------

SITE = "https://www.fernhallow-scp.example.org.uk"

#: Ref001's publication checklist: (item, done on, done by, note, not needed).
REF001_PUBLICATION = (
    ("family_told", "2025-04-30", "Independent reviewer and partnership business manager",
     "Mother told of the date and offered a reading; she read it with the reviewer.", False),
    ("police_cleared", "2025-04-07", "Senior investigating officer, FP (fictional)", "Criminal proceedings concluded.",
     False),
    ("cps_cleared", "2025-04-09", "CPS reviewing lawyer (fictional)", None, False),
    ("coroner_cleared", None, None, "Not needed: the child survived; there was no inquest.", True),
    ("media_plan", "2025-04-16", "Partnership business manager",
     "Agreed by the safeguarding partners: a press statement, no media session.", False),
    ("press_statement", "2025-05-13", "Council communications team (fictional)", None, False),
    ("comms_leads_told", "2025-05-12", "Partnership business manager",
     "Communications leads of the three safeguarding partners and the agencies involved.", False),
    ("copies_sent", "2025-05-02", "Partnership project officer",
     "The national panel, the Secretary of State and Ofsted, seven working days before publication.", False),
)

#: Newsletter issues: (number, date, briefings promoted, learning events promoted by date, notes).
NEWSLETTERS = (
    ("12", "2025-06-06", ("Ref001",), ("2025-07-09",), "Ref001 LCSPR published; its briefing and the wider de-brief."),
    ("13", "2025-08-01", ("Ref003",), (), "Seven-minute briefing on neglect seen at school."),
    ("14", "2025-10-03", (), ("2025-11-12",), "Multi-agency training on learning from reviews."),
    ("15", "2025-12-05", (), ("2026-02-11",), "Training dates for the new year."),
    ("16", "2026-02-06", (), (), "Safe handling of babies: what the health visiting re-audit found."),
    ("17", "2026-04-03", (), (), "The partnership's priorities for 2026-27."),
    ("18", "2026-06-05", (), (), "Criminal exploitation: the partnership's new protocol."),
    ("19", "2026-08-07", (), (), "Summer edition: reviews under way."),
)

#: Each briefing's own web page: (briefing, address, date put up).
WEB_POSTS = (
    ("Ref001", f"{SITE}/learning/ref001-six-step-briefing", "2025-05-27"),
    ("Ref003", f"{SITE}/learning/ref003-seven-minute-briefing", "2025-06-12"),
)

#: Recommendations' acceptance, assurance and impact, by "review/number".
IMPACT = {
    "Ref001/1": {
        "acceptance": "fully", "accepted_date": "2025-05-20",
        "intended_outcome": "Every family of a baby under six months hears the same safe handling and soothing "
                            "advice, and it is recorded.",
        "assurance_methods": ["audit", "practitioner_feedback"],
        "assurance_plan": "Re-audit of 20 health visiting records; feedback from health visitors at team meetings.",
        "impact_statement": "The re-audit found the advice given and recorded in 18 of 20 records, against 9 of 20 "
                            "before the review; health visitors say the new prompt in the record helps. "
                            "Fictional figures for the demo.",
        "closure_basis": "impact", "closed_date": "2026-01-22", "closed_by": "Case review sub group",
    },
    "Ref001/2": {
        "acceptance": "partly", "accepted_date": "2025-05-20",
        "acceptance_reason": "A strategy discussion for every non-mobile baby with an injury referred by health; "
                             "injuries reported first by others keep the front door's existing route.",
        "intended_outcome": "No injury to a non-mobile baby is explained away without a strategy discussion.",
        "assurance_methods": ["case_file_review"],
        "assurance_plan": "Case file review of strategy discussions for babies, six months after the briefings.",
    },
    "Ref001/3": {
        "acceptance": "fully", "accepted_date": "2025-05-20",
        "intended_outcome": "Every adult in a baby's household is known to and assessed by children's services.",
        "assurance_methods": ["audit"],
    },
    "Ref003/1": {
        "acceptance": "fully", "accepted_date": "2025-05-01",
        "intended_outcome": "Schools bring persistent concerns together and use the neglect tool within a term.",
        "assurance_methods": ["survey", "practitioner_feedback"],
    },
    "Ref007/1": {
        "acceptance": "fully", "accepted_date": "2026-03-04",
        "intended_outcome": "No missed health check for a disabled child goes without follow-up.",
        "assurance_methods": ["audit"],
    },
    "Ref004/1": {
        "acceptance": "fully", "accepted_date": "2026-09-02",
        "intended_outcome": "A baby's child protection plan is known to whoever sees the baby with an injury.",
        "assurance_methods": ["case_file_review"],
    },
}

#: Themes (codes of resources/themes.json) on reviews, recommendations and briefings.
THEMES = {
    "review": {
        "Ref001": ("non_mobile_bruising", "hidden_men", "information_sharing"),
        "Ref003": ("neglect", "professional_curiosity"),
        "Ref004": ("non_mobile_bruising", "information_sharing"),
        "Ref006": ("voice_of_child", "adolescent_risk"),
        "Ref007": ("neglect",),
        "Ref011": ("missing_children", "adolescent_risk"),
    },
    "recommendation": {
        "Ref001/1": ("non_mobile_bruising",),
        "Ref001/2": ("non_mobile_bruising", "information_sharing"),
        "Ref001/3": ("hidden_men",),
        "Ref003/1": ("neglect",),
        "Ref004/1": ("information_sharing",),
        "Ref007/1": ("neglect",),
    },
    "briefing": {
        "Ref001": ("hidden_men", "non_mobile_bruising"),
        "Ref003": ("neglect",),
    },
}

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


def pdf_file(file_name: str, text: str) -> dict:
    """An attachment row (as `read_attachment_file` gives it) for a one-page stand-in document."""
    content = minimal_pdf(text)
    return {"file_name": file_name, "mime_type": "application/pdf", "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(), "content": content}


class _Loader:
    def __init__(self, store: Store):
        self.store = store
        self.agency: dict[str, int] = {}
        self.referral: dict[str, int] = {}
        self.review: dict[str, int] = {}
        self.recommendations: dict[str, int] = {}
        self.briefings: dict[str, int] = {}
        self.police_briefing_action = 0
        self.meeting: dict[str, int] = {}
        self.event: dict[str, int] = {}

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
        self.sub_group()
        self.learning()

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
        made = reviews.save_child(self.store, "recommendations", self.review[key],
                                  {"number": str(number), "text": text, "level": level})
        self.recommendations[f"{key}/{number}"] = made
        return made

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
        self.briefings[key] = briefing_id
        return briefing_id

    # -- the years ---------------------------------------------------------------------------

    def meetings(self) -> None:
        # The case review sub group meets six-weekly (fictional dates).
        for when in ("2024-04-17", "2024-05-29", "2024-06-12", "2024-07-24", "2024-09-04", "2024-10-16",
                     "2024-11-14", "2025-01-08", "2025-02-19", "2025-04-02", "2025-05-20", "2025-07-02",
                     "2025-08-13", "2025-09-18", "2025-11-05", "2025-12-17", "2026-01-22", "2026-03-04",
                     "2026-04-08", "2026-05-20", "2026-07-01", "2026-07-16", "2026-09-02"):
            notes = "Case review sub group (demo)"
            if when == INQUORATE:
                notes += ". Inquorate (summer leave): items for decision deferred to September."
            self.meeting[when] = events.save_meeting(self.store, None, {"date": when, "kind": "scr_subgroup",
                                                                       "notes": notes})

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
        self.police_briefing_action = self.action(
            "Ref001", second, "FP", "Brief every child abuse investigation officer on strategy discussions for "
            "non-mobile babies.", "2025-05-20", "2026-03-31",
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
            self.event[when] = events.save_event(self.store, None, record)

    # -- the sub group's own business (issue 13) ---------------------------------------------

    def sub_group(self) -> None:
        store = self.store
        for short, name, role, deputy, start, end, notes in MEMBERS:
            governance.save_member(store, None, {"agency_id": self.agency[short], "name": name, "role": role,
                                                 "deputy_name": deputy, "from_date": start, "to_date": end,
                                                 "notes": notes})
        for name, role, short, interim, start, end, notes in CHAIRS:
            governance.save_chair(store, None, {"name": name, "role": role, "agency_id": self.agency[short],
                                                "interim": interim, "from_date": start, "to_date": end,
                                                "notes": notes})
        governance.save_terms_of_reference(store, None, {
            "version": "3", "approved_date": "2024-07-24", "next_review_date": "2025-07-24",
            "notes": "Fictional earlier version."})
        governance.save_terms_of_reference(store, None, {
            "version": "4", "approved_date": "2025-07-02", "next_review_date": "2026-10-14",
            "notes": "Reviewed with the membership: six-weekly meetings, a quorum of three agencies present or "
                     "deputised, each member names a deputy. Fictional document for the demo."},
            files=[pdf_file("Case review sub group terms of reference v4 (fictional).pdf",
                            "Fernhallow Safeguarding Children Partnership (fictional demo)\n"
                            "Case review sub group: terms of reference, version 4\n"
                            "Approved 2 July 2025; next review October 2026.")])
        for held, marks in ATTENDANCE.items():
            governance.set_attendance(store, self.meeting[held], [
                {"agency_id": self.agency[short], "status": _MARKS[mark]}
                for short, mark in zip(ATTENDANCE_ORDER, marks, strict=True)])
        checks = {}
        for held, answers in HEALTH_CHECKS.items():
            checks[held] = governance.create_health_check(store, {"date": held,
                                                                  "notes": "Fictional answers for the demo."})
            governance.answer_health_check(store, checks[held], {
                code: {"rag": rag, "comment": comment} for code, (rag, comment) in answers.items()})
        # The autumn check's attendance finding goes into the sub group's own plan.
        lead = "Partnership business manager (hosted by the council; demo)"
        arising = governance.add_health_check_action(store, checks["2025-09-18"], {
            "agency_id": self.agency["FC CS"], "lead_officer": lead,
            "text": "Agree the 2026 meeting dates with every member and confirm each agency's named deputy; "
                    "write to the probation delivery unit about its attendance.",
            "agreed_date": "2025-09-18", "target_date": "2025-12-17"})
        actions.add_update(store, arising, on=d("2025-11-05"), author=lead, status_to="on_track",
                           note="Dates for 2026 sent to members; four deputies confirmed.")
        actions.add_update(store, arising, on=d("2025-12-17"), author=lead, status_to="complete_evidenced",
                           note="Every agency has a named deputy; probation's new member sits from January.",
                           evidence_note="Membership list with deputies, December 2025 sub group papers")

        named = {name: reviewers.save_reviewer(store, None, {"name": name, "organisation": organisation,
                                                              "methodologies": methods, "notes": notes})
                 for name, organisation, methods, notes in REVIEWERS}
        for key, name, role, agreed, days, rate in COMMISSIONS:
            reviewers.save_commission(store, None, {
                "review_id": self.review[key], "reviewer_id": named[name], "role": role, "agreed_date": agreed,
                "agreed_days": days, "day_rate": rate, "notes": "Fictional fee for the demo."})
        for key, kind, when, amount, what in COSTS:
            reviewers.save_cost(store, None, {"review_id": self.review[key], "kind": kind, "date": when,
                                              "amount": amount, "note": f"{FICTIONAL_COST}: {what}."})
        for year, (amount, shares) in BUDGETS.items():
            budget = reviewers.save_budget(store, None, {
                "year": year, "amount": amount,
                "notes": f"{FICTIONAL_COST}: the three safeguarding partners share the cost of reviews."})
            for short, share in shares.items():
                reviewers.save_contribution(store, None, {"budget_id": budget, "agency_id": self.agency[short],
                                                          "amount": share})

        # One escalation closed (the trial delaying Ref004, to the board chair), one open (the
        # police action past its target, to the business manager, marked escalated on the action).
        governance.escalate_review(store, self.review["Ref004"], {
            "raised_date": "2025-11-05", "raised_by": "Case review sub group chair (interim)",
            "to_whom": "board_chair",
            "subject": "Ref004 LCSPR: the criminal trial, listed for March 2026, takes the review past its target",
            "outcome": "The board chair wrote to the CPS and told the national panel; the review goes on with "
                       "the practitioners' accounts and the report waits for the verdict.",
            "closed_date": "2026-01-22"})
        governance.escalate_action(store, self.police_briefing_action, {
            "raised_date": "2026-04-08", "raised_by": "Partnership project officer (demo)",
            "to_whom": "business_manager"})

    # -- the learning that landed (issue 14) --------------------------------------------------

    def learning(self) -> None:
        store = self.store
        review = self.review["Ref001"]
        for item, done, by, note, not_needed in REF001_PUBLICATION:
            publication.save_step(store, review, item, done_date=done, done_by=by, note=note, not_needed=not_needed)
        publication.save_publication(
            store, review, web_address=f"{SITE}/reviews/ref001-lcspr", media_approach="press_statement_only",
            notes="Published with a press statement agreed by the three safeguarding partners; no media session.",
            published_date=store.get("reviews", review)["published_date"])
        for number, issued, promoted, promoted_events, notes in NEWSLETTERS:
            channels.save_issue(store, None, {"number": number, "issue_date": issued, "notes": notes,
                                              "web_address": f"{SITE}/newsletter/{number}"},
                                briefing_ids=[self.briefings[key] for key in promoted],
                                event_ids=[self.event[when] for when in promoted_events])
        for key, address, posted in WEB_POSTS:
            channels.save_web_post(store, self.briefings[key], None, {"web_address": address, "posted_date": posted})
        for key, record in IMPACT.items():
            files = []
            if record.get("closure_basis") == "impact":
                files = [pdf_file(f"{key.replace('/', ' recommendation ')} re-audit summary (fictional).pdf",
                                  "Health visiting re-audit (fictional demo figures)\n"
                                  "Safe handling and soothing advice recorded: 18 of 20 records (was 9 of 20).")]
            impact.save_impact(store, self.recommendations[key], record, files=files)
        codes = {row["code"]: row["id"] for row in themes.theme_list(store)}
        found = {"review": self.review, "recommendation": self.recommendations, "briefing": self.briefings}
        for kind, tagged in THEMES.items():
            for key, theme_codes in tagged.items():
                themes.set_tags(store, kind, found[kind][key], [codes[code] for code in theme_codes])
