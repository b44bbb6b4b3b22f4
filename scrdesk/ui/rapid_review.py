"""The rapid review workspace: the day-by-day plan, each agency's return, the submission clock,
the national panel's response and the decision that follows (Working Together 2018/2023).

`RapidReviewPanel` is one review's workspace (shown as a page of the Reviews tab's detail);
`StartRapidReviewDialog` records the notification and opens the rapid review from a referral.
The statutory writes (start, submission, decision) go through `scrdesk.store.statutory`, so the
clocks here are the ones the dashboard and the meeting paper show; the dates of a step, a return
and the panel's response through `scrdesk.store.reviews`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.dates import format_date, format_stored, from_iso
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.profiles import Profile
from scrdesk.domain.rules import reviews as rules
from scrdesk.domain.timescales import working_days_between
from scrdesk.store import reviews as store_reviews
from scrdesk.store import statutory
from scrdesk.store.agencies import agency_choices
from scrdesk.store.queries import today_for
from scrdesk.ui.base import Column, RowRole, RowsModel, make_button, record_table, show_error
from scrdesk.ui.forms import ChoiceField, DateField, NoteField, RecordDialog, TextField

SUBMISSION_STEP = "submitted_to_panel"


def _table(name: str) -> QTableView:
    view = record_table(name.replace("_", " ").capitalize(), object_name=name)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _rag_column(key: str, header: str) -> Column:
    return Column(key, header, display=lambda r: r["rag"].reason, tooltip=lambda r: r["rag"].reason,
                  colour=lambda r: r["rag"].colour)


def decision_choices(store, review: dict) -> dict[str, str]:
    """The four decisions a rapid review can lead to, worded by the review's framework."""
    profile = _profile(store, review)
    return {code: profile.label(code) for code in statutory.DECISIONS_AFTER_RAPID_REVIEW}


def _profile(store, review: dict) -> Profile:
    return store_reviews.profile_for_record(store, review.get("framework"), review.get("agreed_date"))


# -- small dialogs -----------------------------------------------------------------------------

class DateDialog(RecordDialog):
    """One date to record (a step done, a return received, the submission); `write(date)` saves it
    and may raise InvalidValue naming the date field."""

    def __init__(self, title: str, label: str, initial: date, write: Callable[[date], None],
                 parent: QWidget | None = None, *, note: str = "", earliest: date | None = None,
                 earliest_what: str = ""):
        self._write = write
        self._earliest = earliest
        self._earliest_what = earliest_what
        super().__init__(title, parent)
        self.resize(480, 200)
        if note:
            explanation = QLabel(note)
            explanation.setWordWrap(True)
            self.form.add_widget("", explanation).setAccessibleName("About this date")
        self.when = self.form.add(DateField(label, required=True))
        self.when.set_value(initial)
        self.finish_setup()
        self.dirty = True  # the suggested date is a change the person has not saved yet

    def cross_check(self) -> dict:
        when = self.when.value()
        if when and self._earliest and when < self._earliest:
            return {self.when: f"is before {self._earliest_what} ({format_date(self._earliest)})"}
        return {}

    def save(self) -> None:
        self._write(self.when.value())


class PanelResponseDialog(RecordDialog):
    """The national panel's response to the rapid review: when, and whether it agreed."""

    def __init__(self, store, review_id: int, parent: QWidget | None = None):
        self.store = store
        self.review_id = review_id
        self.review = store_reviews.get_review(store, review_id)
        review = self.review
        super().__init__("The national panel's response", parent)
        self.resize(520, 240)
        self.response = self.form.add(DateField("Response received", required=True))
        self.agreed = self.form.add(ChoiceField(
            "Panel agreed", {"1": "Yes – agreed with the partnership's decision",
                             "0": "No – did not agree"}, required=True))
        self.response.set_value(review["panel_response_date"] or today_for(store))
        if review["panel_agreed"] is not None:
            self.agreed.set_value(str(int(review["panel_agreed"])))
        self.finish_setup()

    def cross_check(self) -> dict:
        found = rules.problems({**self.review, "panel_response_date": self.response.iso()})
        message = found.get("panel_response_date")
        return {self.response: message} if message and self.response.value() else {}

    def save(self) -> None:
        store_reviews.record_panel_response(self.store, self.review_id, self.response.value(),
                                            self.agreed.value() == "1")


class DecisionDialog(RecordDialog):
    """What the partnership decided after the rapid review; an LCSPR decision opens the LCSPR."""

    def __init__(self, store, review_id: int, parent: QWidget | None = None):
        self.store = store
        self.review_id = review_id
        self.lcspr_id: int | None = None
        review = store_reviews.get_review(store, review_id)
        self._started = from_iso(review["agreed_date"])
        super().__init__("Decision after the rapid review", parent)
        self.resize(620, 380)
        self.decision = self.form.add(ChoiceField("Decision", decision_choices(store, review),
                                                  required=True))
        self.decided = self.form.add(DateField("Decision date", required=True))
        self.maker = self.form.add(TextField("Decision maker", placeholder="e.g. Safeguarding partners"))
        self.rationale = self.form.add(NoteField("Rationale", lines=4))
        self.decided.set_value(today_for(store))
        note = QLabel("Choosing a Local Child Safeguarding Practice Review opens it on the Reviews tab, "
                      "with its completion target counted from the decision date.")
        note.setWordWrap(True)
        self.form.add_widget("", note).setAccessibleName("What deciding does")
        self.finish_setup()

    def cross_check(self) -> dict:
        when = self.decided.value()
        if when and self._started and when < self._started:
            return {self.decided: f"is before the notification ({format_date(self._started)})"}
        return {}

    def save(self) -> None:
        self.lcspr_id = statutory.decide_after_rapid_review(
            self.store, self.review_id, self.decision.value(), self.decided.value(),
            decision_maker=self.maker.value() or "", rationale=self.rationale.value() or "")


# -- the workspace -----------------------------------------------------------------------------

class RapidReviewPanel(QWidget):
    """One rapid review: its plan, the agencies' returns, submission, panel response, decision.

    Emits `changed(table)` after every write so the owner can refresh what it shows, and
    `lcspr_opened(review_id)` when a decision opens an LCSPR.
    """

    changed = Signal(str)
    lcspr_opened = Signal(int)

    def __init__(self, store, review_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.review_id: int | None = None
        self.plan: dict | None = None
        self._read_only = bool(getattr(store, "readonly", False))

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Rapid review summary")

        self.steps_model = RowsModel([
            Column("label", "Step"),
            Column("planned_date", "Due", display=self._due_text),
            Column("actual_date", "Done", display=lambda r: format_stored(r["actual_date"])),
            _rag_column("rag", "Progress"),
        ], self)
        self.steps_view = _table("rapid_review_steps")
        self.steps_view.setAccessibleName("Rapid review steps")
        self.steps_view.setModel(self.steps_model)
        self.steps_view.activated.connect(self.mark_step_done)
        self.step_done_button = make_button("Mark step done…", "Record the date the selected step was done")
        self.step_done_button.clicked.connect(self.mark_step_done)

        self.returns_model = RowsModel([
            Column("agency_name", "Agency"),
            Column("requested_date", "Requested", display=lambda r: format_stored(r["requested_date"])),
            Column("due_date", "Due", display=lambda r: format_stored(r["due_date"])),
            Column("received_date", "Received", display=self._received_text,
                   colour=lambda r: "red" if r["late"] else None,
                   tooltip=lambda r: r["rag"].reason),
            _rag_column("rag", "Progress"),
        ], self)
        self.returns_view = _table("agency_returns")
        self.returns_view.setAccessibleName("Agency returns")
        self.returns_view.setModel(self.returns_model)
        self.returns_view.activated.connect(self.record_return)
        self.return_button = make_button("Record return received…", "Record the date the selected agency's summary and chronology arrived")
        self.return_button.clicked.connect(self.record_return)

        self.submission_label = QLabel()
        self.submission_label.setWordWrap(True)
        self.submission_label.setTextFormat(Qt.TextFormat.RichText)
        self.submission_label.setAccessibleName("Submission to the national panel")
        self.submit_button = make_button("Record submission…", "Record the date the rapid review went to the panel")
        self.submit_button.clicked.connect(self.record_submission)
        self.response_button = make_button("Record panel response…", "Record when the national panel replied and whether it agreed")
        self.response_button.clicked.connect(self.record_panel_response)
        self.decision_label = QLabel()
        self.decision_label.setWordWrap(True)
        self.decision_label.setTextFormat(Qt.TextFormat.RichText)
        self.decision_label.setAccessibleName("Decision after the rapid review")
        self.decide_button = make_button("Decide…", "Record the decision: LCSPR, no further review, "
                                                "other local learning review or national review")
        self.decide_button.clicked.connect(self.decide)

        # The plan reads best full width (its progress column carries the reasons); the returns and
        # the submission sit side by side underneath.
        steps_box = QGroupBox("Day-by-day plan (working days from the notification)")
        steps_layout = QVBoxLayout(steps_box)
        steps_layout.addWidget(self.steps_view, 1)
        steps_layout.addLayout(self._row(self.step_done_button))
        returns_box = QGroupBox("Agency summaries and chronologies")
        returns_layout = QVBoxLayout(returns_box)
        returns_layout.addWidget(self.returns_view, 1)
        returns_layout.addLayout(self._row(self.return_button))
        panel_box = QGroupBox("Submission, the panel's response and the decision")
        panel_layout = QVBoxLayout(panel_box)
        panel_layout.addWidget(self.submission_label)
        panel_layout.addLayout(self._row(self.submit_button, self.response_button))
        panel_layout.addWidget(self.decision_label)
        panel_layout.addLayout(self._row(self.decide_button))
        panel_layout.addStretch(1)
        lower = QHBoxLayout()
        lower.addWidget(returns_box, 1)
        lower.addWidget(panel_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(steps_box)
        layout.addLayout(lower, 1)

        self.steps_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.returns_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.set_review(review_id)

    @staticmethod
    def _row(*buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        return row

    # -- showing -----------------------------------------------------------------------------

    def set_review(self, review_id: int | None) -> None:
        self.review_id = review_id
        self.refresh()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()

    def refresh(self) -> None:
        self.plan = None
        if self.review_id is not None:
            try:
                self.plan = statutory.rapid_review_plan(self.store, self.review_id, today_for(self.store))
            except ScrdeskError:
                self.plan = None
        if self.plan is None:
            self.heading.setText("Choose a rapid review.")
            for model in (self.steps_model, self.returns_model):
                model.set_rows([])
            self.submission_label.setText("")
            self.decision_label.setText("")
            self._update_buttons()
            return
        plan = self.plan
        self._keep_selection(self.steps_view, self.steps_model, plan["steps"])
        self._keep_selection(self.returns_view, self.returns_model, plan["returns"])
        self._fit_rows(self.steps_view)
        review = plan["review"]
        notified = plan["notification_date"]
        refs = ", ".join(r["ref"] for r in self._referrals())
        self.heading.setText(
            f"<b>{html.escape(review['title'])}</b> · {html.escape(_profile(self.store, review).name)}<br/>"
            f"Notified to the national panel on <b>{format_stored(notified) or 'no date'}</b>"
            + (f" (referral {html.escape(refs)})" if refs else ""))
        self.submission_label.setText(self._submission_html())
        self.decision_label.setText(self._decision_html())
        self._update_buttons()

    def _keep_selection(self, view: QTableView, model: RowsModel, rows: list[dict]) -> None:
        index = view.currentIndex()
        current = model.data(index, RowRole) if index.isValid() else None
        model.set_rows(rows)
        view.resizeColumnsToContents()
        if current is not None:
            for number, row in enumerate(rows):
                if row["id"] == current["id"]:
                    view.selectRow(number)

    @staticmethod
    def _fit_rows(view: QTableView) -> None:
        # The plan is six or so steps: show them all rather than a scroll bar.
        rows = view.model().rowCount()
        height = view.horizontalHeader().height() + 2 * view.frameWidth()
        height += sum(view.rowHeight(r) for r in range(rows))
        view.setMinimumHeight(height + 2)

    def _referrals(self) -> list[dict]:
        return store_reviews.linked_referrals(self.store, self.review_id)

    def _due_text(self, row: dict) -> str:
        notified = self.plan["notification_date"] if self.plan else None
        if not row["planned_date"]:
            return "No date"
        due = from_iso(row["planned_date"])
        if notified is None or "day" in row["label"]:
            return format_stored(due)  # the step's own label already says which day it is
        return f"{format_stored(due)} (day {working_days_between(notified, due)})"

    @staticmethod
    def _received_text(row: dict) -> str:
        if row["received_date"]:
            return format_stored(row["received_date"]) + (" – late" if row["late"] else "")
        return "Overdue" if row["late"] else "Awaited"

    def _submission_html(self) -> str:
        plan = self.plan
        due = plan["submission_due"]
        if plan["submitted"]:
            late = "on time" if plan["submitted_on_time"] else "<b>late</b>"
            text = (f"Submitted to the national panel on <b>{format_stored(plan['submitted'])}</b>, {late}"
                    + (f" (due {format_stored(due)}, day 15)." if due else "."))
        elif due:
            text = f"Submission due <b>{format_stored(due)}</b> (day 15). {html.escape(plan['submission_rag'].reason)}."
        else:
            text = "No submission date: the notification date is missing."
        if plan["panel_response_date"]:
            agreed = {1: "agreed with the partnership", 0: "did not agree"}.get(plan["panel_agreed"],
                                                                               "agreement not recorded")
            text += f"<br/>The panel responded on <b>{format_stored(plan['panel_response_date'])}</b> and {agreed}."
        elif plan["submitted"]:
            text += "<br/>No response from the panel recorded yet."
        return text

    def _decided(self) -> dict | None:
        for referral in self._referrals():
            if referral["decision"] in statutory.DECISIONS_AFTER_RAPID_REVIEW and referral["decision_date"] \
                    and referral["decision_date"] >= (self.plan["review"]["agreed_date"] or ""):
                return referral
        return None

    def _decision_html(self) -> str:
        decided = self._decided()
        if decided is None:
            return "No decision recorded yet."
        profile = _profile(self.store, self.plan["review"])
        text = f"Decided on <b>{format_stored(decided['decision_date'])}</b>: <b>{html.escape(profile.label(decided['decision']))}</b>"
        if decided.get("decision_maker"):
            text += f" by {html.escape(decided['decision_maker'])}"
        text += "."
        if decided.get("rationale"):
            text += f"<br/><i>{html.escape(decided['rationale'])}</i>"
        return text

    def _update_buttons(self) -> None:
        plan = self.plan
        writable = plan is not None and not self._read_only
        step = self._current(self.steps_view, self.steps_model)
        returned = self._current(self.returns_view, self.returns_model)
        self.step_done_button.setEnabled(writable and step is not None and not step["actual_date"])
        self.return_button.setEnabled(writable and returned is not None and not returned["received_date"])
        self.submit_button.setEnabled(writable and not plan["submitted"])
        self.response_button.setEnabled(writable and plan["submitted"] is not None)
        self.decide_button.setEnabled(writable and self._decided() is None)

    @staticmethod
    def _current(view: QTableView, model: RowsModel) -> dict | None:
        index = view.currentIndex()
        if not index.isValid() or not view.selectionModel().hasSelection():
            return None
        return model.data(index, RowRole)

    # -- changes -----------------------------------------------------------------------------

    def _after(self, table: str) -> None:
        self.refresh()
        self.changed.emit(table)

    def _run(self, dialog: RecordDialog, table: str) -> bool:
        if dialog.exec():
            self._after(table)
            return True
        return False

    def select_step(self, kind: str) -> bool:
        for number, row in enumerate(self.steps_model.rows()):
            if row["kind"] == kind:
                self.steps_view.selectRow(number)
                return True
        return False

    def select_return(self, agency_name: str) -> bool:
        for number, row in enumerate(self.returns_model.rows()):
            if row["agency_name"] == agency_name:
                self.returns_view.selectRow(number)
                return True
        return False

    def mark_step_done(self) -> None:
        step = self._current(self.steps_view, self.steps_model)
        if step is None or self._read_only or step["actual_date"]:
            return
        if step["kind"] == SUBMISSION_STEP:
            self.record_submission()
            return
        notified = self.plan["notification_date"]

        def write(when: date) -> None:
            store_reviews.mark_milestone_done(self.store, step["id"], when)

        self._run(DateDialog(f"Step done: {step['label']}", "Done on", today_for(self.store), write, self,
                             note=f"Due {self._due_text(step)}.", earliest=notified,
                             earliest_what="the notification"), "milestones")

    def record_return(self) -> None:
        returned = self._current(self.returns_view, self.returns_model)
        if returned is None or self._read_only or returned["received_date"]:
            return

        def write(when: date) -> None:
            store_reviews.record_return_received(self.store, returned["id"], when)

        requested = from_iso(returned["requested_date"])
        self._run(DateDialog(f"Return received: {returned['agency_name']}", "Received on",
                             today_for(self.store), write, self,
                             note=f"Summary and chronology due {format_stored(returned['due_date']) or 'no date set'}.",
                             earliest=requested, earliest_what="the date it was requested"), "agency_returns")

    def record_submission(self) -> None:
        if self.plan is None or self._read_only or self.plan["submitted"]:
            return
        due = self.plan["submission_due"]

        def write(when: date) -> None:
            statutory.record_submission(self.store, self.review_id, when)

        self._run(DateDialog("Rapid review submitted to the national panel", "Submitted on",
                             today_for(self.store), write, self,
                             note=f"Due {format_stored(due)} (15 working days from the notification)." if due else "",
                             earliest=self.plan["notification_date"], earliest_what="the notification"),
                  "reviews")

    def record_panel_response(self) -> None:
        if self.plan is None or self._read_only:
            return
        self._run(PanelResponseDialog(self.store, self.review_id, self), "reviews")

    def decide(self) -> None:
        if self.plan is None or self._read_only:
            return
        dialog = DecisionDialog(self.store, self.review_id, self)
        if self._run(dialog, "reviews") and dialog.lcspr_id is not None:
            self.lcspr_opened.emit(dialog.lcspr_id)


# -- starting a rapid review -------------------------------------------------------------------

class StartRapidReviewDialog(RecordDialog):
    """Record the serious incident notification and open the rapid review with its plan, asking
    the chosen agencies for a summary and chronology by day 10."""

    def __init__(self, store, referral_id: int, parent: QWidget | None = None):
        self.store = store
        self.referral_id = referral_id
        self.referral = store_reviews.get_referral(store, referral_id)
        if self.referral is None:
            raise ScrdeskError("That referral no longer exists (it may have been deleted).")
        self.review_id: int | None = None
        super().__init__(f"Start rapid review: {self.referral['ref']}", parent)
        self.resize(640, 460)
        if self.save_button is not None:
            self.save_button.setText("Start rapid review")
        aware = self.referral.get("la_aware_date")
        about = QLabel(f"Referral {html.escape(self.referral['ref'])}"
                       + (f" · {html.escape(self.referral['summary'])}" if self.referral.get("summary") else "")
                       + (f"<br/>The local authority became aware on <b>{format_stored(aware)}</b>." if aware else ""))
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.RichText)
        self.form.add_widget("", about).setAccessibleName("The referral")
        self.notified = self.form.add(DateField("Date notified", required=True))
        self.clock_label = QLabel()
        self.clock_label.setWordWrap(True)
        self.form.add_widget("Notification clock", self.clock_label)
        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        self.form.add_widget("Rapid review", self.plan_label)
        self.agency_boxes: dict[int, QCheckBox] = {}
        boxes = QWidget()
        boxes_layout = QVBoxLayout(boxes)
        boxes_layout.setContentsMargins(0, 0, 0, 0)
        for agency in agency_choices(store, active_only=True):
            box = QCheckBox(agency["name"])
            box.setAccessibleName(f"Ask {agency['name']} for a return")
            box.toggled.connect(self._on_agency_toggled)
            self.agency_boxes[agency["id"]] = box
            boxes_layout.addWidget(box)
        if not self.agency_boxes:
            boxes_layout.addWidget(QLabel("No active agencies: add them in Settings."))
        boxes_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(boxes)
        scroll.setMinimumHeight(160)
        self.form.add_widget("Ask for summaries and chronologies", scroll).setAccessibleName("Agencies to ask")
        self.notified.edited.connect(self._show_clock)
        self.notified.set_value(self.referral.get("sin_submitted_date") or today_for(store))
        self._show_clock()
        self.finish_setup()
        if self.referral.get("sin_submitted_date"):
            # The rapid review clock already runs from the notification recorded on the case:
            # opening the workspace later never moves it.
            self.notified.set_read_only(True)
            self.notified.setToolTip("Recorded on the referral; change it there")
        self.dirty = True

    def _on_agency_toggled(self) -> None:
        self.dirty = True

    def chosen_agencies(self) -> list[int]:
        return [agency_id for agency_id, box in self.agency_boxes.items() if box.isChecked()]

    def _show_clock(self) -> None:
        when = self.notified.value()
        draft = {**self.referral, "sin_submitted_date": when.isoformat() if when else None}
        if not draft.get("framework") and when:
            draft["framework"] = store_reviews.profile_for_record(self.store, None, when).code
        clock = statutory.notification_clock(self.store, draft, today_for(self.store))
        self.clock_label.setText(clock["text"] if clock else
                                 "The date the local authority became aware is not recorded, so the "
                                 "5-working-day clock cannot be checked.")
        if when is None:
            self.plan_label.setText("")
            return
        profile = store_reviews.profile_for_record(self.store, None, when)
        methodology = profile.methodology(statutory.RAPID_METHODOLOGY)
        if methodology is None:
            self.plan_label.setText(f"{profile.name} has no rapid review: rapid reviews began with "
                                    "Working Together 2018.")
            return
        plan = methodology.planned_dates(when)
        returns = next((d for kind, _, d in plan if kind == statutory.RETURNS_DUE_STEP), None)
        submit = next((d for kind, _, d in plan if kind == SUBMISSION_STEP), None)
        self.plan_label.setText(f"Agency returns due {format_stored(returns)} (day 10); submission to the national panel "
                                f"due {format_stored(submit)} (day 15).")

    def cross_check(self) -> dict:
        when = self.notified.value()
        aware = self.referral.get("la_aware_date")
        if when and aware and when < from_iso(aware):
            return {self.notified: f"is before the local authority became aware ({format_stored(aware)})"}
        return {}

    def save(self) -> None:
        try:
            self.review_id = statutory.start_rapid_review(self.store, self.referral_id, self.notified.value(),
                                                          self.chosen_agencies())
        except ScrdeskError as refusal:
            if isinstance(refusal, InvalidValue):
                raise
            # "This framework has no rapid review" is about the date notified: say it there.
            raise InvalidValue("Date notified", format_stored(self.notified.value()), str(refusal)) from None


def start_rapid_review_for(store, referral_id: int, parent: QWidget | None = None) -> int | None:
    """Open the start dialog; the new rapid review's id, or None if the person cancelled."""
    try:
        dialog = StartRapidReviewDialog(store, referral_id, parent)
    except ScrdeskError as error:
        show_error(parent, error)
        return None
    return dialog.review_id if dialog.exec() else None


def rapid_review_possible(store, referral: dict) -> bool:
    """Whether a rapid review can start for this referral: its framework has one."""
    profile = store_reviews.profile_for_record(store, referral.get("framework"), today_for(store))
    return profile.methodology(statutory.RAPID_METHODOLOGY) is not None
