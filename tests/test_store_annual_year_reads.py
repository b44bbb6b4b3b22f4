"""The annual report reads only the year it reports (and what can fall in it), yet counts exactly
what the whole-file definitions count: the late-decision clock (`clocks.all_clocks`) and the
recommendations closed (`impact.closure_summary`)."""

from __future__ import annotations

from datetime import date

import pytest

from scrdesk.domain.dates import reporting_period
from scrdesk.store import clocks, impact
from scrdesk.store.annual import _clocks_due, annual_report
from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo
from scrdesk.store.learning_annual import closed_in_year


@pytest.fixture(scope="module")
def sample(open_small_sample):
    with open_small_sample(seed=11) as store:
        yield store


@pytest.fixture
def demo(tmp_path):
    opened = Store.open(write_demo(tmp_path / "demo.db"), user="tester")
    yield opened
    opened.close()


def _years(store) -> list[tuple[int, date, date]]:
    settings = store.settings()
    return [(year, *reporting_period(year, settings.year_start_month, settings.year_start_day))
            for year in range(2005, 2028)]


def _whole_file_decision_clocks(store, start: date, end: date) -> list:
    return [c for c in clocks.all_clocks(store, end) if c.clock == "DECISION" and start <= c.due <= end]


@pytest.mark.parametrize("which", ["sample", "demo"])
def test_the_years_decision_clocks_are_those_of_the_whole_file(which, request):
    store = request.getfixturevalue(which)
    seen = 0
    for _year, start, end in _years(store):
        expected = _whole_file_decision_clocks(store, start, end)
        found = _clocks_due(store, "DECISION", start, end)
        assert sorted((c.ref, c.due, c.done) for c in found) == sorted((c.ref, c.due, c.done) for c in expected)
        seen += len(expected)
    assert seen > 10  # the files hold Working Together 2015 decisions to compare


def test_a_decision_made_years_late_is_still_counted_in_the_year_it_fell_due(demo):
    # Received (and so due) in 2016-17, decided only in 2018, still under the 2015 rules: due in
    # 2016-17, made late; a year read from the decisions made in it would miss it.
    demo.db.execute("UPDATE referrals SET decision_date = '2018-05-01' WHERE ref = 'Ref050'")
    late = annual_report(demo, 2016)["late_decisions"]
    assert "Ref050" in late["late_refs"]
    assert late["due"] == len(_whole_file_decision_clocks(demo, date(2016, 4, 1), date(2017, 3, 31)))


def _close_some(store) -> None:
    recs = [row["id"] for row in store.rows("SELECT id FROM recommendations ORDER BY id LIMIT 3")]
    impact.save_impact(store, recs[0], {"assurance_methods": ["audit"], "impact_statement": "Audit shows it.",
                                        "closure_basis": "impact", "closed_date": "2017-06-15",
                                        "closed_by": "SCR Sub Group"})
    impact.save_impact(store, recs[1], {"closure_basis": "actions", "closed_date": "2018-05-02",
                                        "closed_by": "SCR Sub Group"})


def test_the_years_closed_recommendations_are_those_of_the_whole_file(demo):
    _close_some(demo)
    counted = 0
    for _year, start, end in _years(demo):
        s, e = start.isoformat(), end.isoformat()
        assert closed_in_year(demo, s, e) == impact.closure_summary(demo, s, e), (s, e)
        counted += closed_in_year(demo, s, e)["closed"]
    assert counted > 2


def test_a_recommendation_closes_on_its_actions_in_the_year_its_last_action_closed(sample):
    # Every recommendation whose actions are all closed counts once, in the year of the last one.
    closed = [c for c in impact.closures(sample).values() if c["state"] == impact.ON_ACTIONS and c["closed_date"]]
    by_year = sum(closed_in_year(sample, start.isoformat(), end.isoformat())["closed_on_actions_only"]
                  for _year, start, end in _years(sample))
    assert by_year == sum(1 for c in closed if "2005-04-01" <= c["closed_date"] <= "2028-03-31") > 0
