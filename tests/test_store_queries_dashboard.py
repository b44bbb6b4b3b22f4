"""The dashboard decided in SQL (issue 15): each section reads only the lines it shows and counts
the rest, and says exactly what working out every clock and every review in Python says."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest

from scrdesk.domain.clocks import Clock
from scrdesk.domain.timescales import add_offset
from scrdesk.store import queries as q
from scrdesk.store.clocks import all_clocks, latest_start, open_clocks_due
from scrdesk.store.db import Store
from scrdesk.store.demo_current import write_current_demo
from scrdesk.store.sample import write_sample


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard")
    write_sample(folder / "sample.db", "small")
    return {"sample": folder / "sample.db",
            "current": write_current_demo(folder / "current.db")}


@pytest.fixture(params=["sample", "current"])
def board(request, files, tmp_path):
    # A copy of the test's own: some tests change the board's settings.
    path = tmp_path / "board.db"
    shutil.copy(files[request.param], path)
    opened = Store.open(path, user="tester")
    yield opened
    opened.close()


def every_open_clock(store, today: date) -> list[Clock]:
    """What the dashboard must agree with: every record read, every clock worked out."""
    return [c for c in all_clocks(store, today) if c.is_open]


def every_review_to_watch(store, today: date) -> list[int]:
    rows = q.review_rows(store, today, live_only=True)
    return [r["id"] for r in rows if r["rag"].colour in ("red", "amber") and not r.get("completed_date")]


DAYS = [-3000, -1500, -400, -60, 0, 20, 200]


@pytest.mark.parametrize("days", DAYS)
def test_the_open_clocks_found_in_sql_are_every_open_clock(board, days):
    today = board.settings().today() + timedelta(days=days)
    expected = every_open_clock(board, today)
    assert open_clocks_due(board, today) == (len(expected), expected)
    horizon = add_offset(today, 20, "working_days")
    near = [c for c in expected if c.due <= horizon and c.clock != "REVIEW_TARGET"]
    assert open_clocks_due(board, today, horizon, skip=("REVIEW_TARGET",)) == (len(near), near)


@pytest.mark.parametrize("settings", [
    {"arrangements_2018_date": "2018-06-29"},  # the earliest switch: more records under WT2018
    {"jurisdiction": "wales"},
    {"local_review_target_months": {"CASE_MAPPING": 2, "SINGLE_AGENCY": 9, "THEMATIC": 12,
                                    "LOCAL_LEARNING": 1}},
    {"default_framework": "wt2015"},
])
def test_the_board_settings_reach_the_sql_as_they_reach_the_rules(board, settings):
    board.set_settings(settings)
    for days in (-1500, 0):
        today = board.settings().today() + timedelta(days=days)
        expected = every_open_clock(board, today)
        assert open_clocks_due(board, today) == (len(expected), expected)
        total, lines = q._reviews_to_watch(board, today, 1000)
        assert [line["id"] for line in lines] == every_review_to_watch(board, today)
        assert total == len(lines)


@pytest.mark.parametrize("days", DAYS)
def test_reviews_to_watch_are_counted_in_sql_and_only_the_shown_ones_read(board, days):
    today = board.settings().today() + timedelta(days=days)
    expected = every_review_to_watch(board, today)
    total, lines = q._reviews_to_watch(board, today, 2)
    assert total == len(expected)
    assert [line["id"] for line in lines] == expected[:2]
    section = q.dashboard(board, today, limit=2)["reviews"]
    if len(expected) > 2:
        assert section[-1]["more"] == len(expected) - 2 and section[-1]["tab"] == "ReviewsTab"
    else:
        assert [line["id"] for line in section] == expected


def test_a_review_target_set_by_hand_decides_whether_it_is_watched(store):
    review = store.insert("reviews", {"title": "Thematic", "review_type": "THEMATIC", "status": "underway",
                                      "framework": "wt2018", "agreed_date": "2020-01-10",
                                      "initiated_date": "2020-01-10"})
    today = date(2021, 1, 4)
    assert [line["id"] for line in q._reviews_to_watch(store, today, 25)[1]] == [review]
    store.update("reviews", review, {"target_date_override": "2021-12-01", "target_override_reason": "inquest"})
    assert q._reviews_to_watch(store, today, 25) == (0, [])
    store.update("reviews", review, {"target_date_override": "2021-01-05"})
    (line,) = q._reviews_to_watch(store, today, 25)[1]
    assert line["rag"].colour == "amber"


def test_the_deadline_horizon_counts_every_clock_and_reads_a_screenful(store):
    for number in range(30):
        store.insert("referrals", {"ref": f"Ref{number:03d}", "source": "sin", "framework": "wt2018",
                                   "received_date": "2024-01-02", "sin_submitted_date": "2024-01-03"})
    today = date(2024, 1, 10)
    board = q.dashboard(store, today, limit=25)["deadlines"]
    assert len(board) == 26 and board[-1]["more"] == 5 and board[-1]["tab"] == "ReferralsTab"
    assert [line["title"][:6] for line in board[:-1]] == [f"Ref{n:03d}" for n in range(25)]
    assert {line["clock"] for line in board[:-1]} == {"RAPID_REVIEW"}


@pytest.mark.parametrize("unit", ["working_days", "days", "months"])
@pytest.mark.parametrize("offset", [-7, 1, 5, 15, 6])
def test_latest_start_is_the_last_day_a_clock_can_start_and_still_fall_due_in_time(unit, offset):
    for until in (date(2025, 12, 27), date(2024, 3, 31), date(2026, 2, 28), date(2025, 5, 26)):
        start = latest_start(until, offset, unit)
        assert add_offset(start, offset, unit) <= until
        assert add_offset(start + timedelta(days=1), offset, unit) > until


def test_a_review_is_watched_from_the_first_amber_day_whatever_its_kind(store):
    referral = store.insert("referrals", {"ref": "Ref001", "source": "sin", "framework": "wt2018",
                                          "received_date": "2025-12-17", "sin_submitted_date": "2025-12-18"})
    rapid = store.insert("reviews", {"title": "Rapid review Ref001", "review_type": "RAPID_REVIEW",
                                     "status": "underway", "framework": "wt2018", "agreed_date": "2025-12-19"})
    store.insert("review_referrals", {"review_id": rapid, "referral_id": referral})
    store.insert("reviews", {"title": "Rapid review, not linked", "review_type": "RAPID_REVIEW",
                             "status": "agreed", "framework": "wt2018", "agreed_date": "2025-12-22"})
    store.insert("reviews", {"title": "Thematic", "review_type": "THEMATIC", "status": "underway",
                             "framework": "wt2018", "initiated_date": "2025-07-12"})
    store.insert("reviews", {"title": "LCSPR", "review_type": "LCSPR", "status": "agreed",
                             "framework": "wt2018", "agreed_date": "2025-07-31"})
    seen = set()
    # Every day from well before the targets (January 2026) to after them: Christmas, New Year
    # and the weekends in between move the first amber day.
    for days in range(80):
        today = date(2025, 11, 20) + timedelta(days=days)
        expected = every_review_to_watch(store, today)
        total, lines = q._reviews_to_watch(store, today, 25)
        assert ([line["id"] for line in lines], total) == (expected, len(expected)), today
        seen.add(len(expected))
    assert seen == {0, 1, 2, 3, 4}  # each review turned amber on a day of its own
