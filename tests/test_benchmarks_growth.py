"""benchmarks/run.py's own parts: the import file it generates is a valid tracker under each
framework, the growth verdicts, and the sample cache."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from scrdesk.domain.profiles import get_profile
from scrdesk.store import importer
from scrdesk.store.db import Store
from scrdesk.store.sample import write_sample

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_tracker_imports_with_each_frameworks_own_decisions(bench, tmp_path):
    path = tmp_path / "target.db"
    write_sample(path, "small", seed=5)
    sheet = tmp_path / "referrals.csv"
    with Store.open(path) as store:
        bench.write_import_file(sheet, 400, first_number=50_000, settings=store.settings())
        plan = importer.plan_import(store, "referrals", importer.read_table(sheet))
        assert [e.describe() for e in plan.errors] == []
        assert len(plan.inserts) == 400
        decided = [(p.values["framework"], p.values["decision"]) for p in plan.inserts]
    # Both sides of the partnership's switch, each decision one its framework offers.
    assert {framework for framework, _ in decided} == {"wt2015", "wt2018"}
    assert all(decision in get_profile(framework).decision_codes for framework, decision in decided)
    assert {"RAPID_REVIEW", "LCSPR"} <= {decision for _, decision in decided}


def test_growth_verdicts_hold_each_ratio_to_its_must(bench):
    growth = {"sizes": ["large", "xlarge"], "startup_s": [1.0, 1.2], "filter_ms": [2.0, 4.0],
              "annual_s": [0.05, None], "dashboard_ms": [10.0, 15.0],
              "ratios": {"startup": 1.2, "filter": 2.0, "annual": None, "dashboard": 1.5},
              "not_available": {"annual_s": "scrdesk.store.annual is not there yet"}}
    verdicts = bench.growth_verdicts(growth)
    assert {key: status for key, (status, _) in verdicts.items()} == {
        "growth.startup": "pass", "growth.filter": "FAIL", "growth.annual": "n/a", "growth.dashboard": "pass"}
    assert "2.0 -> 4.0" in verdicts["growth.filter"][1]
    assert "not there yet" in verdicts["growth.annual"][1]


def test_a_cached_sample_is_used_again_and_an_old_one_removed(bench, tmp_path, monkeypatch):
    written = []

    def small_instead(path, size):
        written.append(size)
        return write_sample(path, "small")

    monkeypatch.setattr("scrdesk.store.sample.write_sample", small_instead)
    cache = tmp_path / "cache"
    first, info = bench.sample_file("large", None, tmp_path, cache)
    assert info["source"] == "written" and first.parent == cache
    again, info = bench.sample_file("large", None, tmp_path, cache)
    assert again == first and info["source"] == "cached" and "counts" in info
    assert written == ["large"]
    # Changed sample code: a new key, the old file goes and a new one is written.
    monkeypatch.setattr(bench, "_sample_key", lambda size: f"{size}-schema0-changed.db")
    newer, info = bench.sample_file("large", None, tmp_path, cache)
    assert info["source"] == "written" and not first.exists() and newer.exists()
    # A file given is used as it is.
    assert bench.sample_file("xlarge", str(newer), tmp_path, cache) == (newer, {"source": "given", "mb": info["mb"]})
