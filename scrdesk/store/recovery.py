"""A damaged data file: set it aside as `*.corrupt` (never deleted) and find the newest good backup.

`Store.open` runs `quick_check` on every file it opens; when SQLite says the content is corrupt
or not a database, or the check finds damage, on a file that is (or shows it was) a scrdesk file,
it calls `damaged()` here (a busy, locked or unreadable file is never passed here), which renames the file (and any journal beside it,
so they stay paired for a specialist) to `<name>.corrupt`, `<name>.corrupt-2`…, and raises
`DamagedFileError` naming the newest backup that passes `quick_check`. A read-only open, or a
file another live copy of scrdesk holds, is reported but left where it is.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from scrdesk.store import backup, lease
from scrdesk.store.db import DamagedFileError

__all__ = ["DamagedFileError", "corrupt_name", "damaged", "newest_good_backup", "set_aside"]


def corrupt_name(path: Path) -> Path:
    """`<name>.corrupt`, or `.corrupt-2`, `.corrupt-3`… so an earlier damaged file is kept too."""
    candidate, n = path.with_name(f"{path.name}.corrupt"), 2
    while any(Path(f"{candidate}{s}").exists() for s in ("", *backup.JOURNAL_SUFFIXES)):
        candidate = path.with_name(f"{path.name}.corrupt-{n}")
        n += 1
    return candidate


def set_aside(path: Path) -> Path:
    target = corrupt_name(path)
    backup.move_with_journals(path, target)
    return target


def _quick_check_passes(path: Path) -> bool:
    try:
        with contextlib.closing(backup._open_read_only(path)) as conn:
            return [r[0] for r in conn.execute("PRAGMA quick_check(1)")] == ["ok"]
    except sqlite3.Error:
        return False


def newest_good_backup(data_path: str | Path) -> Path | None:
    """The newest backup of this data file (in its backups folder) that passes `quick_check`."""
    for candidate in backup.backups_of(data_path):
        if _quick_check_passes(candidate):
            return candidate
    return None


def _live_holder(path: Path) -> lease.LeaseHolder | None:
    try:
        with contextlib.closing(backup._open_read_only(path)) as conn:
            holder = lease.read_lease(conn)
    except (sqlite3.Error, UnicodeDecodeError, ValueError):
        # A damaged lease row (bytes that are not text, a bad time) means no one we can name.
        return None
    if holder is None or holder.stale or holder.is_this_process():
        return None
    return holder


def _when(path: Path) -> str:
    moment = backup.read_backup_info(path).created_at
    return f"{moment.day} {moment.strftime('%b %Y')} at {moment.strftime('%H:%M')}"


def damaged(path: Path, problem: str, *, readonly: bool) -> DamagedFileError:
    """Set a damaged file aside (unless read-only or in use) and describe what happened."""
    path = Path(path)
    good = newest_good_backup(path)
    offer = (f" The newest good backup is from {_when(good)}: restore it to carry on."
             if good else " No backup of it was found beside it.")
    opening = f"{path.name} is not a scrdesk data file or is damaged ({problem})."
    renamed = None
    if readonly:
        where = " It was opened read-only, so it has been left as it is."
    elif (holder := _live_holder(path)) is not None:
        where = (f" {holder.describe()}, so it has been left where it is: ask them to close "
                 "scrdesk, then open the file again.")
    else:
        try:
            renamed = set_aside(path)
            where = f" It has been renamed {renamed.name}; nothing was deleted."
        except OSError as error:
            where = f" It could not be renamed ({error.strerror or error}); nothing was deleted."
    return DamagedFileError(opening + where + offer, path=path, problem=problem,
                            renamed_to=renamed, newest_good_backup=good)
