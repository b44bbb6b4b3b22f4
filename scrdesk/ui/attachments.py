"""Evidence kept inside the data file: add from disk, open, save out and remove attachments.

Attachments live in the `attachments` table as BLOBs so the one SQLite file is the whole record.
`AttachmentList` is the small panel the action plan, briefings (dissemination) and meetings share.
"""

from __future__ import annotations

import hashlib
import mimetypes
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.store.db import now_stamp
from scrdesk.ui.base import Column, RowsModel, confirm, show_error

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024

#: What the attachment panels list: never the content, which may be megabytes.
_LIST_SQL = ("SELECT id, owner_kind, owner_id, file_name, mime_type, size, sha256, added_by, added_at "
             "FROM attachments WHERE owner_kind = ? AND owner_id = ? ORDER BY id")


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
    return {
        "file_name": path.name,
        "mime_type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "content": content,
    }


def add_attachment(store, owner_kind: str, owner_id: int, path: str | Path | dict) -> int:
    """Store a file (or a row from `read_attachment_file`) against its owner; returns its id."""
    values = path if isinstance(path, dict) else read_attachment_file(path)
    return store.insert("attachments", {**values, "owner_kind": owner_kind, "owner_id": owner_id,
                                        "added_by": store.user, "added_at": now_stamp()})


def attachment_rows(store, owner_kind: str, owner_id: int) -> list[dict]:
    return store.rows(_LIST_SQL, [owner_kind, owner_id])


def attachment_count(store, owner_kind: str, owner_id: int) -> int:
    return int(store.scalar("SELECT count(*) FROM attachments WHERE owner_kind = ? AND owner_id = ?",
                            [owner_kind, owner_id]) or 0)


def attachment_content(store, attachment_id: int) -> tuple[str, bytes]:
    row = store.row("SELECT file_name, content FROM attachments WHERE id = ?", [attachment_id])
    if row is None:
        raise ScrdeskError("That attachment is no longer in the data file.")
    return row["file_name"], row["content"]


def save_attachment(store, attachment_id: int, target: str | Path) -> Path:
    _name, content = attachment_content(store, attachment_id)
    target = Path(target)
    try:
        target.write_bytes(content)
    except OSError as error:
        raise ScrdeskError(f"Could not save {target.name}: {error.strerror or error}.") from error
    return target


_open_dir: tempfile.TemporaryDirectory | None = None


def temp_copy(store, attachment_id: int) -> Path:
    """Write the attachment to this session's temporary folder for the default program to open.

    The temporary name is `scrdesk-evidence-<id>.<ext>`, not the stored file name: a file name
    may hold a child's name, and temporary folders are swept up by backup and indexing tools.
    """
    global _open_dir
    name, content = attachment_content(store, attachment_id)
    if _open_dir is None:
        _open_dir = tempfile.TemporaryDirectory(prefix="scrdesk-")
    target = Path(_open_dir.name) / f"scrdesk-evidence-{attachment_id}{Path(name).suffix.lower()}"
    target.write_bytes(content)
    return target


def open_attachment(store, attachment_id: int) -> Path:
    path = temp_copy(store, attachment_id)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        raise ScrdeskError(f"No program on this computer opens {path.suffix or 'this kind of'} files; "
                           "use Save a copy… and open it from there.")
    return path


def ask_open_files(parent: QWidget | None, caption: str, filter_text: str = "All files (*)") -> list[str]:
    """The file chooser; a module function so tests can stand in for the person choosing."""
    files, _ = QFileDialog.getOpenFileNames(parent, caption, "", filter_text)
    return files


def ask_save_file(parent: QWidget | None, caption: str, suggested: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested)
    return path


class AttachmentList(QWidget):
    """The evidence files of one owner, with Add, Open, Save a copy and Remove.

    With `pending=True` (a dialog for a record not yet saved) files are only collected; the
    dialog stores them with its own write, in the same transaction, via `pending_files()`.
    """

    attachments_changed = Signal()

    COLUMNS = (
        Column("file_name", "File"),
        Column("size", "Size", display=lambda r: human_size(r.get("size")), align_right=True),
        Column("added_by", "Added by"),
        Column("added_at", "Added", display=lambda r: (r.get("added_at") or "")[:10]),
    )

    def __init__(self, store, owner_kind: str, parent: QWidget | None = None, *,
                 pending: bool = False, label: str = "Evidence", compact: bool = False):
        super().__init__(parent)
        self.store = store
        self.owner_kind = owner_kind
        self.owner_id: int | None = None
        self.pending = pending
        self._pending: list[dict] = []
        self._read_only = False
        self.label = label

        self.model = RowsModel(self.COLUMNS, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(f"{label} files")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_open_clicked)

        self.add_button = QPushButton(f"&Attach {label.lower()} file…", self)
        self.open_button = QPushButton("&Open", self)
        self.save_button = QPushButton("Save a &copy…", self)
        self.remove_button = QPushButton("Remove", self)
        for button, name in ((self.add_button, f"Attach {label.lower()} file"),
                             (self.open_button, f"Open the selected {label.lower()} file"),
                             (self.save_button, f"Save a copy of the selected {label.lower()} file"),
                             (self.remove_button, f"Remove the selected {label.lower()} file")):
            button.setAccessibleName(name)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_remove_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        # `compact` puts the buttons in two rows, for a narrow pane.
        buttons = QGridLayout()
        for number, button in enumerate((self.add_button, self.open_button, self.save_button,
                                         self.remove_button)):
            buttons.addWidget(button, number // 2 if compact else 0, number % 2 if compact else number)
        buttons.setColumnStretch(2 if compact else 4, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.setTabOrder(self.table, self.add_button)
        self._update_buttons()

    # -- state --------------------------------------------------------------------------------

    def set_owner(self, owner_id: int | None) -> None:
        self.owner_id = owner_id
        self.refresh()

    def refresh(self) -> None:
        rows = [] if self.owner_id is None else attachment_rows(self.store, self.owner_kind, self.owner_id)
        self.model.set_rows(rows + [dict(p, pending=True) for p in self._pending])
        self._update_buttons()

    def pending_files(self) -> list[dict]:
        return list(self._pending)

    def count(self) -> int:
        return self.model.rowCount()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()

    def selected_row(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_args) -> None:
        row = self.selected_row()
        stored = row is not None and not row.get("pending")
        can_add = not self._read_only and (self.pending or self.owner_id is not None)
        self.add_button.setEnabled(can_add)
        self.open_button.setEnabled(stored)
        self.save_button.setEnabled(stored)
        self.remove_button.setEnabled(row is not None and not self._read_only)

    # -- slots --------------------------------------------------------------------------------

    def add_files(self, paths: list[str]) -> None:
        """Attach these files now (or collect them, in pending mode); one bad file stops none."""
        problems = []
        for path in paths:
            try:
                values = read_attachment_file(path)
                if self.pending:
                    self._pending.append(values)
                else:
                    add_attachment(self.store, self.owner_kind, self.owner_id, values)
            except ScrdeskError as error:
                problems.append(str(error))
        self.refresh()
        if len(problems) < len(paths):
            self.attachments_changed.emit()
        if problems:
            show_error(self, ScrdeskError("\n".join(problems)), "Attach evidence")

    def _on_add_clicked(self) -> None:
        paths = ask_open_files(self, f"Attach {self.label.lower()}")
        if paths:
            self.add_files(paths)

    def _on_open_clicked(self, *_args) -> None:
        row = self.selected_row()
        if row is None or row.get("pending"):
            return
        try:
            open_attachment(self.store, row["id"])
        except ScrdeskError as error:
            show_error(self, error, "Open evidence")

    def _on_save_clicked(self) -> None:
        row = self.selected_row()
        if row is None or row.get("pending"):
            return
        target = ask_save_file(self, "Save a copy", row["file_name"])
        if not target:
            return
        try:
            save_attachment(self.store, row["id"], target)
        except ScrdeskError as error:
            show_error(self, error, "Save a copy")

    def _on_remove_clicked(self) -> None:
        row = self.selected_row()
        if row is None or self._read_only:
            return
        if row.get("pending"):
            self._pending = [p for p in self._pending if p["sha256"] != row["sha256"]]
            self.refresh()
            return
        if not confirm(self, "Remove evidence",
                       f"Remove {row['file_name']} from this record? The audit log keeps a note "
                       "of it, but the file itself is gone from the data file.", "Remove"):
            return
        try:
            self.store.delete("attachments", row["id"])
        except ScrdeskError as error:
            show_error(self, error, "Remove evidence")
            return
        self.refresh()
        self.attachments_changed.emit()
