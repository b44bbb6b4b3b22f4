"""Importing composite-plan actions into the demo data: links by ref, recommendation and agency."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime

import pytest
from openpyxl import Workbook

from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import actions as rules
from scrdesk.store import actions as action_store
from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo
from scrdesk.store.import_actions import check_before_writing
from scrdesk.store.importer import apply_import, plan_import, read_table

HEADINGS = ["Review/Ref", "Recommendation no", "Agency", "Lead officer", "Action",
            "Target date", "Revised target", "Status", "Date agreed"]
NEW_ROWS = [
    ["Ref021", "1", "NGH", "Named nurse", "Audit ED bruising referrals for non-mobile babies.", "30/09/2017", "", "Not started", "15/06/2017"],
    ["Ref 44", "2", "Northamptonshire County Council – Children, Families and Education", "Head of MASH", "Repeat the chronology audit.", "31/12/2017", "", "On track", "15/06/2017"],
    ["Ref023", "", "Police", "", "Brief response officers on safe sleeping advice.", "31/10/2017", "", "", ""],
]


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture
def demo(demo_template, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    opened = Store.open(path, user="tester")
    yield opened
    opened.close()


def write_csv(path, rows, headings=HEADINGS):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headings)
        writer.writerows(rows)
    return path


def plan_of(store, path):
    return plan_import(store, "actions", read_table(path))


def test_new_actions_are_linked_to_review_recommendation_and_agency(demo, tmp_path):
    before = demo.scalar("SELECT count(*) FROM actions")
    plan = plan_of(demo, write_csv(tmp_path / "a.csv", NEW_ROWS))
    assert plan.errors == []
    assert (len(plan.inserts), len(plan.updates)) == (3, 0)
    apply_import(demo, plan)
    assert demo.scalar("SELECT count(*) FROM actions") == before + 3
    row = demo.row(
        "SELECT a.*, rc.number, ag.short_name FROM actions a JOIN recommendations rc ON rc.id = a.recommendation_id "
        "JOIN agencies ag ON ag.id = a.agency_id WHERE a.text LIKE 'Repeat the chronology%'")
    assert (row["number"], row["short_name"], row["status"]) == ("2", "NCC CFE", "on_track")
    assert (row["target_date"], row["agreed_date"]) == ("2017-12-31", "2017-06-15")
    review = demo.scalar("SELECT rr.review_id FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
                         "WHERE r.ref = 'Ref044'")
    assert row["review_id"] == review
    no_recommendation = demo.row("SELECT * FROM actions WHERE text LIKE 'Brief response officers%'")
    assert no_recommendation["recommendation_id"] is None and no_recommendation["status"] == "not_started"


def test_reimporting_the_plan_changes_nothing(demo, tmp_path):
    path = write_csv(tmp_path / "a.csv", NEW_ROWS)
    apply_import(demo, plan_of(demo, path))
    again = plan_of(demo, path)
    assert (len(again.inserts), len(again.updates), len(again.unchanged)) == (0, 0, 3)


def test_a_status_change_is_logged_as_an_update(demo, tmp_path):
    text = "Change the domestic abuse notification process so that notifications involving children under one go to the health visiting team."
    rows = [["Ref021", "3", "Police", "Head of Public Protection", text, "31/05/2017", "31/08/2017", "On track",
             "24/11/2016", "Waiting for the MASH restructure"]]
    plan = plan_of(demo, write_csv(tmp_path / "a.csv", rows, HEADINGS + ["Reason for revised target"]))
    assert plan.errors == [] and len(plan.updates) == 1
    assert plan.updates[0].changes == {"revised_target_date": "2017-08-31", "status": "on_track",
                                       "revised_reason": "Waiting for the MASH restructure"}
    apply_import(demo, plan)
    action = demo.row("SELECT * FROM actions WHERE text = ?", [text])
    assert (action["status"], action["revised_target_date"]) == ("on_track", "2017-08-31")
    last = demo.row("SELECT * FROM action_updates WHERE action_id = ? ORDER BY id DESC LIMIT 1", [action["id"]])
    assert (last["status_from"], last["status_to"], last["date"]) == ("slipping", "on_track", "2017-06-30")
    assert "a.csv" in last["note"]


def test_an_update_note_column_adds_to_the_log_once(demo, tmp_path):
    rows = [NEW_ROWS[0][:-1] + ["15/06/2017", "Audit tool agreed with ED consultants."]]
    path = write_csv(tmp_path / "a.csv", rows, HEADINGS + ["Latest update"])
    apply_import(demo, plan_of(demo, path))
    action = demo.scalar("SELECT id FROM actions WHERE text LIKE 'Audit ED bruising%'")
    notes = [r["note"] for r in demo.rows("SELECT note FROM action_updates WHERE action_id = ?", [action])]
    assert notes == ["Audit tool agreed with ED consultants."]
    assert len(plan_of(demo, path).unchanged) == 1


def test_excel_action_plan_with_date_cells(demo, tmp_path):
    book = Workbook()
    book.active.append(HEADINGS)
    book.active.append(["Ref021", 2, "NSCB", "Business Manager", "Re-audit the protocol.", datetime(2018, 3, 31), None, "Not started", datetime(2017, 6, 15)])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    plan = plan_of(demo, path)
    assert plan.errors == []
    apply_import(demo, plan)
    row = demo.row("SELECT a.target_date, rc.number FROM actions a JOIN recommendations rc ON rc.id = a.recommendation_id "
                   "WHERE a.text = 'Re-audit the protocol.'")
    assert row == {"target_date": "2018-03-31", "number": "2"}


BAD = [
    ("unknown review", 0, "Ref999", "Review/Ref", "is not a review"),
    ("unknown recommendation", 1, "9", "Recommendation no", "its recommendations are 1, 2, 3, 4, 5"),
    ("unknown agency", 2, "Ministry of Magic", "Agency", "is not an agency"),
    ("blank action", 4, "", "Action", "is blank"),
    ("bad target", 5, "31/09/2017", "Target date", "September 2017 has no day 31"),
    ("bad status", 7, "Nearly there", "Status", "is not one of"),
]


@pytest.mark.parametrize("what, column, value, field, words", BAD, ids=[b[0] for b in BAD])
def test_one_bad_action_row_imports_nothing(demo, tmp_path, what, column, value, field, words):
    rows = [list(r) for r in NEW_ROWS]
    rows[0][column] = value
    before = (demo.scalar("SELECT count(*) FROM actions"), demo.scalar("SELECT count(*) FROM audit_log"))
    plan = plan_of(demo, write_csv(tmp_path / "a.csv", rows))
    assert [(e.row, e.field) for e in plan.errors] == [(2, field)]
    assert words in plan.errors[0].message
    with pytest.raises(ScrdeskError):
        apply_import(demo, plan)
    assert (demo.scalar("SELECT count(*) FROM actions"), demo.scalar("SELECT count(*) FROM audit_log")) == before


def test_the_same_action_twice_for_a_review_is_refused(demo, tmp_path):
    rows = [NEW_ROWS[0], list(NEW_ROWS[0])]
    plan = plan_of(demo, write_csv(tmp_path / "a.csv", rows))
    assert [(e.row, e.field) for e in plan.errors] == [(3, "Action")]
    assert "rows 2 and 3" in plan.errors[0].message


def test_a_review_can_be_named_by_its_title(demo, tmp_path):
    rows = [["Ref021 – Significant non-accidental injury", "", "", "", "Share the learning again.", "", "", "", ""]]
    plan = plan_of(demo, write_csv(tmp_path / "a.csv", rows))
    assert plan.errors == [] and len(plan.inserts) == 1


CLOSED = ["Ref023", "", "Police", "", "Brief call handlers on safe sleeping.", "31/05/2017", "", "Signed off", "01/03/2017"]


def test_a_bare_signed_off_row_is_taken_in_awaiting_evidence_with_a_note(demo, tmp_path):
    rows = [NEW_ROWS[0], CLOSED]
    plan = plan_of(demo, write_csv(tmp_path / "a.csv", rows))
    assert plan.errors == []
    assert plan.notes == ["Row 3: \u2018Signed off\u2019 with no evidence or completion reason was imported as "
                          "Complete \u2013 awaiting evidence."]
    apply_import(demo, plan)
    action = demo.row("SELECT * FROM actions WHERE text = ?", [CLOSED[4]])
    assert action["status"] == "complete_awaiting_evidence"
    # Neither imported action is closed with nothing to show for it.
    imported = [row[4] for row in rows]
    assert demo.scalar("SELECT count(*) FROM actions WHERE status IN ('signed_off', 'complete_evidenced') "
                       "AND text IN (?, ?)", imported) == 0


@pytest.mark.parametrize("heading", ["Evidence", "Evidence of completion", "Evidence note"])
def test_a_signed_off_row_with_evidence_is_signed_off_on_the_import_date(demo, tmp_path, heading):
    plan = plan_of(demo, write_csv(tmp_path / "a.csv", [CLOSED + ["Attendance register, 48 call handlers"]],
                                   HEADINGS + [heading]))
    assert plan.errors == [] and plan.notes == []
    apply_import(demo, plan)
    action = demo.row("SELECT * FROM actions WHERE text = ?", [CLOSED[4]])
    assert (action["status"], action["evidence_note"]) == ("signed_off", "Attendance register, 48 call handlers")
    assert action["signoff_date"] == demo.settings().today().isoformat() == "2017-06-30"


@pytest.mark.parametrize("heading", ["Completion reason", "Reason for closure", "Closure reason"])
def test_a_completion_reason_closes_a_row_on_the_date_given(demo, tmp_path, heading):
    row = [*CLOSED[:7], "Complete \u2013 evidenced", CLOSED[8], "Superseded by the national protocol", "20/06/2017"]
    plan = plan_of(demo, write_csv(tmp_path / "a.csv", [row], HEADINGS + [heading, "Date signed off"]))
    assert plan.errors == [] and plan.notes == []
    apply_import(demo, plan)
    action = demo.row("SELECT * FROM actions WHERE text = ?", [CLOSED[4]])
    assert (action["status"], action["completion_reason"], action["signoff_date"]) == (
        "complete_evidenced", "Superseded by the national protocol", "2017-06-20")


def test_a_row_breaking_another_rule_is_refused_in_the_rules_words(demo, tmp_path):
    # A target before the date agreed, and a revised target with no reason.
    rows = [["Ref021", "1", "NGH", "", "Audit triage notes.", "01/01/2017", "", "On track", "15/06/2017"],
            ["Ref021", "1", "NGH", "", "Audit triage codes.", "30/09/2017", "31/10/2017", "On track", "15/06/2017"]]
    plan = plan_of(demo, write_csv(tmp_path / "a.csv", rows))
    assert [(e.row, e.field, e.message) for e in plan.errors] == [
        (2, "Target date", "is before the date the action was agreed"),
        (3, "Reason for the revised target", "is required when the target is revised")]
    # The store refuses the same record in the same words.
    review = demo.scalar("SELECT id FROM reviews ORDER BY id LIMIT 1")
    with pytest.raises(RuleBroken) as refused:
        action_store.create_action(demo, {"review_id": review, "text": "Audit triage codes.", "status": "on_track",
                                          "target_date": "2017-09-30", "revised_target_date": "2017-10-31"})
    assert refused.value.problems == {"revised_reason": plan.errors[1].message}


def test_the_write_holds_the_rules_too(demo, tmp_path):
    plan = plan_of(demo, write_csv(tmp_path / "a.csv", [CLOSED]))
    plan.inserts[0].values["status"] = "signed_off"  # as if the plan had been made by hand
    before = demo.scalar("SELECT count(*) FROM actions")
    with pytest.raises(RuleBroken, match="Row 2") as refused:
        check_before_writing(demo, plan)
    assert refused.value.problems == {"status": rules.completion_problem("signed_off", 0)}
    # apply_import runs the same check inside its one transaction: nothing is written.
    with pytest.raises(RuleBroken, match="Row 2"):
        apply_import(demo, plan)
    assert demo.scalar("SELECT count(*) FROM actions") == before
