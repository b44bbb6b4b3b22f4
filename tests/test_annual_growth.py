"""The annual report reads the year without reading the file's whole history, yet gives the figures
the whole-file definitions give: the plan as it stood at a day (each action's status then read
back from its update log) and the costs section (`reviewers.cost_summary`)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scrdesk.domain import values
from scrdesk.store import reviewers
from scrdesk.store.annual import _actions
from scrdesk.store.db import Store
from scrdesk.store.governance_reports import costs_section

_COMPLETE = "(" + ", ".join(f"'{s}'" for s in sorted(values.COMPLETE_ACTION_STATUSES)) + ")"

# The plan at a day as the whole file defines it: every action agreed by the day (or with no
# agreed date), its status then being the status it changed from at its first recorded change
# after the day, else its present status.
_WHOLE_FILE_PLAN = (
    "WITH x AS MATERIALIZED (SELECT a.agency_id, COALESCE((SELECT u.status_from FROM action_updates u "
    " WHERE u.action_id = a.id AND u.status_to IS NOT NULL AND u.status_from IS NOT NULL AND u.date > :d "
    f" ORDER BY u.date, u.id LIMIT 1), a.status) IN {_COMPLETE} AS done, "
    " COALESCE(a.revised_target_date, a.target_date) < :d AS past "
    " FROM actions a WHERE a.agreed_date IS NULL OR a.agreed_date <= :d) "
    "SELECT ag.name AS agency, count(*) AS total, sum(x.done) AS complete, sum(NOT x.done AND x.past) AS overdue "
    "FROM x LEFT JOIN agencies ag ON ag.id = x.agency_id GROUP BY x.agency_id ORDER BY ag.name IS NULL, ag.name")


def _whole_file(store: Store, day: date) -> list[tuple]:
    return [(r["agency"] or "No agency set", r["total"], r["complete"] or 0, r["overdue"] or 0)
            for r in store.rows(_WHOLE_FILE_PLAN, {"d": day.isoformat()})]


def _read(store: Store, day: date) -> list[tuple]:
    plan = _actions(store, day)
    rows = [(r["agency"], r["total"], r["complete"], r["overdue"]) for r in plan["by_agency"]]
    assert all(r["open"] == r["total"] - r["complete"] for r in plan["by_agency"])
    assert (plan["total"], plan["complete"], plan["overdue"]) == tuple(sum(r[i] for r in rows) for i in (1, 2, 3))
    return rows


@pytest.fixture(scope="module")
def sample(open_small_sample):
    with open_small_sample(seed=5) as store:
        yield store


def test_the_plan_at_every_quarter_end_is_the_whole_file_plan(sample):
    days = [date(year, month, 1) - timedelta(days=1) for year in range(2006, 2028) for month in (1, 4, 7, 10)]
    changed = 0
    for day in days:
        expected = _whole_file(sample, day)
        assert _read(sample, day) == expected, day
        now = [(r["agency"] or "No agency set", r["total"], r["complete"], r["overdue"]) for r in sample.rows(
            "SELECT ag.name AS agency, count(*) AS total, sum(a.status IN " + _COMPLETE + ") AS complete, "
            "sum(a.status NOT IN " + _COMPLETE + " AND COALESCE(a.revised_target_date, a.target_date) < ?) AS overdue "
            "FROM actions a LEFT JOIN agencies ag ON ag.id = a.agency_id WHERE a.agreed_date IS NULL OR a.agreed_date <= ? "
            "GROUP BY a.agency_id ORDER BY ag.name IS NULL, ag.name", [day.isoformat()] * 2)]
        changed += now != expected
    # The sample's actions change status after many of these days: the log is what is tested.
    assert changed > 10


DAY = "2017-03-31"


@pytest.fixture
def plan(store):
    police = store.insert("agencies", {"name": "Police"})
    health = store.insert("agencies", {"name": "Health", "short_name": "NHS"})
    review = store.insert("reviews", {"title": "R", "review_type": "SCR", "agreed_date": "2015-01-01"})

    def action(agency, status, agreed="2016-06-01", target="2016-12-31", **more):
        return store.insert("actions", {"review_id": review, "agency_id": agency, "text": "x", "status": status,
                                        "agreed_date": agreed, "target_date": target, **more})

    def change(action_id, day, before, after):
        store.insert("action_updates", {"action_id": action_id, "date": day, "note": "n",
                                        "status_from": before, "status_to": after})
    return store, police, health, action, change


def _one(store, agency="Police") -> dict:
    return next(r for r in _actions(store, date.fromisoformat(DAY))["by_agency"] if r["agency"] == agency)


def test_an_action_reopened_after_the_year_end_counts_complete_at_it(plan):
    store, police, _health, action, change = plan
    reopened = action(police, "on_track")
    change(reopened, "2016-09-01", "on_track", "complete_evidenced")
    change(reopened, "2017-05-01", "complete_evidenced", "on_track")
    assert _one(store) == {"agency": "Police", "short_name": "Police", "total": 1, "complete": 1, "open": 0,
                           "overdue": 0}
    assert _read(store, date.fromisoformat(DAY)) == _whole_file(store, date.fromisoformat(DAY))


def test_an_action_completed_after_the_year_end_counts_open_and_overdue_at_it(plan):
    store, police, _health, action, change = plan
    done = action(police, "signed_off", signoff_date="2017-06-01")
    change(done, "2017-06-01", "slipping", "signed_off")
    assert (_one(store)["open"], _one(store)["overdue"]) == (1, 1)
    assert _read(store, date.fromisoformat(DAY)) == _whole_file(store, date.fromisoformat(DAY))


def test_a_change_on_the_years_last_day_stands_at_it(plan):
    store, police, _health, action, change = plan
    on_the_day = action(police, "complete_awaiting_evidence")
    change(on_the_day, DAY, "on_track", "complete_awaiting_evidence")
    assert _one(store)["complete"] == 1
    assert _read(store, date.fromisoformat(DAY)) == _whole_file(store, date.fromisoformat(DAY))


def test_the_first_change_after_the_day_is_the_first_entered_on_its_date(plan):
    store, police, _health, action, change = plan
    twice = action(police, "signed_off")
    change(twice, "2017-04-10", "slipping", "complete_evidenced")  # entered first: slipping at the year end
    change(twice, "2017-04-10", "complete_evidenced", "signed_off")
    store.insert("action_updates", {"action_id": twice, "date": "2017-04-01", "note": "a note, no change"})
    assert (_one(store)["open"], _one(store)["overdue"]) == (1, 1)
    assert _read(store, date.fromisoformat(DAY)) == _whole_file(store, date.fromisoformat(DAY))


def test_actions_agreed_after_the_day_are_out_and_undated_ones_in(plan):
    store, police, health, action, change = plan
    action(police, "not_started", agreed="2017-04-02", target="2017-01-01")  # open, "overdue", not yet agreed
    later = action(police, "signed_off", agreed="2017-04-02")
    change(later, "2017-05-01", "on_track", "signed_off")
    action(police, "on_track", agreed=None, target=None)  # no agreed date, no target: open, not overdue
    action(health, "slipping", agreed=None, target="2016-01-01", revised_target_date="2017-06-30")
    action(None, "not_started")
    day = date.fromisoformat(DAY)
    assert _read(store, day) == _whole_file(store, day) == [
        ("Health", 1, 0, 0), ("Police", 1, 0, 0), ("No agency set", 1, 0, 1)]
    assert _actions(store, day)["by_agency"][0]["short_name"] == "NHS"


def test_an_agency_whose_actions_were_all_agreed_later_is_not_listed(plan):
    store, police, health, action, _change = plan
    action(police, "on_track")
    action(health, "on_track", agreed="2018-01-01")
    assert [r["agency"] for r in _actions(store, date.fromisoformat(DAY))["by_agency"]] == ["Police"]


def test_the_costs_section_is_the_cost_summary_of_the_year(store):
    first = store.insert("reviews", {"title": "Two cases", "review_type": "SCR", "agreed_date": "2016-01-01"})
    second = store.insert("reviews", {"title": "No case", "review_type": "CASE_MAPPING", "agreed_date": "2016-02-01"})
    other = store.insert("reviews", {"title": "Other year", "review_type": "SCR", "agreed_date": "2014-02-01"})
    for ref, review in (("Ref002", first), ("Ref001", first), ("Ref003", other)):
        referral = store.insert("referrals", {"ref": ref})
        store.insert("review_referrals", {"review_id": review, "referral_id": referral})
    for review, day, amount in ((first, "2016-05-01", 100.5), (first, "2017-01-01", 20), (second, "2016-07-01", 30),
                                (other, "2015-01-01", 7)):
        store.insert("review_costs", {"review_id": review, "kind": "other", "date": day, "amount": amount})
    section = costs_section(store, 2016)
    assert section == reviewers.cost_summary(store, date(2016, 4, 1), date(2017, 3, 31))
    assert section["by_review"] == {"Ref001, Ref002": 120.5, f"Review {second}": 30.0}
    assert costs_section(store, 2014) == reviewers.cost_summary(store, date(2014, 4, 1), date(2015, 3, 31))
