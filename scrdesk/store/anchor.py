"""Tamper evidence kept outside the data file: the audit chain's head, remembered and compared.

The seals (store.audit) show a row changed or removed in the middle of the log, but not a log
cut short at the end, nor one rebuilt with fresh seals from some row on: anyone holding the
file can do either. So the chain's head (row count, last id and hash) is kept where the file is
not (its newest seal): by the app, per file, in a JSON in the user's state folder (updated when a writer closes the
file and after each backup), and in every backup (its own audit log, whose head is the file's
head when it was made). Opening and `check` compare the file's log with both; the log may have
grown since, but the anchored rows must still be there, unchanged. A backup is compared only when
its log begins with the file's first row (it is of this file's history, not of an earlier file
that was replaced), so a log rebuilt from its very first row escapes the backups; the head
remembered by the app still catches it on the computer that last closed the file.

Changing data with the audit triggers dropped and re-created leaves the chain whole, so `check`
also replays the log: every audited row must match what its audit entries add up to (the row as
inserted, with each update's changed columns applied in turn).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scrdesk.store.audit import Head, chain_head, hash_at, history_start

log = logging.getLogger(__name__)

#: Set to a folder to keep the remembered heads there instead of the user's state folder.
STATE_DIR_ENV = "SCRDESK_STATE_DIR"
ANCHORS_FILE = "audit-anchors.json"
#: Enough for every file a person works with; the oldest entries are dropped beyond it.
MAX_REMEMBERED = 200
#: Enough to point at the trouble; the count is always given in full.
SHOWN = 5


@dataclass(frozen=True)
class Anchor:
    head: Head
    recorded_at: datetime  # local time
    source: str  # "scrdesk on this computer" or "the backup <name>"


# -- remembered by the app -------------------------------------------------------------------------

def anchors_path() -> Path:
    folder = os.environ.get(STATE_DIR_ENV)
    if folder:
        return Path(folder) / ANCHORS_FILE
    from platformdirs import user_state_path

    return user_state_path("scrdesk", appauthor=False) / ANCHORS_FILE


def _key(path: str | os.PathLike) -> str:
    return str(Path(path).resolve())


def _load() -> dict:
    try:
        data = json.loads(anchors_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(data: dict) -> None:
    target = anchors_path()
    if len(data) > MAX_REMEMBERED:
        newest = sorted(data, key=lambda k: str(data[k].get("recorded_at", "")), reverse=True)
        data = {k: data[k] for k in newest[:MAX_REMEMBERED]}
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f"{target.name}.part")
    part.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(part, target)


def remember(path: str | os.PathLike, head: Head, when: datetime | None = None) -> None:
    data = _load()
    data[_key(path)] = {"count": head.count, "last_id": head.last_id, "hash": head.hash,
                        "recorded_at": (when or datetime.now()).isoformat(timespec="seconds")}
    _save(data)


def remember_quietly(path: str | os.PathLike, conn: sqlite3.Connection) -> None:
    """Remember the head of an open file; a problem is logged, never raised (closing goes on)."""
    try:
        remember(path, chain_head(conn))
    except (OSError, sqlite3.Error) as error:
        log.warning("could not remember the audit log's head: %s", type(error).__name__)


def remember_file_quietly(path: str | os.PathLike) -> None:
    """Remember the head of a file that is not open here (after a backup or a restore)."""
    with contextlib.suppress(sqlite3.Error), contextlib.closing(_open_read_only(Path(path))) as conn:
        remember_quietly(path, conn)


def forget(path: str | os.PathLike) -> None:
    """A new file now lives at `path`: the head remembered for the old one no longer applies."""
    with contextlib.suppress(OSError):
        data = _load()
        if data.pop(_key(path), None) is not None:
            _save(data)


def remembered(path: str | os.PathLike) -> Anchor | None:
    entry = _load().get(_key(path))
    try:
        head = Head(int(entry["count"]), int(entry["last_id"]), str(entry["hash"]))
        when = datetime.fromisoformat(entry["recorded_at"])
    except (TypeError, KeyError, ValueError):
        return None
    return Anchor(head, when, "scrdesk on this computer")


# -- recorded in backups ---------------------------------------------------------------------------

def _open_read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.execute("PRAGMA query_only = 1")
    return conn


#: What one backup says about its history: the first audit row it holds (None: none) and its head.
BackupRecord = tuple[tuple | None, Anchor]
#: The newest backup and what it says (None: it could not be read), read before it is needed.
NewestBackup = tuple[Path, BackupRecord | None]


def read_backup(candidate: Path) -> BackupRecord | None:
    """What the backup at `candidate` says, read on a connection closed before returning; None
    when it cannot be read (a damaged backup anchors nothing)."""
    from scrdesk.store import backup

    try:
        with contextlib.closing(_open_read_only(candidate)) as copy:
            return (history_start(copy), Anchor(chain_head(copy), backup.created_at_of(candidate),
                                                f"the backup {candidate.name}"))
    except sqlite3.Error:
        return None


def newest_backup_record(path: Path) -> NewestBackup | None:
    """The newest backup of the file at `path` and what it says, or None when it has none:
    read before the file's own check connection is opened, so that two connections (each holding
    the whole schema, 2 MB) are never open at once (`Store.run_full_check`)."""
    from scrdesk.store import backup

    try:
        candidates = backup.backups_of(path)
    except OSError:  # the backups folder cannot be listed: the comparison lists it again
        return None
    return (candidates[0], read_backup(candidates[0])) if candidates else None


def newest_backup_anchor(path: Path, conn: sqlite3.Connection,
                         newest: NewestBackup | None = None) -> Anchor | None:
    """The head recorded in the newest backup of this file's own history (`newest`: what
    `newest_backup_record` read already).

    A backup whose log does not begin with the file's first row belongs to an earlier file at the
    same path (one replaced by `demo --force` or made anew), so it says nothing about this one.
    """
    from scrdesk.store import backup

    first = history_start(conn)
    for candidate in backup.backups_of(path):
        record = newest[1] if newest is not None and candidate == newest[0] else read_backup(candidate)
        if record is not None and record[0] == first:
            return record[1]
    return None


# -- comparing -------------------------------------------------------------------------------------

def _when(moment: datetime) -> str:
    return f"{moment.day} {moment.strftime('%b %Y')} at {moment.strftime('%H:%M')}"


def compare(conn: sqlite3.Connection, anchor: Anchor) -> str | None:
    """What is wrong with the file's log against one anchor, or None when it still holds."""
    head = anchor.head
    if head.count == 0:
        return None
    total = int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    upto = int(conn.execute("SELECT count(*) FROM audit_log WHERE id <= ?", [head.last_id]).fetchone()[0])
    found = hash_at(conn, head.last_id)
    recorded = f"recorded by {anchor.source} on {_when(anchor.recorded_at)}"
    if total < head.count or upto < head.count:
        return (f"the audit log is shorter than the one {recorded} ({head.count} rows then, "
                f"{upto if upto < head.count else total} of them now): rows have been removed")
    if found != head.hash or upto != head.count:
        return (f"the audit log differs from the one {recorded}: its first {head.count} rows "
                "have been rewritten")
    return None


def anchor_findings(path: Path, conn: sqlite3.Connection, newest: NewestBackup | None = None) -> list[str]:
    findings = []
    for anchor in (remembered(path), newest_backup_anchor(path, conn, newest)):
        if anchor is not None and (problem := compare(conn, anchor)):
            findings.append(problem)
    return findings


def warning_on_open(store) -> str | None:
    """The window's warning when the log is shorter than, or differs from, an anchor."""
    return warning_for(store.path, store.db.conn)


def warning_for(path: Path, conn: sqlite3.Connection, newest: NewestBackup | None = None) -> str | None:
    """`warning_on_open` for the file at `path`, read through `conn` (`newest`: the newest
    backup's record, if it was read first; see `newest_backup_anchor`)."""
    try:
        findings = anchor_findings(path, conn, newest)
    except sqlite3.Error as error:  # an old file without an audit log, or a damaged one
        log.info("audit anchor not compared: %s", type(error).__name__)
        return None
    if not findings:
        return None
    return ("This file may have been tampered with: " + "; ".join(findings)
            + ". Run 'scrdesk check' and compare it with a backup before relying on it.")


def _replayed(entries) -> tuple[str | None, dict]:
    """(last action, the record as its audit entries add up to) for one record's entries in order."""
    state: dict = {}
    action = None
    for action, new in entries:
        try:
            logged = json.loads(new) if new else {}
        except ValueError:
            logged = {}
        if action == "insert":
            state = dict(logged)
        elif action == "update":
            state.update(logged)  # older files logged the whole row; newer ones what changed
        else:
            state = {}
    return action, state


def _table_mismatches(conn: sqlite3.Connection, table: str, columns: list[str]) -> list[str]:
    found: list[str] = []
    # The (tbl, row_id) index gives each record's entries together, oldest first.
    entries = conn.execute("SELECT row_id, action, new FROM audit_log WHERE tbl = ? AND row_id IS NOT NULL "
                           "ORDER BY row_id, id", [table])
    logged = ((row_id, _replayed((a, n) for _, a, n in group))
              for row_id, group in itertools.groupby(entries, key=lambda e: e[0]))
    current = next(logged, None)

    def gone(row_id: int, action: str | None) -> None:
        if action != "delete":
            found.append(f"{table} row {row_id} is gone but its deletion is not in the audit log")

    listed = ", ".join(f'"{c}"' for c in columns)
    for values in conn.execute(f'SELECT {listed} FROM "{table}" ORDER BY id'):
        row = dict(zip(columns, values, strict=True))
        while current is not None and current[0] < row["id"]:
            gone(current[0], current[1][0])
            current = next(logged, None)
        action, state = None, {}
        if current is not None and current[0] == row["id"]:
            action, state = current[1]
            current = next(logged, None)
        if action is None or action == "delete":
            found.append(f"{table} row {row['id']} is not in the audit log (added unrecorded)")
            continue
        changed = sorted(k for k, v in state.items() if k in row and row[k] != v)
        if changed:
            found.append(f"{table} row {row['id']} differs from its audit log in "
                         f"{', '.join(changed)} (changed unrecorded)")
    while current is not None:
        gone(current[0], current[1][0])
        current = next(logged, None)
    return found


def unaudited_changes(conn: sqlite3.Connection) -> list[str]:
    """Records whose content does not match what their audit entries add up to.

    Each audited row must equal its insert entry with every later update applied (columns added
    by a later migration are not in older entries and are not compared); a row with no entry was
    added, and a row whose last entry is not a delete but which is gone was deleted, with the
    audit triggers out of the way. Table by table, the records and their entries are both read
    in id order and walked side by side, so memory stays small however long the log.
    """
    from scrdesk.store import schema
    from scrdesk.store.connection import Connection

    db = Connection(conn)
    found: list[str] = []
    for table in schema.audited_tables(db):
        columns = [c for c in schema.columns_of(db, table) if c not in schema.UNAUDITED_COLUMNS]
        if "id" in columns:
            found.extend(_table_mismatches(conn, table, columns))
    return found


def check_anchor(store):
    """`check`'s tamper evidence: the log against its anchors, and the data against the log."""
    from scrdesk.store.check import CheckResult

    name = "audit anchor"
    conn = store.db.conn
    findings = anchor_findings(store.path, conn)
    unrecorded = unaudited_changes(conn)
    if unrecorded:
        shown = "; ".join(unrecorded[:SHOWN])
        more = len(unrecorded) - SHOWN
        findings.append(f"{len(unrecorded)} record(s) changed without the audit log: {shown}"
                        + (f"; and {more} more" if more > 0 else ""))
    if findings:
        return CheckResult(name, False, "; ".join(findings))
    anchors = [a for a in (remembered(store.path), newest_backup_anchor(store.path, conn)) if a]
    against = (" and matches " + " and ".join(f"the one recorded by {a.source}" for a in anchors)
               if anchors else "; no earlier record of it to compare with")
    return CheckResult(name, True, f"every record matches its audit log{against}")
