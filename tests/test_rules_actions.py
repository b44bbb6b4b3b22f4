"""The action rules (domain/rules/actions.py), with examples."""

from __future__ import annotations

import pytest

from scrdesk.domain.rules import actions as rules

GOOD = {"review_id": 1, "text": "Train staff in the graded care profile", "status": "on_track",
        "agreed_date": "2017-01-10", "target_date": "2017-03-31"}


def test_a_plain_open_action_is_fine():
    assert rules.problems(GOOD, evidence_files=0) == {}


@pytest.mark.parametrize("status, shown", [("signed_off", "Signed off"),
                                           ("complete_evidenced", "Complete \u2013 evidenced")])
def test_closing_needs_a_file_a_note_or_a_reason(status, shown):
    bare = dict(GOOD, status=status, signoff_date="2017-04-01")
    assert rules.problems(bare, evidence_files=0) == {
        "status": f"cannot be \u201c{shown}\u201d yet: attach the evidence, note it, or record a reason "
                  "for closing it without evidence"}
    assert rules.problems(bare, evidence_files=1) == {}
    assert rules.problems(dict(bare, evidence_note="Training register, 40 staff"), evidence_files=0) == {}
    assert rules.problems(dict(bare, completion_reason="Superseded by the new policy"), evidence_files=0) == {}
    assert rules.problems(dict(bare, completion_reason="   "), evidence_files=0) != {}


def test_awaiting_evidence_needs_none():
    assert rules.problems(dict(GOOD, status="complete_awaiting_evidence"), evidence_files=0) == {}


def test_a_signed_off_action_has_its_sign_off_date():
    signed = dict(GOOD, status="signed_off", evidence_note="Minutes")
    assert rules.problems(signed, evidence_files=0) == {"signoff_date": "is required for a signed-off action"}
    assert rules.problems(dict(signed, signoff_date="2017-05-01"), evidence_files=0) == {}


def test_dates_in_order_and_a_revised_target_has_its_reason():
    assert rules.problems(dict(GOOD, target_date="2016-12-31"), evidence_files=0) == {
        "target_date": "is before the date the action was agreed"}
    revised = dict(GOOD, revised_target_date="2017-06-30")
    assert rules.problems(revised, evidence_files=0) == {"revised_reason": "is required when the target is revised"}
    assert rules.problems(dict(revised, revised_reason="Trainer off sick"), evidence_files=0) == {}
    assert rules.problems(dict(GOOD, revised_target_date="2016-06-30", revised_reason="x"), evidence_files=0) == {
        "revised_target_date": "is before the date the action was agreed"}


def test_escalation_needs_its_date():
    assert rules.problems(dict(GOOD, escalated_to="Board chair"), evidence_files=0) == {
        "escalated_date": "is required when you say who it was escalated to"}


def test_required_fields_codes_and_lengths():
    assert rules.problems({"status": "done"}, evidence_files=0) == {
        "review_id": "is required", "text": "is required",
        "status": "is not an action status (Not started, On track, Slipping, Complete \u2013 awaiting evidence, "
                  "Complete \u2013 evidenced, Signed off)"}
    long = dict(GOOD, lead_officer="x" * 201)
    assert rules.problems(long, evidence_files=0) == {
        "lead_officer": "is too long (201 characters; at most 200)"}


def test_which_statuses_need_evidence_for_the_import():
    assert [s for s in ("not_started", "on_track", "slipping", "complete_awaiting_evidence",
                        "complete_evidenced", "signed_off") if rules.needs_evidence(s)] == [
        "complete_evidenced", "signed_off"]


def test_an_update_has_date_author_and_note():
    assert rules.update_problems({"date": "2017-05-01", "author": "A", "note": ""}) == {"note": "is required"}
