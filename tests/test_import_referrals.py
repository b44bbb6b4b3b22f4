"""Importing referrals from a tracker: good files land in the right year; one bad row changes nothing."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest
from openpyxl import Workbook

from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.store.annual import annual_report
from scrdesk.store.importer import apply_import, plan_import, read_table

# A tracker as a business office keeps it: their own headings, UK dates, labels not codes.
HEADINGS = ["Case Ref", "Date Received", "Summary", "Location", "Sex", "Age", "Outcome",
            "Decision_Date", "Referring agency", "Status"]
GOOD_ROWS = [
    ["Ref 101", "05/01/2017", "Neglect", "Kettering", "M", "4 mths", "Case mapping", "31/03/2017", "Police", "Underway"],
    ["102", "06/01/2017", "Non-accidental injury", "Corby", "Female", "6 wks", "SCR", "01/04/2017", "", ""],
    ["ref103", "7 Feb 2017", "CSE", "Northampton", "Both", "Various", "Thematic Learning Review", "2017-03-01", "Northamptonshire Police", ""],
    ["Ref104", "08/02/2017", "Neglect", "Daventry", "Male", "1 yr 11 mths", "No further action required", "", "", "Awaiting"],
]
UNICODE_TEXT = "Plentyn \u0175\u0177 \u2013 Zaż\u00f3łć gęślą jaźń \u201cŁódź\u201d"


def write_csv(path, headings, rows, encoding="utf-8-sig"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(headings)
        writer.writerows(rows)
    return path


def write_xlsx(path, headings, rows):
    book = Workbook()
    book.active.append(headings)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.fixture
def police(store):
    return store.insert("agencies", {"name": "Northamptonshire Police", "short_name": "Police", "type": "police"})


def counts(store) -> tuple[int, int]:
    return store.scalar("SELECT count(*) FROM referrals"), store.scalar("SELECT count(*) FROM audit_log")


def imported(store, path):
    plan = plan_import(store, "referrals", read_table(path))
    assert plan.errors == []
    return plan, apply_import(store, plan)


def test_good_csv_imports_each_referral_in_its_reporting_year(store, police, tmp_path):
    path = write_csv(tmp_path / "tracker.csv", HEADINGS, GOOD_ROWS)
    plan, result = imported(store, path)
    assert (result.inserted, result.updated) == (4, 0)
    rows = {r["ref"]: r for r in store.rows("SELECT * FROM referrals")}
    assert set(rows) == {"Ref101", "Ref102", "Ref103", "Ref104"}
    assert rows["Ref101"]["decision_date"] == "2017-03-31"
    assert rows["Ref101"]["referring_agency_id"] == police
    assert (rows["Ref101"]["gender"], rows["Ref101"]["age_months"]) == ("male", 4)
    assert (rows["Ref103"]["gender"], rows["Ref103"]["age_various"]) == ("male_and_female", 1)
    assert rows["Ref103"]["received_date"] == "2017-02-07"
    assert rows["Ref104"]["decision"] == "NFA" and rows["Ref104"]["decision_date"] is None
    # 31 March 2017 is the last day of 2016-17; 1 April 2017 the first of 2017-18. Ref104 has no
    # decision date, so it counts by its date received (February 2017).
    year_2016 = annual_report(store, 2016)["referrals"]
    year_2017 = annual_report(store, 2017)["referrals"]
    assert {r["ref"] for r in year_2016["list"]} == {"Ref101", "Ref103", "Ref104"}
    assert {r["ref"] for r in year_2017["list"]} == {"Ref102"}
    assert year_2016["by_outcome"]["CASE_MAPPING"] == 1 and year_2016["by_outcome"]["NFA"] == 1


def test_good_xlsx_with_excel_date_cells_and_numbers(store, police, tmp_path):
    rows = [
        ["Ref 101", datetime(2017, 1, 5), "Neglect", "Kettering", "M", 12, "CASE_MAPPING", datetime(2017, 3, 31), "police", None],
        [102, "06/01/2017", "Injury", "Corby", "F", "6 wks", "scr", datetime(2017, 4, 1), None, None],
    ]
    path = write_xlsx(tmp_path / "tracker.xlsx", HEADINGS, rows)
    imported(store, path)
    found = {r["ref"]: r for r in store.rows("SELECT * FROM referrals")}
    assert found["Ref101"]["received_date"] == "2017-01-05" and found["Ref101"]["age_years"] == 12
    assert found["Ref102"]["decision"] == "SCR" and found["Ref102"]["decision_date"] == "2017-04-01"


def test_framework_is_the_one_in_force_at_the_decision(store, tmp_path):
    # A partnership whose 2018 arrangements began on the national date, 29 June 2018.
    store.set_settings({"arrangements_2018_date": "2018-06-29"})
    rows = [["Ref1", "01/05/2018", "A", "", "", "", "SCR", "28/06/2018"],
            ["Ref2", "01/05/2018", "B", "", "", "", "LCSPR", "29/06/2018"],
            ["Ref3", "01/05/2018", "C", "", "", "", "", ""]]
    imported(store, write_csv(tmp_path / "t.csv", HEADINGS[:8], rows))
    frameworks = {r["ref"]: r["framework"] for r in store.rows("SELECT ref, framework FROM referrals")}
    assert frameworks == {"Ref001": "wt2015", "Ref002": "wt2018", "Ref003": None}


def test_welsh_and_polish_text_is_kept_exactly(store, tmp_path):
    rows = [["Ref1", "01/05/2017", UNICODE_TEXT, "Llanfair\u00adpwll", "", "", "", ""]]
    for name, write in (("t.csv", write_csv), ("t.xlsx", write_xlsx)):
        store.db.execute("DELETE FROM referrals")
        imported(store, write(tmp_path / name, HEADINGS[:8], rows))
        row = store.row("SELECT summary, location FROM referrals")
        assert (row["summary"], row["location"]) == (UNICODE_TEXT, "Llanfair\u00adpwll")


def test_windows_1252_csv_keeps_its_accents(store, tmp_path):
    path = write_csv(tmp_path / "t.csv", ["Ref", "Summary"], [["Ref1", "Caf\u00e9 r\u00f4le \u2013 na\u00efve"]], encoding="cp1252")
    plan, _ = imported(store, path)
    assert "Windows-1252" in plan.notes[0]
    assert store.scalar("SELECT summary FROM referrals") == "Caf\u00e9 r\u00f4le \u2013 na\u00efve"


BAD_CASES = [
    # (what, column, bad value, expected field, words in the message)
    ("bad date", "Date Received", "31/02/2017", "Date Received", "February 2017 has no day 31"),
    ("US date", "Decision_Date", "13/25/2017", "Decision_Date", "no month 25"),
    ("bad age", "Age", "about twelve", "Age", "is not an age"),
    ("too old", "Age", "40 yrs", "Age", "too old"),
    ("unknown decision", "Outcome", "Big review", "Outcome", "is not a decision"),
    ("unknown agency", "Referring agency", "Ministry of Magic", "Referring agency", "is not an agency"),
    ("bad gender", "Sex", "X", "Sex", "is not one of"),
    ("blank ref", "Case Ref", "", "Case Ref", "is blank"),
    ("bad ref", "Case Ref", "ABC", "Case Ref", "is not a reference"),
]


@pytest.mark.parametrize("what, column, value, field, words", BAD_CASES, ids=[c[0] for c in BAD_CASES])
@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_one_bad_row_imports_nothing_and_says_which_row_field_and_value(
        store, police, tmp_path, what, column, value, field, words, writer):
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][HEADINGS.index(column)] = value  # the third data row: spreadsheet row 4
    path = writer(tmp_path / ("t.csv" if writer is write_csv else "t.xlsx"), HEADINGS, rows)
    before = counts(store)
    plan = plan_import(store, "referrals", read_table(path))
    assert len(plan.errors) == 1
    error = plan.errors[0]
    assert (error.row, error.field) == (4, field)
    assert words in error.message
    if value:
        assert repr(value) in error.describe()
    assert error.describe().startswith(f"row 4, {field}")
    with pytest.raises(ScrdeskError, match="nothing was imported"):
        apply_import(store, plan)
    assert counts(store) == before


def test_duplicate_ref_in_the_file_names_both_rows(store, police, tmp_path):
    rows = [list(r) for r in GOOD_ROWS] + [["Ref101", "01/01/2017", "Again", "", "", "", "", "", "", ""]]
    plan = plan_import(store, "referrals", read_table(write_csv(tmp_path / "t.csv", HEADINGS, rows)))
    assert [(e.row, e.field, e.value) for e in plan.errors] == [(6, "Case Ref", "Ref101")]
    assert "rows 2 and 6" in plan.errors[0].message


def test_missing_required_column_is_reported_against_the_heading_row(store, tmp_path):
    path = write_csv(tmp_path / "t.csv", ["Summary", "Age"], [["Neglect", "4 mths"]])
    plan = plan_import(store, "referrals", read_table(path))
    assert [(e.row, e.field) for e in plan.errors] == [(1, "Ref")]
    assert "Summary, Age" in plan.errors[0].message
    with pytest.raises(ScrdeskError):
        apply_import(store, plan)
    assert store.scalar("SELECT count(*) FROM referrals") == 0


def test_every_problem_of_a_row_is_listed(store, tmp_path):
    rows = [["Ref1", "32/01/2017", "", "", "Q", "old", "Nope", ""]]
    plan = plan_import(store, "referrals", read_table(write_csv(tmp_path / "t.csv", HEADINGS[:8], rows)))
    assert sorted(e.field for e in plan.errors) == ["Age", "Date Received", "Outcome", "Sex"]
    assert all(e.row == 2 for e in plan.errors)


def test_reimport_updates_only_changed_fields_and_blank_cells_clear_nothing(store, police, tmp_path):
    imported(store, write_csv(tmp_path / "first.csv", HEADINGS, GOOD_ROWS))
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][HEADINGS.index("Status")] = "Workshop held"
    rows[0][HEADINGS.index("Age")] = "2 yrs"        # was 4 mths: the months must go
    rows[1][HEADINGS.index("Summary")] = ""          # blank: keep what is held
    plan = plan_import(store, "referrals", read_table(write_csv(tmp_path / "second.csv", HEADINGS, rows)))
    assert [u.key for u in plan.updates] == ["Ref101"]
    change = plan.updates[0]
    assert change.changes == {"status_note": "Workshop held", "age_years": 2, "age_months": None}
    assert change.before == {"status_note": "Underway", "age_years": None, "age_months": 4}
    assert sorted(plan.unchanged) == ["Ref102", "Ref103", "Ref104"]
    audit_before = store.scalar("SELECT count(*) FROM audit_log")
    result = apply_import(store, plan)
    assert (result.inserted, result.updated) == (0, 1)
    row = store.row("SELECT * FROM referrals WHERE ref = 'Ref101'")
    assert (row["status_note"], row["age_years"], row["age_months"]) == ("Workshop held", 2, None)
    assert store.scalar("SELECT summary FROM referrals WHERE ref = 'Ref102'") == "Non-accidental injury"
    assert store.scalar("SELECT count(*) FROM audit_log") == audit_before + 1


def test_a_failure_while_writing_leaves_none_of_the_import(store, tmp_path):
    plan = plan_import(store, "referrals", read_table(write_csv(tmp_path / "t.csv", HEADINGS[:3], [
        ["Ref1", "01/01/2017", "A"], ["Ref2", "01/01/2017", "B"], ["Ref3", "01/01/2017", "C"]])))
    store.insert("referrals", {"ref": "Ref003"})  # someone else added Ref003 after the preview
    before = counts(store)
    with pytest.raises(ScrdeskError, match="changed since"):
        apply_import(store, plan)
    assert counts(store) == before
    assert store.scalar("SELECT count(*) FROM referrals WHERE ref IN ('Ref001', 'Ref002')") == 0


def test_progress_is_reported_to_the_end(store, tmp_path):
    rows = [[f"Ref{n}", "01/01/2017", "A"] for n in range(1, 1201)]
    raw = read_table(write_csv(tmp_path / "t.csv", HEADINGS[:3], rows))
    seen = []
    plan = plan_import(store, "referrals", raw, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (1200, 1200) and len(seen) >= 3
    written = []
    apply_import(store, plan, progress=lambda done, total: written.append((done, total)))
    assert written[-1] == (1200, 1200)


def test_a_mapping_chosen_by_hand_is_used(store, tmp_path):
    path = write_csv(tmp_path / "t.csv", ["Number", "What happened"], [["Ref9", "Neglect"]])
    raw = read_table(path)
    assert plan_import(store, "referrals", raw).errors[0].field == "Ref"
    plan = plan_import(store, "referrals", raw, mapping={"ref": 0, "summary": 1})
    apply_import(store, plan)
    assert store.row("SELECT ref, summary FROM referrals") == {"ref": "Ref009", "summary": "Neglect"}
    assert plan.ignored_headings == []


def test_mapping_to_a_missing_column_is_an_error(store, tmp_path):
    raw = read_table(write_csv(tmp_path / "t.csv", ["Ref"], [["Ref1"]]))
    plan = plan_import(store, "referrals", raw, mapping={"ref": 0, "summary": 5})
    assert [e.field for e in plan.errors] == ["Summary"]
    assert isinstance(plan.errors[0], InvalidValue)


# -- the referral rules, as the window applies them ------------------------------------------------

def test_a_decision_date_without_a_decision_is_refused_naming_row_and_field(store, tmp_path):
    rows = [["Ref1", "01/05/2017", "A", "", "", "", "", "01/06/2017"]]
    plan = plan_import(store, "referrals", read_table(write_csv(tmp_path / "t.csv", HEADINGS[:8], rows)))
    assert [e.describe() for e in plan.errors] == ["row 2, Outcome: choose the decision made on that date"]


def test_a_decision_before_the_referral_arrived_is_refused_in_the_dialogs_words(store, tmp_path):
    rows = [["Ref1", "01/05/2017", "A", "", "", "", "SCR", "01/04/2017"]]
    plan = plan_import(store, "referrals", read_table(write_csv(tmp_path / "t.csv", HEADINGS[:8], rows)))
    assert [e.describe() for e in plan.errors] == [
        "row 2, Decision_Date: is before the referral was received (1 May 2017)"]


def test_a_decision_without_its_date_is_taken_in_and_said(store, police, tmp_path):
    plan, _ = imported(store, write_csv(tmp_path / "t.csv", HEADINGS, GOOD_ROWS))
    assert any("1 referral has a decision but no decision date (Ref104)" in note for note in plan.notes)


def test_text_longer_than_the_window_allows_is_refused_naming_row_and_field(store, tmp_path):
    rows = [["Ref1", "01/05/2017", "x" * 501], ["Ref2", "01/05/2017", "y" * 1_000_000]]
    plan = plan_import(store, "referrals", read_table(write_xlsx(tmp_path / "t.xlsx", HEADINGS[:3], rows)))
    first, second = (e.describe() for e in plan.errors)
    assert first == "row 2, Summary: is too long (501 characters; at most 500)"
    # (the reader keeps at most a workbook cell's 32,767 characters; never the megabyte, never echoed)
    assert second.startswith("row 3, Summary: is too long (") and second.endswith(
        "characters; no field takes more than 20,000)")
    assert store.scalar("SELECT count(*) FROM referrals") == 0


# -- identifying columns ------------------------------------------------------------------------------

def test_identifying_columns_become_restricted_identifiers_never_printable_fields(store, tmp_path):
    headings = ["Ref", "Date received", "Forename", "Surname", "DOB", "NHS number", "LCS number",
                "Address", "Summary"]
    rows = [["Ref1", "01/05/2017", "Jo", "Bloggs", "03/02/2016", "943 476 5919", "LA 123456",
             "1 High St", "Neglect"],
            ["Ref2", "02/05/2017", "", "", "", "", "", "", "Injury"]]
    path = write_csv(tmp_path / "t.csv", headings, rows)
    plan, _ = imported(store, path)
    assert plan.ignored_headings == []
    assert "5 identifiers (names, dates of birth, case numbers…) kept as restricted, never printed" in plan.summary()
    held = store.rows("SELECT r.ref, i.kind, i.value FROM restricted_identifiers i "
                      "JOIN referrals r ON r.id = i.referral_id ORDER BY i.id")
    assert [(h["kind"], h["value"]) for h in held] == [
        ("name", "Jo Bloggs"), ("date_of_birth", "03/02/2016"), ("other", "943 476 5919"),
        ("case_number", "LA 123456"), ("address", "1 High St")]
    printed = store.row("SELECT * FROM referrals WHERE ref = 'Ref001'")
    assert not any(isinstance(v, str) and ("Bloggs" in v or "123456" in v) for v in printed.values())
    # Importing the same file again adds no second copy.
    again = plan_import(store, "referrals", read_table(path))
    assert again.updates == [] and sorted(again.unchanged) == ["Ref001", "Ref002"]


def test_a_child_column_is_a_name(store, tmp_path):
    plan, _ = imported(store, write_csv(tmp_path / "t.csv", ["Ref", "Child's name", "Case number"],
                                        [["Ref1", "Amy Smith", "12345"]]))
    assert plan.restricted == 2
    assert store.rows("SELECT kind, value FROM restricted_identifiers ORDER BY id") == [
        {"kind": "name", "value": "Amy Smith"}, {"kind": "case_number", "value": "12345"}]


def test_an_import_writes_with_a_page_cache_that_holds_it_then_gives_it_back(store, police, tmp_path):
    """With SQLite's 2 MB cache a big import spilled pages into the log before its commit and wrote
    some twice; it writes with `bulk_pages`' cache, and the cache is back to its size after."""
    from scrdesk.store.db import BULK_CACHE_KIB

    before = store.scalar("PRAGMA cache_size")
    during = []
    plan = plan_import(store, "referrals", read_table(write_csv(tmp_path / "tracker.csv", HEADINGS, GOOD_ROWS)))
    apply_import(store, plan, progress=lambda done, total: during.append(store.scalar("PRAGMA cache_size")))
    assert during and set(during) == {-BULK_CACHE_KIB}
    assert store.scalar("PRAGMA cache_size") == before
    with pytest.raises(ScrdeskError):  # the same plan again: its refs are in the file now
        apply_import(store, plan)
    assert store.scalar("PRAGMA cache_size") == before  # given back after a failed write too
