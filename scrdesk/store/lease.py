"""One writer per data file: the lease row (user, host, pid, heartbeat) and how it is taken.

The `lease` table holds at most one row and is not audited (the heartbeat changes it every 30
seconds). Taking the lease is a short `BEGIN IMMEDIATE` transaction, so two copies of scrdesk
racing for a file cannot both win. A lease whose heartbeat is older than `STALE_AFTER`, or whose
process on this same machine has gone, is stale: it can be taken over, but only when the caller
says so (after asking the person).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

STALE_AFTER = timedelta(minutes=2)
HEARTBEAT_EVERY = timedelta(seconds=30)


@dataclass(frozen=True)
class LeaseHolder:
    user: str  # login name
    host: str
    pid: int
    started_at: str  # ISO UTC
    heartbeat_at: str  # ISO UTC
    stale: bool = False
    display_name: str | None = None  # "Sam Jones", when the holder's machine knew it
    gone: bool = False  # the holder's process on this machine is no longer running

    def who(self) -> str:
        """'Sam Jones (sjones on LAPTOP-12)' or 'sjones on LAPTOP-12'."""
        if self.display_name:
            return f"{self.display_name} ({self.user} on {self.host})"
        return f"{self.user} on {self.host}"

    def is_this_process(self) -> bool:
        return self.host == this_host() and self.pid == os.getpid()

    def describe(self, now: datetime | None = None) -> str:
        """Why a file is read-only, in one sentence without a final full stop."""
        since = friendly_time(self.started_at, now)
        if not self.stale:
            return f"{self.who()} has it open for editing since {since}"
        if self.gone:
            return (f"{self.who()} had it open for editing since {since}, but that copy of "
                    "scrdesk is no longer running (it may have closed unexpectedly); "
                    "it can be taken over")
        heard = friendly_time(self.heartbeat_at, now)
        return (f"{self.who()} had it open for editing since {since}, but nothing has been heard "
                f"from that copy of scrdesk since {heard}; it can be taken over")


@dataclass(frozen=True)
class LeaseResult:
    acquired: bool
    holder: LeaseHolder | None  # ours when acquired, else whoever holds it (None: nobody)
    busy: bool = False  # the file was locked by another copy of scrdesk for longer than we waited


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_stamp(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def friendly_time(text: str, now: datetime | None = None) -> str:
    """'09:14 today', '17:02 yesterday' or '09:14 on 3 Mar 2025', in local time."""
    moment = parse_stamp(text)
    if moment is None:
        return "an unknown time"
    local = moment.astimezone()
    today = (now or utc_now()).astimezone().date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"{clock} today"
    if local.date() == today - timedelta(days=1):
        return f"{clock} yesterday"
    return f"{clock} on {local.day} {local.strftime('%b %Y')}"


def this_host() -> str:
    # uname's node name is what gethostname() returns on Linux and macOS, without loading the
    # socket library at every start; Windows has no uname.
    if hasattr(os, "uname"):
        return os.uname().nodename or "this computer"
    import socket

    return socket.gethostname() or "this computer"


def display_name_of(login: str) -> str | None:
    """The person's full name as the operating system knows it, or None."""
    if sys.platform.startswith("win"):
        return _windows_display_name()
    try:
        import pwd

        gecos = pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError):
        return None
    return gecos if gecos and gecos != login else None


def _windows_display_name() -> str | None:
    import ctypes

    name_display = 3  # EXTENDED_NAME_FORMAT.NameDisplay
    size = ctypes.c_ulong(0)
    get_name = ctypes.windll.secur32.GetUserNameExW
    get_name(name_display, None, ctypes.byref(size))
    if not size.value:
        return None  # a local account outside a domain has no display name
    buffer = ctypes.create_unicode_buffer(size.value)
    if not get_name(name_display, buffer, ctypes.byref(size)):
        return None
    return buffer.value.strip() or None


def encode_user(login: str, display_name: str | None) -> str:
    # The schema has one user column; "Sam Jones (sjones)" keeps it readable in the file.
    if display_name and display_name != login:
        return f"{display_name} ({login})"
    return login


def decode_user(text: str) -> tuple[str, str | None]:
    if text.endswith(")") and " (" in text:
        display, login = text[:-1].rsplit(" (", 1)
        return login, display
    return text, None


def process_is_running(pid: int) -> bool:
    """Whether `pid` is a live process on this machine (True when we cannot tell)."""
    if pid <= 0:
        return False
    if sys.platform.startswith("win"):
        # os.kill(pid, 0) would terminate the process on Windows; ask the kernel instead.
        import ctypes

        process_query_limited_information = 0x1000
        still_active = 259
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _holder_from_row(row, now: datetime) -> LeaseHolder:
    user, host, pid, started_at, heartbeat_at = row
    login, display = decode_user(user)
    beat = parse_stamp(heartbeat_at)
    silent = beat is None or now - beat > STALE_AFTER
    gone = host == this_host() and pid != os.getpid() and not process_is_running(pid)
    return LeaseHolder(login, host, pid, started_at, heartbeat_at, stale=silent or gone,
                       display_name=display, gone=gone)


def read_lease(conn: sqlite3.Connection, now: datetime | None = None) -> LeaseHolder | None:
    """Who holds the file now (None: nobody). A plain read: it never waits for a writer in WAL."""
    row = conn.execute(
        "SELECT user, host, pid, started_at, heartbeat_at FROM lease WHERE id = 1"
    ).fetchone()
    return None if row is None else _holder_from_row(row, now or utc_now())


def acquire(conn: sqlite3.Connection, user: str, *, take_over_stale: bool = False,
            display_name: str | None = None, now: datetime | None = None) -> LeaseResult:
    """Take the lease if it is free, ours (this process), or stale and `take_over_stale`.

    A live lease held by someone else is reported without ever asking for the write lock, so a
    second copy of scrdesk learns it is read-only at once even while the holder is saving.
    """
    now = now or utc_now()
    try:
        current = read_lease(conn, now)
        if current is not None and not _may_take(current, take_over_stale):
            return LeaseResult(False, current)
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if _is_locked(error):
            return LeaseResult(False, read_lease_quietly(conn, now), busy=True)
        raise
    try:
        current = read_lease(conn, now)  # again, now that we hold the write lock
        if current is not None and not _may_take(current, take_over_stale):
            conn.execute("ROLLBACK")
            return LeaseResult(False, current)
        mine = LeaseHolder(user, this_host(), os.getpid(), stamp(now), stamp(now),
                           display_name=display_name)
        if current is not None and current.is_this_process():
            # Another Store in this process already holds it: share the same lease.
            mine = LeaseHolder(user, mine.host, mine.pid, current.started_at, stamp(now),
                               display_name=display_name)
        conn.execute(
            "INSERT OR REPLACE INTO lease (id, user, host, pid, started_at, heartbeat_at) "
            "VALUES (1, ?, ?, ?, ?, ?)",
            [encode_user(user, display_name), mine.host, mine.pid, mine.started_at,
             mine.heartbeat_at],
        )
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    return LeaseResult(True, mine)


def _may_take(current: LeaseHolder, take_over_stale: bool) -> bool:
    return current.is_this_process() or (current.stale and take_over_stale)


def _is_locked(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def read_lease_quietly(conn: sqlite3.Connection, now: datetime | None = None) -> LeaseHolder | None:
    try:
        return read_lease(conn, now)
    except sqlite3.Error:
        return None


def is_ours(conn: sqlite3.Connection, mine: LeaseHolder) -> bool:
    row = conn.execute("SELECT host, pid, started_at FROM lease WHERE id = 1").fetchone()
    return row is not None and tuple(row) == (mine.host, mine.pid, mine.started_at)


def heartbeat(conn: sqlite3.Connection, mine: LeaseHolder, now: datetime | None = None) -> bool:
    """Refresh our heartbeat; False when the lease has been taken over by someone else.

    A lease row that has vanished (the file was restored, or the taker closed again) is
    taken back, since nobody else holds the file.
    """
    now = now or utc_now()
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT host, pid, started_at FROM lease WHERE id = 1").fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO lease (id, user, host, pid, started_at, heartbeat_at) "
                "VALUES (1, ?, ?, ?, ?, ?)",
                [encode_user(mine.user, mine.display_name), mine.host, mine.pid,
                 mine.started_at, stamp(now)],
            )
        elif tuple(row) != (mine.host, mine.pid, mine.started_at):
            conn.execute("ROLLBACK")
            return False
        else:
            conn.execute("UPDATE lease SET heartbeat_at = ? WHERE id = 1", [stamp(now)])
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    return True


def release(conn: sqlite3.Connection, mine: LeaseHolder) -> None:
    """Give the lease up (only if it is still ours)."""
    conn.execute(
        "DELETE FROM lease WHERE id = 1 AND host = ? AND pid = ? AND started_at = ?",
        [mine.host, mine.pid, mine.started_at],
    )
