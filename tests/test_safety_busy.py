"""Busy is not damaged (issue 12, item 1): a lock is waited for and then refused, naming who holds
it; read-only files and folders say which permission is missing; a journal left by a crash is
recovered; nothing is renamed .corrupt that is not proven damaged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from scrdesk.cli import main
from scrdesk.store.db import (
    BusyError,
    NoDataFileError,
    PermissionProblemError,
    Store,
)


@pytest.fixture(autouse=True)
def own_state_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRDESK_STATE_DIR", str(tmp_path / "state"))


def data_file(path: Path, journal_mode: str = "delete", agencies: int = 3) -> Path:
    with Store.open(path, user="tester", journal_mode=journal_mode) as store:
        store.insert_many("agencies", ({"name": f"Agency {n}"} for n in range(agencies)))
    return path


def child(script: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})


HOLD_EXCLUSIVE = """
    import sys, time
    from scrdesk.store.db import Store
    store = Store.open(sys.argv[1], user="holder", journal_mode="delete")
    conn = store.db.conn
    conn.execute("BEGIN EXCLUSIVE")
    store.db.execute("INSERT INTO agencies (name) VALUES ('Written while holding the lock')")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("COMMIT")
    store.close()
    print("committed", flush=True)
"""


def test_a_program_holding_the_file_for_ten_seconds_never_costs_the_file(tmp_path):
    path = data_file(tmp_path / "cases.db")
    holder = child(HOLD_EXCLUSIVE, path, 10)
    assert holder.stdout.readline().strip() == "locked", holder.stderr.read()
    started = time.monotonic()
    with pytest.raises(BusyError) as caught:
        Store.open(path, user="opener")
    waited = time.monotonic() - started
    message = str(caught.value)
    assert "cases.db is busy" in message and "another program" in message
    assert "left exactly as it is" in message
    assert waited >= 4  # it waited on the lock (the busy timeout) before refusing
    assert path.exists() and not list(tmp_path.glob("*.corrupt*"))
    # The writer holding the lock was not disturbed: its work is committed and the file sound.
    out, err = holder.communicate(timeout=30)
    assert holder.returncode == 0 and "committed" in out, err
    with Store.open(path, user="opener") as store:
        names = [r["name"] for r in store.rows("SELECT name FROM agencies ORDER BY id")]
        assert names[-1] == "Written while holding the lock" and len(names) == 4
        assert store.scalar("PRAGMA integrity_check") == "ok"


def test_the_command_line_says_busy_in_one_line(tmp_path, capsys):
    path = data_file(tmp_path / "cases.db")
    holder = child(HOLD_EXCLUSIVE, path, 8)
    assert holder.stdout.readline().strip() == "locked", holder.stderr.read()
    try:
        code = main(["--db", str(path), "check"])
    finally:
        holder.communicate(timeout=30)
    out, err = capsys.readouterr()
    assert code == 1 and "busy" in err and "Traceback" not in err
    assert "FAILED" in out and "damaged" not in out
    assert path.exists() and not list(tmp_path.glob("*.corrupt*"))


def test_a_hot_journal_left_by_a_crash_is_recovered_not_called_damage(tmp_path, capsys):
    path = data_file(tmp_path / "cases.db", agencies=5)
    writer = child("""
        import sys, time
        from scrdesk.store.db import Store
        store = Store.open(sys.argv[1], user="writer", journal_mode="delete")
        store.db.execute("PRAGMA cache_size = 5")  # spill pages into the file mid-transaction
        store.db.conn.execute("BEGIN IMMEDIATE")
        for n in range(3000):
            store.db.execute("INSERT INTO agencies (name, lead_name) VALUES (?, ?)", [f"x{n}", "y" * 200])
        print("writing", flush=True)
        time.sleep(60)
    """, path)
    assert writer.stdout.readline().strip() == "writing", writer.stderr.read()
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    journal = Path(f"{path}-journal")
    assert journal.exists() and journal.stat().st_size > 0  # hot: the crash left it
    code = main(["--db", str(path), "check"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "damaged" not in out and not list(tmp_path.glob("*.corrupt*"))
    assert not journal.exists()
    with Store.open(path, user="tester", readonly=True) as store:
        assert store.scalar("SELECT count(*) FROM agencies") == 5  # the unfinished write undone


def test_check_leaves_no_wal_or_shm_behind(tmp_path, capsys):
    path = data_file(tmp_path / "cases.db", journal_mode="wal")
    assert not Path(f"{path}-wal").exists()
    assert main(["--db", str(path), "check"]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("cases.db")) == ["cases.db"]


def _deny(monkeypatch, denied: Path, mode: int) -> None:
    real_access = os.access

    def access(target, wanted, *args, **kwargs):
        if Path(target) == denied and wanted & mode:
            return False
        return real_access(target, wanted, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


def test_a_read_only_file_says_which_permission_is_missing_and_stays(tmp_path, monkeypatch):
    path = data_file(tmp_path / "cases.db")
    _deny(monkeypatch, path, os.W_OK)  # the tests run as root, whom chmod does not stop
    with pytest.raises(PermissionProblemError) as caught:
        Store.open(path, user="tester")
    assert caught.value.missing == "write (file)"
    assert "read-only" in str(caught.value) and "left as it is" in str(caught.value)
    assert path.exists() and not list(tmp_path.glob("*.corrupt*"))
    with Store.open(path, user="tester", readonly=True) as store:  # reading still works
        assert store.scalar("SELECT count(*) FROM agencies") == 3


def test_a_read_only_folder_is_not_called_damage(tmp_path, monkeypatch):
    path = data_file(tmp_path / "cases.db")
    _deny(monkeypatch, tmp_path, os.W_OK)
    with pytest.raises(PermissionProblemError, match="folder") as caught:
        Store.open(path, user="tester")
    assert caught.value.missing == "write (folder)"
    assert path.exists() and not list(tmp_path.glob("*.corrupt*"))


def test_a_missing_file_is_not_made_when_the_caller_says_not_to(tmp_path):
    path = tmp_path / "gone" / "cases.db"
    with pytest.raises(NoDataFileError) as caught:
        Store.open(path, user="tester", create=False)
    assert caught.value.path == path and not path.parent.exists()
