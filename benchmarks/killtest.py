"""kill -9 during writes: nothing committed is lost, nothing is left half-written, no damage.

A child process opens one data file through `Store` and writes in a loop: single inserts,
multi-row transactions (rows plus an update of a counter row) and import-sized batches
(hundreds of rows through `insert_many`). After each commit it prints the transaction's number,
flushing. The parent kills it with SIGKILL at a random moment (sometimes while it is still
opening the file), then checks the file with a plain sqlite3 connection:

- `integrity_check` is "ok" (else: a damaged file);
- the audit hash chain verifies;
- every transaction the child reported is there in full (else: a lost commit);
- no transaction is there in part (else: a half-written batch), and the counter row agrees
  with the newest multi-row transaction present.

Runs of 25 trials share one file, so each child also has to take over the lease its killed
predecessor left behind. Usage:

    python benchmarks/killtest.py --trials 200 [--folder DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

KINDS = (("single", 0.5), ("multi", 0.35), ("batch", 0.15))
COUNTER = "killtest counter"


def run_child(path: Path, seed: int) -> int:
    from scrdesk.store.db import Store

    store = Store.open(path, user="killtest", take_over_stale=True)
    if store.readonly:
        print(f"readonly {store.readonly_reason}", flush=True)
        return 3
    counter = store.scalar("SELECT id FROM agencies WHERE name = ?", [COUNTER])
    if counter is None:
        counter = store.insert("agencies", {"name": COUNTER, "lead_name": "0"})
    txn = 1 + int(store.scalar("SELECT max(CAST(substr(short_name, 2) AS INTEGER)) FROM agencies "
                               "WHERE short_name LIKE 't%'") or 0)
    rng = random.Random(seed)
    print("ready", flush=True)
    while True:
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        size = {"single": 1, "multi": rng.randint(2, 20), "batch": rng.randint(300, 1500)}[kind]
        rows = [{"name": f"t{txn}-{i}", "short_name": f"t{txn}", "type": kind,
                 "lead_email": str(size)} for i in range(size)]
        if kind == "single":
            store.insert("agencies", rows[0])
        else:
            with store.transaction():
                store.insert_many("agencies", rows)
                store.update("agencies", counter, {"lead_name": str(txn)})
        print(f"committed {txn} {size}", flush=True)
        txn += 1


@dataclass
class Figures:
    trials: int = 0
    killed_while_opening: int = 0
    commits_reported: int = 0
    rows_written: int = 0
    damaged_files: int = 0
    lost_commits: int = 0
    half_written: int = 0
    counter_mismatches: int = 0
    chain_problems: int = 0
    child_refused: int = 0
    problems: list[str] = field(default_factory=list)

    def failures(self) -> int:
        return (self.damaged_files + self.lost_commits + self.half_written
                + self.counter_mismatches + self.chain_problems + self.child_refused)


def check_file(path: Path, reported: dict[int, int], figures: Figures, trial: int) -> int:
    """Check the file after a kill; return how many test rows it holds."""
    from scrdesk.store.audit import verify_chain

    conn = sqlite3.connect(path)
    try:
        state = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if state != "ok":
            figures.damaged_files += 1
            figures.problems.append(f"trial {trial}: integrity_check says {state}")
            return 0
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return 0  # killed while the file was being created: it is empty, as it should be
        if not {"audit_log", "agencies", "lease", "_sqlite_migrations"} <= tables:
            figures.half_written += 1
            figures.problems.append(f"trial {trial}: the schema is half there: {sorted(tables)}")
            return 0
        _, chain = verify_chain(conn)
        if chain:
            figures.chain_problems += 1
            figures.problems.append(f"trial {trial}: audit chain: {chain[0]}")
        present = {int(tag[1:]): (kind, int(expected), count) for tag, kind, expected, count in
                   conn.execute("SELECT short_name, type, lead_email, count(*) FROM agencies "
                                "WHERE short_name LIKE 't%' GROUP BY short_name")}
        for txn, size in reported.items():
            if txn not in present or present[txn][2] != size:
                figures.lost_commits += 1
                figures.problems.append(f"trial {trial}: transaction {txn} was reported "
                                        "committed but is missing")
        for txn, (_, expected, count) in present.items():
            if count != expected:
                figures.half_written += 1
                figures.problems.append(f"trial {trial}: transaction {txn} has {count} of "
                                        f"{expected} rows")
        grouped = [txn for txn, (kind, _, _) in present.items() if kind != "single"]
        counter = conn.execute("SELECT lead_name FROM agencies WHERE name = ?",
                               [COUNTER]).fetchone()
        if grouped and (counter is None or int(counter[0]) != max(grouped)):
            figures.counter_mismatches += 1
            figures.problems.append(f"trial {trial}: counter {counter} but newest grouped "
                                    f"transaction {max(grouped)}")
        return sum(count for _, _, count in present.values())
    finally:
        conn.close()


def run_trials(folder: Path, trials: int, seed: int = 1, max_delay: float = 1.5,
               trials_per_file: int = 25) -> Figures:
    rng = random.Random(seed)
    figures = Figures()
    reported: dict[int, int] = {}
    rows_per_file: dict[Path, int] = {}
    for trial in range(1, trials + 1):
        # A fresh file now and then keeps each check (the whole audit chain) quick.
        if (trial - 1) % trials_per_file == 0:
            path = folder / f"killtest-{(trial - 1) // trials_per_file + 1}.db"
            reported = {}
        child = subprocess.Popen([sys.executable, __file__, "--child", str(path),
                                  "--seed", str(rng.randrange(1 << 30))],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.05, max_delay))
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signal.SIGKILL)
        output, errors = child.communicate(timeout=60)
        figures.trials += 1
        lines = output.splitlines()
        if child.returncode not in (-signal.SIGKILL,):
            figures.child_refused += 1
            figures.problems.append(f"trial {trial}: the writer stopped by itself "
                                    f"({child.returncode}): {(lines or [''])[0]} {errors[-300:]}")
        if "ready" not in lines:
            figures.killed_while_opening += 1
        for line in lines:
            if line.startswith("committed "):
                _, txn, size = line.split()
                reported[int(txn)] = int(size)
        figures.commits_reported += sum(1 for line in lines if line.startswith("committed "))
        if path.exists():
            rows_per_file[path] = check_file(path, reported, figures, trial)
    figures.rows_written = sum(rows_per_file.values())
    return figures


def report(figures: Figures, seconds: float, folder: Path) -> str:
    size = sum(p.stat().st_size for p in folder.glob("killtest-*.db")) / 1e6
    lines = [
        f"kill -9 trials:                 {figures.trials}",
        f"  killed while opening:         {figures.killed_while_opening}",
        f"  commits reported by writers:  {figures.commits_reported}",
        f"  rows in the files:            {figures.rows_written} ({size:.1f} MB)",
        f"damaged files:                  {figures.damaged_files}",
        f"lost commits:                   {figures.lost_commits}",
        f"half-written transactions:      {figures.half_written}",
        f"counter row out of step:        {figures.counter_mismatches}",
        f"audit chain problems:           {figures.chain_problems}",
        f"writers that could not start:   {figures.child_refused}",
        f"time:                           {seconds:.0f} s",
    ]
    return "\n".join(lines + figures.problems[:20])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, help="where the test file goes (default: a temp folder)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_child(args.child, args.seed)
    if sys.platform.startswith("win"):
        print("killtest needs SIGKILL (Linux or macOS).", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.folder or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        figures = run_trials(folder, args.trials, args.seed)
        print(report(figures, time.perf_counter() - started, folder))
    return 1 if figures.failures() else 0


if __name__ == "__main__":
    sys.exit(main())
