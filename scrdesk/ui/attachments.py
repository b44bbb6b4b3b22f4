"""Evidence kept inside the data file, in the window: open with the default program, the file
choosers, and `AttachmentList`, the small panel the action plan, briefings (dissemination) and
meetings share.

The reads and writes of attachments live in `scrdesk.store.attachments`; the Qt-free names other
modules import from here (`add_attachment`, `read_attachment_file`, …) are that module's.
"""

from __future__ import annotations

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

from scrdesk.domain.errors import ScrdeskError
from scrdesk.store.attachments import (
    MAX_ATTACHMENT_BYTES,
    add_attachment,
    attachment_content,
    attachment_count,
    attachment_rows,
    delete_attachment,
    human_size,
    read_attachment_file,
    save_attachment,
    temp_copy,
)
from scrdesk.ui.base import Column, RowsModel, confirm, show_error

__all__ = [
    "MAX_ATTACHMENT_BYTES", "AttachmentList", "add_attachment", "ask_open_files", "ask_save_file",
    "attachment_content", "attachment_count", "attachment_rows", "human_size", "open_attachment",
    "read_attachment_file", "save_attachment", "temp_copy",
]


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
            delete_attachment(self.store, row["id"])
        except ScrdeskError as error:
            show_error(self, error, "Remove evidence")
            return
        self.refresh()
        self.attachments_changed.emit()
