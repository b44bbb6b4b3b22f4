"""Rules for a review and its rows: pure functions, no store, no Qt."""

from scrdesk.domain import limits
from scrdesk.domain.rules import RuleBroken, require
from scrdesk.domain.rules.reviews import (
    delay_problems,
    milestone_problems,
    ordered_dates_problems,
    problems,
    proceeding_problems,
    recommendation_problems,
)

GOOD = {"title": "SCR Ref053", "review_type": "SCR", "status": "agreed", "agreed_date": "2017-01-10"}


def test_a_plain_review_has_no_problems():
    assert problems(GOOD) == {}


def test_title_and_type_are_required():
    found = problems({**GOOD, "title": "  ", "review_type": None})
    assert found == {"title": "is required", "review_type": "is required"}


def test_each_date_is_checked_against_the_latest_earlier_one():
    review = {**GOOD, "agreed_date": "2017-03-01", "tor_date": "2017-02-01", "initiated_date": "2017-03-05",
              "completed_date": "2017-03-04", "published_date": "2017-06-01", "removal_date": "2017-05-01"}
    assert ordered_dates_problems(review) == {
        "tor_date": "is before the date agreed (1 Mar 2017)",
        "completed_date": "is before the date initiated (5 Mar 2017)",
        "removal_date": "is before the date published (1 Jun 2017)",
    }


def test_terms_of_reference_may_follow_the_start_but_not_the_end():
    review = {**GOOD, "agreed_date": "2017-03-01", "initiated_date": "2017-03-01", "tor_date": "2017-04-01"}
    assert problems(review) == {}
    assert problems({**review, "completed_date": "2017-03-20"}) == {
        "completed_date": "is before the terms of reference date (1 Apr 2017)"}


def test_a_gap_in_the_dates_still_catches_completed_before_agreed():
    found = problems({**GOOD, "agreed_date": "2017-03-01", "completed_date": "2017-02-01"})
    assert found == {"completed_date": "is before the date agreed (1 Mar 2017)"}


def test_report_goes_to_the_panel_before_publication():
    found = problems({**GOOD, "completed_date": "2017-05-01", "sent_to_panel_date": "2017-07-01",
                      "published_date": "2017-06-01", "status": "published"})
    assert found == {"published_date": "is before the date sent to the national panel (1 Jul 2017)"}


def test_panel_response_cannot_come_before_the_report_was_sent():
    found = problems({**GOOD, "sent_to_panel_date": "2017-07-01", "panel_response_date": "2017-06-30"})
    assert found == {"panel_response_date": "is before the date sent to the national panel (1 Jul 2017)"}


def test_target_set_by_hand_needs_its_reason():
    found = problems({**GOOD, "target_date_override": "2017-12-01"})
    assert found == {"target_override_reason": "is required when the target is set by hand"}
    assert problems({**GOOD, "target_date_override": "2017-12-01", "target_override_reason": "Inquest"}) == {}


def test_finished_statuses_need_their_dates():
    assert problems({**GOOD, "status": "completed"}) == {
        "completed_date": "is required when the status is Completed"}
    assert problems({**GOOD, "status": "closed"}) == {"completed_date": "is required when the status is Closed"}
    assert problems({**GOOD, "status": "published", "completed_date": "2017-05-01"}) == {
        "published_date": "is required when the status is Published"}


def test_too_long_text_names_the_limit():
    found = problems({**GOOD, "title": "x" * (limits.TITLE + 1)})
    assert found == {"title": f"is too long ({limits.TITLE + 1} characters; at most {limits.TITLE})"}


def test_rule_broken_carries_the_words():
    try:
        require(problems({**GOOD, "status": "completed"}), "The review")
    except RuleBroken as error:
        assert error.problems == {"completed_date": "is required when the status is Completed"}
        assert "is required when the status is Completed" in str(error)
    else:
        raise AssertionError("a completed review without its date was accepted")


def test_milestone_needs_a_step_and_a_date():
    assert milestone_problems({"kind": "draft_report", "planned_date": "2017-04-01"}) == {}
    assert milestone_problems({"kind": None}) == {
        "kind": "is required", "planned_date": "give the planned date, or the date it was done"}
    assert milestone_problems({"kind": "scoping_tor"}, undated_ok=True) == {}
    assert milestone_problems({"kind": "x", "actual_date": "2017-04-01", "attendance": -1}) == {
        "attendance": "must be a whole number, 0 or more"}


def test_delay_proceeding_and_recommendation_rules():
    assert delay_problems({"date": None, "reason": ""}) == {"date": "is required", "reason": "is required"}
    assert delay_problems({"date": "2017-04-01", "reason": "Inquest adjourned"}) == {}
    assert proceeding_problems({"kind": None}) == {"kind": "is required"}
    assert proceeding_problems({"kind": "criminal", "status": "x" * (limits.LINE + 1)}) == {
        "status": f"is too long ({limits.LINE + 1} characters; at most {limits.LINE})"}
    assert recommendation_problems({"text": " "}) == {"text": "is required"}
    assert recommendation_problems({"number": "3", "text": "Agencies should…"}) == {}


def test_an_agency_return_arrives_after_it_was_asked_for():
    from scrdesk.domain.rules.reviews import agency_return_problems
    assert agency_return_problems({"requested_date": "2024-01-02", "received_date": "2024-01-01"}) == {
        "received_date": "is before the date it was requested (2 Jan 2024)"}
    assert agency_return_problems({"requested_date": "2024-01-02", "received_date": "2024-01-02"}) == {}
