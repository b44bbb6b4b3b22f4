"""A review's statutory publication steps: the planned publication date, the copy to the Panel and
the Secretary of State due 7 working days before it (shown ahead, from the planned date), Ofsted's
copy, or a decision not to publish with its reasons sent to the Panel (Working Together 2018 ch.4 /
2023 ch.5). A 2015 SCR also records when the Panel and Ofsted were told it was initiated.

Saves through `store.statutory.update_review_process` (the rules in domain/rules/statutory.py
first, one transaction); a refusal is shown beside its field in the rules' words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from scrdesk.domain.clocks import clocks_for
from scrdesk.domain.dates import format_date
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import statutory as statutory_rules
from scrdesk.store import reviews as store_reviews
from scrdesk.store import statutory
from scrdesk.store.clocks import profile_of
from scrdesk.store.queries import today_for
from scrdesk.ui.forms import DateField, NoteField, RecordDialog

#: The review types whose publication the national panel is told of.
PUBLISHED_TYPES = ("LCSPR", "SCR")


class PublicationDialog(RecordDialog):
    """Plan a review's publication and record the copies, or the decision not to publish."""

    def __init__(self, store, review_id: int, parent: QWidget | None = None, *, read_only: bool = False):
        self.store = store
        self.record_id = review_id
        self.record = store_reviews.get_review(store, review_id)
        if not self.record:
            raise ScrdeskError("That review no longer exists (it may have been deleted).")
        self._settings = store.settings()
        super().__init__(f"Publication: {self.record['title']}", parent, read_only=read_only)
        form = self.form
        form.section("Publication")
        self.planned = form.add(DateField("Planned publication date"))
        self.deadline = QLabel()
        self.deadline.setWordWrap(True)
        self.deadline.setTextFormat(Qt.TextFormat.PlainText)
        form.add_widget("Copy due", self.deadline).setAccessibleName("Copy to the Panel and Secretary of State due")
        self.panel_sos = form.add(DateField("Copy to the Panel and Secretary of State"))
        self.ofsted = form.add(DateField("Copy to Ofsted"))
        form.section("A decision not to publish")
        self.not_publishing = form.add(DateField("Decided not to publish"))
        self.reasons = form.add(NoteField("Reasons for not publishing", lines=3,
                                          max_length=statutory_rules.LIMITS["no_publication_reasons"]))
        self.sent = form.add(DateField("Decision sent to the Panel"))
        self.scr_told = form.add(DateField("Panel and Ofsted told"))
        self.scr_told.setToolTip("Working Together 2015: the Panel and Ofsted are told an SCR was initiated, "
                                 "with the reviewer's name")
        # Only a 2015 SCR is told to the Panel and Ofsted on initiation.
        form.set_row_visible(self.scr_told, self.record.get("review_type") == "SCR")
        self._fields = {
            "planned_publication_date": self.planned, "panel_sos_copy_date": self.panel_sos,
            "ofsted_copy_date": self.ofsted, "no_publication_date": self.not_publishing,
            "no_publication_reasons": self.reasons, "no_publication_sent_date": self.sent,
            "scr_told_date": self.scr_told,
        }
        r = self.record
        for column, field in self._fields.items():
            field.set_value(r.get(column))
        for field in (self.planned, self.panel_sos, self.not_publishing):
            field.edited.connect(self._show_deadline)
        self.finish_setup()
        self._show_deadline()

    def changes(self) -> dict:
        """The statutory publication columns as the form holds them (only those that changed)."""
        typed = {column: field.iso() if isinstance(field, DateField) else field.value()
                 for column, field in self._fields.items()}
        return {column: value for column, value in typed.items() if (self.record.get(column) or None) != value}

    def _draft(self) -> dict:
        return {**self.record, **self.changes()}

    def _show_deadline(self) -> None:
        self.deadline.setText(deadline_text(self.store, self._draft()))

    def cross_check(self) -> dict:
        found = statutory_rules.publication_problems(self._draft())
        return {self._fields[column]: message for column, message in found.items() if column in self._fields}

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            return
        try:
            statutory.update_review_process(self.store, self.record_id, changes)
        except RuleBroken as refusal:
            column, message = next(iter(refusal.problems.items()))
            field = self._fields.get(column)
            if field is None:
                # The reviewer's name lives on the review itself: say so where the date was typed.
                raise InvalidValue(self.scr_told.label, None,
                                   f"needs the lead reviewer on the review first ({message})") from None
            raise InvalidValue(field.label, None, message) from None
        self.saved.emit("reviews", self.record_id)


def deadline_text(store, review: dict) -> str:
    """The copy to the Panel and the Secretary of State: due when, from the planned date, before it
    happens; or why no copy is due."""
    if review.get("no_publication_date"):
        return "None due: the partnership decided not to publish"
    settings = store.settings()
    profile = profile_of(review, settings)
    clock = next((c for c in clocks_for(review, "review", profile, settings, today_for(store))
                  if c.clock == "PRE_PUBLICATION"), None)
    if clock is None:
        if review.get("review_type") not in PUBLISHED_TYPES:
            return "None: only an LCSPR or SCR report goes to the Panel before publication"
        if not (review.get("planned_publication_date") or review.get("published_date")):
            return "7 working days before publication: give the planned publication date to count it"
        return f"None under {profile.name}"
    if clock.done is not None:
        timing = "on time" if not clock.late else f"{(clock.done - clock.due).days} days late"
        return f"Sent {format_date(clock.done)}, {timing} (due {format_date(clock.due)})"
    return f"By {format_date(clock.due)}, 7 working days before publication. {clock.rag.reason}"
