"""kill -9 during writes, a handful of trials (benchmarks/killtest.py runs 200)."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path

import pytest

KILLTEST = Path(__file__).resolve().parents[1] / "benchmarks" / "killtest.py"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform.startswith("win"), reason="needs SIGKILL"),
]


def load_killtest():
    spec = importlib.util.spec_from_file_location("killtest", KILLTEST)
    module = importlib.util.module_from_spec(spec)
    sys.modules["killtest"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_kill_9_during_writes_loses_and_damages_nothing(tmp_path):
    killtest = load_killtest()
    figures = killtest.run_trials(tmp_path, trials=6, seed=20170331, max_delay=1.2)
    assert figures.trials == 6
    assert figures.commits_reported > 0  # the writers did get going
    assert (figures.damaged_files, figures.lost_commits, figures.half_written,
            figures.counter_mismatches, figures.chain_problems, figures.child_refused) == (
        0, 0, 0, 0, 0, 0), figures.problems


def test_the_checker_sees_a_lost_and_a_half_written_transaction(tmp_path):
    # The checks must be able to fail: a reported commit that is missing, a batch cut short.
    killtest = load_killtest()
    path = tmp_path / "killtest-1.db"
    from scrdesk.store.db import Store

    with Store.open(path, user="tester") as store:
        store.insert_many("agencies", [{"name": f"t1-{i}", "short_name": "t1", "type": "batch",
                                        "lead_email": "3"} for i in range(2)])
    figures = killtest.Figures()
    killtest.check_file(path, {1: 3, 2: 1}, figures, trial=1)
    assert figures.half_written == 1 and figures.lost_commits == 2
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
