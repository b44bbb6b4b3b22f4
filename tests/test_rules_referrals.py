"""The referral's rules as the window, the importer and `check` all apply them."""

from __future__ import annotations

from scrdesk.domain import limits
from scrdesk.domain.rules import RuleBroken, require
from scrdesk.domain.rules.referrals import framework_to_stamp, identifier_problems, problems
from scrdesk.domain.settings import Settings

GOOD = {"ref": "Ref053", "source": "agency_referral", "received_date": "2017-02-05",
        "incident_date": "2017-01-20", "decision": "SCR", "decision_date": "2017-03-01",
        "framework": "wt2015"}


def test_a_sound_referral_has_no_problems():
    assert problems(GOOD) == {}


def test_a_decision_needs_its_date_and_a_date_needs_its_decision():
    assert problems({**GOOD, "decision_date": None}) == {
        "decision_date": "is required when a decision is recorded"}
    assert problems({**GOOD, "decision": None, "framework": None}) == {
        "decision": "choose the decision made on that date"}


def test_dates_out_of_order_name_the_earlier_date():
    found = problems({**GOOD, "decision_date": "2017-02-01"})
    assert found == {"decision_date": "is before the referral was received (5 Feb 2017)"}
    found = problems({**GOOD, "la_aware_date": "2017-02-10", "sin_submitted_date": "2017-02-09"})
    assert found == {"sin_submitted_date": "is before the LA became aware (10 Feb 2017)"}
    assert problems({**GOOD, "incident_date": "2017-03-01", "decision_date": "2017-03-02"}) == {
        "received_date": "is before the incident date (1 Mar 2017)"}


def test_a_decision_must_belong_to_the_framework():
    found = problems({**GOOD, "decision": "LCSPR"})
    assert found["decision"].startswith("is not a decision under ")


def test_the_framework_comes_from_the_dates_and_is_kept_once_stamped():
    settings = Settings()
    assert framework_to_stamp({**GOOD, "decision": None, "framework": None}, settings) is None
    assert framework_to_stamp(GOOD, settings) == "wt2015"
    later = {**GOOD, "framework": None, "decision": "LCSPR", "decision_date": "2021-06-01",
             "received_date": "2021-05-01", "incident_date": None}
    assert framework_to_stamp(later, settings) == "wt2018"
    assert problems(later, settings) == {}


def test_codes_must_be_from_their_lists():
    found = problems({**GOOD, "source": "rumour", "gender": "x", "harm_category": "y"})
    assert set(found) == {"source", "gender", "harm_category"}


def test_lengths_are_the_windows():
    found = problems({**GOOD, "summary": "x" * (limits.LINE + 1), "rationale": "y" * limits.NOTE})
    assert set(found) == {"summary"}
    assert "at most 500" in found["summary"]


def test_restricted_identifiers():
    assert identifier_problems({"kind": "name", "value": "Jo Bloggs"}) == {}
    assert identifier_problems({"kind": "shoe size", "value": ""}) == {
        "kind": "is not a kind of identifier (Name, Date of birth, Address, LA case number, Other)",
        "value": "is required"}


def test_the_refusal_carries_the_dialogs_words():
    try:
        require(problems({**GOOD, "decision_date": None}), "Referral Ref053")
    except RuleBroken as error:
        assert "is required when a decision is recorded" in str(error)
    else:
        raise AssertionError("a decision without a date was accepted")


def test_todays_process_fields_are_part_of_every_referral_save():
    # A withdrawal needs its reason on any path that saves a referral, not only the statutory screens.
    notified = {**GOOD, "sin_submitted_date": "2017-02-06", "notification_withdrawn_date": "2017-02-10"}
    assert problems(notified) == {"notification_withdrawn_reason":
                                  "is required: say why the case did not meet the notification criteria"}
    # A Welsh review's kind is fixed by the child's circumstances (2015 Regulations, reg. 4).
    welsh = {**GOOD, "decision": "CPR_CONCISE", "framework": "cpr_wales", "cp_or_looked_after_6_months": 1}
    assert "extended" in problems(welsh).get("decision", "")
