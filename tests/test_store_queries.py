"""The shared read-side queries: targets, stages, RAG, filters and the dashboard."""

from __future__ import annotations

from datetime import date

import pytest

from scrdesk.store import queries as q

AS_AT = date(2017, 6, 30)


@pytest.fixture
def plan(store):
    police = store.insert("agencies", {"name": "Northshire Police", "short_name": "Police", "type": "police"})
    health = store.insert("agencies", {"name": "Northshire Hospital", "short_name": "NGH", "type": "health_provider"})
    referral = store.insert("referrals", {
        "ref": "Ref053", "received_date": "2017-01-10", "la_aware_date": "2017-01-05", "source": "sin",
        "sin_reference": "SIN-1", "framework": "wt2015"})
    review = store.insert("reviews", {
        "title": "Ref053", "review_type": "SCR", "methodology": "traditional", "status": "underway",
        "framework": "wt2015", "agreed_date": "2017-02-05", "initiated_date": "2017-02-05"})
    store.insert("review_referrals", {"review_id": review, "referral_id": referral})
    store.insert("milestones", {"review_id": review, "kind": "agency_reports_requested", "actual_date": "2017-02-20"})
    store.insert("milestones", {"review_id": review, "kind": "practitioner_learning_event", "planned_date": "2017-07-20"})
    rec = store.insert("recommendations", {"review_id": review, "number": "1", "text": "Share chronologies"})
    overdue = store.insert("actions", {"review_id": review, "recommendation_id": rec, "agency_id": police,
                                       "text": "Audit strategy meetings", "target_date": "2017-05-01",
                                       "status": "on_track"})
    soon = store.insert("actions", {"review_id": review, "recommendation_id": rec, "agency_id": health,
                                    "text": "Train ED staff", "target_date": "2017-07-05", "status": "on_track"})
    done = store.insert("actions", {"review_id": review, "recommendation_id": rec, "agency_id": police,
                                    "text": "Update policy", "target_date": "2017-03-01",
                                    "status": "complete_evidenced", "signoff_date": "2017-03-03"})
    return {"review": review, "police": police, "health": health, "overdue": overdue, "soon": soon, "done": done}


def test_review_row_has_target_stage_next_step_and_counts(store, plan):
    (row,) = q.review_rows(store, AS_AT)
    assert row["type_label"] == "Serious Case Review"
    assert row["target_date"] == "2017-08-05"  # 6 months after initiation under WT2015
    assert "Working Together 2015" in row["target_basis"]
    assert row["current_stage"] == "IMRs requested"  # the methodology's own wording
    assert (row["next_milestone"], row["next_milestone_date"]) == ("Practitioner learning event", "2017-07-20")
    assert (row["open_actions"], row["overdue_actions"]) == (2, 1)
    assert row["rag"].colour == "green" and "5 Aug 2017" in row["rag"].reason


def test_target_override_needs_and_shows_its_reason(store, plan):
    store.update("reviews", plan["review"], {"target_date_override": "2017-12-01",
                                             "target_override_reason": "criminal trial"})
    (row,) = q.review_rows(store, AS_AT)
    assert row["target_date"] == "2017-12-01" and row["target_basis"] == "set by hand: criminal trial"


def test_action_filters_run_in_sql(store, plan):
    overdue = q.action_rows(store, AS_AT, overdue=True)
    assert [a["id"] for a in overdue] == [plan["overdue"]]
    assert overdue[0]["rag"].colour == "red" and "passed 60 days ago" in overdue[0]["rag"].reason
    assert [a["id"] for a in q.action_rows(store, AS_AT, due_within_days=14)] == [plan["soon"]]
    assert [a["id"] for a in q.action_rows(store, AS_AT, agency_id=plan["health"])] == [plan["soon"]]
    assert [a["id"] for a in q.action_rows(store, AS_AT, text="ed staff")] == [plan["soon"]]
    assert len(q.action_rows(store, AS_AT, limit=2)) == 2


def test_revised_target_wins(store, plan):
    store.update("actions", plan["overdue"], {"revised_target_date": "2017-09-01", "revised_reason": "new system"})
    assert q.action_rows(store, AS_AT, overdue=True) == []


def test_dashboard_lists_what_needs_doing(store, plan):
    board = q.dashboard(store, AS_AT)
    assert [g["title"] for g in board["overdue_by_agency"]] == ["Northshire Police"]
    assert [i["id"] for i in board["due_soon"]] == [plan["soon"]]
    # The notification was never recorded as submitted, no decision was recorded, and the Panel and
    # Ofsted were never told the SCR was initiated (WT2015 ch.4).
    assert {i["title"] for i in board["deadlines"]} == {
        "Ref053 – Serious incident notification", "Ref053 – Decision on the referral",
        "Ref053 – Panel and Ofsted told the SCR was initiated"}


@pytest.mark.parametrize("typed", ["ed staff", "ED STAFF", "NGH", "northshire hosp", "Share chron", '"quoted"', "Ł"])
def test_action_text_filter_finds_through_every_linked_name(store, plan, typed):
    found = {a["id"] for a in q.action_rows(store, AS_AT, text=typed)}
    expected = {plan["soon"]} if typed not in ("Share chron", '"quoted"', "Ł") else None
    if typed == "Share chron":  # the recommendation's text matches all three of its actions
        expected = {plan["soon"], plan["overdue"], plan["done"]}
    if typed in ('"quoted"', "Ł"):
        expected = set()
    assert found == expected


def test_search_index_follows_renames_and_deletes(store, plan):
    store.update("agencies", plan["health"], {"name": "Riverside Trust"})
    assert {a["id"] for a in q.action_rows(store, AS_AT, text="riverside")} == {plan["soon"]}
    assert q.action_rows(store, AS_AT, text="northshire hosp") == []
    store.update("actions", plan["soon"], {"text": "Łódź liaison"})
    assert {a["id"] for a in q.action_rows(store, AS_AT, text="ŁÓDŹ")} == {plan["soon"]}
    store.delete("actions", plan["soon"])
    assert q.action_rows(store, AS_AT, text="riverside") == []


def test_dashboard_counts_overdue_actions_per_agency_and_cuts_long_sections(store, plan):
    review = store.scalar("SELECT id FROM reviews")
    for number in range(3):
        store.insert("actions", {"review_id": review, "agency_id": plan["health"], "text": f"Late {number}",
                                 "target_date": f"2017-04-0{number + 1}", "status": "on_track"})
    board = q.dashboard(store, AS_AT, limit=1)
    first, more = board["overdue_by_agency"]
    assert (first["title"], first["count"], first["detail"]) == ("Northshire Hospital", 3, "3 overdue actions")
    assert "target 1 Apr 2017 passed" in first["rag"].reason  # the longest-overdue action's reason
    assert (more["kind"], more["tab"], more["more"], more["count"]) == ("tab", "ActionPlanTab", 1, 1)
    assert more["title"] == "and 1 more — open the action plan"
    actions = q.dashboard_overdue_actions(store, plan["health"], AS_AT, limit=2)
    assert [a["detail"] for a in actions[:2]] == ["Late 0", "Late 1"]
    assert (actions[2]["kind"], actions[2]["id"], actions[2]["more"]) == ("agency", plan["health"], 1)
    assert [a["id"] for a in q.dashboard_overdue_actions(store, plan["police"], AS_AT)] == [plan["overdue"]]
