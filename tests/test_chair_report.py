"""The sub group chair's report for a period, through the command line as a new user would make it:
the seed demo's 1 April – 31 May 2017 report lists the reviews initiated then (Ref057 on 2 April,
Ref052 on 13 May) and the overdue actions by agency, in PDF and in Word; escalations and the items
for the board chair; the gate and the document log; a period the wrong way round; the window."""

from __future__ import annotations

import pytest

from scrdesk.cli import main
from scrdesk.documents.anonymise import IdentifiersFound
from scrdesk.store.db import Store
from scrdesk.store.governance_reports import chair_report_data

PERIOD = ["--from", "2017-04-01", "--to", "2017-05-31"]


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def docx_text(path) -> tuple[list[str], list[list[list[str]]]]:
    import docx

    document = docx.Document(str(path))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return [p.text for p in document.paragraphs], tables


def _escalate(store: Store, **values) -> int:
    with store.transaction():
        return store.insert("escalations", {"raised_by": "Project officer", "to_whom": "business_manager",
                                            "subject": "", **values})


def test_the_demo_report_for_april_and_may_2017_in_pdf(demo_path, tmp_path):
    out = tmp_path / "chair.pdf"
    assert main(["--db", str(demo_path), "export", "chair-report", *PERIOD, "--out", str(out)]) == 0
    text = " ".join(pdf_text(out).split())
    assert "1 Apr 2017 to 31 May 2017" in text
    initiated = text[text.index("2. Reviews initiated"):text.index("3. Reviews' progress")]
    assert "Ref057 Serious Case Review 2 Apr 2017" in initiated
    assert "Ref052 Thematic Learning Review 13 May 2017" in initiated
    assert "Ref053" not in initiated  # initiated in February: in progress, not new
    overdue = text[text.index("4. Overdue actions by agency"):text.index("5. Briefings issued")]
    assert "2 actions overdue at 31 May 2017, across 2 agencies" in overdue
    assert "Community Rehabilitation Company (Northamptonshire) – 1 overdue" in overdue
    assert "East Midlands Ambulance Service NHS Trust – 1 overdue" in overdue
    with Store.open(demo_path, user="tester") as store:
        logged = store.row("SELECT kind, subject, file_name FROM document_log ORDER BY id DESC LIMIT 1")
    assert logged == {"kind": "chair_report", "subject": "chair's report 2017-04-01 to 2017-05-31",
                      "file_name": "chair.pdf"}


def test_progress_puts_the_exceptions_first_with_their_reasons_for_delay(demo):
    data = chair_report_data(demo, *_dates())
    colours = [r["rag"]["colour"] for r in data["progress"]]
    assert colours[:3] == ["red", "red", "amber"] and set(colours[3:]) == {"green"}
    first = data["progress"][0]
    assert first["ref"] == "Ref050" and first["exception"]
    assert [d["date"] for d in first["delays"]] == ["2017-03-16", "2016-11-17"]  # latest first
    assert "CPS content for the workshop" in first["delays"][0]["reason"]
    # A review completed before the period is not in progress; one open through it is.
    refs = {r["ref"] for r in data["progress"]}
    assert "Ref049" not in refs and "Ref057" in refs


def _dates():
    from datetime import date

    return date(2017, 4, 1), date(2017, 5, 31)


def test_the_word_version_has_the_same_sections_for_the_chair_to_edit(demo_path, tmp_path):
    with Store.open(demo_path, user="tester") as store:
        _escalate(store, raised_date="2017-05-02", to_whom="board_chair", raised_by="Sub group chair",
                  subject="Police timelines for Ref053 persistently late")
        _escalate(store, raised_date="2017-04-20", subject="Health visiting returns missing", outcome="Returns sent",
                  closed_date="2017-05-10")
        _escalate(store, raised_date="2017-01-10", subject="Closed before the period", outcome="Resolved",
                  closed_date="2017-02-01")
    out = tmp_path / "chair.docx"
    assert main(["--db", str(demo_path), "export", "chair-report", *PERIOD, "--out", str(out)]) == 0
    paragraphs, tables = docx_text(out)
    assert [p for p in paragraphs if p[:2] in {f"{n}." for n in range(1, 8)}] == [
        "1. Referrals considered and decisions", "2. Reviews initiated", "3. Reviews' progress against their targets",
        "4. Overdue actions by agency", "5. Briefings issued and dissemination returns", "6. Escalations",
        "7. Items for the board chair"]
    initiated = next(t for t in tables if t[0][:3] == ["Ref", "Type", "Initiated"])
    assert [(r[0], r[2]) for r in initiated[1:]] == [("Ref057", "2 Apr 2017"), ("Ref052", "13 May 2017")]
    by_agency = next(t for t in tables if t[0] == ["Agency", "Overdue"])
    assert by_agency[1:] == [["Community Rehabilitation Company (Northamptonshire)", "1"],
                             ["East Midlands Ambulance Service NHS Trust", "1"]]
    escalation_tables = [t for t in tables if t[0][:4] == ["Raised", "By", "To", "Subject"]]
    assert len(escalation_tables) == 2
    subjects = [r[3] for r in escalation_tables[0][1:]]
    assert "Closed before the period" not in subjects
    assert {"Police timelines for Ref053 persistently late", "Health visiting returns missing"} <= set(subjects)
    closed = next(r for r in escalation_tables[0][1:] if r[3] == "Health visiting returns missing")
    assert closed[5] == "Returns sent (closed 10 May 2017)"
    assert [r[3] for r in escalation_tables[1][1:]] == ["Police timelines for Ref053 persistently late"]
    import docx

    document = docx.Document(str(out))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert document.core_properties.title == "Chair's report 1 Apr 2017 to 31 May 2017"


def test_an_escalation_naming_a_child_stops_the_report(demo_path, tmp_path):
    with Store.open(demo_path, user="tester") as store:
        name = store.scalar("SELECT value FROM restricted_identifiers WHERE kind = 'name' LIMIT 1")
        _escalate(store, raised_date="2017-05-02", subject=f"Concern about {name}")
        out = tmp_path / "chair.pdf"
        from scrdesk import exports

        with pytest.raises(IdentifiersFound, match="Escalations"):
            exports.export_chair_report(store, out, start=_dates()[0], end=_dates()[1])
        assert not out.exists()
        assert store.scalar("SELECT count(*) FROM document_log") == 0


def test_a_period_the_wrong_way_round_or_a_wrong_file_type_is_refused(demo_path, tmp_path, capsys):
    out = tmp_path / "chair.pdf"
    assert main(["--db", str(demo_path), "export", "chair-report", "--from", "2017-06-01", "--to", "2017-05-31",
                 "--out", str(out)]) != 0
    assert "From date ('2017-06-01'): is after the to date (31 May 2017)" in capsys.readouterr().err
    assert main(["--db", str(demo_path), "export", "chair-report", *PERIOD, "--out", str(tmp_path / "c.xlsx")]) != 0
    assert "can be written as .pdf, .docx" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "c.xlsx").exists()


def test_without_dates_the_report_covers_the_two_months_to_the_as_at_date(demo):
    data = chair_report_data(demo)
    assert data["period"] == {"start": "2017-04-01", "end": "2017-06-30"}


def test_file_export_offers_the_chairs_report_and_the_health_check(qtbot, demo):
    from datetime import date

    from PySide6.QtCore import QDate

    from scrdesk.ui.documents import DOCUMENT_KINDS, ExportDialog

    dialog = ExportDialog(demo)
    qtbot.addWidget(dialog)
    dialog.select("chair_report")
    assert dialog.kind.currentText() == DOCUMENT_KINDS["chair_report"] == "Sub group chair's report"
    assert dialog.selected() == ("chair_report", {"start": date(2017, 4, 1), "end": date(2017, 6, 30), "fmt": "pdf"})
    dialog.chair_from.setDate(QDate(2017, 4, 1))
    dialog.chair_to.setDate(QDate(2017, 5, 31))
    next(b for b in dialog.chair_format[1].buttons() if b.property("code") == "docx").setChecked(True)
    kind, params = dialog.selected()
    assert params == {"start": date(2017, 4, 1), "end": date(2017, 5, 31), "fmt": "docx"}
    from scrdesk import exports

    rendered = exports.render(demo, kind, **params)
    assert rendered.suffix == ".docx" and rendered.suggested_name == "chair-report-2017-04-01-to-2017-05-31.docx"
    dialog.select("health_check")
    assert dialog.pages.currentIndex() == list(DOCUMENT_KINDS).index("health_check")


def test_an_overdue_action_of_the_sub_groups_own_plan_is_listed_under_its_agency(demo):
    from scrdesk.store import actions

    agency = demo.scalar("SELECT id FROM agencies WHERE name LIKE 'Northamptonshire County Council%'")
    actions.create_action(demo, {"review_id": None, "source_kind": "business_plan", "agency_id": agency,
                                 "source_text": "Business plan priority 2", "text": "Refresh the sub group plan",
                                 "target_date": "2017-04-15", "status": "not_started"})
    data = chair_report_data(demo, *_dates())
    group = next(g for g in data["overdue_by_agency"] if g["agency"].startswith("Northamptonshire County Council"))
    assert [(a["ref"], a["text"]) for a in group["actions"]] == [
        ("Sub group plan", "Refresh the sub group plan (from: Business plan priority 2)")]
