"""Verified backups with SQLite's backup API, thinning, listing, and restore.

A backup is written to `<name>.part`, copied page by page with the backup API (consistent even
while the file is in use), switched to the rollback journal so it is one self-contained file,
stripped of the lease row, checked with `integrity_check`, and only then renamed into place:
a half-written or bad copy never looks like a backup. Automatic backups live in a `backups`
folder beside the data file, named `<stem>-YYYYMMDD-HHMMSS.db` (local time; the stem is the
data file's own name, never a child's), and are thinned to the newest of each of the last 12
days, 10 weeks and 9 months that have backups, so a holiday never costs a backup.
Pre-migration backups (`<stem>.before-schema-N-…`) are never thinned.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from scrdesk.store import anchor, audit, lease
from scrdesk.store.connection import Connection
from scrdesk.store.db import BUSY_TIMEOUT_MS, Store, StoreError, schema_version

log = logging.getLogger(__name__)

BACKUPS_FOLDER = "backups"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 12, 10, 9

#: The record counts shown for a backup, in the order a person thinks of them.
HEADLINE_TABLES = ("referrals", "reviews", "actions", "recommendations", "briefings",
                   "learning_events", "meetings", "agencies", "attachments")

_STAMP = "%Y%m%d-%H%M%S"
_AUTOMATIC = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.db$")
_BEFORE_MIGRATION = re.compile(
    r"^(?P<stem>.+)\.before-schema-(?P<version>\d+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.db$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime  # local time, from the file name (else the file's modification time)
    size: int
    counts: dict[str, int] = field(default_factory=dict)
    ok: bool = True  # verified (backup_to) or readable as a scrdesk file (list_backups)
    kind: str = "automatic"  # "automatic" | "before-migration" | "other"
    schema_version: int | None = None
    last_change: str | None = None  # ISO UTC time of the newest audited change in the copy
    problem: str | None = None

    def counts_text(self) -> str:
        """'52 referrals · 14 reviews · 310 actions' for a list or a confirmation."""
        shown = [f"{n} {table.replace('_', ' ')}" for table, n in self.counts.items()
                 if table in ("referrals", "reviews", "actions", "briefings")]
        return " · ".join(shown)


@dataclass(frozen=True)
class _Named:
    path: Path
    stem: str
    kind: str
    created_at: datetime
    sequence: int


# -- names and folders ---------------------------------------------------------------------------

def default_backups_folder(data_path: str | os.PathLike) -> Path:
    return Path(data_path).parent / BACKUPS_FOLDER


def _stamp_time(stamp: str) -> datetime:
    """The moment in a name's `_STAMP` (YYYYMMDD-HHMMSS; the pattern has checked the digits), read
    without `strptime`, whose first use loads the locale and calendar modules at every start."""
    return datetime(int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]),
                    int(stamp[9:11]), int(stamp[11:13]), int(stamp[13:15]))


def _parse_name(path: Path) -> _Named | None:
    for kind, pattern in (("before-migration", _BEFORE_MIGRATION), ("automatic", _AUTOMATIC)):
        match = pattern.match(path.name)
        if match:
            try:
                moment = _stamp_time(match.group("stamp"))
            except ValueError:
                return None
            return _Named(path, match.group("stem"), kind, moment, int(match.group("n") or 1))
    return None


def _unique(path: Path) -> Path:
    """`path`, or the same name with -2, -3… before the suffix: nothing is ever overwritten."""
    candidate, n = path, 2
    while candidate.exists() or Path(f"{candidate}.part").exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def created_at_of(path: str | os.PathLike) -> datetime:
    """When a backup was made: from its name, else the file's modification time (local time)."""
    named = _parse_name(Path(path))
    return named.created_at if named else datetime.fromtimestamp(Path(path).stat().st_mtime)


def automatic_backup_path(data_path: str | os.PathLike, now: datetime | None = None) -> Path:
    data_path = Path(data_path)
    stamp = (now or datetime.now()).strftime(_STAMP)
    return _unique(default_backups_folder(data_path) / f"{data_path.stem}-{stamp}.db")


def backups_of(data_path: str | os.PathLike) -> list[Path]:
    """Backups of this data file in its backups folder, newest first (names only, not opened)."""
    data_path = Path(data_path)
    folder = default_backups_folder(data_path)
    if not folder.is_dir():
        return []
    named = [n for n in map(_parse_name, folder.glob("*.db")) if n and n.stem == data_path.stem]
    named.sort(key=lambda n: (n.created_at, n.sequence), reverse=True)
    return [n.path for n in named]


# -- making a backup -----------------------------------------------------------------------------

def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
            for t in HEADLINE_TABLES if t in present}


def _audit_head(conn: sqlite3.Connection) -> tuple[int, str]:
    """(newest audit id, a hash vouching for it): changes since a backup move it."""
    row = conn.execute("SELECT max(id) FROM audit_log").fetchone()
    newest = int(row[0] or 0)
    return newest, audit.hash_at(conn, newest) or ""


def _last_change(conn: sqlite3.Connection) -> str | None:
    with contextlib.suppress(sqlite3.Error):
        return conn.execute("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    return None


def copy_database(source: sqlite3.Connection, out_path: Path, *, kind: str = "other") -> BackupInfo:
    """Copy the database behind `source` to `out_path` (which must not exist) and verify it.

    Raises StoreError, leaving nothing at `out_path`, when the copy fails its integrity check.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    part = Path(f"{out_path}.part")
    with contextlib.suppress(FileNotFoundError):
        part.unlink()  # a leftover of our own interrupted backup, never a finished one
    try:
        with contextlib.closing(sqlite3.connect(str(part))) as copy:
            copy.isolation_level = None
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            with contextlib.suppress(sqlite3.OperationalError):  # no lease table before 0001
                copy.execute("DELETE FROM lease")  # the copy belongs to nobody
            problems = [r[0] for r in copy.execute("PRAGMA integrity_check(5)").fetchall()]
            counts = _counts(copy)
            version = schema_version(Connection(copy))
            last_change = _last_change(copy)
    except (sqlite3.Error, OSError) as error:
        _remove_quietly(part)
        raise StoreError(f"Could not make a backup in {out_path.parent}: {error}.") from error
    if problems != ["ok"]:
        _remove_quietly(part)
        raise StoreError("The backup copy failed its integrity check and was removed "
                         f"({'; '.join(problems)}). The data file itself was not changed.")
    os.replace(part, out_path)
    named = _parse_name(out_path)
    created = named.created_at if named else datetime.now()
    return BackupInfo(out_path, created, out_path.stat().st_size, counts, True, kind, version,
                      last_change)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


@contextlib.contextmanager
def _snapshot(path: Path):
    """A connection of its own, inside one read transaction, on the data file.

    Backups never use the store's connection: the window runs them on a worker thread while
    its own connection may be in the middle of a write, and a copy must hold only what was
    committed. The audit head and the pages come from the same snapshot.
    """
    conn = _open_read_only(path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("BEGIN")
        yield conn
    finally:
        conn.close()


def backup_to(store: Store, out_path: str | os.PathLike | None = None) -> BackupInfo:
    """A verified backup of an open store, to `out_path` or a new file in its backups folder.

    An existing `out_path` is refused rather than overwritten. Safe to call from a worker thread.
    """
    if out_path is None:
        target, kind = automatic_backup_path(store.path), "automatic"
    else:
        target, kind = Path(out_path), "other"
        if target.exists():
            raise StoreError(f"{target} already exists; choose a new file name for the backup.")
    with _snapshot(store.path) as source:
        head = _audit_head(source)
        info = copy_database(source, target, kind=kind)
        _remember_head(store.path, source)
    store.backup_mark = head
    return info


def _remember_head(data_path: Path, source: sqlite3.Connection) -> None:
    # The backup holds this head in its own log; the app remembers it too (store.anchor).
    with contextlib.suppress(sqlite3.Error):
        anchor.remember_quietly(data_path, source)


def backup_before_migration(conn: sqlite3.Connection, data_path: Path, next_version: int) -> Path:
    stamp = datetime.now().strftime(_STAMP)
    target = _unique(default_backups_folder(data_path)
                     / f"{Path(data_path).stem}.before-schema-{next_version}-{stamp}.db")
    return copy_database(conn, target, kind="before-migration").path


def _last_backup_head(store: Store) -> tuple[int, str] | None:
    """The audit head the last backup holds: this session's mark, else the newest automatic
    backup's; None when there is none or it cannot be read.

    Read on a connection of its own, closed before the data file's snapshot is opened: one
    connection at a time holds the whole schema (2 MB each)."""
    if store.backup_mark is not None:
        return store.backup_mark
    for path in backups_of(store.path):
        named = _parse_name(path)
        if named and named.kind == "automatic":
            try:
                with contextlib.closing(_open_read_only(path)) as conn:
                    return _audit_head(conn)
            except sqlite3.Error:
                return None
    return None


def _changed(head: tuple[int, str], last: tuple[int, str] | None) -> bool:
    return last is None or head != last


def changed_since_last_backup(store: Store) -> bool:
    """Whether anything audited changed since this session's last backup (or, before the
    session's first, since the newest automatic backup on disk)."""
    last = _last_backup_head(store)
    with _snapshot(store.path) as conn:
        return _changed(_audit_head(conn), last)


def automatic_backup(store: Store, reason: str, now: datetime | None = None) -> BackupInfo | None:
    """The backup on open, on close and every 30 minutes: made only when something changed.

    `reason` ("open", "close", "timer") is for the log. Returns the new backup, or None when
    none was needed (nothing changed, or this copy of scrdesk does not hold the file).
    Old backups are thinned afterwards; a thinning problem is logged, never raised.
    Safe to call from a worker thread.
    """
    if store.readonly:
        return None
    now = now or datetime.now()
    last = _last_backup_head(store)
    with _snapshot(store.path) as source:
        head = _audit_head(source)
        if not _changed(head, last):
            return None
        info = copy_database(source, automatic_backup_path(store.path, now), kind="automatic")
        _remember_head(store.path, source)
    store.backup_mark = head
    log.info("backup on %s: %s", reason, info.path.name)
    try:
        thin_backups(info.path.parent, now)
    except OSError as error:
        log.warning("could not thin old backups: %s", error)
    return info


# -- thinning ------------------------------------------------------------------------------------

def backups_to_keep(created: list[datetime], now: datetime | None = None) -> set[int]:
    """Indexes of `created` to keep: the newest of each of the last 12 days, 10 ISO weeks and 9
    months that have a backup, and the newest overall. Anything dated after `now` is kept and
    left out of the counting: a clock that was wrong is no reason to delete."""
    future = {i for i, moment in enumerate(created) if now is not None and moment > now}
    # Ties (two backups stamped in the same second) go to the later one in the list.
    order = sorted((i for i in range(len(created)) if i not in future),
                   key=lambda i: (created[i], i), reverse=True)
    keep: set[int] = future | set(order[:1])
    periods = (
        (KEEP_DAILY, lambda d: d.date()),
        (KEEP_WEEKLY, lambda d: d.isocalendar()[:2]),
        (KEEP_MONTHLY, lambda d: (d.year, d.month)),
    )
    for count, period_of in periods:
        seen: set = set()
        for i in order:
            period = period_of(created[i])
            if period not in seen:
                if len(seen) == count:
                    break
                seen.add(period)
                keep.add(i)
    return keep


def thin_backups(folder: str | os.PathLike, now: datetime | None = None) -> list[Path]:
    """Delete automatic backups beyond 12 daily, 10 weekly and 9 monthly, per data file.

    Only files named like automatic backups are touched; pre-migration backups, manual copies
    and anything else in the folder are left alone. Returns the deleted paths.
    """
    folder = Path(folder)
    by_stem: dict[str, list[_Named]] = {}
    for path in folder.glob("*.db"):
        named = _parse_name(path)
        if named and named.kind == "automatic":
            by_stem.setdefault(named.stem, []).append(named)
    deleted = []
    for group in by_stem.values():
        group.sort(key=lambda n: (n.created_at, n.sequence))
        keep = backups_to_keep([n.created_at for n in group], now)
        for i, named in enumerate(group):
            if i not in keep:
                named.path.unlink()
                deleted.append(named.path)
    return sorted(deleted)


# -- listing -------------------------------------------------------------------------------------

def _open_read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    conn.execute("PRAGMA query_only = 1")
    return conn


def read_backup_info(path: str | os.PathLike) -> BackupInfo:
    """Date, size and record counts of one backup file, opened read-only; `ok` False (with
    `problem`) when it cannot be read as a scrdesk file."""
    path = Path(path)
    named = _parse_name(path)
    size = path.stat().st_size
    created = named.created_at if named else datetime.fromtimestamp(path.stat().st_mtime)
    kind = named.kind if named else "other"
    try:
        with contextlib.closing(_open_read_only(path)) as conn:
            version = schema_version(Connection(conn))
            if version == 0:
                return BackupInfo(path, created, size, {}, False, kind, 0,
                                  problem="not a scrdesk data file")
            return BackupInfo(path, created, size, _counts(conn), True, kind, version,
                              _last_change(conn))
    except sqlite3.Error as error:
        return BackupInfo(path, created, size, {}, False, kind, problem=str(error))


def list_backups(folder: str | os.PathLike, stem: str | None = None) -> list[BackupInfo]:
    """Every backup in `folder` (of the data file `stem`, when given), newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.db"):
        named = _parse_name(path)
        if named is None or (stem is not None and named.stem != stem):
            continue
        found.append(read_backup_info(path))
    found.sort(key=lambda info: (info.created_at, info.path.name), reverse=True)
    return found


def verify_backup(path: str | os.PathLike) -> str | None:
    """None when `path` passes `integrity_check` and is a scrdesk file; else what is wrong."""
    try:
        with contextlib.closing(_open_read_only(Path(path))) as conn:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)").fetchall()]
            if problems != ["ok"]:
                return "; ".join(problems)
            if schema_version(Connection(conn)) == 0:
                return "not a scrdesk data file"
    except sqlite3.Error as error:
        return str(error)
    return None


# -- restore -------------------------------------------------------------------------------------

JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")


def move_with_journals(path: Path, target: Path) -> None:
    """Rename a database file and any journal beside it, keeping them paired."""
    for suffix in JOURNAL_SUFFIXES:
        sibling = Path(f"{path}{suffix}")
        if sibling.exists():
            os.replace(sibling, Path(f"{target}{suffix}"))
    os.replace(path, target)


def _aside_name(data_path: Path, stamp: str) -> Path:
    candidate = data_path.with_name(f"{data_path.stem}.before-restore-{stamp}{data_path.suffix}")
    n = 2
    while any(Path(f"{candidate}{s}").exists() for s in ("", *JOURNAL_SUFFIXES)):
        candidate = data_path.with_name(
            f"{data_path.stem}.before-restore-{stamp}-{n}{data_path.suffix}")
        n += 1
    return candidate


def refuse_if_in_use(data_path: str | os.PathLike, doing: str = "a backup is restored over it") -> None:
    """Refuse to replace, restore over or delete a data file that a live lease holds.

    `doing` finishes the sentence "they must close it before …". A copy that stopped without
    closing (a stale lease) does not hold the file; a file SQLite cannot read has no lease.
    """
    from scrdesk.store import db

    data_path = Path(data_path)
    if not data_path.exists():
        return
    if db._lease_key(data_path) in db._process_leases:
        raise StoreError(f"Close the data file in this window before {doing}.")
    try:
        with contextlib.closing(_open_read_only(data_path)) as conn:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            holder = lease.read_lease(conn)
    except sqlite3.OperationalError as error:
        if not db._is_busy(error):
            return  # a database of some other kind, or unreadable: no scrdesk copy holds it
        # Locked past the busy timeout: someone is writing to it right now.
        raise StoreError(f"{data_path.name} is in use ({db.busy_holder(data_path)}); "
                         f"it must be closed before {doing}.") from None
    except (sqlite3.Error, UnicodeDecodeError, ValueError):
        return  # damaged or not a database: nobody can be using it through scrdesk
    if holder is not None and not holder.stale and not holder.is_this_process():
        raise StoreError(f"{holder.describe()}; they must close it before {doing}.")


def restore_backup(backup_path: str | os.PathLike, data_path: str | os.PathLike) -> Path | None:
    """Put the backup in place of the data file; return where the current file was kept.

    The backup is verified and copied (with the backup API) beside the data file first; only
    then is the current file moved aside as `<stem>.before-restore-<stamp>.db`, never
    overwritten or deleted. Returns None when there was no current file (after damage, say).
    """
    backup_path, data_path = Path(backup_path), Path(data_path)
    problem = verify_backup(backup_path)
    if problem:
        raise StoreError(f"The backup {backup_path.name} cannot be restored: {problem}.")
    refuse_if_in_use(data_path)
    staged = data_path.with_name(f"{data_path.name}.restoring")
    _remove_quietly(staged)
    with contextlib.closing(_open_read_only(backup_path)) as source:
        copy_database(source, staged)
    aside = None
    if data_path.exists():
        aside = _aside_name(data_path, datetime.now().strftime(_STAMP))
        move_with_journals(data_path, aside)
    os.replace(staged, data_path)
    # A backup of what was restored, made now: it is the newest, so the backups made after the
    # restored one (a history deliberately undone) are not taken for a log cut short.
    with contextlib.suppress(StoreError, OSError, sqlite3.Error), \
            contextlib.closing(_open_read_only(data_path)) as restored:
        copy_database(restored, automatic_backup_path(data_path), kind="automatic")
    anchor.remember_file_quietly(data_path)
    return aside


def restore_into(store: Store, backup_path: str | os.PathLike) -> Path | None:
    """Restore a backup over the file an open store (the window's) is using, in place.

    The store is closed, the backup restored as `restore_backup` does, and the same store
    object opened again on the restored file, so the window keeps its reference and only has
    to refresh. The store is reopened even when the restore is refused.
    """
    store.close()
    try:
        return restore_backup(backup_path, store.path)
    finally:
        store.reopen()
