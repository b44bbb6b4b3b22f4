"""The subject-access export of one case: a PDF (or JSON) holding the record, the subject's own
restricted identifiers and the history; never a name in the file name or the PDF metadata;
another case's identifiers still blocked; every export recorded in the document log."""

from __future__ import annotations

import json
import shutil

import pytest

from scrdesk import exports
from scrdesk.documents.anonymise import IdentifiersFound
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture
def demo(demo_file, tmp_path):
    opened = Store.open(shutil.copy(demo_file, tmp_path / "demo.db"), user="tester")
    yield opened
    opened.close()


def _case(store, ref="Ref021"):
    referral_id = store.scalar("SELECT id FROM referrals WHERE ref = ?", [ref])
    names = [r["value"] for r in store.rows(
        "SELECT value FROM restricted_identifiers WHERE referral_id = ? ORDER BY id", [referral_id])]
    return referral_id, names


def _pdf_text(path) -> tuple[str, dict]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), dict(reader.metadata)


def test_the_pdf_holds_the_case_its_own_identifiers_and_its_history(demo, tmp_path):
    referral_id, names = _case(demo)
    demo.update("referrals", referral_id, {"location": "Corby"})
    result = exports.export_subject_access(demo, referral_id, tmp_path / "subject-access-Ref021.pdf")
    text, _ = _pdf_text(result.path)
    assert "Case Ref021" in text
    assert "own restricted identifiers" in text  # the exception is stated on the first page
    assert names and all(name in text for name in names)
    assert "History of every record" in text
    assert "tester" in text and "Location: from Kettering to Corby" in text
    # The subject's own identifiers need no override, so none is claimed: they are not counted as
    # overridden hits, and the one note says what was released and that the log holds it.
    assert result.pages >= 2 and result.identifier_hits == []
    assert len(result.warnings) == 1 and "own restricted identifiers are printed on purpose" in result.warnings[0]


def test_the_pdf_metadata_holds_the_ref_and_no_identifier(demo, tmp_path):
    referral_id, _ = _case(demo)
    result = exports.export_subject_access(demo, referral_id, tmp_path / "sar.pdf")
    _, metadata = _pdf_text(result.path)
    assert metadata["/Title"] == "Subject access export Ref021"
    every_identifier = [r["value"].lower() for r in demo.rows("SELECT value FROM restricted_identifiers")]
    for value in metadata.values():
        assert not any(identifier in str(value).lower() for identifier in every_identifier)


def test_each_export_is_recorded_in_the_document_log_with_the_exception_named(demo, tmp_path):
    referral_id, names = _case(demo)
    exports.export_subject_access(demo, referral_id, tmp_path / "sar.pdf", password="long enough secret")
    exports.export_subject_access(demo, referral_id, tmp_path / "sar.json")
    pdf, js = demo.rows("SELECT * FROM document_log WHERE kind = 'subject_access' ORDER BY id")
    assert (pdf["subject"], pdf["file_name"], pdf["encrypted"]) == ("Ref021", "sar.pdf", 1)
    assert (js["subject"], js["file_name"], js["encrypted"]) == ("Ref021", "sar.json", 0)
    for row in (pdf, js):
        assert row["identifier_hits"] >= len(names) and "subject's own" in row["override_reason"]
        assert row["produced_by"] == "tester" and len(row["sha256"]) == 64
        assert not any(name in json.dumps(row) for name in names)


def test_the_json_export_still_works(demo, tmp_path):
    referral_id, names = _case(demo)
    result = exports.export_subject_access(demo, referral_id, tmp_path / "sar.json")
    data = json.loads(result.path.read_text(encoding="utf-8"))
    assert data["referral"]["ref"] == "Ref021" and data["history"]
    assert [i["value"] for i in data["restricted_identifiers"]] == names
    with pytest.raises(InvalidValue):
        exports.export_subject_access(demo, referral_id, tmp_path / "other.json", password="secret words")
    with pytest.raises(InvalidValue):
        exports.export_subject_access(demo, referral_id, tmp_path / "sar.docx")


def test_a_name_in_the_file_name_is_refused_and_nothing_is_written(demo, tmp_path):
    referral_id, names = _case(demo)
    out = tmp_path / f"{names[0]}.pdf"
    with pytest.raises(ScrdeskError, match="file name"):
        exports.export_subject_access(demo, referral_id, out)
    assert not out.exists()
    assert demo.rows("SELECT * FROM document_log") == []


def test_another_cases_identifier_still_blocks_unless_overridden(demo, tmp_path):
    referral_id, _ = _case(demo)
    _, other_names = _case(demo, "Ref053")
    review_id = demo.scalar("SELECT review_id FROM review_referrals WHERE referral_id = ?", [referral_id])
    demo.update("reviews", review_id, {"notes": f"Discussed alongside {other_names[0]}."})
    out = tmp_path / "sar.pdf"
    with pytest.raises(IdentifiersFound):
        exports.export_subject_access(demo, referral_id, out)
    assert not out.exists()
    exports.export_subject_access(demo, referral_id, out, override_reason="Redacted by hand before release")
    [row] = demo.rows("SELECT override_reason FROM document_log")
    assert "Redacted by hand before release" in row["override_reason"]


def test_the_window_writes_the_pdf_chosen_in_the_save_dialog(qtbot, demo, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from scrdesk.ui.safety import export_subject_access

    asked = {}

    def choose(*args, **kwargs):
        asked["filters"] = args[3]
        return str(tmp_path / "sar"), "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    referral_id, _ = _case(demo)
    written = export_subject_access(None, demo, referral_id)
    assert written == tmp_path / "sar.pdf" and written.read_bytes().startswith(b"%PDF")
    assert "PDF files (*.pdf)" in asked["filters"] and "JSON files (*.json)" in asked["filters"]


def test_the_command_line_never_claims_an_override_reason_that_was_not_given(demo_file, tmp_path, capsys):
    from scrdesk import cli

    db = shutil.copy(demo_file, tmp_path / "demo.db")
    code = cli.main(["export", "subject-access", "Ref021", "--db", str(db), "--out", str(tmp_path / "sar.pdf")])
    said = capsys.readouterr().out
    assert code == 0 and "override reason recorded" not in said
    assert "printed on purpose" in said


def test_an_unstamped_referral_is_read_in_the_boards_own_framework(tmp_path):
    # A Welsh board's unstamped referral must not get Working Together labels.
    from scrdesk.store import retention

    with Store.open(tmp_path / "wales.db", user="tester") as store:
        store.set_settings({"jurisdiction": "wales", "default_framework": "cpr_wales"})
        referral_id = store.insert("referrals", {"ref": "Ref001", "decision": "CPR_CONCISE"})
        data = retention.subject_access_data(store, referral_id)
        assert data["default_framework"] == "cpr_wales"
        exports.export_subject_access(store, referral_id, tmp_path / "case.pdf")
    text, _ = _pdf_text(tmp_path / "case.pdf")
    assert "Concise Child Practice Review" in text
