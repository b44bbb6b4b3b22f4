"""The Sub group tab's dialogs: one form per record (member, chair, terms of reference version,
escalation, reviewer, commission, cost, budget, contribution), a meeting's attendance by agency,
a health check's answers, and an action arising from a health check. Every dialog saves through
`store/governance.py` or `store/reviewers.py` and shows a refusal beside its field."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtWidgets import QLabel, QWidget

from scrdesk.domain import limits
from scrdesk.domain.dates import format_stored
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import actions as action_rules
from scrdesk.domain.rules import governance as rules
from scrdesk.store import governance, reviewers
from scrdesk.store.agencies import agency_choices
from scrdesk.store.attachments import read_attachment_file
from scrdesk.store.reviews import review_choices
from scrdesk.ui.attachments import ask_open_files
from scrdesk.ui.base import make_button, show_error
from scrdesk.ui.forms import (
    CheckField,
    ChoiceField,
    DateField,
    Field,
    NoteField,
    RecordDialog,
    TextField,
)
from scrdesk.ui.rule_fields import as_invalid, rule_errors


def _agencies(store) -> dict[str, str]:
    return {str(a["id"]): a["name"] for a in agency_choices(store)}


def _reviews(store) -> dict[str, str]:
    return {str(r["id"]): r["title"] for r in review_choices(store)}


def _amount_text(text: str | None) -> str | None:
    """What was typed as an amount, without the pound sign and thousands commas (the rules say
    when what is left is not a number)."""
    return text.replace("\u00a3", "").replace(",", "").strip() or None if text else None


class _Kind:
    """How one Field reads and writes its column."""

    ID = "id"          # a choice of ids: stored as an int
    TEXT = "text"
    DATE = "date"
    AMOUNT = "amount"
    FLAG = "flag"


class FormDialog(RecordDialog):
    """A record dialog built from `(column, kind, field)` triples, checked by `problems` as the
    person types and saved by `save_fn(store, row_id, record) -> id`."""

    table = ""
    what = ""

    def __init__(self, store, row_id: int | None, parent: QWidget | None, *, fields: list[tuple[str, str, Field]],
                 problems: Callable[[Mapping[str, object]], dict], save_fn: Callable, defaults: Mapping | None = None,
                 read_only: bool = False):
        super().__init__(f"Edit {self.what}" if row_id else f"New {self.what}", parent, read_only=read_only)
        self.store = store
        self.row_id = row_id
        self._problems = problems
        self._save_fn = save_fn
        self.kinds = {column: kind for column, kind, _field in fields}
        self.by_column = {column: field for column, _kind, field in fields}
        for _column, _kind, field in fields:
            self.form.add(field)
        stored = governance.get_record(store, self.table, row_id) if row_id else dict(defaults or {})
        if row_id and stored is None:
            raise ScrdeskError(governance.GONE)
        self.stored = stored
        for column, kind, field in fields:
            value = stored.get(column)
            if kind == _Kind.ID:
                field.set_value(str(value) if value is not None else None)
            elif kind == _Kind.AMOUNT:
                field.set_value(f"{value:.2f}" if isinstance(value, (int, float)) else value)
            elif kind == _Kind.FLAG:
                field.set_value(bool(value))
            else:
                field.set_value(value)
        self.finish_setup()

    def record(self) -> dict:
        record = {}
        for column, kind in self.kinds.items():
            field = self.by_column[column]
            value = field.value()
            if kind == _Kind.ID:
                value = int(value) if value else None
            elif kind == _Kind.DATE:
                value = field.iso()
            elif kind == _Kind.AMOUNT:
                value = _amount_text(value)
            elif kind == _Kind.FLAG:
                value = int(bool(value))
            record[column] = value
        return record

    def cross_check(self) -> dict:
        return rule_errors(self._problems({**self.stored, **self.record()}), self.by_column)

    def save(self) -> None:
        try:
            self.row_id = self._save_fn(self.store, self.row_id, self.record())
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit(self.table, self.row_id)


def _name(label: str = "Name", limit: int = limits.NAME, **kwargs) -> TextField:
    return TextField(label, max_length=limit, **kwargs)


class MemberDialog(FormDialog):
    table, what = "members", "member"

    def __init__(self, store, row_id=None, parent=None, **kwargs):
        super().__init__(store, row_id, parent, problems=rules.member_problems, save_fn=governance.save_member, fields=[
            ("agency_id", _Kind.ID, ChoiceField("Agency", _agencies(store), required=True)),
            ("name", _Kind.TEXT, _name(required=True, placeholder="Name or role title")),
            ("role", _Kind.TEXT, _name("Role", placeholder="e.g. Head of Safeguarding")),
            ("deputy_name", _Kind.TEXT, _name("Deputy")),
            ("from_date", _Kind.DATE, DateField("From")),
            ("to_date", _Kind.DATE, DateField("To")),
            ("notes", _Kind.TEXT, NoteField("Notes", lines=3, max_length=rules.MEMBER_LIMITS["notes"])),
        ], **kwargs)


class ChairDialog(FormDialog):
    table, what = "chairs", "chair"

    def __init__(self, store, row_id=None, parent=None, **kwargs):
        super().__init__(store, row_id, parent, problems=rules.chair_problems, save_fn=governance.save_chair, fields=[
            ("name", _Kind.TEXT, _name(required=True)),
            ("role", _Kind.TEXT, _name("Role", placeholder="e.g. Strategic Manager, Safeguarding and QA")),
            ("agency_id", _Kind.ID, ChoiceField("Agency", _agencies(store))),
            ("interim", _Kind.FLAG, CheckField("Interim", "An interim arrangement")),
            ("from_date", _Kind.DATE, DateField("From", required=True)),
            ("to_date", _Kind.DATE, DateField("To")),
            ("notes", _Kind.TEXT, NoteField("Notes", lines=3, max_length=rules.CHAIR_LIMITS["notes"])),
        ], **kwargs)


class TermsOfReferenceDialog(FormDialog):
    """A version of the terms of reference; "Add document…" keeps the approved document with it."""

    table, what = "terms_of_reference", "terms of reference"

    def __init__(self, store, row_id=None, parent=None, **kwargs):
        self.files: list[dict] = []
        super().__init__(store, row_id, parent, problems=rules.terms_of_reference_problems,
                         save_fn=self._save_with_files, fields=[
            ("version", _Kind.TEXT, _name("Version", limits.SHORT_NAME, required=True)),
            ("approved_date", _Kind.DATE, DateField("Approved on", required=True)),
            ("next_review_date", _Kind.DATE, DateField("Next review due")),
            ("notes", _Kind.TEXT, NoteField("Notes", lines=3, max_length=rules.TOR_LIMITS["notes"])),
        ], **kwargs)
        kept = governance.tor_documents(store, row_id) if row_id else []
        self.documents = QLabel(", ".join(d["file_name"] for d in kept) or "None kept yet")
        self.documents.setAccessibleName("Documents kept")
        self.form.add_widget("Documents", self.documents)
        if not self.read_only:
            add = make_button("Add document\u2026", "Keep the approved terms of reference with this version")
            add.clicked.connect(self.add_document)
            self.form.add_widget("", add)

    def add_document(self) -> None:
        for path in ask_open_files(self, "Terms of reference document"):
            try:
                self.files.append(read_attachment_file(path, "Document"))
            except ScrdeskError as refusal:
                show_error(self, refusal)
                return
        names = [f["file_name"] for f in self.files]
        if names:
            self.documents.setText(", ".join(names) + " (kept when saved)")
            self.dirty = True

    def _save_with_files(self, store, row_id, record):
        return governance.save_terms_of_reference(store, row_id, record, self.files)


class EscalationDialog(FormDialog):
    """An escalation: raised by whom, to whom, when, about what (an overdue action or a review,
    chosen from the list), its outcome and when it closed."""

    table, what = "escalations", "escalation"

    def __init__(self, store, row_id=None, parent=None, *, defaults=None, **kwargs):
        today = store.settings().today()
        self.concerns = ChoiceField("Concerns", governance.escalation_choices(store, today),
                                    blank="\u2014 nothing in particular \u2014")
        super().__init__(store, row_id, parent, problems=rules.escalation_problems,
                         save_fn=governance.save_escalation,
                         # Like an action update's author: whoever is signed in raised it, unless changed.
                         defaults={"raised_date": today.isoformat(), "raised_by": store.user,
                                   **(defaults or {})}, fields=[
            ("raised_date", _Kind.DATE, DateField("Raised on", required=True)),
            ("raised_by", _Kind.TEXT, _name("Raised by", required=True, placeholder="e.g. Project officer")),
            ("to_whom", _Kind.TEXT,
             ChoiceField("Escalated to", rules.ESCALATE_TO, required=True)),
            ("subject", _Kind.TEXT, TextField("Subject", max_length=rules.ESCALATION_LIMITS["subject"],
                                              required=True)),
            ("concerns", _Kind.TEXT, self.concerns),
            ("outcome", _Kind.TEXT, NoteField("Outcome", lines=3, max_length=rules.ESCALATION_LIMITS["outcome"])),
            ("closed_date", _Kind.DATE, DateField("Closed on")),
        ], **kwargs)
        for kind in ("action", "review"):
            if self.stored.get(f"{kind}_id"):
                self.concerns.set_value(f"{kind}:{self.stored[f'{kind}_id']}")
        self.dirty = False

    def concern(self, key: str, words: str) -> None:
        """Offer (and choose) one record the escalation is about, first in the list."""
        others = {k: v for k, v in governance.escalation_choices(self.store).items() if k != key}
        self.concerns.set_choices({key: words, **others}, keep=key)
        self.dirty = False

    def record(self) -> dict:
        record = super().record()
        kind, _, row = (record.pop("concerns") or "").partition(":")
        record["action_id"] = int(row) if kind == "action" else None
        record["review_id"] = int(row) if kind == "review" else None
        return record


def _save_health_check(store, row_id, record):
    if row_id:
        governance.update_health_check(store, row_id, record)
        return row_id
    return governance.create_health_check(store, record)


class NewHealthCheckDialog(FormDialog):
    """A health check's date and notes; a new one gets every question of the set, unanswered."""

    table, what = "health_checks", "health check"

    def __init__(self, store, row_id=None, parent=None, **kwargs):
        super().__init__(store, row_id, parent, problems=rules.health_check_problems, save_fn=_save_health_check,
                         defaults={"date": store.settings().today().isoformat()}, fields=[
            ("date", _Kind.DATE, DateField("Date", required=True)),
            ("notes", _Kind.TEXT, NoteField("Notes", lines=4, max_length=rules.HEALTH_CHECK_LIMITS["notes"])),
        ], **kwargs)


class ActionEscalationDialog(EscalationDialog):
    """"Escalate…" on an action: the escalation logged against it and the action marked escalated
    (on, to whom) in one step."""

    def __init__(self, store, action_id: int, parent=None):
        action = governance.action_for_escalation(store, action_id)
        self.action_id = action_id
        super().__init__(store, None, parent, defaults={"subject": action["subject"]})
        self.concern(f"action:{action_id}", action["words"])

    def save(self) -> None:
        record = {k: v for k, v in self.record().items() if k not in ("action_id", "review_id")}
        try:
            self.row_id = governance.escalate_action(self.store, self.action_id, record)
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("escalations", self.row_id)


class ReviewEscalationDialog(EscalationDialog):
    """"Escalate…" on a review (late, or at risk): the escalation logged against it in one step."""

    def __init__(self, store, review_id: int, parent=None):
        review = governance.review_for_escalation(store, review_id)
        self.review_id = review_id
        super().__init__(store, None, parent, defaults={"subject": review["subject"]})
        self.concern(f"review:{review_id}", review["words"])

    def save(self) -> None:
        record = {k: v for k, v in self.record().items() if k not in ("action_id", "review_id")}
        try:
            self.row_id = governance.escalate_review(self.store, self.review_id, record)
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("escalations", self.row_id)


class ReviewerDialog(FormDialog):
    table, what = "reviewers", "reviewer"

    def __init__(self, store, row_id=None, parent=None, **kwargs):
        super().__init__(store, row_id, parent, problems=rules.reviewer_problems, save_fn=reviewers.save_reviewer,
                         defaults={"active": 1}, fields=[
            ("name", _Kind.TEXT, _name(required=True)),
            ("organisation", _Kind.TEXT, _name("Organisation")),
            ("methodologies", _Kind.TEXT, TextField("Methodologies", max_length=limits.LINE,
                                                    placeholder="e.g. Welsh CPR, SILP, Learning Together")),
            ("active", _Kind.FLAG, CheckField("Available", "Offered for new commissions")),
            ("notes", _Kind.TEXT, NoteField("Notes", lines=3, max_length=rules.REVIEWER_LIMITS["notes"])),
        ], **kwargs)


class CommissionDialog(FormDialog):
    table, what = "commissions", "commission"

    def __init__(self, store, row_id=None, parent=None, **kwargs):
        people = {str(r["id"]): r["name"] for r in reviewers.reviewers(store)}
        super().__init__(store, row_id, parent, problems=rules.commission_problems,
                         save_fn=reviewers.save_commission, fields=[
            ("review_id", _Kind.ID, ChoiceField("Review", _reviews(store), required=True)),
            ("reviewer_id", _Kind.ID, ChoiceField("Reviewer", people, required=True)),
            ("role", _Kind.TEXT, ChoiceField("Role", rules.COMMISSION_ROLES, blank=None, required=True)),
            ("agreed_date", _Kind.DATE, DateField("Agreed on")),
            ("agreed_days", _Kind.AMOUNT, TextField("Agreed days", max_length=12)),
            ("day_rate", _Kind.AMOUNT, TextField("Day rate (\u00a3)", max_length=12)),
            ("fee", _Kind.AMOUNT, TextField("Fee (\u00a3)", max_length=14,
                                            hint="blank: the days times the day rate")),
            ("notes", _Kind.TEXT, NoteField("Notes", lines=3, max_length=rules.COMMISSION_LIMITS["notes"])),
        ], **kwargs)


class CostDialog(FormDialog):
    table, what = "review_costs", "cost"

    def __init__(self, store, row_id=None, parent=None, **kwargs):
        super().__init__(store, row_id, parent, problems=rules.cost_problems, save_fn=reviewers.save_cost,
                         defaults={"date": store.settings().today().isoformat()}, fields=[
            ("review_id", _Kind.ID, ChoiceField("Review", _reviews(store), required=True)),
            ("kind", _Kind.TEXT, ChoiceField("Kind", rules.COST_KINDS, blank=None, required=True)),
            ("date", _Kind.DATE, DateField("Date", required=True)),
            ("amount", _Kind.AMOUNT, TextField("Amount (\u00a3)", max_length=14, required=True)),
            ("note", _Kind.TEXT, TextField("Note", max_length=rules.COST_LIMITS["note"])),
        ], **kwargs)


class BudgetDialog(FormDialog):
    table, what = "budgets", "budget"

    def __init__(self, store, row_id=None, parent=None, **kwargs):
        super().__init__(store, row_id, parent, problems=rules.budget_problems, save_fn=reviewers.save_budget, fields=[
            ("year", _Kind.TEXT, TextField("Year", max_length=4, required=True,
                                           hint="the year the reporting year starts in, e.g. 2016 for 2016-17")),
            ("amount", _Kind.AMOUNT, TextField("Budget (\u00a3)", max_length=14, required=True)),
            ("notes", _Kind.TEXT, NoteField("Notes", lines=3, max_length=rules.BUDGET_LIMITS["notes"])),
        ], **kwargs)

    def record(self) -> dict:
        record = super().record()
        year = record.get("year")
        record["year"] = int(year) if isinstance(year, str) and year.isdigit() else year
        return record


class ContributionDialog(FormDialog):
    table, what = "budget_contributions", "contribution"

    def __init__(self, store, row_id=None, parent=None, *, budget_id: int | None = None, **kwargs):
        super().__init__(store, row_id, parent, problems=rules.contribution_problems,
                         save_fn=reviewers.save_contribution, defaults={"budget_id": budget_id}, fields=[
            ("agency_id", _Kind.ID, ChoiceField("Agency", _agencies(store), required=True)),
            ("amount", _Kind.AMOUNT, TextField("Amount (\u00a3)", max_length=14, required=True)),
            ("note", _Kind.TEXT, TextField("Note", max_length=rules.CONTRIBUTION_LIMITS["note"])),
        ], **kwargs)

    def record(self) -> dict:
        return {**super().record(), "budget_id": self.stored.get("budget_id")}


class AttendanceDialog(RecordDialog):
    """A meeting's attendance: one choice per agency (blank: not expected at this meeting)."""

    def __init__(self, store, meeting_id: int, parent: QWidget | None = None, *, read_only: bool = False):
        meeting = governance.get_record(store, "meetings", meeting_id)
        if meeting is None:
            raise ScrdeskError(governance.GONE)
        super().__init__(f"Attendance \u2013 meeting of {format_stored(meeting['date'])}", parent,
                         read_only=read_only)
        self.store = store
        self.meeting_id = meeting_id
        current = {r["agency_id"]: r for r in governance.attendance(store, meeting_id)}
        self.rows: dict[int, tuple[ChoiceField, TextField]] = {}
        half = (len(agency_choices(store)) + 1) // 2
        column = self.form
        for n, agency in enumerate(agency_choices(store)):
            if n == half:
                column = self.add_column()
            status = column.add(ChoiceField(agency["name"], rules.ATTENDANCE, blank="\u2014 not expected \u2014"))
            who = column.add(TextField(f"{agency['short_name'] or agency['name']}: who came",
                                       max_length=rules.ATTENDANCE_LIMITS["attendee"]))
            row = current.get(agency["id"], {})
            status.set_value(row.get("status"))
            who.set_value(row.get("attendee"))
            self.rows[agency["id"]] = (status, who)
        quorum = store.settings().quorum_agencies
        self.form.add_widget("", QLabel(f"Quorate with {quorum} or more agencies present or sending a deputy."))
        self.finish_setup()

    def save(self) -> None:
        governance.set_attendance(self.store, self.meeting_id, [
            {"agency_id": agency_id, "status": status.value(), "attendee": who.value()}
            for agency_id, (status, who) in self.rows.items() if status.value()])
        self.saved.emit("meeting_attendance", self.meeting_id)


class HealthCheckDialog(RecordDialog):
    """Answer a health check: each question's RAG rating and comment (a Red or Amber says why)."""

    def __init__(self, store, check_id: int, parent: QWidget | None = None, *, read_only: bool = False):
        check = governance.get_record(store, "health_checks", check_id)
        if check is None:
            raise ScrdeskError(governance.GONE)
        super().__init__(f"Health check of {format_stored(check['date'])}", parent, read_only=read_only)
        self.store = store
        self.check_id = check_id
        self.rows: dict[str, tuple[ChoiceField, NoteField]] = {}
        area = None
        for answer in governance.health_check_answers(store, check_id):
            if answer["area"] != area:
                area = answer["area"]
                self.form.section(area)
            text = QLabel(f"{answer['code']}: {answer['question']}")
            text.setWordWrap(True)
            text.setMinimumWidth(560)
            self.form.add_widget("", text)
            rag = self.form.add(ChoiceField(f"{answer['code']} RAG", rules.RAG, blank="\u2014 not answered \u2014"))
            comment = self.form.add(NoteField(f"{answer['code']} comment", lines=2,
                                              max_length=rules.ANSWER_LIMITS["comment"]))
            rag.set_value(answer["rag"])
            comment.set_value(answer["comment"])
            self.rows[answer["code"]] = (rag, comment)
        self.finish_setup()

    def cross_check(self) -> dict:
        found = {}
        for code, (rag, comment) in self.rows.items():
            problems = rules.answer_problems({"code": code, "rag": rag.value(), "comment": comment.value()})
            found.update(rule_errors(problems, {"rag": rag, "comment": comment}))
        return found

    def save(self) -> None:
        governance.answer_health_check(self.store, self.check_id, {
            code: {"rag": rag.value(), "comment": comment.value()} for code, (rag, comment) in self.rows.items()})
        self.saved.emit("health_checks", self.check_id)


class HealthCheckActionDialog(RecordDialog):
    """An action arising from a health check: it joins the sub group's own plan (no review), with
    the action plan's rules."""

    def __init__(self, store, check_id: int, parent: QWidget | None = None):
        super().__init__("New action arising", parent)
        self.store = store
        self.check_id = check_id
        self.action_id: int | None = None
        form = self.form
        self.text = form.add(NoteField("Action", lines=3, max_length=action_rules.LIMITS["text"], required=True))
        self.agency = form.add(ChoiceField("Agency", _agencies(store)))
        self.lead = form.add(TextField("Lead officer", max_length=action_rules.LIMITS["lead_officer"]))
        self.target = form.add(DateField("Target date"))
        self.by_column = {"text": self.text, "agency_id": self.agency, "lead_officer": self.lead,
                          "target_date": self.target}
        self.finish_setup()

    def record(self) -> dict:
        return {"text": self.text.value(), "agency_id": int(self.agency.value()) if self.agency.value() else None,
                "lead_officer": self.lead.value(), "target_date": self.target.iso(),
                "agreed_date": self.store.settings().today().isoformat()}

    def save(self) -> None:
        try:
            self.action_id = governance.add_health_check_action(self.store, self.check_id, self.record())
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("actions", self.action_id)
