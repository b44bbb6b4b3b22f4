"""The Dashboard tab: what needs doing now, in five sections, each line opening its record.

Every line shows its RAG colour and, beside it, the reason in words (also in the tooltip), so the
page reads the same printed in grey or to someone who cannot tell red from green. Each section
shows a screenful of lines, then "and N more" opening the tab that lists them all; an agency's
overdue actions are read when its group is opened.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.dates import format_date
from scrdesk.domain.errors import ScrdeskError
from scrdesk.store.queries import dashboard, dashboard_overdue_actions, today_for
from scrdesk.ui.base import RAG_BRUSHES, Tab, show_error

#: (key in queries.dashboard(), heading, what to say when there is nothing)
SECTIONS = (
    ("overdue_by_agency", "Overdue actions, by agency", "No action is overdue."),
    ("due_soon", "Actions due in the next {soon} days", "No action falls due in the next {soon} days."),
    ("reviews", "Reviews past or near their target", "Every live review is on track."),
    ("deadlines", "Statutory deadlines coming up (working days)", "No statutory deadline is coming up."),
    ("feedback", "Briefings waiting for dissemination feedback", "No agency's feedback is due."),
    ("sub_group", "The sub group itself", "No terms of reference review or health check is due."),
)

#: Suffix -> (menu text, file dialog filter): the formats of `scrdesk export clocks`.
CLOCK_FORMATS = {
    ".xlsx": ("Excel workbook…", "Excel workbooks (*.xlsx)"),
    ".ics": ("Calendar (.ics, for Outlook)…", "Calendar files (*.ics)"),
    ".json": ("JSON…", "JSON files (*.json)"),
}


def ask_clocks_file(parent: QWidget, caption: str, suggested: str, pattern: str) -> str:
    """The file to write, or "" if the person cancelled (tests answer in its place)."""
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, pattern)
    return path


def _documents_folder() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
                or Path.home())


KindRole = Qt.ItemDataRole.UserRole + 10
IdRole = Qt.ItemDataRole.UserRole + 11
#: On an agency's line: how many overdue actions it stands for.
CountRole = Qt.ItemDataRole.UserRole + 12
#: On an agency line whose overdue actions have not been read yet.
PendingRole = Qt.ItemDataRole.UserRole + 13

COL_RAG, COL_WHAT, COL_WHY = range(3)


class DashboardTab(Tab):
    """Five lists of what is overdue or due soon; Enter or double-click opens the record."""

    title = "Dashboard"

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(store, parent)
        self.heading = QLabel()
        self.heading.setAccessibleName("Dashboard date")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = QLabel()
        self.summary.setAccessibleName("Dashboard summary")
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setAccessibleName("Refresh the dashboard")
        self.refresh_button.setToolTip("Read everything again (F5)")
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button = QPushButton("Open")
        self.open_button.setAccessibleName("Open the selected line's record")
        self.open_button.setToolTip("Open the selected line's record (Enter)")
        self.open_button.clicked.connect(self.open_current)

        self.export_button = QPushButton("Export clocks…")
        self.export_button.setAccessibleName("Export the open clocks")
        self.export_button.setToolTip("Every open statutory and local clock, for a weekly check: "
                                      "JSON, Excel, or calendar events for Outlook")
        menu = QMenu(self.export_button)
        for suffix, (text, _pattern) in CLOCK_FORMATS.items():
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, chosen=suffix: self.export_clocks(chosen))
        self.export_button.setMenu(menu)

        self.tree = QTreeWidget()
        self.tree.setObjectName("dashboard_tree")
        self.tree.setAccessibleName("What needs doing now")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["RAG", "What", "Why"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.tree.header()
        header.setSectionResizeMode(COL_RAG, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self.tree.itemExpanded.connect(self._on_tree_item_expanded)
        self.tree.currentItemChanged.connect(self._update_buttons)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.export_button)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self._first_fill = True
        self.refresh()

    # -- Tab API -----------------------------------------------------------------------------

    def refresh(self) -> None:
        settings = self.store.settings()
        today = today_for(self.store)
        soon = settings.due_soon_days
        items = dashboard(self.store, today)
        as_at = settings.as_at_date
        self.heading.setText(f"What needs doing — {'as at ' if as_at else ''}{format_date(today)}")
        expanded = self._expanded_keys()
        current = self._current_key()
        self.tree.clear()
        self._today = today
        counts = {}
        for key, heading, empty in SECTIONS:
            lines = items.get(key, [])
            shown = sum(line.get("more", 1) for line in lines)
            section = QTreeWidgetItem([f"{shown}", heading.format(soon=soon), ""])
            section.setData(COL_WHAT, KindRole, f"section:{key}")
            bold = QFont(self.tree.font())
            bold.setBold(True)
            for column in range(3):
                section.setFont(column, bold)
            section.setToolTip(COL_WHAT, f"{shown} line{'s' if shown != 1 else ''}")
            self.tree.addTopLevelItem(section)
            if not lines:
                placeholder = QTreeWidgetItem(["", empty.format(soon=soon), ""])
                placeholder.setFlags(Qt.ItemFlag.ItemIsEnabled)
                placeholder.setForeground(COL_WHAT, self.palette().placeholderText())
                section.addChild(placeholder)
            for line in lines:
                item = self._line_item(line)
                section.addChild(item)
                if line["kind"] == "agency":
                    # Its actions are read when the group is opened, not before.
                    item.setData(COL_WHAT, PendingRole, True)
                    item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            counts[key] = shown
            if key == "overdue_by_agency":
                counts["overdue_actions"] = sum(line.get("count", 0) for line in lines)
            section.setExpanded(True)
        self.tree.resizeColumnToContents(COL_RAG)
        if self._first_fill:
            self.tree.setColumnWidth(COL_WHAT, max(self.tree.columnWidth(COL_WHAT), 520))
            self._first_fill = False
        self._restore(expanded, current)
        self.summary.setText(self._summary_text(counts))
        self._update_buttons()

    def document(self) -> tuple[str, dict]:
        """What Ctrl+P previews here: the sub group's meeting briefing paper as at today."""
        return "paper", {"on": today_for(self.store)}

    def show_record(self, kind: str, row_id: int) -> bool:
        return False  # the dashboard shows no records of its own; its lines open them elsewhere

    # -- exporting the clocks ----------------------------------------------------------------

    def export_clocks(self, suffix: str) -> Path | None:
        """Write every open clock as at the dashboard's date, in the format `scrdesk export clocks`
        writes for the same suffix (the same store and document functions). Only references,
        codes, dates and reasons go in, never a child's name. Returns the file written."""
        on = today_for(self.store)
        text, pattern = CLOCK_FORMATS[suffix]
        chosen = ask_clocks_file(self, f"Export clocks as {text.rstrip('…').lower()}",
                                 str(_documents_folder() / f"clocks-{on.isoformat()}{suffix}"), pattern)
        if not chosen:
            return None
        out = Path(chosen)
        if out.suffix.lower() != suffix:
            out = out.with_name(out.name + suffix)
        # Imported here: the export is rare, and the dashboard is the first thing shown.
        from scrdesk.documents.clocks import WRITERS
        from scrdesk.store.clocks import open_clocks

        clocks = open_clocks(self.store, on)
        writer = WRITERS[suffix]
        data = writer(on, clocks, self.store.settings().board_name) if suffix == ".ics" else writer(on, clocks)
        try:
            out.write_bytes(data)
        except OSError as error:
            show_error(self, ScrdeskError(f"Could not write {out.name}: {error.strerror or error}."), "Export clocks")
            return None
        self.status_message.emit(f"Exported {len(clocks)} open clock{'s' if len(clocks) != 1 else ''} "
                                 f"as at {format_date(on)} to {out}.")
        return out

    # -- lines -------------------------------------------------------------------------------

    def _line_item(self, line: dict) -> QTreeWidgetItem:
        rag = line["rag"]
        title = line["title"]
        if line["kind"] == "agency" and "more" not in line:
            title = f"{title} — {line['detail']}"
        item = QTreeWidgetItem([rag.label if rag else "", title, rag.reason if rag else ""])
        kind = f"tab:{line['tab']}" if line["kind"] == "tab" else line["kind"]
        item.setData(COL_WHAT, KindRole, kind)
        item.setData(COL_WHAT, IdRole, line["id"])
        if "count" in line:
            item.setData(COL_WHAT, CountRole, line["count"])
        if "more" in line:
            italic = QFont(self.tree.font())
            italic.setItalic(True)
            item.setFont(COL_WHAT, italic)
        brush = RAG_BRUSHES.get(rag.colour) if rag else None
        if brush is not None:
            item.setBackground(COL_RAG, brush)
        tooltip = f"{rag.reason if rag else ''}\n{line.get('detail') or ''}".strip()
        for column in range(3):
            item.setToolTip(column, tooltip)
        item.setStatusTip(COL_WHAT, "Press Enter or double-click to open")
        return item

    def _on_tree_item_expanded(self, item: QTreeWidgetItem) -> None:
        if not item.data(COL_WHAT, PendingRole):
            return
        item.setData(COL_WHAT, PendingRole, None)
        agency_id = item.data(COL_WHAT, IdRole)
        for line in dashboard_overdue_actions(self.store, agency_id, self._today):
            item.addChild(self._line_item(line))

    def _summary_text(self, counts: dict[str, int]) -> str:
        overdue_actions = counts.get("overdue_actions", 0)
        parts = [
            f"{overdue_actions} overdue action{'s' if overdue_actions != 1 else ''} across "
            f"{counts.get('overdue_by_agency', 0)} agenc{'ies' if counts.get('overdue_by_agency', 0) != 1 else 'y'}",
            f"{counts.get('due_soon', 0)} due soon",
            f"{counts.get('reviews', 0)} review{'s' if counts.get('reviews', 0) != 1 else ''} to watch",
            f"{counts.get('deadlines', 0)} statutory deadline{'s' if counts.get('deadlines', 0) != 1 else ''}",
            f"{counts.get('feedback', 0)} feedback return{'s' if counts.get('feedback', 0) != 1 else ''} due",
        ]
        return " · ".join(parts) + ". Press Enter on a line to open its record."

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self._open(item)

    def open_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self._open(item)

    def edit_selected(self) -> None:
        self.open_current()

    def _open(self, item: QTreeWidgetItem) -> None:
        kind, row_id = item.data(COL_WHAT, KindRole), item.data(COL_WHAT, IdRole)
        if not kind or str(kind).startswith("section:"):
            item.setExpanded(not item.isExpanded())
            return
        if str(kind).startswith("tab:"):
            self.tab_requested.emit(str(kind).removeprefix("tab:"))
            return
        if row_id is None:
            return
        self.record_requested.emit(kind, int(row_id))

    def _update_buttons(self, *_args) -> None:
        item = self.tree.currentItem()
        kind = item.data(COL_WHAT, KindRole) if item else None
        self.open_button.setEnabled(bool(kind) and not str(kind).startswith("section:"))

    # -- keeping the reader's place across refreshes -----------------------------------------

    def _key(self, item: QTreeWidgetItem) -> tuple:
        return (item.data(COL_WHAT, KindRole), item.data(COL_WHAT, IdRole), item.text(COL_WHAT))

    def _expanded_keys(self) -> set[tuple]:
        keys = set()
        for top in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(top)
            if not section.isExpanded():
                keys.add(("collapsed",) + self._key(section))
            for number in range(section.childCount()):
                child = section.child(number)
                if child.isExpanded():
                    keys.add(self._key(child))
        return keys

    def _current_key(self) -> tuple | None:
        item = self.tree.currentItem()
        return self._key(item) if item else None

    def _restore(self, expanded: set[tuple], current: tuple | None) -> None:
        for top in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(top)
            section.setExpanded(("collapsed",) + self._key(section) not in expanded)
            for number in range(section.childCount()):
                child = section.child(number)
                child.setExpanded(self._key(child) in expanded)  # reads an agency's actions
                if current is not None and self._key(child) == current:
                    self.tree.setCurrentItem(child)
                for inner in range(child.childCount()):
                    if current is not None and self._key(child.child(inner)) == current:
                        child.setExpanded(True)
                        self.tree.setCurrentItem(child.child(inner))


def dashboard_lines(tree: QTreeWidget, section_key: str) -> list[dict]:
    """The lines under one section, as {kind, id, title, count, actions: [...]}, read from the tree
    (tests read what the person sees, not the query). An agency's actions are there once its
    group has been opened; "and N more" lines are left out."""
    for top in range(tree.topLevelItemCount()):
        section = tree.topLevelItem(top)
        if section.data(COL_WHAT, KindRole) != f"section:{section_key}":
            continue
        lines = []
        for number in range(section.childCount()):
            item = section.child(number)
            if item.data(COL_WHAT, IdRole) is None or str(item.data(COL_WHAT, KindRole)).startswith("tab:"):
                continue
            lines.append({
                "kind": item.data(COL_WHAT, KindRole), "id": item.data(COL_WHAT, IdRole),
                "title": item.text(COL_WHAT), "rag": item.text(COL_RAG), "why": item.text(COL_WHY),
                "item": item, "count": item.data(COL_WHAT, CountRole),
                "actions": [{"id": item.child(i).data(COL_WHAT, IdRole), "item": item.child(i)}
                            for i in range(item.childCount())
                            if item.child(i).data(COL_WHAT, KindRole) == "action"]})
        return lines
    return []
