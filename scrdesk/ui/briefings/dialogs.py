"""The briefings tab's dialogs: starting a briefing of a review, and one agency's dissemination
(when it was sent, the feedback and its evidence)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import briefings as rules
from scrdesk.domain.templates import template_codes
from scrdesk.store import briefings as briefing_store
from scrdesk.store.reviews import review_choices
from scrdesk.ui.attachments import AttachmentList
from scrdesk.ui.forms import ChoiceField, DateField, NoteField, NumberField, RecordDialog, TextField
from scrdesk.ui.rule_fields import as_invalid, rule_errors

GUIDANCE_STYLE = "color: #555555; font-style: italic;"


class NewBriefingDialog(RecordDialog):
    """Start a briefing of a review from a template; its sections are created empty."""

    def __init__(self, store, parent: QWidget | None = None, *, review_id: int | None = None):
        super().__init__("New briefing", parent)
        self.store = store
        self.briefing_id: int | None = None
        reviews = {str(r["id"]): r["title"] for r in review_choices(store)}
        templates = {code: briefing_store.template_name(code) for code in template_codes()}
        self.review = self.form.add(ChoiceField("Review", reviews, required=True))
        self.template = self.form.add(ChoiceField("Template", templates, blank=None, required=True))
        self.title_field = self.form.add(TextField("Title", max_length=rules.LIMITS["title"],
                                                   placeholder="e.g. Learning from the Child D review"))
        self.review.set_value(str(review_id) if review_id else None)
        self.template.set_value("six_step" if "six_step" in templates else next(iter(templates), None))
        self.resize(520, 260)
        self.finish_setup()

    def save(self) -> None:
        try:
            self.briefing_id = briefing_store.create_briefing(
                self.store, int(self.review.value()), self.template.value(), self.title_field.value())
        except RuleBroken as refusal:
            raise as_invalid(refusal, {"title": self.title_field}) from refusal
        self.saved.emit("briefings", self.briefing_id)


class DisseminationDialog(RecordDialog):
    """One agency's copy of a briefing: when it was sent, the feedback and its evidence."""

    def __init__(self, store, briefing_id: int, dissemination_id: int | None = None,
                 parent: QWidget | None = None, *, read_only: bool = False):
        super().__init__("Dissemination", parent, read_only=read_only)
        self.store = store
        self.briefing_id = briefing_id
        self.dissemination_id = dissemination_id
        row = briefing_store.get_dissemination(store, dissemination_id) if dissemination_id else {}
        if dissemination_id and row is None:
            raise ScrdeskError(briefing_store.DISSEMINATION_GONE)
        agencies = briefing_store.dissemination_agency_choices(store, briefing_id, row.get("agency_id"))
        period = store.settings().feedback_period_days
        form = self.form
        self.agency = form.add(ChoiceField("Agency", agencies, required=True))
        self.sent = form.add(DateField("Sent on"))
        self.due = form.add(DateField("Feedback due"))
        due_hint = QLabel(f"Left blank, feedback is due {period} days after sending.")
        due_hint.setStyleSheet(GUIDANCE_STYLE)
        form.add_widget("", due_hint).setAccessibleName("Feedback due rule")
        self.received = form.add(DateField("Feedback received"))
        self.teams = form.add(TextField("Teams briefed", max_length=rules.DISSEMINATION_LIMITS["teams_briefed"],
                                        placeholder="e.g. Health visiting north and south; school nurses"))
        self.staff = form.add(NumberField("Staff reached", maximum=1000000))
        self.note = form.add(NoteField("Note", lines=3, max_length=rules.DISSEMINATION_LIMITS["note"]))
        self.evidence = AttachmentList(store, "dissemination", pending=True)
        self.evidence.setMinimumHeight(110)
        form.add_widget("Evidence", self.evidence)
        self.evidence.attachments_changed.connect(self._on_form_edited)
        self.by_column = {"agency_id": self.agency, "sent_date": self.sent, "feedback_due_date": self.due,
                          "feedback_received_date": self.received, "teams_briefed": self.teams,
                          "staff_reached": self.staff, "note": self.note}

        self.agency.set_value(str(row["agency_id"]) if row.get("agency_id") else None)
        if dissemination_id:
            self.agency.set_read_only(True)
        self.sent.set_value(row.get("sent_date"))
        self.due.set_value(row.get("feedback_due_date"))
        self.received.set_value(row.get("feedback_received_date"))
        self.teams.set_value(row.get("teams_briefed"))
        self.staff.set_value(row.get("staff_reached"))
        self.note.set_value(row.get("note"))
        self.evidence.set_owner(dissemination_id)
        self.evidence.set_read_only(read_only)
        self.resize(600, 600)
        self.finish_setup()

    def record(self) -> dict:
        return {
            "agency_id": int(self.agency.value()) if self.agency.value() else None,
            "sent_date": self.sent.iso(),
            "feedback_due_date": self.due.iso(),
            "feedback_received_date": self.received.iso(),
            "teams_briefed": self.teams.value(),
            "staff_reached": self.staff.value(),
            "note": self.note.value(),
        }

    def cross_check(self) -> dict:
        return rule_errors(rules.dissemination_problems(self.record()), self.by_column)

    def save(self) -> None:
        try:
            self.dissemination_id = briefing_store.save_dissemination(
                self.store, self.briefing_id, self.dissemination_id, self.record(), self.evidence.pending_files())
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("disseminations", self.dissemination_id)
