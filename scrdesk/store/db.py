"""Opening the data file: lease, location, damage check, pragmas, migrations, read-only mode,
and the write/read helpers.

All writes go through `Store`: each public write is one transaction (`store.transaction()`), so a
crash loses nothing committed and leaves nothing half-written. Reads use `store.rows()`.

Opening a file, in order: a missing file is created only when allowed (`NoDataFileError`
otherwise, so the window can ask first); missing permissions are named (`PermissionProblemError`);
the file is checked with `quick_check`; the lease is taken, or the file opens read-only naming who
holds it; the journal mode follows where the file lives (WAL on a local disk, rollback journal on
network shares and synced folders); older schemas are backed up, then migrated.

Only content proven damaged is set aside as `*.corrupt`: SQLite saying the file is corrupt or not
a database, or `quick_check` finding faults, on a scrdesk file. A lock held by another program
(SQLite "busy"/"locked") is waited for (the busy timeout) and then refused with `BusyError`,
leaving the file alone; so is a file that cannot be opened for another reason (permissions, a
vanished drive). A file that never was a scrdesk data file (a text file given by mistake) is
refused as such and left where it is. A journal left by a crash is recovered by SQLite on a
connection that may write, even when the caller asked for a read-only open.

A 0-byte file is what an interrupted copy or a sync client's placeholder leaves behind as often
as a deliberate new file, so it is adopted as a new data file only when the caller says so
(`adopt_empty`, after asking the person); with backups beside it, it is a lost file (renamed,
backup offered); otherwise `EmptyFileError` leaves it as it is.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.settings import DEFAULTS, Settings
from scrdesk.store import anchor, audit, document_log, lease, schema
from scrdesk.store.audit import audit_hash
from scrdesk.store.connection import Connection
from scrdesk.store.lease import LeaseHolder
from scrdesk.store.location import Location, location_of_file

BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"

log = logging.getLogger(__name__)


class StoreError(ScrdeskError):
    """The data file cannot be opened or used as asked."""


class ReadOnlyError(StoreError):
    """A write was attempted on a file opened read-only; the message says why it is read-only."""


class NoDataFileError(StoreError):
    """There is no file at the path and the caller did not allow one to be made."""

    def __init__(self, message: str, *, path: Path):
        super().__init__(message)
        self.path = path


class EmptyFileError(StoreError):
    """The file is empty (0 bytes); it is left as it is unless the caller adopts it."""

    def __init__(self, message: str, *, path: Path):
        super().__init__(message)
        self.path = path


class NotADataFileError(StoreError):
    """The file is not a scrdesk data file (and shows no sign of ever having been one)."""


class BusyError(StoreError):
    """Another program held a lock on the file for longer than the busy timeout."""


class PermissionProblemError(StoreError):
    """The file or its folder lacks a permission scrdesk needs; `missing` says which."""

    def __init__(self, message: str, *, path: Path, missing: str):
        super().__init__(message)
        self.path = path
        self.missing = missing


class DamagedFileError(StoreError):
    """The file is damaged or is not a database; it has been set aside (never deleted).

    `renamed_to` is where the damaged file now is (None when it could not be, or must not be,
    moved: a read-only open or a file someone else has open); `newest_good_backup` is the newest
    backup that passed `quick_check`, or None.
    """

    def __init__(self, message: str, *, path: Path, problem: str,
                 renamed_to: Path | None = None, newest_good_backup: Path | None = None):
        super().__init__(message)
        self.path = path
        self.problem = problem
        self.renamed_to = renamed_to
        self.newest_good_backup = newest_good_backup


class _LeaseLost(Exception):
    """Internal: the lease was found taken over inside a write transaction."""


def now_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def os_user() -> str:
    """The operating system account running scrdesk, as the audit log's author.

    Asked of the operating system itself, never of LOGNAME/USER/USERNAME, which anyone can set
    to another person's name before starting scrdesk (getpass.getuser reads those first).
    """
    try:
        if sys.platform.startswith("win"):
            return _windows_account()
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except Exception:  # no user name on some locked-down machines; the audit still needs one
        return "unknown"


def _windows_account() -> str:
    import ctypes

    size = ctypes.c_ulong(257)  # UNLEN + 1
    buffer = ctypes.create_unicode_buffer(size.value)
    if not ctypes.windll.advapi32.GetUserNameW(buffer, ctypes.byref(size)):
        raise OSError("GetUserNameW failed")
    return buffer.value


class _RowAudit:
    """The audit insert triggers' switch, `scrdesk_row_audit(table)`: 1, except for the one table
    `Store.insert_batch` is filling, whose entries it writes itself in one statement."""

    def __init__(self) -> None:
        self.batch_table: str | None = None

    def __call__(self, table: str) -> int:
        return 0 if table == self.batch_table else 1


def _register_functions(conn: sqlite3.Connection, user: str, row_audit: _RowAudit) -> None:
    conn.create_function("scrdesk_user", 0, lambda: user)
    conn.create_function("scrdesk_row_audit", 1, row_audit)
    conn.create_function("scrdesk_audit_hash", 8, audit_hash, deterministic=True)


# Stores of one process share its lease on a file: the lease is released when the last closes.
_process_leases: dict[str, int] = {}
_process_leases_lock = threading.Lock()


def _lease_key(path: Path) -> str:
    return str(path.resolve())


class Store:
    """One open data file. Create with `Store.open(path)`."""

    def __init__(self, path: Path, db: Connection, *, readonly: bool, readonly_reason: str,
                 user: str, journal_mode: str, location: Location | None = None,
                 lease_holder: LeaseHolder | None = None, holds_lease: bool = False):
        self.path = path
        self.db = db
        self.readonly = readonly
        self.readonly_reason = readonly_reason
        self.user = user
        self.journal_mode = journal_mode
        self.location = location
        self.location_warning = location.warning if location else None
        #: Ours while we hold the lease; otherwise whoever holds it (None: nobody).
        self.lease_holder = lease_holder
        self.holds_lease = holds_lease
        #: (audit id, audit hash) at the last backup this session; see backup.changed_since_last_backup.
        self.backup_mark: tuple[int, str] | None = None
        #: Set on opening when the audit log is shorter than, or differs from, one recorded
        #: outside the file (store.anchor); the window shows it.
        self.anchor_warning: str | None = None
        #: The whole-file check is still to run (opened with full_check="later").
        self.full_check_owed = False
        #: The comparison with the anchors is still to run (likewise: `run_full_check` makes it
        #: on a sound file); `anchor_warning` waits for it.
        self.anchor_check_owed = False
        self._full_check_lock = threading.Lock()
        self._full_check_problem: str | None = None
        self._set_aside_error: DamagedFileError | None = None
        self._row_audit = _RowAudit()
        self._tidy_on_close = False
        self._open_arguments: dict = {}
        self._settings: Settings | None = None

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, create: bool = True,
             journal_mode: str | None = None, user: str | None = None,
             take_over_stale: bool = False, adopt_empty: bool = False,
             full_check: str = "now") -> Store:
        """Open (and, when allowed, create or migrate) the data file at `path`.

        `journal_mode` None chooses by where the file lives (`store.location`). A live lease
        held by another copy of scrdesk, or a stale one without `take_over_stale`, opens the
        file read-only with `lease_holder` set. A file whose schema is newer than this build
        opens read-only with that reason. A damaged file raises `DamagedFileError`; a busy one
        `BusyError`; a missing one (without `create`) `NoDataFileError`; an empty one (without
        `adopt_empty`) `EmptyFileError`; a file that is not ours `NotADataFileError`.

        `full_check="later"` (the window) leaves the whole-file `quick_check` owed: only the header
        is checked before the lease is taken, the window paints and shows the file meanwhile, and
        `run_full_check()` does the rest in the background. Nothing is written before it has
        passed: the first write waits for it (`transaction()`), and a file it finds damaged is set
        aside exactly as opening it would have (`set_aside_as_damaged`). A file that needs a
        schema upgrade is checked in full before the upgrade writes anything.
        """
        if full_check not in ("now", "later"):
            raise ValueError(f"full_check must be 'now' or 'later', not {full_check!r}")
        path = Path(path)
        if not str(path).strip() or str(path) == ".":
            raise StoreError("No data file was named (the path is empty); give its path.")
        if path.is_dir():
            raise StoreError(f"scrdesk could not open {path}: it is a folder; give the path of "
                             "the data file itself.")
        display_name = None
        given_user = user
        if user is None:
            user = os_user()
            display_name = lease.display_name_of(user)
        location = location_of_file(path)
        journal_mode = journal_mode or location.journal_mode
        if not path.exists():
            if readonly or not create:
                raise NoDataFileError(f"There is no data file at {path}.", path=path)
            new_file = True
        else:
            new_file = False
            _refuse_missing_permissions(path, readonly=readonly)
        if path.exists() and path.stat().st_size == 0:
            _refuse_empty_file_unless_new(path, readonly=readonly, adopt=adopt_empty)
        elif path.exists() and not _starts_like_sqlite_soon(path):
            # Decided before SQLite opens it: on closing, SQLite would delete a -wal beside a
            # file it cannot read, and that journal may be the only copy of recent work.
            _refuse_unreadable_start(path, readonly=readonly)

        if readonly and not new_file:
            _recover_hot_journal(path)
        tidy = readonly and not any(Path(f"{path}{s}").exists() for s in ("-wal", "-shm"))
        try:
            conn = _connect(path, readonly=readonly)
        except sqlite3.OperationalError as error:
            raise _not_damage(path, error) from None
        try:
            row_audit = _RowAudit()
            _register_functions(conn, user, row_audit)
            db = Connection(conn)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if full_check == "later" and _user_version(conn) < schema.SCHEMA_VERSION:
                full_check = "now"  # an upgrade writes at once: the whole file is checked first
            problem = _damage(conn) if full_check == "now" else _damage_seen_at_once(conn)
            if problem is not None:
                conn.close()
                from scrdesk.store import recovery

                raise recovery.damaged(path, problem, readonly=readonly)
            _apply_safety_pragmas(conn, readonly=readonly)
            store = cls._open_checked(path, db, readonly=readonly, user=user,
                                      display_name=display_name, journal_mode=journal_mode,
                                      location=location, take_over_stale=take_over_stale,
                                      full_check_owed=full_check == "later" and not new_file)
        except sqlite3.DatabaseError as error:
            conn.close()
            if _proves_damage(error):
                raise
            raise _not_damage(path, error) from None
        except BaseException:
            conn.close()
            raise
        store._row_audit = row_audit
        store._open_arguments = {"readonly": readonly, "create": create, "user": given_user,
                                 "adopt_empty": adopt_empty}
        store._tidy_on_close = tidy
        if not store.readonly:
            store._ensure_default_settings()
            # Documents printed from a read-only open were queued beside the file; the first
            # writer records them in the audited document log. A queue that cannot be read now
            # is left for the next writer rather than stopping the file opening.
            with contextlib.suppress(OSError, ValueError):
                document_log.flush_pending(store)
        if store.full_check_owed:
            # Counting a long log takes a noticeable part of opening: the window compares it
            # with its anchors after the first paint, with the whole-file check (run_full_check).
            store.anchor_check_owed = True
        else:
            store.anchor_warning = anchor.warning_on_open(store)
        return store

    @classmethod
    def _open_checked(cls, path: Path, db: Connection, *, readonly: bool, user: str,
                      display_name: str | None, journal_mode: str, location: Location,
                      take_over_stale: bool, full_check_owed: bool) -> Store:
        store = cls._open_leased(path, db, readonly=readonly, user=user, display_name=display_name,
                                 journal_mode=journal_mode, location=location,
                                 take_over_stale=take_over_stale, full_check_owed=full_check_owed)
        store.full_check_owed = full_check_owed
        return store

    @classmethod
    def _open_leased(cls, path: Path, db: Connection, *, readonly: bool, user: str,
                     display_name: str | None, journal_mode: str, location: Location,
                     take_over_stale: bool, full_check_owed: bool) -> Store:
        conn = db.conn
        version = schema_version(db)
        if version == 0 and _has_user_tables(db):
            raise StoreError(f"{path.name} is a database of another program, not a scrdesk data "
                             "file; it has been left exactly as it was.")
        if readonly:
            if version < schema.SCHEMA_VERSION:
                raise StoreError("This file needs upgrading before it can be read; "
                                 "open it once with write access.")
            store = cls(path, db, readonly=True, readonly_reason=_newer_reason(version) or
                        "opened read-only", user=user, journal_mode=_current_journal(conn),
                        location=location, lease_holder=lease.read_lease_quietly(conn))
            return store
        if version == 0:
            _set_journal_mode(conn, journal_mode)
            _create_schema(db)
            version = schema_version(db)
            anchor.forget(path)  # a new file at this path: what was remembered was another's
        newer = _newer_reason(version)
        if newer:
            return cls(path, db, readonly=True, readonly_reason=newer, user=user,
                       journal_mode=_current_journal(conn), location=location,
                       lease_holder=lease.read_lease_quietly(conn))

        taken = lease.acquire(conn, user, take_over_stale=take_over_stale,
                              display_name=display_name)
        if not taken.acquired:
            if version < schema.SCHEMA_VERSION:
                who = taken.holder.describe() if taken.holder else "another copy of scrdesk has it open"
                raise StoreError(f"This file needs upgrading to this version of scrdesk, which can "
                                 f"only happen while nobody else has it open: {who}.")
            conn.execute("PRAGMA query_only = 1")  # a second guard under the readonly flag
            reason = (taken.holder.describe() if taken.holder and not taken.busy else
                      "another copy of scrdesk was busy saving to it; open it again in a moment")
            return cls(path, db, readonly=True, readonly_reason=reason, user=user,
                       journal_mode=_current_journal(conn), location=location,
                       lease_holder=taken.holder)

        key = _lease_key(path)
        with _process_leases_lock:
            _process_leases[key] = _process_leases.get(key, 0) + 1
        store = cls(path, db, readonly=False, readonly_reason="", user=user,
                    journal_mode=_current_journal(conn), location=location,
                    lease_holder=taken.holder, holds_lease=True)
        try:
            store.journal_mode = _set_journal_mode(conn, journal_mode)
            if store.journal_mode == "wal":
                # No checkpoint inside a commit: `checkpoint` runs them (the window, in a worker,
                # when the log has grown; `close` always). See CHECKPOINT_AFTER_BYTES.
                conn.execute("PRAGMA wal_autocheckpoint = 0")
                # After a checkpoint, the next write restarts the log and cuts the file back to this.
                conn.execute(f"PRAGMA journal_size_limit = {CHECKPOINT_AFTER_BYTES // 4}")
            if version < schema.SCHEMA_VERSION:
                migrate(db, path)
        except Exception:
            store._release_lease()
            raise
        return store

    # -- the deferred whole-file check ---------------------------------------------------------

    def _own_connection(self, mode: str) -> sqlite3.Connection:
        """A connection of its own on this file (`mode` "ro" or "rw"), usable from a worker thread."""
        return sqlite3.connect(f"{self.path.resolve().as_uri()}?mode={mode}", uri=True, check_same_thread=False)

    def run_full_check(self) -> str | None:
        """Run the owed `quick_check` on a read-only connection of its own; the problem found, in
        SQLite's words, or None when the file is sound (or nothing was owed). A sound file's audit
        log is then compared with its anchors on the same connection (`anchor_warning`).

        Safe to call from a worker thread: it never touches `self.db` and never closes anything.
        Calls from two threads run it once; the second waits for the first's answer.
        """
        with self._full_check_lock:
            if self.full_check_owed:
                # The newest backup's record first, on a connection of its own, closed before the
                # check's opens: one connection at a time holds the schema (2 MB each).
                newest = anchor.newest_backup_record(self.path) if self.anchor_check_owed else None
                conn = self._own_connection("ro")
                try:
                    _configure_check_connection(conn)
                    self._full_check_problem = _damage(conn)
                    if self._full_check_problem is None and self.anchor_check_owed:
                        # On the same connection: a second one would read the schema again.
                        self.anchor_warning = anchor.warning_for(self.path, conn, newest)
                        self.anchor_check_owed = False
                finally:
                    conn.close()
                self.full_check_owed = False
            return self._full_check_problem

    def set_aside_as_damaged(self, problem: str) -> DamagedFileError:
        """Let go of a file the full check found damaged, writing nothing more to it, set it
        aside as `.corrupt` and return the error opening it would have raised (on the thread
        that uses this store)."""
        if self._set_aside_error is not None:
            return self._set_aside_error
        from scrdesk.store import recovery

        if self.holds_lease:
            self.holds_lease = False
            self._forget_process_lease()
        with contextlib.suppress(sqlite3.Error):
            self.db.conn.close()
        self.readonly = True
        self.readonly_reason = f"the file is damaged ({problem})"
        opened_read_only = bool(self._open_arguments.get("readonly"))
        self._set_aside_error = recovery.damaged(self.path, problem, readonly=opened_read_only)
        return self._set_aside_error

    def _full_check_before_writing(self) -> None:
        if self._set_aside_error is not None:
            raise self._set_aside_error
        if (self.full_check_owed or self._full_check_problem) and (problem := self.run_full_check()):
            raise self.set_aside_as_damaged(problem)

    def close(self) -> None:
        if self._set_aside_error is not None:
            return  # set aside as damaged: already let go of, and nothing more is written
        if self.holds_lease and not self.anchor_check_owed:
            # Remembered outside the file, so a log shortened or rebuilt later is noticed. Not
            # before the log was compared with the anchor remembered last time: that one still
            # holds for a log that only grew, and still catches one that did not.
            anchor.remember_quietly(self.path, self.db.conn)
        with contextlib.suppress(sqlite3.Error):
            self._release_lease()
        with contextlib.suppress(sqlite3.Error):
            if not self.readonly and self.journal_mode == "wal":
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.conn.close()
        if self._tidy_on_close:
            _tidy_side_files(self.path)

    def reopen(self, *, take_over_stale: bool = False) -> None:
        """Close and open the same file again, in place: the same object on a new connection
        (after a restore, or to take over a lease that has gone stale)."""
        self.close()
        fresh = Store.open(self.path, take_over_stale=take_over_stale, **self._open_arguments)
        fresh._open_arguments = dict(self._open_arguments)
        self.__dict__.update(fresh.__dict__)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- checkpoints -------------------------------------------------------------------------

    def checkpoint_owed(self) -> bool:
        """Whether the write-ahead log has grown past `CHECKPOINT_AFTER_BYTES` (WAL files only)."""
        if self.readonly or self.journal_mode != "wal":
            return False
        try:
            return Path(f"{self.path}-wal").stat().st_size >= CHECKPOINT_AFTER_BYTES
        except OSError:
            return False

    def checkpoint(self) -> None:
        """Copy what the write-ahead log holds into the file, on a connection of its own (safe from
        a worker thread), never waiting for a reader or a writer (PASSIVE): what it cannot copy now
        waits for the next one, and `close` copies everything."""
        conn = self._own_connection("rw")
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    # -- the lease ---------------------------------------------------------------------------

    def heartbeat(self) -> bool:
        """Tell other copies of scrdesk we are still here (the window calls this every 30 s).

        Returns whether this store still holds the file. When someone has taken the lease over
        (this laptop slept past the stale limit, say) the store turns read-only and
        `readonly_reason` names the new holder. On a store that does not hold the lease it
        refreshes `lease_holder`, so the window can see when the file becomes free.
        """
        conn = self.db.conn
        if not self.holds_lease:
            self.lease_holder = lease.read_lease_quietly(conn)
            return False
        if conn.in_transaction or self.full_check_owed:
            return True  # a write, or the whole-file check, is in progress; the next beat will do
        try:
            still_ours = lease.heartbeat(conn, self.lease_holder)
        except sqlite3.OperationalError as error:
            log.warning("heartbeat skipped: %s", error)
            return True
        if not still_ours:
            self._lose_lease()
        return still_ours

    def _lose_lease(self) -> None:
        self._forget_process_lease()
        self.holds_lease = False
        self.lease_holder = lease.read_lease_quietly(self.db.conn)
        self.readonly = True
        who = (self.lease_holder.describe() if self.lease_holder
               else "another copy of scrdesk took it over")
        self.readonly_reason = f"this window no longer holds the file: {who}"
        if not self.db.conn.in_transaction:
            self.db.execute("PRAGMA query_only = 1")

    def _forget_process_lease(self) -> int:
        key = _lease_key(self.path)
        with _process_leases_lock:
            left = max(_process_leases.get(key, 1) - 1, 0)
            if left:
                _process_leases[key] = left
            else:
                _process_leases.pop(key, None)
        return left

    def _release_lease(self) -> None:
        if not self.holds_lease:
            return
        self.holds_lease = False
        if self._forget_process_lease() == 0:
            lease.release(self.db.conn, self.lease_holder)

    # -- writing -----------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyError(f"The data file is read-only: {self.readonly_reason}.")

    @contextlib.contextmanager
    def bulk_pages(self) -> Iterator[None]:
        """Around one bulk write (an import): a page cache that holds the pages it changes until
        the commit. With SQLite's 2 MB, an import of 10,000 rows (15 MB of rows, indexes and
        audit entries) spilled pages into the log mid-transaction and wrote some twice: 252 →
        216 ms. The cache goes back to its size afterwards, which frees the pages."""
        before = self.scalar("PRAGMA cache_size")
        self.db.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute(f"PRAGMA cache_size = {int(before)}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Group several writes into one transaction (nested calls become savepoints).

        The outermost transaction is `BEGIN IMMEDIATE`: it waits (up to the busy timeout) for the
        write lock up front, where a deferred one could fail at once when it tries to upgrade
        from reading to writing. Inside it, it checks that the lease is still ours, so a window
        whose lease was taken over cannot write even before its next heartbeat.
        """
        self._full_check_before_writing()
        self._require_writable()
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():  # a savepoint inside the caller's transaction
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self.holds_lease and not lease.is_ours(conn, self.lease_holder):
                raise _LeaseLost
            yield self.db
            # A writable store is always at the current schema, so the index tables exist.
            schema.flush_search_index(conn)
            audit.seal_pending(conn, now_stamp())
        except BaseException as error:
            if conn.in_transaction:  # a RAISE(ROLLBACK) may already have ended it
                conn.execute("ROLLBACK")
            if isinstance(error, _LeaseLost):
                self._lose_lease()
                raise ReadOnlyError(f"The data file is read-only: {self.readonly_reason}.") from None
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

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

    def insert_batch(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        """Insert many rows of the same columns in one statement; returns how many.

        Their audit entries are the ones the trigger writes, but written together by one
        statement after the rows rather than by the trigger row by row: a third of the time
        of an import. Inside a caller's transaction it joins it without a savepoint of its own
        (a savepoint makes SQLite copy every page the batch touches); whatever happens, every
        row that went in has its entry before this returns or raises.
        """
        if "id" in columns:
            raise ValueError("insert_batch gives ids itself; the rows must not carry them")
        if self.db.conn.in_transaction:
            self._full_check_before_writing()
            self._require_writable()
            return self._insert_batch(table, columns, rows)
        with self.transaction():
            return self._insert_batch(table, columns, rows)

    def _insert_batch(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        conn = self.db.conn
        before = conn.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"').fetchone()[0]
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        self._row_audit.batch_table = table
        logged = -1
        try:
            conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        finally:
            self._row_audit.batch_table = None
            # Also after a failure part-way: the rows that went in are not left without entries.
            if conn.in_transaction:
                logged = conn.execute(schema.insert_entries_sql(self.db, table), [before]).rowcount
        added = conn.execute(f'SELECT count(*) FROM "{table}" WHERE id > ?', [before]).fetchone()[0]
        if logged != added:
            raise StoreError(f"{added} {table} rows were added but {logged} audit entries written; "
                             "nothing was saved.")
        return int(added)

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

    def settings(self) -> Settings:
        """The board's settings, read from the file once and kept until they are changed."""
        if self._settings is None:
            stored = {}
            for row in self.db.query("SELECT key, value FROM settings"):
                with contextlib.suppress(TypeError, ValueError):
                    stored[row["key"]] = json.loads(row["value"])
            self._settings = Settings.from_stored(stored)
        return self._settings

    def set_settings(self, values: Mapping[str, object]) -> None:
        unknown = set(values) - set(DEFAULTS.as_stored())
        if unknown:
            raise StoreError(f"There is no setting called {', '.join(sorted(unknown))}.")
        self._settings = None
        with self.transaction():
            for key, value in values.items():
                encoded = json.dumps(value, ensure_ascii=False)
                existing = self.scalar("SELECT id FROM settings WHERE key = ?", [key])
                if existing is None:
                    self.db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [key, encoded])
                else:
                    self.update("settings", existing, {"value": encoded})
        self._settings = None

    def set_setting(self, key: str, value: object) -> None:
        self.set_settings({key: value})

    def _ensure_default_settings(self) -> None:
        have = {r["key"] for r in self.db.query("SELECT key FROM settings")}
        missing = {k: v for k, v in DEFAULTS.as_stored().items() if k not in have}
        if missing:
            self.set_settings(missing)


def _insert_sql(table: str, values: Mapping[str, object]) -> tuple[str, list]:
    if not values:
        return f'INSERT INTO "{table}" DEFAULT VALUES', []
    columns = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join("?" for _ in values)
    return f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(values.values())


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               check_same_thread=False)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False)
    # Writes are grouped by db.atomic() alone; Python's implicit transactions would fight it.
    conn.isolation_level = None
    return conn


def _refuse_empty_file_unless_new(path: Path, *, readonly: bool, adopt: bool) -> None:
    from scrdesk.store import backup, recovery

    if _being_created(path):
        return  # another copy of scrdesk is making this file: SQLite reads what it wrote
    if backup.backups_of(path):
        # An empty file where backups say a data file was: lost, and the backup is the way back.
        raise recovery.damaged(path, "the file is empty (0 bytes)", readonly=readonly)
    if adopt and not readonly:
        return  # the person agreed to make it a new data file: SQLite will make it a database
    raise EmptyFileError(
        f"{path.name} is empty (0 bytes): it is not a scrdesk data file, and it has been left as "
        "it is. If it was meant to be a new data file, make it one with 'scrdesk new' or open "
        "it in the window, which asks first.", path=path)


def _being_created(path: Path, tries: int = 20, pause_s: float = 0.1) -> bool:
    """Whether an empty file fills (or its journal does) within a moment: SQLite makes a new file
    empty and writes its first page a few statements later, so another copy of scrdesk creating
    the same file looks, for that moment, like an empty file someone left there."""
    for attempt in range(tries):
        with contextlib.suppress(OSError):
            if path.stat().st_size or any(
                    Path(f"{path}{s}").exists() and Path(f"{path}{s}").stat().st_size
                    for s in ("-wal", "-journal")):
                return True
        if attempt < tries - 1:
            time.sleep(pause_s)
    return False


def _refuse_missing_permissions(path: Path, *, readonly: bool) -> None:
    """Name the permission that is missing, before SQLite turns it into a vaguer error."""
    if not os.access(path, os.R_OK):
        raise PermissionProblemError(
            f"You do not have permission to read {path}; it has been left as it is. Ask whoever "
            "looks after that folder for read and write permission.", path=path, missing="read")
    if readonly:
        return
    if not os.access(path, os.W_OK):
        raise PermissionProblemError(
            f"{path.name} is read-only (you have no permission to change the file), so it cannot "
            "be opened for editing; it has been left as it is. Open it read-only, or ask for "
            "write permission on the file.", path=path, missing="write (file)")
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionProblemError(
            f"The folder {folder} is read-only for you (no permission to create files in it), and "
            "scrdesk needs to write its journal beside the data file while saving; the file has "
            "been left as it is. Open it read-only, copy it to a folder you can write to, or ask "
            "for write permission on the folder.", path=path, missing="write (folder)")


def _shows_it_was_ours(path: Path) -> bool:
    """Signs that a file which no longer starts like a database was a scrdesk data file."""
    from scrdesk.store import backup

    if backup.backups_of(path) or anchor.remembered(path) is not None:
        return True
    if any(Path(f"{path}{s}").exists() for s in ("-wal", "-journal")):
        return True
    with open(path, "rb") as handle:
        header = handle.read(100)
    # Bytes 21-23 of a database header are always 64, 32, 32 (the payload fractions): a file
    # whose first bytes were overwritten but whose header survives further on was a database.
    return len(header) == 100 and header[21:24] == bytes((64, 32, 32))


def _refuse_unreadable_start(path: Path, *, readonly: bool) -> None:
    from scrdesk.store import recovery

    if _shows_it_was_ours(path):
        raise recovery.damaged(path, "it does not start like a database file", readonly=readonly)
    raise NotADataFileError(f"{path} is not a scrdesk data file (it does not start like a "
                            "database); it has been left exactly as it was.")


def _is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


def _proves_damage(error: sqlite3.DatabaseError) -> bool:
    """SQLite said the content is damaged (CORRUPT) or not a database (NOTADB); anything else
    (busy, locked, read-only, cannot open, I/O) says nothing about the content."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return not isinstance(error, sqlite3.OperationalError)
    return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def busy_holder(path: Path) -> str:
    """Who holds a busy file: the lease row's holder when it can be read, else "another program"."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0)
        try:
            holder = lease.read_lease(conn)
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError, ValueError):
        holder = None
    if holder is not None and not holder.stale and not holder.is_this_process():
        return holder.describe()
    return ("another program (another copy of scrdesk, a sync or backup program, or a database "
            "tool) is holding it locked")


def _not_damage(path: Path, error: sqlite3.DatabaseError) -> StoreError:
    """A failure to open that says nothing about the file's content, in words for a person."""
    if _is_busy(error):
        return BusyError(
            f"{path.name} is busy: {busy_holder(path)}, and it was not let go within "
            f"{BUSY_TIMEOUT_MS // 1000} seconds. The file has been left exactly as it is; try "
            "again in a moment.")
    return StoreError(f"{path.name} could not be opened ({error}); it has been left as it is.")


def _recover_hot_journal(path: Path) -> None:
    """Let SQLite roll back (or replay) a journal left by a crash before a read-only open.

    A read-only connection cannot recover a hot journal and reports an error that reads like
    damage; a short connection that may write does the recovery SQLite would do on any open.
    It changes nothing that was committed. Without write permission it is left to fail politely.
    """
    journals = [Path(f"{path}{s}") for s in ("-journal", "-wal")]
    if not any(j.exists() and j.stat().st_size for j in journals):
        return
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return
    # No waiting: a journal whose writer still holds the file is live, not left by a crash.
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(str(path), timeout=0)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()


def _tidy_side_files(path: Path) -> None:
    """Remove the -wal/-shm a read-only open of a WAL file left behind (none were there before).

    A read-only connection cannot delete them; the last connection that may write does, when it
    closes, and only when no one else has the file open (SQLite checks), so this never takes a
    journal from under another program.
    """
    if not any(Path(f"{path}{s}").exists() for s in ("-wal", "-shm")):
        return
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(str(path), timeout=0)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()


def _starts_like_sqlite(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


#: The write-ahead log's size from which the window checkpoints it (in a worker): SQLite's own
#: automatic checkpoint size (1,000 pages of 4 KB), which it would otherwise run inside whichever
#: commit crossed it — a save on the window's thread, or an import (50 ms of 10,000 rows).
CHECKPOINT_AFTER_BYTES = 4 * 1024 * 1024

#: The page cache of a bulk write (`Store.bulk_pages`), in KiB.
BULK_CACHE_KIB = 16 * 1024


def _starts_like_sqlite_soon(path: Path, tries: int = 4, pause_s: float = 0.15) -> bool:
    """The header check, asked again for a moment before giving up: another copy of scrdesk
    creating the same new file may be half-way through writing its first page, and setting that
    file aside as damaged would be wrong."""
    for attempt in range(tries):
        if _starts_like_sqlite(path):
            return True
        if attempt < tries - 1:
            time.sleep(pause_s)
    return False


def _configure_check_connection(conn: sqlite3.Connection) -> None:
    """A connection that reads the file once through (the checks after the first paint): a page
    cache would only hold pages never read again, in memory the window is using meanwhile."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA cache_size = -64")


def _damage(conn: sqlite3.Connection) -> str | None:
    """What is wrong with the file, in SQLite's words, or None when `quick_check` passes."""
    try:
        found = [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as error:
        if not _proves_damage(error):
            raise  # busy, locked, cannot open: the caller says so and leaves the file alone
        return str(error)
    except UnicodeDecodeError:
        # SQLite's own message quoted damaged bytes that are not text.
        return "the file's internal structure is damaged"
    if found == ["ok"]:
        return None
    # SQLite's report spans lines; a message is read on one.
    return "; ".join(" ".join(line.split()) for line in found) or "quick_check gave no answer"


def _damage_seen_at_once(conn: sqlite3.Connection) -> str | None:
    """The header check a deferred full check leaves: SQLite reads the header and the schema
    (a file whose first pages are damaged fails here); the rest is `run_full_check`'s."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        if not _proves_damage(error):
            raise
        return str(error)
    return None


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _has_user_tables(db: Connection) -> bool:
    return any(not name.startswith(("sqlite_", "_sqlite_migrations")) for name in db.table_names())


def _newer_reason(version: int) -> str:
    if version <= schema.SCHEMA_VERSION:
        return ""
    return (f"this file was written by a newer scrdesk (schema {version}, this build "
            f"knows {schema.SCHEMA_VERSION}); it is open read-only so nothing is lost")


def _create_schema(db: Connection) -> None:
    """Build the schema of a new file; the write lock keeps a second creator out meanwhile."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if schema_version(db) == 0:
            schema.migrations.apply(_migrations_database(db))  # each nests as a savepoint
            schema.install_all_triggers(db)  # so triggers cover columns later migrations added
            audit.seal_pending(db.conn, now_stamp())
            db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise


def _apply_safety_pragmas(conn: sqlite3.Connection, *, readonly: bool) -> None:
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


def _current_journal(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()


def _set_journal_mode(conn: sqlite3.Connection, wanted: str) -> str:
    """Switch the journal mode and return what the file really uses.

    Changing it needs the file to ourselves; when a read-only copy of scrdesk has it open the
    switch fails and the file keeps its mode (both modes are safe on a local disk).
    """
    wanted = wanted.lower()
    current = _current_journal(conn)
    if current == wanted:
        return current
    try:
        got = str(conn.execute(f"PRAGMA journal_mode = {wanted}").fetchone()[0]).lower()
    except sqlite3.OperationalError as error:
        log.warning("journal mode stays %s (wanted %s): %s", current, wanted, error)
        return current
    if got != wanted:
        log.warning("journal mode stays %s (wanted %s)", got, wanted)
    return got


def schema_version(db: Connection) -> int:
    """How many migrations of our set this file has had (0 for a new, empty file)."""
    if "_sqlite_migrations" not in db.table_names():
        return 0
    return int(db.execute(
        "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = ?", [schema.MIGRATION_SET]
    ).fetchone()[0])


def migrate(db: Connection, path: Path | None = None) -> None:
    """Apply pending migrations; an existing file is backed up first (never a new empty one)."""
    if path is not None and schema_version(db) > 0 and path.exists():
        backup_before_migration(db.conn, path)
    schema.migrations.apply(_migrations_database(db))
    with db.atomic():
        # A migration that rebuilt a table dropped its triggers silently; re-create every one
        # rather than trust each migration to remember.
        schema.install_all_triggers(db)
        # What the migrations wrote through the triggers is sealed like any other write.
        audit.seal_pending(db.conn, now_stamp())
    db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")


def _migrations_database(db: Connection):
    """The same connection as sqlite-utils' Database, which its migrations are written for."""
    from sqlite_utils import Database

    return Database(db.conn)


def backup_before_migration(conn: sqlite3.Connection, path: Path) -> Path:
    """A verified copy of the file as it was, in its backups folder, before its schema changes."""
    from scrdesk.store import backup

    return backup.backup_before_migration(conn, path, schema_version(Connection(conn)) + 1)
