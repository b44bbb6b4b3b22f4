"""The briefing editor: one briefing's header (title, status, dates, version), its sections
with the template's guidance prompts, its learning themes and its dissemination by agency.

It keeps the person's typing until it is saved or discarded; every read and write goes through
`scrdesk.store.briefings`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain import values
from scrdesk.domain.dates import format_date, plural
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import briefings as rules
from scrdesk.store import briefings as briefing_store
from scrdesk.store.briefings import SectionText
from scrdesk.store.queries import today_for
from scrdesk.ui.base import RowsModel, confirm, make_button, record_table, show_error
from scrdesk.ui.briefings.dialogs import GUIDANCE_STYLE, DisseminationDialog
from scrdesk.ui.briefings.model import (
    COL_D_AGENCY,
    COL_D_NOTE,
    COL_D_TEAMS,
    DISSEMINATION_COLUMNS,
)
from scrdesk.ui.forms import ChoiceField, DateField, TextField
from scrdesk.ui.rule_fields import rule_errors


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



class BriefingEditor(QWidget):
    """Everything about one briefing; keeps the person's typing until saved or discarded."""

    dirty_changed = Signal(bool)
    saved = Signal(int)
    preview_requested = Signal()
    disseminations_changed = Signal()
    message = Signal(str)
    #: The briefing now shown (its id, or None), for pages added from outside the editor.
    loaded = Signal(object)

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.briefing: dict | None = None
        self.dirty = False
        self.last_save_bumped = False
        self._loading = False
        self._read_only = False
        self.boxes: list[SectionBox] = []

        self.pages = QTabWidget()
        self.pages.setAccessibleName("Briefing pages")
        self.pages.addTab(self._build_sections_page(), "&Sections")
        self.pages.addTab(self._build_themes_page(), "Learning &themes")
        self.pages.addTab(self._build_dissemination_page(), "&Dissemination")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header, buttons = self._build_header()
        layout.addWidget(self.heading)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._wire()
        self.load(None)

    # -- parts ----------------------------------------------------------------------------------

    def _build_header(self) -> tuple[QGridLayout, QHBoxLayout]:
        """The heading, title, status, dates and version above the pages; the save bar below."""
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName("Briefing")
        self.title_field = TextField("Title", max_length=rules.LIMITS["title"])
        self.status = ChoiceField("Status", values.BRIEFING_STATUSES, blank=None, required=True)
        self.approved = DateField("Approved on")
        self.issued = DateField("Issued on")
        self.by_column = {"title": self.title_field, "status": self.status, "approved_date": self.approved,
                          "issued_date": self.issued}
        self.version_label = QLabel()
        self.version_label.setAccessibleName("Version")
        self.save_button = make_button("&Save", "Save (Ctrl+S)", name="Save the briefing")
        self.revert_button = make_button("&Undo changes", name="Undo changes since the last save")
        self.preview_button = make_button("&Preview, print or email…", "Ctrl+P",
                                          name="Preview, print or email the briefing")
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
        return header, buttons

    def _build_sections_page(self) -> QWidget:
        """A scrolled column of section boxes, filled by `load`."""
        self.sections_host = QWidget()
        self.sections_layout = QVBoxLayout(self.sections_host)
        self.sections_layout.addStretch(1)
        self.sections_scroll = QScrollArea()
        self.sections_scroll.setWidgetResizable(True)
        self.sections_scroll.setWidget(self.sections_host)
        self.sections_scroll.setAccessibleName("Sections")
        return self.sections_scroll

    def _build_themes_page(self) -> QWidget:
        self.themes = QPlainTextEdit()
        self.themes.setAccessibleName("Learning themes")
        self.themes.setTabChangesFocus(True)
        self.themes.setPlaceholderText("One theme per line, e.g.\nNeglect\nHidden adults\nEscalation and challenge")
        page = QWidget()
        layout = QVBoxLayout(page)
        hint = QLabel("The themes this review's learning falls under, one per line; the annual "
                      "report and the sub group papers group learning by them.")
        hint.setWordWrap(True)
        hint.setStyleSheet(GUIDANCE_STYLE)
        layout.addWidget(hint)
        layout.addWidget(self.themes, 1)
        return page

    def _build_dissemination_page(self) -> QWidget:
        self.disseminations = RowsModel(DISSEMINATION_COLUMNS, self)
        self.dissemination_view = record_table("Dissemination by agency", self.disseminations)
        columns = self.dissemination_view.horizontalHeader()
        for column in range(len(DISSEMINATION_COLUMNS)):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(COL_D_AGENCY, QHeaderView.ResizeMode.Stretch)
        # Free text: a width the person can change, rather than as wide as the longest entry.
        for column, width in ((COL_D_TEAMS, 140), (COL_D_NOTE, 120)):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.dissemination_view.setColumnWidth(column, width)
        self.send_all_button = make_button(
            "Send to &all active agencies…",
            "Record the briefing as sent today to every active agency that does not have it yet",
            name="Send to all active agencies")
        self.add_agency_button = make_button("Add one a&gency…", name="Add one agency to the dissemination list")
        self.feedback_button = make_button("Record &feedback…", "Enter or F2",
                                           name="Record feedback for the selected agency")
        self.remove_agency_button = make_button("Remove", "Delete", name="Remove the selected agency from the list")
        self.dissemination_summary = QLabel()
        self.dissemination_summary.setAccessibleName("Dissemination summary")
        self.dissemination_summary.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.send_all_button, self.add_agency_button, self.feedback_button,
                       self.remove_agency_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.dissemination_view, 1)
        layout.addWidget(self.dissemination_summary)
        layout.addLayout(buttons)
        return page

    def _wire(self) -> None:
        for field in self.by_column.values():
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

    # -- loading ------------------------------------------------------------------------------

    def load(self, briefing_id: int | None) -> None:
        self._loading = True
        try:
            self.briefing = briefing_store.get_briefing(self.store, briefing_id) if briefing_id else None
            briefing = self.briefing or {}
            if briefing:
                self.heading.setText(f"<b>{html.escape(briefing['review_title'] or '')}</b> — "
                                     f"{html.escape(briefing_store.template_name(briefing['template']))}")
            else:
                self.heading.setText("Choose a briefing from the list, or start a new one.")
            self.title_field.set_value(briefing.get("title"))
            self.status.set_value(briefing.get("status") or "draft")
            self.approved.set_value(briefing.get("approved_date"))
            self.issued.set_value(briefing.get("issued_date"))
            for field in self.by_column.values():
                field.set_extra_error("")
            self.version_label.setText(f"Version {briefing.get('version') or 1}" if briefing else "")
            self.themes.setPlainText(briefing.get("learning_themes") or "")
            self._build_sections(briefing_store.editor_sections(self.store, briefing) if briefing else [])
            self._load_disseminations()
        finally:
            self._loading = False
        self._set_dirty(False)
        self._update_buttons()
        self._count_words()
        self.loaded.emit(self.briefing["id"] if self.briefing else None)

    def _build_sections(self, sections: list[tuple[SectionText, str]]) -> None:
        for box in self.boxes:
            box.setParent(None)
            box.deleteLater()
        self.boxes = []
        template = briefing_store.template_or_none(self.briefing["template"]) if self.briefing else None
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
        rows = briefing_store.dissemination_rows(self.store, self.briefing["id"], today_for(self.store))
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
            self._show_rules()

    def record(self) -> dict:
        """The briefing as it would be stored, from the header and the themes."""
        return {"title": self.title_field.value(), "learning_themes": self.themes.toPlainText().strip() or None,
                "status": self.status.value(), "approved_date": self.approved.iso(),
                "issued_date": self.issued.iso()}

    def _show_rules(self) -> dict:
        """The briefing's broken rules beside its fields, as they are typed; {field: message}."""
        found = rule_errors(rules.problems(self.record()), self.by_column)
        for field in self.by_column.values():
            field.set_extra_error(found.get(field, ""))
        return found

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
        fields = list(self.by_column.values())
        self._show_rules()
        for field in fields:
            field.reveal_error()
        invalid = [f for f in fields if not f.is_valid()]
        if invalid:
            invalid[0].setFocus()
            return False
        try:
            version, bumped = briefing_store.save_briefing(
                self.store, self.briefing["id"], **self.record(), sections=[box.text() for box in self.boxes])
        except RuleBroken as refusal:
            shown = [self.by_column[c] for c in refusal.problems if c in self.by_column]
            for column, message in refusal.problems.items():
                if column in self.by_column:
                    self.by_column[column].set_extra_error(message)
            if shown:
                shown[0].setFocus()
            else:
                show_error(self, refusal, "Save briefing")
            return False
        except ScrdeskError as error:
            show_error(self, error, "Save briefing")
            return False
        self.briefing = briefing_store.get_briefing(self.store, self.briefing["id"])
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
        count = briefing_store.agencies_to_send(self.store, self.briefing["id"])
        if count == 0:
            show_error(self, ScrdeskError("Every active agency has already been sent this briefing."),
                       "Send to all")
            return
        today = today_for(self.store)
        draft = "" if self.briefing["status"] == "issued" else \
            f"\n\nThis briefing is still {self.briefing['status']}: it has not been issued."
        if not confirm(self, "Send to all active agencies",
                       f"Record the briefing as sent on {format_date(today)} to {count} active "
                       f"{plural(count, 'agency', 'agencies')}? Feedback will be due "
                       f"{format_date(briefing_store.feedback_due(self.store, today))}.{draft}", "Record as sent"):
            return
        try:
            sent = briefing_store.send_to_all_active(self.store, self.briefing["id"], today)
        except ScrdeskError as error:
            show_error(self, error, "Send to all")
            return
        self._load_disseminations()
        self._update_buttons()
        self.disseminations_changed.emit()
        self.message.emit(f"Briefing recorded as sent to {plural(sent, 'agency', 'agencies')}.")

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
            briefing_store.delete_dissemination(self.store, row["id"])
        except ScrdeskError as error:
            show_error(self, error, "Remove agency")
            return
        self._load_disseminations()
        self._update_buttons()
        self.disseminations_changed.emit()

