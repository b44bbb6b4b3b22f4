"""One writer per data file: the lease, read-only mode for everyone else, stale takeover."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest

from scrdesk.store import lease
from scrdesk.store.db import ReadOnlyError, Store

OTHER_HOST = "LAPTOP-12"


def plant_lease(path: Path, *, host: str = OTHER_HOST, pid: int = 4242,
                heard_ago: timedelta = timedelta(seconds=5),
                user: str = "Sam Jones (sjones)") -> None:
    """Write a lease row as another copy of scrdesk would (the table is not audited)."""
    now = lease.utc_now()
    conn = sqlite3.connect(path)
    conn.execute("INSERT OR REPLACE INTO lease (id, user, host, pid, started_at, heartbeat_at) "
                 "VALUES (1, ?, ?, ?, ?, ?)",
                 [user, host, pid, lease.stamp(now - timedelta(hours=1)),
                  lease.stamp(now - heard_ago)])
    conn.commit()
    conn.close()


def lease_row(path: Path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT user, host, pid, started_at, heartbeat_at FROM lease").fetchone()
    finally:
        conn.close()


@pytest.fixture
def data_file(tmp_path) -> Path:
    path = tmp_path / "cases.db"
    Store.open(path, user="tester").close()
    return path


def test_opening_takes_the_lease_and_closing_releases_it(data_file):
    store = Store.open(data_file, user="tester")
    assert store.holds_lease and not store.readonly
    user, host, pid, _, _ = lease_row(data_file)
    assert (user, host, pid) == ("tester", lease.this_host(), os.getpid())
    store.close()
    assert lease_row(data_file) is None


def test_a_live_lease_of_someone_else_opens_read_only_naming_them(data_file):
    plant_lease(data_file)
    with Store.open(data_file, user="tester") as store:
        assert store.readonly and not store.holds_lease
        holder = store.lease_holder
        assert (holder.user, holder.display_name, holder.host, holder.stale) == (
            "sjones", "Sam Jones", OTHER_HOST, False)
        assert store.readonly_reason.startswith(
            "Sam Jones (sjones on LAPTOP-12) has it open for editing since ")
        with pytest.raises(ReadOnlyError, match="Sam Jones \\(sjones on LAPTOP-12\\)"):
            store.insert("agencies", {"name": "Police"})
        # Below the flag, the connection itself refuses writes.
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.execute("INSERT INTO agencies (name) VALUES ('x')")
    assert lease_row(data_file)[1] == OTHER_HOST  # closing a read-only copy leaves their lease


def test_take_over_is_refused_for_a_live_lease(data_file):
    plant_lease(data_file)
    with Store.open(data_file, user="tester", take_over_stale=True) as store:
        assert store.readonly
    assert lease_row(data_file)[1] == OTHER_HOST


def test_a_stale_lease_opens_read_only_until_taken_over(data_file):
    plant_lease(data_file, heard_ago=lease.STALE_AFTER + timedelta(seconds=30))
    with Store.open(data_file, user="tester") as store:
        assert store.readonly and store.lease_holder.stale and not store.lease_holder.gone
        assert "nothing has been heard" in store.readonly_reason
        assert "can be taken over" in store.readonly_reason
    with Store.open(data_file, user="tester", take_over_stale=True) as store:
        assert not store.readonly and store.holds_lease
        store.insert("agencies", {"name": "Police"})
        assert lease_row(data_file)[2] == os.getpid()


def test_a_lease_goes_stale_two_minutes_after_the_last_heartbeat(data_file):
    plant_lease(data_file, heard_ago=timedelta(0))
    conn = sqlite3.connect(data_file)
    now = lease.utc_now()
    assert not lease.read_lease(conn, now + timedelta(minutes=1, seconds=50)).stale
    assert lease.read_lease(conn, now + timedelta(minutes=2, seconds=10)).stale
    conn.close()


def test_a_lease_of_a_process_that_has_ended_on_this_machine_is_stale_at_once(data_file):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    plant_lease(data_file, host=lease.this_host(), pid=int(ended.stdout), user="tester")
    with Store.open(data_file, user="tester") as store:
        assert store.readonly and store.lease_holder.stale and store.lease_holder.gone
        assert "no longer running" in store.readonly_reason


def test_heartbeat_moves_on_and_is_not_audited(data_file):
    with Store.open(data_file, user="tester") as store:
        audit_rows = store.scalar("SELECT count(*) FROM audit_log")
        first = lease_row(data_file)[4]
        time.sleep(0.01)
        assert store.heartbeat() is True
        assert lease_row(data_file)[4] > first
        assert store.scalar("SELECT count(*) FROM audit_log") == audit_rows


def test_a_taken_over_window_turns_read_only_at_its_next_write_or_heartbeat(data_file):
    store = Store.open(data_file, user="tester")
    plant_lease(data_file)  # someone took it over while this laptop slept
    with pytest.raises(ReadOnlyError, match="no longer holds the file: Sam Jones"):
        store.insert("agencies", {"name": "Police"})
    assert store.readonly and store.scalar("SELECT count(*) FROM agencies") == 0
    assert store.heartbeat() is False
    store.close()
    assert lease_row(data_file)[1] == OTHER_HOST  # closing did not release their lease


def test_heartbeat_reports_the_lost_lease(data_file):
    store = Store.open(data_file, user="tester")
    plant_lease(data_file)
    assert store.heartbeat() is False
    assert store.readonly and "Sam Jones" in store.readonly_reason
    store.close()


def test_a_read_only_copy_sees_the_file_become_free(data_file):
    holder = Store.open(data_file, user="tester")
    plant_lease(data_file)
    with Store.open(data_file, user="other") as second:
        assert second.readonly
        conn = sqlite3.connect(data_file)
        conn.execute("DELETE FROM lease")
        conn.commit()
        conn.close()
        assert second.heartbeat() is False and second.lease_holder is None
    holder.close()


def test_stores_of_one_process_share_the_lease(data_file):
    first = Store.open(data_file, user="tester")
    second = Store.open(data_file, user="tester")
    assert first.holds_lease and second.holds_lease
    first.close()
    assert lease_row(data_file) is not None
    second.insert("agencies", {"name": "Police"})
    second.close()
    assert lease_row(data_file) is None


def test_the_lease_survives_reopening_in_the_same_process(data_file):
    store = Store.open(data_file, user="tester")
    started = lease_row(data_file)[3]
    again = Store.open(data_file, user="tester")
    assert lease_row(data_file)[3] == started
    again.close()
    store.close()


# -- other processes ----------------------------------------------------------------------------

CHILD = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    from scrdesk.store.db import Store
    path, go = Path(sys.argv[1]), Path(sys.argv[2])
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    started = time.perf_counter()
    store = Store.open(path, user=sys.argv[3])
    elapsed = time.perf_counter() - started
    holder = store.lease_holder
    print(json.dumps({"readonly": store.readonly, "reason": store.readonly_reason,
                      "elapsed": elapsed, "holder_pid": holder.pid if holder else None,
                      "pid": os.getpid()}), flush=True)
    sys.stdin.readline()
    if not store.readonly:
        store.insert("agencies", {"name": f"From {os.getpid()}"})
    store.close()
""")


def spawn(tmp_path: Path, *args: str) -> subprocess.Popen:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    return subprocess.Popen([sys.executable, str(script), *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def report_of(child: subprocess.Popen) -> dict:
    line = child.stdout.readline()
    if not line:
        child.wait(timeout=10)
        pytest.fail(f"the child process failed:\n{child.stderr.read()}")
    return json.loads(line)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform.startswith("win"), reason="process timing test for CI (Linux)")
def test_two_processes_on_one_file_exactly_one_writes_20_of_20(tmp_path):
    outcomes = []
    for run in range(20):
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        path, go = folder / "cases.db", folder / "go"
        if run % 2:  # half the runs race on an existing file, half on a brand-new one
            Store.open(path, user="setup").close()
        children = [spawn(tmp_path, str(path), str(go), name) for name in ("alice", "bob")]
        for child in children:
            assert child.stdout.readline().strip() == "ready"
        go.touch()
        reports = [report_of(child) for child in children]
        for child in children:
            child.stdin.write("\n")
            child.stdin.flush()
        for child in children:
            assert child.wait(timeout=30) == 0, child.stderr.read()
        writers = [r for r in reports if not r["readonly"]]
        readers = [r for r in reports if r["readonly"]]
        assert len(writers) == 1 and len(readers) == 1, reports
        assert readers[0]["holder_pid"] == writers[0]["pid"]
        assert "has it open for editing since" in readers[0]["reason"]
        outcomes.append(max(r["elapsed"] for r in reports))
        # The writer's change arrived; the reader changed nothing.
        conn = sqlite3.connect(path)
        names = [r[0] for r in conn.execute("SELECT name FROM agencies")]
        conn.close()
        assert names == [f"From {writers[0]['pid']}"]
    # DESIGN: the second copy knows it is read-only within a second.
    assert max(outcomes) < 1.0, outcomes


@pytest.mark.slow
@pytest.mark.skipif(sys.platform.startswith("win"), reason="needs SIGKILL")
def test_a_killed_holder_leaves_a_stale_lease_that_can_be_taken_over(tmp_path):
    path, go = tmp_path / "cases.db", tmp_path / "go"
    go.touch()
    child = spawn(tmp_path, str(path), str(go), "alice")
    assert child.stdout.readline().strip() == "ready"
    report = report_of(child)
    assert not report["readonly"]
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    with Store.open(path, user="bob") as store:
        assert store.readonly and store.lease_holder.stale and store.lease_holder.pid == child.pid
    with Store.open(path, user="bob", take_over_stale=True) as store:
        assert not store.readonly
        store.insert("agencies", {"name": "After the crash"})


def _window_process(tmp_path, *argv) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path / "tmp"),
           "SCRDESK_STATE_DIR": str(tmp_path / "state"), "XDG_STATE_HOME": str(tmp_path / "xdg"),
           "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "XDG_CACHE_HOME": str(tmp_path / "xdg"),
           "PYTHONPATH": str(Path(__file__).parents[1])}
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "scrdesk", *argv], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _lease_rows(path: Path) -> list:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT user, pid FROM lease").fetchall()
    finally:
        conn.close()


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_closes_the_window_and_releases_the_lease(tmp_path, signum):
    # Issue 12, item 12: Ctrl+C did not stop the window, SIGTERM left the lease behind.
    path = tmp_path / "cases.db"
    with Store.open(path, user="tester") as store:
        store.insert("agencies", {"name": "Northshire Police"})
    window = _window_process(tmp_path, "--db", str(path))
    try:
        _wait_for(lambda: _lease_rows(path) or window.poll() is not None)
        assert window.poll() is None, window.stderr.read()
        window.send_signal(signum)
        assert window.wait(timeout=60) == 0, window.stderr.read()
    finally:
        if window.poll() is None:
            window.kill()
    assert _lease_rows(path) == []
    with Store.open(path, user="tester") as store:  # free: no stale lease to take over
        assert store.holds_lease and not store.readonly


@pytest.mark.slow
@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX signals")
def test_sigterm_removes_the_demos_temporary_folder(tmp_path):
    window = _window_process(tmp_path, "--demo")
    try:
        def demo_open() -> bool:
            files = list((tmp_path / "tmp").glob("scrdesk-demo-*/demo.db"))
            return bool(files) and bool(_lease_rows(files[0])) or window.poll() is not None

        _wait_for(demo_open)
        assert window.poll() is None, window.stderr.read()
        window.send_signal(signal.SIGTERM)
        assert window.wait(timeout=60) == 0, window.stderr.read()
    finally:
        if window.poll() is None:
            window.kill()
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX signals")
def test_a_signal_while_starting_is_noted_not_fatal():
    # A SIGTERM that arrives while the file opens and the window is built (before the event loop
    # runs) used to end the process at once, leaving the lease and the demo folder behind.
    import os

    from scrdesk import app

    noted: list[int] = []
    previous = app._note_signals(noted)
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
    finally:
        app._restore_signals(previous)
    assert noted == [signal.SIGTERM]
