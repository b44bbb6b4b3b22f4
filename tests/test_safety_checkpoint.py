"""Checkpoints: no commit copies the write-ahead log into the file (a save would pause the window
and an import would wait for it); the window does it in a worker when the log has grown, and
closing always does. Nothing committed is ever only in memory: the log is on disk at each commit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scrdesk.store.db import Store


def _in_the_file_itself(path: Path) -> int:
    """Agencies the data file holds without its write-ahead log (what a checkpoint has copied)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM agencies").fetchone()[0]
    finally:
        conn.close()


def _grow_the_log(store: Store, rows: int = 3000) -> None:
    with store.transaction():
        store.db.conn.executemany("INSERT INTO agencies (name, lead_name) VALUES (?, ?)",
                                  [(f"Agency {n}", "x" * 1200) for n in range(rows)])


def test_a_commit_never_checkpoints_and_checkpoint_copies_the_log_in(tmp_path):
    path = tmp_path / "cases.db"
    Store.open(path, user="tester").close()  # made, and its schema copied in by closing
    with Store.open(path, user="tester") as store:
        assert store.journal_mode == "wal"
        assert store.scalar("PRAGMA wal_autocheckpoint") == 0
        before = _in_the_file_itself(path)
        _grow_the_log(store)
        assert store.checkpoint_owed()  # past SQLite's own 1,000 pages
        assert _in_the_file_itself(path) == before  # committed to the log, not yet copied in
        store.checkpoint()
        assert _in_the_file_itself(path) == before + 3000
        store.insert("agencies", {"name": "One more"})  # the log restarts, cut back to its limit
        assert not store.checkpoint_owed()
    assert _in_the_file_itself(path) == before + 3001  # closing copies in everything


def test_a_small_log_is_not_checkpointed_and_read_only_copies_never_are(tmp_path):
    path = tmp_path / "cases.db"
    with Store.open(path, user="tester") as store:
        store.insert("agencies", {"name": "One"})
        assert not store.checkpoint_owed()
        _grow_the_log(store)
        with Store.open(path, user="reader", readonly=True) as reader:
            assert not reader.checkpoint_owed()


def test_a_killed_writer_loses_nothing_it_committed_before_a_checkpoint(tmp_path):
    """The log is the commit: a file reopened with its log (never checkpointed) has every row."""
    path = tmp_path / "cases.db"
    store = Store.open(path, user="tester")
    _grow_the_log(store)
    committed = store.scalar("SELECT count(*) FROM agencies")
    # Walk away without closing, as a killed process would (the lease goes stale on its own).
    store.db.conn.close()
    with Store.open(path, user="tester", take_over_stale=True) as again:
        assert again.scalar("SELECT count(*) FROM agencies") == committed


def test_the_window_checkpoints_a_grown_log_in_a_worker_at_its_heartbeat(qtbot, demo, window_settings):
    from scrdesk.ui.main_window import MainWindow

    window = MainWindow(demo, settings=window_settings, demo=True)
    qtbot.addWidget(window)
    window.show()
    before = _in_the_file_itself(demo.path)
    _grow_the_log(demo)
    window._on_heartbeat_timeout()
    qtbot.waitUntil(lambda: not window._checkpointing, timeout=10000)
    QApplication.processEvents()
    assert _in_the_file_itself(demo.path) == before + 3000
