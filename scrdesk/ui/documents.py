"""The document window: generate in the background, preview, then print, email, save or protect.

`show_document(parent, store, kind, **params)` opens a `DocumentWindow`; generation runs off the
GUI thread (`ui.base.run_in_background`, through a read-only connection of its own) and its
result arrives by signal on the GUI thread, so the window never freezes. Nothing leaves the app until it passes the anonymisation gate: restricted
identifiers block Print, Email and Save until fixed or overridden with a typed reason, which the
document log keeps. `ExportDialog` is File → Export…: choose a document and its parameters.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDate,
    QIODevice,
    QRectF,
    QSize,
    QStandardPaths,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.errors import ScrdeskError
from scrdesk.ui.base import BackgroundTask, run_in_background, show_error, size_within_screen

PRINT_DPI = 300  # DESIGN.md: 1,200 dpi takes seconds and hundreds of MB a page

DOCUMENT_KINDS = {
    "briefing": "Briefing (6-step or 7-minute)",
    "paper": "Meeting briefing paper",
    "actions": "Composite action plan",
    "annual": "Annual report tables",
    "chasers": "Chasers to agencies (email drafts)",
    "timeline": "Review timeline",
    "yearly_report": "Yearly report (narrative)",
    "evidence_pack": "Inspection evidence pack",
    "themes": "Themes across reviews",
    "chair_report": "Sub group chair's report",
    "health_check": "Sub group health check",
    "publication_pack": "Publication pack (a review's)",
    "rapid_review_report": "Rapid review report (a notified case's)",
}


def open_with_system(target: Path) -> bool:
    """Open a file or folder with the desktop's default program (tests replace this)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))


def show_in_folder(path: Path) -> None:
    if sys.platform == "win32" and path.is_file():
        import subprocess

        # Explorer selects the file; the plain folder would leave the person looking for it.
        subprocess.Popen(["explorer", "/select,", str(path)])  # noqa: S603,S607
        return
    open_with_system(path.parent if path.is_file() else path)


def outbox_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return Path(base) / "scrdesk" / "outbox"


def outlook_draft(subject: str, body: str, to: str, attachment: Path) -> bool:
    """On Windows with classic Outlook, open a COM draft; False (never an error) elsewhere."""
    if sys.platform != "win32":
        return False
    try:
        import win32com.client  # type: ignore[import-not-found]

        outlook = win32com.client.Dispatch("Outlook.Application")
        mail = outlook.CreateItem(0)
        mail.Subject = subject
        mail.Body = body
        if to:
            mail.To = to
        mail.Attachments.Add(str(attachment))
        mail.Display(False)
        return True
    except Exception:  # new Outlook, no Outlook, COM blocked by policy: fall back to the .eml
        return False


def print_pdf(pdf: bytes, printer: QPrinter, dpi: int = PRINT_DPI) -> int:
    """Render each page at `dpi` onto `printer`, fitted to its printable area; returns pages printed."""
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    painter = QPainter()
    if not painter.begin(printer):
        raise ScrdeskError("The printer could not be started.")
    try:
        count = document.pageCount()
        for index in range(count):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            image = document.render(index, QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi)))
            area = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
            area.moveTo(0, 0)
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            painter.drawImage(target, image)
    finally:
        painter.end()
        document.close()
    return count


# -- background generation ---------------------------------------------------------------------

@dataclass
class Generated:
    rendered: object  # exports.Rendered
    hits: list


def _generate(job, kind: str, params: dict) -> Generated:
    """Make the document and run the identifier check off the GUI thread, reading through the
    job's own read-only connection (never the window's, which may be mid-write)."""
    from scrdesk import exports

    job.progress(10, 100, "Gathering the data…")
    reader = job.reader()
    job.progress(35, 100, "Laying out the pages…")
    rendered = exports.render(reader, kind, **params)
    job.progress(85, 100, "Checking for restricted identifiers…")
    return Generated(rendered, exports.check_identifiers(reader, rendered))


# -- dialogs -----------------------------------------------------------------------------------

class OverrideDialog(QDialog):
    """Lists where restricted identifiers were found; release only with a typed reason."""

    def __init__(self, hits: list, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Restricted identifiers found")
        layout = QVBoxLayout(self)
        n = len(hits)
        layout.addWidget(QLabel(
            f"The anonymisation check found {n} restricted identifier{'s' if n != 1 else ''} in this document. "
            "Fix the text at each place below, or give the reason it may go out anyway. The reason is recorded "
            "in the document log."))
        self.places = QListWidget()
        self.places.setAccessibleName("Where the identifiers are")
        self.places.addItems([h.describe() for h in hits])
        layout.addWidget(self.places)
        layout.addWidget(QLabel("Reason for releasing it anyway:"))
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Override reason")
        self.reason.setFixedHeight(70)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.release = self.buttons.addButton("Release with this reason", QDialogButtonBox.ButtonRole.AcceptRole)
        self.release.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._on_reason_text_changed)
        layout.addWidget(self.buttons)

    def _on_reason_text_changed(self) -> None:
        self.release.setEnabled(bool(self.reason.toPlainText().strip()))

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()


class PasswordDialog(QDialog):
    """Choose or generate a password (at least 12 characters) for the PDF."""

    def __init__(self, parent: QWidget | None = None):
        from scrdesk.documents.protect import MIN_LENGTH, generate_password

        super().__init__(parent)
        self._generate = generate_password
        self._min = MIN_LENGTH
        self.setWindowTitle("Protect with a password")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            f"Files you save or email from this window will open only with this password (AES-256, at least "
            f"{MIN_LENGTH} characters). Send the password by another channel, such as a phone call. "
            "scrdesk does not keep it."))
        row = QHBoxLayout()
        self.password = QLineEdit()
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        row.addWidget(self.password)
        generate = QPushButton("&Generate")
        generate.clicked.connect(self._on_generate_clicked)
        row.addWidget(generate)
        layout.addLayout(row)
        self.message = QLabel("")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.password.textChanged.connect(self._on_password_text_changed)
        layout.addWidget(buttons)

    def _on_generate_clicked(self) -> None:
        self.password.setEchoMode(QLineEdit.EchoMode.Normal)  # shown once, to write down or copy
        self.password.setText(self._generate())

    def _on_password_text_changed(self, text: str) -> None:
        long_enough = len(text) >= self._min and text == text.strip()
        self.ok.setEnabled(long_enough)
        self.message.setText("" if long_enough else f"At least {self._min} characters, no spaces at either end.")


# -- the window ----------------------------------------------------------------------------------

class DocumentWindow(QMainWindow):
    """Preview of one document with Print…, Email…, Save as…, Show in folder and Password…."""

    generated = Signal()
    released = Signal(object)

    def __init__(self, store, kind: str, params: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.kind, self.params = store, kind, params
        self.result: Generated | None = None
        self.password: str | None = None
        self.override_reason: str | None = None
        self.last_path: Path | None = None
        self.error: str | None = None
        self._task: BackgroundTask | None = None
        self._buffer: QBuffer | None = None
        self.setWindowTitle(DOCUMENT_KINDS.get(kind, "Document"))
        # A page's height where the screen has it; on a 1366×768 laptop 1,000 pixels would put the
        # bottom of the preview below the task bar.
        self.resize(size_within_screen(QSize(980, 1000), parent))

        toolbar = QToolBar("Document")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.print_action = toolbar.addAction("&Print…", self._on_print_triggered)
        self.email_action = toolbar.addAction("&Email…", self._on_email_triggered)
        self.save_action = toolbar.addAction("&Save as…", self._on_save_triggered)
        self.folder_action = toolbar.addAction("Show in &folder", self._on_folder_triggered)
        self.password_action = toolbar.addAction("Pass&word…", self._on_password_triggered)
        self.print_action.setShortcut("Ctrl+P")
        self.save_action.setShortcut("Ctrl+S")
        self.folder_action.setEnabled(False)

        central = QWidget()
        layout = QVBoxLayout(central)
        self.status = QLabel("Preparing…")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Document status")
        layout.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        layout.addWidget(self.progress)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setVisible(False)
        self.notes.setStyleSheet("QLabel { background: #fdf3d8; padding: 6px; }")
        layout.addWidget(self.notes)
        self.pdf = QPdfDocument(self)
        self.view = QPdfView(central)
        self.view.setAccessibleName("Preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.pdf)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self._set_actions_enabled(False)

    # -- generation ------------------------------------------------------------------------------

    def generate(self) -> None:
        self._set_actions_enabled(False)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        kind, params = self.kind, dict(self.params)
        self._task = run_in_background(lambda job: _generate(job, kind, params), data_file=self.store,
                                       on_done=self._on_task_finished, on_failed=self._on_task_failed,
                                       on_progress=self._on_task_progressed)

    def is_ready(self) -> bool:
        return self.result is not None or self.error is not None

    def _on_task_progressed(self, value: int, _total: int, text: str) -> None:
        self.progress.setValue(value)
        self.status.setText(text)

    def _on_task_failed(self, message: str) -> None:
        self.error = message
        self.progress.setVisible(False)
        self.status.setText(message)
        self.generated.emit()

    def _on_task_finished(self, result: Generated) -> None:
        self.result = result
        rendered = result.rendered
        self.setWindowTitle(f"{rendered.title} – preview")
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(rendered.data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)
        self.progress.setVisible(False)
        pages = rendered.pages
        self.status.setText(f"{rendered.title}: {pages} page{'s' if pages != 1 else ''}. Nothing has left "
                            "scrdesk yet: print, email or save it from the toolbar.")
        notes = list(rendered.warnings)
        if result.hits:
            notes.insert(0, "Restricted identifiers found – it cannot leave scrdesk until they are removed or "
                            "you give a reason: " + "; ".join(h.describe() for h in result.hits))
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self._set_actions_enabled(True)
        self.generated.emit()

    def _set_actions_enabled(self, enabled: bool) -> None:
        for action in (self.print_action, self.email_action, self.save_action, self.password_action):
            action.setEnabled(enabled)

    # -- the gate ----------------------------------------------------------------------------------

    def ask_override(self, hits: list) -> str | None:
        """The typed reason to release despite `hits`, or None when the person cancels."""
        dialog = OverrideDialog(hits, self)
        return dialog.reason_text() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _cleared(self) -> bool:
        """True when the document may leave: no hits, or a reason has been given for them."""
        if self.result is None:
            return False
        if not self.result.hits or self.override_reason:
            return True
        reason = self.ask_override(self.result.hits)
        if not reason:
            return False
        self.override_reason = reason
        return True

    # -- the actions -------------------------------------------------------------------------------

    def save_to(self, path: Path):
        from scrdesk import exports

        if not self._cleared():
            return None
        result = exports.release(self.store, self.result.rendered, path, password=self.password,
                                 override_reason=self.override_reason)
        self.last_path = result.path
        self.folder_action.setEnabled(True)
        self.status.setText(f"Saved {result.path}" + (" (password protected)." if result.encrypted else "."))
        self.released.emit(result)
        return result

    def email_draft(self, folder: Path | None = None) -> Path | None:
        """Save the document into the outbox and open an unsent draft with it attached."""
        from scrdesk import exports

        if not self._cleared():
            return None
        rendered = self.result.rendered
        eml, result = exports.email_document(self.store, rendered, folder or outbox_folder(),
                                             password=self.password, override_reason=self.override_reason)
        self.last_path = result.path
        self.folder_action.setEnabled(True)
        self.released.emit(result)

        subject = f"{self.store.settings().marking_for(rendered.kind)}: {rendered.title}"
        body = f"Please find attached: {rendered.title}."
        opened = outlook_draft(subject, body, rendered.recipient, result.path) or open_with_system(eml)
        if opened:
            self.status.setText(f"Email draft made with {result.path.name} attached ({eml}).")
        else:
            self.status.setText(f"The email draft is at {eml}; open it with your mail program.")
        return eml

    def print_to(self, printer: QPrinter) -> int:
        from scrdesk import exports

        if not self._cleared():
            return 0
        exports.record_printing(self.store, self.result.rendered, printer.printerName() or printer.outputFileName(),
                                override_reason=self.override_reason)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pages = print_pdf(self.result.rendered.data, printer)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.status.setText(f"Sent {pages} page{'s' if pages != 1 else ''} to the printer.")
        return pages

    def _on_print_triggered(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._guard(lambda: self.print_to(printer))

    def _on_email_triggered(self) -> None:
        self._guard(self.email_draft)

    def _on_save_triggered(self) -> None:
        rendered = self.result.rendered
        start = str((self.last_path.parent if self.last_path else outbox_folder().parent) / rendered.suggested_name)
        name, _ = QFileDialog.getSaveFileName(self, "Save the document", start, "PDF documents (*.pdf)")
        if name:
            path = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
            self._guard(lambda: self.save_to(path))

    def _on_folder_triggered(self) -> None:
        if self.last_path is not None:
            show_in_folder(self.last_path)

    def _on_password_triggered(self) -> None:
        dialog = PasswordDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.password = dialog.password.text()
            QMessageBox.information(
                self, "Password set",
                f"Files saved or emailed from this window will open only with:\n\n{self.password}\n\n"
                "Write it down or copy it now and send it by another channel (for example a phone call). "
                "It is not shown again and not kept.")
            self.password_action.setText("Pass&word… (set)")

    def _guard(self, call) -> None:
        try:
            call()
        except (ScrdeskError, OSError) as error:
            show_error(self, error, "The document was not released")


def show_document(parent: QWidget | None, store, kind: str, **params) -> DocumentWindow:
    """Open a document window and start making the document in the background."""
    window = DocumentWindow(store, kind, params, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.setWindowFlag(Qt.WindowType.Window)
    window.show()
    window.generate()
    return window


# -- File → Export… ------------------------------------------------------------------------------

class ExportDialog(QDialog):
    """Choose a document and its parameters; PDFs open in a DocumentWindow, others are written."""

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        from scrdesk.domain.dates import reporting_year
        from scrdesk.store import document_choices
        from scrdesk.store.agencies import agency_choices

        self.store = store
        self.window: DocumentWindow | None = None
        self.written: list[Path] = []
        settings = store.settings()
        today = settings.today()
        self.setWindowTitle("Export a document")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Document")
        for code, label in DOCUMENT_KINDS.items():
            self.kind.addItem(label, code)
        form.addRow("&Document:", self.kind)
        layout.addLayout(form)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)

        # briefing
        self.briefing = QComboBox()
        self.briefing.setAccessibleName("Briefing")
        for row in document_choices.briefing_choices(store):
            self.briefing.addItem(f"{row['refs'] or row['title']} – {row['template'].replace('_', ' ')} "
                                  f"v{row['version']} ({row['status']})", row["id"])
        self.pages.addWidget(self._page([("&Briefing:", self.briefing)]))
        # paper
        self.paper_date = QDateEdit(QDate(today.year, today.month, today.day))
        self.paper_date.setCalendarPopup(True)
        self.paper_date.setDisplayFormat("d MMM yyyy")
        self.paper_date.setAccessibleName("Meeting date")
        self.paper_kind = QComboBox()
        self.paper_kind.setAccessibleName("Sub group")
        self.paper_kind.addItem("Case review (SCR) sub group", "scr")
        self.paper_kind.addItem("Quality assurance (QA) sub group", "qa")
        self.pages.addWidget(self._page([("Meeting &date:", self.paper_date), ("&Sub group:", self.paper_kind)]))
        # actions
        self.actions_format = self._formats(("pdf", "PDF (preview first)"), ("xlsx", "Excel workbook"))
        self.pages.addWidget(self._page([("&Format:", self.actions_format[0])]))
        # annual
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(reporting_year(today, settings.year_start_month,
                                          settings.year_start_day) - 1)
        self.year.setAccessibleName("Reporting year starting in")
        self.annual_format = self._formats(("pdf", "PDF (preview first)"), ("xlsx", "Excel workbook"),
                                           ("json", "JSON data"))
        self.pages.addWidget(self._page([("Reporting &year starting in:", self.year),
                                         ("&Format:", self.annual_format[0])]))
        # chasers
        self.agency = QComboBox()
        self.agency.setAccessibleName("Agency")
        self.agency.addItem("Every agency with something due", None)
        for row in agency_choices(store, active_only=True):
            self.agency.addItem(row["name"], row["id"])
        self.pages.addWidget(self._page([("&Agency:", self.agency)]))
        # timeline
        self.review = QComboBox()
        self.review.setAccessibleName("Review")
        self.review.addItem("All live reviews (chart)", None)
        for row in document_choices.timeline_review_choices(store):
            self.review.addItem(row["refs"] or row["title"], row["id"])
        self.pages.addWidget(self._page([("&Review:", self.review)]))
        # yearly report
        self.yearly_year = QSpinBox()
        self.yearly_year.setRange(2000, 2100)
        self.yearly_year.setValue(self.year.value())
        self.yearly_year.setAccessibleName("Yearly report: reporting year starting in")
        self.yearly_format = self._formats(("pdf", "PDF (preview first)"), ("docx", "Word document"))
        self.pages.addWidget(self._page([("Reporting &year starting in:", self.yearly_year),
                                         ("&Format:", self.yearly_format[0])]))
        # evidence pack: the three years to the as-at date unless chosen
        self.pack_from = QDateEdit(QDate(today.year - 3, today.month, min(today.day, 28)))
        self.pack_to = QDateEdit(QDate(today.year, today.month, today.day))
        for edit, name in ((self.pack_from, "Evidence pack from"), (self.pack_to, "Evidence pack to")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
        self.pages.addWidget(self._page([("&From:", self.pack_from), ("&To:", self.pack_to)]))
        # themes
        self.themes_format = self._formats(("pdf", "PDF (preview first)"), ("xlsx", "Excel workbook"))
        self.pages.addWidget(self._page([("&Format:", self.themes_format[0])]))
        # the chair's report: by default the two months to the as-at date (it is bi-monthly)
        from scrdesk.domain.dates import format_date
        from scrdesk.store.governance_reports import chair_report_period, health_check_dates

        start, end = chair_report_period(store, None, None)
        self.chair_from = QDateEdit(QDate(start.year, start.month, start.day))
        self.chair_to = QDateEdit(QDate(end.year, end.month, end.day))
        for edit, name in ((self.chair_from, "Chair's report from"), (self.chair_to, "Chair's report to")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
        self.chair_format = self._formats(("pdf", "PDF (preview first)"), ("docx", "Word document (to edit)"))
        self.pages.addWidget(self._page([("&From:", self.chair_from), ("&To:", self.chair_to),
                                         ("&Format:", self.chair_format[0])]))
        # health check: the latest unless an earlier one is chosen
        self.health_check = QComboBox()
        self.health_check.setAccessibleName("Health check")
        for held in reversed(health_check_dates(store)):
            self.health_check.addItem(format_date(date.fromisoformat(held)), held)
        self.pages.addWidget(self._page([("&Health check held on:", self.health_check)]))
        # publication pack: one review, chosen by its refs
        self.publication_review = QComboBox()
        self.publication_review.setAccessibleName("Publication pack: review")
        for row in document_choices.timeline_review_choices(store):
            self.publication_review.addItem(row["refs"] or row["title"], row["id"])
        self.pages.addWidget(self._page([("&Review:", self.publication_review)]))
        # rapid review report: one notified case, newest first
        from scrdesk.store.rapid_review_report import notified_cases

        self.rapid_case = QComboBox()
        self.rapid_case.setAccessibleName("Rapid review report: notified case")
        for row in notified_cases(store):
            withdrawn = " (withdrawn)" if row["notification_withdrawn_date"] else ""
            self.rapid_case.addItem(f"{row['ref']} – notified {format_date(date.fromisoformat(row['sin_submitted_date']))}"
                                    f"{withdrawn}", row["id"])
        self.pages.addWidget(self._page([("&Notified case:", self.rapid_case)]))

        self.kind.currentIndexChanged.connect(self.pages.setCurrentIndex)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton("&Make it", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_go_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _page(rows: list[tuple[str, QWidget]]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        for label, widget in rows:
            form.addRow(label, widget)
        return page

    def _formats(self, *choices: tuple[str, str]) -> tuple[QWidget, QButtonGroup]:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(box)
        for i, (code, label) in enumerate(choices):
            button = QRadioButton(label)
            button.setProperty("code", code)
            button.setChecked(i == 0)
            group.addButton(button)
            row.addWidget(button)
        return box, group

    @staticmethod
    def _chosen(group: QButtonGroup) -> str:
        return group.checkedButton().property("code")

    def select(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def selected(self) -> tuple[str, dict]:
        """(kind, parameters) as show_document / the exports take them; fmt is the file type."""
        kind = self.kind.currentData()
        if kind == "briefing":
            return kind, {"ref": self.briefing.currentData(), "fmt": "pdf"}
        if kind == "paper":
            d = self.paper_date.date()
            return kind, {"on": date(d.year(), d.month(), d.day()), "paper_kind": self.paper_kind.currentData(),
                          "fmt": "pdf"}
        if kind == "actions":
            return kind, {"fmt": self._chosen(self.actions_format[1])}
        if kind == "annual":
            return kind, {"year": self.year.value(), "fmt": self._chosen(self.annual_format[1])}
        if kind == "chasers":
            return kind, {"agency_id": self.agency.currentData(), "fmt": "eml"}
        if kind == "yearly_report":
            return kind, {"year": self.yearly_year.value(), "fmt": self._chosen(self.yearly_format[1])}
        if kind == "evidence_pack":
            start, end = self.pack_from.date(), self.pack_to.date()
            return kind, {"start": date(start.year(), start.month(), start.day()),
                          "end": date(end.year(), end.month(), end.day()), "fmt": "pdf"}
        if kind == "themes":
            return kind, {"fmt": self._chosen(self.themes_format[1])}
        if kind == "chair_report":
            start, end = self.chair_from.date(), self.chair_to.date()
            return kind, {"start": date(start.year(), start.month(), start.day()),
                          "end": date(end.year(), end.month(), end.day()), "fmt": self._chosen(self.chair_format[1])}
        if kind == "health_check":
            return kind, {"on": self.health_check.currentData(), "fmt": "pdf"}
        if kind == "publication_pack":
            return kind, {"review_id": self.publication_review.currentData(), "fmt": "pdf"}
        if kind == "rapid_review_report":
            return kind, {"referral_id": self.rapid_case.currentData(), "fmt": "pdf"}
        return kind, {"review_id": self.review.currentData(), "fmt": "pdf"}

    def _on_go_clicked(self) -> None:
        kind, params = self.selected()
        if kind == "briefing" and params["ref"] is None:
            QMessageBox.information(self, "No briefing", "There is no briefing to export yet; write one in the "
                                                         "Briefings tab first.")
            return
        if kind == "publication_pack" and params["review_id"] is None:
            QMessageBox.information(self, "No review", "There is no review to make a publication pack for yet.")
            return
        if kind == "rapid_review_report" and params["referral_id"] is None:
            QMessageBox.information(self, "No notified case", "No case has been notified to the national panel "
                                                              "yet, so there is no rapid review report to make.")
            return
        if kind == "health_check" and params["on"] is None:
            QMessageBox.information(self, "No health check", "There is no health check to export yet; record one "
                                                             "in the Sub group tab first.")
            return
        try:
            if params["fmt"] == "pdf":
                params.pop("fmt")
                self.window = show_document(self.parent(), self.store, kind, **params)
                self.accept()
                return
            if kind == "chasers":
                folder = QFileDialog.getExistingDirectory(self, "Folder for the email drafts",
                                                          str(outbox_folder()))
                if folder and self.write_chasers(Path(folder), params["agency_id"]):
                    self.accept()
                return
            self._save_file(kind, params)
        except (ScrdeskError, OSError) as error:
            show_error(self, error, "The document was not made")

    def write_chasers(self, folder: Path, agency_id: int | None, override_reason: str | None = None) -> bool:
        from scrdesk import exports
        from scrdesk.documents.anonymise import IdentifiersFound

        try:
            self.written = exports.export_chasers(self.store, folder, agency_id=agency_id,
                                                  override_reason=override_reason)
        except IdentifiersFound as found:
            reason = OverrideDialog(found.hits, self)
            if reason.exec() != QDialog.DialogCode.Accepted:
                return False
            return self.write_chasers(folder, agency_id, reason.reason_text())
        if not self.written:
            QMessageBox.information(self, "Nothing to chase", "No agency has overdue or due-soon actions or "
                                                              "missing dissemination evidence.")
            return False
        with contextlib.suppress(Exception):
            open_with_system(folder)
        return True

    def write_file(self, rendered, path: Path, override_reason: str | None = None):
        """Write an Excel or JSON document, asking for an override reason if the gate blocks it."""
        from scrdesk import exports
        from scrdesk.documents.anonymise import IdentifiersFound

        try:
            result = exports.release(self.store, rendered, path, override_reason=override_reason)
        except IdentifiersFound as found:
            dialog = OverrideDialog(found.hits, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return self.write_file(rendered, path, dialog.reason_text())
        self.written = [result.path]
        return result

    def _save_file(self, kind: str, params: dict) -> None:
        from scrdesk import exports

        suffix = params["fmt"]
        rendered = exports.render(self.store, kind, **params)
        name, _ = QFileDialog.getSaveFileName(self, "Save the document",
                                              str(outbox_folder().parent / rendered.suggested_name),
                                              f"{suffix.upper()} files (*.{suffix})")
        if not name:
            return
        path = Path(name) if name.lower().endswith(f".{suffix}") else Path(f"{name}.{suffix}")
        if self.write_file(rendered, path) is not None:
            show_in_folder(path)
            self.accept()
