"""Which clocks fire and when (issue 11): worked examples across weekends and bank holidays, both
English frameworks, the partnership's own switch date, Wales and the partnership's own targets."""

from __future__ import annotations

from datetime import date

import pytest

from scrdesk.domain.clocks import clocks_for, review_target
from scrdesk.domain.profiles import get_profile
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules.statutory import referral_problems, welsh_review_kind
from scrdesk.domain.settings import Settings
from scrdesk.store import statutory
from scrdesk.store.annual import annual_report
from scrdesk.store.clocks import all_clocks, late_clocks, open_clocks

D = date
WT15, WT18, WALES = get_profile("wt2015"), get_profile("wt2018"), get_profile("cpr_wales")
ENGLAND = Settings()


def clock(record, kind, profile, today, code, settings=ENGLAND):
    found = [c for c in clocks_for(record, kind, profile, settings, today) if c.clock == code]
    return found[0] if found else None


# -- the rapid review: from every notification -----------------------------------------------

@pytest.mark.parametrize(("notified", "due"), [
    (D(2025, 12, 18), D(2026, 1, 13)),  # Thu before Christmas: 25, 26 Dec and 1 Jan skipped
    (D(2024, 3, 27), D(2024, 4, 19)),   # Easter 2024: Good Friday 29 Mar, Easter Monday 1 Apr
    (D(2025, 5, 1), D(2025, 5, 23)),    # Early May bank holiday Mon 5 May 2025
    (D(2025, 5, 9), D(2025, 6, 2)),     # ... and the spring bank holiday Mon 26 May 2025
    (D(2024, 1, 5), D(2024, 1, 26)),    # a Friday, no holiday: three whole weeks
])
def test_a_rapid_review_is_due_15_working_days_after_every_notification(notified, due):
    referral = {"ref": "Ref1", "source": "sin", "sin_submitted_date": notified.isoformat()}
    c = clock(referral, "referral", WT18, notified, "RAPID_REVIEW")
    assert (c.starts, c.due, c.done, c.framework) == (notified, due, None, "wt2018")
    assert c.working_days_left == 15


def test_no_button_is_needed_and_a_submitted_rapid_review_stops_the_clock():
    referral = {"ref": "Ref1", "sin_submitted_date": "2025-12-18"}
    assert clock(referral, "referral", WT18, D(2026, 1, 14), "RAPID_REVIEW").rag.colour == "red"
    done = clock({**referral, "rr_submitted_date": "2026-01-12"}, "referral", WT18, D(2026, 1, 14), "RAPID_REVIEW")
    assert done.done == D(2026, 1, 12) and not done.is_open and "within the target" in done.rag.reason


def test_a_withdrawn_notification_raises_no_rapid_review():
    referral = {"ref": "Ref1", "sin_submitted_date": "2025-12-18", "notification_withdrawn_date": "2025-12-22",
                "notification_withdrawn_reason": "Injury found to be accidental; criteria not met"}
    assert clock(referral, "referral", WT18, D(2026, 2, 1), "RAPID_REVIEW") is None
    assert referral_problems(referral) == {}
    assert "notification_withdrawn_reason" in referral_problems({**referral, "notification_withdrawn_reason": ""})


def test_a_notified_case_decided_without_a_rapid_review_is_red_with_the_reason():
    referral = {"ref": "Ref1", "sin_submitted_date": "2025-12-18", "decision": "NFA", "decision_date": "2026-01-05"}
    c = clock(referral, "referral", WT18, D(2026, 1, 6), "RAPID_REVIEW")
    assert c.rag.colour == "red"
    assert c.rag.reason == ("Red: notified 18 Dec 2025; decided 5 Jan 2026 with no rapid review recorded, "
                            "and the notification has not been withdrawn (rapid review due 13 Jan 2026)")
    # Still said so once the due date has passed.
    late = clock(referral, "referral", WT18, D(2026, 2, 1), "RAPID_REVIEW")
    assert late.rag.reason.startswith("Red: notified 18 Dec 2025; decided 5 Jan 2026 with no rapid review")


def test_2015_has_no_rapid_review():
    referral = {"ref": "Ref1", "sin_submitted_date": "2017-01-12"}
    assert clock(referral, "referral", WT15, D(2017, 1, 13), "RAPID_REVIEW") is None


# -- 2015: the decision, telling the panel, the SCR initiated --------------------------------

def test_the_2015_decision_counts_from_the_notification_not_the_date_received():
    referral = {"ref": "Ref1", "received_date": "2017-01-03", "sin_submitted_date": "2017-01-31"}
    c = clock(referral, "referral", WT15, D(2017, 2, 1), "DECISION")
    assert (c.starts, c.due) == (D(2017, 1, 31), D(2017, 2, 28))  # month end kept
    unnotified = {"ref": "Ref2", "received_date": "2017-01-03"}
    assert clock(unnotified, "referral", WT15, D(2017, 2, 1), "DECISION").due == D(2017, 2, 3)


def test_the_panel_is_told_of_a_no_scr_decision_only_for_a_notified_incident():
    agency = {"ref": "Ref1", "received_date": "2017-03-01", "decision": "CASE_MAPPING", "decision_date": "2017-03-20"}
    assert clock(agency, "referral", WT15, D(2017, 3, 21), "PANEL_TOLD") is None
    notified = {**agency, "source": "sin", "sin_submitted_date": "2017-03-02"}
    c = clock(notified, "referral", WT15, D(2017, 3, 21), "PANEL_TOLD")
    assert c.due == D(2017, 4, 3)  # 14 calendar days
    assert clock({**notified, "decision": "SCR"}, "referral", WT15, D(2017, 3, 21), "PANEL_TOLD") is None


def test_the_panel_and_ofsted_are_told_an_scr_was_initiated_with_the_reviewer(store):
    review = store.insert("reviews", {"title": "Ref053", "review_type": "SCR", "status": "underway",
                                      "agreed_date": "2017-04-12", "initiated_date": "2017-04-12"})
    (c,) = [c for c in all_clocks(store, D(2017, 4, 13)) if c.clock == "SCR_INITIATED_TOLD"]
    assert (c.framework, c.due) == ("wt2015", D(2017, 4, 21))  # 5 working days over Easter 2017
    with pytest.raises(RuleBroken, match="reviewer's name"):
        statutory.record_scr_initiation_told(store, review, D(2017, 4, 20))
    store.update("reviews", review, {"lead_reviewer": "A. Reviewer"})
    statutory.record_scr_initiation_told(store, review, D(2017, 4, 20))
    assert not [c for c in open_clocks(store, D(2017, 4, 21)) if c["clock"] == "SCR_INITIATED_TOLD"]


def test_late_decisions_are_reported(store):
    store.insert("referrals", {"ref": "Ref1", "received_date": "2017-01-03", "sin_submitted_date": "2017-01-05",
                               "decision": "NFA", "decision_date": "2017-03-01"})
    store.insert("referrals", {"ref": "Ref2", "received_date": "2017-01-03", "decision": "NFA",
                               "decision_date": "2017-01-20"})
    late = late_clocks(store, D(2017, 1, 1), D(2017, 3, 31), "DECISION")
    assert [(c.ref, c.due, c.done) for c in late] == [("Ref1", D(2017, 2, 5), D(2017, 3, 1))]
    assert "24 days after the target" in late[0].rag.reason


# -- the transition ----------------------------------------------------------------------------

def test_the_partnerships_switch_date_decides_the_rules(store):
    store.insert("referrals", {"ref": "Ref1", "source": "sin", "sin_submitted_date": "2019-03-04",
                               "decision_date": "2019-03-01", "decision": "NFA"})
    codes = {c["clock"]: c["framework"] for c in open_clocks(store, D(2019, 3, 5))}
    assert codes == {"PANEL_TOLD": "wt2015"}  # the LSCB still ran 2015 rules
    store.set_settings({"arrangements_2018_date": "2018-06-29"})
    codes = {c["clock"]: c["framework"] for c in open_clocks(store, D(2019, 3, 5))}
    assert codes == {"RAPID_REVIEW": "wt2018"}


def test_an_scr_agreed_before_the_switch_keeps_scr_rules_to_the_end(store):
    store.insert("reviews", {"title": "Ref090 SCR", "review_type": "SCR", "status": "underway",
                             "agreed_date": "2019-07-01", "initiated_date": "2019-07-15",
                             "scr_told_date": "2019-07-16", "lead_reviewer": "R"})
    (c,) = open_clocks(store, D(2019, 11, 1))
    assert (c["clock"], c["framework"], c["due"]) == ("REVIEW_TARGET", "wt2015", "2020-01-15")


# -- reviews: Wales, local targets, publication --------------------------------------------------

def test_a_welsh_concise_review_gets_its_target_from_the_welsh_profile():
    wales = Settings(jurisdiction="wales", default_framework="cpr_wales")
    review = {"title": "CPR 1", "review_type": "CPR_CONCISE", "agreed_date": "2017-01-31"}
    due, basis = review_target(review, WALES, wales)
    assert due == D(2017, 7, 31) and basis == f"Child Practice Review completed ({WALES.name})"
    c = clock(review, "review", WALES, D(2017, 2, 1), "REVIEW_TARGET", wales)
    assert c.due == D(2017, 7, 31) and "Volume 2" in c.source
    # No Welsh notification clock: no 5-working-day duty to CIW was found.
    assert clock({"ref": "W1", "source": "sin", "la_aware_date": "2017-01-02"}, "referral", WALES,
                 D(2017, 1, 3), "NOTIFICATION", wales) is None


def test_wales_extended_when_on_the_register_or_looked_after_in_the_six_months_before():
    assert welsh_review_kind({"cp_or_looked_after_6_months": 1}) == "CPR_EXTENDED"
    assert welsh_review_kind({"social_care_status": "looked_after"}) == "CPR_EXTENDED"
    assert welsh_review_kind({"cp_or_looked_after_6_months": 0}) == "CPR_CONCISE"
    assert welsh_review_kind({}) is None
    problems = referral_problems({"decision": "CPR_CONCISE", "cp_or_looked_after_6_months": 1})
    assert problems["decision"].startswith("must be an extended Child Practice Review")
    assert referral_problems({"decision": "CPR_EXTENDED", "social_care_status": "cp_plan"}) == {}


def test_non_statutory_reviews_are_held_to_the_partnerships_own_target():
    mapping = {"title": "Ref054", "review_type": "CASE_MAPPING", "agreed_date": "2016-11-01",
               "initiated_date": "2016-11-14"}
    due, basis = review_target(mapping, WT15, ENGLAND)
    assert due == D(2017, 5, 14)
    assert "Partnership's own target: 6 months" in basis and "Working Together" not in basis.replace(
        "not Working Together", "")
    c = clock(mapping, "review", WT15, D(2017, 5, 1), "REVIEW_TARGET")
    assert c.local and c.label == "Partnership's own target: 6 months"
    assert c.rag.reason.endswith("(partnership's own target: 6 months)")
    shorter = Settings(local_review_target_months={"CASE_MAPPING": 3})
    assert review_target(mapping, WT15, shorter)[0] == D(2017, 2, 14)
    assert review_target({**mapping, "review_type": "THEMATIC"}, WT18, shorter)[0] == D(2017, 5, 14)


def test_the_copy_before_publication_counts_back_from_the_planned_date_and_warns_ahead(store):
    review = store.insert("reviews", {"title": "Ref102 LCSPR", "review_type": "LCSPR", "status": "completed",
                                      "agreed_date": "2023-10-02", "completed_date": "2024-02-20"})
    statutory.plan_publication(store, review, D(2024, 4, 8))  # a future date: not a data error
    # 7 working days before Mon 8 Apr 2024, skipping Easter Monday 1 Apr and Good Friday 29 Mar.
    (c,) = [c for c in open_clocks(store, D(2024, 2, 26)) if c["clock"] == "PRE_PUBLICATION"]
    assert (c["due"], c["rag"]) == ("2024-03-26", "green")
    (c,) = [c for c in open_clocks(store, D(2024, 3, 12)) if c["clock"] == "PRE_PUBLICATION"]
    assert c["rag"] == "amber" and c["working_days_left"] == 10
    statutory.record_publication_copies(store, review, panel_sos=D(2024, 3, 25), ofsted=D(2024, 3, 25))
    assert not [c for c in open_clocks(store, D(2024, 3, 12)) if c["clock"] == "PRE_PUBLICATION"]
    assert store.get("reviews", review)["ofsted_copy_date"] == "2024-03-25"


def test_a_decision_not_to_publish_needs_reasons_and_ends_the_clock(store):
    review = store.insert("reviews", {"title": "Ref103 LCSPR", "review_type": "LCSPR", "status": "completed",
                                      "agreed_date": "2023-10-02", "completed_date": "2024-02-20",
                                      "planned_publication_date": "2024-04-08"})
    with pytest.raises(RuleBroken, match="reasons for not publishing"):
        statutory.decide_not_to_publish(store, review, D(2024, 3, 1), "")
    statutory.decide_not_to_publish(store, review, D(2024, 3, 1), "Risk to siblings", sent=D(2024, 3, 4))
    assert not [c for c in open_clocks(store, D(2024, 3, 12)) if c["clock"] == "PRE_PUBLICATION"]


def test_store_writes_check_the_rules_and_change_nothing_when_broken(store):
    referral = store.insert("referrals", {"ref": "Ref1", "la_aware_date": "2025-12-16"})
    with pytest.raises(RuleBroken, match="Date notified: is before the local authority became aware"):
        statutory.record_notification_decision(store, referral, D(2025, 12, 15), True, notified=D(2025, 12, 15))
    assert store.get("referrals", referral)["notify_decision"] is None
    with pytest.raises(RuleBroken, match="Withdrawn reason"):
        statutory.withdraw_notification(store, referral, D(2025, 12, 20), "")
    statutory.record_notification_decision(store, referral, D(2025, 12, 17), True, notified=D(2025, 12, 18))
    statutory.record_rapid_review(store, referral, rr_submitted_date=D(2026, 1, 12), rr_outcome="LCSPR")
    row = store.get("referrals", referral)
    assert (row["sin_submitted_date"], row["rr_outcome"]) == ("2025-12-18", "LCSPR")
    with pytest.raises(RuleBroken, match="Rapid review outcome: is not one of"):
        statutory.record_rapid_review(store, referral, rr_outcome="maybe")


def test_underway_at_year_end_counts_only_reviews_initiated_by_then(store):
    store.insert("reviews", {"title": "Ref201", "review_type": "CASE_MAPPING", "status": "underway",
                             "agreed_date": "2017-02-01", "initiated_date": "2017-03-01"})
    store.insert("reviews", {"title": "Ref202", "review_type": "CASE_MAPPING", "status": "underway",
                             "agreed_date": "2017-03-20", "initiated_date": "2017-04-10"})
    underway = annual_report(store, 2016)["reviews"]["underway"]
    assert [r["title"] for r in underway] == ["Ref201"]
