"""The annual report's figures: which year a referral counts in, outcome zeros, the plan as it stood
at the year's end, feedback rates, timeliness, and no identifying detail in any list."""

from __future__ import annotations

import json
import re

import pytest

from scrdesk.store.annual import annual_report
from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    path = write_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    with Store.open(path, readonly=True) as store:
        yield annual_report(store, 2016), store.rows("SELECT value FROM restricted_identifiers"), \
            [r["pseudonym"] for r in store.rows("SELECT pseudonym FROM referrals WHERE pseudonym IS NOT NULL")]


def test_demo_2016_17_outcomes_match_the_reference_report(demo_report):
    report, _, _ = demo_report
    assert report["year"] == 2016 and report["label"] == "2016-17"
    assert report["period"] == {"start": "2016-04-01", "end": "2017-03-31"}
    referrals = report["referrals"]
    assert referrals["total"] == 10
    assert referrals["by_outcome"] == {"NFA": 0, "SINGLE_AGENCY": 2, "CASE_MAPPING": 5, "THEMATIC": 1, "SCR": 2}
    assert [o["label"] for o in referrals["outcomes"]] == [
        "No further action required", "Single Agency Review", "Case Mapping Exercise",
        "Thematic Learning Review", "Serious Case Review"]
    assert [r["ref"] for r in referrals["list"]] == [f"Ref0{n}" for n in range(48, 58)]


def test_demo_rows_are_printed_as_the_report_prints_them(demo_report):
    report, _, _ = demo_report
    rows = {r["ref"]: r for r in report["referrals"]["list"]}
    assert {k: rows["Ref053"][k] for k in ("summary", "location", "gender", "age", "status")} == {
        "summary": "Extreme neglect and cruelty", "location": "Northampton", "gender": "Male",
        "age": "12 yrs", "status": "5th February 2017 – SCR agreed and initiated"}
    assert (rows["Ref054"]["gender"], rows["Ref054"]["age"]) == ("Male and female", "Various")
    reviews = report["reviews"]
    continuing = {r["ref"]: r for r in reviews["continuing"]}
    assert set(continuing) == {"Ref021", "Ref023", "Ref035", "Ref044", "Ref047"}
    assert continuing["Ref044"]["age"] == "1 yr 11 mths"
    assert continuing["Ref021"]["age"] == "6 wks"
    assert [r["ref"] for r in reviews["case_mapping"]["agreed"]] == ["Ref050", "Ref051", "Ref054", "Ref055", "Ref056"]
    assert [r["ref"] for r in reviews["case_mapping"]["continuing"]] == ["Ref044", "Ref047"]
    # Ref035's publication date is kept as the report gives it (20 October 2017), so it is not
    # counted as a 2016-17 publication.
    assert [r["ref"] for r in reviews["published"]] == ["Ref021", "Ref023"]


def test_demo_timeliness_events_and_briefings(demo_report):
    report, _, _ = demo_report
    timeliness = report["reviews"]["timeliness"]
    assert timeliness["completed"] == 6
    # Statutory timescales (the SCRs' six months) and the partnership's own targets (case mapping,
    # single agency) are two lines, never one rate.
    statutory, local = timeliness["statutory"], timeliness["local"]
    assert statutory["target_months"] == 6
    assert (statutory["completed"], statutory["on_time"], statutory["late"]) == (3, 0, 3)
    assert [r["ref"] for r in statutory["rows"]] == ["Ref021", "Ref023", "Ref035"]
    assert (local["completed"], local["on_time"], local["late"]) == (3, 2, 1)
    assert all("not Working Together" in r["target_basis"] for r in local["rows"])
    assert all("Working Together 2015" in r["target_basis"] for r in statutory["rows"])
    late = {r["ref"]: r for r in statutory["rows"] if not r["on_time"]}
    assert any("sentencing" in d for d in late["Ref021"]["delays"])
    events = report["events"]
    assert len([e for e in events["training"] if e["facilitator"] == "Barnardo's"]) == 4
    assert sum(e["attendance"] for e in events["training"] if e["date"].startswith("2017-02")) == 80
    assert events["wider_debrief_average_attendance"] == 70
    briefings = report["briefings"]
    assert briefings["issued"] == 3
    assert briefings["feedback_rate"] == round(briefings["feedback_received"] / briefings["disseminations"], 3)


def test_no_list_holds_a_restricted_identifier_or_pseudonym(demo_report):
    report, restricted, pseudonyms = demo_report
    text = json.dumps(report, ensure_ascii=False)
    assert restricted and pseudonyms
    for row in restricted:
        assert row["value"] not in text
    for pseudonym in pseudonyms:
        assert not re.search(rf"\b{re.escape(pseudonym)}\b", text), pseudonym


def add_referral(store, ref, **values):
    return store.insert("referrals", {"ref": ref, **values})


def test_year_is_the_decision_date_then_meeting_then_received(store):
    add_referral(store, "Ref001", received_date="2016-03-01", meeting_date="2016-03-20", decision_date="2016-04-01", decision="SCR")
    add_referral(store, "Ref002", received_date="2016-03-01", meeting_date="2016-04-01", decision="NFA")
    add_referral(store, "Ref003", received_date="2017-03-31")
    add_referral(store, "Ref004", received_date="2016-05-01", decision_date="2017-04-01", decision="CASE_MAPPING")
    add_referral(store, "Ref005", received_date="2016-03-31")
    report = annual_report(store, 2016)["referrals"]
    assert [r["ref"] for r in report["list"]] == ["Ref001", "Ref002", "Ref003"]
    assert report["total"] == 3 and report["undecided"] == 1
    assert report["by_outcome"]["SCR"] == 1 and report["by_outcome"]["NFA"] == 1
    assert annual_report(store, 2017)["referrals"]["by_outcome"]["CASE_MAPPING"] == 1


def test_every_code_of_the_years_framework_shows_even_at_zero(store):
    report = annual_report(store, 2016)["referrals"]
    assert report["by_outcome"] == {"NFA": 0, "SINGLE_AGENCY": 0, "CASE_MAPPING": 0, "THEMATIC": 0, "SCR": 0}
    assert report["by_source"] == {"agency_referral": 0, "sin": 0, "other": 0}
    # The partnership's own switch (29 Sep 2019 unless set) decides: 2018-19 is wholly under 2015,
    # 2019-20 spans the switch and shows both lists.
    assert "LCSPR" not in annual_report(store, 2018)["referrals"]["by_outcome"]
    straddling = annual_report(store, 2019)["referrals"]["by_outcome"]
    assert {"SCR", "THEMATIC", "RAPID_REVIEW", "LCSPR"} <= set(straddling)
    store.set_settings({"arrangements_2018_date": "2018-06-29"})
    assert "LCSPR" in annual_report(store, 2018)["referrals"]["by_outcome"]
    current = annual_report(store, 2023)["referrals"]["by_outcome"]
    assert "LCSPR" in current and "SCR" not in current


def test_a_code_outside_the_years_framework_is_still_counted(store):
    add_referral(store, "Ref001", decision_date="2016-06-01", decision="LCSPR")
    report = annual_report(store, 2016)["referrals"]
    assert report["by_outcome"]["LCSPR"] == 1 and report["total"] == 1
    assert report["list"][0]["decision_label"] == "Local Child Safeguarding Practice Review"


def test_the_reporting_year_follows_the_setting(store):
    store.set_settings({"year_start_month": 1, "year_start_day": 1})
    add_referral(store, "Ref001", decision_date="2016-12-31", decision="NFA")
    report = annual_report(store, 2016)
    assert report["period"] == {"start": "2016-01-01", "end": "2016-12-31"}
    assert report["label"] == "2016" and report["referrals"]["total"] == 1


def review_with_actions(store):
    review = store.insert("reviews", {"title": "Ref001 review", "review_type": "SCR", "agreed_date": "2015-01-01",
                                      "initiated_date": "2015-02-01", "completed_date": "2016-06-01"})
    agency = store.insert("agencies", {"name": "Police"})
    done_late = store.insert("actions", {"review_id": review, "agency_id": agency, "text": "A", "agreed_date": "2016-06-01",
                                         "target_date": "2016-12-31", "status": "signed_off", "signoff_date": "2017-05-01"})
    store.insert("action_updates", {"action_id": done_late, "date": "2017-05-01", "note": "done",
                                    "status_from": "on_track", "status_to": "signed_off"})
    store.insert("actions", {"review_id": review, "agency_id": agency, "text": "B", "agreed_date": "2016-06-01",
                             "target_date": "2017-06-30", "status": "on_track"})
    store.insert("actions", {"review_id": review, "text": "C", "agreed_date": "2017-05-01",
                             "target_date": "2017-05-02", "status": "not_started"})
    return review


def test_actions_are_counted_as_they_stood_at_the_years_end(store):
    review_with_actions(store)
    store.set_settings({"as_at_date": "2017-06-30"})
    year_end = annual_report(store, 2016)["actions"]
    # At 31 March 2017, A was still "on track" (signed off in May) and past its target; C had
    # not been agreed.
    assert year_end["as_at"] == "2017-03-31"
    assert (year_end["total"], year_end["complete"], year_end["open"], year_end["overdue"]) == (2, 0, 2, 1)
    assert year_end["by_agency"] == [{"agency": "Police", "short_name": "Police", "total": 2,
                                      "complete": 0, "open": 2, "overdue": 1}]
    now = annual_report(store, 2017)["actions"]
    assert now["as_at"] == "2017-06-30"
    assert (now["total"], now["complete"], now["overdue"]) == (3, 1, 1)
    assert now["by_agency"][-1]["agency"] == "No agency set"


def test_timeliness_against_six_months(store):
    review_with_actions(store)
    timeliness = annual_report(store, 2016)["reviews"]["timeliness"]
    assert timeliness["rows"] == timeliness["statutory"]["rows"] == [{
        "ref": "Ref001 review", "type_label": "Serious Case Review", "summary": "Ref001 review",
        "initiated_date": "2015-02-01", "target_date": "2015-08-01",
        "target_basis": "SCR completed (Working Together 2015)", "completed_date": "2016-06-01",
        "on_time": False, "days_late": 305, "delays": []}]
    assert timeliness["local"]["rows"] == []


def test_feedback_rate(store):
    review = store.insert("reviews", {"title": "R", "review_type": "SCR", "agreed_date": "2016-01-01"})
    briefing = store.insert("briefings", {"review_id": review, "issued_date": "2016-05-01", "status": "issued"})
    for n in range(4):
        agency = store.insert("agencies", {"name": f"Agency {n}"})
        store.insert("disseminations", {"briefing_id": briefing, "agency_id": agency, "sent_date": "2016-05-02",
                                        "feedback_received_date": "2016-05-20" if n else None, "staff_reached": 10})
    briefings = annual_report(store, 2016)["briefings"]
    assert (briefings["issued"], briefings["disseminations"], briefings["feedback_received"]) == (1, 4, 3)
    assert briefings["feedback_rate"] == 0.75 and briefings["staff_reached"] == 40
    assert annual_report(store, 2015)["briefings"]["feedback_rate"] == 0.0
