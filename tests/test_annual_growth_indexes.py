"""The annual report's queries are written so that each index wanted for it (a migration adds them)
is used as it stands: an expression or a condition that differs by a word from the index's would
leave SQLite reading the whole table, slower each year the file grows, with the same figures."""

from __future__ import annotations

import re

import pytest

from scrdesk.store import annual
from scrdesk.store.db import Store
from scrdesk.store.sample import write_sample

#: The indexes, by name, and the report's reads each serves.
WANTED = {
    # The plan at the year end: the actions agreed after it, summed from the index alone.
    "idx_actions_agreed": "actions(agreed_date, agency_id, status, revised_target_date, target_date)",
    # The plan at the year end: the actions whose status changed after it.
    "idx_action_updates_status_changes":
        "action_updates(date, action_id) WHERE status_from IS NOT NULL AND status_to IS NOT NULL",
    # Recommendations closed in the year on their actions alone (learning section).
    "idx_actions_closed_on": "actions(coalesce(signoff_date, substr(updated_at, 1, 10)), recommendation_id)",
    # The year's referrals (the year of a referral's decision, else meeting, else receipt).
    "idx_referrals_year": "referrals(COALESCE(decision_date, meeting_date, received_date))",
    # The funnel: incidents considered for notification in the year.
    "idx_referrals_considered": "referrals(notify_considered_date, sin_submitted_date)",
    # Disseminations sent in the year, by agency.
    "idx_disseminations_sent": "disseminations(sent_date)",
    # The reviews with something to report, and the funnel's LCSPRs.
    "idx_reviews_completed": "reviews(completed_date)",
    "idx_reviews_published": "reviews(published_date)",
    "idx_reviews_started": "reviews(coalesce(initiated_date, agreed_date))",
    # Briefings issued in the year.
    "idx_briefings_issued": "briefings(issued_date)",
}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    path = tmp_path_factory.mktemp("indexed") / "small.db"
    write_sample(path, "small", seed=3)
    with Store.open(path, user="tester") as store:
        for name, definition in WANTED.items():
            store.db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
        yield store


def _plans(store: Store, year: int) -> str:
    """Every query plan the annual report for `year` runs, as one text."""
    seen: list[tuple[str, object]] = []
    for name in ("rows", "row", "scalar"):
        original = getattr(store, name)

        def recording(sql, params=(), original=original):
            seen.append((sql, params))
            return original(sql, params)
        setattr(store, name, recording)
    try:
        annual.annual_report(store, year)
    finally:
        for name in ("rows", "row", "scalar"):
            delattr(store, name)
    return "\n".join(row["detail"] for sql, params in seen
                     for row in store.rows("EXPLAIN QUERY PLAN " + sql, params))


def test_each_wanted_index_is_used_by_the_annual_report(indexed):
    # A year under Working Together 2015 (no funnel) and one under the current arrangements.
    plans = _plans(indexed, 2016) + "\n" + _plans(indexed, 2024)
    unused = [name for name in WANTED if not re.search(rf"INDEX {name}\b", plans)]
    assert not unused, plans


def test_the_open_actions_are_read_through_the_open_actions_index(indexed):
    assert "idx_actions_open_target" in _plans(indexed, 2024)
