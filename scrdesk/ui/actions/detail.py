"""The selected action under the plan: what it is and its RAG reason, its update log and its
evidence files, with the buttons to add an update, mark it complete or edit it."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.dates import format_stored
from scrdesk.domain.rules.actions import EVIDENCED_STATUSES
from scrdesk.store.actions import actions_by_id, update_rows
from scrdesk.ui.actions.dialogs import short
from scrdesk.ui.attachments import AttachmentList
from scrdesk.ui.base import RAG_BRUSHES, Column, RowsModel
from scrdesk.ui.governance.dialogs import ActionEscalationDialog

UPDATE_COLUMNS = (
    Column("date", "Date", display=lambda r: format_stored(r.get("date"))),
    Column("author", "Author"),
    Column("note", "Update", tooltip=lambda r: r.get("note")),
    Column("change", "Status change"),
)


class ActionDetail(QWidget):
    """The selected action: what it is, its RAG reason, its update log and its evidence."""

    update_requested = Signal()
    complete_requested = Signal()
    edit_requested = Signal()
    evidence_changed = Signal()
    escalated = Signal()

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.action: dict | None = None

        self.summary = QLabel("Choose an action above to see its updates and evidence.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("Selected action")
        self.update_button = QPushButton("Add &update…")
        self.update_button.setAccessibleName("Add an update to the selected action")
        self.complete_button = QPushButton("&Mark complete…")
        self.complete_button.setAccessibleName("Mark the selected action complete")
        self.edit_button = QPushButton("&Edit action…")
        self.edit_button.setAccessibleName("Edit the selected action")
        self.update_button.clicked.connect(self.update_requested)
        self.complete_button.clicked.connect(self.complete_requested)
        self.edit_button.clicked.connect(self.edit_requested)
        # Escalated in one step: the sub group's escalation log and the action's own
        # "escalated on / to" (issue 13).
        self.escalate_button = QPushButton("Escalate…")
        self.escalate_button.setAccessibleName("Escalate the selected action")
        self.escalate_button.clicked.connect(self.escalate_selected)

        summary_box = QGroupBox("Action")
        summary_layout = QVBoxLayout(summary_box)
        # Scrolled, not cut: on a 1366×768 laptop a long action, its recommendation and its RAG
        # reason ran under the buttons.
        summary_scroll = QScrollArea()
        summary_scroll.setWidgetResizable(True)
        summary_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        summary_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        summary_scroll.setWidget(self.summary)
        summary_layout.addWidget(summary_scroll, 1)
        buttons = QGridLayout()
        buttons.addWidget(self.update_button, 0, 0)
        buttons.addWidget(self.complete_button, 0, 1)
        buttons.addWidget(self.edit_button, 1, 0)
        buttons.addWidget(self.escalate_button, 1, 1)
        buttons.setColumnStretch(2, 1)
        summary_layout.addLayout(buttons)

        self.updates = RowsModel(UPDATE_COLUMNS, self)
        self.updates_view = QTableView()
        self.updates_view.setModel(self.updates)
        self.updates_view.setAccessibleName("Update log")
        self.updates_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.updates_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.updates_view.verticalHeader().hide()
        self.updates_view.setWordWrap(True)
        self.updates_view.setMinimumWidth(160)
        header = self.updates_view.horizontalHeader()
        header.setSectionResizeMode(self.updates.column_index("note"), QHeaderView.ResizeMode.Stretch)
        updates_box = QGroupBox("Update log")
        QVBoxLayout(updates_box).addWidget(self.updates_view)

        self.evidence = AttachmentList(store, "action", compact=True)
        self.evidence.attachments_changed.connect(self.evidence_changed)
        evidence_box = QGroupBox("Evidence")
        QVBoxLayout(evidence_box).addWidget(self.evidence)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(summary_box, 3)
        layout.addWidget(updates_box, 4)
        layout.addWidget(evidence_box, 3)
        self._read_only = False
        self.show_action(None)

    def show_action(self, row: dict | None) -> None:
        self.action = row
        enabled = row is not None
        for button in (self.update_button, self.complete_button, self.edit_button, self.escalate_button):
            button.setEnabled(enabled and not (self._read_only and button is not self.edit_button))
        self.edit_button.setText("&View action…" if self._read_only else "&Edit action…")
        if row is None:
            self.summary.setText("Choose an action above to see its updates and evidence.")
            self.updates.set_rows([])
            self.evidence.set_owner(None)
            return
        self.complete_button.setEnabled(enabled and not self._read_only and row["status"] not in EVIDENCED_STATUSES)
        self.summary.setText(_summary_html(row))
        self.updates.set_rows(update_rows(self.store, row["id"]))
        self.updates_view.resizeRowsToContents()
        self.evidence.set_owner(row["id"])

    def escalate_selected(self) -> None:
        if self.action is None or self._read_only:
            return
        dialog = ActionEscalationDialog(self.store, self.action["id"], self)
        if dialog.exec():
            fresh = actions_by_id(self.store, self.store.settings().today(), [self.action["id"]])
            self.show_action(fresh[0] if fresh else None)
            self.escalated.emit()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.evidence.set_read_only(read_only)
        self.show_action(self.action)


def _summary_html(row: dict) -> str:
    e = html.escape
    rec = row.get("recommendation_text")
    lines = [f"<b>{e(row.get('text') or '')}</b>",
             f"Review: {e(row.get('review_title') or '')}"]
    if rec:
        number = f"{row['recommendation_number']}. " if row.get("recommendation_number") else ""
        lines.append(f"Recommendation {e(number)}{e(short(rec, 200))}")
    lines.append(f"Agency: {e(row.get('agency_name') or 'not set')}"
                 + (f" — lead officer {e(row['lead_officer'])}" if row.get("lead_officer") else ""))
    target = format_stored(row.get("target_date")) or "not set"
    if row.get("revised_target_date"):
        target = f"{format_stored(row['revised_target_date'])} (revised from {target}: {e(row.get('revised_reason') or '')})"
    lines.append(f"Target: {target}")
    lines.append(f"Status: {e(row.get('status_label') or '')}")
    colour = RAG_BRUSHES.get(row["rag"].colour).color().name()
    lines.append(f"<span style='background-color:{colour}'>&nbsp;{e(str(row['rag']))}&nbsp;</span>")
    if row.get("escalated_date"):
        lines.append(f"Escalated {format_stored(row['escalated_date'])} to {e(row.get('escalated_to') or '')}")
    if row.get("evidence_note"):
        lines.append(f"Evidence: {e(row['evidence_note'])}")
    if row.get("completion_reason"):
        lines.append(f"Closed without evidence because: {e(row['completion_reason'])}")
    return "<br>".join(lines)
