"""The rules of a briefing, its dissemination, a learning event, a meeting and an agency: pure
functions, the words the window shows beside the field."""

from __future__ import annotations

from scrdesk.domain.rules import agencies, briefings, events


def test_a_draft_briefing_with_nothing_but_its_status_is_fine():
    assert briefings.problems({"status": "draft"}) == {}


def test_approved_and_issued_briefings_need_their_dates():
    assert briefings.problems({"status": "approved"}) == {
        "approved_date": "is required for an approved briefing"}
    assert briefings.problems({"status": "issued", "approved_date": "2017-05-01"}) == {
        "issued_date": "is required for an issued briefing"}
    assert briefings.problems({"status": "issued", "approved_date": "2017-05-01",
                               "issued_date": "2017-05-02"}) == {}


def test_a_briefing_is_not_issued_before_it_was_approved():
    found = briefings.problems({"status": "issued", "approved_date": "2017-05-10", "issued_date": "2017-05-02"})
    assert found == {"issued_date": "is before it was approved (10 May 2017)"}


def test_a_briefing_status_must_be_one_the_editor_offers():
    assert "is not a briefing status" in briefings.problems({"status": "published"})["status"]
    assert briefings.problems({"status": ""}) == {"status": "is required"}


def test_briefing_lengths_are_the_editors():
    found = briefings.problems({"status": "draft", "title": "x" * 301})
    assert found == {"title": "is too long (301 characters; at most 300)"}
    assert briefings.section_problems({"title": " ", "body": ""}) == {"title": "is required"}


def test_feedback_cannot_come_back_before_the_briefing_was_sent():
    base = {"agency_id": 1, "sent_date": "2017-05-10"}
    assert briefings.dissemination_problems(base) == {}
    assert briefings.dissemination_problems(base | {"feedback_received_date": "2017-05-09"}) == {
        "feedback_received_date": "is before the briefing was sent"}
    assert briefings.dissemination_problems(base | {"feedback_due_date": "2017-05-01"}) == {
        "feedback_due_date": "is before the briefing was sent"}
    assert briefings.dissemination_problems(base | {"feedback_received_date": "2017-05-10",
                                                    "feedback_due_date": "2017-06-07"}) == {}


def test_feedback_received_needs_the_date_sent_and_an_agency():
    assert briefings.dissemination_problems({"feedback_received_date": "2017-05-09"}) == {
        "agency_id": "is required", "sent_date": "is required once feedback has been received"}


def test_staff_reached_is_a_whole_number():
    assert briefings.dissemination_problems({"agency_id": 1, "staff_reached": -3}) == {
        "staff_reached": "must be a whole number, 0 or more"}


def test_the_dates_check_looks_at_are_the_rules_dates():
    # `check` reports stored records from the same (earlier, later) pairs.
    assert ("sent_date", "feedback_received_date") in [p[:2] for p in briefings.DISSEMINATION_DATE_ORDER]
    assert ("approved_date", "issued_date") in [p[:2] for p in briefings.BRIEFING_DATE_ORDER]


def test_a_learning_event_needs_its_kind_and_date():
    assert events.event_problems({}) == {"kind": "is required", "date": "is required"}
    assert events.event_problems({"kind": "training", "date": "2017-03-01"}) == {}
    assert "is not a kind of event" in events.event_problems({"kind": "party", "date": "2017-03-01"})["kind"]
    assert events.event_problems({"kind": "training", "date": "2017-03-01", "attendance": -1}) == {
        "attendance": "must be a whole number, 0 or more"}
    assert events.event_problems({"kind": "training", "date": "2017-03-01", "facilitator": "x" * 201}) == {
        "facilitator": "is too long (201 characters; at most 200)"}


def test_a_meeting_needs_its_date_and_kind():
    assert events.meeting_problems({"kind": "scr_subgroup"}) == {"date": "is required"}
    assert events.meeting_problems({"date": "2017-03-01", "kind": "qa_subgroup"}) == {}
    assert "is not a kind of meeting" in events.meeting_problems({"date": "2017-03-01", "kind": "x"})["kind"]


def test_an_agency_has_a_unique_name_a_type_and_a_real_email():
    assert agencies.problems({"name": "Police", "type": "police"}) == {}
    assert agencies.problems({"name": " ", "type": "police"}) == {"name": "is required"}
    assert agencies.problems({"name": "police", "type": "police"}, ["Police"]) == {
        "name": "is already used by another agency"}
    assert agencies.problems({"name": "Police", "type": "police", "lead_email": "nobody"}) == {
        "lead_email": "is not an email address, e.g. name@agency.gov.uk"}
    assert agencies.problems({"name": "Police", "type": "police", "short_name": "x" * 41}) == {
        "short_name": "is too long (41 characters; at most 40)"}
