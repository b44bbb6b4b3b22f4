"""Damaged and foreign files: set aside as *.corrupt (never deleted), the newest good backup
offered, and never a crash."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest

from scrdesk.store import backup, recovery
from scrdesk.store.db import DamagedFileError, EmptyFileError, NotADataFileError, Store, StoreError

PAGE = 4096


@pytest.fixture(autouse=True)
def own_state_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRDESK_STATE_DIR", str(tmp_path / "state"))


def real_file(path: Path, rows: int = 3000) -> Path:
    """A real multi-page scrdesk file with a verified backup beside it."""
    with Store.open(path, user="tester") as store:
        store.insert_many("agencies", ({"name": f"Agency {n}", "lead_name": "x" * 40}
                                       for n in range(rows)))
        backup.backup_to(store)
    assert path.stat().st_size > 50 * PAGE
    return path


def open_damaged(path: Path, **options) -> DamagedFileError:
    with pytest.raises(DamagedFileError) as caught:
        Store.open(path, user="tester", **options)
    return caught.value


def test_a_truncated_file_is_renamed_and_the_backup_offered(tmp_path):
    path = real_file(tmp_path / "cases.db")
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    error = open_damaged(path)
    assert not path.exists()
    assert error.renamed_to == tmp_path / "cases.db.corrupt" and error.renamed_to.exists()
    assert error.newest_good_backup == backup.backups_of(path)[0]
    assert "renamed cases.db.corrupt; nothing was deleted" in str(error)
    assert "newest good backup is from" in str(error)


def test_overwritten_pages_in_the_middle_are_found(tmp_path):
    path = real_file(tmp_path / "cases.db")
    size = path.stat().st_size
    original = path.read_bytes()
    rng = random.Random(3)
    middle = (size // PAGE // 2) * PAGE
    with open(path, "r+b") as handle:
        handle.seek(middle)
        handle.write(rng.randbytes(3 * PAGE))
    error = open_damaged(path)
    assert error.renamed_to.read_bytes()[:middle] == original[:middle]  # kept as it was
    assert error.newest_good_backup is not None


def test_a_text_file_given_by_mistake_is_refused_and_left_where_it_is(tmp_path):
    # Issue 12, item 11: a text file passed as --db to a write command was renamed .corrupt.
    path = tmp_path / "notes.db"
    path.write_text("Minutes of the sub group meeting\n" * 200, encoding="utf-8")
    with pytest.raises(NotADataFileError, match="not a scrdesk data file") as caught:
        Store.open(path, user="tester")
    assert not isinstance(caught.value, DamagedFileError)
    assert path.read_text(encoding="utf-8").startswith("Minutes")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.db"]


def test_a_file_whose_header_was_overwritten_is_still_known_as_damaged(tmp_path):
    # No backup and no journal: the rest of the database header shows it was a database.
    path = tmp_path / "cases.db"
    with Store.open(path, user="tester"):
        pass
    with open(path, "r+b") as handle:
        handle.write(b"garbage garbage!")
    assert open_damaged(path).renamed_to == tmp_path / "cases.db.corrupt"


def test_a_second_damaged_file_does_not_overwrite_the_first(tmp_path):
    path = real_file(tmp_path / "cases.db", rows=10)
    path.write_text("first")
    open_damaged(path)
    path.write_text("second")
    error = open_damaged(path)
    assert error.renamed_to.name == "cases.db.corrupt-2"
    assert (tmp_path / "cases.db.corrupt").read_text() == "first"


def test_a_read_only_open_reports_damage_but_moves_nothing(tmp_path):
    path = real_file(tmp_path / "cases.db", rows=10)
    path.write_text("not a database " * 100)
    error = open_damaged(path, readonly=True)
    assert error.renamed_to is None and path.exists()
    assert "left as it is" in str(error)


def test_a_zero_byte_file_is_not_adopted_without_being_asked(tmp_path):
    # Issue 12, item 11: an empty file was silently made a data file.
    path = tmp_path / "new.db"
    path.touch()
    with pytest.raises(EmptyFileError, match="empty"):
        Store.open(path, user="tester")
    assert path.exists() and path.stat().st_size == 0 and not list(tmp_path.glob("*.corrupt*"))
    with Store.open(path, user="tester", adopt_empty=True) as store:
        assert not store.readonly and store.scalar("SELECT count(*) FROM settings") > 0


def test_a_zero_byte_file_is_damaged_when_it_has_backups(tmp_path):
    path = real_file(tmp_path / "cases.db", rows=10)
    path.write_bytes(b"")
    error = open_damaged(path)
    assert "empty (0 bytes)" in str(error)
    assert error.renamed_to.stat().st_size == 0 and error.newest_good_backup is not None


def test_a_zero_byte_file_without_backups_is_left_alone_when_opening_an_existing_file(tmp_path):
    path = tmp_path / "cases.db"
    path.touch()
    with pytest.raises(EmptyFileError):
        Store.open(path, user="tester", create=False)
    assert path.exists() and not list(tmp_path.glob("*.corrupt*"))


def test_another_programs_database_is_left_alone(tmp_path):
    path = tmp_path / "places.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks (url TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="database of another program") as caught:
        Store.open(path, user="tester")
    assert not isinstance(caught.value, DamagedFileError)
    assert path.exists() and not list(tmp_path.glob("*.corrupt*"))


def test_journals_travel_with_the_damaged_file(tmp_path):
    path = tmp_path / "cases.db"
    path.write_text("garbage " * 600)
    Path(f"{path}-wal").write_bytes(b"wal bytes")
    error = open_damaged(path)
    assert Path(f"{error.renamed_to}-wal").read_bytes() == b"wal bytes"
    assert not Path(f"{path}-wal").exists()


def test_the_offered_backup_restores_and_opens(tmp_path):
    path = real_file(tmp_path / "cases.db", rows=200)
    with open(path, "r+b") as handle:
        handle.seek(PAGE * 2)
        handle.write(b"\xff" * PAGE * 2)
    error = open_damaged(path)
    assert backup.restore_backup(error.newest_good_backup, path) is None  # nothing left to keep
    with Store.open(path, user="tester") as store:
        assert store.scalar("SELECT count(*) FROM agencies") == 200


def test_a_damaged_backup_is_not_offered(tmp_path):
    path = real_file(tmp_path / "cases.db", rows=200)
    newest = backup.backups_of(path)[0]
    older = newest.with_name("cases-20000101-090000.db")
    os.replace(newest, older)
    newest.write_text("this backup was damaged too")
    assert recovery.newest_good_backup(path) == older


@pytest.mark.parametrize("seed", range(12))
def test_random_damage_never_escapes_as_anything_but_a_store_error(tmp_path, seed):
    """Whatever is written over the file, opening it gives a StoreError or a working store."""
    path = real_file(tmp_path / "cases.db", rows=400)
    rng = random.Random(seed)
    data = bytearray(path.read_bytes())
    for _ in range(rng.randint(1, 6)):
        start = rng.randrange(len(data))
        length = rng.choice([1, 16, 100, PAGE])
        data[start:start + length] = rng.randbytes(min(length, len(data) - start))
    if rng.random() < 0.3:
        data = data[: rng.randrange(len(data))]
    path.write_bytes(bytes(data))
    try:
        store = Store.open(path, user="tester")
    except StoreError:
        return
    with store:
        store.rows("SELECT count(*) FROM agencies")
