"""Migration from every older schema: each earlier step is built (or loaded from a frozen
fixture), opened with Store.open, and must come out migrated, backed up first, with every
audit trigger in place and its history intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from scrdesk.store import backup, schema
from scrdesk.store.audit import verify_chain
from scrdesk.store.db import Store, _register_functions, _RowAudit, schema_version

FIXTURES = Path(__file__).parent / "fixtures"
MIGRATION_NAMES = [m.name for m in schema.migrations._migrations]


def triggers(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


def build_at_step(path: Path, stop_before: str, migrations: Migrations = schema.migrations) -> int:
    """A file with every migration before `stop_before` applied, and a record written by it."""
    conn = sqlite3.connect(path, isolation_level=None)
    _register_functions(conn, "older version", _RowAudit())
    db = Database(conn)
    migrations.apply(db, stop_before=stop_before)
    version = schema_version(db)
    if version:
        conn.execute("INSERT INTO agencies (name) VALUES ('Written by an older scrdesk')")
    conn.close()
    return version


def assert_fully_migrated(path: Path, older_version: int, marker: bool = True) -> None:
    with Store.open(path, user="tester") as store:
        assert schema_version(store.db) == schema.SCHEMA_VERSION and not store.readonly
        assert triggers(store.db.conn) == schema.expected_triggers(store.db)
        assert verify_chain(store.db.conn)[1] == []
        if older_version and marker:
            assert store.scalar("SELECT count(*) FROM agencies WHERE name = "
                                "'Written by an older scrdesk'") == 1
        store.insert("agencies", {"name": "Written after the upgrade"})  # audited as usual
    kept = [p for p in backup.backups_of(path) if ".before-schema-" in p.name]
    if older_version == 0:
        assert kept == []  # a new, empty file has nothing to keep
        return
    assert len(kept) == 1
    assert f".before-schema-{older_version + 1}-" in kept[0].name
    with sqlite3.connect(kept[0]) as conn:
        assert schema_version(Database(conn)) == older_version  # the copy is the file as it was
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("stop_before", MIGRATION_NAMES)
def test_a_file_at_every_earlier_schema_step_migrates(tmp_path, stop_before):
    path = tmp_path / "cases.db"
    older = build_at_step(path, stop_before)
    assert older == MIGRATION_NAMES.index(stop_before)
    assert_fully_migrated(path, older)


def test_the_frozen_schema_1_file_migrates(tmp_path):
    path = tmp_path / "cases.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "schema_0001.sql").read_text(encoding="utf-8"))
    conn.close()
    with sqlite3.connect(path) as conn:
        assert schema_version(Database(conn)) == 1
        history_before = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert_fully_migrated(path, 1, marker=False)
    with Store.open(path, user="tester") as store:
        assert store.scalar("SELECT ref FROM referrals") == "Ref053"
        assert store.scalar("SELECT count(*) FROM audit_log") > history_before


def test_the_mechanism_with_a_migration_that_rebuilds_a_table(tmp_path, monkeypatch):
    """A later migration of the kind that drops triggers (a table rebuilt) must still leave
    every trigger in place: proven here with a migration added for the test."""
    extended = Migrations(schema.MIGRATION_SET)
    for migration in schema.migrations._migrations:
        extended(name=migration.name)(migration.fn)

    @extended(name="9001_test_rebuild_agencies")
    def _rebuild(db: Database) -> None:
        db.execute("ALTER TABLE agencies RENAME TO agencies_old")
        db.execute("CREATE TABLE agencies AS SELECT *, NULL AS phone FROM agencies_old")
        db.execute("DROP TABLE agencies_old")
        schema.install_audit_triggers(db, "agencies")

    path = tmp_path / "cases.db"
    older = build_at_step(path, "9001_test_rebuild_agencies", extended)
    monkeypatch.setattr(schema, "migrations", extended)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", older + 1)
    assert_fully_migrated(path, older)
    with Store.open(path, user="tester") as store:
        assert "phone" in schema.columns_of(store.db, "agencies")


def test_a_failed_migration_changes_nothing_and_keeps_its_backup(tmp_path, monkeypatch):
    extended = Migrations(schema.MIGRATION_SET)
    for migration in schema.migrations._migrations:
        extended(name=migration.name)(migration.fn)

    @extended(name="9002_test_fails")
    def _fails(db: Database) -> None:
        db.execute("ALTER TABLE agencies ADD COLUMN half_done TEXT")
        raise RuntimeError("simulated failure half-way through a migration")

    path = tmp_path / "cases.db"
    older = build_at_step(path, "9002_test_fails", extended)
    before = path.read_bytes()
    monkeypatch.setattr(schema, "migrations", extended)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", older + 1)
    with pytest.raises(RuntimeError, match="simulated failure"):
        Store.open(path, user="tester")
    with sqlite3.connect(path) as conn:
        assert schema_version(Database(conn)) == older
        assert "half_done" not in [r[1] for r in conn.execute("PRAGMA table_info(agencies)")]
        assert conn.execute("SELECT count(*) FROM lease").fetchone()[0] == 0  # released
    assert len(before) > 0 and len(backup.backups_of(path)) == 1
