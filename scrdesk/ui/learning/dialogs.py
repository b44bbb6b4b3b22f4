"""Dialogs of learning that lands: a review's publication and its checklist steps, a
recommendation's impact, theme tags, newsletter issues and a briefing's web page.

Each shows the rules of `scrdesk.domain.rules.learning` beside the fields as the person types and
saves through the store (`publication`, `impact`, `themes`, `channels`), which refuses in the same
words.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.dates import format_stored
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import learning as rules
from scrdesk.store import channels, impact, publication, themes
from scrdesk.store.queries import today_for
from scrdesk.ui.attachments import AttachmentList
from scrdesk.ui.base import (
    Column,
    RowRole,
    RowsModel,
    confirm,
    make_button,
    record_table,
    show_error,
)
from scrdesk.ui.forms import CheckField, ChoiceField, DateField, NoteField, RecordDialog, TextField
from scrdesk.ui.rule_fields import as_invalid, rule_errors

GUIDANCE = "color: #555555;"


def _short(text: str | None, limit: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _guidance(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(GUIDANCE)
    return label


# -- publication -------------------------------------------------------------------------------

class PublicationRecordDialog(RecordDialog):
    """A review's web address, media handling, date published and removal date."""

    def __init__(self, store, review_id: int, parent: QWidget | None = None, *, read_only: bool = False):
        super().__init__("Publication", parent, read_only=read_only)
        self.store = store
        self.review_id = review_id
        record = publication.publication(store, review_id)
        months = store.settings().report_online_months
        form = self.form
        form.add_widget("Review", QLabel(f"<b>{html.escape(record['title'] or record['ref'] or '')}</b>"))
        self.published = form.add(DateField("Date published"))
        self.removal = form.add(DateField("Removal date"))
        self.removal_hint = form.add_widget("", _guidance(
            f"Left blank, it is the date published plus {months} months (the board's setting for how long a "
            f"report stays online). Reports stay online for at least {rules.MIN_ONLINE_MONTHS} months."))
        self.web_address = form.add(TextField("Web address", max_length=rules.PUBLICATION_LIMITS["web_address"],
                                              placeholder="https://…"))
        self.media = form.add(ChoiceField("Media handling", rules.MEDIA_APPROACHES, blank="\u2014 not recorded \u2014"))
        self.notes = form.add(NoteField("Notes", lines=3, max_length=rules.PUBLICATION_LIMITS["notes"]))
        statutory = [(label, record.get(column)) for column, label in (
            ("planned_publication_date", "Planned publication"), ("panel_sos_copy_date", "Copy to the Panel and SoS"),
            ("ofsted_copy_date", "Copy to Ofsted")) if record.get(column)]
        if statutory:
            form.add_widget("Statutory dates", _guidance("; ".join(
                f"{label} {format_stored(when)}" for label, when in statutory) + " (kept on the review's clocks)"))
        self.by_column = {"published_date": self.published, "removal_date": self.removal,
                          "web_address": self.web_address, "media_approach": self.media, "notes": self.notes}
        self.published.set_value(record.get("published_date"))
        self.removal.set_value(record.get("removal_date"))
        self.web_address.set_value(record.get("web_address"))
        self.media.set_value(record.get("media_approach"))
        self.notes.set_value(record.get("notes"))
        self.finish_setup()

    def record(self) -> dict:
        return {"web_address": self.web_address.value(), "media_approach": self.media.value(),
                "notes": self.notes.value(), "published_date": self.published.iso(),
                "removal_date": self.removal.iso()}

    def cross_check(self) -> dict:
        return rule_errors(publication.publication_problems(self.store, self.review_id, self.record()), self.by_column)

    def save(self) -> None:
        try:
            publication.save_publication(self.store, self.review_id, **self.record())
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("publications", self.review_id)


class StepDialog(RecordDialog):
    """One item of the publication checklist: done on / by / note, or not needed (with why)."""

    def __init__(self, store, review_id: int, item: str, parent: QWidget | None = None, *, read_only: bool = False):
        label = rules.PUBLICATION_ITEMS[item]
        super().__init__(label, parent, read_only=read_only)
        self.store = store
        self.review_id = review_id
        self.item = item
        step = next(s for s in publication.steps(store, review_id) if s["item"] == item)
        self.published = publication.publication(store, review_id)["published_date"]
        form = self.form
        form.add_widget("Step", QLabel(f"<b>{html.escape(label)}</b>"))
        self.done_date = form.add(DateField("Done on"))
        self.done_by = form.add(TextField("Done by", max_length=rules.STEP_LIMITS["done_by"]))
        self.not_needed = form.add(CheckField("Not needed", "This step is not needed for this review"))
        self.note = form.add(NoteField("Note", lines=3, max_length=rules.STEP_LIMITS["note"]))
        self.by_column = {"done_date": self.done_date, "done_by": self.done_by, "not_needed": self.not_needed,
                          "note": self.note}
        self.done_date.set_value(step["done_date"] or (None if step["id"] else today_for(store)))
        self.done_by.set_value(step["done_by"] or (None if step["id"] else store.user))
        self.not_needed.set_value(step["not_needed"])
        self.note.set_value(step["note"])
        self.finish_setup()

    def record(self) -> dict:
        return {"item": self.item, "done_date": self.done_date.iso(), "done_by": self.done_by.value(),
                "not_needed": bool(self.not_needed.value()), "note": self.note.value()}

    def cross_check(self) -> dict:
        return rule_errors(rules.step_problems(self.record(), published_date=self.published), self.by_column)

    def save(self) -> None:
        record = self.record()
        del record["item"]
        try:
            publication.save_step(self.store, self.review_id, self.item, **record)
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("publication_steps", self.review_id)


# -- a recommendation's impact ---------------------------------------------------------------

class ImpactDialog(RecordDialog):
    """From a recommendation to its impact: acceptance, outcome intended, assurance (methods,
    plan, evidence files), impact statement and closure by the sub group."""

    def __init__(self, store, recommendation_id: int, parent: QWidget | None = None, *, read_only: bool = False):
        super().__init__("Recommendation: impact", parent, read_only=read_only)
        self.store = store
        self.recommendation_id = recommendation_id
        record = impact.get_impact(store, recommendation_id)
        limits = rules.IMPACT_LIMITS
        form = self.form
        number = f"{record['number']}. " if record.get("number") else ""
        intro = QLabel(f"<b>{html.escape(record['ref'] or '')}</b> \u2014 {html.escape(number + _short(record['text'], 220))}")
        intro.setWordWrap(True)
        form.add_widget("Recommendation", intro)
        form.section("Accepted")
        self.acceptance = form.add(ChoiceField("Accepted", rules.ACCEPTANCE, blank="\u2014 not yet decided \u2014"))
        self.reason = form.add(TextField("Reason", max_length=limits["acceptance_reason"],
                                         placeholder="Why it was accepted in part, or not accepted"))
        self.accepted_date = form.add(DateField("Accepted on"))
        self.outcome = form.add(NoteField("Outcome intended", lines=2, max_length=limits["intended_outcome"]))
        form.section("Assurance")
        self.methods = {code: form.add(CheckField(label, "")) for code, label in rules.ASSURANCE_METHODS.items()}
        self.plan = form.add(NoteField("Assurance plan", lines=2, max_length=limits["assurance_plan"]))
        impact_column = self.add_column()
        impact_column.section("Impact and closure")
        self.statement = impact_column.add(NoteField("Impact statement", lines=5, max_length=limits["impact_statement"]))
        self.statement.editor.setPlaceholderText("What changed in practice, and what shows it")
        self.evidence = AttachmentList(store, impact.OWNER_KIND, pending=True, label="Assurance evidence")
        self.evidence.setMinimumHeight(110)
        impact_column.add_widget("Evidence", self.evidence)
        self.basis = impact_column.add(ChoiceField("Closed", rules.CLOSURE_BASES, blank="\u2014 open \u2014"))
        self.closed_date = impact_column.add(DateField("Closed on"))
        self.closed_by = impact_column.add(TextField("Closed by", max_length=limits["closed_by"],
                                                     placeholder="e.g. SCR Sub Group, 15 Jun 2017"))
        impact_column.add_widget("", _guidance(
            "Closing with evidence of impact needs an impact statement; attach what shows it (an audit, "
            "a case file review, a survey, practitioners' feedback)."))
        self.by_column = {"acceptance": self.acceptance, "acceptance_reason": self.reason,
                          "accepted_date": self.accepted_date, "intended_outcome": self.outcome,
                          "assurance_plan": self.plan, "impact_statement": self.statement,
                          "closure_basis": self.basis, "closed_date": self.closed_date, "closed_by": self.closed_by}
        self.evidence.attachments_changed.connect(self._on_form_edited)
        self.acceptance.set_value(record.get("acceptance"))
        self.reason.set_value(record.get("acceptance_reason"))
        self.accepted_date.set_value(record.get("accepted_date"))
        self.outcome.set_value(record.get("intended_outcome"))
        for code, box in self.methods.items():
            box.set_value(code in record["methods"])
        self.plan.set_value(record.get("assurance_plan"))
        self.statement.set_value(record.get("impact_statement"))
        self.basis.set_value(record.get("closure_basis"))
        self.closed_date.set_value(record.get("closed_date"))
        self.closed_by.set_value(record.get("closed_by"))
        self.evidence.set_owner(recommendation_id)
        self.evidence.set_read_only(read_only)
        self.finish_setup()

    def record(self) -> dict:
        return {"acceptance": self.acceptance.value(), "acceptance_reason": self.reason.value(),
                "accepted_date": self.accepted_date.iso(), "intended_outcome": self.outcome.value(),
                "assurance_methods": rules.join_methods(c for c, box in self.methods.items() if box.value()),
                "assurance_plan": self.plan.value(), "impact_statement": self.statement.value(),
                "closure_basis": self.basis.value(), "closed_date": self.closed_date.iso(),
                "closed_by": self.closed_by.value()}

    def cross_check(self) -> dict:
        return rule_errors(impact.impact_problems(self.record()), self.by_column)

    def save(self) -> None:
        try:
            impact.save_impact(self.store, self.recommendation_id, self.record(), self.evidence.pending_files())
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("recommendation_impact", self.recommendation_id)


# -- theme tags --------------------------------------------------------------------------------

class ThemesDialog(QDialog):
    """Tick the themes of one review, recommendation or briefing; add a theme of the partnership's
    own to the list."""

    def __init__(self, store, kind: str, record_id: int, what: str, parent: QWidget | None = None, *,
                 read_only: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Themes")
        self.setAccessibleName("Themes")
        self.store = store
        self.kind = kind
        self.record_id = record_id
        self.read_only = read_only
        heading = QLabel(f"Themes of <b>{html.escape(what)}</b>")
        heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Themes")
        self.new_label = QLineEdit()
        self.new_label.setAccessibleName("New theme")
        self.new_label.setPlaceholderText("A theme of your own")
        self.new_label.setMaxLength(rules.THEME_LIMITS["label"])
        self.add_button = make_button("Add to the list", name="Add the new theme to the list")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        adding = QHBoxLayout()
        adding.addWidget(self.new_label, 1)
        adding.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close if read_only
                                   else QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        if not read_only:
            layout.addLayout(adding)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.add_button.clicked.connect(self.add_theme)
        # Enter in the new theme's box adds it; the dialog must not take it as Save as well.
        self.new_label.installEventFilter(self)
        self._fill(set(themes.tag_ids(store, kind, record_id)))
        self.resize(420, 520)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if (watched is self.new_label and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.add_theme()
            return True
        return super().eventFilter(watched, event)

    def _fill(self, ticked: set[int]) -> None:
        self.list.clear()
        for theme in themes.theme_list(self.store, include_retired=True):
            if not theme["active"] and theme["id"] not in ticked:
                continue
            item = QListWidgetItem(theme["label"] + ("" if theme["active"] else " (retired)"))
            item.setData(Qt.ItemDataRole.UserRole, theme["id"])
            flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags if not self.read_only else flags & ~Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked if theme["id"] in ticked else Qt.CheckState.Unchecked)
            self.list.addItem(item)

    def ticked(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def add_theme(self) -> None:
        try:
            theme_id = themes.add_theme(self.store, self.new_label.text())
        except RuleBroken as refusal:
            self.problem.setText("New theme: " + "; ".join(refusal.problems.values()))
            return
        except ScrdeskError as error:
            show_error(self, error, "Themes")
            return
        self.problem.setText("")
        self.new_label.clear()
        self._fill({*self.ticked(), theme_id})

    def try_save(self) -> None:
        try:
            themes.set_tags(self.store, self.kind, self.record_id, self.ticked())
        except ScrdeskError as error:
            show_error(self, error, "Themes")
            return
        self.accept()


# -- newsletters and web pages -----------------------------------------------------------------

class _Ticks(QListWidget):
    """A list of records to tick (briefings or events a newsletter promoted)."""

    def __init__(self, name: str, rows: list[dict], date_key: str, ticked: list[int]):
        super().__init__()
        self.setAccessibleName(name)
        for row in rows:
            item = QListWidgetItem(f"{row['title']} ({format_stored(row[date_key])})")
            item.setToolTip(item.text())
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if row["id"] in ticked else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMinimumWidth(560)

    def ticked(self) -> list[int]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]


class IssueDialog(RecordDialog):
    """A newsletter issue: number, date, web address, notes, and the briefings and events it promoted."""

    def __init__(self, store, issue_id: int | None, parent: QWidget | None = None, *, read_only: bool = False,
                 briefing_id: int | None = None):
        super().__init__("Edit newsletter issue" if issue_id else "New newsletter issue", parent, read_only=read_only)
        self.store = store
        self.issue_id = issue_id
        issue = channels.get_issue(store, issue_id) if issue_id else {}
        if issue_id and issue is None:
            raise ScrdeskError(channels.ISSUE_GONE)
        form = self.form
        self.number = form.add(TextField("Issue number", required=True, max_length=rules.ISSUE_LIMITS["number"]))
        self.issue_date = form.add(DateField("Date of issue", required=True))
        self.web_address = form.add(TextField("Web address", max_length=rules.ISSUE_LIMITS["web_address"],
                                              placeholder="https://…"))
        self.notes = form.add(NoteField("Notes", lines=2, max_length=rules.ISSUE_LIMITS["notes"]))
        self.briefings = _Ticks("Briefings promoted", channels.briefing_choices(store), "issued_date",
                                issue.get("briefing_ids") or ([briefing_id] if briefing_id else []))
        self.events = _Ticks("Events promoted", channels.event_choices(store), "date", issue.get("event_ids") or [])
        self.briefings.setMaximumHeight(130)
        self.events.setMinimumHeight(240)
        form.add_widget("Briefings promoted", self.briefings)
        form.add_widget("Events promoted", self.events)
        self.briefings.itemChanged.connect(self._on_form_edited)
        self.by_column = {"number": self.number, "issue_date": self.issue_date, "web_address": self.web_address,
                          "notes": self.notes}
        self.number.set_value(issue.get("number"))
        self.issue_date.set_value(issue.get("issue_date"))
        self.web_address.set_value(issue.get("web_address"))
        self.notes.set_value(issue.get("notes"))
        self.finish_setup()

    def record(self) -> dict:
        return {"number": self.number.value(), "issue_date": self.issue_date.iso(),
                "web_address": self.web_address.value(), "notes": self.notes.value()}

    def cross_check(self) -> dict:
        found = channels.issue_problems(self.store, self.record(), self.briefings.ticked(), issue_id=self.issue_id)
        if "briefing_ids" in found:  # the list cannot show a message beside itself: the date can
            found.setdefault("issue_date", found.pop("briefing_ids"))
        return rule_errors(found, self.by_column)

    def save(self) -> None:
        try:
            self.issue_id = channels.save_issue(self.store, self.issue_id, self.record(),
                                                briefing_ids=self.briefings.ticked(), event_ids=self.events.ticked())
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("newsletter_issues", self.issue_id)


ISSUE_COLUMNS = (
    Column("number", "Issue"),
    Column("issue_date", "Date", display=lambda r: format_stored(r.get("issue_date"))),
    Column("briefings", "Briefings", align_right=True),
    Column("events", "Events", align_right=True),
    Column("promoted", "Promoted", tooltip=lambda r: r.get("promoted")),
)


class NewsletterIssuesDialog(QDialog):
    """The newsletter issues, newest first, with New, Edit and Delete."""

    def __init__(self, store, parent: QWidget | None = None, *, read_only: bool = False,
                 briefing_id: int | None = None):
        super().__init__(parent)
        self.setWindowTitle("Newsletter issues")
        self.setAccessibleName("Newsletter issues")
        self.store = store
        self.read_only = read_only
        self.briefing_id = briefing_id
        self.changed = False
        self.model = RowsModel(ISSUE_COLUMNS, self)
        self.view = record_table("Newsletter issues", self.model)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.new_button = make_button("New issue…", name="New newsletter issue")
        self.edit_button = make_button("Edit…", name="Edit the selected issue")
        self.delete_button = make_button("Delete…", name="Delete the selected issue")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
            button.setEnabled(not read_only)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(_guidance("Each issue of the partnership's newsletter, and the briefings and learning "
                                   "events it promoted; the annual report counts them."))
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.new_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.view.activated.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.refresh()
        self.resize(760, 420)

    def refresh(self) -> None:
        self.model.set_rows(channels.issues(self.store))
        self.view.resizeColumnsToContents()

    def current(self) -> dict | None:
        index = self.view.currentIndex()
        return self.model.data(index, RowRole) if index.isValid() else None

    def edit(self, issue_id: int | None) -> None:
        try:
            dialog = IssueDialog(self.store, issue_id, self, read_only=self.read_only, briefing_id=self.briefing_id)
        except ScrdeskError as error:
            show_error(self, error, "Newsletter issues")
            self.refresh()
            return
        if dialog.exec() and not self.read_only:
            self.changed = True
            self.refresh()

    def edit_selected(self, *_args) -> None:
        row = self.current()
        if row is not None:
            self.edit(row["id"])

    def delete_selected(self) -> None:
        row = self.current()
        if row is None or self.read_only:
            return
        if confirm(self, "Delete newsletter issue", f"Delete newsletter issue {row['number']}? The briefings "
                                                    "and events it promoted are kept."):
            try:
                channels.delete_issue(self.store, row["id"])
            except ScrdeskError as error:
                show_error(self, error, "Newsletter issues")
            self.changed = True
            self.refresh()


class WebPostDialog(RecordDialog):
    """A briefing's page on the partnership's website: address, on from, taken down on."""

    def __init__(self, store, briefing_id: int, post_id: int | None, parent: QWidget | None = None, *,
                 read_only: bool = False):
        super().__init__("Briefing on the website", parent, read_only=read_only)
        self.store = store
        self.briefing_id = briefing_id
        self.post_id = post_id
        post = next((p for p in channels.web_posts(store, briefing_id) if p["id"] == post_id), {})
        self.issued = channels.briefing_issued_date(store, briefing_id)
        form = self.form
        self.web_address = form.add(TextField("Web address", required=True,
                                              max_length=rules.WEB_POST_LIMITS["web_address"], placeholder="https://…"))
        self.posted = form.add(DateField("On the website from", required=True))
        self.removed = form.add(DateField("Taken down on"))
        self.by_column = {"web_address": self.web_address, "posted_date": self.posted, "removed_date": self.removed}
        self.web_address.set_value(post.get("web_address"))
        self.posted.set_value(post.get("posted_date") or self.issued)
        self.removed.set_value(post.get("removed_date"))
        self.finish_setup()

    def record(self) -> dict:
        return {"web_address": self.web_address.value(), "posted_date": self.posted.iso(),
                "removed_date": self.removed.iso()}

    def cross_check(self) -> dict:
        return rule_errors(rules.web_post_problems(self.record(), briefing_issued=self.issued), self.by_column)

    def save(self) -> None:
        try:
            self.post_id = channels.save_web_post(self.store, self.briefing_id, self.post_id, self.record())
        except RuleBroken as refusal:
            raise as_invalid(refusal, self.by_column) from refusal
        self.saved.emit("briefing_web_posts", self.post_id)
