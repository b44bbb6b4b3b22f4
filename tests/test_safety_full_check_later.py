"""The window's open: the header checked before the lease, the whole-file check owed and run after
the first paint; nothing written to the file before it has passed (issue 15)."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from scrdesk.store import backup
from scrdesk.store.db import DamagedFileError, Store

PAGE = 4096


@pytest.fixture(autouse=True)
def own_state_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRDESK_STATE_DIR", str(tmp_path / "state"))


def real_file(path: Path, rows: int = 3000) -> Path:
    with Store.open(path, user="tester") as store:
        store.insert_many("agencies", ({"name": f"Agency {n}", "lead_name": "x" * 40}
                                       for n in range(rows)))
        backup.backup_to(store)
    return path


def damage_the_middle(path: Path) -> tuple[int, bytes]:
    """Pages in the middle of the file overwritten: the header and the schema still read."""
    middle = (path.stat().st_size // PAGE // 2) * PAGE
    damage = random.Random(5).randbytes(3 * PAGE)
    with open(path, "r+b") as handle:
        handle.seek(middle)
        handle.write(damage)
    return middle, damage


def test_a_sound_file_opens_with_the_check_owed_and_passes_it(tmp_path):
    path = real_file(tmp_path / "cases.db")
    with Store.open(path, user="tester", full_check="later") as store:
        assert store.full_check_owed and store.holds_lease
        assert store.run_full_check() is None
        assert not store.full_check_owed
        store.insert("agencies", {"name": "After the check"})
    with Store.open(path, user="tester") as store:
        assert store.scalar("SELECT count(*) FROM agencies WHERE name = 'After the check'") == 1


def test_the_default_open_still_checks_the_whole_file_first(tmp_path):
    path = real_file(tmp_path / "cases.db")
    damage_the_middle(path)
    with pytest.raises(DamagedFileError):
        Store.open(path, user="tester")


def test_damage_found_later_sets_the_file_aside_with_the_same_message(tmp_path):
    path = real_file(tmp_path / "cases.db")
    damage_the_middle(path)
    store = Store.open(path, user="tester", full_check="later")
    problem = store.run_full_check()
    assert problem
    error = store.set_aside_as_damaged(problem)
    assert isinstance(error, DamagedFileError)
    assert not path.exists() and error.renamed_to == tmp_path / "cases.db.corrupt"
    assert "renamed cases.db.corrupt; nothing was deleted" in str(error)
    assert error.newest_good_backup == backup.backups_of(path)[0]
    store.close()  # closing afterwards writes nothing and does not fail
    assert not path.exists()


def test_a_write_before_the_check_runs_it_first_and_writes_nothing_to_a_damaged_file(tmp_path):
    path = real_file(tmp_path / "cases.db")
    where, damage = damage_the_middle(path)
    store = Store.open(path, user="tester", full_check="later")
    with pytest.raises(DamagedFileError) as caught:
        store.insert("agencies", {"name": "Never written"})
    kept = caught.value.renamed_to
    written = b"".join(Path(f"{kept}{s}").read_bytes() for s in ("", "-wal") if Path(f"{kept}{s}").exists())
    assert b"Never written" not in written
    assert kept.read_bytes()[where:where + len(damage)] == damage  # the damage kept as found
    with pytest.raises(DamagedFileError):
        store.insert("agencies", {"name": "Nor this"})
    store.close()


def test_the_check_runs_once_when_a_worker_and_a_write_ask_together(tmp_path, monkeypatch):
    path = real_file(tmp_path / "cases.db")
    from scrdesk.store import db as db_module

    runs = []
    real_damage = db_module._damage

    def counted(conn):
        runs.append(threading.current_thread().name)
        return real_damage(conn)

    with Store.open(path, user="tester", full_check="later") as store:
        monkeypatch.setattr(db_module, "_damage", counted)
        worker = threading.Thread(target=store.run_full_check, name="worker")
        worker.start()
        store.insert("agencies", {"name": "Written once checked"})
        worker.join()
    assert len(runs) == 1


def test_a_file_needing_an_upgrade_is_checked_in_full_before_it_opens(tmp_path, monkeypatch):
    path = real_file(tmp_path / "cases.db")
    damage_the_middle(path)
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with pytest.raises(DamagedFileError):
        Store.open(path, user="tester", full_check="later")


class _Counted:
    """Connections opened through `sqlite3.connect`, and the most open at once."""

    def __init__(self, monkeypatch):
        import sqlite3

        self.open = 0
        self.most = 0
        counted = self

        class Connection(sqlite3.Connection):
            def close(self):
                if not getattr(self, "_counted_closed", False):
                    self._counted_closed = True
                    counted.open -= 1
                super().close()

        real = sqlite3.connect

        def connect(*args, **kwargs):
            conn = real(*args, factory=Connection, **kwargs)
            counted.open += 1
            counted.most = max(counted.most, counted.open)
            return conn

        monkeypatch.setattr(sqlite3, "connect", connect)


def test_the_checks_after_opening_hold_one_connection_of_their_own_at_a_time(tmp_path, monkeypatch):
    """Each connection reads the whole schema (2 MB): the whole-file check, the comparison with the
    newest backup and the backup on open each open theirs only after the last one closed."""
    path = real_file(tmp_path / "cases.db")
    with Store.open(path, user="tester", full_check="later") as store:
        assert store.anchor_check_owed
        counted = _Counted(monkeypatch)
        assert store.run_full_check() is None and store.anchor_warning is None
        assert counted.most == 1
        # Nothing changed since the newest backup: its head is read, then the file's.
        assert backup.automatic_backup(store, "open") is None
        assert counted.most == 1
