"""Synthetic data for load tests: twenty years of a busy, plainly fictional partnership (the
large size), or a century of it at the same pace (xlarge, five times large, for the growth figures).

`write_sample(path, size)` opens a new file through `Store.open` (so settings and migrations are
real), plans every record in memory, then writes it all in ONE transaction with `executemany`.
Records are written the way they were lived: a referral is inserted when received and updated
when decided, an action is inserted "not started" and updated at each status change, a
dissemination is updated when feedback arrives. The audit triggers fire for each of those writes,
so the audit log grows as it would over the years (over 200,000 rows for the large size, a million
for xlarge). Writing xlarge takes about 40 s and 0.8 GB of memory for the plan.

Everything is invented: fictional county, towns and agencies, pseudonyms `Child N`, made-up
surnames for officers and reviewers, and `SAMPLE-` case numbers as restricted identifiers.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from scrdesk.domain import values
from scrdesk.domain.profiles import Profile, framework_for, get_profile
from scrdesk.domain.resources import resource_path
from scrdesk.domain.settings import Settings
from scrdesk.domain.timescales import add_working_days
from scrdesk.store.db import Store, StoreError

#: How many of each record a size makes (the large one is the issue's "twenty years").
SIZES: dict[str, dict[str, int]] = {
    "large": {
        "referrals": 3000, "reviews": 1000, "milestones": 8000, "actions": 20000,
        "action_updates": 60000, "briefings": 1000, "disseminations": 10000,
    },
    "small": {
        "referrals": 60, "reviews": 20, "milestones": 100, "actions": 120,
        "action_updates": 360, "briefings": 20, "disseminations": 80,
    },
    # Five times large, for the growth figures (issue 15): the same partnership at the same pace
    # over five times the history (see FIRST_DAYS).
    "xlarge": {
        "referrals": 15000, "reviews": 5000, "milestones": 40000, "actions": 100000,
        "action_updates": 300000, "briefings": 5000, "disseminations": 50000,
    },
}

FIRST_DAY = date(2006, 4, 1)
#: Where a size's history starts when not at FIRST_DAY. The extra-large file is five times the
#: large one by having five times its history at the same pace (about 150 referrals, 50 reviews
#: and 1,000 actions a year), not by a busier year: a file grows by years, and what the growth
#: figures ask is whether a screen or a year's report costs more when the file holds more years.
#: (A year five times as busy would make the year's own report list five times the referrals.)
#: The dates before 2006 are as fictional as the rest.
FIRST_DAYS = {"xlarge": date(1924, 4, 1)}
#: The sample's as-at date: nothing done is dated after it (planned dates and deadlines may be).
LAST_DAY = date(2026, 9, 30)

COUNTY = "Wrenshire"
TOWNS = (
    "Ashcombe Vale", "Brackenby", "Corvin Cross", "Dunmere", "Eastholt", "Fennick",
    "Gorsey Bank", "Hollowmere", "Kestrel Bay", "Larkholt", "Marrowby", "Nettlecombe",
    "Oakhollow", "Quarry End", "Rookhampton", "Sallowfield", "Thornwick", "Wyvern Heath",
)
SURNAMES = (
    "Ambleworth", "Brackley-Vane", "Corriemoor", "Dunnockfield", "Fernsby", "Gorsley",
    "Hartsmere", "Inchbold", "Jessamine", "Kittlewell", "Lowmoor", "Nettlefold", "Oakridge",
    "Pennywhistle", "Quillfeather", "Rushmere", "Sallowby", "Thistlewood", "Vetchley", "Wrenfield",
)
INITIALS = "ABCDEFGHJKLMNPRSTW"

AGENCIES: tuple[tuple[str, str, str], ...] = (
    (f"{COUNTY} County Council Children's Services", "WCC CS", "la_childrens"),
    (f"{COUNTY} County Council Education Services", "WCC Ed", "education"),
    (f"{COUNTY} Police", "WP", "police"),
    (f"{COUNTY} Integrated Care Board", "WICB", "health_commissioner"),
    (f"North {COUNTY} Clinical Commissioning Group", "NWCCG", "health_commissioner"),
    (f"{COUNTY} General Hospital NHS Trust", "WGH", "health_provider"),
    ("Kestrel Bay Hospital NHS Foundation Trust", "KBH", "health_provider"),
    (f"{COUNTY} Community Health Services", "WCHS", "health_provider"),
    (f"{COUNTY} Mental Health Partnership", "WMHP", "health_provider"),
    ("Wyvern Ambulance Service", "WAS", "health_provider"),
    (f"{COUNTY} Probation Delivery Unit", "WPDU", "probation"),
    (f"{COUNTY} Youth Justice Service", "WYJS", "la_childrens"),
    ("Hollowmere Primary Academy Trust", "HPAT", "education"),
    ("Larkholt College", "LC", "education"),
    (f"{COUNTY} Early Help Hub", "WEHH", "la_childrens"),
    ("Marrowby Housing Association", "MHA", "other"),
    ("Thornwick Family Support (charity)", "TFS", "voluntary"),
    (f"{COUNTY} Domestic Abuse Service", "WDAS", "voluntary"),
    ("Rookhampton Young Carers", "RYC", "voluntary"),
    (f"{COUNTY} Substance Misuse Service", "WSMS", "health_provider"),
    (f"{COUNTY} Fire and Rescue Service", "WFRS", "other"),
    (f"{COUNTY} Adult Social Care", "WASC", "other"),
    ("Dunmere Borough Council Housing", "DBCH", "other"),
    (f"{COUNTY} General Practice Federation", "WGPF", "health_provider"),
)

SUMMARIES = (
    "Extreme neglect and cruelty", "Significant non-accidental injury",
    "Death following non-accidental injury", "Sudden unexpected death in infancy",
    "Death following dog attack", "CSE and grooming", "Criminal exploitation (county lines)",
    "Sibling witnesses of domestic violence", "Siblings in repeat PLO processes",
    "Non-accidental injury", "Sustained non-accidental injuries", "Neglect",
    "Suicide of a young person", "Murder by stabbing", "Serious self-harm",
    "Drowning while unsupervised", "Fabricated or induced illness", "Online sexual abuse",
    "Head injury in a baby", "Death in a house fire", "Missing from care, found harmed",
)
RATIONALES = (
    "Criteria met: significant harm and concerns about how agencies worked together.",
    "Criteria not met; single agency learning identified and passed to the agency.",
    "Learning can be drawn quickly through a case mapping workshop with practitioners.",
    "Similar themes in recent referrals; a thematic review adds more than separate reviews.",
    "Agencies worked well together; no further review needed, good practice noted.",
    "National panel consulted; review to proceed locally with their agreement.",
)
STATUS_NOTES = (
    "Awaiting outcome of criminal proceedings", "Panel to consider at next meeting",
    "Chronologies requested from all agencies", "Family engagement under way",
    "Draft report with the panel", "Publication date to be agreed with the Board",
)
LEAD_ROLES = (
    "Head of Safeguarding", "Named Nurse", "Designated Nurse", "Service Manager",
    "Detective Inspector", "Designated Safeguarding Lead", "Training Manager",
    "Principal Social Worker", "Named GP", "Head of Service",
)
ACTION_VERBS = (
    "Audit", "Review", "Update", "Deliver training on", "Issue a practice note on",
    "Embed", "Test through a dip sample", "Circulate a briefing on", "Revise guidance on",
    "Introduce supervision prompts for",
)
ACTION_TOPICS = (
    "safe sleeping advice at every new birth visit", "the voice of the child in assessments",
    "professional curiosity about hidden adults", "escalation when a referral is not accepted",
    "information sharing at the front door", "recognising bruising in non-mobile babies",
    "exploitation screening for missing episodes", "strategy discussions involving health",
    "family history in pre-birth assessments", "the impact of parental mental health",
    "domestic abuse risk assessment at A&E", "transfers of care between areas",
    "neglect tool use in early help", "recording of fathers and male carers",
)
ACTION_MEASURES = (
    "so that practitioners apply it consistently", "with evidence from a file audit",
    "reported to the sub group within six months", "with attendance recorded by team",
    "and confirm by dip sample of 20 cases", "with findings shared with the partnership",
)
UPDATE_NOTES = (
    "Working group met; draft prepared for consultation.",
    "Training dates set; first session delivered to front-line staff.",
    "Audit completed; findings to go to the next sub group meeting.",
    "Delayed by staff changes; revised plan agreed with the lead.",
    "Guidance published on the intranet and cascaded to teams.",
    "Evidence of completion sent to the business office.",
    "Dip sample shows improvement; some recording gaps remain.",
    "Agency asked for more time; chased by the project officer.",
    "Sub group accepted the evidence and agreed sign-off.",
)
DELAY_REASONS = (
    "Parallel criminal proceedings", "Inquest awaited", "Author unavailable",
    "Agency reports received late", "Family asked for more time to take part",
)
FEEDBACK_NOTES = (
    "Discussed at team meetings; staff found the briefing easy to use.",
    "Shared in the safeguarding newsletter and at induction.",
    "Briefing used in supervision; reflective questions prompted good discussion.",
    "Cascaded to managers; evidence of team discussion attached.",
)
TEAMS = ("Front door team", "Health visiting", "Midwifery", "Emergency department",
         "School nurses", "Neighbourhood policing", "Early help", "Children in care")

SECTION_TEXT = (
    "The family were known to several agencies over a number of years. {child} lived with "
    "their mother and siblings in {town}; a partner visited often but was rarely seen by "
    "professionals.",
    "Practitioners saw signs of neglect that were not brought together: missed health "
    "appointments, school absence and poor home conditions were each recorded by one agency.",
    "{child} was taken to hospital with injuries that doctors judged were not accidental.",
    "The sub group agreed a review using {method}. Practitioners took part in a learning "
    "event and the family were invited to contribute.",
    "Information was held by agencies but not shared; the voice of the child was not heard; "
    "the adult men in the household were not assessed.",
    "Agencies should strengthen professional curiosity, use the escalation policy and record "
    "who lives in the household.",
)

PROCEEDING_STATUSES = ("awaiting trial", "concluded", "adjourned", "not proceeding")

# Review type -> methodologies to choose from (only those the record's profile has are used).
METHODS_BY_TYPE = {
    "SCR": ("traditional", "scie_learning_together", "silp", "welsh_cpr_extended"),
    "LCSPR": ("scie_learning_together", "silp", "traditional", "welsh_cpr_concise"),
    "THEMATIC": ("scie_learning_together", "silp"),
    "LOCAL_LEARNING": ("case_mapping", "scie_learning_together", "other"),
    "LINKED": ("other", "silp"),
    "RAPID_REVIEW": ("rapid_review",),
    "CASE_MAPPING": ("case_mapping",),
    "SINGLE_AGENCY": ("single_agency",),
}
# Review types by framework, with weights: what a sub group decides when a review is needed.
REVIEW_WEIGHTS = {
    "wt2015": {"SCR": 18, "CASE_MAPPING": 40, "SINGLE_AGENCY": 28, "THEMATIC": 14},
    "wt2018": {"RAPID_REVIEW": 34, "LCSPR": 18, "LOCAL_LEARNING": 18, "CASE_MAPPING": 14,
               "SINGLE_AGENCY": 10, "LINKED": 6},
}
# Today's process (Working Together 2018/2023), from the partnership's switch on: what a rapid
# review's outcome is, given the decision the sample makes on the case.
RR_OUTCOME_OF = {"LCSPR": "LCSPR", "NATIONAL": "NATIONAL", "NFA": "NFA", "LOCAL_LEARNING": "LOCAL_LEARNING",
                 "CASE_MAPPING": "LOCAL_LEARNING", "SINGLE_AGENCY": "LOCAL_LEARNING", "LINKED": "LOCAL_LEARNING"}
HARM_TYPES = ("physical_abuse", "neglect", "sexual_abuse", "emotional_abuse", "criminal_exploitation",
              "sexual_exploitation", "extra_familial", "self_harm", "sudden_death", "other")
WITHDRAWN_REASONS = ("Further information showed the injury was accidental: criteria not met",
                     "The child was not known to have been abused or neglected: criteria not met")
NOT_NOTIFIED_REASONS = ("Criteria for notification not met: no serious harm",
                        "Criteria not met; learning for one agency")

#: The sample's own settings (a fictional partnership that moved to the 2018 arrangements on the
#: latest date allowed, the default).
SAMPLE_SETTINGS = {
    "board_name": f"{COUNTY} Safeguarding Children Partnership (sample data)",
    "board_short_name": "WSCP",
    "ref_width": 4,
    "as_at_date": LAST_DAY.isoformat(),
}

STATUS_PATH = ("not_started", "on_track", "slipping", "complete_awaiting_evidence",
               "complete_evidenced", "signed_off")


def _template_sections(code: str) -> list[tuple[str, str]]:
    """(key, title) of each section of a built-in briefing template, as the documents use them."""
    data = json.loads(resource_path("templates", f"{code}.json").read_text(encoding="utf-8"))
    return [(section["key"], section["title"]) for section in data["sections"]]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T09:00:00.000Z"


@dataclass
class _Table:
    """Rows planned for one table: inserts (with explicit ids) and later updates."""

    name: str
    columns: Sequence[str]
    rows: list[tuple] = field(default_factory=list)
    updates: list[tuple[date, str, tuple[str, ...], tuple]] = field(default_factory=list)

    @property
    def next_id(self) -> int:
        return len(self.rows) + 1

    def add(self, **values: object) -> int:
        row_id = self.next_id
        values.setdefault("id", row_id)
        self.rows.append(tuple(values.get(c) for c in self.columns))
        return row_id

    def later(self, row_id: int, when: date, **values: object) -> None:
        """An UPDATE written after every insert, as the record changed later in its life."""
        self.updates.append((when, self.name, tuple(values), (*values.values(), _stamp(when), row_id)))


class _Planner:
    def __init__(self, counts: dict[str, int], seed: int, first_day: date = FIRST_DAY):
        self.counts = counts
        self.first_day = first_day
        self.rng = random.Random(seed)
        self.settings = Settings.from_stored(SAMPLE_SETTINGS)
        self.t = {name: _Table(name, columns) for name, columns in _COLUMNS.items()}
        self.reviews: list[dict] = []
        # Notified cases whose rapid review reached the Panel by the as-at date: the date submitted.
        self.rapid_reviews: dict[int, date] = {}
        self.timelines: list[tuple[int, list[tuple[str, str]], date, date]] = []

    # -- small helpers ---------------------------------------------------------------------

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def person(self) -> str:
        return f"{self.rng.choice(INITIALS)}. {self.rng.choice(SURNAMES)}"

    # -- the plan --------------------------------------------------------------------------

    def plan(self) -> None:
        self.agencies()
        reviews = self.referrals()
        for review in reviews:
            self.review(review)
        self.milestones()
        self.fill_actions()
        self.briefings_and_disseminations()
        self.meetings()

    def agencies(self) -> None:
        for name, short, kind in AGENCIES:
            lead = self.person()
            self.t["agencies"].add(
                name=name, short_name=short, type=kind, lead_name=lead,
                lead_email=f"{short.lower().replace(' ', '.')}.safeguarding@example.org",
                active=1, created_at=_stamp(self.first_day), updated_at=_stamp(self.first_day))

    def referrals(self) -> list[dict]:
        """Plan every referral; return the reviews to create, each with its linked referral ids."""
        n = self.counts["referrals"]
        span = (LAST_DAY - self.first_day).days
        received = sorted(self.first_day + timedelta(days=self.rng.randint(0, span)) for _ in range(n))
        meetings = [got + timedelta(days=self.rng.randint(10, 45)) for got in received]
        # Which referrals lead to a review: exactly the number asked for, spread over the years,
        # among those already decided. Thematic and linked reviews take in a few more later.
        decided_ones = [i for i, m in enumerate(meetings) if m <= LAST_DAY]
        chosen = sorted(self.rng.sample(decided_ones, self.counts["reviews"]))
        reviews: list[dict] = []
        review_of: dict[int, dict] = {}
        for index in chosen:
            review = {"referrals": [index]}
            reviews.append(review)
            review_of[index] = review
        referrals = self.t["referrals"]
        agencies = len(AGENCIES)
        hosts: list[dict] = []
        for index, got in enumerate(received):
            number = index + 1
            incident = got - timedelta(days=self.rng.randint(5, 90))
            aware = incident + timedelta(days=self.rng.randint(0, 6))
            is_sin = self.rng.random() < (0.55 if got.year >= 2014 else 0.25)
            meeting = meetings[index]
            decided = meeting if meeting <= LAST_DAY else None
            profile = get_profile(framework_for({"decision_date": decided or got}, self.settings))
            age = self.age()
            notified = min(aware + timedelta(days=self.rng.randint(1, 9)), LAST_DAY) if is_sin else None
            referral_id = referrals.add(
                ref=f"Ref{number:04d}", pseudonym=f"Child {number}",
                source="sin" if is_sin else self.rng.choice(("agency_referral",) * 5 + ("other",)),
                referring_agency_id=self.rng.randint(1, agencies),
                incident_date=_iso(incident), la_aware_date=_iso(aware) if is_sin else None,
                received_date=_iso(got),
                sin_reference=f"SIN-{got.year}-{number:05d}" if is_sin else None,
                sin_submitted_date=_iso(notified),
                summary=self.rng.choice(SUMMARIES), location=self.rng.choice(TOWNS),
                gender=self.rng.choice(("male", "male", "female", "female", "male_and_female", "not_known")),
                harm_category=self.rng.choice(tuple(values.HARM_CATEGORIES)),
                age_various=0, **age, created_at=_stamp(got), updated_at=_stamp(got))
            self.t["restricted_identifiers"].add(
                referral_id=referral_id, kind="case_number", value=f"SAMPLE-CN-{number:06d}",
                created_at=_stamp(got), updated_at=_stamp(got))
            current = profile.methodology("rapid_review") is not None
            if current:
                self.notification(referral_id, got, aware, notified, age)
            if decided is None:
                if referral_id in self.rapid_reviews:
                    self.rapid_review_outcome(referral_id, None)
                continue
            review = review_of.get(index)
            if review is not None:
                decision = self.weighted(REVIEW_WEIGHTS[profile.code])
                review.update(decision=decision, decided=decided, profile=profile, ref=f"Ref{number:04d}")
                if decision in ("THEMATIC", "LINKED"):
                    hosts.append(review)
            elif (hosts and hosts[-1]["decided"] > decided - timedelta(days=180)
                  and hosts[-1]["profile"] is profile and self.rng.random() < 0.1):
                # A similar case soon after a thematic or linked review began joins that review.
                hosts[-1]["referrals"].append(index)
                decision = hosts[-1]["decision"]
            else:
                decision = "NATIONAL" if profile.code == "wt2018" and self.rng.random() < 0.02 else "NFA"
            panel_told = decided + timedelta(days=self.rng.randint(3, 20))
            referrals.later(
                referral_id, decided, meeting_date=_iso(meeting), recommendation=decision,
                decision=decision, decision_date=_iso(decided), decision_maker="Sub group chair",
                rationale=self.rng.choice(RATIONALES), framework=profile.code,
                # The national panel was told of decisions where the framework asks it (2015: every
                # decision not to hold an SCR) and of every notified case; only the last few weeks'
                # are still to be sent, as in a real office.
                # (Under today's process the notification itself tells the Panel.)
                panel_informed_date=_iso(panel_told) if panel_told <= LAST_DAY and not current and (
                    is_sin or (profile.rule("panel_told_no_scr") and decision != "SCR")) else None,
                status_note=self.rng.choice(STATUS_NOTES) if decided > LAST_DAY - timedelta(days=400) else None)
            if current and referral_id in self.rapid_reviews:
                self.rapid_review_outcome(referral_id, decision)
        return reviews

    def notification(self, referral_id: int, got: date, aware: date, notified: date | None, age: dict) -> None:
        """Today's process on one case, as an office's tracker keeps it: the partners' decision
        whether to notify; then for a notified case either a withdrawal (criteria not met) or a rapid
        review — most submitted within 15 working days, some late, some still running at the as-at
        date — and the Panel's response; the national data's characteristics."""
        referrals = self.t["referrals"]
        if notified is None:
            if self.rng.random() < 0.3:
                considered = min(got + timedelta(days=self.rng.randint(3, 10)), LAST_DAY)
                referrals.later(referral_id, considered, notify_considered_date=_iso(considered), notify_decision=0,
                                notify_reason=self.rng.choice(NOT_NOTIFIED_REASONS))
            return
        considered = min(aware + timedelta(days=self.rng.randint(0, 1)), notified)
        years = age.get("age_years") or 0
        band = "under_1" if not years else "1_5" if years <= 5 else "6_10" if years <= 10 \
            else "11_15" if years <= 15 else "16_17"
        referrals.later(
            referral_id, considered, notify_considered_date=_iso(considered), notify_decision=1,
            notify_reason="Serious harm; abuse or neglect known or suspected", child_age_band=band,
            child_sex=self.rng.choice(("male", "female")), harm_type=self.rng.choice(HARM_TYPES),
            harm_outcome=self.rng.choice(("death", "serious_harm", "serious_harm")))
        if self.rng.random() < 0.06:
            withdrawn = notified + timedelta(days=self.rng.randint(5, 20))
            if withdrawn <= LAST_DAY:
                referrals.later(referral_id, withdrawn, notification_withdrawn_date=_iso(withdrawn),
                                notification_withdrawn_reason=self.rng.choice(WITHDRAWN_REASONS))
                return
        meeting = add_working_days(notified, self.rng.randint(8, 12))
        submitted = add_working_days(notified, self.rng.randint(11, 15) if self.rng.random() < 0.85
                                     else self.rng.randint(16, 24))
        if meeting <= LAST_DAY:
            referrals.later(referral_id, meeting, rr_meeting_date=_iso(meeting))
        if submitted <= LAST_DAY:
            self.rapid_reviews[referral_id] = submitted

    def rapid_review_outcome(self, referral_id: int, decision: str | None) -> None:
        submitted = self.rapid_reviews[referral_id]
        outcome = RR_OUTCOME_OF.get(decision)
        response = submitted + timedelta(days=self.rng.randint(10, 25))
        changes = {"rr_submitted_date": _iso(submitted), "rr_outcome": outcome}
        if outcome and response <= LAST_DAY:
            changes.update(panel_response_date=_iso(response), panel_agreed=int(self.rng.random() < 0.9))
        self.t["referrals"].later(referral_id, submitted, **changes)

    def age(self) -> dict[str, int | None]:
        kind = self.rng.random()
        if kind < 0.2:
            return {"age_weeks": self.rng.randint(1, 12), "age_months": None, "age_years": None}
        if kind < 0.45:
            return {"age_weeks": None, "age_months": self.rng.randint(3, 11), "age_years": None}
        return {"age_weeks": None, "age_months": self.rng.choice((None, None, 3, 6)),
                "age_years": self.rng.randint(1, 17)}

    def weighted(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def review(self, plan: dict) -> None:
        profile: Profile = plan["profile"]
        review_type = plan["decision"]
        methods = [m for m in METHODS_BY_TYPE[review_type] if m in profile.methodologies]
        methodology = self.rng.choice(methods or list(profile.methodologies))
        agreed = plan["decided"]
        tor = agreed + timedelta(days=self.rng.randint(10, 35))
        initiated = tor + timedelta(days=self.rng.randint(0, 21))
        length = self.rng.randint(120, 200) if review_type in ("RAPID_REVIEW", "SINGLE_AGENCY") else self.rng.randint(150, 600)
        if review_type == "RAPID_REVIEW":
            length = self.rng.randint(15, 40)
        completed = initiated + timedelta(days=length)
        published = None
        decision = None
        if review_type in ("SCR", "LCSPR", "THEMATIC", "NATIONAL"):
            decision = self.rng.choice(("publish", "publish", "publish_redacted", "not_published"))
            if decision.startswith("publish"):
                published = completed + timedelta(days=self.rng.randint(30, 240))
        if initiated > LAST_DAY:  # agreed, not yet begun at the as-at date
            status, completed, published = "agreed", None, None
        elif completed > LAST_DAY:
            status, completed, published = "underway", None, None
        elif published and published <= LAST_DAY:
            status = "closed" if published < LAST_DAY - timedelta(days=5 * 365) else "published"
        else:
            published = None
            status = "closed" if completed < LAST_DAY - timedelta(days=5 * 365) else "completed"
        reviews = self.t["reviews"]
        review_id = reviews.add(
            title=f"{profile.label(review_type)} {plan['ref']}",
            review_type=review_type, methodology=methodology, lead_reviewer=self.person(),
            panel_chair=self.person(), status="agreed", framework=profile.code, agreed_date=_iso(agreed),
            publication_decision=decision or ("to_be_decided" if status == "underway" else None),
            family_engagement=self.rng.choice(("Mother took part", "Family declined", "Father and grandmother met the author", None)),
            created_at=_stamp(agreed), updated_at=_stamp(agreed))
        if status != "agreed":
            reviews.later(review_id, initiated, status="underway", tor_date=_iso(tor), initiated_date=_iso(initiated))
            if review_type == "SCR" and initiated + timedelta(days=7) <= LAST_DAY:
                # WT2015: the Panel and Ofsted told the SCR began, with the reviewer's name.
                told = initiated + timedelta(days=self.rng.randint(1, 7))
                reviews.later(review_id, told, scr_told_date=_iso(told))
        if completed:
            sent = completed + timedelta(days=self.rng.randint(1, 20))
            reviews.later(review_id, completed, status="completed", completed_date=_iso(completed),
                          sent_to_panel_date=_iso(sent) if sent <= LAST_DAY else None)
        if review_type == "LCSPR" and decision and decision.startswith("publish") and completed:
            self.publication(review_id, completed, published)
        if published:
            removal = published + timedelta(days=365 * 3)
            reviews.later(review_id, published, status="published", published_date=_iso(published),
                          removal_date=_iso(removal) if removal <= LAST_DAY else None)
        if status == "closed":
            reviews.later(review_id, (published or completed) + timedelta(days=5 * 365), status="closed")
        for index in plan["referrals"]:
            self.t["review_referrals"].add(review_id=review_id, referral_id=index + 1,
                                           created_at=_stamp(agreed), updated_at=_stamp(agreed))
        end = completed or LAST_DAY + timedelta(days=self.rng.randint(60, 300))
        self.timelines.append((review_id, profile.methodology_milestones(methodology), initiated, end))
        if length > 300 and self.rng.random() < 0.6:
            when = initiated + timedelta(days=self.rng.randint(60, 200))
            if when <= LAST_DAY:
                self.t["review_delays"].add(review_id=review_id, date=_iso(when),
                                            reason=self.rng.choice(DELAY_REASONS),
                                            created_at=_stamp(when), updated_at=_stamp(when))
                self.t["parallel_proceedings"].add(
                    review_id=review_id, kind=self.rng.choice(tuple(values.PROCEEDING_KINDS)),
                    status=self.rng.choice(PROCEEDING_STATUSES), created_at=_stamp(when),
                    updated_at=_stamp(when))
        for agency in self.rng.sample(range(1, len(AGENCIES) + 1), 3 if tor <= LAST_DAY else 0):
            asked = tor
            due = asked + timedelta(days=28)
            row = self.t["agency_returns"].add(
                review_id=review_id, agency_id=agency, kind="summary_chronology",
                requested_date=_iso(asked), due_date=_iso(due),
                created_at=_stamp(asked), updated_at=_stamp(asked))
            back = due + timedelta(days=self.rng.randint(-14, 30))
            if back <= LAST_DAY:
                self.t["agency_returns"].later(row, back, received_date=_iso(back))
        if review_type in ("SCR", "LCSPR", "THEMATIC") or self.rng.random() < 0.15:
            self.events(review_id, initiated, completed)
        plan["id"] = review_id
        plan["completed"] = completed
        plan["status"] = status
        plan["methodology"] = profile.methodology_label(methodology)
        self.recommendations(plan, review_type)
        self.reviews.append(plan)

    def publication(self, review_id: int, completed: date, published: date | None) -> None:
        """An LCSPR's planned publication and the copies to the Panel and the Secretary of State
        (7 working days before it) and to Ofsted; one still to be published keeps its plan ahead."""
        planned = published or completed + timedelta(days=self.rng.randint(30, 240))
        decided = min(completed + timedelta(days=self.rng.randint(5, 20)), planned, LAST_DAY)
        self.t["reviews"].later(review_id, decided, planned_publication_date=_iso(planned))
        copy = add_working_days(planned, -self.rng.choice((7, 8, 9, 10, 12, 5)))
        if copy <= LAST_DAY:
            self.t["reviews"].later(review_id, copy, panel_sos_copy_date=_iso(copy), ofsted_copy_date=_iso(copy))

    def milestones(self) -> None:
        """Each review's timeline, cut in proportion so the total lands on the number asked for."""
        capacity = sum(len(steps) for _, steps, _, _ in self.timelines)
        share = min(1.0, self.counts["milestones"] / max(1, capacity))
        quotas = [max(1, int(len(steps) * share)) for _, steps, _, _ in self.timelines]
        room = [i for i, (_, steps, _, _) in enumerate(self.timelines) if quotas[i] < len(steps)]
        for index in self.rng.sample(room, max(0, min(len(room), self.counts["milestones"] - sum(quotas)))):
            quotas[index] += 1
        for (review_id, steps, start, end), quota in zip(self.timelines, quotas, strict=True):
            gap = max(1, (end - start).days // quota)
            for position, (kind, _label) in enumerate(steps[:quota]):
                planned = start + timedelta(days=gap * position + self.rng.randint(0, gap // 2))
                row = self.t["milestones"].add(review_id=review_id, kind=kind, planned_date=_iso(planned),
                                               created_at=_stamp(start), updated_at=_stamp(start))
                actual = planned + timedelta(days=self.rng.randint(-5, 25))
                if actual <= LAST_DAY:
                    gathering = any(word in kind for word in ("event", "debrief", "workshop"))
                    self.t["milestones"].later(row, actual, actual_date=_iso(actual),
                                               attendance=self.rng.randint(8, 90) if gathering else None)

    def events(self, review_id: int, initiated: date, completed: date | None) -> None:
        held = initiated + timedelta(days=self.rng.randint(40, 120))
        plans = [("practitioner_learning_event", held)]
        if completed:
            plans += [("practitioner_debrief", completed + timedelta(days=self.rng.randint(20, 60))),
                      ("wider_debrief", completed + timedelta(days=self.rng.randint(40, 120)))]
        for kind, when in plans:
            if when > LAST_DAY:
                continue
            self.t["learning_events"].add(
                review_id=review_id, kind=kind, title=values.EVENT_KINDS[kind], date=_iso(when),
                attendance=self.rng.randint(12, 100), facilitator=f"Project officer {self.person()}",
                feedback="\u201cReally useful to hear how other agencies saw the family.\u201d",
                created_at=_stamp(when), updated_at=_stamp(when))

    def recommendations(self, plan: dict, review_type: str) -> None:
        many = {"SCR": 8, "LCSPR": 7, "THEMATIC": 6, "LOCAL_LEARNING": 4, "CASE_MAPPING": 4}.get(review_type, 2)
        when = min(plan["completed"] or plan["decided"] + timedelta(days=120), LAST_DAY)
        ids = []
        for number in range(1, many + 1):
            ids.append(self.t["recommendations"].add(
                review_id=plan["id"], number=str(number),
                text=f"{self.rng.choice(ACTION_VERBS)} {self.rng.choice(ACTION_TOPICS)}.",
                level="single_agency" if review_type == "SINGLE_AGENCY" else self.rng.choice(
                    ("multi_agency", "multi_agency", "single_agency", "national")),
                created_at=_stamp(when), updated_at=_stamp(when)))
        plan["recommendations"] = ids
        plan["recommendations_from"] = when

    def fill_actions(self) -> None:
        """Share the actions out over the reviews (more for bigger reviews), then their updates."""
        reviews = self.reviews
        total = self.counts["actions"]
        weights = [len(r["recommendations"]) for r in reviews]
        share = [0] * len(reviews)
        for index in self.rng.choices(range(len(reviews)), weights=weights, k=total):
            share[index] += 1
        per_action = self.counts["action_updates"] / max(1, total)
        self._update_carry = 0.0
        for review, count in zip(reviews, share, strict=True):
            for _ in range(count):
                self.action(review, per_action)

    def action(self, review: dict, per_action: float) -> None:
        agreed = min(review["recommendations_from"] + timedelta(days=self.rng.randint(0, 40)), LAST_DAY)
        target = agreed + timedelta(days=self.rng.randint(90, 365))
        revised = target + timedelta(days=self.rng.randint(30, 180)) if self.rng.random() < 0.15 else None
        agency = self.rng.randint(1, len(AGENCIES))
        actions = self.t["actions"]
        action_id = actions.add(
            review_id=review["id"], recommendation_id=self.rng.choice(review["recommendations"]),
            agency_id=agency, lead_officer=f"{self.rng.choice(LEAD_ROLES)}, {AGENCIES[agency - 1][1]}",
            text=(f"{self.rng.choice(ACTION_VERBS)} {self.rng.choice(ACTION_TOPICS)} "
                  f"{self.rng.choice(ACTION_MEASURES)}."),
            agreed_date=_iso(agreed), target_date=_iso(target), status="not_started",
            created_at=_stamp(agreed), updated_at=_stamp(agreed))
        if revised:
            when = min(target, LAST_DAY)
            actions.later(action_id, when, revised_target_date=_iso(revised),
                          revised_reason="Agency restructure delayed the work")
        due = revised or target
        age = (LAST_DAY - agreed).days
        # Where the action has got to: old actions are mostly signed off; new ones still open.
        if age > 3 * 365:
            final = self.rng.choices(STATUS_PATH, weights=(0.2, 0.3, 0.5, 3, 8, 88))[0]
        elif age > 365:
            final = self.rng.choices(STATUS_PATH, weights=(4, 20, 16, 20, 15, 25))[0]
        else:
            final = self.rng.choices(STATUS_PATH[:4], weights=(30, 50, 10, 10))[0]
        # Officers often jump a step (straight from "on track" to "complete"); the final one is
        # always recorded.
        path = [s for s in STATUS_PATH[1:STATUS_PATH.index(final)] if self.rng.random() < 0.45]
        path += [final] if final != "not_started" else []
        self._update_carry += per_action
        notes = max(len(path), int(self._update_carry))
        self._update_carry -= notes
        last = min(LAST_DAY, due + timedelta(days=self.rng.randint(-60, 90)))
        if last <= agreed:
            last = agreed + timedelta(days=1)
        dates = sorted(min(self.day_between(agreed + timedelta(days=1), last), LAST_DAY) for _ in range(notes))
        status = "not_started"
        # The status changes are spread over the notes: the last note carries the final status.
        change_at = set(range(notes - len(path), notes))
        for position, when in enumerate(dates):
            new_status = path[position - (notes - len(path))] if position in change_at else status
            self.t["action_updates"].add(
                action_id=action_id, date=_iso(when), author=self.person(),
                note=self.rng.choice(UPDATE_NOTES),
                status_from=status if new_status != status else None,
                status_to=new_status if new_status != status else None,
                created_at=_stamp(when), updated_at=_stamp(when))
            if new_status != status:
                extra = {}
                if new_status in ("complete_evidenced", "signed_off"):
                    # Closing an action needs its evidence (domain/rules/actions.py).
                    extra["evidence_note"] = "Evidence seen by the sub group"
                if new_status == "signed_off":
                    extra["signoff_date"] = _iso(when)
                actions.later(action_id, when, status=new_status, **extra)
                status = new_status
        if status in ("not_started", "on_track", "slipping") and due < LAST_DAY - timedelta(days=60) \
                and self.rng.random() < 0.2:
            escalated = due + timedelta(days=30)
            actions.later(action_id, escalated, escalated_date=_iso(escalated),
                          escalated_to="Partnership business manager")

    def briefings_and_disseminations(self) -> None:
        reviews = self.reviews[: self.counts["briefings"]]
        briefings, sections = self.t["briefings"], self.t["briefing_sections"]
        templates = {code: _template_sections(code) for code in ("six_step", "seven_minute")}
        issued: list[tuple[int, date]] = []
        for review in reviews:
            seven = self.rng.random() < 0.2
            start = min(review["completed"] or review["decided"] + timedelta(days=150), LAST_DAY)
            briefing_id = briefings.add(
                review_id=review["id"], template="seven_minute" if seven else "six_step",
                title=f"Learning from review {review['id']:04d}",
                learning_themes=", ".join(self.rng.sample(ACTION_TOPICS, 2)), status="draft",
                created_at=_stamp(start), updated_at=_stamp(start))
            layout = templates["seven_minute" if seven else "six_step"]
            child = f"Child {review['referrals'][0] + 1}"
            for position, (key, title) in enumerate(layout, start=1):
                text = SECTION_TEXT[(position - 1) % len(SECTION_TEXT)].format(
                    child=child, town=self.rng.choice(TOWNS), method=review["methodology"])
                sections.add(briefing_id=briefing_id, position=position, key=key, title=title,
                             body=text, created_at=_stamp(start), updated_at=_stamp(start))
            if review["completed"]:
                approved = start + timedelta(days=self.rng.randint(10, 40))
                issued_on = approved + timedelta(days=self.rng.randint(5, 30))
                if issued_on <= LAST_DAY:
                    briefings.later(briefing_id, approved, status="approved", approved_date=_iso(approved))
                    briefings.later(briefing_id, issued_on, status="issued", issued_date=_iso(issued_on))
                    issued.append((briefing_id, issued_on))
        self.disseminations(issued)

    def disseminations(self, issued: list[tuple[int, date]]) -> None:
        total = self.counts["disseminations"]
        if not issued:
            return
        # Random briefings, each sent to an agency at most once (the table is unique on the pair).
        per = [0] * len(issued)
        open_slots = list(range(len(issued))) * len(AGENCIES)
        for index in self.rng.sample(open_slots, min(total, len(open_slots))):
            per[index] += 1
        for (briefing_id, issued_on), count in zip(issued, per, strict=True):
            for agency in self.rng.sample(range(1, len(AGENCIES) + 1), count):
                sent = min(issued_on + timedelta(days=self.rng.randint(0, 10)), LAST_DAY)
                due = sent + timedelta(days=28)
                row = self.t["disseminations"].add(
                    briefing_id=briefing_id, agency_id=agency, sent_date=_iso(sent),
                    feedback_due_date=_iso(due), created_at=_stamp(sent), updated_at=_stamp(sent))
                back = due + timedelta(days=self.rng.randint(-20, 60))
                if back <= LAST_DAY and self.rng.random() < 0.75:
                    self.t["disseminations"].later(
                        row, back, feedback_received_date=_iso(back),
                        teams_briefed=", ".join(self.rng.sample(TEAMS, 2)),
                        staff_reached=self.rng.randint(5, 180), note=self.rng.choice(FEEDBACK_NOTES))

    def meetings(self) -> None:
        day = self.first_day
        while day <= LAST_DAY:
            self.t["meetings"].add(date=_iso(day), kind="scr_subgroup", notes="Monthly sub group",
                                   created_at=_stamp(day), updated_at=_stamp(day))
            if day.month in (1, 4, 7, 10):
                qa = day + timedelta(days=14)
                self.t["meetings"].add(date=_iso(qa), kind="qa_subgroup", notes="Quarterly QA sub group",
                                       created_at=_stamp(qa), updated_at=_stamp(qa))
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 10)
        for year in range(self.first_day.year, LAST_DAY.year + 1):
            for quarter in (2, 5, 9, 11):
                when = date(year, quarter, 12)
                if self.first_day <= when <= LAST_DAY:
                    self.t["learning_events"].add(
                        kind="training", title="Learning from reviews: multi-agency training",
                        date=_iso(when), attendance=self.rng.randint(15, 40),
                        facilitator="Partnership project officer", created_at=_stamp(when),
                        updated_at=_stamp(when))


_STAMP_COLUMNS = ("created_at", "updated_at")
_COLUMNS: dict[str, tuple[str, ...]] = {
    name: ("id", *columns, *_STAMP_COLUMNS)
    for name, columns in {
        "agencies": ("name", "short_name", "type", "lead_name", "lead_email", "active"),
        "referrals": (
            "ref", "pseudonym", "source", "referring_agency_id", "incident_date", "la_aware_date",
            "received_date", "sin_reference", "sin_submitted_date", "summary", "location", "gender",
            "age_years", "age_months", "age_weeks", "age_various", "harm_category"),
        "restricted_identifiers": ("referral_id", "kind", "value"),
        "reviews": ("title", "review_type", "methodology", "lead_reviewer", "panel_chair", "status",
                    "framework", "agreed_date", "publication_decision", "family_engagement"),
        "review_referrals": ("review_id", "referral_id"),
        "review_delays": ("review_id", "date", "reason"),
        "parallel_proceedings": ("review_id", "kind", "status"),
        "milestones": ("review_id", "kind", "planned_date"),
        "agency_returns": ("review_id", "agency_id", "kind", "requested_date", "due_date"),
        "learning_events": ("review_id", "kind", "title", "date", "attendance", "facilitator", "feedback"),
        "recommendations": ("review_id", "number", "text", "level"),
        "actions": ("review_id", "recommendation_id", "agency_id", "lead_officer", "text",
                    "agreed_date", "target_date", "status"),
        "action_updates": ("action_id", "date", "author", "note", "status_from", "status_to"),
        "briefings": ("review_id", "template", "title", "learning_themes", "status"),
        "briefing_sections": ("briefing_id", "position", "key", "title", "body"),
        "disseminations": ("briefing_id", "agency_id", "sent_date", "feedback_due_date"),
        "meetings": ("date", "kind", "notes"),
    }.items()
}


def write_sample(path: str | Path, size: str = "small", seed: int = 1) -> dict[str, int]:
    """Write a new sample data file at `path`; return the row count of every table written.

    Refuses an existing file: a sample must never be mixed into real records.
    """
    if size not in SIZES:
        raise StoreError(f"Unknown sample size {size!r}; choose one of: {', '.join(SIZES)}.")
    path = Path(path)
    if path.exists():
        raise StoreError(f"{path} already exists; a sample is only written to a new file.")
    planner = _Planner(SIZES[size], seed, FIRST_DAYS.get(size, FIRST_DAY))
    planner.plan()
    store = Store.open(path, user="sample")
    try:
        store.set_settings(SAMPLE_SETTINGS)
        # A big page cache for this one connection: the audit indexes are updated all over the
        # file, and with SQLite's 2 MB default the large sample takes twice as long.
        store.db.execute("PRAGMA cache_size = -262144")
        with store.transaction():
            conn = store.db.conn
            for table in planner.t.values():
                if table.rows:
                    columns = ", ".join(f'"{c}"' for c in table.columns)
                    marks = ", ".join("?" for _ in table.columns)
                    conn.executemany(f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', table.rows)
            # Later changes in date order, so the audit log reads as the years went; consecutive
            # changes of the same shape share one executemany.
            changes = sorted((u for t in planner.t.values() for u in t.updates), key=lambda u: u[0])
            for (table, changed), run in itertools.groupby(changes, key=lambda u: (u[1], u[2])):
                assignments = ", ".join(f'"{c}" = ?' for c in (*changed, "updated_at"))
                conn.executemany(f'UPDATE "{table}" SET {assignments} WHERE id = ?', [u[3] for u in run])
        counts = {name: store.scalar(f'SELECT count(*) FROM "{name}"') for name in (*_COLUMNS, "audit_log")}
    finally:
        store.close()
    return counts
