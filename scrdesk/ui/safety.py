"""The window's data-safety dialogs: a record's history, the audit log, the retention list,
restore from a backup, taking over a stale lease, and what to do about a damaged file.

Each is self-contained; the main window creates them when asked (imported on first use).
Nothing here writes except through the store modules (`retention.set_legal_hold`,
`backup.restore_into` / `restore_backup`), which refuse on a read-only file.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.dates import format_date
from scrdesk.domain.errors import ScrdeskError
from scrdesk.store import backup, history, retention
from scrdesk.store.backup import BackupInfo
from scrdesk.store.db import DamagedFileError, Store
from scrdesk.store.lease import LeaseHolder, friendly_time
from scrdesk.ui.base import Column, FilterBox, PagedQueryModel, RowRole, show_error

_BACKUP_KINDS = {"automatic": "Automatic", "before-migration": "Before an upgrade",
                 "other": "Other"}


def _when_text(info: BackupInfo) -> str:
    moment = info.created_at
    return f"{format_date(moment.date())} {moment.strftime('%H:%M')}"


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(True)
    return table


def _item(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


# -- taking over a stale lease -------------------------------------------------------------------

def takeover_text(holder: LeaseHolder) -> str:
    since = friendly_time(holder.started_at)
    if holder.gone:
        why = ("That copy of scrdesk is no longer running on this computer; it probably "
               "closed unexpectedly.")
    else:
        why = (f"Nothing has been heard from that copy of scrdesk since "
               f"{friendly_time(holder.heartbeat_at)}. The laptop may be asleep or disconnected.")
    return (f"{holder.who()} opened this file for editing at {since}. {why}\n\n"
            "If they are still working in it, taking over could lose what they have not yet "
            "saved. Take it over only if you know they have finished, or ask them first.")


def confirm_takeover(parent: QWidget | None, holder: LeaseHolder) -> bool:
    """Ask before taking over a stale lease; the safe answer (read-only) is the default."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Take over the data file?", takeover_text(holder),
                      parent=parent)
    take = box.addButton("Take over and edit", QMessageBox.ButtonRole.DestructiveRole)
    read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(read_only)
    box.setEscapeButton(read_only)
    box.exec()
    return box.clickedButton() is take


# -- a record's history --------------------------------------------------------------------------

def _changes_text(entry: history.HistoryEntry) -> str:
    return "\n".join(entry.details()) or "Saved with no change"


class HistoryDialog(QDialog):
    """Every change to one record, oldest first: when, who, what happened, what changed.

    Each change opens into one line per field; a record's creation (all its first values) starts
    folded when it is long, so the changes after it are what the eye lands on.
    """

    HEADERS = ["When", "Who", "What happened", "What changed"]
    FOLD_ABOVE = 6

    def __init__(self, store: Store, table: str, row_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.entries = history.record_history(store, table, row_id)
        name = self.entries[-1].record if self.entries else history.record_label(table, {}, row_id)
        self.setWindowTitle(f"History of {name}")
        self.resize(780, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Every change to {name}, oldest first."
                       + (" Restricted identifiers are shown as ••••."
                          if table in history.RESTRICTED_FIELDS else ""))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(self.HEADERS)
        self.tree.setAccessibleName("History")
        self.tree.setAlternatingRowColors(True)
        self.tree.setRootIsDecorated(True)
        for entry in self.entries:
            lines = entry.details()
            headline = entry.summary() if entry.action == "update" and len(lines) == 1 else (
                f"{len(lines)} field{'s' if len(lines) != 1 else ''}" if lines else
                "Saved with no change")
            top = QTreeWidgetItem([entry.when_text(), entry.who, entry.action_label, headline])
            top.setToolTip(3, "\n".join(lines))
            for line in lines if len(lines) > 1 or entry.action != "update" else []:
                top.addChild(QTreeWidgetItem(["", "", "", line]))
            self.tree.addTopLevelItem(top)
            top.setExpanded(entry.action == "update" or len(lines) <= self.FOLD_ABOVE)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        layout.addWidget(self.tree)
        if not self.entries:
            layout.addWidget(QLabel("No changes are recorded for this record."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def rows(self) -> list[list[str]]:
        """What the tree shows, top-level rows with their detail lines (for tests and checks)."""
        found = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            found.append([top.text(c) for c in range(4)]
                         + [top.child(j).text(3) for j in range(top.childCount())])
        return found


# -- the audit log -------------------------------------------------------------------------------

_open_views: set[QWidget] = set()  # top-level log windows the caller does not keep


class AuditLogView(QWidget):
    """The whole audit log, newest first, filtered by who, kind of record, dates and text;
    fetched from SQL a page at a time as it scrolls. Double-click a row for its record's
    history."""

    FIRST_DAY = QDate(2000, 1, 1)  # shown as "Any date": the date edits' "no filter" value

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Audit log")
        self.resize(900, 520)
        if parent is None:
            _open_views.add(self)  # the main window shows it without keeping a reference
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.who = QComboBox(self)
        self.who.setAccessibleName("Who")
        self.who.addItem("Anyone", None)
        for person in history.audit_people(store):
            self.who.addItem(person, person)
        self.table = QComboBox(self)
        self.table.setAccessibleName("Record")
        self.table.addItem("Any record", None)
        for name, label in history.audit_tables(store):
            self.table.addItem(label, name)
        self.since = self._date_edit("From")
        self.until = self._date_edit("To")
        self.text = FilterBox("Search the changes…", self)
        for label, widget in (("Who", self.who), ("Record", self.table), ("From", self.since),
                              ("To", self.until)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        layout.addLayout(filters)
        self.count = QLabel(self)
        layout.addWidget(self.count)
        self.model = PagedQueryModel([
            Column("when", "When"),
            Column("who", "Who"),
            Column("record", "Record"),
            Column("what", "What changed", tooltip=lambda row: row["details"]),
        ], self._fetch, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Audit log")
        self.view.verticalHeader().setVisible(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(self._show_record_history)
        layout.addWidget(self.view)
        for combo in (self.who, self.table):
            combo.currentIndexChanged.connect(self.reload)
        for edit in (self.since, self.until):
            edit.dateChanged.connect(self.reload)
        self.text.filter_settled.connect(self.reload)
        self.reload()
        self.view.resizeColumnsToContents()
        # A long review title must not squeeze out what changed.
        self.view.setColumnWidth(2, min(self.view.columnWidth(2), 280))

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumDate(self.FIRST_DAY)
        edit.setSpecialValueText("Any date")
        edit.setDate(self.FIRST_DAY)
        return edit

    def _date(self, edit: QDateEdit) -> date | None:
        chosen = edit.date()
        return None if chosen == self.FIRST_DAY else date(chosen.year(), chosen.month(), chosen.day())

    def filters(self) -> dict:
        return {"who": self.who.currentData(), "table": self.table.currentData(),
                "since": self._date(self.since), "until": self._date(self.until),
                "text": self.text.text()}

    def _fetch(self, _filter_text: str, _order_by: str, offset: int, limit: int) -> list[dict]:
        entries = history.audit_entries(self.store, limit=limit, offset=offset, **self.filters())
        return [{"when": e.when_text(), "who": e.who, "record": e.record, "what": e.summary(),
                 "details": _changes_text(e), "table": e.table, "row_id": e.row_id}
                for e in entries]

    def reload(self) -> None:
        try:
            total = history.count_audit_entries(self.store, **self.filters())
        except sqlite3.ProgrammingError:  # the window closed the data file under this view
            self.count.setText("The data file has been closed.")
            self.model.set_rows([])
            return
        self.count.setText("No changes match." if total == 0 else
                           f"{total:,} change{'s' if total != 1 else ''}, newest first.")
        self.model.reload()

    def _show_record_history(self, index) -> None:
        row = index.data(RowRole)
        if row and row.get("row_id") is not None:
            HistoryDialog(self.store, row["table"], row["row_id"], self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        _open_views.discard(self)
        self.text.blockSignals(True)  # a search still waiting to settle must not run now
        super().closeEvent(event)


# -- retention -----------------------------------------------------------------------------------

class RetentionDialog(QDialog):
    """What is due for a retention review, with legal hold on referrals and reviews."""

    HEADERS = ["Record", "Closed", "Review due", "Kept for", "Legal hold"]

    def __init__(self, store: Store, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.store = store
        self.today = today
        self.setWindowTitle("Retention review")
        self.resize(760, 440)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "These records have been closed for longer than the retention period set for their "
            "kind. Review each one: delete it from its own tab when it is no longer needed, or "
            "put it on legal hold (with the reason) to keep it and its whole case.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if store.readonly:
            layout.addWidget(QLabel(f"Read-only: {store.readonly_reason}."))
        self.show_held = QCheckBox("Also show records on legal hold", self)
        self.show_held.toggled.connect(self.reload)
        layout.addWidget(self.show_held)
        self.table = _table(self, self.HEADERS)
        self.table.setAccessibleName("Records due for retention review")
        self.table.itemChanged.connect(self._hold_toggled)
        layout.addWidget(self.table)
        self.empty = QLabel("Nothing is due for a retention review.")
        layout.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.items = retention.due_for_retention_review(
            self.store, self.today, include_held=self.show_held.isChecked())
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            self.table.setItem(row, 0, _item(item.label, (item.table, item.row_id)))
            self.table.setItem(row, 1, _item(format_date(item.closed_on)))
            self.table.setItem(row, 2, _item(format_date(item.review_due)))
            self.table.setItem(row, 3, _item(f"{item.years} years"))
            self.table.setItem(row, 4, self._hold_item(item))
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not self.items)

    def _hold_item(self, item: retention.RetentionItem) -> QTableWidgetItem:
        if item.table not in retention.HOLDABLE_TABLES:
            return _item(item.hold_note.capitalize() if item.hold_note else "Follows its review")
        direct = item.hold_note == "on legal hold"
        cell = _item(item.hold_note.capitalize() if item.hold_note and not direct else "")
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.store.readonly:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        cell.setFlags(flags)
        cell.setCheckState(Qt.CheckState.Checked if direct else Qt.CheckState.Unchecked)
        reason = retention.legal_hold_reason(self.store, item.table, item.row_id)
        if reason:
            cell.setToolTip(f"Reason: {reason}")
        return cell

    def _hold_toggled(self, cell: QTableWidgetItem) -> None:
        if cell.column() != 4:
            return
        table, row_id = self.table.item(cell.row(), 0).data(Qt.ItemDataRole.UserRole)
        on = cell.checkState() == Qt.CheckState.Checked
        label = self.table.item(cell.row(), 0).text()
        reason = ""
        if on:
            reason, ok = QInputDialog.getText(
                self, "Legal hold", f"Why must {label} and its case be kept?")
            if not ok:
                self.reload()
                return
        try:
            retention.set_legal_hold(self.store, table, row_id, on, reason)
        except ScrdeskError as error:
            show_error(self, error, "Legal hold")
        self.reload()


def export_subject_access(parent: QWidget | None, store: Store, referral_id: int) -> Path | None:
    """Ask where to save the subject-access export of one case (PDF or JSON), and write it; the
    export is recorded in the document log."""
    from scrdesk.exports import export_subject_access as write_export

    pdf_filter, json_filter = "PDF files (*.pdf)", "JSON files (*.json)"
    suggested = str(Path(retention.suggested_subject_access_name(store, referral_id)).with_suffix(".pdf"))
    chosen, chosen_filter = QFileDialog.getSaveFileName(parent, "Save subject access export", suggested,
                                                        f"{pdf_filter};;{json_filter}")
    if not chosen:
        return None
    out = Path(chosen)
    if out.suffix.lower() not in (".pdf", ".json"):
        # The dialog does not always add the chosen type's ending: the filter says which was meant.
        out = out.with_name(out.name + (".json" if chosen_filter == json_filter else ".pdf"))
    try:
        return write_export(store, referral_id, out).path
    except (ScrdeskError, OSError) as error:
        show_error(parent, error, "Subject access export")
        return None


# -- restore -------------------------------------------------------------------------------------

class RestoreDialog(QDialog):
    """Pick a backup, see its date and record counts, restore it; the current file is kept.

    `RestoreDialog(store, parent)` restores over the file the window has open, in place (the
    store is reopened on the restored file; refresh the window after `exec()` returns true).
    `RestoreDialog(data_path, backups_folder)` works on a file that is not open (after damage).
    """

    HEADERS = ["When", "Kind", "Records", "Size"]

    def __init__(self, source: Store | str | Path, parent_or_folder: QWidget | str | Path | None = None,
                 backups_folder: str | Path | None = None, parent: QWidget | None = None):
        if isinstance(parent_or_folder, QWidget):
            parent = parent_or_folder
        elif parent_or_folder is not None:
            backups_folder = parent_or_folder
        super().__init__(parent)
        self.store = source if isinstance(source, Store) else None
        self.data_path = Path(source.path if isinstance(source, Store) else source)
        self.folder = Path(backups_folder) if backups_folder else backup.default_backups_folder(
            self.data_path)
        self.restored_from: Path | None = None
        self.kept_as: Path | None = None
        self.setWindowTitle("Restore from a backup")
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Backups of {self.data_path.name}, newest first. Restoring puts the "
                       "backup in place of the file; the file you have now is kept beside it, "
                       "never deleted.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = _table(self, self.HEADERS)
        self.table.setAccessibleName("Backups")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(parent=self)
        self.restore_button = QPushButton("Restore this backup…", self)
        self.other_button = QPushButton("Restore another file…", self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._restore_selected)
        self.other_button.clicked.connect(self._restore_other)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.backups = backup.list_backups(self.folder, self.data_path.stem)
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            records = info.counts_text() if info.ok else f"Cannot be read: {info.problem}"
            cells = [_when_text(info), _BACKUP_KINDS.get(info.kind, info.kind), records,
                     f"{info.size / 1e6:.1f} MB"]
            for column, text in enumerate(cells):
                cell = _item(text, row)
                if not info.ok:
                    cell.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        if self.backups:
            self.table.selectRow(0)
        else:
            self.details.setText(f"There are no backups in {self.folder}.")
        self._selection_changed()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        info = self.selected()
        self.restore_button.setEnabled(bool(info and info.ok))
        if info is None:
            return
        if not info.ok:
            self.details.setText(f"This backup cannot be restored: {info.problem}.")
            return
        counts = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in info.counts.items())
        last = (f" The last change in it was made at {friendly_time(info.last_change)}."
                if info.last_change else "")
        self.details.setText(f"Backup made {_when_text(info)}.{last} It holds {counts}.")

    def _restore_selected(self) -> None:
        info = self.selected()
        if info is not None and info.ok:
            self.restore(info.path, _when_text(info))

    def _restore_other(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Choose a backup to restore",
                                                str(self.folder), "scrdesk data files (*.db)")
        if chosen:
            self.restore(Path(chosen), Path(chosen).name)

    def restore(self, backup_path: Path, described: str, *, confirmed: bool = False) -> bool:
        """Restore `backup_path` after asking (unless `confirmed`); True when it was restored."""
        if not confirmed:
            box = QMessageBox(QMessageBox.Icon.Warning, "Restore this backup?",
                              f"Put the backup from {described} in place of {self.data_path.name}?"
                              "\n\nThe file you have now will be kept beside it as "
                              f"{self.data_path.stem}.before-restore-….db; nothing is deleted.",
                              parent=self)
            go = box.addButton("Restore", QMessageBox.ButtonRole.DestructiveRole)
            cancel = box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(cancel)
            box.exec()
            if box.clickedButton() is not go:
                return False
        try:
            if self.store is not None:
                self.kept_as = backup.restore_into(self.store, backup_path)
            else:
                self.kept_as = backup.restore_backup(backup_path, self.data_path)
        except ScrdeskError as error:
            show_error(self, error, "Restore")
            return False
        self.restored_from = backup_path
        kept = (f" The file you had is kept as {self.kept_as.name}." if self.kept_as else "")
        if not confirmed:
            QMessageBox.information(self, "Restored", f"The backup has been restored.{kept}")
        self.accept()
        return True


# -- a damaged file ------------------------------------------------------------------------------

def offer_backup_after_damage(parent: QWidget | None, error: DamagedFileError) -> bool:
    """Say what happened to a damaged file and offer its newest good backup (or any backup).

    True when a backup was restored to the file's path, so the caller can open it again.
    """
    box = QMessageBox(QMessageBox.Icon.Critical, "The data file is damaged", str(error),
                      parent=parent)
    newest = box.addButton("Restore the newest backup", QMessageBox.ButtonRole.AcceptRole) \
        if error.newest_good_backup else None
    choose = box.addButton("Choose a backup…", QMessageBox.ButtonRole.ActionRole)
    close = box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(newest or close)
    box.exec()
    clicked = box.clickedButton()
    if newest is not None and clicked is newest:
        dialog = RestoreDialog(error.path, parent)
        return dialog.restore(error.newest_good_backup, "the newest good backup", confirmed=True)
    if clicked is choose:
        return bool(RestoreDialog(error.path, parent).exec())
    return False
