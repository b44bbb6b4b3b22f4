"""Evidence kept inside the data file: reading a file from disk, and the attachment rows' reads
and writes (add, list, count, content, save a copy, delete, the cascades of an owner's files, the
board's logo).

Attachments live in the `attachments` table as BLOBs so the one SQLite file is the whole record.
An attachment belongs to its owner by (`owner_kind`, `owner_id`): "action", "dissemination",
"briefing", "meeting", or "logo" (owner 0) for the board's logo.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.store.db import Store, now_stamp

if TYPE_CHECKING:
    import tempfile

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024

#: What the attachment panels list: never the content, which may be megabytes.
_LIST_SQL = ("SELECT id, owner_kind, owner_id, file_name, mime_type, size, sha256, added_by, added_at "
             "FROM attachments WHERE owner_kind = ? AND owner_id = ? ORDER BY id")

GONE = "That attachment is no longer in the data file."


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def read_attachment_file(path: str | Path, field: str = "Evidence file") -> dict:
    """The columns of an attachment row for the file at `path`; refuses a missing or huge file."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InvalidValue(field, path.name, f"cannot be read ({error.strerror or error})") from error
    if size > MAX_ATTACHMENT_BYTES:
        # Checked before reading, so a 2 GB video never reaches memory.
        raise InvalidValue(field, path.name, f"is {human_size(size)}; files over "
                           f"{human_size(MAX_ATTACHMENT_BYTES)} cannot be attached. Attach a smaller "
                           "file (a PDF export, or the relevant pages) instead")
    try:
        content = path.read_bytes()
    except OSError as error:
        raise InvalidValue(field, path.name, f"cannot be read ({error.strerror or error})") from error
    # Imported here: hashlib loads the OpenSSL library and mimetypes reads the system's type
    # tables, neither needed until a file is attached (the store modules load with the window).
    import hashlib
    import mimetypes

    return {
        "file_name": path.name,
        "mime_type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "content": content,
    }


# -- reads -------------------------------------------------------------------------------------

def attachment_rows(store: Store, owner_kind: str, owner_id: int) -> list[dict]:
    return store.rows(_LIST_SQL, [owner_kind, owner_id])


def attachment_count(store: Store, owner_kind: str, owner_id: int) -> int:
    return int(store.scalar("SELECT count(*) FROM attachments WHERE owner_kind = ? AND owner_id = ?",
                            [owner_kind, owner_id]) or 0)


def attachment_content(store: Store, attachment_id: int) -> tuple[str, bytes]:
    row = store.row("SELECT file_name, content FROM attachments WHERE id = ?", [attachment_id])
    if row is None:
        raise ScrdeskError(GONE)
    return row["file_name"], row["content"]


def save_attachment(store: Store, attachment_id: int, target: str | Path) -> Path:
    _name, content = attachment_content(store, attachment_id)
    target = Path(target)
    try:
        target.write_bytes(content)
    except OSError as error:
        raise ScrdeskError(f"Could not save {target.name}: {error.strerror or error}.") from error
    return target


_open_dir: tempfile.TemporaryDirectory | None = None


def temp_copy(store: Store, attachment_id: int) -> Path:
    """Write the attachment to this session's temporary folder for the default program to open.

    The temporary name is `scrdesk-evidence-<id>.<ext>`, not the stored file name: a file name
    may hold a child's name, and temporary folders are swept up by backup and indexing tools.
    """
    global _open_dir
    name, content = attachment_content(store, attachment_id)
    if _open_dir is None:
        import tempfile

        _open_dir = tempfile.TemporaryDirectory(prefix="scrdesk-")
    target = Path(_open_dir.name) / f"scrdesk-evidence-{attachment_id}{Path(name).suffix.lower()}"
    target.write_bytes(content)
    return target


def logo_content(store: Store) -> bytes | None:
    """The board's logo (the Settings attachment), or None when there is none."""
    logo_id = store.settings().logo_attachment_id
    if not logo_id:
        return None
    return store.scalar("SELECT content FROM attachments WHERE id = ?", [logo_id])


# -- writes ------------------------------------------------------------------------------------

def add_attachment(store: Store, owner_kind: str, owner_id: int, path: str | Path | dict) -> int:
    """Store a file (or a row from `read_attachment_file`) against its owner; returns its id.

    Inside a caller's transaction it is part of that write; on its own it is one transaction.
    """
    values = path if isinstance(path, dict) else read_attachment_file(path)
    with store.transaction():
        return store.insert("attachments", {**values, "owner_kind": owner_kind, "owner_id": owner_id,
                                            "added_by": store.user, "added_at": now_stamp()})


def add_attachments(store: Store, owner_kind: str, owner_id: int, files: Iterable[dict]) -> list[int]:
    """Several files read by `read_attachment_file`, against one owner, in one transaction."""
    with store.transaction():
        return [add_attachment(store, owner_kind, owner_id, values) for values in files]


def delete_attachment(store: Store, attachment_id: int) -> None:
    """Remove one file; the audit log keeps a note of it (not its content)."""
    with store.transaction():
        if store.get("attachments", attachment_id) is None:
            raise ScrdeskError(GONE)
        store.delete("attachments", attachment_id)


def delete_owned(store: Store, owner_kind: str, owner_ids: Iterable[int]) -> int:
    """Every file of these owners (the cascade when the owners are deleted); how many went.

    Attachments have no foreign key to their owner (one table serves every kind), so a delete
    of the owner must call this in the same transaction or the files are orphaned.
    """
    ids = list(owner_ids)
    if not ids:
        return 0
    with store.transaction():
        marks = ", ".join("?" for _ in ids)
        cursor = store.db.execute(f"DELETE FROM attachments WHERE owner_kind = ? AND owner_id IN ({marks})",
                                  [owner_kind, *ids])
        return cursor.rowcount


def set_logo(store: Store, logo: dict | None) -> int | None:
    """Replace the board's logo with `logo` (a row from `read_attachment_file`) or remove it.

    Writes the setting too, in the same transaction as the files; returns the new attachment id.
    """
    with store.transaction():
        old = store.settings().logo_attachment_id
        new_id = add_attachment(store, "logo", 0, logo) if logo else None
        if old:
            store.db.execute("DELETE FROM attachments WHERE id = ? AND owner_kind = 'logo'", [old])
        store.set_settings({"logo_attachment_id": new_id})
    return new_id
