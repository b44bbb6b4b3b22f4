"""The dashboard reads only what still needs doing (issue 15, growth): partial indexes hold the
open actions, the disseminations waiting for feedback and the records that could run a clock,
and the dashboard's queries are written so SQLite reads through them, not through every record
ever kept. The answers are the same as reading everything (tests/test_store_queries_dashboard.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from scrdesk.store import queries as q
from scrdesk.store import schema
from scrdesk.store.clocks import may_run_a_clock
from scrdesk.store.db import Store
from scrdesk.store.sample import write_sample

INDEXES = {
    "idx_referrals_clocks": "referrals",
    "idx_reviews_clocks": "reviews",
    "idx_actions_open_target": "actions",
    "idx_disseminations_waiting": "disseminations",
}
#: The reviews to watch are the live ones, read by status (a handful on any file).
ALSO_FLAT = {"reviews": ("idx_reviews_status (status=?)",)}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("indexes") / "sample.db"
    write_sample(path, "small")
    with Store.open(path, user="tester") as store:
        yield store


def _index_sql(store, name: str) -> str:
    return store.scalar("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [name])


def test_a_new_file_has_the_indexes_with_the_conditions_the_queries_use(sample):
    for kind, table in (("referral", "referrals"), ("review", "reviews")):
        columns = set(schema.columns_of(sample.db, table))
        assert _index_sql(sample, f"idx_{table}_clocks").endswith(f"WHERE {may_run_a_clock(kind, columns, alias='')}")
    assert _index_sql(sample, "idx_actions_open_target").endswith(f"WHERE {q.open_actions_sql('')}")
    waiting = _index_sql(sample, "idx_disseminations_waiting")
    assert waiting.endswith(f"WHERE {schema.WAITING_DISSEMINATIONS}")
    # The query's own terms, alias and all, begin with the index's condition.
    assert q._WAITING.startswith(re.sub(r"(sent_date|feedback_received_date)", r"d.\1", schema.WAITING_DISSEMINATIONS))


def test_the_dashboard_reads_each_table_through_its_index(sample, monkeypatch):
    """Every statement the dashboard runs on these four tables goes through the partial index
    (EXPLAIN QUERY PLAN), so a file with a century of closed records reads only the open ones."""
    statements: list[tuple[str, list]] = []
    for name in ("rows", "scalar", "row"):
        original = getattr(sample, name)

        def recording(sql, params=(), _original=original):
            statements.append((sql, list(params)))
            return _original(sql, params)

        monkeypatch.setattr(sample, name, recording)
    q.dashboard(sample, date(2026, 9, 30))
    monkeypatch.undo()
    seen = set()
    for sql, params in statements:
        for index, table in INDEXES.items():
            if re.search(rf"\bFROM {table}\b", sql):
                plan = " ".join(row["detail"] for row in sample.rows(f"EXPLAIN QUERY PLAN {sql}", params))
                assert any(way in plan for way in (index, *ALSO_FLAT.get(table, ()))), \
                    f"{sql[:120]}… reads {table} by: {plan}"
                if index in plan:
                    seen.add(index)
    assert seen == set(INDEXES)


def test_a_rule_for_a_later_framework_never_reaches_a_record_decided_before_it(sample):
    """The clocks index leaves out records decided before a rule's profile came in (2018's rapid
    review on a 2016 decision), but keeps the oldest profile's rules for any earlier date."""
    columns = set(schema.columns_of(sample.db, "referrals"))
    condition = may_run_a_clock("referral", columns)
    rows = {row["ref"]: row for row in sample.rows(
        f"SELECT r.ref, {condition} AS may FROM (SELECT 'A' AS ref, NULL AS decision_date, "
        "'2016-05-01' AS received_date, '2016-05-01' AS sin_submitted_date, NULL AS rr_submitted_date, "
        "NULL AS panel_informed_date, NULL AS notification_withdrawn_date, 'NFA' AS decision, "
        "NULL AS meeting_date, NULL AS la_aware_date, NULL AS notify_decision, 'sin' AS source, "
        "NULL AS sin_reference, NULL AS framework "
        "UNION ALL SELECT 'B', '1931-01-05', '1931-01-01', NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        "NULL, 'agency', NULL, NULL) r")}
    # A: WT2015's "tell the Panel" clock is still open (2015 is the oldest English profile).
    assert rows["A"]["may"] == 1
    # B: decided long ago, nothing waits on it.
    assert rows["B"]["may"] == 0
