"""The sub group's own business through the store: schema 0011's upgrade of the action plan,
members and chairs, terms of reference, attendance and quorum, health checks and escalations."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlite_utils import Database

from scrdesk.domain.rules import RuleBroken
from scrdesk.store import actions, governance, schema
from scrdesk.store.actions import ActionFilters
from scrdesk.store.db import Store, _register_functions, _RowAudit
from scrdesk.store.queries import overdue_by_agency


def _agencies(store, *names):
    return [store.insert("agencies", {"name": n}) for n in names]


def test_an_older_file_keeps_its_actions_and_their_updates_when_the_plan_is_rebuilt(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    _register_functions(conn, "tester", _RowAudit())
    db = Database(conn)
    schema.migrations.apply(db, stop_before="0011_governance")
    with db.atomic():
        db.execute("INSERT INTO reviews (title, review_type) VALUES ('Ref044', 'SCR')")
        db.execute("INSERT INTO actions (review_id, text, evidence_note) VALUES (1, 'Train staff', 'Register')")
        db.execute("INSERT INTO action_updates (action_id, date, note) VALUES (1, '2017-01-02', 'Booked')")
        schema.flush_search_index(conn)
    conn.close()

    store = Store.open(path)
    assert store.rows("SELECT id, review_id, text, evidence_note FROM actions") == [
        {"id": 1, "review_id": 1, "text": "Train staff", "evidence_note": "Register"}]
    assert store.scalar("SELECT count(*) FROM action_updates") == 1
    assert store.scalar("PRAGMA foreign_keys") == 1
    triggers = {r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert schema.expected_triggers(store.db) <= triggers
    # The old action is still found by the search index, and a plan action (no review) joins it.
    plan = actions.create_action(store, {"text": "Refresh terms of reference", "status": "not_started",
                                         "source_kind": "business_plan", "source_text": "Priority 2"})
    found = actions.fetch_actions(store, date(2017, 6, 1), ActionFilters(text="Train"))
    assert [r["id"] for r in found] == [1]
    assert [r["id"] for r in actions.fetch_actions(store, date(2017, 6, 1), ActionFilters(text="Refresh"))] == [plan]
    # Deleting the review still takes its actions and their updates with it.
    store.delete("reviews", 1)
    assert store.scalar("SELECT count(*) FROM actions") == 1
    assert store.scalar("SELECT count(*) FROM action_updates") == 0


def test_the_database_refuses_an_action_with_neither_review_nor_source(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.insert("actions", {"text": "Orphan"})


def test_members_by_agency_and_on_a_day(store):
    police, health = _agencies(store, "Police", "Health")
    governance.save_member(store, None, {"agency_id": police, "name": "DI Example", "role": "Member",
                                         "deputy_name": "DS Example", "from_date": "2016-04-01"})
    left = governance.save_member(store, None, {"agency_id": health, "name": "Named nurse",
                                                "from_date": "2015-01-01", "to_date": "2016-06-30"})
    assert [m["agency_name"] for m in governance.members(store)] == ["Health", "Police"]
    assert [m["name"] for m in governance.members(store, on=date(2017, 1, 1))] == ["DI Example"]
    with pytest.raises(RuleBroken, match="To: is before the from date"):
        governance.save_member(store, left, {"to_date": "2014-01-01"})
    assert governance.members(store)[0]["to_date"] == "2016-06-30"


def test_the_chair_history_holds_one_chair_at_a_time(store):
    governance.save_chair(store, None, {"name": "Assistant director", "from_date": "2015-04-01",
                                        "to_date": "2016-12-31"})
    interim = governance.save_chair(store, None, {"name": "Interim chair", "interim": 1, "from_date": "2017-01-01"})
    with pytest.raises(RuleBroken, match="overlaps Interim chair's term"):
        governance.save_chair(store, None, {"name": "Permanent chair", "from_date": "2017-09-01"})
    governance.save_chair(store, interim, {"to_date": "2017-08-31"})
    governance.save_chair(store, None, {"name": "Permanent chair", "from_date": "2017-09-01"})
    assert governance.chair_on(store, "2017-03-01")["name"] == "Interim chair"
    assert [c["name"] for c in governance.chairs(store)] == ["Assistant director", "Interim chair", "Permanent chair"]


def test_terms_of_reference_keep_their_document_and_say_when_a_review_is_due(store):
    doc = {"file_name": "tor.pdf", "mime_type": "application/pdf", "size": 3, "sha256": "x" * 64,
           "content": b"pdf"}
    governance.save_terms_of_reference(store, None, {"version": "2", "approved_date": "2016-03-01",
                                                     "next_review_date": "2017-03-01"})
    tor = governance.save_terms_of_reference(store, None, {"version": "3", "approved_date": "2017-03-15",
                                                           "next_review_date": "2018-03-15"}, [doc])
    assert [t["documents"] for t in governance.terms_of_reference(store)] == [0, 1]
    due = governance.terms_of_reference_due(store, date(2018, 3, 1))
    assert (due["version"], due["due"], due["days"]) == ("3", False, 14)
    assert governance.terms_of_reference_due(store, date(2018, 3, 20))["due"] is True
    governance.delete_terms_of_reference(store, tor)
    assert store.scalar("SELECT count(*) FROM attachments") == 0


def test_attendance_quorum_decisions_and_rates(store, board_settings):
    board_settings(store, quorum_agencies=3)
    la, police, health, school = _agencies(store, "Children's services", "Police", "Health", "Education")
    first = store.insert("meetings", {"date": "2016-05-10", "kind": "scr_subgroup"})
    second = store.insert("meetings", {"date": "2016-06-14", "kind": "scr_subgroup"})
    governance.set_attendance(store, first, [
        {"agency_id": la, "status": "present"}, {"agency_id": police, "status": "deputy", "attendee": "DS Example"},
        {"agency_id": health, "status": "present"}, {"agency_id": school, "status": "apologies"}])
    governance.set_attendance(store, second, [
        {"agency_id": la, "status": "present"}, {"agency_id": police, "status": "absent"},
        {"agency_id": health, "status": "apologies"}, {"agency_id": school, "status": "present"}])
    assert governance.is_quorate(store, first) and not governance.is_quorate(store, second)
    with pytest.raises(RuleBroken, match="Attendance: is not an attendance"):
        governance.set_attendance(store, first, [{"agency_id": la, "status": "asleep"}])
    assert len(governance.attendance(store, first)) == 4  # the refused change wrote nothing
    rates = governance.attendance_rates(store, date(2016, 4, 1), date(2017, 3, 31))
    assert rates == {"Children's services": 1.0, "Education": 0.5, "Health": 0.5, "Police": 0.5}
    store.insert("referrals", {"ref": "Ref050", "meeting_date": "2016-05-10", "decision": "CASE_MAPPING"})
    listed = {m["id"]: m for m in governance.meetings_with_attendance(store)}
    assert (listed[first]["quorate"], listed[first]["decisions"], listed[first]["deputy"]) == (True, 1, 1)
    assert [r["ref"] for r in governance.meeting_decisions(store, first)] == ["Ref050"]


def test_a_health_check_is_answered_and_its_actions_join_the_sub_group_plan(store):
    questions = governance.default_questions()
    areas = {q["area"] for q in questions}
    assert {"Membership", "Attendance", "Timeliness of reviews", "Action plan progress", "Dissemination",
            "Impact"} <= areas
    check = governance.create_health_check(store, {"date": "2016-10-01"})
    with pytest.raises(RuleBroken, match="Date: already has a health check"):
        governance.create_health_check(store, {"date": "2016-10-01"})
    with pytest.raises(RuleBroken, match="MEM1 cannot be saved. Comment: is required"):
        governance.answer_health_check(store, check, {"ATT1": {"rag": "green"}, "MEM1": {"rag": "amber"}})
    assert {a["rag"] for a in governance.health_check_answers(store, check)} == {None}  # all or nothing
    governance.answer_health_check(store, check, {"ATT1": {"rag": "green"},
                                                  "MEM1": {"rag": "amber", "comment": "Education deputy vacant"}})
    (summary,) = governance.health_checks(store)
    assert (summary["amber"], summary["green"], summary["unanswered"]) == (1, 1, len(questions) - 2)
    agency = store.insert("agencies", {"name": "Education"})
    action = governance.add_health_check_action(store, check, {"text": "Name an education deputy",
                                                               "agency_id": agency, "target_date": "2016-12-01"})
    (arising,) = governance.health_check_actions(store, check)
    assert (arising["id"], arising["source_kind"], arising["source_text"]) == (action, "health_check",
                                                                               "Health check of 1 Oct 2016")
    assert [a["text"] for g in overdue_by_agency(store, date(2017, 1, 1)) for a in g["actions"]] == [
        "Name an education deputy"]
    assert governance.next_health_check_due(store) == date(2017, 4, 1)


def test_an_overdue_action_is_escalated_in_one_step_and_closed_with_its_outcome(store):
    review = store.insert("reviews", {"title": "Ref044", "review_type": "SCR"})
    agency = store.insert("agencies", {"name": "Police"})
    action = actions.create_action(store, {"review_id": review, "agency_id": agency, "text": "Audit referrals",
                                           "status": "slipping", "target_date": "2017-01-01"})
    escalation = governance.escalate_action(store, action, {"raised_date": "2017-05-02",
                                                            "raised_by": "Project officer",
                                                            "to_whom": "business_manager"})
    assert actions.get_action(store, action)["escalated_to"] == "Business manager"
    (row,) = governance.escalations(store)
    assert (row["concerns"], row["open"], row["subject"]) == ("Action (Police): Audit referrals", True,
                                                              "Overdue action: Audit referrals")
    with pytest.raises(RuleBroken, match="Outcome: is required when the escalation is closed"):
        governance.save_escalation(store, escalation, {"closed_date": "2017-05-20"})
    governance.save_escalation(store, escalation, {"closed_date": "2017-05-20", "outcome": "Agency lead chased"})
    assert governance.escalations(store, open_only=True) == []
    with pytest.raises(RuleBroken, match="Escalated to: is required"):
        governance.escalate_review(store, review, {"raised_date": "2017-05-02", "raised_by": "Officer"})
    assert len(governance.escalation_report_rows(store)) == 1


def test_the_action_plan_groups_the_sub_groups_own_actions_by_source(store):
    review = store.insert("reviews", {"title": "Ref044", "review_type": "SCR"})
    actions.create_action(store, {"review_id": review, "text": "Train staff", "status": "not_started"})
    audit = actions.create_action(store, {"source_kind": "audit", "source_text": "Section 11 audit 2016",
                                          "text": "Audit referrals", "status": "not_started",
                                          "target_date": "2017-01-01"})
    check = governance.create_health_check(store, {"date": "2016-10-01"})
    governance.add_health_check_action(store, check, {"text": "Name a deputy"})
    today, filters = date(2017, 6, 1), ActionFilters()
    groups = actions.top_groups(store, today, filters, "plan")
    assert [(g[1], g[2], g[3] or 0) for g in groups] == [
        ("Ref044", 1, 0), ("Sub group plan \u2013 Health check", 1, 0), ("Sub group plan \u2013 Audit", 1, 1)]
    # The in-memory counts a typed search uses give the same groups.
    counted = actions.GroupCounts(store, today).for_filters(filters, "plan")
    assert [(g[0], g[1], g[2], g[3] or 0) for g in counted] == [(g[0], g[1], g[2], g[3] or 0) for g in groups]
    key = actions.plan_group_key(actions.get_action(store, audit))
    (part,) = actions.recommendation_groups(store, today, filters, key)
    assert (part["id"], part["title"], part["total"]) == (None, "Section 11 audit 2016", 1)
    rows = actions.group_actions(store, today, filters, "recommendation", {**part, "review_id": key}, 0, 10)
    assert [r["id"] for r in rows] == [audit]


def test_the_dashboard_says_when_the_terms_of_reference_and_the_next_health_check_are_due(store):
    from scrdesk.store.queries import dashboard

    assert dashboard(store, date(2017, 6, 30))["sub_group"] == []
    governance.save_terms_of_reference(store, None, {"version": "3", "approved_date": "2016-07-01",
                                                     "next_review_date": "2017-07-01"})
    governance.create_health_check(store, {"date": "2016-09-15"})
    lines = dashboard(store, date(2017, 6, 30))["sub_group"]
    assert [(line["title"], line["rag"].colour, line["tab"]) for line in lines] == [
        ("Terms of reference (version 3) due for review", "amber", "SubGroupTab"),
        ("Next health check due 15 Mar 2017", "red", "SubGroupTab")]
    assert str(lines[1]["rag"]) == "Red: the health check was due 15 Mar 2017, 107 days ago"


def test_the_composite_plan_export_groups_the_sub_groups_own_actions_by_source_after_the_reviews(store):
    from scrdesk.store.papers import action_plan_data

    review = store.insert("reviews", {"title": "Ref044", "review_type": "SCR"})
    actions.create_action(store, {"review_id": review, "text": "Train staff", "status": "not_started"})
    for text, source in (("Audit referrals", "Section 11 audit 2016"), ("Re-audit", "Section 11 audit 2017")):
        actions.create_action(store, {"source_kind": "audit", "source_text": source, "text": text,
                                      "status": "not_started"})
    groups = action_plan_data(store, date(2017, 6, 1))["reviews"]
    assert [(g["ref"], g["title"]) for g in groups] == [("Ref044", "Ref044"), ("Sub group plan", "Audit")]
    parts = groups[1]["recommendations"]
    assert [(p["text"], p["source"], [a["text"] for a in p["actions"]]) for p in parts] == [
        ("Section 11 audit 2016", True, ["Audit referrals"]), ("Section 11 audit 2017", True, ["Re-audit"])]
