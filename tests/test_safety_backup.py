"""Verified backups, thinning over simulated months, listing, and the restore round trip."""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from scrdesk.store import backup
from scrdesk.store.audit import verify_chain
from scrdesk.store.db import Store, StoreError


def fill(store: Store, agencies: int = 3, referrals: int = 2, first: int = 0) -> None:
    for n in range(first, first + agencies):
        store.insert("agencies", {"name": f"Agency {n}"})
    for n in range(first, first + referrals):
        store.insert("referrals", {"ref": f"Ref{n + 1:03d}", "summary": "Neglect"})


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "cases.db", user="tester")
    fill(opened)
    yield opened
    opened.close()


def test_backup_is_a_verified_self_contained_copy_in_the_backups_folder(store, tmp_path):
    info = backup.backup_to(store)
    assert info.path.parent == tmp_path / "backups"
    assert re.fullmatch(r"cases-\d{8}-\d{6}\.db", info.path.name)
    assert info.ok and info.kind == "automatic" and info.size == info.path.stat().st_size
    assert info.counts["agencies"] == 3 and info.counts["referrals"] == 2
    assert not list(info.path.parent.glob("*.part"))
    copy = sqlite3.connect(info.path)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, no -wal
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM lease").fetchone()[0] == 0  # belongs to nobody
    assert verify_chain(copy)[1] == []
    copy.close()


def test_backup_to_a_named_file_never_overwrites(store, tmp_path):
    out = tmp_path / "elsewhere" / "copy.db"
    assert backup.backup_to(store, out).kind == "other"
    with pytest.raises(StoreError, match="already exists"):
        backup.backup_to(store, out)


def test_two_backups_in_one_second_get_different_names(store):
    first = backup.backup_to(store)
    second = backup.backup_to(store)
    assert first.path != second.path and first.path.exists() and second.path.exists()


def break_an_index(path: Path) -> None:
    """An index whose entries no longer match its table: quick_check misses this,
    integrity_check finds it."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE INDEX idx_test_short ON agencies(short_name)")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX idx_test_short ON agencies(lead_name)' "
                 "WHERE name = 'idx_test_short'")
    conn.commit()
    conn.close()


def test_a_copy_that_fails_its_integrity_check_is_removed_and_reported(tmp_path):
    path = tmp_path / "cases.db"
    with Store.open(path, user="tester") as store:
        for n in range(5):
            store.insert("agencies", {"name": f"A{n}", "short_name": f"S{n}", "lead_name": f"L{n}"})
    break_an_index(path)
    with Store.open(path, user="tester") as store, pytest.raises(
            StoreError, match="failed its integrity check and was removed"):
        backup.backup_to(store)
    assert not list((tmp_path / "backups").glob("*"))


def test_automatic_backup_only_when_something_changed(store, tmp_path):
    first = backup.automatic_backup(store, "open")
    assert first is not None
    assert backup.automatic_backup(store, "timer") is None
    store.update("agencies", 1, {"lead_name": "Pat Example"})
    assert backup.changed_since_last_backup(store)
    second = backup.automatic_backup(store, "timer")
    assert second is not None and second.path != first.path
    assert backup.automatic_backup(store, "close") is None


def test_nothing_changed_since_the_newest_backup_of_an_earlier_session(tmp_path):
    path = tmp_path / "cases.db"
    with Store.open(path, user="tester") as store:
        fill(store)
        assert backup.automatic_backup(store, "close") is not None
    with Store.open(path, user="tester") as store:
        assert store.backup_mark is None  # a new session: compared with the newest file
        assert not backup.changed_since_last_backup(store)
        assert backup.automatic_backup(store, "open") is None
        store.insert("agencies", {"name": "New"})
        assert backup.automatic_backup(store, "close") is not None


def test_a_read_only_copy_makes_no_automatic_backup(store, tmp_path):
    with Store.open(store.path, readonly=True) as reader:
        assert backup.automatic_backup(reader, "open") is None


# -- thinning -----------------------------------------------------------------------------------

def touch_backup(folder: Path, stem: str, moment: datetime) -> Path:
    path = folder / f"{stem}-{moment:%Y%m%d-%H%M%S}.db"
    path.write_bytes(b"")
    return path


def stamps(folder: Path, stem: str = "cases") -> list[datetime]:
    found = []
    for path in folder.glob(f"{stem}-*.db"):
        match = re.fullmatch(rf"{stem}-(\d{{8}}-\d{{6}})\.db", path.name)
        if match:
            found.append(datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"))
    return sorted(found)


def newest_per_period(moments: list[datetime], period, count: int) -> set[datetime]:
    newest: dict = {}
    for moment in moments:
        key = period(moment)
        newest[key] = max(newest.get(key, moment), moment)
    return {newest[key] for key in sorted(newest)[-count:]}


def expected_kept(moments: list[datetime]) -> set[datetime]:
    return (newest_per_period(moments, lambda d: d.date(), 12)
            | newest_per_period(moments, lambda d: d.isocalendar()[:2], 10)
            | newest_per_period(moments, lambda d: (d.year, d.month), 9)
            | {max(moments)})


def test_thinning_over_eighteen_simulated_months(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    made: list[datetime] = []
    day = datetime(2016, 1, 4)
    while day < datetime(2017, 7, 1):
        holiday = datetime(2016, 8, 1) <= day < datetime(2016, 8, 29)
        if day.weekday() < 5 and not holiday:
            for hour, minute in ((9, 2), (11, 30), (16, 45)):  # open, a timer, close
                moment = day.replace(hour=hour, minute=minute)
                touch_backup(folder, "cases", moment)
                made.append(moment)
            backup.thin_backups(folder, now=day.replace(hour=17))
            kept = stamps(folder)
            # The rules hold after every day, not just at the end.
            assert set(kept) == expected_kept(made), day
        day += timedelta(days=1)
    kept = stamps(folder)
    assert len(kept) <= 12 + 10 + 9
    assert max(kept) == max(made)
    days_kept = {k.date() for k in kept}
    assert len([d for d in days_kept if d >= datetime(2017, 6, 1).date()]) >= 12
    months = {(k.year, k.month) for k in kept}
    assert {(2016, 11), (2016, 12), (2017, 1), (2017, 6)} <= months
    assert (2016, 9) not in months  # older than the nine newest months


def test_a_holiday_costs_no_daily_backups(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    before = [datetime(2017, 3, 1) + timedelta(days=n, hours=9) for n in range(14)]
    for moment in before:
        touch_backup(folder, "cases", moment)
    # Back from four weeks away: the dailies from before are still the last 12 days with backups.
    backup.thin_backups(folder, now=datetime(2017, 4, 12, 9))
    assert stamps(folder)[-12:] == before[-12:]


def test_thinning_touches_only_automatic_backups_of_each_file_separately(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2016, 1, 1, 9)
    for n in range(400):
        touch_backup(folder, "cases", start + timedelta(days=n))
        touch_backup(folder, "training", start + timedelta(days=n))
    others = [folder / "cases.before-schema-2-20160105-090000.db", folder / "notes.db",
              folder / "cases-copy.db", folder / "cases-20160101-090000.db.part"]
    for path in others:
        path.write_bytes(b"")
    future = touch_backup(folder, "cases", datetime(2030, 1, 1))
    deleted = backup.thin_backups(folder, now=start + timedelta(days=400))
    assert all(path.exists() for path in others) and future.exists()
    assert deleted and all(p.name.startswith(("cases-", "training-")) for p in deleted)
    assert stamps(folder, "cases") == [*stamps(folder, "training"), datetime(2030, 1, 1)]


# -- listing and restoring ----------------------------------------------------------------------

def test_list_backups_reads_date_and_counts_from_each_file(store, tmp_path):
    first = backup.backup_to(store)
    fill(store, agencies=2, referrals=1, first=10)
    second = backup.backup_to(store)
    (tmp_path / "backups" / "cases-20170101-090000.db").write_text("not a database")
    listed = backup.list_backups(tmp_path / "backups")
    by_path = {info.path: info for info in listed}
    assert by_path[first.path].counts["agencies"] == 3
    assert by_path[second.path].counts["agencies"] == 5
    bad = by_path[tmp_path / "backups" / "cases-20170101-090000.db"]
    assert not bad.ok and bad.problem and bad.created_at == datetime(2017, 1, 1, 9)
    assert listed[-1] is bad  # newest first
    assert by_path[second.path].counts_text() == "3 referrals · 0 reviews · 0 actions · 0 briefings"


def test_restore_round_trip_keeps_the_current_file_aside(tmp_path):
    path = tmp_path / "cases.db"
    with Store.open(path, user="tester") as store:
        fill(store)
        saved = backup.backup_to(store)
        store.delete("agencies", 1)
        store.insert("agencies", {"name": "Added after the backup"})
    aside = backup.restore_backup(saved.path, path)
    assert re.fullmatch(r"cases\.before-restore-\d{8}-\d{6}\.db", aside.name)
    with Store.open(path, user="tester") as restored:
        names = {r["name"] for r in restored.rows("SELECT name FROM agencies")}
        assert names == {"Agency 0", "Agency 1", "Agency 2"}
        assert verify_chain(restored.db.conn)[1] == []
        assert not restored.readonly
    kept = sqlite3.connect(aside)
    assert "Added after the backup" in {r[0] for r in kept.execute("SELECT name FROM agencies")}
    kept.close()
    # A second restore keeps a second file aside; nothing is overwritten.
    second_aside = backup.restore_backup(saved.path, path)
    assert second_aside != aside and aside.exists() and second_aside.exists()


def test_restore_refuses_while_the_file_is_open_here_or_elsewhere(tmp_path):
    path = tmp_path / "cases.db"
    store = Store.open(path, user="tester")
    saved = backup.backup_to(store)
    with pytest.raises(StoreError, match="Close the data file"):
        backup.restore_backup(saved.path, path)
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO lease VALUES (1, 'sjones', 'LAPTOP-12', 42, ?, ?)",
                 [datetime.utcnow().isoformat() + "Z"] * 2)
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="sjones on LAPTOP-12 has it open"):
        backup.restore_backup(saved.path, path)


def test_a_bad_backup_is_not_restored_and_nothing_changes(store, tmp_path):
    bad = tmp_path / "backups" / "cases-20170101-090000.db"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text("garbage " * 1000)
    path = store.path
    store.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="cannot be restored"):
        backup.restore_backup(bad, path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_restore_when_the_data_file_is_gone(store, tmp_path):
    saved = backup.backup_to(store)
    path = store.path
    store.close()
    for leftover in tmp_path.glob("cases.db*"):
        leftover.rename(tmp_path / f"moved-{leftover.name}")
    assert backup.restore_backup(saved.path, path) is None
    with Store.open(path, user="tester") as restored:
        assert restored.scalar("SELECT count(*) FROM agencies") == 3


def test_restore_into_the_windows_open_store_in_place(store, tmp_path):
    saved = backup.backup_to(store)
    store.insert("agencies", {"name": "Added after the backup"})
    aside = backup.restore_into(store, saved.path)
    assert store.holds_lease and not store.readonly  # the same object, open again
    assert store.scalar("SELECT count(*) FROM agencies") == 3
    store.insert("agencies", {"name": "Added after the restore"})
    assert aside.exists()


def test_a_backup_holds_only_what_was_committed_even_mid_transaction(store):
    # The window backs up on a worker thread; its own connection may be half-way through a write.
    with store.transaction():
        store.insert("agencies", {"name": "Not committed yet"})
        result = {}
        worker = threading.Thread(target=lambda: result.update(info=backup.backup_to(store)))
        worker.start()
        worker.join(timeout=30)
    copy = sqlite3.connect(result["info"].path)
    names = {r[0] for r in copy.execute("SELECT name FROM agencies")}
    copy.close()
    assert names == {"Agency 0", "Agency 1", "Agency 2"}
