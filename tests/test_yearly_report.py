"""The yearly report: the narrative kept per year and section (rules first, nothing changed on a
refusal), and the documents through the command line: the reference report's sections, its
0/2/5/1/2 table and the briefings issued that year in Word; the PDF with its charts; the gate."""

from __future__ import annotations

import re

import pytest

from scrdesk.cli import main
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules.yearly_report import SECTIONS
from scrdesk.store import yearly_report
from scrdesk.store.db import Store


def docx_text(path) -> tuple[list[str], list[list[list[str]]]]:
    import docx

    document = docx.Document(str(path))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return [p.text for p in document.paragraphs], tables


def test_the_2016_17_report_in_word_has_the_reference_sections_table_and_briefings(demo_path, tmp_path):
    out = tmp_path / "yearly.docx"
    assert main(["--db", str(demo_path), "export", "yearly-report", "--year", "2016", "--out", str(out)]) == 0
    paragraphs, tables = docx_text(out)
    headings = [f"{i + 1}. {title}" for i, (_, title) in enumerate(SECTIONS)]
    assert all(h in paragraphs for h in headings)
    assert "Introduction and context" in SECTIONS[0][1] and SECTIONS[-1][1] == "Priorities for next year"
    outcome = next(t for t in tables if t[0] == ["Outcome", "Number"])
    assert outcome[1:] == [["No further action required", "0"], ["Single Agency Review", "2"],
                           ["Case Mapping Exercise", "5"], ["Thematic Learning Review", "1"],
                           ["Serious Case Review", "2"], ["Total", "10"]]
    briefings = next(t for t in tables if t[0][:3] == ["Ref", "Briefing", "Issued"])
    assert [(r[0], r[2]) for r in briefings[1:]] == [("Ref023", "13 Jul 2016"), ("Ref044", "6 Oct 2016"),
                                                     ("Ref021", "26 Jan 2017")]
    assert briefings[0][3:5] == ["Newsletter", "Website"]
    # Each promoted in the bi-monthly newsletter and put on the website, with the dates.
    for row in briefings[1:]:
        assert re.fullmatch(r"Issue \d+ \(\d{1,2} \w{3} 201[67]\)", row[3]), row
        assert re.fullmatch(r"\d{1,2} \w{3} 201[67] https://\S+", row[4]), row
    # Ref021 was published with 1:1 interviews between the Independent Chair and the media.
    published = next(t for t in tables if t[0][:2] == ["Ref", "Published"])
    ref021 = next(r for r in published[1:] if r[0] == "Ref021")
    assert ref021[1] == "26 Jan 2017" and "1:1 interviews" in ref021[3]
    # An unwritten narrative says so, for the business manager to finish in Word.
    assert any(p.startswith("[To be written: Challenges.") for p in paragraphs)


def test_governance_says_quoracy_only_where_attendance_was_taken():
    from scrdesk.documents.yearly_report import _governance_blocks

    without = _governance_blocks({"meetings_held": 12, "meetings_quorate": 0, "attendance_by_agency": {},
                                  "health_checks": [], "terms_of_reference_reviewed": [], "escalations": 1})
    assert [b.text for b in without] == ["The sub group met 12 times in the year. Escalations raised: 1."]
    taken = _governance_blocks({"meetings_held": 6, "meetings_quorate": 5, "attendance_by_agency": {"Police": 0.83},
                                "health_checks": ["2016-10-01"], "escalations": 0})
    assert taken[0].text == ("The sub group met 6 times in the year, 5 of them quorate. Health checks: 1 Oct 2016. "
                             "Escalations raised: 0.")
    assert taken[1].rows == [["Police", "83%"]]
    assert _governance_blocks({}) == []


def test_the_narrative_is_kept_per_year_and_printed(demo_path, tmp_path):
    with Store.open(demo_path, user="tester") as store:
        yearly_report.save_narrative(store, 2016, {
            "introduction": "This report covers the period 1st April 2016 to 31st March 2017.\n\nA busy year.",
            "challenges": "Timeliness & finding authors <remain> hard."})
        yearly_report.save_narrative(store, 2017, {"introduction": "Another year."})
        assert yearly_report.narrative(store, 2016)["introduction"].endswith("A busy year.")
        assert yearly_report.narrative(store, 2016)["priorities"] == ""
        assert yearly_report.years_written(store) == [2017, 2016]
        yearly_report.save_narrative(store, 2017, {"introduction": "  "})  # blank removes it
        assert yearly_report.years_written(store) == [2016]
        audited = store.scalar("SELECT count(*) FROM audit_log WHERE tbl = 'yearly_report_sections'")
        assert audited == 4  # two sections for 2016, one for 2017, then its delete
    out = tmp_path / "yearly.docx"
    assert main(["--db", str(demo_path), "export", "yearly-report", "--year", "2016", "--out", str(out)]) == 0
    paragraphs, _ = docx_text(out)
    at = len(paragraphs) - 1 - paragraphs[::-1].index("1. Introduction and context")  # the heading, not the contents
    assert paragraphs[at + 1:at + 3] == ["This report covers the period 1st April 2016 to 31st March 2017.",
                                         "A busy year."]
    assert "Timeliness & finding authors <remain> hard." in paragraphs
    assert not any(p.startswith("[To be written: Challenges.") for p in paragraphs)


def test_a_refused_narrative_changes_nothing(store):
    yearly_report.save_narrative(store, 2016, {"introduction": "Kept."})
    with pytest.raises(RuleBroken) as caught:
        yearly_report.save_narrative(store, 2016, {"introduction": "Changed.", "challenges": "x" * 20_001})
    assert caught.value.problems == {"challenges": "is too long (20,001 characters; at most 20,000)"}
    assert "Challenges: is too long" in str(caught.value)
    with pytest.raises(RuleBroken) as caught:
        yearly_report.save_narrative(store, 2016, {"foreword": "Not a section."})
    assert caught.value.problems == {"foreword": "is not a section of the yearly report"}
    assert yearly_report.narrative(store, 2016)["introduction"] == "Kept."


def test_the_pdf_has_the_figures_and_charts_and_is_logged(demo_path, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "yearly.pdf"
    assert main(["--db", str(demo_path), "export", "yearly-report", "--year", "2016", "--out", str(out)]) == 0
    reader = PdfReader(str(out))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in ("Case review sub group yearly report 2016-17", "Referral outcomes over the last five years",
                  "Actions by agency: complete, open and overdue", "Months from initiation to completion",
                  "10. Priorities for next year"):
        assert words in text
    assert "Child" not in (reader.metadata.title or "")
    with Store.open(demo_path, readonly=True) as store:
        row = store.row("SELECT kind, subject, file_name FROM document_log ORDER BY id DESC LIMIT 1")
    assert row == {"kind": "yearly_report", "subject": "yearly report 2016-17", "file_name": "yearly.pdf"}


def test_five_years_of_outcomes_agree_with_the_annual_report(demo):
    from scrdesk.store.annual import annual_report

    history = yearly_report.outcome_history(demo, 2016)
    assert [h["label"] for h in history] == ["2012-13", "2013-14", "2014-15", "2015-16", "2016-17"]
    for h in history:
        assert h["total"] == annual_report(demo, h["year"])["referrals"]["total"]
    assert {o["code"]: o["count"] for o in history[-1]["outcomes"]} == {
        "NFA": 0, "SINGLE_AGENCY": 2, "CASE_MAPPING": 5, "THEMATIC": 1, "SCR": 2}


def test_a_restricted_identifier_in_the_narrative_blocks_the_export(demo_path, tmp_path, capsys):
    with Store.open(demo_path, user="tester") as store:
        name = store.scalar("SELECT value FROM restricted_identifiers WHERE kind = 'name' LIMIT 1")
        yearly_report.save_narrative(store, 2016, {"challenges": f"The case of {name} was hard."})
    out = tmp_path / "yearly.docx"
    assert main(["--db", str(demo_path), "export", "yearly-report", "--year", "2016", "--out", str(out)]) != 0
    assert not out.exists()
    assert "Challenges" in capsys.readouterr().err


def test_a_wrong_ending_is_refused_naming_the_formats(demo_path, tmp_path, capsys):
    assert main(["--db", str(demo_path), "export", "yearly-report", "--year", "2016",
                 "--out", str(tmp_path / "y.xlsx")]) != 0
    assert ".docx, .pdf" in capsys.readouterr().err


# -- the window ------------------------------------------------------------------------------------

def test_the_narrative_editor_saves_and_shows_a_refusal_beside_its_section(qtbot, demo):
    from scrdesk.ui.yearly_report import YearlyReportDialog

    dialog = YearlyReportDialog(demo)
    qtbot.addWidget(dialog)
    assert dialog.year.value() == 2016  # the last whole year before the file's as-at date (30 Jun 2017)
    dialog.editors["introduction"].setPlainText("A very busy year.")
    assert dialog.save()
    assert yearly_report.narrative(demo, 2016)["introduction"] == "A very busy year."
    dialog.editors["challenges"].setPlainText("x" * 20_001)
    dialog.editors["introduction"].setPlainText("Not kept.")
    assert not dialog.save()
    assert dialog.problems["challenges"].text() == "is too long (20,001 characters; at most 20,000)"
    assert not dialog.problems["challenges"].isHidden() and dialog.problems["introduction"].isHidden()
    assert dialog.sections.currentRow() == [k for k, _ in SECTIONS].index("challenges")
    assert yearly_report.narrative(demo, 2016)["introduction"] == "A very busy year."
    assert dialog.editors["introduction"].toPlainText() == "Not kept."  # what was typed stays


def test_changing_year_loads_that_year(qtbot, demo):
    from scrdesk.ui.yearly_report import YearlyReportDialog

    yearly_report.save_narrative(demo, 2015, {"priorities": "Refresh the action plan."})
    dialog = YearlyReportDialog(demo)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2015)  # nothing typed, so nothing to ask
    assert dialog.editors["priorities"].toPlainText() == "Refresh the action plan."
    assert dialog.loaded_year == 2015


def test_the_export_dialog_offers_the_three_documents(qtbot, demo):
    from datetime import date

    from scrdesk.ui.documents import ExportDialog

    dialog = ExportDialog(demo)
    qtbot.addWidget(dialog)
    dialog.select("yearly_report")
    assert dialog.selected() == ("yearly_report", {"year": 2016, "fmt": "pdf"})
    dialog.yearly_format[1].buttons()[1].setChecked(True)
    assert dialog.selected() == ("yearly_report", {"year": 2016, "fmt": "docx"})
    dialog.select("evidence_pack")
    assert dialog.selected() == ("evidence_pack", {"start": date(2014, 6, 28), "end": date(2017, 6, 30), "fmt": "pdf"})
    dialog.select("themes")
    dialog.themes_format[1].buttons()[1].setChecked(True)
    assert dialog.selected() == ("themes", {"fmt": "xlsx"})
    assert dialog.pages.currentIndex() == dialog.kind.currentIndex()
