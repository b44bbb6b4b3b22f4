"""The sub group's own records' rules, without a file: each broken rule in the dialogs' words."""

from __future__ import annotations

from scrdesk.domain.rules import actions as action_rules
from scrdesk.domain.rules import governance as rules


def test_a_member_leaves_on_or_after_joining():
    assert rules.member_problems({"agency_id": 1, "name": "Head of safeguarding", "from_date": "2016-04-01",
                                  "to_date": "2017-03-31"}) == {}
    assert rules.member_problems({"agency_id": 1, "name": "X", "from_date": "2017-04-01",
                                  "to_date": "2017-03-31"}) == {"to_date": "is before the from date"}
    assert rules.member_problems({}) == {"agency_id": "is required", "name": "is required"}


def test_chairs_serve_one_at_a_time():
    first = {"name": "Assistant director", "from_date": "2015-04-01", "to_date": "2016-12-31"}
    interim = {"name": "Interim chair", "from_date": "2017-01-01", "to_date": "2017-08-31"}
    assert rules.chairs_overlap([interim, first]) == ""
    still_open = {**first, "to_date": None}
    assert "overlaps Assistant director's term" in rules.chairs_overlap([still_open, interim])
    assert rules.chair_problems({"name": "X"}) == {"from_date": "is required"}


def test_terms_of_reference_are_reviewed_after_they_are_approved():
    assert rules.terms_of_reference_problems({"version": "3", "approved_date": "2017-03-01",
                                              "next_review_date": "2018-03-01"}) == {}
    assert rules.terms_of_reference_problems({"version": "3", "approved_date": "2017-03-01",
                                              "next_review_date": "2017-03-01"}) == {
        "next_review_date": "is not after the date approved"}


def test_attendance_and_quorum():
    assert rules.attendance_problems({"meeting_id": 1, "agency_id": 2, "status": "late"}) == {
        "status": "is not an attendance (Present, Deputy sent, Apologies, Absent)"}
    assert rules.is_quorate(["present", "deputy", "present", "apologies"], 3)
    assert not rules.is_quorate(["present", "deputy", "apologies", "absent"], 3)


def test_a_red_or_amber_answer_says_why_and_rag_is_from_the_list():
    assert rules.answer_problems({"code": "MEM1", "rag": "green"}) == {}
    assert rules.answer_problems({"code": "MEM1", "rag": "amber"}) == {
        "comment": "is required for a Red or Amber rating: say why"}
    assert rules.answer_problems({"code": "MEM1", "rag": "blue"}) == {
        "rag": "is not a RAG rating (Red, Amber, Green)"}


def test_a_closed_escalation_has_an_outcome_and_closes_after_it_was_raised():
    base = {"raised_date": "2017-05-01", "raised_by": "Project officer", "to_whom": "business_manager",
            "subject": "Police actions overdue"}
    assert rules.escalation_problems(base) == {}
    assert rules.escalation_problems({**base, "closed_date": "2017-04-01", "outcome": "Done"}) == {
        "closed_date": "is before the date raised"}
    assert rules.escalation_problems({**base, "closed_date": "2017-06-01"}) == {
        "outcome": "is required when the escalation is closed"}
    assert "to_whom" in rules.escalation_problems({**base, "to_whom": "the mayor"})


def test_a_fee_is_the_days_times_the_rate_when_all_are_given():
    base = {"review_id": 1, "reviewer_id": 1, "role": "both"}
    assert rules.commission_problems({**base, "agreed_days": 20, "day_rate": 450, "fee": 9000}) == {}
    assert rules.commission_problems({**base, "agreed_days": 20, "day_rate": 450, "fee": 9500}) == {
        "fee": "is not the agreed days times the day rate (\u00a39,000.00)"}
    assert rules.commission_problems({**base, "fee": 9500}) == {}
    assert rules.commission_problems({**base, "day_rate": -1}) == {"day_rate": "cannot be negative"}
    assert rules.commission_fee({"agreed_days": 2.5, "day_rate": 400}) == 1000.0
    assert rules.commission_fee({"agreed_days": 2.5}) is None


def test_costs_and_budgets():
    assert rules.cost_problems({"review_id": 1, "kind": "venue", "date": "2017-01-01", "amount": "abc"}) == {
        "amount": "is not a number"}
    assert rules.cost_problems({"review_id": 1, "kind": "catering", "date": "2017-01-01", "amount": 5})["kind"]
    assert rules.budget_problems({"year": 16, "amount": 1000}) == {"year": "is not a reporting year"}
    assert rules.budget_problems({"year": 2016, "amount": 1000}) == {}


def test_a_plan_action_has_a_source_instead_of_a_review():
    plan = {"text": "Refresh the terms of reference", "status": "not_started", "source_kind": "business_plan",
            "source_text": "Business plan 2016-17 priority 2"}
    assert action_rules.problems(plan, evidence_files=0) == {}
    assert action_rules.problems({**plan, "source_text": None}, evidence_files=0) == {
        "source_text": "is required: say which priority, recommendation, check or audit"}
    assert "source_kind" in action_rules.problems({**plan, "source_kind": "whim"}, evidence_files=0)
    assert action_rules.problems({**plan, "source_kind": None}, evidence_files=0) == {"review_id": "is required"}
    assert action_rules.problems({**plan, "review_id": 4}, evidence_files=0) == {
        "source_kind": "is for the sub group's own plan: a review's action has no other source"}
