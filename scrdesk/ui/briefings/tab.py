"""The briefings tab: the list of 6-step and 7-minute briefings beside the editor of the one
chosen (its sections, learning themes and dissemination by agency).

Parts: the list and its buttons (`_build_list`), the editor (`editor.BriefingEditor`), the
splitter between them (`_build_layout`), and the signals and keys (`_wire`). Every read and
write goes through `scrdesk.store.briefings`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.errors import ScrdeskError
from scrdesk.store import briefings as briefing_store
from scrdesk.store.reviews import review_count
from scrdesk.ui.base import RowsModel, Tab, confirm, make_button, record_table, show_error
from scrdesk.ui.briefings.dialogs import NewBriefingDialog
from scrdesk.ui.briefings.editor import BriefingEditor
from scrdesk.ui.briefings.model import (
    BRIEFING_COLUMNS,
    COL_REVIEW,
    PAGE_DISSEMINATION,
    PAGE_SECTIONS,
)
from scrdesk.ui.learning.briefings import BriefingChannelsPage


def ask_save_changes(parent: QWidget) -> str:
    """'save', 'discard' or 'cancel' for unsaved changes to a briefing (a function, for tests)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Briefing not saved",
                      "The briefing has changes that are not saved.", parent=parent)
    save = box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


class BriefingsTab(Tab):
    """Briefings and their dissemination."""

    title = "Briefings"

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(store, parent)
        self._read_only = False
        self._current_id: int | None = None

        self.editor = BriefingEditor(store)
        # Issue 14: where the briefing was published and promoted, and its themes.
        self.channels_page = BriefingChannelsPage(store)
        self.editor.pages.addTab(self.channels_page, "C&hannels and themes")
        self.editor.loaded.connect(self.channels_page.set_briefing)
        self.channels_page.changed.connect(self.records_changed)
        self._build_layout(self._build_list())
        self._wire()
        self.refresh()

    # -- parts ----------------------------------------------------------------------------------

    def _build_list(self) -> QGroupBox:
        """The briefings list with New and Delete beneath it."""
        self.model = RowsModel(BRIEFING_COLUMNS, self)
        self.list_view = record_table("Briefings", self.model)
        self.list_view.setSortingEnabled(True)
        header = self.list_view.horizontalHeader()
        header.setSortIndicator(COL_REVIEW, Qt.SortOrder.AscendingOrder)
        for column in range(len(BRIEFING_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_REVIEW, QHeaderView.ResizeMode.Stretch)
        self.new_button = make_button("&New briefing…", "Start a briefing of a review (Ctrl+N)", name="New briefing")
        self.delete_button = make_button("Delete briefing", "Delete", name="Delete the selected briefing")
        # One above the other, so the list can be narrowed to make room for the editor.
        buttons = QGridLayout()
        buttons.addWidget(self.new_button, 0, 0)
        buttons.addWidget(self.delete_button, 1, 0)
        buttons.setColumnStretch(1, 1)
        box = QGroupBox("Briefings")
        layout = QVBoxLayout(box)
        layout.addWidget(self.list_view, 1)
        layout.addLayout(buttons)
        return box

    def _build_layout(self, list_box: QWidget) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(list_box)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([500, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _wire(self) -> None:
        self.new_button.clicked.connect(self.new_record)
        self.delete_button.clicked.connect(self.delete_selected)
        self.list_view.selectionModel().currentRowChanged.connect(self._on_list_current_changed)
        self.editor.saved.connect(self._on_editor_saved)
        self.editor.preview_requested.connect(self.preview)
        self.editor.disseminations_changed.connect(self._on_disseminations_changed)
        self.editor.message.connect(self.status_message)
        # Ctrl+N, F2 and Ctrl+P are the main window's; it calls new_record(), edit_selected()
        # and print_document() on this tab.
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.list_view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            edit = QShortcut(QKeySequence(key), self.list_view)
            edit.setContext(Qt.ShortcutContext.WidgetShortcut)
            edit.activated.connect(self._focus_editor)

    # -- state --------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self._current_exists() and not self.editor.dirty:
            # Open on the first briefing rather than an empty editor.
            self._current_id = briefing_store.first_briefing_id(self.store)
        self._load_list(self._current_id)
        # Someone else's change must not throw away what is being typed here.
        if not self.editor.dirty:
            self.editor.load(self._current_id)

    def _current_exists(self) -> bool:
        return self._current_id is not None and briefing_store.get_briefing(self.store, self._current_id) is not None

    def _load_list(self, select_id: int | None) -> None:
        selection = self.list_view.selectionModel()
        selection.blockSignals(True)
        self.model.set_rows(briefing_store.briefing_rows(self.store))
        header = self.list_view.horizontalHeader()
        if header.sortIndicatorSection() >= 0 and self.list_view.isSortingEnabled():
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        for number, row in enumerate(self.model.rows()):
            if row["id"] == select_id:
                self.list_view.selectRow(number)
                break
        selection.blockSignals(False)
        self._update_buttons()

    def selected_briefing(self) -> dict | None:
        rows = self.list_view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.new_button.setEnabled(not self._read_only)
        self.delete_button.setEnabled(not self._read_only and self.selected_briefing() is not None)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.editor.set_read_only(read_only)
        self.channels_page.set_read_only(read_only)
        self._update_buttons()

    def show_record(self, kind: str, row_id: int) -> bool:
        if kind == "briefing":
            return self.open_briefing(row_id)
        if kind == "dissemination":
            row = briefing_store.get_dissemination(self.store, row_id)
            if row is None or not self.open_briefing(row["briefing_id"]):
                return False
            self.editor.pages.setCurrentIndex(PAGE_DISSEMINATION)
            return True
        return False

    def open_briefing(self, briefing_id: int) -> bool:
        """Show a briefing in the editor, first asking what to do with unsaved changes."""
        if briefing_id == self._current_id and self.editor.briefing is not None:
            self._load_list(briefing_id)
            return True
        if briefing_store.get_briefing(self.store, briefing_id) is None or not self._may_leave_editor():
            self._load_list(self._current_id)
            return False
        self._current_id = briefing_id
        self._load_list(briefing_id)
        self.editor.load(briefing_id)
        return True

    def _may_leave_editor(self) -> bool:
        if not self.editor.dirty:
            return True
        answer = ask_save_changes(self)
        if answer == "save":
            return self.editor.save()
        if answer == "discard":
            self.editor.load(self._current_id)
            return True
        return False

    # -- slots --------------------------------------------------------------------------------

    def _on_list_current_changed(self, current, _previous) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None and row["id"] != self._current_id:
            self.open_briefing(row["id"])
        self._update_buttons()

    def _on_editor_saved(self, briefing_id: int) -> None:
        self._load_list(briefing_id)
        self.records_changed.emit("briefings")
        if self.editor.last_save_bumped:
            self.status_message.emit(f"Saved as version {self.editor.briefing['version']}: the briefing "
                                     "had been issued, so agencies hold the earlier version.")
        else:
            self.status_message.emit("Briefing saved.")

    def _on_disseminations_changed(self) -> None:
        self._load_list(self._current_id)
        self.records_changed.emit("disseminations")

    def edit_selected(self) -> None:
        """F2: the selected agency's feedback on the dissemination page, else the first section."""
        if self.editor.pages.currentIndex() == PAGE_DISSEMINATION and self.editor.selected_dissemination() is not None:
            self.editor.edit_dissemination()
        else:
            self._focus_editor()

    def current_record(self) -> tuple[str, int] | None:
        return ("briefings", self._current_id) if self.editor.briefing is not None else None

    def print_document(self) -> None:
        self.preview()

    def _focus_editor(self) -> None:
        if self.editor.boxes:
            self.editor.pages.setCurrentIndex(PAGE_SECTIONS)
            self.editor.boxes[0].body.setFocus()

    def new_record(self) -> None:
        if self._read_only or not self._may_leave_editor():
            return
        if not review_count(self.store):
            show_error(self, ScrdeskError("A briefing is of a review: add the review first (on the Reviews tab)."),
                       "New briefing")
            return
        current = self.editor.briefing
        dialog = NewBriefingDialog(self.store, self, review_id=current["review_id"] if current else None)
        dialog.saved.connect(self._on_new_saved)
        dialog.exec()

    def _on_new_saved(self, _table: str, briefing_id: int) -> None:
        self.records_changed.emit("briefings")
        self.open_briefing(briefing_id)
        self._focus_editor()

    def delete_selected(self) -> None:
        row = self.selected_briefing()
        if row is None or self._read_only:
            return
        if not confirm(self, "Delete briefing",
                       f"Delete the {row['template_name']} of {row['review_title']}, its sections and its "
                       "dissemination records with their evidence?"):
            return
        try:
            briefing_store.delete_briefing(self.store, row["id"])
        except ScrdeskError as error:
            show_error(self, error, "Delete briefing")
            return
        if row["id"] == self._current_id:
            self._current_id = None
            self.editor.load(None)
        self._load_list(self._current_id)
        self.records_changed.emit("briefings")

    def preview(self) -> None:
        briefing = self.editor.briefing
        if briefing is None:
            return
        if self.editor.dirty:
            answer = ask_save_changes(self)
            if answer == "cancel" or (answer == "save" and not self.editor.save()):
                return
            if answer == "discard":
                self.editor.load(briefing["id"])
        # The PDF machinery loads only when asked for.
        from scrdesk.ui.documents import show_document

        show_document(self, self.store, "briefing", ref=briefing["id"])
