"""The action plan's dialogs: add or edit an action with its evidence (`ActionDialog`), and log a
dated update, perhaps changing the status (`UpdateDialog`).

Both show the action rules (`scrdesk.domain.rules.actions`) beside the fields as the person types
and save through `scrdesk.store.actions`, which refuses in the same words.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from scrdesk.domain import values
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import actions as rules
from scrdesk.domain.rules.governance import PLAN_SOURCES
from scrdesk.store import actions as action_store
from scrdesk.store.agencies import agency_choices
from scrdesk.store.queries import today_for
from scrdesk.store.reviews import review_choices
from scrdesk.ui.attachments import AttachmentList
from scrdesk.ui.forms import ChoiceField, DateField, NoteField, RecordDialog, TextField
from scrdesk.ui.rule_fields import as_invalid, rule_errors


def short(text: str | None, limit: int = 90) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _as_id(code: str | None) -> int | None:
    return int(code) if code else None


def _narrow_combo(choice: ChoiceField, characters: int = 50) -> None:
    """Long choices (recommendation texts) are elided instead of widening the whole dialog."""
    combo = choice.editor
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)


def _rule_label() -> QLabel:
    label = QLabel(rules.COMPLETION_RULE)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555555;")
    return label


class ActionDialog(RecordDialog):
    """Add or edit one action of the plan, with its evidence."""

    def __init__(self, store, action_id: int | None = None, parent: QWidget | None = None, *,
                 review_id: int | None = None, recommendation_id: int | None = None,
                 agency_id: int | None = None, read_only: bool = False):
        super().__init__("Edit action" if action_id else "New action", parent, read_only=read_only)
        self.store = store
        self.action_id = action_id
        action = action_store.get_action(store, action_id) if action_id else {}
        if action_id and action is None:
            raise ScrdeskError(action_store.ACTION_GONE)
        current_agency = action.get("agency_id", agency_id)
        agencies = {str(a["id"]): a["name"] + ("" if a["active"] else " (inactive)")
                    for a in agency_choices(store, active_only=True, keep_id=current_agency)}
        reviews = {str(r["id"]): r["title"] for r in review_choices(store)}
        length = rules.LIMITS
        form = self.form
        form.section("Where it comes from")
        # A review's action, or the sub group's own (a source instead of a review): the rules
        # ask for one or the other, so neither field is required on its own.
        self.review = form.add(ChoiceField("Review", reviews, blank="\u2014 none: the sub group's own plan \u2014"))
        self.recommendation = form.add(ChoiceField("Recommendation", {}, blank="\u2014 none \u2014"))
        _narrow_combo(self.recommendation)
        self.source = form.add(ChoiceField("Source", PLAN_SOURCES, blank="\u2014 a review \u2014"))
        self.source_text = form.add(TextField("Which source", max_length=length["source_text"]))
        self.source_text.editor.setPlaceholderText("e.g. Business plan 2017-18, priority 2")
        form.section("The action")
        self.agency = form.add(ChoiceField("Agency", agencies, blank="\u2014 not set \u2014"))
        self.lead = form.add(TextField("Lead officer", max_length=length["lead_officer"]))
        self.text = form.add(NoteField("Action", required=True, lines=3, max_length=length["text"]))
        self.text.editor.setPlaceholderText("Specific, measurable, achievable, realistic and time-bound")
        form.section("Dates")
        self.agreed = form.add(DateField("Date agreed"))
        self.target = form.add(DateField("Target date"))
        self.revised = form.add(DateField("Revised target date"))
        self.revised_reason = form.add(TextField("Reason for the revised target", max_length=length["revised_reason"]))
        form.section("Progress")
        self.status = form.add(ChoiceField("Status", values.ACTION_STATUSES, blank=None, required=True))
        self.rule_label = _rule_label()
        form.add_widget("", self.rule_label).setAccessibleName("Completion rule")
        self.signoff = form.add(DateField("Sign-off date"))
        self.evidence_note = form.add(TextField("Evidence note", max_length=length["evidence_note"]))
        self.evidence_note.editor.setPlaceholderText("What shows it was done, when it is not a file here")
        self.completion_reason = form.add(TextField("Reason closed without evidence",
                                                    max_length=length["completion_reason"]))
        self.evidence = AttachmentList(store, "action", pending=True)
        self.evidence.setMinimumHeight(120)
        form.add_widget("Evidence", self.evidence)
        form.section("Escalation")
        self.escalated_date = form.add(DateField("Escalated on"))
        self.escalated_to = form.add(TextField("Escalated to", max_length=length["escalated_to"]))
        #: The fields by the column they write, so a broken rule is shown beside its field.
        self.by_column = {
            "review_id": self.review, "recommendation_id": self.recommendation, "agency_id": self.agency,
            "lead_officer": self.lead, "text": self.text, "agreed_date": self.agreed, "target_date": self.target,
            "revised_target_date": self.revised, "revised_reason": self.revised_reason, "status": self.status,
            "signoff_date": self.signoff, "evidence_note": self.evidence_note,
            "completion_reason": self.completion_reason, "escalated_date": self.escalated_date,
            "escalated_to": self.escalated_to, "source_kind": self.source, "source_text": self.source_text,
        }

        self.review.edited.connect(self._on_review_edited)
        self.evidence.attachments_changed.connect(self._on_form_edited)

        self.review.set_value(str(action.get("review_id") or review_id or "") or None)
        self._fill_recommendations(action.get("recommendation_id", recommendation_id))
        self.source.set_value(action.get("source_kind"))
        self.source_text.set_value(action.get("source_text"))
        self.agency.set_value(str(current_agency) if current_agency else None)
        self.lead.set_value(action.get("lead_officer"))
        self.text.set_value(action.get("text"))
        self.agreed.set_value(action.get("agreed_date"))
        self.target.set_value(action.get("target_date"))
        self.revised.set_value(action.get("revised_target_date"))
        self.revised_reason.set_value(action.get("revised_reason"))
        self.status.set_value(action.get("status") or "not_started")
        self.signoff.set_value(action.get("signoff_date"))
        self.evidence_note.set_value(action.get("evidence_note"))
        self.completion_reason.set_value(action.get("completion_reason"))
        self.escalated_date.set_value(action.get("escalated_date"))
        self.escalated_to.set_value(action.get("escalated_to"))
        self.evidence.set_owner(action_id)
        self.evidence.set_read_only(read_only)
        self.resize(700, 760)
        self.finish_setup()

    def _fill_recommendations(self, keep: int | None = None) -> None:
        recs = action_store.recommendation_choices(self.store, _as_id(self.review.value()))
        choices = {str(r["id"]): (f"{r['number']}. " if r["number"] else "") + short(r["text"]) for r in recs}
        self.recommendation.set_choices(choices, keep=str(keep) if keep else None)
        if keep and str(keep) not in choices:
            self.recommendation.set_value(None)

    def _on_review_edited(self) -> None:
        self._fill_recommendations(_as_id(self.recommendation.value()))

    def record(self) -> dict:
        """The action as the fields would store it."""
        return {
            "review_id": _as_id(self.review.value()),
            "recommendation_id": _as_id(self.recommendation.value()),
            "agency_id": _as_id(self.agency.value()),
            "lead_officer": self.lead.value(),
            "text": self.text.value(),
            "agreed_date": self.agreed.iso(),
            "target_date": self.target.iso(),
            "revised_target_date": self.revised.iso(),
            "revised_reason": self.revised_reason.value() if self.revised.value() else None,
            "status": self.status.value(),
            "signoff_date": self.signoff.iso(),
            "evidence_note": self.evidence_note.value(),
            "completion_reason": self.completion_reason.value(),
            "escalated_date": self.escalated_date.iso(),
            "escalated_to": self.escalated_to.value(),
            "source_kind": self.source.value(),
            "source_text": self.source_text.value(),
        }

    def cross_check(self) -> dict:
        found = action_store.action_problems(self.store, self.record(), self.evidence.count())
        return rule_errors(found, self.by_column)

    def save(self) -> None:
        try:
            self.action_id = action_store.save_action(self.store, self.action_id, self.record(),
                                                      self.evidence.pending_files())
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("actions", self.action_id)


class UpdateDialog(RecordDialog):
    """Log a dated progress note on an action, optionally changing its status and adding evidence."""

    def __init__(self, store, action_id: int, parent: QWidget | None = None, *, status_to: str | None = None):
        super().__init__("Add an update", parent)
        self.store = store
        self.action_id = action_id
        self.action = action_store.get_action(store, action_id)
        if self.action is None:
            raise ScrdeskError(action_store.ACTION_GONE)
        current = values.label(values.ACTION_STATUSES, self.action["status"])
        form = self.form
        intro = QLabel(f"<b>{html.escape(short(self.action['text'], 160))}</b><br>Status now: "
                       f"{html.escape(current)}")
        intro.setWordWrap(True)
        form.add_widget("Action", intro)
        self.date = form.add(DateField("Date", required=True))
        self.author = form.add(TextField("Author", required=True, max_length=rules.UPDATE_LIMITS["author"]))
        self.note = form.add(NoteField("Update", required=True, lines=4, max_length=rules.UPDATE_LIMITS["note"]))
        self.note.editor.setPlaceholderText("What has been done, and what is still to do")
        self.status = form.add(ChoiceField("Change status to", values.ACTION_STATUSES, blank="No change"))
        form.add_widget("", _rule_label()).setAccessibleName("Completion rule")
        self.evidence_note = form.add(TextField("Evidence note", max_length=rules.LIMITS["evidence_note"]))
        self.evidence_note.editor.setPlaceholderText("What shows it was done, when it is not a file here")
        self.completion_reason = form.add(TextField("Reason closed without evidence",
                                                    max_length=rules.LIMITS["completion_reason"]))
        self.evidence = AttachmentList(store, "action", pending=True)
        self.evidence.setMinimumHeight(120)
        form.add_widget("Evidence", self.evidence)
        self.evidence.attachments_changed.connect(self._on_form_edited)
        self.by_column = {"date": self.date, "author": self.author, "note": self.note, "status": self.status,
                          "evidence_note": self.evidence_note, "completion_reason": self.completion_reason}

        self.date.set_value(today_for(store))
        self.author.set_value(store.user)
        self.status.set_value(status_to)
        self.evidence_note.set_value(self.action.get("evidence_note"))
        self.completion_reason.set_value(self.action.get("completion_reason"))
        self.evidence.set_owner(action_id)
        self.resize(640, 640)
        self.finish_setup()
        self.note.setFocus()

    def cross_check(self) -> dict:
        status = self.status.value()
        if not status or status == self.action["status"]:
            return {}
        problem = rules.completion_problem(status, self.evidence.count(), self.evidence_note.value(),
                                           self.completion_reason.value())
        return {self.status: problem} if problem else {}

    def _changed(self, field: TextField, column: str) -> str | None:
        value = field.value()
        return value if value != self.action.get(column) else None

    def save(self) -> None:
        try:
            action_store.add_update(
                self.store, self.action_id, on=self.date.value(), author=self.author.value(),
                note=self.note.value(), status_to=self.status.value(),
                completion_reason=self._changed(self.completion_reason, "completion_reason"),
                evidence_note=self._changed(self.evidence_note, "evidence_note"),
                files=self.evidence.pending_files())
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("action_updates", self.action_id)
