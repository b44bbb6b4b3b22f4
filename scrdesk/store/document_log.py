"""The document log: one audited row for every document that leaves the app.

A copy of scrdesk that opened the file read-only (another copy holds it, or the file is read-only)
cannot write the row, yet its exports must not go unrecorded. It queues the row instead, as one
JSON line in `<data file>.pending-log` beside the data file, and the next copy that opens the file
for writing moves the queued rows into `document_log` (`flush_pending`), keeping who produced the
document and when. If the queue cannot be written either, the export is refused.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from scrdesk.domain.errors import ScrdeskError

COLUMNS = ("kind", "subject", "file_name", "sha256", "pages", "encrypted", "identifier_hits",
           "override_reason", "produced_by")


def pending_path(data_file: str | os.PathLike) -> Path:
    return Path(f"{os.fspath(data_file)}.pending-log")


def record(store, entry: Mapping[str, object]) -> bool:
    """Write the row, or queue it when the store is read-only. Returns True when it was queued.

    Inside the caller's transaction when there is one, so the row and what the caller does
    next (putting the file in place) stand or fall together.
    """
    row = {column: entry.get(column) for column in COLUMNS}
    if not store.readonly:
        store.insert("document_log", row)
        return False
    queue(store.path, row)
    return True


def queue(data_file: str | os.PathLike, row: Mapping[str, object]) -> None:
    """Append one row to the queue beside the data file.

    One `write` of one whole line to a file opened for appending: two read-only copies exporting
    at once each add their own line, and neither can overwrite the other's.
    """
    path = pending_path(data_file)
    queued_at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    line = dict(row, queued_at=queued_at)
    # Led by a line break too, so a line cut short earlier (a full disk) cannot swallow this one.
    data = ("\n" + json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if os.write(fd, data) != len(data):
                raise OSError("the line was only partly written")
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        raise ScrdeskError(
            f"The data file is read-only, and the record of this export could not be queued in {path} "
            f"({error.strerror or error}), so the document was not released. Export from a copy you can "
            "write to.") from None


def _read(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            # A line cut short (the disk filled mid-write) still says a document left: keep what
            # can be told rather than drop it.
            row = {"kind": "unknown", "file_name": f"(unreadable queued entry, line {number})"}
        rows.append(row)
    return rows


def flush_pending(store) -> int:
    """Move queued rows from read-only exports into `document_log`, in one transaction.

    Called by every export from a writable store and, after opening a file for writing, by the
    store itself. The queue is first renamed aside, so a read-only copy appending at the same
    moment starts a fresh queue rather than writing into one being emptied; it is deleted only
    after the rows are committed (a crash in between leaves it to be moved again, never lost).
    """
    if store.readonly:
        return 0
    path = pending_path(store.path)
    taking = path.with_name(path.name + ".moving")
    if path.exists():
        if taking.exists():  # a move that crashed before it finished: take both
            with open(taking, "ab") as target:
                target.write(b"\n" + path.read_bytes())
            path.unlink()
        else:
            os.replace(path, taking)
    if not taking.exists():
        return 0
    rows = _read(taking)
    with store.transaction():
        for row in rows:
            values = {column: row.get(column) for column in COLUMNS}
            values["kind"] = values["kind"] or "unknown"
            values["file_name"] = values["file_name"] or "(not named)"
            values["encrypted"] = int(bool(values["encrypted"]))
            values["identifier_hits"] = int(values["identifier_hits"] or 0)
            if row.get("queued_at"):
                # When the document left, not when the row was moved; the audit log keeps both.
                values["created_at"] = row["queued_at"]
            store.insert("document_log", values)
    with contextlib.suppress(FileNotFoundError):
        taking.unlink()
    return len(rows)
