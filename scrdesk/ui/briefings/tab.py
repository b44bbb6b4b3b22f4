"""The briefings tab: the list of 6-step and 7-minute briefings; an editor over the template's
sections with its guidance prompts; learning themes; status, dates and version; and the
dissemination table, one row per agency, with feedback and its evidence.

Templates are data (`scrdesk.domain.templates`); a briefing's sections are stored by key and
position in `briefing_sections`, so a changed template never loses what was written.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain import values
from scrdesk.domain.dates import format_date
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.rag import rag_for_deadline
from scrdesk.domain.templates import REFLECTION_KEY, Template, load_template, template_codes
from scrdesk.store.queries import today_for
from scrdesk.ui.attachments import AttachmentList, add_attachment
from scrdesk.ui.base import Column, RowsModel, Tab, confirm, make_button, record_table, show_error
from scrdesk.ui.forms import (
    ChoiceField,
    DateField,
    NoteField,
    NumberField,
    RecordDialog,
    TextField,
)

GUIDANCE_STYLE = "color: #555555; font-style: italic;"


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _fmt(text: str | None) -> str:
    return format_date(_d(text))


def template_or_none(code: str | None) -> Template | None:
    try:
        return load_template(code or "six_step")
    except ScrdeskError:
        return None


def template_name(code: str | None) -> str:
    template = template_or_none(code)
    return template.name if template else (code or "")


# -- queries and writes ----------------------------------------------------------------------

def briefing_rows(store) -> list[dict]:
    rows = store.rows(
        "SELECT b.*, rv.title AS review_title, "
        "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id AND d.sent_date IS NOT NULL) AS sent, "
        "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id "
        " AND d.feedback_received_date IS NOT NULL) AS received "
        "FROM briefings b JOIN reviews rv ON rv.id = b.review_id ORDER BY rv.title, b.id")
    for row in rows:
        row["template_name"] = template_name(row["template"])
        row["status_label"] = values.label(values.BRIEFING_STATUSES, row["status"])
        row["feedback"] = f"{row['received']} of {row['sent']}" if row["sent"] else "Not sent"
    return rows


@dataclass
class SectionText:
    position: int
    key: str | None
    title: str
    body: str


def editor_sections(store, briefing: dict) -> list[tuple[SectionText, str]]:
    """(section, guidance) in template order; stored sections the template lacks come after."""
    stored = store.rows("SELECT * FROM briefing_sections WHERE briefing_id = ? ORDER BY position, id",
                        [briefing["id"]])
    by_key = {s["key"]: s for s in stored if s["key"]}
    template = template_or_none(briefing["template"])
    out: list[tuple[SectionText, str]] = []
    used = set()
    if template is not None:
        keys = [(s.key, template.numbered_title(s.key), s.title, s.guidance) for s in template.sections]
        if template.reflection_questions:
            keys.append((REFLECTION_KEY, "Questions for reflection", "Questions for reflection",
                         "One question per line; these are the template's own until you change them."))
        for key, _numbered, title, guidance in keys:
            row = by_key.get(key)
            used.add(key)
            if row is not None:
                out.append((SectionText(row["position"], key, row["title"], row["body"]), guidance))
            else:
                body = "\n".join(template.reflection_questions) if key == REFLECTION_KEY else ""
                out.append((SectionText(len(out) + 1, key, title, body), guidance))
    for row in stored:
        if row["key"] in used:
            continue
        out.append((SectionText(row["position"], row["key"], row["title"], row["body"]), ""))
    for position, (section, _guidance) in enumerate(out, start=1):
        section.position = position
    return out


def create_briefing(store, review_id: int, template_code: str, title: str | None) -> int:
    template = load_template(template_code)
    with store.transaction():
        briefing_id = store.insert("briefings", {"review_id": review_id, "template": template_code,
                                                 "title": title, "status": "draft", "version": 1})
        sections = [{"briefing_id": briefing_id, "position": n, "key": s.key, "title": s.title, "body": ""}
                    for n, s in enumerate(template.sections, start=1)]
        if template.reflection_questions:
            sections.append({"briefing_id": briefing_id, "position": len(sections) + 1, "key": REFLECTION_KEY,
                             "title": "Questions for reflection",
                             "body": "\n".join(template.reflection_questions)})
        store.insert_many("briefing_sections", sections)
    return briefing_id


def save_briefing(store, briefing_id: int, *, title: str | None, learning_themes: str | None,
                  status: str, approved_date: str | None, issued_date: str | None,
                  sections: list[SectionText]) -> tuple[int, bool]:
    """Write the briefing and its sections in one transaction; (version, bumped).

    Editing the words of an issued briefing makes a new version: agencies hold the old one.
    """
    if status == "issued" and not issued_date:
        raise InvalidValue("Issued on", None, "is required for an issued briefing")
    if status == "approved" and not approved_date:
        raise InvalidValue("Approved on", None, "is required for an approved briefing")
    if approved_date and issued_date and issued_date < approved_date:
        raise InvalidValue("Issued on", _fmt(issued_date), f"is before it was approved ({_fmt(approved_date)})")
    with store.transaction():
        current = store.get("briefings", briefing_id)
        if current is None:
            raise ScrdeskError("That briefing is no longer in the data file.")
        stored = {(s["key"], s["position"]): s for s in store.rows(
            "SELECT * FROM briefing_sections WHERE briefing_id = ?", [briefing_id])}
        by_key = {key: s for (key, _p), s in stored.items() if key}
        words_changed = (title or None) != (current["title"] or None) or \
            (learning_themes or None) != (current["learning_themes"] or None)
        for section in sections:
            row = by_key.get(section.key) if section.key else stored.get((None, section.position))
            if row is None:
                if section.body.strip():
                    words_changed = True
                store.insert("briefing_sections", {"briefing_id": briefing_id, "position": section.position,
                                                   "key": section.key, "title": section.title, "body": section.body})
                continue
            changes = {}
            if row["body"] != section.body or row["title"] != section.title:
                words_changed = True
                changes |= {"body": section.body, "title": section.title}
            if row["position"] != section.position:
                changes["position"] = section.position
            if changes:
                store.update("briefing_sections", row["id"], changes)
        bump = words_changed and current["status"] == "issued"
        version = int(current["version"] or 1) + (1 if bump else 0)
        store.update("briefings", briefing_id, {
            "title": title, "learning_themes": learning_themes, "status": status,
            "approved_date": approved_date, "issued_date": issued_date, "version": version})
    return version, bump


def dissemination_rows(store, briefing_id: int, today: date) -> list[dict]:
    rows = store.rows(
        "SELECT d.*, ag.name AS agency_name, coalesce(ag.short_name, ag.name) AS agency_short, "
        "(SELECT count(*) FROM attachments a WHERE a.owner_kind = 'dissemination' AND a.owner_id = d.id) "
        "AS evidence FROM disseminations d JOIN agencies ag ON ag.id = d.agency_id "
        "WHERE d.briefing_id = ? ORDER BY ag.name", [briefing_id])
    for row in rows:
        if row["sent_date"] is None:
            row["rag"] = None
        else:
            row["rag"] = rag_for_deadline(_d(row["feedback_due_date"]), _d(row["feedback_received_date"]),
                                          today, what="feedback")
    return rows


def feedback_due(store, sent: date) -> date:
    return sent + timedelta(days=store.settings().feedback_period_days)


def send_to_all_active(store, briefing_id: int, sent: date) -> int:
    """A sent row for every active agency not yet sent the briefing; how many were sent."""
    due = feedback_due(store, sent).isoformat()
    count = 0
    with store.transaction():
        have = {r["agency_id"]: r for r in store.rows(
            "SELECT id, agency_id, sent_date FROM disseminations WHERE briefing_id = ?", [briefing_id])}
        for agency in store.rows("SELECT id FROM agencies WHERE active = 1 ORDER BY name"):
            existing = have.get(agency["id"])
            if existing is None:
                store.insert("disseminations", {"briefing_id": briefing_id, "agency_id": agency["id"],
                                                "sent_date": sent.isoformat(), "feedback_due_date": due})
                count += 1
            elif existing["sent_date"] is None:
                store.update("disseminations", existing["id"], {"sent_date": sent.isoformat(),
                                                                "feedback_due_date": due})
                count += 1
    return count


def agencies_to_send(store, briefing_id: int) -> int:
    return int(store.scalar(
        "SELECT count(*) FROM agencies ag WHERE ag.active = 1 AND NOT EXISTS (SELECT 1 FROM disseminations d "
        "WHERE d.briefing_id = ? AND d.agency_id = ag.id AND d.sent_date IS NOT NULL)", [briefing_id]) or 0)


def delete_briefing(store, briefing_id: int) -> None:
    with store.transaction():
        store.db.execute("DELETE FROM attachments WHERE owner_kind = 'dissemination' AND owner_id IN "
                         "(SELECT id FROM disseminations WHERE briefing_id = ?)", [briefing_id])
        store.db.execute("DELETE FROM attachments WHERE owner_kind = 'briefing' AND owner_id = ?", [briefing_id])
        store.delete("briefings", briefing_id)


def delete_dissemination(store, dissemination_id: int) -> None:
    with store.transaction():
        store.db.execute("DELETE FROM attachments WHERE owner_kind = 'dissemination' AND owner_id = ?",
                         [dissemination_id])
        store.delete("disseminations", dissemination_id)


# -- dialogs ---------------------------------------------------------------------------------

class NewBriefingDialog(RecordDialog):
    """Start a briefing of a review from a template; its sections are created empty."""

    def __init__(self, store, parent: QWidget | None = None, *, review_id: int | None = None):
        super().__init__("New briefing", parent)
        self.store = store
        self.briefing_id: int | None = None
        reviews = {str(r["id"]): r["title"] for r in store.rows("SELECT id, title FROM reviews ORDER BY title")}
        templates = {code: template_name(code) for code in template_codes()}
        self.review = self.form.add(ChoiceField("Review", reviews, required=True))
        self.template = self.form.add(ChoiceField("Template", templates, blank=None, required=True))
        self.title_field = self.form.add(TextField("Title", max_length=300,
                                                   placeholder="e.g. Learning from the Child D review"))
        self.review.set_value(str(review_id) if review_id else None)
        self.template.set_value("six_step" if "six_step" in templates else next(iter(templates), None))
        self.resize(520, 260)
        self.finish_setup()

    def save(self) -> None:
        self.briefing_id = create_briefing(self.store, int(self.review.value()), self.template.value(),
                                           self.title_field.value())
        self.saved.emit("briefings", self.briefing_id)


class DisseminationDialog(RecordDialog):
    """One agency's copy of a briefing: when it was sent, the feedback and its evidence."""

    def __init__(self, store, briefing_id: int, dissemination_id: int | None = None,
                 parent: QWidget | None = None, *, read_only: bool = False):
        super().__init__("Dissemination", parent, read_only=read_only)
        self.store = store
        self.briefing_id = briefing_id
        self.dissemination_id = dissemination_id
        row = store.get("disseminations", dissemination_id) if dissemination_id else {}
        if dissemination_id and row is None:
            raise ScrdeskError("That dissemination record is no longer in the data file.")
        taken = {r["agency_id"] for r in store.rows(
            "SELECT agency_id FROM disseminations WHERE briefing_id = ?", [briefing_id])}
        agencies = {str(a["id"]): a["name"] for a in store.rows("SELECT id, name, active FROM agencies ORDER BY name")
                    if a["id"] == row.get("agency_id") or (a["active"] and a["id"] not in taken)}
        period = store.settings().feedback_period_days
        form = self.form
        self.agency = form.add(ChoiceField("Agency", agencies, required=True))
        self.sent = form.add(DateField("Sent on"))
        self.due = form.add(DateField("Feedback due"))
        due_hint = QLabel(f"Left blank, feedback is due {period} days after sending.")
        due_hint.setStyleSheet(GUIDANCE_STYLE)
        form.add_widget("", due_hint).setAccessibleName("Feedback due rule")
        self.received = form.add(DateField("Feedback received"))
        self.teams = form.add(TextField("Teams briefed", max_length=1000,
                                        placeholder="e.g. Health visiting north and south; school nurses"))
        self.staff = form.add(NumberField("Staff reached", maximum=1000000))
        self.note = form.add(NoteField("Note", lines=3))
        self.evidence = AttachmentList(store, "dissemination", pending=True)
        self.evidence.setMinimumHeight(110)
        form.add_widget("Evidence", self.evidence)
        self.evidence.attachments_changed.connect(self._on_form_edited)

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

    def cross_check(self) -> dict:
        found = {}
        if self.received.value() and not self.sent.value():
            found[self.sent] = "is required once feedback has been received"
        if self.sent.value() and self.received.value() and self.received.value() < self.sent.value():
            found[self.received] = "is before the briefing was sent"
        if self.sent.value() and self.due.value() and self.due.value() < self.sent.value():
            found[self.due] = "is before the briefing was sent"
        return found

    def save(self) -> None:
        sent = self.sent.value()
        due = self.due.value() or (feedback_due(self.store, sent) if sent else None)
        record = {
            "sent_date": self.sent.iso(),
            "feedback_due_date": due.isoformat() if due else None,
            "feedback_received_date": self.received.iso(),
            "teams_briefed": self.teams.value(),
            "staff_reached": self.staff.value(),
            "note": self.note.value(),
        }
        with self.store.transaction():
            if self.dissemination_id:
                self.store.update("disseminations", self.dissemination_id, record)
            else:
                record |= {"briefing_id": self.briefing_id, "agency_id": int(self.agency.value())}
                self.dissemination_id = self.store.insert("disseminations", record)
            for values_ in self.evidence.pending_files():
                add_attachment(self.store, "dissemination", self.dissemination_id, values_)
        self.saved.emit("disseminations", self.dissemination_id)


# -- the editor ------------------------------------------------------------------------------

class SectionBox(QFrame):
    """One section of the briefing: its title, the template's guidance, and the text."""

    def __init__(self, section: SectionText, number_title: str, guidance: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.section = section
        self.title_edit = QLineEdit(section.title)
        self.title_edit.setAccessibleName(f"Title of section {section.position}")
        font = self.title_edit.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title_edit.setFont(font)
        self.title_edit.setFrame(False)
        self.title_edit.setStyleSheet("background: transparent;")
        number = QLabel(number_title)
        number.setFont(font)
        self.guidance = QLabel(guidance)
        self.guidance.setWordWrap(True)
        self.guidance.setStyleSheet(GUIDANCE_STYLE)
        self.guidance.setVisible(bool(guidance))
        # A QTextEdit (plain text only) lays out all its text, so the box can grow to fit it.
        self.body = QTextEdit()
        self.body.setAcceptRichText(False)
        self.body.setPlainText(section.body)
        self.body.setTabChangesFocus(True)
        self.body.setAccessibleName(section.title)
        self.body.setAccessibleDescription(guidance)
        self.body.setPlaceholderText("Write this section here")
        self.body.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()
        heading = QHBoxLayout()
        heading.setContentsMargins(0, 0, 0, 0)
        if number_title:
            heading.addWidget(number)
        heading.addWidget(self.title_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addLayout(heading)
        layout.addWidget(self.guidance)
        layout.addWidget(self.body)

    def _fit_height(self, *_args) -> None:
        """Grow with the text (4 to 18 lines), so the page scrolls rather than each box."""
        line = self.body.fontMetrics().lineSpacing()
        margin = 2 * int(self.body.document().documentMargin())
        wanted = int(self.body.document().size().height())
        shown = max(4 * line + margin, min(18 * line + margin, wanted))
        frame = 2 * self.body.frameWidth()
        self.body.setFixedHeight(shown + frame + 2)

    def text(self) -> SectionText:
        return SectionText(self.section.position, self.section.key,
                           self.title_edit.text().strip() or self.section.title, self.body.toPlainText())


#: The feedback column in words: a dissemination's RAG is about the feedback coming back.
FEEDBACK_WORDS = {"blue": "Received", "red": "Overdue", "amber": "Due soon", "green": "Awaiting",
                  "grey": "No due date"}

DISSEMINATION_COLUMNS = (
    Column("agency_name", "Agency", tooltip=lambda r: r.get("agency_name")),
    Column("sent_date", "Sent", display=lambda r: _fmt(r.get("sent_date"))),
    Column("feedback_due_date", "Feedback due", display=lambda r: _fmt(r.get("feedback_due_date"))),
    Column("feedback_received_date", "Received", display=lambda r: _fmt(r.get("feedback_received_date"))),
    Column("teams_briefed", "Teams briefed", tooltip=lambda r: r.get("teams_briefed")),
    Column("staff_reached", "Staff reached", align_right=True),
    Column("evidence", "Evidence", display=lambda r: str(r["evidence"]) if r["evidence"] else "—",
           align_right=True),
    Column("note", "Note", tooltip=lambda r: r.get("note")),
    Column("rag", "Feedback", display=lambda r: FEEDBACK_WORDS.get(r["rag"].colour, "") if r["rag"] else "Not sent",
           tooltip=lambda r: str(r["rag"]) if r["rag"] else "Not sent yet",
           colour=lambda r: r["rag"].colour if r["rag"] else None),
)

def _briefing_status(row: dict) -> str:
    text = f"{row['template_name'].removesuffix(' briefing')}, {row['status_label'].lower()} v{row['version']}"
    return text + (f" {_fmt(row['issued_date'])}" if row["status"] == "issued" and row["issued_date"] else "")


BRIEFING_COLUMNS = (
    Column("review_title", "Review", tooltip=lambda r: r.get("review_title")),
    Column("status", "Briefing", display=_briefing_status),
    Column("feedback", "Feedback", tooltip=lambda r: "Agencies that sent feedback, of those sent the briefing"),
)


class BriefingEditor(QWidget):
    """Everything about one briefing; keeps the person's typing until saved or discarded."""

    dirty_changed = Signal(bool)
    saved = Signal(int)
    preview_requested = Signal()
    disseminations_changed = Signal()
    message = Signal(str)

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.briefing: dict | None = None
        self.dirty = False
        self.last_save_bumped = False
        self._loading = False
        self._read_only = False
        self.boxes: list[SectionBox] = []

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName("Briefing")
        self.title_field = TextField("Title", max_length=300)
        self.status = ChoiceField("Status", values.BRIEFING_STATUSES, blank=None, required=True)
        self.approved = DateField("Approved on")
        self.issued = DateField("Issued on")
        self.version_label = QLabel()
        self.version_label.setAccessibleName("Version")
        self.save_button = make_button("&Save", "Save (Ctrl+S)", name="Save the briefing")
        self.revert_button = make_button("&Undo changes", name="Undo changes since the last save")
        self.preview_button = make_button("&Preview, print or email…", "Ctrl+P", name="Preview, print or email the briefing")
        self.words_label = QLabel()
        self.words_label.setAccessibleName("Length of the briefing")

        header = QGridLayout()
        title_label = QLabel("T&itle")
        title_label.setBuddy(self.title_field.editor)
        header.addWidget(title_label, 0, 0)
        header.addWidget(self.title_field, 0, 1, 1, 6, Qt.AlignmentFlag.AlignTop)
        for number, (text, field) in enumerate((("Stat&us", self.status), ("Appro&ved on", self.approved),
                                                ("Iss&ued on", self.issued))):
            label = QLabel(text)
            label.setBuddy(field.editor)
            header.addWidget(label, 1, 2 * number, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            header.addWidget(field, 1, 2 * number + 1, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.version_label, 1, 6, Qt.AlignmentFlag.AlignTop)
        header.setColumnStretch(6, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.words_label, 1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        # Sections.
        self.sections_host = QWidget()
        self.sections_layout = QVBoxLayout(self.sections_host)
        self.sections_layout.addStretch(1)
        self.sections_scroll = QScrollArea()
        self.sections_scroll.setWidgetResizable(True)
        self.sections_scroll.setWidget(self.sections_host)
        self.sections_scroll.setAccessibleName("Sections")

        # Learning themes.
        self.themes = QPlainTextEdit()
        self.themes.setAccessibleName("Learning themes")
        self.themes.setTabChangesFocus(True)
        self.themes.setPlaceholderText("One theme per line, e.g.\nNeglect\nHidden adults\nEscalation and challenge")
        themes_page = QWidget()
        themes_layout = QVBoxLayout(themes_page)
        themes_hint = QLabel("The themes this review's learning falls under, one per line; the annual "
                             "report and the sub group papers group learning by them.")
        themes_hint.setWordWrap(True)
        themes_hint.setStyleSheet(GUIDANCE_STYLE)
        themes_layout.addWidget(themes_hint)
        themes_layout.addWidget(self.themes, 1)

        # Dissemination.
        self.disseminations = RowsModel(DISSEMINATION_COLUMNS, self)
        self.dissemination_view = record_table("Dissemination by agency", self.disseminations)
        columns = self.dissemination_view.horizontalHeader()
        for column in range(len(DISSEMINATION_COLUMNS)):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        columns.setSectionResizeMode(7, QHeaderView.ResizeMode.Interactive)
        self.dissemination_view.setColumnWidth(4, 140)
        self.dissemination_view.setColumnWidth(7, 120)
        self.send_all_button = make_button("Send to &all active agencies…", "Record the briefing as sent today to every active agency that "
                                       "does not have it yet", name="Send to all active agencies")
        self.add_agency_button = make_button("Add one a&gency…", name="Add one agency to the dissemination list")
        self.feedback_button = make_button("Record &feedback…", "Enter or F2", name="Record feedback for the selected agency")
        self.remove_agency_button = make_button("Remove", "Delete", name="Remove the selected agency from the list")
        self.dissemination_summary = QLabel()
        self.dissemination_summary.setAccessibleName("Dissemination summary")
        self.dissemination_summary.setWordWrap(True)
        dissemination_buttons = QHBoxLayout()
        for button in (self.send_all_button, self.add_agency_button, self.feedback_button,
                       self.remove_agency_button):
            dissemination_buttons.addWidget(button)
        dissemination_buttons.addStretch(1)
        dissemination_page = QWidget()
        dissemination_layout = QVBoxLayout(dissemination_page)
        dissemination_layout.addWidget(self.dissemination_view, 1)
        dissemination_layout.addWidget(self.dissemination_summary)
        dissemination_layout.addLayout(dissemination_buttons)

        self.pages = QTabWidget()
        self.pages.setAccessibleName("Briefing pages")
        self.pages.addTab(self.sections_scroll, "&Sections")
        self.pages.addTab(themes_page, "Learning &themes")
        self.pages.addTab(dissemination_page, "&Dissemination")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)

        for field in (self.title_field, self.status, self.approved, self.issued):
            field.edited.connect(self._on_edited)
        self.status.edited.connect(self._on_status_edited)
        self.themes.textChanged.connect(self._on_edited)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._on_revert_clicked)
        self.preview_button.clicked.connect(self.preview_requested)
        self.send_all_button.clicked.connect(self.send_to_all)
        self.add_agency_button.clicked.connect(self.add_agency)
        self.feedback_button.clicked.connect(self.edit_dissemination)
        self.remove_agency_button.clicked.connect(self.remove_dissemination)
        self.dissemination_view.doubleClicked.connect(self.edit_dissemination)
        self.dissemination_view.selectionModel().selectionChanged.connect(self._update_buttons)
        for key, slot in ((Qt.Key.Key_Return, self.edit_dissemination), (Qt.Key.Key_Enter, self.edit_dissemination),
                          (Qt.Key.Key_Delete, self.remove_dissemination)):
            shortcut = QShortcut(QKeySequence(key), self.dissemination_view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        # Ctrl+S is the editor's own; Ctrl+P is the main window's, which calls print_document().
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)
        self.load(None)

    # -- loading ------------------------------------------------------------------------------

    def load(self, briefing_id: int | None) -> None:
        self._loading = True
        try:
            self.briefing = self.store.get("briefings", briefing_id) if briefing_id else None
            briefing = self.briefing or {}
            review = self.store.get("reviews", briefing["review_id"]) if briefing else None
            if briefing:
                self.heading.setText(f"<b>{html.escape(review['title'] if review else '')}</b> — "
                                     f"{html.escape(template_name(briefing['template']))}")
            else:
                self.heading.setText("Choose a briefing from the list, or start a new one.")
            self.title_field.set_value(briefing.get("title"))
            self.status.set_value(briefing.get("status") or "draft")
            self.approved.set_value(briefing.get("approved_date"))
            self.issued.set_value(briefing.get("issued_date"))
            for field in (self.title_field, self.status, self.approved, self.issued):
                field.set_extra_error("")
            self.version_label.setText(f"Version {briefing.get('version') or 1}" if briefing else "")
            self.themes.setPlainText(briefing.get("learning_themes") or "")
            self._build_sections(editor_sections(self.store, briefing) if briefing else [])
            self._load_disseminations()
        finally:
            self._loading = False
        self._set_dirty(False)
        self._update_buttons()
        self._count_words()

    def _build_sections(self, sections: list[tuple[SectionText, str]]) -> None:
        for box in self.boxes:
            box.setParent(None)
            box.deleteLater()
        self.boxes = []
        template = template_or_none(self.briefing["template"]) if self.briefing else None
        for section, guidance in sections:
            number = ""
            if template is not None and template.section(section.key or "") is not None \
                    and template.section(section.key).numbered:
                number = template.numbered_title(section.key).split(" ", 1)[0]
            box = SectionBox(section, number, guidance)
            box.body.textChanged.connect(self._on_edited)
            box.title_edit.textChanged.connect(self._on_edited)
            self.sections_layout.insertWidget(self.sections_layout.count() - 1, box)
            self.boxes.append(box)
        self.sections_layout.activate()
        previous = self.issued.editor
        for box in self.boxes:
            self.setTabOrder(previous, box.title_edit)
            self.setTabOrder(box.title_edit, box.body)
            previous = box.body

    def _load_disseminations(self) -> None:
        if not self.briefing:
            self.disseminations.set_rows([])
            self.dissemination_summary.setText("")
            return
        keep = self.selected_dissemination()
        rows = dissemination_rows(self.store, self.briefing["id"], today_for(self.store))
        self.disseminations.set_rows(rows)
        sent = [r for r in rows if r["sent_date"]]
        received = [r for r in sent if r["feedback_received_date"]]
        late = [r for r in sent if r["rag"] is not None and r["rag"].colour == "red"]
        staff = sum(r["staff_reached"] or 0 for r in rows)
        self.dissemination_summary.setText(
            f"Sent to {len(sent)} agencies; feedback from {len(received)}; {len(late)} overdue; "
            f"{staff} staff reached")
        if keep is not None:
            for number, row in enumerate(rows):
                if row["id"] == keep["id"]:
                    self.dissemination_view.selectRow(number)

    # -- state --------------------------------------------------------------------------------

    def _on_edited(self, *_args) -> None:
        if not self._loading and self.briefing is not None:
            self._set_dirty(True)
            self._count_words()

    def _on_status_edited(self) -> None:
        if self._loading:
            return
        today = today_for(self.store)
        status = self.status.value()
        # Approving or issuing today is the usual case: fill the date, which can still be changed.
        if status in ("approved", "issued") and self.approved.value() is None:
            self.approved.set_value(today)
        if status == "issued" and self.issued.value() is None:
            self.issued.set_value(today)

    def _set_dirty(self, dirty: bool) -> None:
        changed = dirty != self.dirty
        self.dirty = dirty
        self._update_buttons()
        if changed:
            self.dirty_changed.emit(dirty)

    def _count_words(self) -> None:
        words = sum(len(box.body.toPlainText().split()) for box in self.boxes)
        # About 600 words fill an A4 page of the briefing layout; beyond two pages it will not fit.
        pages = "about one page" if words <= 600 else "about two pages" if words <= 1200 else \
            "more than two pages: shorten it to fit on two"
        self.words_label.setText(f"{words} words, {pages}" if self.briefing else "")

    def _update_buttons(self, *_args) -> None:
        has = self.briefing is not None
        writable = has and not self._read_only
        self.save_button.setEnabled(writable and self.dirty)
        self.revert_button.setEnabled(writable and self.dirty)
        self.preview_button.setEnabled(has)
        for field in (self.title_field, self.status, self.approved, self.issued):
            field.set_read_only(not writable)
        self.themes.setReadOnly(not writable)
        for box in self.boxes:
            box.body.setReadOnly(not writable)
            box.title_edit.setReadOnly(not writable)
        selected = self.selected_dissemination() is not None
        self.send_all_button.setEnabled(writable)
        self.add_agency_button.setEnabled(writable)
        self.feedback_button.setEnabled(has and selected)
        self.feedback_button.setText("Record &feedback…" if not self._read_only else "View &feedback…")
        self.remove_agency_button.setEnabled(writable and selected)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()

    def selected_dissemination(self) -> dict | None:
        rows = self.dissemination_view.selectionModel().selectedRows()
        return self.disseminations.row_at(rows[0].row()) if rows else None

    def section_box(self, key: str) -> SectionBox | None:
        return next((b for b in self.boxes if b.section.key == key), None)

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> bool:
        if self.briefing is None or self._read_only:
            return False
        if not self.dirty:
            return True
        fields = (self.title_field, self.status, self.approved, self.issued)
        for field in fields:
            field.set_extra_error("")
            field.reveal_error()
        invalid = [f for f in fields if not f.is_valid()]
        if invalid:
            invalid[0].setFocus()
            return False
        try:
            version, bumped = save_briefing(
                self.store, self.briefing["id"], title=self.title_field.value(),
                learning_themes=self.themes.toPlainText().strip() or None, status=self.status.value(),
                approved_date=self.approved.iso(), issued_date=self.issued.iso(),
                sections=[box.text() for box in self.boxes])
        except InvalidValue as mistake:
            field = {f.label: f for f in fields}.get(mistake.field)
            if field is None:
                show_error(self, mistake, "Save briefing")
            else:
                field.set_extra_error(mistake.message)
                field.setFocus()
            return False
        except ScrdeskError as error:
            show_error(self, error, "Save briefing")
            return False
        self.briefing = self.store.get("briefings", self.briefing["id"])
        self.version_label.setText(f"Version {version}")
        self._set_dirty(False)
        self.last_save_bumped = bumped
        self.saved.emit(self.briefing["id"])
        return True

    def _on_revert_clicked(self) -> None:
        if self.briefing is not None and confirm(self, "Undo changes",
                                                 "Throw away the changes since the briefing was last saved?",
                                                 "Undo changes"):
            self.load(self.briefing["id"])

    # -- dissemination ------------------------------------------------------------------------

    def send_to_all(self) -> None:
        if self.briefing is None or self._read_only:
            return
        count = agencies_to_send(self.store, self.briefing["id"])
        if count == 0:
            show_error(self, ScrdeskError("Every active agency has already been sent this briefing."),
                       "Send to all")
            return
        today = today_for(self.store)
        draft = "" if self.briefing["status"] == "issued" else \
            f"\n\nThis briefing is still {self.briefing['status']}: it has not been issued."
        if not confirm(self, "Send to all active agencies",
                       f"Record the briefing as sent on {format_date(today)} to {count} active "
                       f"agenc{'y' if count == 1 else 'ies'}? Feedback will be due "
                       f"{format_date(feedback_due(self.store, today))}.{draft}", "Record as sent"):
            return
        try:
            sent = send_to_all_active(self.store, self.briefing["id"], today)
        except ScrdeskError as error:
            show_error(self, error, "Send to all")
            return
        self._load_disseminations()
        self._update_buttons()
        self.disseminations_changed.emit()
        self.message.emit(f"Briefing recorded as sent to {sent} agenc{'y' if sent == 1 else 'ies'}.")

    def _run_dissemination_dialog(self, dissemination_id: int | None) -> None:
        try:
            dialog = DisseminationDialog(self.store, self.briefing["id"], dissemination_id, self,
                                         read_only=self._read_only)
        except ScrdeskError as error:
            show_error(self, error, "Dissemination")
            self._load_disseminations()
            return
        dialog.saved.connect(self._on_dissemination_saved)
        dialog.exec()

    def _on_dissemination_saved(self, _table: str, row_id: int) -> None:
        self._load_disseminations()
        for number, row in enumerate(self.disseminations.rows()):
            if row["id"] == row_id:
                self.dissemination_view.selectRow(number)
        self._update_buttons()
        self.disseminations_changed.emit()

    def add_agency(self) -> None:
        if self.briefing is not None and not self._read_only:
            self._run_dissemination_dialog(None)

    def edit_dissemination(self, *_args) -> None:
        row = self.selected_dissemination()
        if row is not None:
            self._run_dissemination_dialog(row["id"])

    def remove_dissemination(self) -> None:
        row = self.selected_dissemination()
        if row is None or self._read_only:
            return
        extra = f" and its {row['evidence']} evidence file(s)" if row["evidence"] else ""
        if not confirm(self, "Remove agency", f"Remove {row['agency_name']} from this briefing's "
                       f"dissemination list{extra}?", "Remove"):
            return
        try:
            delete_dissemination(self.store, row["id"])
        except ScrdeskError as error:
            show_error(self, error, "Remove agency")
            return
        self._load_disseminations()
        self._update_buttons()
        self.disseminations_changed.emit()


# -- the tab ---------------------------------------------------------------------------------

def ask_save_changes(parent: QWidget) -> str:
    """'save', 'discard' or 'cancel' for unsaved changes to a briefing (a function, for tests)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Briefing not saved",
                      "The briefing has changes that are not saved.", parent=parent)
    save = box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


class BriefingsTab(Tab):
    """Briefings and their dissemination."""

    title = "Briefings"

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(store, parent)
        self._read_only = False
        self._current_id: int | None = None

        self.model = RowsModel(BRIEFING_COLUMNS, self)
        self.list_view = record_table("Briefings", self.model)
        self.list_view.setSortingEnabled(True)
        self.list_view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        for column in range(1, len(BRIEFING_COLUMNS)):
            self.list_view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.list_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.new_button = make_button("&New briefing…", "Start a briefing of a review (Ctrl+N)", name="New briefing")
        self.delete_button = make_button("Delete briefing", "Delete", name="Delete the selected briefing")
        # One above the other, so the list can be narrowed to make room for the editor.
        list_buttons = QGridLayout()
        list_buttons.addWidget(self.new_button, 0, 0)
        list_buttons.addWidget(self.delete_button, 1, 0)
        list_buttons.setColumnStretch(1, 1)
        list_box = QGroupBox("Briefings")
        list_layout = QVBoxLayout(list_box)
        list_layout.addWidget(self.list_view, 1)
        list_layout.addLayout(list_buttons)

        self.editor = BriefingEditor(store)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(list_box)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([500, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.new_button.clicked.connect(self.new_record)
        self.delete_button.clicked.connect(self.delete_selected)
        self.list_view.selectionModel().currentRowChanged.connect(self._on_list_current_changed)
        self.editor.saved.connect(self._on_editor_saved)
        self.editor.preview_requested.connect(self.preview)
        self.editor.disseminations_changed.connect(self._on_disseminations_changed)
        self.editor.message.connect(self.status_message)
        # Ctrl+N, F2 and Ctrl+P are the main window's; it calls new_record(), edit_selected()
        # and print_document() on this tab.
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.list_view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            edit = QShortcut(QKeySequence(key), self.list_view)
            edit.setContext(Qt.ShortcutContext.WidgetShortcut)
            edit.activated.connect(self._focus_editor)
        self.refresh()

    # -- state --------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self._current_exists() and not self.editor.dirty:
            # Open on the first briefing rather than an empty editor.
            first = self.store.row("SELECT b.id FROM briefings b JOIN reviews rv ON rv.id = b.review_id "
                                   "ORDER BY rv.title, b.id LIMIT 1")
            self._current_id = first["id"] if first else None
        self._load_list(self._current_id)
        # Someone else's change must not throw away what is being typed here.
        if not self.editor.dirty:
            self.editor.load(self._current_id)

    def _current_exists(self) -> bool:
        return self._current_id is not None and self.store.get("briefings", self._current_id) is not None

    def _load_list(self, select_id: int | None) -> None:
        selection = self.list_view.selectionModel()
        selection.blockSignals(True)
        self.model.set_rows(briefing_rows(self.store))
        header = self.list_view.horizontalHeader()
        if header.sortIndicatorSection() >= 0 and self.list_view.isSortingEnabled():
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        for number, row in enumerate(self.model.rows()):
            if row["id"] == select_id:
                self.list_view.selectRow(number)
                break
        selection.blockSignals(False)
        self._update_buttons()

    def selected_briefing(self) -> dict | None:
        rows = self.list_view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.new_button.setEnabled(not self._read_only)
        self.delete_button.setEnabled(not self._read_only and self.selected_briefing() is not None)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.editor.set_read_only(read_only)
        self._update_buttons()

    def show_record(self, kind: str, row_id: int) -> bool:
        if kind == "briefing":
            return self.open_briefing(row_id)
        if kind == "dissemination":
            row = self.store.get("disseminations", row_id)
            if row is None or not self.open_briefing(row["briefing_id"]):
                return False
            self.editor.pages.setCurrentIndex(2)
            return True
        return False

    def open_briefing(self, briefing_id: int) -> bool:
        """Show a briefing in the editor, first asking what to do with unsaved changes."""
        if briefing_id == self._current_id and self.editor.briefing is not None:
            self._load_list(briefing_id)
            return True
        if self.store.get("briefings", briefing_id) is None or not self._may_leave_editor():
            self._load_list(self._current_id)
            return False
        self._current_id = briefing_id
        self._load_list(briefing_id)
        self.editor.load(briefing_id)
        return True

    def _may_leave_editor(self) -> bool:
        if not self.editor.dirty:
            return True
        answer = ask_save_changes(self)
        if answer == "save":
            return self.editor.save()
        if answer == "discard":
            self.editor.load(self._current_id)
            return True
        return False

    # -- slots --------------------------------------------------------------------------------

    def _on_list_current_changed(self, current, _previous) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None and row["id"] != self._current_id:
            self.open_briefing(row["id"])
        self._update_buttons()

    def _on_editor_saved(self, briefing_id: int) -> None:
        self._load_list(briefing_id)
        self.records_changed.emit("briefings")
        if self.editor.last_save_bumped:
            self.status_message.emit(f"Saved as version {self.editor.briefing['version']}: the briefing "
                                     "had been issued, so agencies hold the earlier version.")
        else:
            self.status_message.emit("Briefing saved.")

    def _on_disseminations_changed(self) -> None:
        self._load_list(self._current_id)
        self.records_changed.emit("disseminations")

    def edit_selected(self) -> None:
        """F2: the selected agency's feedback on the dissemination page, else the first section."""
        if self.editor.pages.currentIndex() == 2 and self.editor.selected_dissemination() is not None:
            self.editor.edit_dissemination()
        else:
            self._focus_editor()

    def current_record(self) -> tuple[str, int] | None:
        return ("briefings", self._current_id) if self.editor.briefing is not None else None

    def print_document(self) -> None:
        self.preview()

    def _focus_editor(self) -> None:
        if self.editor.boxes:
            self.editor.pages.setCurrentIndex(0)
            self.editor.boxes[0].body.setFocus()

    def new_record(self) -> None:
        if self._read_only or not self._may_leave_editor():
            return
        if not self.store.scalar("SELECT count(*) FROM reviews"):
            show_error(self, ScrdeskError("A briefing is of a review: add the review first (on the Reviews tab)."),
                       "New briefing")
            return
        current = self.editor.briefing
        dialog = NewBriefingDialog(self.store, self, review_id=current["review_id"] if current else None)
        dialog.saved.connect(self._on_new_saved)
        dialog.exec()

    def _on_new_saved(self, _table: str, briefing_id: int) -> None:
        self.records_changed.emit("briefings")
        self.open_briefing(briefing_id)
        self._focus_editor()

    def delete_selected(self) -> None:
        row = self.selected_briefing()
        if row is None or self._read_only:
            return
        if not confirm(self, "Delete briefing",
                       f"Delete the {row['template_name']} of {row['review_title']}, its sections and its "
                       "dissemination records with their evidence?"):
            return
        try:
            delete_briefing(self.store, row["id"])
        except ScrdeskError as error:
            show_error(self, error, "Delete briefing")
            return
        if row["id"] == self._current_id:
            self._current_id = None
            self.editor.load(None)
        self._load_list(self._current_id)
        self.records_changed.emit("briefings")

    def preview(self) -> None:
        briefing = self.editor.briefing
        if briefing is None:
            return
        if self.editor.dirty:
            answer = ask_save_changes(self)
            if answer == "cancel" or (answer == "save" and not self.editor.save()):
                return
            if answer == "discard":
                self.editor.load(briefing["id"])
        # The PDF machinery loads only when asked for.
        from scrdesk.ui.documents import show_document

        show_document(self, self.store, "briefing", ref=briefing["id"])
