"""Opening the data file: pragmas, migrations, read-only mode, and the write/read helpers.

All writes go through `Store`: each public write is one transaction (`db.atomic()`), so a crash
loses nothing committed and leaves nothing half-written. Reads use `db.query()`.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from scrdesk.domain.errors import ScrdeskError
from scrdesk.store import schema
from scrdesk.store.audit import audit_hash
from scrdesk.store.settings import DEFAULT_SETTINGS

BUSY_TIMEOUT_MS = 5000


class StoreError(ScrdeskError):
    """The data file cannot be opened or used as asked."""


class ReadOnlyError(StoreError):
    """A write was attempted on a file opened read-only; the message says why it is read-only."""


def now_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some locked-down machines; the audit still needs one
        return "unknown"


def _register_functions(conn: sqlite3.Connection, user: str) -> None:
    conn.create_function("scrdesk_user", 0, lambda: user)
    conn.create_function("scrdesk_audit_hash", 8, audit_hash, deterministic=True)


class Store:
    """One open data file. Create with `Store.open(path)`."""

    def __init__(self, path: Path, db: Database, *, readonly: bool, readonly_reason: str,
                 user: str, journal_mode: str):
        self.path = path
        self.db = db
        self.readonly = readonly
        self.readonly_reason = readonly_reason
        self.user = user
        self.journal_mode = journal_mode

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, create: bool = True,
             journal_mode: str = "wal", user: str | None = None) -> Store:
        """Open (and, when allowed, create or migrate) the data file at `path`.

        A file whose schema is newer than this build opens read-only with that reason.
        """
        path = Path(path)
        user = user or os_user()
        if not path.exists() and (readonly or not create):
            raise StoreError(f"There is no data file at {path}.")
        if readonly:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                   check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), check_same_thread=False)
        # Writes are grouped by db.atomic() alone; Python's implicit transactions would fight it.
        conn.isolation_level = None
        _register_functions(conn, user)
        db = Database(conn)
        try:
            _check_is_database(conn, path)
            mode = _apply_pragmas(conn, readonly=readonly, journal_mode=journal_mode)
            reason = "opened read-only" if readonly else ""
            version = schema_version(db)
            if version > schema.SCHEMA_VERSION:
                reason = (f"this file was written by a newer scrdesk (schema {version}, this build "
                          f"knows {schema.SCHEMA_VERSION}); it is open read-only so nothing is lost")
                readonly = True
            elif version < schema.SCHEMA_VERSION:
                if readonly:
                    raise StoreError("This file needs upgrading before it can be read; "
                                     "open it once with write access.")
                migrate(db, path)
        except Exception:
            conn.close()
            raise
        store = cls(path, db, readonly=readonly, readonly_reason=reason, user=user,
                    journal_mode=mode)
        if not store.readonly:
            store._ensure_default_settings()
        return store

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if not self.readonly and self.journal_mode == "wal":
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyError(f"The data file is read-only: {self.readonly_reason}.")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """Group several writes into one transaction (nested calls become savepoints)."""
        self._require_writable()
        with self.db.atomic():
            yield self.db

    def insert(self, table: str, values: Mapping[str, object]) -> int:
        with self.transaction():
            cursor = self.db.execute(*_insert_sql(table, values))
            return int(cursor.lastrowid)

    def insert_many(self, table: str, rows: Iterable[Mapping[str, object]]) -> list[int]:
        ids = []
        with self.transaction():
            for values in rows:
                ids.append(int(self.db.execute(*_insert_sql(table, values)).lastrowid))
        return ids

    def update(self, table: str, row_id: int, values: Mapping[str, object]) -> None:
        if not values:
            return
        values = dict(values)
        values["updated_at"] = now_stamp()
        columns = ", ".join(f'"{c}" = ?' for c in values)
        with self.transaction():
            cursor = self.db.execute(f'UPDATE "{table}" SET {columns} WHERE id = ?',
                                     [*values.values(), row_id])
            if cursor.rowcount != 1:
                raise StoreError(f"There is no {table} record {row_id} to change (it may have been deleted).")

    def delete(self, table: str, row_id: int) -> None:
        with self.transaction():
            self.db.execute(f'DELETE FROM "{table}" WHERE id = ?', [row_id])

    # -- reading -----------------------------------------------------------------------------

    def rows(self, sql: str, params: Iterable | Mapping = ()) -> list[dict]:
        return list(self.db.query(sql, params))

    def row(self, sql: str, params: Iterable | Mapping = ()) -> dict | None:
        return next(iter(self.db.query(sql, params)), None)

    def scalar(self, sql: str, params: Iterable | Mapping = ()):
        found = self.db.execute(sql, params).fetchone()
        return None if found is None else found[0]

    def get(self, table: str, row_id: int) -> dict | None:
        return self.row(f'SELECT * FROM "{table}" WHERE id = ?', [row_id])

    # -- settings ----------------------------------------------------------------------------

    def settings(self) -> dict:
        values = dict(DEFAULT_SETTINGS)
        for row in self.db.query("SELECT key, value FROM settings"):
            with contextlib.suppress(TypeError, ValueError):
                values[row["key"]] = json.loads(row["value"])
        return values

    def setting(self, key: str, default=None):
        raw = self.scalar("SELECT value FROM settings WHERE key = ?", [key])
        if raw is None:
            return DEFAULT_SETTINGS.get(key, default)
        return json.loads(raw)

    def set_settings(self, values: Mapping[str, object]) -> None:
        with self.transaction():
            for key, value in values.items():
                encoded = json.dumps(value, ensure_ascii=False)
                existing = self.scalar("SELECT id FROM settings WHERE key = ?", [key])
                if existing is None:
                    self.db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [key, encoded])
                else:
                    self.update("settings", existing, {"value": encoded})

    def set_setting(self, key: str, value: object) -> None:
        self.set_settings({key: value})

    def _ensure_default_settings(self) -> None:
        have = {r["key"] for r in self.db.query("SELECT key FROM settings")}
        missing = {k: v for k, v in DEFAULT_SETTINGS.items() if k not in have}
        if missing:
            self.set_settings(missing)


def _insert_sql(table: str, values: Mapping[str, object]) -> tuple[str, list]:
    if not values:
        return f'INSERT INTO "{table}" DEFAULT VALUES', []
    columns = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join("?" for _ in values)
    return f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(values.values())


def _check_is_database(conn: sqlite3.Connection, path: Path) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path.name} is not a scrdesk data file or is damaged ({error}).") from error


def _apply_pragmas(conn: sqlite3.Connection, *, readonly: bool, journal_mode: str) -> str:
    """Set the safety pragmas and read each back: a pragma that silently did not take is an error."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    expected = {"foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS}
    if not readonly:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")
        expected |= {"synchronous": 2, "secure_delete": 1}
    for pragma, value in expected.items():
        actual = conn.execute(f"PRAGMA {pragma}").fetchone()[0]
        if actual != value:
            raise StoreError(f"Could not set the safety setting {pragma} on the data file "
                             f"(asked {value}, got {actual}).")
    if readonly:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    mode = conn.execute(f"PRAGMA journal_mode = {journal_mode}").fetchone()[0]
    if mode.lower() != journal_mode.lower():
        raise StoreError(f"Could not switch the data file to {journal_mode} journal (got {mode}).")
    return mode.lower()


def schema_version(db: Database) -> int:
    """How many migrations of our set this file has had (0 for a new, empty file)."""
    if "_sqlite_migrations" not in db.table_names():
        return 0
    return int(db.execute(
        "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = ?", [schema.MIGRATION_SET]
    ).fetchone()[0])


def migrate(db: Database, path: Path | None = None) -> None:
    """Apply pending migrations; an existing file is backed up first (never a new empty one)."""
    if path is not None and schema_version(db) > 0 and path.exists():
        backup_before_migration(db.conn, path)
    schema.migrations.apply(db)
    db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")


def backup_before_migration(conn: sqlite3.Connection, path: Path) -> Path:
    target = path.with_name(f"{path.stem}.before-schema-{schema_version(Database(conn)) + 1}"
                            f"-{datetime.now().strftime('%Y%m%d-%H%M%S')}{path.suffix}")
    with contextlib.closing(sqlite3.connect(str(target))) as out:
        conn.backup(out)
    return target
