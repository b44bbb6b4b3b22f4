"""What leaves the app: encrypted PDFs open only with the password, .eml drafts parse with the
attachment byte-identical, Excel and JSON hold the data, and the issue's "done when" on the demo."""

from __future__ import annotations

import email
import email.policy
import io
import json

import openpyxl
import pytest
from pypdf import PdfReader
from test_documents_text import pdf_text
from test_exports_sample import UNICODE_SUMMARY, make_sample

from scrdesk import exports
from scrdesk.documents.protect import generate_password
from scrdesk.domain.errors import InvalidValue

PASSWORD = "tŷ-hafan-Łódź-2017"


def test_an_encrypted_briefing_opens_only_with_the_password(store, tmp_path):
    make_sample(store)
    result = exports.export_briefing(store, "Ref021", tmp_path / "b.pdf", password=PASSWORD)
    assert result.encrypted
    reader = PdfReader(tmp_path / "b.pdf")
    assert reader.is_encrypted
    assert reader.decrypt("wrong password!") == 0
    with pytest.raises(Exception):  # noqa: B017 - pypdf refuses any read of an undecrypted file
        reader.pages[0].extract_text()
    reader = PdfReader(tmp_path / "b.pdf")
    assert reader.decrypt(PASSWORD) != 0
    assert "1 The Background" in " ".join(reader.pages[0].extract_text().split())
    assert "/AESV3" in str(reader.trailer["/Encrypt"].get_object().get("/CF"))
    [row] = store.rows("SELECT encrypted FROM document_log")
    assert row["encrypted"] == 1


@pytest.mark.parametrize("password", ["short", "eleven-char", " leading-space-x"])
def test_a_weak_password_is_refused_and_nothing_is_written(store, tmp_path, password):
    make_sample(store)
    with pytest.raises(InvalidValue, match="Password"):
        exports.export_briefing(store, "Ref021", tmp_path / "b.pdf", password=password)
    assert not (tmp_path / "b.pdf").exists()


def test_generated_passwords_are_long_and_differ():
    a, b = generate_password(), generate_password()
    assert len(a) >= 12 and a != b


def test_a_password_on_an_excel_file_is_refused(store, tmp_path):
    make_sample(store)
    with pytest.raises(InvalidValue, match="PDF only"):
        exports.export_actions(store, tmp_path / "a.xlsx", password=PASSWORD)


def test_the_email_draft_parses_with_the_pdf_attached_byte_identical(store, tmp_path):
    make_sample(store)
    rendered = exports.render_briefing(store, "Ref021")
    eml, result = exports.email_document(store, rendered, tmp_path, to="lead@agency.example")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert message["To"] == "lead@agency.example"
    assert message["Subject"] == "OFFICIAL: Ref021 6-step briefing"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == result.path.name
    assert attachment.get_content() == result.path.read_bytes()
    assert store.scalar("SELECT count(*) FROM document_log") == 1


def test_chasers_one_draft_per_agency_listing_what_is_due(store, tmp_path):
    ids = make_sample(store)
    paths = exports.export_chasers(store, tmp_path)
    assert sorted(p.name for p in paths) == ["chaser-NCC-2017-06-14.eml", "chaser-Police-2017-06-14.eml"]
    police = email.message_from_bytes((tmp_path / "chaser-Police-2017-06-14.eml").read_bytes(),
                                      policy=email.policy.default)
    assert police["To"] == "sam.sample@police.example" and police["X-Unsent"] == "1"
    body = police.get_body(("plain",)).get_content()
    assert "Overdue actions (1)" in body
    assert "Brief all response officers on the protocol & record attendance." in body
    assert "Red: target 31 Mar 2017 passed 75 days ago" in body
    assert "Ref021 6-step briefing: sent 2 Feb 2017, feedback due 2 Mar 2017 (overdue)" in body
    ncc = (tmp_path / "chaser-NCC-2017-06-14.eml").read_bytes()
    assert b"Actions due in the next 14 days (1)" in ncc
    assert exports.export_chasers(store, tmp_path / "one", agency_id=ids["health"]) == []
    assert store.scalar("SELECT count(*) FROM document_log WHERE kind = 'chaser'") == 2


def test_the_action_plan_xlsx_holds_every_action_with_rag_reason(store, tmp_path):
    ids = make_sample(store)
    store.update("actions", ids["a_done"], {"text": "=HYPERLINK(\"http://x.example\")"})
    exports.export_actions(store, tmp_path / "a.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert [r[7] for r in rows] == ["Brief all response officers on the protocol & record attendance.",
                                    "Add the protocol to the induction pack.", "=HYPERLINK(\"http://x.example\")"]
    assert ws.cell(row=7, column=8).data_type == "s"  # typed text, never a formula
    assert rows[0][11] == "Red" and rows[0][12].startswith("Red: target 31 Mar 2017 passed")
    assert ws.freeze_panes == "A5"
    assert ws.oddHeader.center.text == "OFFICIAL-SENSITIVE"


def test_the_annual_exports_agree(store, tmp_path):
    make_sample(store)
    exports.export_annual(store, 2016, tmp_path / "a.json")
    report = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert report["year"] == 2016 and report["period"] == {"start": "2016-04-01", "end": "2017-03-31"}
    assert report["referrals"]["by_outcome"]["SCR"] == 1
    exports.export_annual(store, 2016, tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    outcomes = {r[0].value: r[1].value for r in book["Referrals by outcome"].iter_rows(min_row=4)}
    assert outcomes["Serious Case Review"] == 1 and outcomes["Total"] == 1
    result = exports.export_annual(store, 2016, tmp_path / "a.pdf")
    assert "Serious Case Review 1" in " ".join(pdf_text((tmp_path / "a.pdf").read_bytes()).split())
    assert result.pages >= 1


def test_an_unknown_output_type_is_a_clear_error(store, tmp_path):
    make_sample(store)
    with pytest.raises(InvalidValue, match=r"\.pdf, \.xlsx"):
        exports.export_actions(store, tmp_path / "a.docx")


def test_the_unicode_summary_appears_exactly_in_the_meeting_paper(store, tmp_path):
    make_sample(store)
    exports.export_paper(store, tmp_path / "p.pdf", on="14/06/2017")
    assert UNICODE_SUMMARY in pdf_text((tmp_path / "p.pdf").read_bytes())


@pytest.fixture
def demo(tmp_path):
    from scrdesk.store.db import Store
    from scrdesk.store.demo import write_demo

    path = write_demo(tmp_path / "demo.db")
    opened = Store.open(path, user="tester")
    yield opened
    opened.close()


def test_done_when_the_demo_briefing_for_ref021(demo, tmp_path):
    result = exports.export_briefing(demo, "Ref021", tmp_path / "b.pdf")
    assert 1 <= result.pages <= 2
    pages = [p.extract_text() for p in PdfReader(tmp_path / "b.pdf").pages]
    flat = " ".join(" ".join(pages).split())
    for step in ("1 The Background", "2 Safeguarding Concerns", "3 The Incident", "4 The Review",
                 "5 The Findings", "6 Recommendations"):
        assert step in flat
    assert all(p.count("OFFICIAL") >= 2 for p in pages)
    locked = exports.export_briefing(demo, "Ref021", tmp_path / "locked.pdf", password=PASSWORD)
    assert locked.encrypted
    reader = PdfReader(tmp_path / "locked.pdf")
    assert reader.decrypt("not the password") == 0
    assert reader.decrypt(PASSWORD) != 0 and len(reader.pages) == result.pages


def test_done_when_the_demo_papers_and_annual_report(demo, tmp_path):
    referral = demo.row("SELECT id FROM referrals WHERE ref = 'Ref057'")
    demo.update("referrals", referral["id"], {"summary": UNICODE_SUMMARY, "received_date": "2017-06-20"})
    exports.export_paper(demo, tmp_path / "p.pdf")
    assert UNICODE_SUMMARY in pdf_text((tmp_path / "p.pdf").read_bytes())
    for kind in ("qa",):
        assert exports.export_paper(demo, tmp_path / f"{kind}.pdf", kind=kind).pages >= 1
    annual = exports.export_annual(demo, 2016, tmp_path / "annual.pdf")
    flat = " ".join(pdf_text((tmp_path / "annual.pdf").read_bytes()).split())
    assert "considered 10 referrals" in flat and annual.pages >= 2
    for label, n in (("No further action required", 0), ("Single Agency Review", 2), ("Case Mapping Exercise", 5),
                     ("Thematic Learning Review", 1), ("Serious Case Review", 2)):
        assert f"{label} {n}" in flat
    assert exports.export_actions(demo, tmp_path / "plan.pdf").pages >= 1


def test_the_cli_writes_a_protected_briefing(demo, tmp_path, capsys):
    from scrdesk.cli import main

    path = demo.path
    demo.close()
    (tmp_path / "pw.txt").write_text(PASSWORD + "\nignored second line\n", encoding="utf-8")
    code = main(["export", "briefing", "Ref021", "--out", str(tmp_path / "b.pdf"), "--db", str(path),
                 "--password-file", str(tmp_path / "pw.txt")])
    assert code == 0
    assert "password protected" in capsys.readouterr().out
    reader = PdfReader(io.BytesIO((tmp_path / "b.pdf").read_bytes()))
    assert reader.decrypt(PASSWORD) != 0


def _attach(store, name: str, data: bytes, mime: str) -> int:
    import hashlib

    return store.insert("attachments", {"owner_kind": "settings", "owner_id": 0, "file_name": name,
                                        "mime_type": mime, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                                        "content": data})


def test_the_board_logo_from_settings_is_printed(store, tmp_path):
    from PIL import Image

    make_sample(store)
    buffer = io.BytesIO()
    Image.new("RGB", (300, 120), (200, 30, 30)).save(buffer, format="PNG")
    store.set_settings({"logo_attachment_id": _attach(store, "logo.png", buffer.getvalue(), "image/png")})
    result = exports.export_briefing(store, "Ref021", tmp_path / "b.pdf")
    assert result.warnings == []
    page = PdfReader(tmp_path / "b.pdf").pages[0]
    [image] = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
    assert image["/Width"] / image["/Height"] == pytest.approx(300 / 120, rel=0.05)


def test_a_logo_that_is_not_a_picture_falls_back_to_the_default_with_a_warning(store, tmp_path):
    make_sample(store)
    store.set_settings({"logo_attachment_id": _attach(store, "logo.svg", b"<svg/>", "image/svg+xml")})
    result = exports.export_briefing(store, "Ref021", tmp_path / "b.pdf")
    assert any("logo.svg" in w and "default logo" in w for w in result.warnings)


def test_the_marking_follows_the_setting_for_each_kind(store, tmp_path):
    make_sample(store)
    marking = dict(store.settings().marking)
    marking["briefing"] = "OFFICIAL-SENSITIVE"
    marking["paper"] = "OFFICIAL"
    store.set_settings({"marking": marking})
    exports.export_briefing(store, "Ref021", tmp_path / "b.pdf")
    exports.export_paper(store, tmp_path / "p.pdf")
    assert "OFFICIAL-SENSITIVE" in PdfReader(tmp_path / "b.pdf").pages[0].extract_text()
    assert "OFFICIAL-SENSITIVE" not in pdf_text((tmp_path / "p.pdf").read_bytes())


def test_importing_the_exports_and_the_window_loads_no_heavy_library():
    import subprocess
    import sys

    code = ("import sys, scrdesk.exports, scrdesk.ui.documents, scrdesk.domain.templates; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'openpyxl', 'pypdf'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]"
