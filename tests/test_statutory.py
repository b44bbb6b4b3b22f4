"""Issue 7's process: notification → rapid review → LCSPR, with working-day clocks and the funnel."""

from __future__ import annotations

from datetime import date

import pytest

from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.store import queries, statutory


@pytest.fixture
def incident(store):
    police = store.insert("agencies", {"name": "Northshire Police", "type": "police"})
    health = store.insert("agencies", {"name": "Northshire Hospital", "type": "health_provider"})
    referral = store.insert("referrals", {"ref": "Ref101", "source": "sin", "la_aware_date": "2023-12-19",
                                          "received_date": "2023-12-19"})
    return {"referral": referral, "agencies": [police, health]}


def test_notification_clock_skips_christmas(store, incident):
    # Aware Tue 19 Dec 2023: 5 working days skip the weekend, 25 and 26 Dec → Thu 28 Dec.
    store.update("referrals", incident["referral"], {"sin_submitted_date": "2023-12-28"})
    clock = statutory.notification_clock(store, store.get("referrals", incident["referral"]), date(2024, 1, 5))
    assert clock["due"] == date(2023, 12, 28) and clock["on_time"] is True
    assert "on time" in clock["text"]
    store.update("referrals", incident["referral"], {"sin_submitted_date": "2023-12-29"})
    clock = statutory.notification_clock(store, store.get("referrals", incident["referral"]), date(2024, 1, 5))
    assert clock["on_time"] is False and "1 day late" in clock["text"]


def test_rapid_review_run_to_submission_with_one_late_return(store, incident):
    review = statutory.start_rapid_review(store, incident["referral"], date(2023, 12, 27), incident["agencies"])
    plan = statutory.rapid_review_plan(store, review, date(2023, 12, 27))
    due = {s["kind"]: s["planned_date"] for s in plan["steps"]}
    # Day 1 skips New Year's Day; day 10 and day 15 count working days only.
    assert due["agency_letters"] == "2023-12-28"
    assert due["agency_summaries"] == "2024-01-11"
    assert plan["submission_due"] == date(2024, 1, 18)
    police, health = plan["returns"][1], plan["returns"][0]  # ordered by agency name
    assert police["agency_name"] == "Northshire Police"
    store.update("agency_returns", police["id"], {"received_date": "2024-01-10"})
    store.update("agency_returns", health["id"], {"received_date": "2024-01-15"})
    statutory.record_submission(store, review, date(2024, 1, 18))
    plan = statutory.rapid_review_plan(store, review, date(2024, 1, 19))
    assert plan["submitted_on_time"] is True
    assert [r["late"] for r in plan["returns"]] == [True, False]
    lcspr = statutory.decide_after_rapid_review(store, review, "LCSPR", date(2024, 1, 25))
    referral = store.get("referrals", incident["referral"])
    assert (referral["decision"], referral["framework"]) == ("LCSPR", "wt2018")
    clocks = statutory.lcspr_clocks(store, store.get("reviews", lcspr), date(2024, 2, 1))
    assert clocks["completion_due"] == date(2024, 7, 25)


def test_a_decision_before_the_rapid_review_exists_is_refused(store, incident):
    with pytest.raises(InvalidValue, match="before the local authority became aware"):
        statutory.start_rapid_review(store, incident["referral"], date(2023, 12, 1))
    assert store.scalar("SELECT count(*) FROM reviews") == 0


def test_panel_report_due_seven_working_days_before_publication_over_easter(store):
    review = store.insert("reviews", {"title": "Ref102 LCSPR", "review_type": "LCSPR", "framework": "wt2018",
                                      "agreed_date": "2023-10-02", "published_date": "2024-04-08"})
    clocks = statutory.lcspr_clocks(store, store.get("reviews", review), date(2024, 3, 1))
    # 7 working days before Mon 8 Apr 2024, skipping Easter Monday 1 Apr and Good Friday 29 Mar.
    assert clocks["panel_report_due"] == date(2024, 3, 26)


def test_old_records_keep_their_2015_labels_when_the_default_changes(store):
    review = store.insert("reviews", {"title": "Ref053", "review_type": "SCR", "framework": "wt2015",
                                      "initiated_date": "2017-02-05"})
    store.set_setting("default_framework", "wt2018")
    (row,) = queries.review_rows(store, date(2017, 6, 30), review_id=review)
    assert row["type_label"] == "Serious Case Review" and "2015" in row["framework_name"]
    assert row["target_date"] == "2017-08-05"


def test_funnel_counts(store, incident):
    review = statutory.start_rapid_review(store, incident["referral"], date(2023, 12, 27), incident["agencies"])
    statutory.record_submission(store, review, date(2024, 1, 18))
    store.update("reviews", review, {"panel_response_date": "2024-02-20", "panel_agreed": 1})
    statutory.decide_after_rapid_review(store, review, "LCSPR", date(2024, 1, 25))
    late = store.insert("referrals", {"ref": "Ref103", "la_aware_date": "2024-02-01"})
    other = statutory.start_rapid_review(store, late, date(2024, 2, 12))
    statutory.record_submission(store, other, date(2024, 3, 20))
    funnel = statutory.funnel(store, 2023)
    assert funnel["notifications"] == {"total": 2, "on_time": 1, "withdrawn": 0, "by_harm": {}}
    assert funnel["rapid_reviews"]["total"] == 2 and funnel["rapid_reviews"]["on_time"] == 1
    assert funnel["rapid_reviews"]["on_time_rate"] == 0.5
    assert funnel["decisions"]["LCSPR"] == 1 and funnel["lcsprs"]["initiated"] == 1
    assert funnel["panel"] == {"responses": 1, "agreed": 1, "agreement_rate": 1.0}


def test_dashboard_shows_the_rapid_review_clock(store, incident):
    review = statutory.start_rapid_review(store, incident["referral"], date(2023, 12, 27), incident["agencies"])
    board = queries.dashboard(store, date(2024, 1, 15))
    titles = [i["title"] for i in board["deadlines"]]
    # The clock runs on the notified case (15 working days from 27 Dec 2023), the workspace adds
    # its overdue agency returns.
    assert "Ref101 – Rapid review submission" in titles
    assert any("Agency returns overdue: Northshire Hospital, Northshire Police" in t for t in titles)
    item = next(i for i in board["deadlines"] if i["title"].endswith("Rapid review submission"))
    assert (item["kind"], item["id"]) == ("referral", incident["referral"])
    assert item["due"] == "2024-01-18" and item["rag"].colour == "amber"
    returns = next(i for i in board["deadlines"] if "Agency returns" in i["title"])
    assert returns["id"] == review


def test_funnel_from_a_tracker_kept_on_the_case_with_a_withdrawal(store):
    # Kept as an office keeps its tracker: the rapid review's dates and outcome on the case.
    considered = store.insert("referrals", {"ref": "Ref201", "received_date": "2024-05-01"})
    statutory.record_notification_decision(store, considered, date(2024, 5, 2), False, "Not serious harm")
    one = store.insert("referrals", {"ref": "Ref202", "la_aware_date": "2024-06-03"})
    statutory.record_notification_decision(store, one, date(2024, 6, 4), True, notified=date(2024, 6, 5))
    statutory.update_referral_process(store, one, {"rr_submitted_date": "2024-06-26", "rr_outcome": "LCSPR",
                                                   "panel_response_date": "2024-07-20", "panel_agreed": 1,
                                                   "harm_type": "physical_abuse", "child_sex": "female",
                                                   "child_age_band": "under_1"})
    two = store.insert("referrals", {"ref": "Ref203", "la_aware_date": "2024-09-02"})
    statutory.record_notification_decision(store, two, date(2024, 9, 3), True, notified=date(2024, 9, 4))
    statutory.withdraw_notification(store, two, date(2024, 9, 10), "Accidental injury: criteria not met")
    funnel = statutory.funnel(store, 2024)
    assert funnel["considered"] == 3
    assert funnel["notifications"] == {"total": 2, "on_time": 2, "withdrawn": 1, "by_harm": {"physical_abuse": 1}}
    # 5 Jun 2024 + 15 working days = 26 Jun: on time; the withdrawn case is not a missing rapid review.
    assert funnel["rapid_reviews"] == {"total": 1, "submitted": 1, "on_time": 1, "on_time_rate": 1.0,
                                       "by_sex": {"female": 1}, "by_age_band": {"under_1": 1}}
    assert funnel["decisions"]["LCSPR"] == 1
    assert funnel["panel"] == {"responses": 1, "agreed": 1, "agreement_rate": 1.0}
    assert not [c for c in queries.dashboard(store, date(2024, 9, 30))["deadlines"] if "Ref203" in c["title"]]


def test_no_rapid_review_before_the_partnerships_switch(store, incident):
    # Default switch 29 Sep 2019: a case notified on 2 Sep 2019 was still the LSCB's, under 2015 rules.
    late = store.insert("referrals", {"ref": "Ref104", "la_aware_date": "2019-08-28"})
    with pytest.raises(ScrdeskError, match="rapid reviews began with Working Together 2018"):
        statutory.start_rapid_review(store, late, date(2019, 9, 2))
    store.set_settings({"arrangements_2018_date": "2019-04-01"})
    assert statutory.start_rapid_review(store, late, date(2019, 9, 2))
