"""The reviews store: reads and writes of a review and its lists, without Qt."""

import sqlite3
from datetime import date

import pytest

from scrdesk.domain.rules import RuleBroken
from scrdesk.store import reviews

REVIEW = {"title": "SCR Ref053", "review_type": "SCR", "status": "agreed", "framework": "wt2015",
          "agreed_date": "2017-02-10"}


def _referral(store, ref="Ref053", **extra):
    return store.insert("referrals", {"ref": ref, "received_date": "2017-01-05", **extra})


def _attach(store, kind, owner_id):
    return store.insert("attachments", {"owner_kind": kind, "owner_id": owner_id, "file_name": "x.pdf",
                                        "size": 1, "sha256": "0", "content": b"x"})


def test_create_links_the_referral_in_one_write(store):
    referral = _referral(store)
    review_id = reviews.create_review(store, REVIEW, referral_id=referral)
    assert [r["ref"] for r in reviews.linked_referrals(store, review_id)] == ["Ref053"]
    assert reviews.get_review(store, review_id)["title"] == "SCR Ref053"


def test_create_refuses_a_broken_review_with_the_dialogs_words(store):
    with pytest.raises(RuleBroken) as refused:
        reviews.create_review(store, {**REVIEW, "status": "completed"})
    assert refused.value.problems == {"completed_date": "is required when the status is Completed"}
    assert "Completed: is required when the status is Completed" in str(refused.value)
    assert reviews.review_count(store) == 0


def test_a_failed_link_leaves_no_review_behind(store):
    with pytest.raises(sqlite3.IntegrityError):
        reviews.create_review(store, REVIEW, referral_id=999)  # no such referral: the foreign key refuses
    assert reviews.review_count(store) == 0


def test_update_refuses_dates_out_of_order_and_changes_nothing(store):
    review_id = reviews.create_review(store, REVIEW)
    with pytest.raises(RuleBroken) as refused:
        reviews.update_review(store, review_id, {"completed_date": "2017-01-01"})
    assert refused.value.problems == {"completed_date": "is before the date agreed (10 Feb 2017)"}
    assert reviews.get_review(store, review_id)["completed_date"] is None


def test_an_old_fault_does_not_block_an_unrelated_change(store):
    review_id = reviews.create_review(store, REVIEW)
    store.update("reviews", review_id, {"status": "completed"})  # as an older version could write it
    reviews.update_review(store, review_id, {"lead_reviewer": "A. Reviewer"})
    assert reviews.get_review(store, review_id)["lead_reviewer"] == "A. Reviewer"
    with pytest.raises(RuleBroken):
        reviews.update_review(store, review_id, {"status": "closed"})


def test_panel_response_cannot_come_before_the_report(store):
    review_id = reviews.create_review(store, {**REVIEW, "sent_to_panel_date": "2017-08-01"})
    with pytest.raises(RuleBroken) as refused:
        reviews.record_panel_response(store, review_id, date(2017, 7, 1), True)
    assert refused.value.problems == {
        "panel_response_date": "is before the date sent to the national panel (1 Aug 2017)"}
    reviews.record_panel_response(store, review_id, date(2017, 8, 20), False)
    saved = reviews.get_review(store, review_id)
    assert (saved["panel_response_date"], saved["panel_agreed"]) == ("2017-08-20", 0)


def test_delete_takes_the_files_of_the_review_and_everything_under_it(store):
    agency = store.insert("agencies", {"name": "Police", "type": "police"})
    review_id = reviews.create_review(store, REVIEW, referral_id=_referral(store))
    other = reviews.create_review(store, {**REVIEW, "title": "Other"})
    action = store.insert("actions", {"review_id": review_id, "text": "Train staff"})
    briefing = store.insert("briefings", {"review_id": review_id})
    sent = store.insert("disseminations", {"briefing_id": briefing, "agency_id": agency})
    for kind, owner in (("review", review_id), ("action", action), ("briefing", briefing),
                        ("dissemination", sent)):
        _attach(store, kind, owner)
    kept = _attach(store, "review", other)
    reviews.save_child(store, "milestones", review_id, {"kind": "draft_report", "planned_date": "2017-05-01"})
    assert reviews.dependants(store, review_id) == {"milestone": 1, "recommendation": 0, "action": 1,
                                                     "briefing": 1}
    reviews.delete_review(store, review_id)
    assert [r["id"] for r in store.rows("SELECT id FROM attachments")] == [kept]
    assert store.scalar("SELECT count(*) FROM actions") == 0
    assert store.scalar("SELECT count(*) FROM milestones") == 0
    assert store.scalar("SELECT count(*) FROM review_referrals") == 0
    assert store.scalar("SELECT count(*) FROM referrals") == 1  # the referral itself is kept


def test_link_and_unlink_referrals(store):
    review_id = reviews.create_review(store, REVIEW)
    first, second = _referral(store, "Ref053"), _referral(store, "Ref054")
    assert set(reviews.referral_choices(store, not_linked_to=review_id)) == {str(first), str(second)}
    reviews.link_referral(store, review_id, first)
    reviews.link_referral(store, review_id, first)  # twice is once
    assert list(reviews.referral_choices(store, not_linked_to=review_id)) == [str(second)]
    reviews.unlink_referral(store, review_id, first)
    assert reviews.linked_referrals(store, review_id) == []


def test_child_rows_check_their_rules(store):
    review_id = reviews.create_review(store, REVIEW)
    with pytest.raises(RuleBroken) as refused:
        reviews.save_child(store, "review_delays", review_id, {"date": "2017-03-01", "reason": " "})
    assert refused.value.problems == {"reason": "is required"}
    with pytest.raises(RuleBroken):
        reviews.save_child(store, "milestones", review_id, {"kind": "draft_report"})
    delay = reviews.save_child(store, "review_delays", review_id, {"date": "2017-03-01", "reason": "Trial"})
    reviews.save_child(store, "review_delays", review_id, {"reason": "Trial moved"}, delay)
    assert [d["reason"] for d in reviews.delays(store, review_id)] == ["Trial moved"]
    reviews.delete_child(store, "review_delays", delay)
    assert reviews.delays(store, review_id) == []


def test_planned_milestones_are_added_all_or_none(store):
    review_id = reviews.create_review(store, REVIEW)
    with pytest.raises(RuleBroken):
        reviews.add_planned_milestones(store, review_id, [("scoping_tor", date(2017, 3, 1)), ("", None)])
    assert reviews.milestones(store, review_id) == []
    reviews.add_planned_milestones(store, review_id, [("draft_report", date(2017, 6, 1)), ("recall", None),
                                                      ("scoping_tor", date(2017, 3, 1))])
    # Undated steps (no fixed timescale in the methodology) wait at the end for their date.
    assert [m["kind"] for m in reviews.milestones(store, review_id)] == ["scoping_tor", "draft_report", "recall"]
    assert reviews.milestone_kinds(store, review_id) == {"scoping_tor", "draft_report", "recall"}
    first = reviews.milestones(store, review_id)[0]["id"]
    reviews.mark_milestone_done(store, first, date(2017, 3, 2))
    assert reviews.child_row(store, "milestones", first)["actual_date"] == "2017-03-02"


def test_recommendations_count_their_open_actions(store):
    review_id = reviews.create_review(store, REVIEW)
    second = reviews.save_child(store, "recommendations", review_id, {"number": "10", "text": "B"})
    first = reviews.save_child(store, "recommendations", review_id, {"number": "2", "text": "A"})
    store.insert("actions", {"review_id": review_id, "recommendation_id": first, "text": "x"})
    store.insert("actions", {"review_id": review_id, "recommendation_id": first, "text": "y",
                             "status": "signed_off"})
    rows = reviews.recommendations(store, review_id)
    assert [(r["id"], r["actions"], r["open_actions"]) for r in rows] == [(first, 2, 1), (second, 0, 0)]
    assert reviews.recommendation_count(store, review_id) == 2


def test_agency_return_cannot_arrive_before_it_was_asked_for(store):
    agency = store.insert("agencies", {"name": "Police", "type": "police"})
    review_id = reviews.create_review(store, REVIEW)
    returned = store.insert("agency_returns", {"review_id": review_id, "agency_id": agency,
                                               "requested_date": "2024-01-02"})
    with pytest.raises(RuleBroken):
        reviews.record_return_received(store, returned, date(2024, 1, 1))
    reviews.record_return_received(store, returned, date(2024, 1, 5))
    assert reviews.child_row(store, "agency_returns", returned)["received_date"] == "2024-01-05"


def test_profile_for_record_prefers_the_stamp_then_the_date(store):
    assert reviews.profile_for_record(store, "wt2015", "2024-01-01").code == "wt2015"
    assert reviews.profile_for_record(store, None, "2016-01-01").code == "wt2015"


def test_stored_problems_lists_what_an_older_version_let_through(store):
    good = reviews.create_review(store, REVIEW)
    bad = store.insert("reviews", {**REVIEW, "title": "Old", "status": "published",
                                   "completed_date": "2017-05-01"})
    store.insert("review_delays", {"review_id": good, "date": "2017-03-01", "reason": ""})
    reviews.add_planned_milestones(store, good, [("recall", None)])  # undated by design: not reported
    assert reviews.stored_problems(store) == [
        ("reviews", bad, {"published_date": "is required when the status is Published"}),
        ("review_delays", 1, {"reason": "is required"}),
    ]
