"""The yearly report's narrative editor: one text per section for a reporting year, kept in the
data file and printed by File → Export… → Yearly report (Word or PDF) beside the figures.

Reads and writes go through `scrdesk.store.yearly_report`; a refused save shows the rule's words
beside the section that broke it and keeps what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules.yearly_report import SECTIONS
from scrdesk.store import yearly_report
from scrdesk.ui.base import show_error


class YearlyReportDialog(QDialog):
    """Write the narrative sections of one reporting year's yearly report."""

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        from scrdesk.domain.dates import reporting_year

        self.store = store
        settings = store.settings()
        self.setWindowTitle("Yearly report narrative")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(reporting_year(settings.today(), settings.year_start_month, settings.year_start_day) - 1)
        self.year.setAccessibleName("Reporting year starting in")
        form.addRow("Reporting &year starting in:", self.year)
        layout.addLayout(form)
        layout.addWidget(QLabel("The figures and tables are filled from the records when the report is made; "
                                "write here what only people know. A blank section shows a prompt in Word."))
        body = QHBoxLayout()
        self.sections = QListWidget()
        self.sections.setAccessibleName("Sections")
        self.pages = QStackedWidget()
        self.editors: dict[str, QPlainTextEdit] = {}
        self.problems: dict[str, QLabel] = {}
        for key, title in SECTIONS:
            self.sections.addItem(title)
            page = QWidget()
            column = QVBoxLayout(page)
            column.setContentsMargins(0, 0, 0, 0)
            editor = QPlainTextEdit()
            editor.setAccessibleName(title)
            problem = QLabel()
            problem.setStyleSheet("color: #b00020;")
            problem.setWordWrap(True)
            problem.hide()
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(editor)
            column.addWidget(problem)
            self.editors[key], self.problems[key] = editor, problem
            self.pages.addWidget(page)
        self.sections.setMaximumWidth(260)
        self.sections.setWordWrap(True)  # long section titles wrap rather than scroll sideways
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.currentRowChanged.connect(self.pages.setCurrentIndex)
        body.addWidget(self.sections)
        body.addWidget(self.pages, 1)
        layout.addLayout(body, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(not store.readonly)
        if store.readonly:
            self.save_button.setToolTip("The data file is open read-only.")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.sections.setCurrentRow(0)
        self.loaded_year = self.year.value()
        self.load(self.loaded_year)
        self.year.valueChanged.connect(self._on_year_value_changed)
        self.resize(900, 560)

    def texts(self) -> dict[str, str]:
        return {key: editor.toPlainText() for key, editor in self.editors.items()}

    def is_modified(self) -> bool:
        return any(editor.document().isModified() for editor in self.editors.values())

    def load(self, year: int) -> None:
        for key, text in yearly_report.narrative(self.store, year).items():
            self.editors[key].setPlainText(text)
            self.editors[key].document().setModified(False)
            self.problems[key].hide()
        self.loaded_year = year

    def save(self) -> bool:
        """Save every section of the year shown; on a refusal show each problem by its section."""
        for label in self.problems.values():
            label.hide()
        try:
            yearly_report.save_narrative(self.store, self.loaded_year, self.texts())
        except RuleBroken as broken:
            for key, message in broken.problems.items():
                if key in self.problems:
                    self.problems[key].setText(message)
                    self.problems[key].show()
            first = next((i for i, (key, _) in enumerate(SECTIONS) if key in broken.problems), 0)
            self.sections.setCurrentRow(first)
            return False
        except Exception as error:  # a locked or read-only file: say so, keep the text
            show_error(self, error, "The narrative was not saved")
            return False
        for editor in self.editors.values():
            editor.document().setModified(False)
        return True

    def _on_year_value_changed(self, year: int) -> None:
        if self.is_modified() and not self.store.readonly:
            answer = QMessageBox.question(
                self, "Save the narrative?", f"Save the changes to the {self.loaded_year} narrative first?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard)
            if answer == QMessageBox.StandardButton.Save and not self.save():
                self.year.blockSignals(True)
                self.year.setValue(self.loaded_year)
                self.year.blockSignals(False)
                return
        self.load(year)
