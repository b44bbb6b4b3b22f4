"""The Sub group tab: the sub group's own business, one page each — membership and the chair's
history, terms of reference, meetings with attendance and decisions, health checks with their
answers and actions arising, escalations, and reviewers with commissions, costs and budgets.

Each list is a `ListPanel` over a store read, with New / Edit / Delete through the dialogs in
`dialogs.py`; nothing here reads or writes the file except through `store/governance.py` and
`store/reviewers.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain import values
from scrdesk.domain.dates import (
    format_date,
    format_stored,
    plural,
    reporting_period,
    reporting_year,
    reporting_year_label,
)
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.rules import governance as rules
from scrdesk.store import governance, reviewers
from scrdesk.ui.attachments import open_attachment
from scrdesk.ui.base import Column, RowsModel, Tab, confirm, make_button, record_table, show_error
from scrdesk.ui.governance import dialogs


def _money(value) -> str:
    return "" if value is None else f"\u00a3{float(value):,.2f}"


def _short(text: str | None, limit: int = 90) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "\u2026"


def _date(key: str, header: str) -> Column:
    return Column(key, header, display=lambda r: format_stored(r.get(key)))


def _rag(key: str, header: str = "RAG") -> Column:
    return Column(key, header, display=lambda r: rules.RAG.get(r.get(key) or "", "\u2014"),
                  colour=lambda r: r.get(key))


class ListPanel(QWidget):
    """A titled list with its buttons: New… and Edit… open `dialog(store, row_id, parent)`,
    Delete calls `delete(store, row_id)` after asking. `extra` adds buttons that act on the
    selected row."""

    selection_changed = Signal()
    rows_changed = Signal(str)

    def __init__(self, store, title: str, columns: Sequence[Column], load: Callable[[], list[dict]], *,
                 dialog: Callable | None = None, delete: Callable | None = None, what: str = "record",
                 stretch: int = -1, new_label: str = "New\u2026"):
        super().__init__()
        self.store = store
        self._load = load
        self._dialog = dialog
        self._delete = delete
        self._what = what
        self.read_only = False
        self.model = RowsModel(columns, self)
        self.view: QTableView = record_table(title, self.model)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch if stretch >= 0 else len(columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.view.doubleClicked.connect(self.edit)
        self.heading = QLabel(f"<b>{title}</b>")
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.heading, 1)
        self.row_buttons: list[QPushButton] = []
        self.write_buttons: list[QPushButton] = []
        if dialog is not None:
            self.new_button = self.add_button(new_label, self.new, f"Add a {what}", needs_row=False, writes=True)
            self.add_button("Edit\u2026", self.edit, f"Change the selected {what}", writes=False)
        if delete is not None:
            self.add_button("Delete", self.remove, f"Delete the selected {what}", writes=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.buttons)
        layout.addWidget(self.view, 1)

    def add_button(self, text: str, slot: Callable, tip: str, *, needs_row: bool = True,
                   writes: bool = True) -> QPushButton:
        button = make_button(text, tip, name=f"{text.rstrip('…')} {self._what}")
        button.clicked.connect(lambda _=False: slot())
        self.buttons.addWidget(button)
        if needs_row:
            self.row_buttons.append(button)
        if writes:
            self.write_buttons.append(button)
        self._update_buttons()
        return button

    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else (self.selected() or {}).get("id")
        self.model.set_rows(self._load())
        for number, row in enumerate(self.model.rows()):
            if row.get("id") == keep:
                self.view.selectRow(number)
                break
        self._update_buttons()

    def selected(self) -> dict | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_row = self.selected() is not None
        for button in {*self.row_buttons, *self.write_buttons}:
            button.setEnabled((has_row or button not in self.row_buttons)
                              and not (self.read_only and button in self.write_buttons))

    def _on_view_selection_changed(self, *_args) -> None:
        self._update_buttons()
        self.selection_changed.emit()

    def run(self, dialog) -> None:
        dialog.saved.connect(self._on_dialog_saved)
        dialog.exec()

    def _on_dialog_saved(self, table: str, row_id: int) -> None:
        self.reload(row_id if table == self._table_of_dialog() else None)
        self.rows_changed.emit(table)

    def _table_of_dialog(self) -> str:
        return getattr(self._dialog, "table", "")

    def new(self) -> None:
        if self.read_only or self._dialog is None:
            return
        try:
            self.run(self._dialog(self.store, None, self))
        except ScrdeskError as error:
            show_error(self, error)

    def edit(self, *_args) -> None:
        row = self.selected()
        if row is None or self._dialog is None:
            return
        try:
            self.run(self._dialog(self.store, row["id"], self, read_only=self.read_only))
        except ScrdeskError as error:
            show_error(self, error)
            self.reload()

    def remove(self) -> None:
        row = self.selected()
        if row is None or self.read_only or self._delete is None:
            return
        if not confirm(self, f"Delete {self._what}", f"Delete the selected {self._what}? This cannot be undone."):
            return
        try:
            self._delete(self.store, row["id"])
        except ScrdeskError as error:
            show_error(self, error)
        self.reload()
        self.rows_changed.emit(self._what)


def _split(*widgets: QWidget, orientation=Qt.Orientation.Vertical, stretch: Sequence[int] = ()) -> QSplitter:
    """Widgets one above the other (or side by side), sharing the room by `stretch`."""
    splitter = QSplitter(orientation)
    splitter.setChildrenCollapsible(False)
    for n, widget in enumerate(widgets):
        splitter.addWidget(widget)
        splitter.setStretchFactor(n, stretch[n] if n < len(stretch) else 1)
    if stretch:
        # The first share too (the stretch factors only share what is gained on resizing).
        splitter.setSizes([share * 1000 for share in stretch])
    return splitter


class SubGroupTab(Tab):
    """The sub group's own business, a page per part of it."""

    title = "Sub group"

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(store, parent)
        self.pages = QTabWidget()
        self.pages.setAccessibleName("Sub group pages")
        self.panels: list[ListPanel] = []
        self.pages.addTab(self._membership_page(), "&Membership and chairs")
        self.pages.addTab(self._tor_page(), "&Terms of reference")
        self.pages.addTab(self._meetings_page(), "Meetings and &attendance")
        self.pages.addTab(self._health_page(), "&Health checks")
        self.pages.addTab(self._escalations_page(), "&Escalations")
        self.pages.addTab(self._costs_page(), "Reviewers and &costs")
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        for panel in self.panels:
            panel.rows_changed.connect(self._on_panel_rows_changed)
        self.refresh()

    def _panel(self, *args, **kwargs) -> ListPanel:
        panel = ListPanel(self.store, *args, **kwargs)
        self.panels.append(panel)
        return panel

    # -- pages ---------------------------------------------------------------------------------

    def _membership_page(self) -> QWidget:
        self.members = self._panel("Members by agency", (
            Column("agency_name", "Agency"), Column("name", "Member"), Column("role", "Role"),
            Column("deputy_name", "Deputy"), _date("from_date", "From"), _date("to_date", "To"),
            Column("notes", "Notes", display=lambda r: _short(r.get("notes")), tooltip=lambda r: r.get("notes")),
        ), lambda: governance.members(self.store), dialog=dialogs.MemberDialog, delete=governance.delete_member,
            what="member")
        self.chairs = self._panel("The chair's history", (
            Column("name", "Chair"), Column("role", "Role"), Column("agency_name", "Agency"),
            Column("interim", "Interim", display=lambda r: "Interim" if r.get("interim") else ""),
            _date("from_date", "From"), _date("to_date", "To"),
            Column("notes", "Notes", display=lambda r: _short(r.get("notes")), tooltip=lambda r: r.get("notes")),
        ), lambda: governance.chairs(self.store), dialog=dialogs.ChairDialog, delete=governance.delete_chair,
            what="chair")
        return _split(self.members, self.chairs)

    def _tor_page(self) -> QWidget:
        self.tor = self._panel("Terms of reference versions", (
            Column("version", "Version"), _date("approved_date", "Approved on"),
            _date("next_review_date", "Next review due"),
            Column("documents", "Documents", display=lambda r: plural(r.get("documents") or 0, "file")),
            Column("notes", "Notes", display=lambda r: _short(r.get("notes")), tooltip=lambda r: r.get("notes")),
        ), lambda: governance.terms_of_reference(self.store), dialog=dialogs.TermsOfReferenceDialog,
            delete=governance.delete_terms_of_reference, what="terms of reference version")
        self.tor.add_button("Open document", self.open_tor_document, "Open the document kept with this version",
                            writes=False)
        self.tor_due = QLabel()
        self.tor_due.setAccessibleName("Terms of reference review")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.tor_due)
        layout.addWidget(self.tor, 1)
        return page

    def _meetings_page(self) -> QWidget:
        self.meetings = self._panel("Meetings (add meetings on the Events and meetings tab)", (
            _date("date", "Date"), Column("kind_label", "Meeting"),
            Column("present", "Present", align_right=True), Column("deputy", "Deputy sent", align_right=True),
            Column("apologies", "Apologies", align_right=True), Column("absent", "Absent", align_right=True),
            Column("quorate", "Quorate", display=lambda r: ("Yes" if r["quorate"] else "No") if r["recorded"]
                   else "Not taken", colour=lambda r: (None if r["quorate"] else "red") if r["recorded"] else None),
            Column("decisions", "Referrals decided", align_right=True),
        ), lambda: governance.meetings_with_attendance(self.store), stretch=1)
        self.meetings.add_button("Attendance\u2026", self.edit_attendance, "Record who attended the selected meeting")
        self.meetings.view.doubleClicked.connect(self.edit_attendance)
        self.meetings.selection_changed.connect(self._show_meeting)
        self.attendance = self._panel("Attendance at the selected meeting", (
            Column("agency_name", "Agency"), Column("status_label", "Attendance"), Column("attendee", "Who came"),
        ), lambda: governance.attendance(self.store, (self.meetings.selected() or {}).get("id") or 0))
        self.decisions = self._panel("Referrals decided at it", (
            Column("ref", "Ref"), Column("summary", "Summary"), Column("decision_label", "Decision"),
            _date("decision_date", "Decided on"),
        ), lambda: governance.meeting_decisions(self.store, (self.meetings.selected() or {}).get("id") or 0),
            stretch=1)
        return _split(self.meetings, _split(self.attendance, self.decisions, orientation=Qt.Orientation.Horizontal),
                      stretch=(3, 2))

    def _health_page(self) -> QWidget:
        self.checks = self._panel("Health checks (six-monthly)", (
            _date("date", "Date"), Column("red", "Red", align_right=True, colour=lambda r: "red" if r["red"] else None),
            Column("amber", "Amber", align_right=True), Column("green", "Green", align_right=True),
            Column("unanswered", "Not answered", align_right=True),
            Column("notes", "Notes", display=lambda r: _short(r.get("notes")), tooltip=lambda r: r.get("notes")),
        ), lambda: governance.health_checks(self.store), dialog=dialogs.NewHealthCheckDialog,
            delete=governance.delete_health_check, what="health check", new_label="New health check\u2026")
        self.checks.add_button("Answer\u2026", self.answer_check, "Rate each question Red, Amber or Green")
        self.checks.add_button("Action arising\u2026", self.add_check_action,
                               "Add an action to the sub group's own plan from this check")
        self.checks.selection_changed.connect(self._show_check)
        self.next_check = QLabel()
        self.next_check.setAccessibleName("Next health check")
        self.answers = self._panel("Answers", (
            Column("area", "Area"),
            Column("question", "Question", display=lambda r: f"{r['code']}: {_short(r.get('question'), 45)}",
                   tooltip=lambda r: r.get("question")),
            _rag("rag"), Column("comment", "Comment", display=lambda r: _short(r.get("comment"), 120),
                                tooltip=lambda r: r.get("comment")),
        ), lambda: governance.health_check_answers(self.store, (self.checks.selected() or {}).get("id") or 0))
        self.arising = self._panel("Actions arising (in the Action plan, source: health check)", (
            Column("text", "Action", display=lambda r: _short(r.get("text")), tooltip=lambda r: r.get("text")),
            Column("agency_name", "Agency"),
            _date("target_date", "Target"),
            Column("status", "Status", display=lambda r: values.label(values.ACTION_STATUSES, r.get("status"))),
        ), lambda: governance.health_check_actions(self.store, (self.checks.selected() or {}).get("id") or 0),
            stretch=0)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.next_check)
        below = _split(self.answers, self.arising, orientation=Qt.Orientation.Horizontal, stretch=(2, 1))
        layout.addWidget(_split(self.checks, below, stretch=(1, 3)), 1)
        return page

    def _escalations_page(self) -> QWidget:
        self.open_only = QCheckBox("Open only")
        self.open_only.setAccessibleName("Show open escalations only")
        self.escalations = self._panel("Escalations", (
            _date("raised_date", "Raised on"), Column("raised_by", "Raised by"), Column("to_whom_label", "To"),
            Column("subject", "Subject", tooltip=lambda r: r.get("subject")),
            Column("concerns", "Concerns", display=lambda r: _short(r.get("concerns"), 40),
                   tooltip=lambda r: r.get("concerns")),
            Column("outcome", "Outcome", display=lambda r: _short(r.get("outcome"), 40),
                   tooltip=lambda r: r.get("outcome")),
            _date("closed_date", "Closed on"),
        ), lambda: governance.escalations(self.store, open_only=self.open_only.isChecked()),
            dialog=dialogs.EscalationDialog, delete=governance.delete_escalation, what="escalation", stretch=3)
        self.escalations.buttons.insertWidget(1, self.open_only)
        self.open_only.toggled.connect(lambda _on: self.escalations.reload())
        return self.escalations

    def _costs_page(self) -> QWidget:
        # The name gives way (elided, in full in its dialog): at half a laptop's width the
        # methodologies took the squeeze and their heading was cut mid-word.
        self.reviewer_list = self._panel("Reviewer register", (
            Column("name", "Name"), Column("organisation", "Organisation"), Column("methodologies", "Methodologies"),
            Column("commissions", "Commissions", align_right=True),
            Column("active", "Available", display=lambda r: "Yes" if r.get("active") else "No"),
        ), lambda: reviewers.reviewers(self.store), dialog=dialogs.ReviewerDialog, delete=reviewers.delete_reviewer,
            what="reviewer", stretch=0)
        self.commissions = self._panel("Commissions", (
            Column("review_refs", "Review", display=lambda r: r.get("review_refs") or r.get("review_title")),
            Column("reviewer_name", "Reviewer"), Column("role_label", "Role"), _date("agreed_date", "Agreed on"),
            Column("agreed_days", "Days", align_right=True),
            Column("day_rate", "Day rate", display=lambda r: _money(r.get("day_rate")), align_right=True),
            Column("fee_due", "Fee", display=lambda r: _money(r.get("fee_due")), align_right=True),
        ), lambda: reviewers.commissions(self.store), dialog=dialogs.CommissionDialog,
            delete=reviewers.delete_commission, what="commission", stretch=1)
        self.costs = self._panel("Costs per review", (
            Column("review_refs", "Review", display=lambda r: r.get("review_refs") or r.get("review_title")),
            Column("kind_label", "Kind"), _date("date", "Date"),
            Column("amount", "Amount", display=lambda r: _money(r.get("amount")), align_right=True),
            Column("note", "Note", tooltip=lambda r: r.get("note")),
        ), lambda: reviewers.review_costs(self.store), dialog=dialogs.CostDialog, delete=reviewers.delete_cost,
            what="cost")
        self.budgets = self._panel("Budget per year", (
            Column("year", "Year", display=lambda r: f"{r['year']}-{(r['year'] + 1) % 100:02d}"),
            Column("amount", "Budget", display=lambda r: _money(r.get("amount")), align_right=True),
            Column("contributed", "Partners' contributions", display=lambda r: _money(r.get("contributed")),
                   align_right=True),
            Column("notes", "Notes", display=lambda r: _short(r.get("notes")), tooltip=lambda r: r.get("notes")),
        ), lambda: reviewers.budgets(self.store), dialog=dialogs.BudgetDialog, delete=reviewers.delete_budget,
            what="budget")
        self.budgets.add_button("Contribution\u2026", self.add_contribution, "Add a partner's contribution to this budget")
        self.spend = QLabel()
        self.spend.setAccessibleName("Spend against budget")
        top = _split(self.reviewer_list, self.commissions, orientation=Qt.Orientation.Horizontal)
        bottom = _split(self.costs, self.budgets, orientation=Qt.Orientation.Horizontal)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.spend)
        layout.addWidget(_split(top, bottom), 1)
        return page

    # -- behaviour -----------------------------------------------------------------------------

    def refresh(self) -> None:
        for panel in self.panels:
            panel.reload()
        self._show_meeting()
        self._show_check()
        today = self.store.settings().today()
        due = governance.terms_of_reference_due(self.store, today)
        if due is None:
            self.tor_due.setText("No review date is set for the terms of reference.")
        else:
            when = format_stored(due["next_review_date"])
            self.tor_due.setText(f"Version {due['version']} is due for review on {when}"
                                 + (" \u2014 <b>due now</b>." if due["due"] else "."))
        settings = self.store.settings()
        year = reporting_year(today, settings.year_start_month, settings.year_start_day)
        start, end = reporting_period(year, settings.year_start_month, settings.year_start_day)
        summary = reviewers.cost_summary(self.store, start, end)
        self.spend.setText(f"{reporting_year_label(year, settings.year_start_month, settings.year_start_day)}: "
                           f"spent {_money(summary['spent'])} of a budget of {_money(summary['budget'])}; "
                           f"fees agreed in the year {_money(summary['committed'])}.")
        nxt = governance.next_health_check_due(self.store)
        self.next_check.setText("No health check yet." if nxt is None else
                                f"Next health check due {format_date(nxt)}"
                                + (" \u2014 <b>overdue</b>." if nxt <= today else "."))

    def _show_meeting(self) -> None:
        self.attendance.reload()
        self.decisions.reload()

    def _show_check(self) -> None:
        self.answers.reload()
        self.arising.reload()

    def _on_panel_rows_changed(self, table: str) -> None:
        self.refresh()
        self.records_changed.emit(table)

    def set_read_only(self, read_only: bool) -> None:
        for panel in self.panels:
            panel.set_read_only(read_only)

    def edit_attendance(self, *_args) -> None:
        meeting = self.meetings.selected()
        if meeting is None:
            return
        self.meetings.run(dialogs.AttendanceDialog(self.store, meeting["id"], self,
                                                   read_only=self.meetings.read_only))

    def answer_check(self) -> None:
        check = self.checks.selected()
        if check is not None:
            self.checks.run(dialogs.HealthCheckDialog(self.store, check["id"], self, read_only=self.checks.read_only))

    def add_check_action(self) -> None:
        check = self.checks.selected()
        if check is not None and not self.checks.read_only:
            self.checks.run(dialogs.HealthCheckActionDialog(self.store, check["id"], self))

    def add_contribution(self) -> None:
        budget = self.budgets.selected()
        if budget is not None and not self.budgets.read_only:
            self.budgets.run(dialogs.ContributionDialog(self.store, None, self, budget_id=budget["id"]))

    def open_tor_document(self) -> None:
        version = self.tor.selected()
        documents = governance.tor_documents(self.store, version["id"]) if version else []
        if not documents:
            show_error(self, ScrdeskError("No document is kept with this version: Edit\u2026 it to add one."))
            return
        try:
            open_attachment(self.store, documents[-1]["id"])
        except ScrdeskError as error:
            show_error(self, error)

    def show_record(self, kind: str, row_id: int) -> bool:
        if kind == "escalation":
            self.pages.setCurrentWidget(self.escalations)
            self.escalations.reload(row_id)
            return True
        return False
