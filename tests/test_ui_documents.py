"""The document window offscreen: preview loads, print renders to a PDF printer, email writes a
draft that parses, the gate asks for a reason; and File → Export… picks the right parameters."""

from __future__ import annotations

import email
import email.policy
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from test_exports_sample import make_sample

from scrdesk.ui import documents
from scrdesk.ui.documents import (
    DocumentWindow,
    ExportDialog,
    OverrideDialog,
    PasswordDialog,
    show_document,
)


@pytest.fixture
def opened(monkeypatch):
    calls = []
    monkeypatch.setattr(documents, "open_with_system", lambda target: calls.append(target) or True)
    return calls


def _ready(qtbot, window: DocumentWindow) -> DocumentWindow:
    qtbot.waitUntil(window.is_ready, timeout=20000)
    assert window.error is None, window.error
    return window


def test_the_preview_loads_the_briefing_in_the_background(qtbot, store):
    make_sample(store)
    window = show_document(None, store, "briefing", ref="Ref021")
    qtbot.addWidget(window)
    _ready(qtbot, window)
    assert window.pdf.pageCount() == window.result.rendered.pages >= 1
    assert window.view.document() is window.pdf
    assert window.save_action.isEnabled() and window.print_action.isEnabled()
    assert "Ref021 6-step briefing" in window.windowTitle()
    assert store.scalar("SELECT count(*) FROM document_log") == 0  # a preview is not a release


def test_a_failure_is_shown_in_the_window(qtbot, store):
    make_sample(store)
    window = show_document(None, store, "briefing", ref="Ref999")
    qtbot.addWidget(window)
    qtbot.waitUntil(window.is_ready, timeout=20000)
    assert "no review for Ref999" in window.status.text()
    assert not window.save_action.isEnabled()


def test_print_renders_every_page_onto_a_pdf_printer(qtbot, store, tmp_path):
    make_sample(store)
    window = _ready(qtbot, show_document(None, store, "paper"))
    qtbot.addWidget(window)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = window.print_to(printer)
    assert pages == window.result.rendered.pages
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages
    [row] = store.rows("SELECT kind, file_name FROM document_log")
    assert row["kind"] == "paper" and row["file_name"].startswith("printed on")


def test_email_writes_a_draft_with_the_pdf_attached_and_opens_it(qtbot, store, tmp_path, opened):
    make_sample(store)
    window = _ready(qtbot, show_document(None, store, "briefing", ref="Ref021"))
    qtbot.addWidget(window)
    eml = window.email_draft(tmp_path)
    assert opened == [eml]
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content() == window.last_path.read_bytes()
    assert window.folder_action.isEnabled()


def test_save_with_a_password_writes_an_encrypted_file(qtbot, store, tmp_path):
    make_sample(store)
    window = _ready(qtbot, show_document(None, store, "actions"))
    qtbot.addWidget(window)
    window.password = "a-long-enough-password"
    result = window.save_to(tmp_path / "plan.pdf")
    assert result.encrypted
    reader = PdfReader(tmp_path / "plan.pdf")
    assert reader.is_encrypted and reader.decrypt("a-long-enough-password") != 0


def test_identifiers_block_release_until_a_reason_is_given(qtbot, store, tmp_path, monkeypatch):
    ids = make_sample(store)
    store.update("actions", ids["a_overdue"], {"text": "Visit Bethan Zyx"})
    window = _ready(qtbot, show_document(None, store, "actions"))
    qtbot.addWidget(window)
    assert "a name in Ref021" in window.notes.text()
    answers = [None, "Agreed with the chair: the name is already public"]
    monkeypatch.setattr(window, "ask_override", lambda hits: answers.pop(0))
    assert window.save_to(tmp_path / "a.pdf") is None  # cancelled
    assert not (tmp_path / "a.pdf").exists()
    result = window.save_to(tmp_path / "a.pdf")
    assert result is not None and len(result.identifier_hits) == 1
    assert store.scalar("SELECT override_reason FROM document_log") == "Agreed with the chair: the name is already public"


def test_the_override_dialog_needs_a_typed_reason(qtbot):
    from scrdesk.documents.anonymise import IdentifierHit

    dialog = OverrideDialog([IdentifierHit("The Findings", "name")])
    qtbot.addWidget(dialog)
    assert dialog.places.item(0).text() == "a name in The Findings"
    assert not dialog.release.isEnabled()
    dialog.reason.setPlainText("   ")
    assert not dialog.release.isEnabled()
    dialog.reason.setPlainText("Court has published it")
    assert dialog.release.isEnabled()


def test_the_password_dialog_insists_on_twelve_characters_and_generates_one(qtbot):
    dialog = PasswordDialog()
    qtbot.addWidget(dialog)
    dialog.password.setText("short")
    assert not dialog.ok.isEnabled()
    dialog._on_generate_clicked()
    assert len(dialog.password.text()) >= 12 and dialog.ok.isEnabled()


def test_the_export_dialog_offers_each_document_with_its_parameters(qtbot, store):
    ids = make_sample(store)
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.selected() == ("briefing", {"ref": ids["briefing"], "fmt": "pdf"})
    dialog.select("paper")
    dialog.paper_kind.setCurrentIndex(1)
    assert dialog.selected() == ("paper", {"on": date(2017, 6, 14), "paper_kind": "qa", "fmt": "pdf"})
    dialog.select("annual")
    assert dialog.selected() == ("annual", {"year": 2016, "fmt": "pdf"})
    dialog.select("timeline")
    dialog.review.setCurrentIndex(dialog.review.findData(ids["v53"]))
    assert dialog.selected() == ("timeline", {"review_id": ids["v53"], "fmt": "pdf"})


def test_the_export_dialog_opens_pdfs_in_the_document_window(qtbot, store):
    make_sample(store)
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.select("timeline")
    dialog._on_go_clicked()
    assert isinstance(dialog.window, DocumentWindow)
    qtbot.addWidget(dialog.window)
    _ready(qtbot, dialog.window)
    assert dialog.window.pdf.pageCount() >= 1


def test_the_export_dialog_writes_excel_and_chasers(qtbot, store, tmp_path, opened):
    from scrdesk import exports

    make_sample(store)
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.select("annual")
    kind, params = dialog.selected()
    params["fmt"] = "xlsx"
    result = dialog.write_file(exports.render(store, kind, **params), tmp_path / "annual.xlsx")
    assert result.path.exists()
    assert dialog.write_chasers(tmp_path / "chasers", None)
    assert len(dialog.written) == 2 and opened == [tmp_path / "chasers"]
