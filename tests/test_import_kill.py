"""A writer killed with SIGKILL in the middle of an import leaves a sound file with all or none of it."""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from scrdesk.store.check import run_checks
from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo

ROWS = 10_000
TRIALS = 6

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only"),
]


def write_tracker(path):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ref", "Date received", "Summary", "Age", "Outcome", "Decision date"])
        for n in range(ROWS):
            writer.writerow([f"Ref{5000 + n}", "05/01/2017", "Imported neglect", "4 mths", "Case mapping", "31/03/2017"])


def imported_rows(path) -> tuple[str, int]:
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        count = conn.execute("SELECT count(*) FROM referrals WHERE summary = 'Imported neglect'").fetchone()[0]
    finally:
        conn.close()
    return integrity, count


def test_sigkill_mid_import_leaves_all_or_nothing(tmp_path):
    base = write_demo(tmp_path / "base.db")
    tracker = tmp_path / "tracker.csv"
    write_tracker(tracker)
    rng = random.Random(2017)
    # One kill the moment the writing starts, the others within the half second the write of
    # 10,000 rows takes (it got quicker: a kill later than that found it finished).
    delays = [0.0, *(rng.uniform(0.0, 0.5) for _ in range(TRIALS - 2))]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    outcomes = []
    for trial in range(TRIALS):
        path = tmp_path / f"trial{trial}.db"
        shutil.copy(base, path)
        writer = subprocess.Popen(
            [sys.executable, "-m", "scrdesk", "--db", str(path), "import", "referrals", str(tracker)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        # The summary line is printed just before the rows are written: kill somewhere after it.
        line = writer.stdout.readline()
        assert "to add" in line, line + writer.stderr.read()
        if trial < TRIALS - 1:
            time.sleep(delays[trial])
            writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=120)
        integrity, count = imported_rows(path)
        assert integrity == "ok"
        assert count in (0, ROWS), f"trial {trial}: {count} of {ROWS} rows were left behind"
        outcomes.append((writer.returncode, count))
        with Store.open(path, readonly=True) as store:
            failed = [r for r in run_checks(store) if r.fatal and not r.ok]
        assert failed == []
    assert any(code == -signal.SIGKILL for code, _ in outcomes), outcomes
    # The last trial was left to finish: the whole file went in.
    assert outcomes[-1] == (0, ROWS)
