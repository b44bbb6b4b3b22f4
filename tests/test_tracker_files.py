"""Reading odd tracker files safely (issue 12, items 7, 9 and 11): a workbook is read within
bounded memory whatever range it declares; mixed encodings are refused naming the line; UTF-16
text is read; control characters never reach the terminal; formulas without saved results are
named, not imported blank without a word."""

from __future__ import annotations

import re
import shutil
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from scrdesk.domain.errors import ScrdeskError
from scrdesk.store import tracker_files
from scrdesk.store.tracker_files import MAX_COLUMNS, MAX_ROWS, read_table


def _workbook(path, rows, *, cells=()):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for (row, column), value in cells:
        sheet.cell(row=row, column=column, value=value)
    book.save(path)
    return path


def _declare(path, ref: str):
    """Rewrite the sheet's declared <dimension>, as a hostile or broken writer might."""
    source = path.with_name("source-" + path.name)
    shutil.move(path, source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
                assert ref.encode() in data
            new.writestr(item, data)
    source.unlink()
    return path


def test_a_small_workbook_declaring_a_huge_range_reads_in_small_memory(tmp_path):
    path = _declare(_workbook(tmp_path / "t.xlsx", [["Ref", "Summary"], ["Ref050", "Neglect"]]), "A1:XFD100000")
    assert path.stat().st_size < 6_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        raw = read_table(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert raw.headings == ["Ref", "Summary"] and raw.rows == [["Ref050", "Neglect"]]
    assert peak < 30 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert time.perf_counter() - started < 10


def test_a_value_beyond_the_last_column_read_is_refused_naming_the_limit(tmp_path):
    path = _workbook(tmp_path / "t.xlsx", [["Ref"], ["Ref050"]], cells=[((2, 16_384), "x")])
    with pytest.raises(ScrdeskError, match=f"column XFD of row 2; scrdesk reads at most {MAX_COLUMNS} columns"):
        read_table(path)


def test_a_value_far_below_the_last_row_read_is_refused_quickly(tmp_path):
    path = _workbook(tmp_path / "t.xlsx", [["Ref"], ["Ref050"]], cells=[((1_000_000, 1), "x")])
    started = time.perf_counter()
    with pytest.raises(ScrdeskError, match=f"more than {MAX_ROWS:,} rows"):
        read_table(path)
    assert time.perf_counter() - started < 30


def test_blank_formatted_cells_far_away_are_not_a_reason_to_refuse(tmp_path):
    path = _workbook(tmp_path / "t.xlsx", [["Ref"], ["Ref050"]], cells=[((5, 500), "  ")])
    assert read_table(path).rows == [["Ref050"]]


def test_a_csv_wider_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Ref" + "," * MAX_COLUMNS + "x\nRef050\n", encoding="utf-8")
    with pytest.raises(ScrdeskError, match="at most 200 columns"):
        read_table(path)


def test_formulas_without_saved_results_are_named_not_imported_blank_without_a_word(tmp_path):
    path = _workbook(tmp_path / "t.xlsx", [["Ref", "Age"], ["Ref050", "=1+1"], ["Ref051", "=A2&\"x\""]])
    raw = read_table(path)
    assert raw.rows == [["Ref050"], ["Ref051"]] or raw.rows == [["Ref050", None], ["Ref051", None]]
    [note] = raw.notes
    assert "formulas without saved results in B2, B3" in note and "Open and save the workbook in Excel" in note


def test_a_workbook_without_formulas_has_no_formula_note(tmp_path):
    raw = read_table(_workbook(tmp_path / "t.xlsx", [["Ref", "Age"], ["Ref050", 3]]))
    assert raw.notes == []


def test_a_utf8_file_with_one_windows_1252_byte_is_refused_naming_the_line(tmp_path):
    lines = ["Ref,Location", "Ref050,Café", "Ref051,Zoë", "Ref052,A", "Ref053,B", "Ref054,C"]
    data = ("\n".join(lines) + "\n").encode("utf-8") + "Ref055,Caf\u00e9\n".encode("cp1252")
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    with pytest.raises(ScrdeskError, match=r"line 7 is not UTF-8") as caught:
        read_table(path)
    assert "CSV UTF-8" in str(caught.value)


def test_a_wholly_windows_1252_file_is_still_read_with_a_note(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("Ref,Location\nRef050,Café\nRef051,Zoë – Ty’n\n".encode("cp1252"))
    raw = read_table(path)
    assert raw.rows[1] == ["Ref051", "Zoë – Ty’n"] and "Windows-1252" in raw.notes[0]


def test_a_byte_neither_encoding_holds_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"Ref,Location\nRef050,A\nRef051,\x81\n")
    with pytest.raises(ScrdeskError, match="line 3 is neither UTF-8 nor Windows-1252"):
        read_table(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_excel_unicode_text_utf16_with_a_bom_is_read(tmp_path, encoding):
    text = "Ref\tLocation\tSummary\nRef050\tYstradgynlais ŵ ŷ\tNeglect, and more\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    raw = read_table(path)
    assert raw.headings == ["Ref", "Location", "Summary"]
    assert raw.rows == [["Ref050", "Ystradgynlais ŵ ŷ", "Neglect, and more"]]


def test_escape_sequences_in_headings_and_cells_are_removed_and_the_note_says_where(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Ref,\x1b[31mLocation\x1b[0m\nRef050,Kettering\x07\n", encoding="utf-8")
    raw = read_table(path)
    assert raw.headings == ["Ref", "[31mLocation[0m"] and raw.rows == [["Ref050", "Kettering"]]
    assert "\x1b" not in "".join(raw.notes)
    assert "control characters" in raw.notes[0] and "row 1 column 2" in raw.notes[0] and "row 2 column 2" in raw.notes[0]


def test_the_row_limit_is_the_one_the_message_names(tmp_path, monkeypatch):
    monkeypatch.setattr(tracker_files, "MAX_ROWS", 3)
    path = tmp_path / "t.csv"
    path.write_text("Ref\nRef050\nRef051\nRef052\n", encoding="utf-8")
    with pytest.raises(ScrdeskError, match="more than 3 rows"):
        read_table(path)
    path.write_text("Ref\nRef050\nRef051\n\n\n", encoding="utf-8")
    assert len(read_table(path).rows) == 2
