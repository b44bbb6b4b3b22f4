"""The annual report's queries are written so that each index wanted for it (a migration adds them)
is used as it stands: an expression or a condition that differs by a word from the index's would
leave SQLite reading the whole table, slower each year the file grows, with the same figures."""

from __future__ import annotations

import re

import pytest

from scrdesk.store import annual, schema
from scrdesk.store.db import Store
from scrdesk.store.sample import write_sample

#: The indexes, by name, and the report's reads each serves (the migration makes them).
WANTED = schema.YEAR_INDEXES


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    path = tmp_path_factory.mktemp("indexed") / "small.db"
    write_sample(path, "small", seed=3)
    with Store.open(path, user="tester") as store:
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
