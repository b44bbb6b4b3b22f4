"""The Reviews tab's record dialogs: a review, a milestone, a delay, a parallel proceeding, a
recommendation, and linking a referral. Each shows the review rules' messages
(`scrdesk.domain.rules.reviews`) beside the fields and saves through `scrdesk.store.reviews`."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date

from PySide6.QtWidgets import QLabel, QWidget

from scrdesk.domain import values
from scrdesk.domain.dates import format_date, from_iso
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.profiles import Profile
from scrdesk.domain.rules import reviews as rules
from scrdesk.store import reviews as store_reviews
from scrdesk.store.queries import review_target, today_for
from scrdesk.ui.forms import (
    CheckField,
    ChoiceField,
    DateField,
    Field,
    NoteField,
    NumberField,
    RecordDialog,
    TextField,
)


def _yes_no() -> dict[str, str]:
    return {"1": "Yes", "0": "No"}


def problems_at(found: Mapping[str, str], fields: Mapping[str, Field]) -> dict[Field, str]:
    """The rules' `{column: message}` as `{field: message}` for a dialog's cross-check.

    A required field says "is required" itself once the person has been there or tried to save,
    so the rule's copy of that message is not shown early.
    """
    return {fields[column]: message for column, message in found.items()
            if column in fields and not (message == rules.REQUIRED and fields[column].required)}


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


class ReviewDialog(RecordDialog):
    """Add or edit a review: type, methodology, people, status, every date, the target."""

    def __init__(self, store, review_id: int | None, parent: QWidget | None = None, *,
                 referral_id: int | None = None, read_only: bool = False):
        self.store = store
        self.record_id = review_id
        self.record = store_reviews.get_review(store, review_id) if review_id else {}
        if review_id and not self.record:
            raise ScrdeskError("That review no longer exists (it may have been deleted).")
        self._referrals = store_reviews.linked_referrals(store, review_id) if review_id else []
        title = f"Review: {self.record['title']}" if self.record else "New review"
        super().__init__(title, parent, read_only=read_only)
        self.resize(1060, 660)
        self._build_left_column()
        self._build_right_column()
        self._columns_by_name = {
            "title": self.title_field, "review_type": self.review_type, "lead_reviewer": self.reviewer,
            "panel_chair": self.chair, "family_engagement": self.family, "notes": self.notes,
            "agreed_date": self.agreed, "tor_date": self.tor, "initiated_date": self.initiated,
            "target_date_override": self.override, "target_override_reason": self.override_reason,
            "completed_date": self.completed, "sent_to_panel_date": self.sent_to_panel,
            "panel_response_date": self.panel_response, "published_date": self.published,
            "removal_date": self.removal,
        }
        self._wire()
        self._load(referral_id)
        self.finish_setup()

    def _build_left_column(self) -> None:
        form = self.form
        form.section("The review")
        if not self.record_id:
            self.referral = form.add(ChoiceField("Linked referral", store_reviews.referral_choices(self.store),
                                                 blank="— none —"))
        else:
            self.referral = None
        self.title_field = form.add(TextField("Title", required=True, placeholder="e.g. SCR Ref053",
                                              max_length=rules.LIMITS["title"]))
        self.review_type = form.add(ChoiceField("Review type", {}, required=True))
        self.methodology = form.add(ChoiceField("Methodology", {}))
        self.reviewer = form.add(TextField("Lead reviewer", max_length=rules.LIMITS["lead_reviewer"]))
        self.chair = form.add(TextField("Panel chair", max_length=rules.LIMITS["panel_chair"]))
        self.status = form.add(ChoiceField("Status", values.REVIEW_STATUSES, blank=None))
        self.framework_label = QLabel()
        self.framework_label.setWordWrap(True)
        form.add_widget("Framework", self.framework_label)
        form.section("Family and notes")
        self.family = form.add(NoteField("Family engagement", lines=2,
                                         max_length=rules.LIMITS["family_engagement"]))
        self.notes = form.add(NoteField("Notes", lines=2, max_length=rules.LIMITS["notes"]))
        self.legal_hold = form.add(CheckField("Legal hold", "Keep beyond the retention period"))

    def _build_right_column(self) -> None:
        form = self.add_column()
        form.section("Dates")
        self.agreed = form.add(DateField("Agreed"))
        self.tor = form.add(DateField("Terms of reference"))
        self.initiated = form.add(DateField("Initiated"))
        self.target_label = QLabel()
        self.target_label.setWordWrap(True)
        self.target_label.setAccessibleName("Target completion")
        form.add_widget("Target completion", self.target_label)
        self.override = form.add(DateField("Target set by hand", hint="only with a reason"))
        self.override_reason = form.add(TextField("Reason for the target",
                                                  max_length=rules.LIMITS["target_override_reason"]))
        self.completed = form.add(DateField("Completed"))
        self.sent_to_panel = form.add(DateField("Sent to national panel"))
        self.panel_response = form.add(DateField("Panel response"))
        self.panel_agreed = form.add(ChoiceField("Panel agreed", _yes_no()))
        form.section("Publication")
        self.publication = form.add(ChoiceField("Publication decision", values.PUBLICATION_DECISIONS))
        self.published = form.add(DateField("Published"))
        self.removal = form.add(DateField("Removal date"))

    def _wire(self) -> None:
        if self.referral is not None:
            self.referral.edited.connect(self._on_referral_chosen)
        for field in (self.agreed, self.initiated, self.override, self.override_reason, self.review_type):
            field.edited.connect(self._show_target)
        self.agreed.edited.connect(self._refresh_profile_choices)

    def _load(self, referral_id: int | None) -> None:
        r = self.record
        self.title_field.set_value(r.get("title"))
        self._refresh_profile_choices()
        self.review_type.set_value(r.get("review_type"))
        self.methodology.set_value(r.get("methodology"))
        self.reviewer.set_value(r.get("lead_reviewer"))
        self.chair.set_value(r.get("panel_chair"))
        self.status.set_value(r.get("status") or "agreed")
        self.family.set_value(r.get("family_engagement"))
        self.notes.set_value(r.get("notes"))
        self.legal_hold.set_value(r.get("legal_hold"))
        self.agreed.set_value(r.get("agreed_date"))
        self.tor.set_value(r.get("tor_date"))
        self.initiated.set_value(r.get("initiated_date"))
        self.override.set_value(r.get("target_date_override"))
        self.override_reason.set_value(r.get("target_override_reason"))
        self.completed.set_value(r.get("completed_date"))
        self.sent_to_panel.set_value(r.get("sent_to_panel_date"))
        self.panel_response.set_value(r.get("panel_response_date"))
        agreed = r.get("panel_agreed")
        self.panel_agreed.set_value(None if agreed is None else str(int(agreed)))
        self.publication.set_value(r.get("publication_decision"))
        self.published.set_value(r.get("published_date"))
        self.removal.set_value(r.get("removal_date"))
        if self.referral is not None and referral_id is not None:
            self.referral.set_value(str(referral_id))
            self._on_referral_chosen()
        self._refresh_profile_choices()
        self._show_target()

    # -- the framework and the target --------------------------------------------------------

    def _chosen_referral(self) -> dict | None:
        if self.referral is None or not self.referral.value():
            return None
        return store_reviews.get_referral(self.store, int(self.referral.value()))

    def profile(self) -> Profile:
        referral = self._chosen_referral() or {}
        framework = self.record.get("framework") or referral.get("framework")
        return store_reviews.profile_for_record(self.store, framework, self.agreed.value())

    def _refresh_profile_choices(self) -> None:
        profile = self.profile()
        self.review_type.set_choices({code: text for code, text in profile.decision_labels().items() if code != "NFA"})
        self.methodology.set_choices({code: m.label for code, m in profile.methodologies.items()})
        fixed = "fixed for this review" if self.record.get("framework") else "fixed when the review is saved"
        self.framework_label.setText(f"{profile.name} — {fixed}")

    def _on_referral_chosen(self) -> None:
        referral = self._chosen_referral()
        if referral is None:
            return
        self._refresh_profile_choices()
        if referral.get("decision") and not self.review_type.value():
            self.review_type.set_value(referral["decision"])
        if not self.title_field.value():
            label = self.profile().label(referral.get("decision")) if referral.get("decision") else "Review"
            self.title_field.set_value(f"{label} {referral['ref']}")
        if not self.agreed.value() and referral.get("decision_date"):
            self.agreed.set_value(referral["decision_date"])
        self._show_target()

    def _notification(self) -> date | None:
        chosen = self._chosen_referral()
        for referral in self._referrals or ([chosen] if chosen else []):
            if referral.get("sin_submitted_date"):
                return from_iso(referral["sin_submitted_date"])
        return None

    def _show_target(self) -> None:
        draft = {
            "review_type": self.review_type.value(),
            "agreed_date": self.agreed.iso(),
            "initiated_date": self.initiated.iso(),
            "target_date_override": self.override.iso(),
            "target_override_reason": self.override_reason.value(),
        }
        target, basis = review_target(draft, self.profile(), self._notification())
        shown = format_date(target) if target else "not set yet"
        self.target_label.setText(f"<b>{shown}</b> — {html.escape(basis)}")

    # -- checks and saving -------------------------------------------------------------------

    def draft(self) -> dict:
        """The review as it would be stored from what the form holds now."""
        agreed = self.panel_agreed.value()
        return {
            "title": self.title_field.value(),
            "review_type": self.review_type.value(),
            "methodology": self.methodology.value(),
            "lead_reviewer": self.reviewer.value(),
            "panel_chair": self.chair.value(),
            "status": self.status.value() or "agreed",
            "framework": self.record.get("framework") or self.profile().code,
            "agreed_date": self.agreed.iso(),
            "tor_date": self.tor.iso(),
            "initiated_date": self.initiated.iso(),
            "target_date_override": self.override.iso(),
            "target_override_reason": self.override_reason.value() if self.override.value() else None,
            "completed_date": self.completed.iso(),
            "sent_to_panel_date": self.sent_to_panel.iso(),
            "panel_response_date": self.panel_response.iso(),
            "panel_agreed": None if agreed is None else int(agreed),
            "publication_decision": self.publication.value(),
            "published_date": self.published.iso(),
            "removal_date": self.removal.iso(),
            "family_engagement": self.family.value(),
            "notes": self.notes.value(),
            "legal_hold": int(bool(self.legal_hold.value())),
        }

    def cross_check(self) -> dict:
        draft = self.draft()
        # The reason box is read even without an override date, so its message shows while typing.
        draft["target_override_reason"] = self.override_reason.value()
        return problems_at(rules.problems(draft), self._columns_by_name)

    def save(self) -> None:
        record = self.draft()
        if self.record_id is None:
            referral = self._chosen_referral()
            self.record_id = store_reviews.create_review(self.store, record,
                                                         referral_id=referral["id"] if referral else None)
        else:
            store_reviews.update_review(self.store, self.record_id, record)
        self.saved.emit("reviews", self.record_id)


class MilestoneDialog(RecordDialog):
    """One step on a review's timeline; the methodology's own steps are offered first."""

    def __init__(self, store, review_id: int, milestone_id: int | None = None,
                 parent: QWidget | None = None, *, mark_done: bool = False, read_only: bool = False):
        self.store = store
        self.review_id = review_id
        self.record_id = milestone_id
        self.record = store_reviews.child_row(store, "milestones", milestone_id) if milestone_id else {}
        review = store_reviews.get_review(store, review_id)
        profile = store_reviews.profile_for_record(store, review.get("framework"), review.get("agreed_date"))
        own = dict(profile.methodology_milestones(review.get("methodology")))
        self.labels = {**own, **{k: v for k, v in values.MILESTONE_KINDS.items() if k not in own}}
        name = self.labels.get(self.record.get("kind"), "") if self.record else ""
        super().__init__(f"Milestone: {name}" if name else "New milestone", parent, read_only=read_only)
        self.resize(560, 380)
        self.kind = self.form.add(ChoiceField("Step", self.labels, required=True))
        self.planned = self.form.add(DateField("Planned date"))
        self.actual = self.form.add(DateField("Done on"))
        self.attendance = self.form.add(NumberField("Attendance", maximum=100000))
        self.notes = self.form.add(NoteField("Notes", lines=3, max_length=rules.MILESTONE_LIMITS["notes"]))
        self._columns_by_name = {"kind": self.kind, "planned_date": self.planned, "actual_date": self.actual,
                                 "attendance": self.attendance, "notes": self.notes}
        if not self.record:
            taken = store_reviews.milestone_kinds(store, review_id)
            self.kind.set_value(next((k for k in own if k not in taken), None))
        else:
            for column, field in self._columns_by_name.items():
                field.set_value(self.record.get(column))
        self.finish_setup()
        if mark_done and not self.actual.value():
            self.actual.set_value(today_for(store))
            self.dirty = True
            self.actual.setFocus()

    def draft(self) -> dict:
        return {column: _iso(field.value()) for column, field in self._columns_by_name.items()}

    def cross_check(self) -> dict:
        return problems_at(rules.milestone_problems(self.draft()), self._columns_by_name)

    def save(self) -> None:
        self.record_id = store_reviews.save_child(self.store, "milestones", self.review_id, self.draft(),
                                                  self.record_id)
        self.saved.emit("milestones", self.record_id)


class _SimpleDialog(RecordDialog):
    """A dialog over one row of a review's child table, described by its fields."""

    table = ""
    noun = ""

    def __init__(self, store, review_id: int, row_id: int | None, parent: QWidget | None = None,
                 *, read_only: bool = False):
        self.store = store
        self.review_id = review_id
        self.record_id = row_id
        self.record = store_reviews.child_row(store, self.table, row_id) if row_id else {}
        super().__init__(f"{'Edit' if row_id else 'New'} {self.noun}", parent, read_only=read_only)
        self.resize(560, 320)
        self.columns = self.build()
        for key, field in self.columns.items():
            field.set_value(self.record.get(key))
        self.finish_setup()

    def build(self) -> dict:
        raise NotImplementedError

    def draft(self) -> dict:
        return {key: _iso(field.value()) for key, field in self.columns.items()}

    def cross_check(self) -> dict:
        rule, _what = store_reviews.CHILD_RULES[self.table]
        return problems_at(rule(self.draft()), self.columns)

    def save(self) -> None:
        self.record_id = store_reviews.save_child(self.store, self.table, self.review_id, self.draft(),
                                                  self.record_id)
        self.saved.emit(self.table, self.record_id)


class DelayDialog(_SimpleDialog):
    table, noun = "review_delays", "delay"

    def build(self) -> dict:
        return {"date": self.form.add(DateField("Date", required=True)),
                "reason": self.form.add(NoteField("Reason", required=True, lines=3,
                                                  max_length=rules.DELAY_LIMITS["reason"]))}


class ProceedingDialog(_SimpleDialog):
    table, noun = "parallel_proceedings", "parallel proceeding"

    def build(self) -> dict:
        return {"kind": self.form.add(ChoiceField("Kind", values.PROCEEDING_KINDS, required=True)),
                "status": self.form.add(TextField("Status", placeholder="e.g. trial listed for March",
                                                  max_length=rules.PROCEEDING_LIMITS["status"])),
                "notes": self.form.add(NoteField("Notes", lines=3, max_length=rules.PROCEEDING_LIMITS["notes"]))}


class RecommendationDialog(_SimpleDialog):
    table, noun = "recommendations", "recommendation"

    def build(self) -> dict:
        fields = {"number": self.form.add(TextField("Number", placeholder="e.g. 3",
                                                    max_length=rules.RECOMMENDATION_LIMITS["number"])),
                  "text": self.form.add(NoteField("Recommendation", required=True, lines=5,
                                                  max_length=rules.RECOMMENDATION_LIMITS["text"])),
                  "level": self.form.add(ChoiceField("Level", values.RECOMMENDATION_LEVELS, blank=None))}
        if not self.record_id:
            count = store_reviews.recommendation_count(self.store, self.review_id)
            self.record = {"number": str(count + 1), "level": "multi_agency"}
        return fields


class LinkReferralDialog(RecordDialog):
    """Link another referral to a review (a thematic review links several)."""

    def __init__(self, store, review_id: int, parent: QWidget | None = None):
        self.store = store
        self.review_id = review_id
        super().__init__("Link a referral", parent)
        self.resize(560, 200)
        choices = store_reviews.referral_choices(store, not_linked_to=review_id)
        self.referral = self.form.add(ChoiceField("Referral", choices, required=True))
        self.finish_setup()

    def save(self) -> None:
        store_reviews.link_referral(self.store, self.review_id, int(self.referral.value()))
        self.saved.emit("review_referrals", self.review_id)
