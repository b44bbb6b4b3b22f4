"""The events and meetings tab: practitioner learning events, de-briefs, training and workshops with
their attendance and feedback; and the sub group meetings with the briefing paper kept for each."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain import values
from scrdesk.domain.dates import format_stored, plural
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import events as rules
from scrdesk.store import events as event_store
from scrdesk.store.events import attach_paper, event_rows, meeting_rows, paper_kind
from scrdesk.store.reviews import review_choices
from scrdesk.ui.attachments import ask_open_files, open_attachment
from scrdesk.ui.base import (
    Column,
    FilterBox,
    RowsModel,
    Tab,
    confirm,
    make_button,
    record_table,
    show_error,
)
from scrdesk.ui.forms import ChoiceField, DateField, NoteField, NumberField, RecordDialog, TextField
from scrdesk.ui.rule_fields import as_invalid, rule_errors

# The store's reads and writes, as this module's names for them (tests and other tabs use them).
__all__ = ["EventDialog", "EventsTab", "MeetingDialog", "attach_paper", "event_rows", "meeting_rows",
           "paper_kind"]


def _first_line(text: str | None, limit: int = 80) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "\u2026"


# -- dialogs ---------------------------------------------------------------------------------

class EventDialog(RecordDialog):
    """Add or edit a learning event, de-brief, training session or workshop."""

    def __init__(self, store, event_id: int | None = None, parent: QWidget | None = None, *,
                 read_only: bool = False):
        super().__init__("Edit event" if event_id else "New event", parent, read_only=read_only)
        self.store = store
        self.event_id = event_id
        event = event_store.get_event(store, event_id) if event_id else {}
        if event_id and event is None:
            raise ScrdeskError(event_store.EVENT_GONE)
        reviews = {str(r["id"]): r["title"] for r in review_choices(store)}
        form = self.form
        self.kind = form.add(ChoiceField("Kind", values.EVENT_KINDS, blank=None, required=True))
        self.title_field = form.add(TextField("Title", max_length=rules.EVENT_LIMITS["title"],
                                              placeholder="e.g. Neglect learning event for health visitors"))
        self.date = form.add(DateField("Date", required=True))
        self.review = form.add(ChoiceField("Review", reviews, blank="— not linked to a review —"))
        self.attendance = form.add(NumberField("Attendance", maximum=100000))
        self.facilitator = form.add(TextField("Facilitator", max_length=rules.EVENT_LIMITS["facilitator"]))
        self.feedback = form.add(NoteField("Feedback quotes", lines=6, max_length=rules.EVENT_LIMITS["feedback"]))
        self.feedback.editor.setPlaceholderText("What people said, one quote per line")
        self.by_column = {"kind": self.kind, "title": self.title_field, "date": self.date,
                          "review_id": self.review, "attendance": self.attendance,
                          "facilitator": self.facilitator, "feedback": self.feedback}

        self.kind.set_value(event.get("kind") or "practitioner_learning_event")
        self.title_field.set_value(event.get("title"))
        self.date.set_value(event.get("date"))
        self.review.set_value(str(event["review_id"]) if event.get("review_id") else None)
        self.attendance.set_value(event.get("attendance"))
        self.facilitator.set_value(event.get("facilitator"))
        self.feedback.set_value(event.get("feedback"))
        self.finish_setup()

    def record(self) -> dict:
        return {
            "kind": self.kind.value(),
            "title": self.title_field.value(),
            "date": self.date.iso(),
            "review_id": int(self.review.value()) if self.review.value() else None,
            "attendance": self.attendance.value(),
            "facilitator": self.facilitator.value(),
            "feedback": self.feedback.value(),
        }

    def cross_check(self) -> dict:
        return rule_errors(rules.event_problems(self.record()), self.by_column)

    def save(self) -> None:
        try:
            self.event_id = event_store.save_event(self.store, self.event_id, self.record())
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("learning_events", self.event_id)


class MeetingDialog(RecordDialog):
    """Add or edit a meeting of the sub group (or the QA sub group, or the board)."""

    def __init__(self, store, meeting_id: int | None = None, parent: QWidget | None = None, *,
                 read_only: bool = False):
        super().__init__("Edit meeting" if meeting_id else "New meeting", parent, read_only=read_only)
        self.store = store
        self.meeting_id = meeting_id
        meeting = event_store.get_meeting(store, meeting_id) if meeting_id else {}
        if meeting_id and meeting is None:
            raise ScrdeskError(event_store.MEETING_GONE)
        form = self.form
        self.date = form.add(DateField("Date", required=True))
        self.kind = form.add(ChoiceField("Meeting", values.MEETING_KINDS, blank=None, required=True))
        self.notes = form.add(NoteField("Notes", lines=6, max_length=rules.MEETING_LIMITS["notes"]))
        self.by_column = {"date": self.date, "kind": self.kind, "notes": self.notes}
        self.date.set_value(meeting.get("date"))
        self.kind.set_value(meeting.get("kind") or "scr_subgroup")
        self.notes.set_value(meeting.get("notes"))
        self.resize(520, 380)
        self.finish_setup()

    def record(self) -> dict:
        return {"date": self.date.iso(), "kind": self.kind.value(), "notes": self.notes.value()}

    def cross_check(self) -> dict:
        return rule_errors(rules.meeting_problems(self.record()), self.by_column)

    def save(self) -> None:
        try:
            self.meeting_id = event_store.save_meeting(self.store, self.meeting_id, self.record())
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("meetings", self.meeting_id)


# -- the tab ---------------------------------------------------------------------------------

EVENT_COLUMNS = (
    Column("date", "Date", display=lambda r: format_stored(r.get("date"))),
    Column("kind", "Kind", display=lambda r: r.get("kind_label") or ""),
    Column("title", "Title", tooltip=lambda r: r.get("title")),
    Column("review_title", "Review"),
    Column("attendance", "Attendance", align_right=True),
    Column("facilitator", "Facilitator"),
    Column("feedback", "Feedback", display=lambda r: _first_line(r.get("feedback")),
           tooltip=lambda r: r.get("feedback")),
)

MEETING_COLUMNS = (
    Column("date", "Date", display=lambda r: format_stored(r.get("date"))),
    Column("kind", "Meeting", display=lambda r: r.get("kind_label") or ""),
    Column("notes", "Notes", display=lambda r: _first_line(r.get("notes"), 120), tooltip=lambda r: r.get("notes")),
    Column("paper_name", "Paper", display=lambda r: r.get("paper_name") or "—"),
)


def _table(model: RowsModel, name: str, stretch: int) -> QTableView:
    view = record_table(name, model)
    view.setSortingEnabled(True)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # newest first
    return view


def _set_rows(view: QTableView, model: RowsModel, rows: list[dict]) -> None:
    """New rows, kept in whatever order the person chose by clicking a heading."""
    model.set_rows(rows)
    header = view.horizontalHeader()
    model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())


class EventsTab(Tab):
    """Learning events and meetings."""

    title = "Events and meetings"

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(store, parent)
        self._read_only = False

        # Learning events.
        self.events = RowsModel(EVENT_COLUMNS, self)
        self.events_view = _table(self.events, "Learning events", self.events.column_index("title"))
        for key, width in (("kind", 190), ("review_title", 220), ("attendance", 90), ("facilitator", 150),
                           ("feedback", 220)):
            self.events_view.setColumnWidth(self.events.column_index(key), width)
        self.filter_box = FilterBox("Find events…")
        self.filter_box.setToolTip("Searches title, facilitator, feedback and review (Ctrl+F)")
        self.new_event_button = make_button("&New event…", "Add a learning event, de-brief or training (Ctrl+N)", name="New event")
        self.edit_event_button = make_button("&Edit event…", "Enter or F2", name="Edit the selected event")
        self.delete_event_button = make_button("Delete event", "Delete", name="Delete the selected event")
        self.feedback_label = QLabel()
        self.feedback_label.setWordWrap(True)
        self.feedback_label.setTextFormat(Qt.TextFormat.PlainText)
        self.feedback_label.setAccessibleName("Feedback of the selected event")
        self.feedback_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.events_count = QLabel()
        events_bar = QHBoxLayout()
        events_bar.addWidget(self.filter_box, 1)
        events_bar.addWidget(self.new_event_button)
        events_bar.addWidget(self.edit_event_button)
        events_bar.addWidget(self.delete_event_button)
        events_box = QGroupBox("Learning events, de-briefs and training")
        events_layout = QVBoxLayout(events_box)
        events_layout.addLayout(events_bar)
        events_layout.addWidget(self.events_view, 1)
        events_layout.addWidget(self.events_count)
        events_layout.addWidget(self.feedback_label)

        # Meetings.
        self.meetings = RowsModel(MEETING_COLUMNS, self)
        self.meetings_view = _table(self.meetings, "Meetings", self.meetings.column_index("notes"))
        self.meetings_view.setColumnWidth(self.meetings.column_index("kind"), 190)
        self.new_meeting_button = make_button("New &meeting…", name="New meeting")
        self.edit_meeting_button = make_button("Edit meeting…", "Enter or F2", name="Edit the selected meeting")
        self.delete_meeting_button = make_button("Delete meeting", "Delete", name="Delete the selected meeting")
        self.produce_paper_button = make_button("&Produce paper…", "The briefing paper as at the meeting date: live reviews, new "
                                            "referrals, overdue actions", name="Produce the briefing paper for the selected meeting")
        self.attach_paper_button = make_button("&Keep paper PDF…", "Store the paper sent out for this meeting in the data file", name="Keep a paper PDF with the selected meeting")
        self.open_paper_button = make_button("&Open paper", name="Open the paper kept with the selected meeting")
        meetings_bar = QHBoxLayout()
        for button in (self.new_meeting_button, self.edit_meeting_button, self.delete_meeting_button):
            meetings_bar.addWidget(button)
        meetings_bar.addStretch(1)
        for button in (self.produce_paper_button, self.attach_paper_button, self.open_paper_button):
            meetings_bar.addWidget(button)
        meetings_box = QGroupBox("Meetings")
        meetings_layout = QVBoxLayout(meetings_box)
        meetings_layout.addLayout(meetings_bar)
        meetings_layout.addWidget(self.meetings_view, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(events_box)
        splitter.addWidget(meetings_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.filter_box.filter_settled.connect(self._on_filter_box_filter_settled)
        self.filter_box.returnPressed.connect(self.filter_box.settle_now)
        self.new_event_button.clicked.connect(self.new_event)
        self.edit_event_button.clicked.connect(self.edit_event)
        self.delete_event_button.clicked.connect(self.delete_event)
        self.new_meeting_button.clicked.connect(self.new_meeting)
        self.edit_meeting_button.clicked.connect(self.edit_meeting)
        self.delete_meeting_button.clicked.connect(self.delete_meeting)
        self.produce_paper_button.clicked.connect(self.produce_paper)
        self.attach_paper_button.clicked.connect(self.attach_paper)
        self.open_paper_button.clicked.connect(self.open_paper)
        self.events_view.doubleClicked.connect(self.edit_event)
        self.meetings_view.doubleClicked.connect(self.edit_meeting)
        self.events_view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.meetings_view.selectionModel().selectionChanged.connect(self._on_selection_changed)

        # Ctrl+N, F2, Ctrl+F and Ctrl+P are the main window's; it calls new_record(),
        # edit_selected(), focus_filter() and print_document() on this tab.
        for view, edit, delete in ((self.events_view, self.edit_event, self.delete_event),
                                   (self.meetings_view, self.edit_meeting, self.delete_meeting)):
            for key, slot in ((Qt.Key.Key_Return, edit), (Qt.Key.Key_Enter, edit), (Qt.Key.Key_Delete, delete)):
                shortcut = QShortcut(QKeySequence(key), view)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(slot)

        order = [self.filter_box, self.new_event_button, self.edit_event_button, self.delete_event_button,
                 self.events_view, self.new_meeting_button, self.edit_meeting_button, self.delete_meeting_button,
                 self.produce_paper_button, self.attach_paper_button, self.open_paper_button, self.meetings_view]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)
        self.refresh()

    # -- state --------------------------------------------------------------------------------

    def refresh(self) -> None:
        event = self.selected_event()
        meeting = self.selected_meeting()
        self._load_events(event["id"] if event else None)
        self._load_meetings(meeting["id"] if meeting else None)

    def _load_events(self, select_id: int | None = None) -> None:
        rows = event_rows(self.store, self.filter_box.text())
        _set_rows(self.events_view, self.events, rows)
        attended = sum(r["attendance"] or 0 for r in rows)
        self.events_count.setText(f"{plural(len(rows), 'event')}, {attended} attendances")
        _reselect(self.events_view, self.events, select_id)
        self._on_selection_changed()

    def _load_meetings(self, select_id: int | None = None) -> None:
        _set_rows(self.meetings_view, self.meetings, meeting_rows(self.store))
        _reselect(self.meetings_view, self.meetings, select_id)
        self._on_selection_changed()

    def selected_event(self) -> dict | None:
        return _selected(self.events_view, self.events)

    def selected_meeting(self) -> dict | None:
        return _selected(self.meetings_view, self.meetings)

    def _on_selection_changed(self, *_args) -> None:
        event = self.selected_event()
        meeting = self.selected_meeting()
        writable = not self._read_only
        self.new_event_button.setEnabled(writable)
        self.new_meeting_button.setEnabled(writable)
        self.edit_event_button.setEnabled(event is not None)
        self.edit_event_button.setText("&Edit event…" if writable else "&View event…")
        self.delete_event_button.setEnabled(event is not None and writable)
        self.edit_meeting_button.setEnabled(meeting is not None)
        self.edit_meeting_button.setText("Edit meeting…" if writable else "View meeting…")
        self.delete_meeting_button.setEnabled(meeting is not None and writable)
        self.produce_paper_button.setEnabled(meeting is not None)
        self.attach_paper_button.setEnabled(meeting is not None and writable)
        self.open_paper_button.setEnabled(bool(meeting and meeting.get("paper_attachment_id")))
        if event and event.get("feedback"):
            self.feedback_label.setText("Feedback: " + event["feedback"])
        else:
            self.feedback_label.setText("")

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._on_selection_changed()

    def show_record(self, kind: str, row_id: int) -> bool:
        if kind in ("learning_event", "event"):
            if _reselect(self.events_view, self.events, row_id):
                return True
            self.filter_box.clear()
            self._load_events(row_id)
            return self.selected_event() is not None
        if kind == "meeting":
            self._load_meetings(row_id)
            return self.selected_meeting() is not None
        return False

    # -- slots --------------------------------------------------------------------------------

    def _on_filter_box_filter_settled(self, _text: str) -> None:
        self._load_events()

    def focus_filter(self) -> None:
        self.filter_box.setFocus()
        self.filter_box.selectAll()

    def _meetings_focused(self) -> bool:
        focus = self.focusWidget()
        return focus is not None and (focus is self.meetings_view or self.meetings_view.isAncestorOf(focus))

    def new_record(self) -> None:
        if self._meetings_focused():
            self.new_meeting()
        else:
            self.new_event()

    def edit_selected(self) -> None:
        if self._meetings_focused():
            self.edit_meeting()
        else:
            self.edit_event()

    def current_record(self) -> tuple[str, int] | None:
        if self._meetings_focused() and self.selected_meeting():
            return "meetings", self.selected_meeting()["id"]
        event = self.selected_event()
        return ("learning_events", event["id"]) if event else None

    def print_document(self) -> None:
        """Ctrl+P: the briefing paper for the selected meeting (or as at today with none chosen)."""
        if self.selected_meeting() is not None:
            self.produce_paper()
            return
        from scrdesk.ui.documents import show_document

        show_document(self, self.store, "paper")

    def _run(self, dialog, table: str) -> None:
        dialog.saved.connect(lambda _t, row_id: self._after_save(table, row_id))
        dialog.exec()

    def _after_save(self, table: str, row_id: int) -> None:
        if table == "learning_events":
            self._load_events(row_id)
        else:
            self._load_meetings(row_id)
        self.records_changed.emit(table)

    def new_event(self) -> None:
        if not self._read_only:
            self._run(EventDialog(self.store, None, self), "learning_events")

    def edit_event(self, *_args) -> None:
        event = self.selected_event()
        if event is None:
            return
        try:
            dialog = EventDialog(self.store, event["id"], self, read_only=self._read_only)
        except ScrdeskError as error:
            show_error(self, error, "Edit event")
            self.refresh()
            return
        self._run(dialog, "learning_events")

    def delete_event(self) -> None:
        event = self.selected_event()
        if event is None or self._read_only:
            return
        what = f"{event['kind_label']} on {format_stored(event['date'])}" + (f" ({event['title']})" if event["title"] else "")
        if not confirm(self, "Delete event", f"Delete the {what}?"):
            return
        try:
            event_store.delete_event(self.store, event["id"])
        except ScrdeskError as error:
            show_error(self, error, "Delete event")
            return
        self._load_events()
        self.records_changed.emit("learning_events")

    def new_meeting(self) -> None:
        if not self._read_only:
            self._run(MeetingDialog(self.store, None, self), "meetings")

    def edit_meeting(self, *_args) -> None:
        meeting = self.selected_meeting()
        if meeting is None:
            return
        try:
            dialog = MeetingDialog(self.store, meeting["id"], self, read_only=self._read_only)
        except ScrdeskError as error:
            show_error(self, error, "Edit meeting")
            self.refresh()
            return
        self._run(dialog, "meetings")

    def delete_meeting(self) -> None:
        meeting = self.selected_meeting()
        if meeting is None or self._read_only:
            return
        extra = " and the paper kept with it" if meeting.get("paper_attachment_id") else ""
        if not confirm(self, "Delete meeting",
                       f"Delete the {meeting['kind_label']} meeting of {format_stored(meeting['date'])}{extra}?"):
            return
        try:
            event_store.delete_meeting(self.store, meeting["id"])
        except ScrdeskError as error:
            show_error(self, error, "Delete meeting")
            return
        self._load_meetings()
        self.records_changed.emit("meetings")

    def produce_paper(self) -> None:
        meeting = self.selected_meeting()
        if meeting is None:
            return
        # The PDF machinery loads only when asked for.
        from scrdesk.ui.documents import show_document

        show_document(self, self.store, "paper", on=date.fromisoformat(meeting["date"]),
                      paper_kind=paper_kind(meeting["kind"]))

    def attach_paper(self) -> None:
        meeting = self.selected_meeting()
        if meeting is None or self._read_only:
            return
        paths = ask_open_files(self, "Keep the meeting paper", "PDF files (*.pdf);;All files (*)")
        if not paths:
            return
        try:
            attach_paper(self.store, meeting["id"], paths[0])
        except ScrdeskError as error:
            show_error(self, error, "Keep paper")
            return
        self._load_meetings(meeting["id"])
        self.records_changed.emit("meetings")
        self.status_message.emit("Paper kept with the meeting.")

    def open_paper(self) -> None:
        meeting = self.selected_meeting()
        if meeting is None or not meeting.get("paper_attachment_id"):
            return
        try:
            open_attachment(self.store, meeting["paper_attachment_id"])
        except ScrdeskError as error:
            show_error(self, error, "Open paper")


def _selected(view: QTableView, model: RowsModel) -> dict | None:
    rows = view.selectionModel().selectedRows()
    return model.row_at(rows[0].row()) if rows else None


def _reselect(view: QTableView, model: RowsModel, row_id: int | None) -> bool:
    if row_id is None:
        return False
    for number, row in enumerate(model.rows()):
        if row["id"] == row_id:
            view.selectRow(number)
            view.scrollTo(model.index(number, 0))
            return True
    return False
