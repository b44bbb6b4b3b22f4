"""Tampering `check` used to miss (issue 12, item 4): the log cut short, the chain rebuilt from
some row on, data changed with the audit trigger dropped and re-created, and a forged author."""

from __future__ import annotations

import contextlib
import hashlib
import pwd
import shutil
import sqlite3
from pathlib import Path

import pytest
from tamper_helpers import cut_log_short

from scrdesk.store import anchor, audit, backup, schema
from scrdesk.store.audit import audit_hash, verify_chain
from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo


@pytest.fixture(autouse=True)
def own_state_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRDESK_STATE_DIR", str(tmp_path / "state"))


def worked_file(path: Path, *, with_backup: bool = True) -> Path:
    """A file with some history, closed by its writer (so the app remembers its head)."""
    with Store.open(path, user="tester") as store:
        ids = store.insert_many("agencies", ({"name": f"Agency {n}"} for n in range(6)))
        for row_id in ids[:3]:
            store.update("agencies", row_id, {"lead_name": "Pat Lee"})
        if with_backup:
            backup.backup_to(store)
        store.delete("agencies", ids[-1])
    return path


@contextlib.contextmanager
def raw(path: Path):
    """A connection as a tamperer would use, outside scrdesk."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("scrdesk_user", 0, lambda: "tamperer")
    conn.create_function("scrdesk_audit_hash", 8, audit_hash)
    try:
        yield conn
    finally:
        conn.close()


def checked(path: Path):
    with Store.open(path, user="tester", readonly=True) as store:
        return anchor.check_anchor(store)


def test_a_clean_file_passes_and_names_what_it_was_compared_with(tmp_path):
    result = checked(worked_file(tmp_path / "cases.db"))
    assert result.ok, result.detail
    assert "scrdesk on this computer" in result.detail and "the backup" in result.detail


def test_deleting_the_last_audit_rows_is_noticed(tmp_path):
    path = worked_file(tmp_path / "cases.db")
    with raw(path) as conn:
        total = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    cut_log_short(path)
    with raw(path) as conn:
        left = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        assert left < total
        assert verify_chain(conn)[1] == []  # the chain alone cannot see it
    result = checked(path)
    assert not result.ok and result.fatal
    assert "the audit log is shorter than the one recorded by scrdesk on this computer" in result.detail
    assert f"({total} rows then, {left} of them now)" in result.detail
    with Store.open(path, user="tester", readonly=True) as store:
        assert store.anchor_warning and "shorter" in store.anchor_warning


def test_the_window_compares_the_anchors_after_the_first_paint_with_the_whole_file_check(tmp_path):
    """Opened as the window opens it, counting the log waits for the check after the first
    paint; a sound file's check then gives the warning, before anything can be written."""
    path = worked_file(tmp_path / "cases.db")
    cut_log_short(path)
    with Store.open(path, user="tester", full_check="later") as store:
        assert store.anchor_check_owed and store.anchor_warning is None
        assert store.run_full_check() is None  # the file itself is sound
        assert not store.anchor_check_owed
        assert "shorter" in store.anchor_warning
        warning = store.anchor_warning
        assert store.run_full_check() is None and store.anchor_warning == warning  # not run again


def test_a_file_closed_before_its_anchors_were_compared_keeps_the_old_anchor(tmp_path):
    """Closing records the log's head as the new anchor, but not before the log was compared
    with the old one: a log cut short is still found at the next open."""
    path = worked_file(tmp_path / "cases.db", with_backup=False)
    cut_log_short(path)
    before = anchor.remembered(path)
    with Store.open(path, user="tester", full_check="later") as store:
        assert store.anchor_check_owed
    assert anchor.remembered(path).head == before.head
    with Store.open(path, user="tester") as store:
        assert "shorter" in store.anchor_warning


def test_rewriting_the_chain_from_some_row_on_is_noticed(tmp_path):
    path = worked_file(tmp_path / "cases.db")
    with raw(path) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_seal_no_update")
        seals = conn.execute("SELECT id, last_audit_id, prev_hash FROM audit_seal ORDER BY id").fetchall()
        # A sealed row's author is changed, and every seal from its own on is made anew.
        first_seal, after, prev = seals[1][0], seals[0][1], seals[1][2]
        conn.execute("UPDATE audit_log SET who = 'someone else' WHERE id = ?", [after + 1])
        for seal_id, last_id, _ in seals[1:]:
            digest = hashlib.sha256(prev.encode("utf-8"))
            for row in conn.execute("SELECT id, at, who, tbl, row_id, action, old, new FROM audit_log "
                                    "WHERE id > ? AND id <= ? ORDER BY id", [after, last_id]):
                digest.update(audit._row_bytes(row))
            conn.execute("UPDATE audit_seal SET prev_hash = ?, hash = ? WHERE id = ?",
                         [prev, digest.hexdigest(), seal_id])
            after, prev = last_id, digest.hexdigest()
        assert first_seal <= seals[-1][0]
        conn.execute(schema._APPEND_ONLY[0])
        conn.execute(schema._SEAL_APPEND_ONLY[0])
        assert verify_chain(conn)[1] == []  # rebuilt seals: the chain holds
    result = checked(path)
    assert not result.ok
    assert "differs from the one recorded by scrdesk on this computer" in result.detail
    assert "differs from the one recorded by the backup" in result.detail


def test_a_change_made_with_the_audit_trigger_dropped_and_recreated_is_noticed(tmp_path):
    path = worked_file(tmp_path / "cases.db")
    with Store.open(path, user="tester") as store:
        agency = store.scalar("SELECT id FROM agencies ORDER BY id LIMIT 1")
    with raw(path) as conn:
        for action in ("insert", "update", "delete"):
            conn.execute(f"DROP TRIGGER audit_agencies_{action}")
        conn.execute("UPDATE agencies SET name = 'Renamed quietly' WHERE id = ?", [agency])
        conn.execute("INSERT INTO agencies (name) VALUES ('Added quietly')")
        conn.execute("DELETE FROM agencies WHERE id = ?", [agency + 1])
        schema.install_audit_triggers(__import__("sqlite_utils").Database(conn), "agencies")
    result = checked(path)
    assert not result.ok
    assert "3 record(s) changed without the audit log" in result.detail
    assert f"agencies row {agency} differs from its audit log in name" in result.detail
    assert "is not in the audit log (added unrecorded)" in result.detail
    assert f"agencies row {agency + 1} is gone but its deletion is not in the audit log" in result.detail


def test_the_author_is_the_operating_system_account_not_an_environment_variable(tmp_path, monkeypatch):
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "forged-author")
    with Store.open(tmp_path / "cases.db") as store:
        store.insert("agencies", {"name": "Northshire Police"})
        authors = {r["who"] for r in store.rows("SELECT who FROM audit_log")}
    assert authors == {pwd.getpwuid(__import__("os").getuid()).pw_name}


def test_a_log_that_only_grew_since_it_was_anchored_is_fine(tmp_path):
    path = worked_file(tmp_path / "cases.db")
    with Store.open(path, user="tester") as store:
        store.insert("agencies", {"name": "Added later"})
    assert checked(path).ok


def test_restoring_an_older_backup_is_not_taken_for_tampering(tmp_path):
    path = worked_file(tmp_path / "cases.db")
    oldest = backup.backups_of(path)[-1]
    with Store.open(path, user="tester") as store:
        store.insert("agencies", {"name": "After the backup"})
        backup.backup_to(store)
    backup.restore_backup(oldest, path)
    result = checked(path)
    assert result.ok, result.detail


def test_a_file_replaced_by_another_is_not_taken_for_tampering(tmp_path):
    path = worked_file(tmp_path / "cases.db")
    write_demo(path)  # as `demo --force` does: a new history at the same path
    result = checked(path)
    assert result.ok, result.detail
    shutil.copy(path, tmp_path / "copy.db")
    assert checked(tmp_path / "copy.db").ok  # a copy elsewhere has no anchors yet
