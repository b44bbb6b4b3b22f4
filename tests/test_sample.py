"""The synthetic sample (`scrdesk.store.sample`): the counts asked for, sound data, nothing real."""

from __future__ import annotations

import sqlite3

import pytest

from scrdesk.domain import values
from scrdesk.domain.profiles import get_profile, load_profiles
from scrdesk.store import clocks
from scrdesk.store.check import _PAST_DATES, run_checks
from scrdesk.store.db import Store, StoreError
from scrdesk.store.sample import FIRST_DAY, FIRST_DAYS, LAST_DAY, SIZES, _Planner, write_sample
from scrdesk.store.statutory import funnel


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "small.db"
    counts = write_sample(path, "small", seed=7)
    return path, counts


def test_small_sample_has_the_counts_asked_for(small):
    path, counts = small
    for table, wanted in SIZES["small"].items():
        assert counts[table] == wanted, table
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM actions").fetchone()[0] == counts["actions"]
    # Every insert and every later change left an audit row.
    entities = sum(n for table, n in counts.items() if table != "audit_log")
    assert counts["audit_log"] > entities


def test_small_sample_passes_every_check(small):
    path, _ = small
    with Store.open(path, readonly=True) as store:
        results = run_checks(store)
    failed = [f"{r.name}: {r.detail}" for r in results if not r.ok]
    assert not failed, failed


def test_sample_uses_only_canonical_codes(small):
    path, _ = small
    decisions = {code for profile in load_profiles().values() for code in profile.decision_codes}
    with sqlite3.connect(path) as conn:
        def used(sql):
            return {row[0] for row in conn.execute(sql) if row[0] is not None}
        assert used("SELECT status FROM actions") <= set(values.ACTION_STATUSES)
        assert used("SELECT status FROM reviews") <= set(values.REVIEW_STATUSES)
        assert used("SELECT gender FROM referrals") <= set(values.GENDERS)
        assert used("SELECT harm_category FROM referrals") <= set(values.HARM_CATEGORIES)
        assert used("SELECT kind FROM milestones") <= set(values.MILESTONE_KINDS)
        assert used("SELECT decision FROM referrals") <= decisions
        assert used("SELECT review_type FROM reviews") <= decisions
        dates = conn.execute("SELECT min(received_date), max(received_date) FROM referrals").fetchone()
    assert "2006-01-01" <= dates[0] <= dates[1] <= "2026-12-31"


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "large.db"
    return path, write_sample(path, "large")


@pytest.mark.slow
def test_every_decision_belongs_to_the_framework_stamped_on_it(large):
    # Over twenty years both frameworks occur; a thematic review begun under 2015 must not
    # take in a referral decided under 2018, which has no "thematic" decision.
    path, _ = large
    with sqlite3.connect(path) as conn:
        pairs = conn.execute("SELECT DISTINCT framework, decision FROM referrals "
                             "WHERE decision IS NOT NULL").fetchall()
        frameworks = {row[0] for row in conn.execute("SELECT DISTINCT framework FROM reviews")}
    assert frameworks == {"wt2015", "wt2018"}
    wrong = [(f, d) for f, d in pairs if d not in get_profile(f).decision_codes]
    assert not wrong


def test_actions_end_in_the_status_of_their_last_update(small):
    path, _ = small
    with sqlite3.connect(path) as conn:
        mismatched = conn.execute(
            "SELECT count(*) FROM actions a WHERE a.status != coalesce("
            "(SELECT status_to FROM action_updates u WHERE u.action_id = a.id AND status_to IS NOT NULL "
            " ORDER BY date DESC, id DESC LIMIT 1), 'not_started')").fetchone()[0]
    assert mismatched == 0


def test_the_same_seed_writes_the_same_data(tmp_path, small):
    path, _ = small
    again = tmp_path / "again.db"
    write_sample(again, "small", seed=7)
    other = tmp_path / "other.db"
    write_sample(other, "small", seed=8)
    query = "SELECT ref, summary, decision, received_date FROM referrals ORDER BY id"
    with sqlite3.connect(path) as a, sqlite3.connect(again) as b, sqlite3.connect(other) as c:
        first = a.execute(query).fetchall()
        assert first == b.execute(query).fetchall()
        assert first != c.execute(query).fetchall()


def test_an_existing_file_is_never_overwritten(tmp_path):
    path = tmp_path / "real.db"
    path.write_bytes(b"the office's real records")
    with pytest.raises(StoreError, match="already exists"):
        write_sample(path, "small")
    assert path.read_bytes() == b"the office's real records"


def test_an_unknown_size_is_refused_in_plain_words(tmp_path):
    with pytest.raises(StoreError, match="Unknown sample size 'huge'; choose one of: large, small, xlarge"):
        write_sample(tmp_path / "x.db", "huge")
    assert not (tmp_path / "x.db").exists()


@pytest.mark.slow
def test_large_sample_is_twenty_years_of_a_busy_partnership(large):
    _, counts = large
    for table, wanted in SIZES["large"].items():
        assert counts[table] == wanted, table
    assert counts["audit_log"] >= 200_000


# Dates of things done (check's list, and today's process columns): none after the as-at date.
DONE_DATES = {
    **_PAST_DATES,
    "referrals_process": ("notify_considered_date", "notification_withdrawn_date", "rr_meeting_date",
                          "rr_submitted_date"),
    "reviews_process": ("panel_sos_copy_date", "ofsted_copy_date", "scr_told_date", "removal_date"),
}


def _latest_done(conn) -> dict[str, str]:
    latest = {}
    for key, fields in DONE_DATES.items():
        table = key.split("_process")[0]
        for column in fields:
            value = conn.execute(f"SELECT max({column}) FROM {table}").fetchone()[0]
            if value:
                latest[f"{table}.{column}"] = value
    return latest


def test_the_sample_is_never_dated_after_its_as_at_date(small):
    path, _ = small
    with Store.open(path, readonly=True) as store:
        as_at = store.settings().as_at_date
    assert as_at == "2026-09-30"
    with sqlite3.connect(path) as conn:
        latest = _latest_done(conn)
        stamps = conn.execute("SELECT max(created_at), max(updated_at) FROM referrals").fetchone()
    assert "referrals.rr_submitted_date" in latest
    assert {k: v for k, v in latest.items() if v > as_at} == {}
    assert max(stamps)[:10] <= as_at


def test_todays_process_only_under_the_2018_arrangements(small):
    path, _ = small
    with sqlite3.connect(path) as conn:
        frameworks = {row[0] for row in conn.execute(
            "SELECT DISTINCT framework FROM referrals WHERE rr_submitted_date IS NOT NULL "
            "OR notify_considered_date IS NOT NULL")}
        first = conn.execute("SELECT min(rr_submitted_date) FROM referrals").fetchone()[0]
    assert frameworks <= {"wt2018", None} and "wt2018" in frameworks
    assert first >= "2019-06-29"


@pytest.mark.slow
def test_the_large_sample_exercises_todays_clocks(large):
    path, _ = large
    with sqlite3.connect(path) as conn:
        latest = _latest_done(conn)
        counts = conn.execute(
            "SELECT sum(notify_decision = 1), sum(notify_decision = 0), sum(notification_withdrawn_date IS NOT NULL), "
            "sum(rr_submitted_date IS NOT NULL), sum(panel_agreed = 0) FROM referrals").fetchone()
        publications = conn.execute("SELECT count(*) FROM reviews WHERE review_type = 'LCSPR' "
                                    "AND planned_publication_date IS NOT NULL").fetchone()[0]
    assert all(v <= "2026-09-30" for v in latest.values())
    notified, not_notified, withdrawn, rapid, disagreed = counts
    assert notified > 300 and not_notified > 50 and withdrawn > 10 and rapid > 300 and disagreed > 0
    assert publications > 20
    with Store.open(path, readonly=True) as store:
        kinds = {c.clock for c in clocks.all_clocks(store)}
        rapid = funnel(store, 2023)["rapid_reviews"]
    assert {"RAPID_REVIEW", "PRE_PUBLICATION", "LCSPR_COMPLETION", "NOTIFICATION", "DECISION", "PANEL_TOLD"} <= kinds
    assert rapid["total"] > 10 and 0 < rapid["on_time"] < rapid["total"]


def test_xlarge_is_five_times_large_at_the_same_pace():
    # Five times the records over five times the history: a year holds what a large file's year
    # holds, so the growth figures measure a bigger file, not a busier year.
    assert SIZES["xlarge"] == {table: 5 * n for table, n in SIZES["large"].items()}
    large_days = (LAST_DAY - FIRST_DAY).days
    xlarge_days = (LAST_DAY - FIRST_DAYS["xlarge"]).days
    assert 4.9 < xlarge_days / large_days < 5.1


def test_a_longer_history_keeps_the_pace_and_todays_process():
    # The planner alone (no file): a small sample's counts over xlarge's century.
    planner = _Planner(SIZES["small"], seed=3, first_day=FIRST_DAYS["xlarge"])
    planner.plan()
    received = [row[planner.t["referrals"].columns.index("received_date")] for row in planner.t["referrals"].rows]
    assert min(received) >= FIRST_DAYS["xlarge"].isoformat() and min(received) < "1950-01-01"
    assert max(received) <= LAST_DAY.isoformat()
    assert planner.rapid_reviews  # notified cases under today's arrangements still reach the Panel


def test_the_sample_command_offers_every_size(monkeypatch, tmp_path):
    from scrdesk import cli

    written = []
    monkeypatch.setattr("scrdesk.store.sample.write_sample", lambda path, size: written.append(size) or {})
    for size in SIZES:
        assert cli.main(["sample", "--size", size, str(tmp_path / f"{size}.db")]) == 0
    assert written == list(SIZES)
