"""Reading trackers as they are (CSV in any of the usual encodings, Excel), and matching headings."""

from __future__ import annotations

import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from scrdesk.domain.errors import ScrdeskError
from scrdesk.store.importer import FIELDS, guess_mapping, normalise_heading
from scrdesk.store.tracker_files import read_table


def test_csv_with_bom_reads_headings_without_it(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffRef,Date received\nRef050,01/07/2016\n".encode())
    raw = read_table(path)
    assert raw.headings == ["Ref", "Date received"]
    assert raw.rows == [["Ref050", "01/07/2016"]]
    assert raw.source_rows == [2]
    assert raw.notes == []


def test_windows_1252_csv_is_read_with_a_note(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("Ref,Location\nRef050,Caf\u00e9 \u2013 Zo\u00eb\n".encode("cp1252"))
    raw = read_table(path)
    assert raw.rows[0][1] == "Caf\u00e9 \u2013 Zo\u00eb"
    assert "Windows-1252" in raw.notes[0]


def test_semicolon_separated_csv(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Ref;Summary\nRef050;Neglect, and more\n", encoding="utf-8")
    assert read_table(path).rows == [["Ref050", "Neglect, and more"]]


def test_blank_rows_are_skipped_but_keep_their_row_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Ref,Summary\nRef050,A\n,\n\nRef051,B\n", encoding="utf-8")
    raw = read_table(path)
    assert [r[0] for r in raw.rows] == ["Ref050", "Ref051"]
    assert raw.source_rows == [2, 5]


def test_quoted_cells_with_new_lines_count_as_one_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('Ref,Status\nRef050,"two\nlines"\nRef051,x\n', encoding="utf-8")
    raw = read_table(path)
    assert raw.rows[0][1] == "two\nlines"
    assert raw.source_rows == [2, 3]


def test_xlsx_first_sheet_with_date_cells_and_blank_rows(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Ref", "Date received", "Age"])
    sheet.append(["Ref050", datetime(2016, 7, 1), 16])
    sheet.append([None, None, None])
    sheet.append(["Ref051", "30/08/2016", "7 yrs"])
    book.create_sheet("Notes").append(["ignored"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    raw = read_table(path)
    assert raw.headings == ["Ref", "Date received", "Age"]
    assert raw.rows[0] == ["Ref050", datetime(2016, 7, 1), 16]
    assert raw.source_rows == [2, 4]
    assert "Only the first sheet ('Tracker')" in raw.notes[0]


@pytest.mark.parametrize("content", [b"this is not a workbook", b""])
def test_unreadable_xlsx_is_a_plain_error(tmp_path, content):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(ScrdeskError, match="could not be opened as an Excel workbook"):
        read_table(path)


def test_truncated_xlsx_is_a_plain_error(tmp_path):
    book = Workbook()
    book.active.append(["Ref"])
    good = tmp_path / "good.xlsx"
    book.save(good)
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ScrdeskError, match="Excel workbook"):
        read_table(path)


def test_xlsx_missing_its_sheet_is_a_plain_error(tmp_path):
    path = tmp_path / "nosheet.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ScrdeskError, match="nosheet.xlsx"):
        read_table(path)


def test_empty_csv_says_so(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ScrdeskError, match="empty.csv is empty"):
        read_table(path)


def test_headings_only_says_so(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("Ref,Summary\n\n", encoding="utf-8")
    with pytest.raises(ScrdeskError, match="no rows of data"):
        read_table(path)


def test_binary_csv_is_refused(tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"Ref\x00\x00,x\n")
    with pytest.raises(ScrdeskError, match="binary"):
        read_table(path)


@pytest.mark.parametrize("name, message", [
    ("old.xls", "Save it from Excel as .xlsx"),
    ("notes.txt", "only .csv and .xlsx"),
])
def test_other_file_types_are_refused(tmp_path, name, message):
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(ScrdeskError, match=message):
        read_table(path)


def test_missing_file(tmp_path):
    with pytest.raises(ScrdeskError, match="There is no file"):
        read_table(tmp_path / "nope.csv")


@pytest.mark.parametrize("heading", ["Case Ref", "CASE_REF", "case-ref", " Case ref. ", "caseref"])
def test_headings_match_without_case_spaces_underscores_or_punctuation(heading):
    assert guess_mapping([heading], "referrals") == {"ref": 0}
    assert normalise_heading(heading) == "caseref"


def test_usual_tracker_spellings_for_referrals():
    headings = ["Reference", "Received", "Summary", "Location", "Sex", "Age", "Outcome",
                "Date of decision", "Referring agency", "Source", "Status", "Meeting date",
                "Incident date", "Notes nobody maps"]
    mapping = guess_mapping(headings, "referrals")
    assert mapping == {
        "ref": 0, "received_date": 1, "summary": 2, "location": 3, "gender": 4, "age": 5,
        "decision": 6, "decision_date": 7, "referring_agency": 8, "source": 9, "status_note": 10,
        "meeting_date": 11, "incident_date": 12,
    }


def test_recommendation_is_the_decision_unless_a_decision_column_exists():
    assert guess_mapping(["Ref", "Recommendation"], "referrals") == {"ref": 0, "decision": 1}
    assert guess_mapping(["Ref", "Recommendation", "Decision"], "referrals") == {
        "ref": 0, "decision": 2, "recommendation": 1}


def test_usual_tracker_spellings_for_actions():
    headings = ["Review/Ref", "Recommendation no", "Agency", "Lead officer", "Action",
                "Target date", "Revised target", "Status", "Date agreed"]
    mapping = guess_mapping(headings, "actions")
    assert mapping == {
        "review": 0, "recommendation": 1, "agency": 2, "lead_officer": 3, "text": 4,
        "target_date": 5, "revised_target_date": 6, "status": 7, "agreed_date": 8,
    }


def test_every_field_has_a_label_and_its_own_spellings():
    for kind, fields in FIELDS.items():
        for name, spec in fields.items():
            assert spec.label and spec.spellings, (kind, name)
            if spec.label in spec.fallback:
                continue  # "Recommendation" alone means the decision (tested above)
            # A field's own label is always accepted as a heading.
            assert guess_mapping([spec.label], kind) == {name: 0}, (kind, name)


@pytest.mark.parametrize("heading, field", [
    ("Name", "child_name"), ("Child's name", "child_name"), ("Child", "child_name"),
    ("Surname", "surname"), ("Forename", "forename"), ("Date of birth", "date_of_birth"),
    ("D.O.B.", "date_of_birth"), ("NHS number", "nhs_number"), ("Case number", "case_number"),
    ("LCS number", "case_number"), ("LA case number", "case_number"), ("Address", "address"),
])
def test_identifying_headings_are_taken_as_restricted_identifiers(heading, field):
    assert guess_mapping(["Ref", heading, "Child's age"], "referrals") == {"ref": 0, field: 1, "age": 2}
