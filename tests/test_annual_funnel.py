"""The annual report in its year's own terms (issue 11): no rapid review section for a year wholly
under Working Together 2015, both for a year spanning the partnership's switch, the outcome table
counting decisions (with the recommendation beside a decision that differs), "underway at year
end" counting only reviews initiated by then, statutory and local timeliness kept apart, late 2015
decisions reported, and the funnel — the same in JSON, PDF (with a chart) and Excel."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from test_documents_builders import head
from test_documents_text import pdf_text

from scrdesk.documents.annual import build_annual, funnel_chart
from scrdesk.documents.xlsx import annual_xlsx
from scrdesk.store import referrals, reviews, statutory
from scrdesk.store.annual import annual_report, frameworks_in_year
from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo
from scrdesk.store.demo_current import LAST_FULL_YEAR, write_current_demo

FUNNEL_SHAPE = {
    "considered": int,
    "notifications": {"total", "on_time", "withdrawn", "by_harm"},
    "rapid_reviews": {"total", "submitted", "on_time", "by_sex", "by_age_band"},
    "decisions": dict,
    "lcsprs": {"initiated", "completed", "published"},
    "panel": {"responses", "agreed", "agreement_rate"},
}


def flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    path = write_demo(tmp_path_factory.mktemp("seed") / "demo.db")
    with Store.open(path, readonly=True) as store:
        yield annual_report(store, 2016)


@pytest.fixture(scope="module")
def current(tmp_path_factory):
    path = write_current_demo(tmp_path_factory.mktemp("current") / "current.db")
    with Store.open(path, readonly=True) as store:
        yield annual_report(store, LAST_FULL_YEAR)


def test_the_seed_year_reads_in_2015_terms(seed):
    assert [f["code"] for f in seed["frameworks"]] == ["wt2015"]
    assert "funnel" not in seed
    assert seed["referrals"]["by_outcome"] == {"NFA": 0, "SINGLE_AGENCY": 2, "CASE_MAPPING": 5, "THEMATIC": 1, "SCR": 2}
    text = flat(build_annual(seed, head(title="Annual report tables 2016-17")).pdf)
    for words in ("rapid review", "Rapid review", "LCSPR", "national panel responses", "Notifications, rapid"):
        assert words not in text, words
    assert "Recommendations as follows" not in text
    assert "The decisions made were as follows:" in text
    book = load_workbook(io.BytesIO(annual_xlsx(seed, head()).data))
    assert "Statutory funnel" not in book.sheetnames and "Characteristics" not in book.sheetnames


def test_the_outcome_table_counts_decisions_with_the_recommendation_beside(seed):
    assert seed["referrals"]["counts"] == "decisions"
    assert seed["referrals"]["recommendation_differs"] == [
        {"ref": "Ref056", "recommendation": "Serious Case Review", "decision": "Case Mapping Exercise"}]
    text = flat(build_annual(seed, head()).pdf)
    assert "Decision Number" in text
    assert "Ref056 – recommended Serious Case Review, decided Case Mapping Exercise" in text
    assert "Case Mapping Exercise (recommended: Serious Case Review)" in text
    rows = list(load_workbook(io.BytesIO(annual_xlsx(seed, head()).data))["Referrals"].iter_rows(values_only=True))
    ref056 = next(r for r in rows if r[0] == "Ref056")
    assert ref056[5:] == ("Case Mapping Exercise", "19 Jan 2017", "Serious Case Review")


def test_late_2015_decisions_are_reported(seed):
    assert seed["late_decisions"]["late_refs"] == ["Ref053"]
    assert seed["late_decisions"]["late"] == 1
    assert "made late 1 (Ref053)" in flat(build_annual(seed, head()).pdf)


def test_timeliness_never_mixes_statutory_and_local_targets(seed):
    t = seed["reviews"]["timeliness"]
    assert {r["type_label"] for r in t["statutory"]["rows"]} == {"Serious Case Review"}
    assert {r["type_label"] for r in t["local"]["rows"]} <= {"Case Mapping Exercise", "Single Agency Review"}
    assert t["statutory"]["measured"] + t["local"]["measured"] == t["completed"] == 6
    text = flat(build_annual(seed, head()).pdf)
    assert "Statutory reviews (Working Together timescales) 3 completed; 0 of the 3" in text
    assert "Other reviews (the partnership's own targets, not Working Together) 3 completed; 2 of the 3" in text
    book = load_workbook(io.BytesIO(annual_xlsx(seed, head()).data))
    assert {"Timeliness (statutory)", "Timeliness (local targets)"} <= set(book.sheetnames)


def test_the_current_years_funnel_has_the_issues_shape(current):
    funnel = json.loads(json.dumps(current))["funnel"]
    for key, shape in FUNNEL_SHAPE.items():
        if isinstance(shape, set):
            assert shape <= set(funnel[key]), key
        else:
            assert isinstance(funnel[key], shape), key
    assert funnel["considered"] == 5 and funnel["notifications"]["withdrawn"] == 1
    assert funnel["notifications"]["by_harm"] == {"physical_abuse": 2, "self_harm": 1}


def test_the_funnel_prints_the_same_in_pdf_and_excel_with_a_chart(current):
    built = build_annual(current, head(title="Annual report tables 2025-26"))
    text = flat(built.pdf)
    assert "9. Notifications, rapid reviews and LCSPRs" in text
    assert ("5 incidents considered for notification; 3 notifications (1 later withdrawn) led to 2 rapid reviews, "
            "100% of those submitted on time; 1 LCSPR initiated.") in text
    assert "Incidents considered for notification 5" in text
    assert "Notifications withdrawn (criteria not met) 1 no rapid review owed" in text
    assert "Notifications by type of harm Physical abuse 2" in text
    assert "Rapid reviews by age of the child Under 1 1" in text
    book = load_workbook(io.BytesIO(annual_xlsx(current, head()).data))
    stages = {r[0]: r[1] for r in book["Statutory funnel"].iter_rows(values_only=True)}
    assert (stages["Incidents considered for notification"], stages["Serious incident notifications"],
            stages["Rapid reviews started"], stages["LCSPRs initiated"]) == (5, 3, 2, 1)
    counted = list(book["Characteristics"].iter_rows(values_only=True))
    assert ("Rapid reviews by sex of the child", "Female", 1) in counted
    chart = funnel_chart(current["funnel"], 400)
    labels = [getattr(s, "text", None) for s in chart.contents]
    assert [x for x in labels if x] == \
        ["Incidents considered", "5", "Notified", "3", "Rapid reviews", "2", "LCSPRs initiated", "1"]


def test_a_year_with_nothing_to_chart_draws_no_chart(current):
    empty = json.loads(json.dumps(current["funnel"]))
    empty.update(considered=0)
    empty["notifications"]["total"] = empty["rapid_reviews"]["total"] = empty["lcsprs"]["initiated"] = 0
    assert funnel_chart(empty, 400) is None


def test_a_year_spanning_the_switch_shows_both(store):
    # The partnership's own switch: 29 Sep 2019 (the default). 2019-20 spans it.
    assert [f["code"] for f in frameworks_in_year(store.settings(), date(2019, 4, 1), date(2020, 3, 31))] == \
        ["wt2015", "wt2018"]
    spans = frameworks_in_year(store.settings(), date(2019, 4, 1), date(2020, 3, 31))
    assert (spans[0]["to"], spans[1]["from"]) == ("2019-09-28", "2019-09-29")
    scr = referrals.create_referral(store, {"ref": "Ref001", "received_date": "2019-05-01", "source": "sin",
                                            "la_aware_date": "2019-05-01", "sin_submitted_date": "2019-05-03"})
    referrals.update_referral(store, scr, {"decision": "SCR", "decision_date": "2019-05-30"})
    notified = referrals.create_referral(store, {"ref": "Ref002", "received_date": "2019-11-04", "source": "sin",
                                                 "la_aware_date": "2019-11-04"})
    statutory.record_notification_decision(store, notified, date(2019, 11, 5), True, "Serious harm",
                                           notified=date(2019, 11, 6))
    statutory.record_rapid_review(store, notified, rr_submitted_date="2019-11-22", rr_outcome="LCSPR")
    referrals.update_referral(store, notified, {"decision": "LCSPR", "decision_date": "2019-12-02"})
    report = annual_report(store, 2019)
    assert {"SCR", "THEMATIC", "LCSPR", "RAPID_REVIEW"} <= set(report["referrals"]["by_outcome"])
    assert report["referrals"]["by_outcome"]["SCR"] == report["referrals"]["by_outcome"]["LCSPR"] == 1
    assert "funnel" in report and "late_decisions" in report
    assert report["funnel"]["rapid_reviews"]["on_time"] == 1
    assert report["framework"]["name"] == "Working Together 2015, then Working Together 2018/2023 from 29 Sep 2019"
    text = flat(build_annual(report, head()).pdf)
    assert "9. Notifications, rapid reviews and LCSPRs" in text and "Serious Case Review 1" in text
    # The year before is wholly 2015 locally, though Working Together 2018 began nationally in it.
    assert "funnel" not in annual_report(store, 2018)


def test_underway_at_year_end_counts_only_reviews_initiated_by_then(store):
    reviews.create_review(store, {"title": "Late start", "review_type": "SCR", "framework": "wt2015",
                                  "agreed_date": "2017-03-01", "initiated_date": "2017-04-20"})
    reviews.create_review(store, {"title": "Running", "review_type": "SCR", "framework": "wt2015",
                                  "agreed_date": "2016-09-01", "initiated_date": "2016-10-01"})
    report = annual_report(store, 2016)["reviews"]
    assert [r["title"] for r in report["underway"]] == ["Running"]
    assert [r["title"] for r in report["agreed"]] == ["Running", "Late start"]
    # Its status is what it was at the year's end: agreed, not "underway since" a later date.
    assert next(r for r in report["agreed"] if r["title"] == "Late start")["status"] == "Agreed 1 Mar 2017"


def test_other_sections_are_printed_where_the_report_has_them(current):
    report = json.loads(json.dumps(current))
    report["governance"] = {"meetings_held": 8, "meetings_quorate": 7, "attendance_by_agency": {"Fernhallow Police": 0.75},
                            "health_checks": ["2025-10-01"], "terms_of_reference_reviewed": ["2025-06-01"],
                            "escalations": 2}
    report["costs"] = {"budget": 40000, "spent": 31250.5, "by_review": {"Ref004": 12000},
                       "by_type": {"LCSPR": {"reviews": 2, "spent": 24000, "per_review": 12000}}}
    text = flat(build_annual(report, head()).pdf)
    assert "10. The sub group's own business" in text and "Attendance: Fernhallow Police 75%" in text
    assert "11. The cost of reviews" in text and "£31,250.50" in text and "Review Ref004 £12,000.00" in text
    assert "Cost per review: Local Child Safeguarding Practice Review £12,000.00 (2 reviews)" in text
    assert "12. Learning that landed" in text
    book = load_workbook(io.BytesIO(annual_xlsx(report, head()).data))
    assert {"Sub group business", "Cost of reviews", "Learning"} <= set(book.sheetnames)
