"""The annual report's governance and costs sections: meetings held and quorate, attendance by
agency, the health checks and terms of reference reviews in the year, escalations; the budget,
spend per review and cost per review by type; each section empty, not wrong, on a file without
the sub group's records, and carried into the annual report's JSON."""

from __future__ import annotations

import json

from scrdesk.cli import main
from scrdesk.store.db import Store
from scrdesk.store.governance_reports import costs_section, governance_section


def _agencies(store: Store, *names: str) -> list[int]:
    with store.transaction():
        return [store.insert("agencies", {"name": n}) for n in names]


def _meeting(store: Store, on: str, attendance: dict[int, str], kind: str = "scr_subgroup") -> int:
    with store.transaction():
        meeting = store.insert("meetings", {"date": on, "kind": kind})
        for agency, status in attendance.items():
            store.insert("meeting_attendance", {"meeting_id": meeting, "agency_id": agency, "status": status})
    return meeting


def _review(store: Store, title: str, review_type: str, initiated: str) -> int:
    with store.transaction():
        return store.insert("reviews", {"title": title, "review_type": review_type, "initiated_date": initiated,
                                        "framework": "wt2015", "status": "underway"})


def test_governance_counts_the_years_meetings_attendance_checks_and_escalations(store):
    store.set_settings({"quorum_agencies": 2})
    police, health, council = _agencies(store, "Police", "Health", "Council")
    _meeting(store, "2016-04-21", {police: "present", health: "deputy", council: "apologies"})  # quorate
    _meeting(store, "2016-05-19", {police: "present", health: "absent", council: "apologies"})  # not quorate
    _meeting(store, "2016-06-16", {police: "deputy", health: "present", council: "present"})  # quorate
    _meeting(store, "2016-07-14", {police: "absent", health: "absent", council: "present"}, kind="qa_subgroup")
    _meeting(store, "2017-04-20", {police: "absent", health: "absent", council: "absent"})  # next year
    with store.transaction():
        for held in ("2016-09-15", "2017-03-16", "2017-09-14"):
            store.insert("health_checks", {"date": held})
        store.insert("terms_of_reference", {"version": "3", "approved_date": "2016-10-20"})
        store.insert("terms_of_reference", {"version": "2", "approved_date": "2015-10-15"})
        for raised in ("2016-05-01", "2017-01-12", "2017-04-02"):
            store.insert("escalations", {"raised_date": raised, "raised_by": "Project officer",
                                         "to_whom": "business_manager", "subject": "Late returns"})
    assert governance_section(store, 2016) == {
        "meetings_held": 3,
        "meetings_quorate": 2,
        "attendance_by_agency": {"Council": 0.33, "Health": 0.67, "Police": 1.0},
        "health_checks": ["2016-09-15", "2017-03-16"],
        "terms_of_reference_reviewed": ["2016-10-20"],
        "escalations": 2,
    }


def test_costs_give_budget_spend_per_review_and_per_type(store):
    police, council = _agencies(store, "Police", "Council")
    scr = _review(store, "SCR one", "SCR", "2016-05-01")
    scr2 = _review(store, "SCR two", "SCR", "2016-11-01")
    mapping = _review(store, "Mapping", "CASE_MAPPING", "2016-06-01")
    with store.transaction():
        budget = store.insert("budgets", {"year": 2016, "amount": 40000})
        store.insert("budget_contributions", {"budget_id": budget, "agency_id": police, "amount": 15000})
        store.insert("budget_contributions", {"budget_id": budget, "agency_id": council, "amount": 20000})
        reviewer = store.insert("reviewers", {"name": "M. Fictional"})
        store.insert("commissions", {"review_id": scr, "reviewer_id": reviewer, "role": "both",
                                     "agreed_date": "2016-05-10", "agreed_days": 20, "day_rate": 500, "fee": 10000})
        store.insert("commissions", {"review_id": scr2, "reviewer_id": reviewer, "role": "author",
                                     "agreed_date": "2015-12-10", "fee": 9000})  # agreed the year before
        store.insert("review_costs", {"review_id": scr, "kind": "author", "date": "2016-09-01", "amount": 5000})
        store.insert("review_costs", {"review_id": scr, "kind": "venue", "date": "2016-09-01", "amount": 450.5})
        store.insert("review_costs", {"review_id": scr2, "kind": "legal", "date": "2017-01-20", "amount": 1200})
        store.insert("review_costs", {"review_id": mapping, "kind": "other", "date": "2016-08-01", "amount": 300})
        store.insert("review_costs", {"review_id": scr, "kind": "author", "date": "2017-04-05", "amount": 999})
    assert costs_section(store, 2016) == {
        "budget": 40000.0,
        "contributed": 35000.0,
        "spent": 6950.5,
        "committed": 10000.0,
        "by_review": {f"Review {scr}": 5450.5, f"Review {scr2}": 1200.0, f"Review {mapping}": 300.0},
        "by_type": {"SCR": {"reviews": 2, "spent": 6650.5, "per_review": 3325.25},
                    "CASE_MAPPING": {"reviews": 1, "spent": 300.0, "per_review": 300.0}},
    }
    next_year = costs_section(store, 2017)
    assert (next_year["budget"], next_year["spent"], next_year["by_review"]) == (0.0, 999.0, {f"Review {scr}": 999.0})


def test_an_empty_year_is_zero_and_the_annual_json_carries_both_sections(demo_path, tmp_path):
    with Store.open(demo_path, user="tester") as store:
        empty = governance_section(store, 2030)
        assert empty == {"meetings_held": 0, "meetings_quorate": 0, "attendance_by_agency": {}, "health_checks": [],
                         "terms_of_reference_reviewed": [], "escalations": 0}
        assert costs_section(store, 2030) == {"budget": 0.0, "contributed": 0.0, "spent": 0.0, "committed": 0.0,
                                              "by_review": {}, "by_type": {}}
        expected = governance_section(store, 2016), costs_section(store, 2016)
    out = tmp_path / "annual.json"
    assert main(["--db", str(demo_path), "export", "annual", "--year", "2016", "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert (report["governance"], report["costs"]) == expected
    assert report["governance"]["meetings_held"] >= 12  # the demo's monthly meetings in 2016-17
