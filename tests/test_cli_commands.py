"""The command line: each command's work, and one clear line (never a traceback) for every mistake."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scrdesk import __version__, cli
from scrdesk.cli import default_db_path, main
from scrdesk.store import schema
from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo

OUTCOMES_2016 = {"NFA": 0, "SINGLE_AGENCY": 2, "CASE_MAPPING": 5, "THEMATIC": 1, "SCR": 2}


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture
def demo_db(demo_template, tmp_path):
    path = tmp_path / "d.db"
    shutil.copy(demo_template, path)
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("scrdesk: ")
    return lines[0]


def test_demo_then_export_annual_gives_the_reports_outcomes(capsys, tmp_path):
    db, out = tmp_path / "d.db", tmp_path / "a.json"
    assert run(capsys, "demo", db)[0] == 0
    code, stdout, _ = run(capsys, "--db", db, "export", "annual", "--year", "2016", "--out", out)
    assert code == 0 and str(out) in stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["period"] == {"start": "2016-04-01", "end": "2017-03-31"}
    assert report["referrals"]["total"] == 10
    assert report["referrals"]["by_outcome"] == OUTCOMES_2016
    # Written as people read it: real characters, indented.
    text = out.read_text(encoding="utf-8")
    assert "13th May 2017 – SCR initiated" in text and '\n  "year": 2016' in text


def test_the_same_through_python_dash_m(tmp_path):
    env = {**os.environ, "SCRDESK_DB": str(tmp_path / "unused.db")}
    db, out = tmp_path / "d.db", tmp_path / "a.json"
    first = subprocess.run([sys.executable, "-m", "scrdesk", "demo", str(db)], capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    second = subprocess.run([sys.executable, "-m", "scrdesk", "--db", str(db), "export", "annual", "--year", "2016",
                             "--out", str(out)], capture_output=True, text=True, env=env)
    assert second.returncode == 0, second.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["referrals"]["total"] == 10 and report["referrals"]["by_outcome"] == OUTCOMES_2016
    mistake = subprocess.run([sys.executable, "-m", "scrdesk", "--db", str(tmp_path / "missing.db"), "check"],
                             capture_output=True, text=True, env=env)
    assert mistake.returncode == 1 and mistake.stdout == ""
    one_line(mistake.stderr)


def test_demo_refuses_to_overwrite_unless_forced(capsys, demo_db):
    code, _, err = run(capsys, "demo", demo_db)
    assert code == 1 and "already exists; use --force" in one_line(err)
    assert run(capsys, "demo", demo_db, "--force")[0] == 0


def test_demo_to_a_folder_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "demo", tmp_path)
    assert code == 1 and "is a folder" in one_line(err)


def test_check_is_quiet_on_the_demo_and_notes_the_reports_own_slips(capsys, demo_db):
    code, out, err = run(capsys, "--db", demo_db, "check")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:6]] == ["ok"] * 6
    # The reference report's own slips are notes, not warnings: the shipped demo keeps its rules.
    notes = [line.strip() for line in lines if line.strip().startswith("note:")]
    assert len(notes) == 2 and "Ref035" in notes[0] and "Ref052" in notes[1]
    assert "warning" not in out.lower() and "FAILED" not in out


def test_check_fails_with_the_reason_on_a_damaged_audit_chain(capsys, demo_db):
    with Store.open(demo_db) as store:
        store.db.execute("DROP TRIGGER audit_log_no_update")
        store.db.execute("UPDATE audit_log SET who = 'someone else' WHERE id = 42")
    code, out, err = run(capsys, "--db", demo_db, "check")
    assert code == 1
    assert "FAILED   audit chain" in out
    line = one_line(err)
    assert "audit chain" in line and "audit_log_no_update" in line
    first, last = map(int, re.search(r"audit rows (\d+)–(\d+): do not match their seal", line).groups())
    assert first <= 42 <= last


def test_check_fails_on_a_damaged_file(capsys, demo_db, tmp_path):
    damaged = tmp_path / "copy.db"
    data = bytearray(demo_db.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8192] = b"\xa5" * 8192
    damaged.write_bytes(bytes(data))
    code, out, err = run(capsys, "check", "--db", damaged)
    assert code == 1 and "FAILED" in out
    assert "check failed" in one_line(err)
    assert damaged.exists()  # a check never moves or deletes the file it looks at


def test_check_of_a_missing_file(capsys, tmp_path):
    code, out, err = run(capsys, "--db", tmp_path / "none.db", "check")
    assert code == 1 and out == ""
    assert "There is no data file" in one_line(err)


TRACKER = ("Ref,Date received,Summary,Sex,Age,Outcome,Decision date,Status\n"
           "Ref060,03/04/2017,Neglect,F,3 yrs,Case mapping,20/04/2017,New\n"
           "Ref053,31/10/2016,Extreme neglect and cruelty,M,12 yrs,SCR,05/02/2017,Learning event arranged for July 2017\n")


def counts(path) -> tuple[int, int]:
    with Store.open(path, readonly=True) as store:
        return store.scalar("SELECT count(*) FROM referrals"), store.scalar("SELECT count(*) FROM audit_log")


def test_import_dry_run_shows_what_would_change_and_changes_nothing(capsys, demo_db, tmp_path):
    tracker = tmp_path / "t.csv"
    tracker.write_text(TRACKER, encoding="utf-8")
    before = counts(demo_db)
    code, out, err = run(capsys, "--db", demo_db, "import", "referrals", tracker, "--dry-run")
    assert code == 0 and err == ""
    assert "1 referral to add, 1 referral to change, 0 unchanged" in out
    assert "row 2, Ref060" in out
    assert "row 3, Ref053: status_note" in out and "Learning event arranged" in out
    assert "Dry run: nothing was changed." in out
    assert counts(demo_db) == before


def test_import_writes_the_changes(capsys, demo_db, tmp_path):
    tracker = tmp_path / "t.csv"
    tracker.write_text(TRACKER, encoding="utf-8")
    code, out, _ = run(capsys, "--db", demo_db, "import", "referrals", tracker)
    assert code == 0 and "1 added, 1 changed" in out
    with Store.open(demo_db, readonly=True) as store:
        assert store.scalar("SELECT decision FROM referrals WHERE ref = 'Ref060'") == "CASE_MAPPING"


def test_import_with_a_bad_row_lists_it_and_changes_nothing(capsys, demo_db, tmp_path):
    tracker = tmp_path / "t.csv"
    tracker.write_text(TRACKER + "Ref061,31/04/2017,Neglect,F,3 yrs,Case mapping,,\n", encoding="utf-8")
    before = counts(demo_db)
    code, out, err = run(capsys, "--db", demo_db, "import", "referrals", tracker)
    assert code == 1 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines[0].strip() == "row 4, Date received ('31/04/2017'): is not a real date: April 2017 has no day 31; use dd/mm/yyyy, e.g. 31/03/2017"
    assert lines[-1] == "scrdesk: nothing was imported: 1 problem in t.csv (listed above)"
    assert counts(demo_db) == before


@pytest.mark.parametrize("name, content, words", [
    ("missing.csv", None, "There is no file"),
    ("empty.csv", "", "is empty"),
    ("broken.xlsx", "not a zip", "could not be opened as an Excel workbook"),
    ("old.xls", "x", "only .csv and .xlsx"),
])
def test_import_of_an_unreadable_file_is_one_line(capsys, demo_db, tmp_path, name, content, words):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "--db", demo_db, "import", "actions", path)
    assert code == 1 and words in one_line(err)


def test_a_read_only_file_says_why_it_cannot_be_written(capsys, demo_db, tmp_path):
    with Store.open(demo_db) as store:
        store.db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                         "VALUES (?, 'from the future', '2030-01-01')", [schema.MIGRATION_SET])
    tracker = tmp_path / "t.csv"
    tracker.write_text(TRACKER, encoding="utf-8")
    code, _, err = run(capsys, "--db", demo_db, "import", "referrals", tracker)
    line = one_line(err)
    assert code == 1 and "read-only" in line and "newer scrdesk" in line


def test_export_documents_through_the_export_layer(capsys, demo_db, tmp_path):
    password = tmp_path / "pw.txt"
    password.write_text("correct horse battery\n", encoding="utf-8")
    jobs = [
        (["export", "briefing", "Ref021", "--out", tmp_path / "b.pdf", "--password-file", password], "b.pdf", b"%PDF"),
        (["export", "paper", "--out", tmp_path / "p.pdf", "--date", "2017-06-15", "--kind", "qa"], "p.pdf", b"%PDF"),
        (["export", "actions", "--out", tmp_path / "a.xlsx"], "a.xlsx", b"PK"),
        (["export", "annual", "--year", "2016", "--out", tmp_path / "r.pdf"], "r.pdf", b"%PDF"),
    ]
    said = []
    for argv, name, magic in jobs:
        code, out, err = run(capsys, "--db", demo_db, *argv)
        assert code == 0, err
        assert (tmp_path / name).read_bytes().startswith(magic)
        said.append(out)
    assert "password protected" in said[0] and "password protected" not in said[1]
    with Store.open(demo_db, readonly=True) as store:
        assert store.scalar("SELECT count(*) FROM document_log") >= 4


@pytest.mark.parametrize("argv, words", [
    (["export", "briefing", "Ref999", "--out", "OUT/b.pdf"], "Ref999"),
    (["export", "annual", "--year", "2016", "--out", "OUT/r.txt"], ".pdf, .xlsx, .json"),
    (["export", "paper", "--out", "OUT/p.pdf", "--date", "31/02/2017"], "February 2017 has no day 31"),
    (["export", "annual", "--year", "2016", "--out", "OUT/d.db/r.json"], "File exists"),
    (["export", "actions", "--out", "OUT/a.pdf", "--password-file", "OUT/missing.txt"], "No such file or directory"),
])
def test_export_mistakes_are_one_line(capsys, demo_db, tmp_path, argv, words):
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    code, _, err = run(capsys, "--db", demo_db, *argv)
    assert code == 1 and words in one_line(err)


def test_an_empty_password_file_is_refused(capsys, demo_db, tmp_path):
    password = tmp_path / "pw.txt"
    password.write_text("\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", demo_db, "export", "actions", "--out", tmp_path / "a.pdf",
                       "--password-file", password)
    assert code == 1 and "is empty" in one_line(err)
    assert not (tmp_path / "a.pdf").exists()


def test_backup_is_written_verified_and_never_over_a_file(capsys, demo_db, tmp_path):
    out = tmp_path / "backup.db"
    code, stdout, _ = run(capsys, "--db", demo_db, "backup", "--out", out)
    assert code == 0 and "verified" in stdout
    assert run(capsys, "--db", out, "check")[0] == 0
    code, _, err = run(capsys, "--db", demo_db, "backup", "--out", out)
    assert code == 1 and "already exists" in one_line(err)


def test_sample_writes_a_new_file_only(capsys, tmp_path):
    path = tmp_path / "s.db"
    code, out, _ = run(capsys, "sample", "--size", "small", path)
    assert code == 0 and "referrals" in out
    code, _, err = run(capsys, "sample", path)
    assert code == 1 and "already exists" in one_line(err)


@pytest.mark.parametrize("argv", [
    ["frobnicate"],
    ["import", "people", "x.csv"],
    ["import", "referrals"],
    ["export", "annual", "--year", "last", "--out", "a.json"],
    ["export", "annual", "--out", "a.json"],
    ["export", "paper", "--out", "p.pdf", "--kind", "board"],
    ["export"],
    ["sample", "--size", "huge", "s.db"],
])
def test_mistyped_commands_exit_2_in_one_line(capsys, argv):
    # Issue 12, item 12: argparse printed its usage lines first (4-5 lines in all).
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert one_line(err).endswith("--help')")


def _all_actions(parser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from ((f"{name} {where}".strip(), a) for where, a in _all_actions(sub))
        else:
            yield "", action


def test_every_argument_has_help():
    missing = [f"{where}: {'/'.join(a.option_strings) or a.dest}"
               for where, a in _all_actions(cli.build_parser()) if not a.help]
    assert missing == []


def test_an_empty_db_is_refused_in_one_line_and_opens_nothing(capsys, monkeypatch, tmp_path):
    # Issue 12, item 8: `--db ""` (an unset shell variable) opened the person's own file.
    import scrdesk.app

    monkeypatch.setenv("SCRDESK_DB", str(tmp_path / "mine.db"))
    monkeypatch.setattr(scrdesk.app, "run_gui", lambda **kw: pytest.fail("the window opened"))
    for argv in (["--db", ""], ["--db", " ", "check"], ["check", "--db", ""]):
        code, _, err = run(capsys, *argv)
        assert code != 0 and "--db was given an empty path" in one_line(err)
    assert not (tmp_path / "mine.db").exists()


def test_a_mistyped_db_makes_no_folders_and_no_file(capsys, tmp_path):
    wrong = tmp_path / "Sharred" / "cases.db"
    tracker = tmp_path / "x.csv"
    tracker.write_text("Ref,Summary\nRef900,x\n", encoding="utf-8")
    for argv in (["check"], ["import", "referrals", tracker], ["backup"],
                 ["export", "paper", "--out", tmp_path / "p.pdf"]):
        code, _, err = run(capsys, "--db", wrong, *argv)
        assert code != 0 and "does not exist either" in one_line(err)
    assert not wrong.parent.exists()


def test_a_text_or_empty_file_given_as_db_is_refused_and_left_alone(capsys, tmp_path):
    # Issue 12, item 11: a text file given to a write command was renamed .corrupt.
    text, empty = tmp_path / "notes.db", tmp_path / "empty.db"
    text.write_text("Minutes\n" * 100, encoding="utf-8")
    empty.touch()
    code, _, err = run(capsys, "--db", text, "export", "paper", "--out", tmp_path / "p.pdf")
    assert code == 1 and "not a scrdesk data file" in one_line(err)
    code, _, err = run(capsys, "--db", empty, "export", "paper", "--out", tmp_path / "p.pdf")
    assert code == 1 and "empty (0 bytes)" in one_line(err)
    assert text.read_text(encoding="utf-8").startswith("Minutes") and empty.stat().st_size == 0
    assert not list(tmp_path.glob("*.corrupt*"))
    code, out, _ = run(capsys, "new", empty)  # asked for by name: made a data file
    assert code == 0 and Store.open(empty, readonly=True).scalar("SELECT count(*) FROM settings") > 0


def test_demo_and_sample_honour_db(capsys, tmp_path):
    demo, sample = tmp_path / "demo.db", tmp_path / "sample.db"
    assert run(capsys, "--db", demo, "demo")[0] == 0 and demo.exists()
    assert run(capsys, "sample", "--db", sample)[0] == 0 and sample.exists()
    code, _, err = run(capsys, "--db", demo, "demo", tmp_path / "other.db")
    assert code == 1 and "given two files" in one_line(err)
    code, _, err = run(capsys, "demo")
    assert code == 1 and "give the data file to write" in one_line(err)
    assert not (tmp_path / "other.db").exists()


def test_demo_force_refuses_a_file_another_copy_holds(capsys, demo_db):
    # Issue 12, item 5: the holder went on writing to a deleted file.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom scrdesk.store.db import Store\n"
         "s = Store.open(sys.argv[1], user='sjones')\nprint('open', flush=True)\ntime.sleep(30)",
         str(demo_db)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    try:
        assert holder.stdout.readline().strip() == "open"
        inode = demo_db.stat().st_ino
        code, _, err = run(capsys, "demo", "--force", demo_db)
        assert code == 1 and "sjones on" in one_line(err) and "must close it" in err
        assert demo_db.stat().st_ino == inode  # the same file, not replaced
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_escape_sequences_from_file_data_are_not_sent_to_the_terminal(capsys, demo_db, tmp_path):
    tracker = tmp_path / "t.csv"
    tracker.write_text("Ref,\x1b]0;owned\x07\x1b[2JNotes\nRef900,x\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", demo_db, "import", "referrals", tracker, "--dry-run")
    assert "\x1b" not in out + err and "\x07" not in out + err


def test_printed_messages_show_control_characters_escaped(capsys):
    cli._complain("There is no review 'Ref\x1b]0;owned\x07\x1b[2J'.")
    cli._say("Written Child\u202eA.pdf")
    out, err = capsys.readouterr()
    assert err == "scrdesk: There is no review 'Ref\\x1b]0;owned\\x07\\x1b[2J'.\n"
    assert out == "Written Child\\u202eA.pdf\n"
    assert cli.printable("Tŵr Ośrodka – “ok”\n\tnext") == "Tŵr Ośrodka – “ok”\n\tnext"


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"scrdesk {__version__}"


def test_no_command_opens_the_window(capsys, monkeypatch, tmp_path):
    seen = []
    import scrdesk.app

    monkeypatch.setattr(scrdesk.app, "run_gui", lambda db=None, demo=False: seen.append((db, demo)) or 0)
    assert main([]) == 0
    assert main(["--demo"]) == 0
    assert main(["--db", str(tmp_path / "x.db")]) == 0
    assert seen == [(None, False), (None, True), (str(tmp_path / "x.db"), False)]


def test_demo_flag_with_a_command_is_a_mistake(capsys, tmp_path):
    code, _, err = run(capsys, "--demo", "check")
    assert code == 2 and "--demo opens the window" in one_line(err)


def test_default_data_file(monkeypatch, tmp_path):
    monkeypatch.setenv("SCRDESK_DB", str(tmp_path / "mine.db"))
    assert default_db_path() == tmp_path / "mine.db"
    monkeypatch.delenv("SCRDESK_DB")
    default = default_db_path()
    assert default.name == "scrdesk.db" and default.parent.name == "scrdesk"


def test_the_environment_chooses_the_file_when_db_is_not_given(capsys, monkeypatch, demo_db):
    monkeypatch.setenv("SCRDESK_DB", str(demo_db))
    assert run(capsys, "check")[0] == 0


def test_db_may_come_after_the_command(capsys, demo_db):
    assert run(capsys, "check", "--db", demo_db)[0] == 0
    assert cli.build_parser().parse_args(["check", "--db", "x.db"]).db == "x.db"
    assert Path(cli.build_parser().parse_args(["--db", "y.db", "check"]).db).name == "y.db"


def test_self_test_runs_on_its_own(capsys, monkeypatch):
    import scrdesk.selftest

    calls = []
    monkeypatch.setattr(scrdesk.selftest, "run_self_test", lambda: calls.append(1) or 0)
    assert main(["--self-test"]) == 0 and calls == [1]
    code, _, err = run(capsys, "--self-test", "check")
    assert code == 2 and "--self-test runs on its own" in one_line(err)
    assert calls == [1]


def test_export_timeline_of_one_review_and_of_all(capsys, demo_db, tmp_path):
    code, out, _ = run(capsys, "--db", str(demo_db), "export", "timeline", "--review", "Ref053",
                       "--out", str(tmp_path / "one.pdf"))
    assert code == 0 and "1 page" in out
    code, _, err = run(capsys, "--db", str(demo_db), "export", "timeline", "--review", "Ref999",
                       "--out", str(tmp_path / "none.pdf"))
    assert code != 0 and one_line(err) == "scrdesk: There is no review 'Ref999'."
    assert not (tmp_path / "none.pdf").exists()


def test_export_chasers_writes_one_draft_per_agency(capsys, demo_db, tmp_path):
    code, out, _ = run(capsys, "--db", str(demo_db), "export", "chasers", "--out", str(tmp_path / "ch"))
    drafts = sorted((tmp_path / "ch").glob("*.eml"))
    assert code == 0 and drafts and f"{len(drafts)} chaser drafts written." in out
    assert any("Police" in d.name for d in drafts)


def test_export_subject_access_of_one_case(capsys, demo_db, tmp_path):
    code, out, _ = run(capsys, "--db", str(demo_db), "export", "subject-access", "ref21",
                       "--out", str(tmp_path / "case.json"))
    assert code == 0 and '"Ref021"' in (tmp_path / "case.json").read_text(encoding="utf-8")
    code, _, err = run(capsys, "--db", str(demo_db), "export", "subject-access", "Ref999",
                       "--out", str(tmp_path / "none.pdf"))
    assert code != 0 and one_line(err) == "scrdesk: There is no referral Ref999."
