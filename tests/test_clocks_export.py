"""`scrdesk new` and `scrdesk export clocks` (JSON, Excel, calendar), through the command line."""

from __future__ import annotations

import json
from datetime import date

from icalendar import Calendar
from openpyxl import load_workbook

from scrdesk.cli import main
from scrdesk.store.db import Store


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def notified_before_christmas(path):
    store = Store.open(path)
    try:
        store.insert("referrals", {"ref": "Ref001", "source": "sin", "la_aware_date": "2025-12-16",
                                   "received_date": "2025-12-16", "sin_submitted_date": "2025-12-18"})
    finally:
        store.close()


def test_new_writes_an_empty_file_under_the_current_framework(capsys, tmp_path):
    db = tmp_path / "north.db"
    code, out, _ = run(capsys, "new", db, "--board", "Northshire Safeguarding Children Partnership")
    assert code == 0 and "Working Together 2018/2023" in out
    store = Store.open(db, readonly=True)
    try:
        assert store.settings().board_name == "Northshire Safeguarding Children Partnership"
        assert store.settings().default_framework == "wt2018"
        assert store.scalar("SELECT count(*) FROM referrals") == 0
    finally:
        store.close()
    code, _, err = run(capsys, "new", db)
    assert code == 1 and "already exists" in err


def test_a_case_notified_on_18_december_2025_is_due_its_rapid_review_on_13_january(capsys, tmp_path):
    db, out = tmp_path / "new.db", tmp_path / "clocks.json"
    assert run(capsys, "new", db)[0] == 0
    notified_before_christmas(db)
    code, said, _ = run(capsys, "--db", db, "export", "clocks", "--out", out, "--date", "2026-01-05")
    assert code == 0 and "as at 2026-01-05" in said
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["as_at"] == "2026-01-05"
    (clock,) = data["clocks"]
    # Thu 18 Dec 2025 + 15 working days: skips 25, 26 Dec and 1 Jan and the weekends.
    assert clock == {"ref": "Ref001", "clock": "RAPID_REVIEW", "framework": "wt2018", "starts": "2025-12-18",
                     "due": "2026-01-13", "done": None, "working_days_left": 6, "rag": "green",
                     "reason": "Green: due 13 Jan 2026, on track"}


def test_the_date_defaults_to_the_files_as_at_date(capsys, tmp_path):
    db, out = tmp_path / "new.db", tmp_path / "clocks.json"
    run(capsys, "new", db)
    notified_before_christmas(db)
    store = Store.open(db)
    store.set_settings({"as_at_date": "2026-01-14"})
    store.close()
    assert run(capsys, "--db", db, "export", "clocks", "--out", out)[0] == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["as_at"] == "2026-01-14"
    assert data["clocks"][0]["rag"] == "red" and data["clocks"][0]["working_days_left"] == -1


def test_excel_and_calendar(capsys, tmp_path):
    db = tmp_path / "new.db"
    run(capsys, "new", db, "--board", "Northshire")
    notified_before_christmas(db)
    assert run(capsys, "--db", db, "export", "clocks", "--out", tmp_path / "c.xlsx", "--date", "2026-01-05")[0] == 0
    rows = list(load_workbook(tmp_path / "c.xlsx").active.iter_rows(values_only=True))
    assert rows[1][:5] == ("Ref", "Clock", "Framework", "Starts", "Due")
    assert rows[2][:2] == ("Ref001", "RAPID_REVIEW") and rows[2][4].date() == date(2026, 1, 13)
    assert run(capsys, "--db", db, "export", "clocks", "--out", tmp_path / "c.ics", "--date", "2026-01-05")[0] == 0
    cal = Calendar.from_ical((tmp_path / "c.ics").read_bytes())
    (event,) = cal.walk("VEVENT")
    assert event.decoded("dtstart") == date(2026, 1, 13)
    assert str(event["summary"]) == "Ref001: Rapid review submission due"
    (alarm,) = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY" and alarm.decoded("trigger").days == -2


def test_bad_output_and_date_are_refused(capsys, tmp_path):
    db = tmp_path / "new.db"
    run(capsys, "new", db)
    code, _, err = run(capsys, "--db", db, "export", "clocks", "--out", tmp_path / "c.pdf")
    assert code == 1 and ".json, .xlsx, .ics" in err and not (tmp_path / "c.pdf").exists()
    code, _, err = run(capsys, "--db", db, "export", "clocks", "--out", tmp_path / "c.json", "--date", "soon")
    assert code == 2 and "is not a date" in err
