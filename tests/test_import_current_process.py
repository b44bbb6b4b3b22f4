"""Importing a current-process tracker (Working Together 2018/2023): the decision whether to notify,
the notification and its withdrawal, the rapid review kept per case, the Panel's response, the
national data. Tried as an office would: a year's tracker into a new file, then its funnel and
`export clocks`."""

from __future__ import annotations

import csv
import json

import pytest

from scrdesk.cli import main
from scrdesk.store.clocks import open_clocks
from scrdesk.store.db import Store
from scrdesk.store.importer import apply_import, plan_import, read_table
from scrdesk.store.statutory import funnel

# A partnership's tracker for 2024-25 under its own headings (the usual variants mixed in).
HEADINGS = ["Ref", "Date received", "SIN decision date", "SIN decision", "Notification reason",
            "Date LA aware", "Date notified", "Harm category", "Sex of child", "Age band", "RR meeting date",
            "RR submitted", "RR outcome", "Panel response date", "Panel agreed", "Date withdrawn",
            "Withdrawn reason"]
YEAR_ROWS = [
    # Notified on time, rapid review on time (due Tue 28 May 2024 over two bank holidays), LCSPR.
    ["Ref001", "01/05/2024", "02/05/2024", "Yes", "", "01/05/2024", "03/05/2024", "Neglect", "Female",
     "Under 1", "17/05/2024", "24/05/2024", "LCSPR", "20/06/2024", "Yes", "", ""],
    # Rapid review submitted a week late (due Tue 23 Jul 2024); the Panel agreed no further review.
    ["Ref002", "28/06/2024", "01/07/2024", "Notify", "", "28/06/2024", "02/07/2024", "Physical abuse", "M",
     "1 to 5", "16/07/2024", "30/07/2024", "No further review", "20/08/2024", "Agreed", "", ""],
    # Withdrawn: owes no rapid review and is not a missing one.
    ["Ref003", "10/09/2024", "10/09/2024", "Y", "", "", "11/09/2024", "Physical abuse", "", "", "", "", "",
     "", "", "20/09/2024", "Further information: the injury was accidental; criteria not met"],
    # Considered and not notified.
    ["Ref004", "01/11/2024", "04/11/2024", "Not notified", "No abuse or neglect suspected", "", "", "", "",
     "", "", "", "", "", "", "", ""],
    ["Ref005", "06/01/2025", "06/01/2025", "Yes", "", "", "08/01/2025", "CSE", "F", "11 to 15",
     "22/01/2025", "29/01/2025", "Local learning", "25/02/2025", "No", "", ""],
    # Notified in March, rapid review submitted after the year end (still a rapid review of the year).
    ["Ref006", "10/03/2025", "10/03/2025", "Yes", "", "", "12/03/2025", "Neglect", "Male", "6 to 10",
     "26/03/2025", "01/04/2025", "", "", "", "", ""],
]
# The partnership's own yearly summary of that tracker.
OWN_SUMMARY = {
    "considered": 6, "notified": 5, "notified_on_time": 2, "withdrawn": 1,
    "by_harm": {"neglect": 2, "physical_abuse": 2, "sexual_exploitation": 1},
    "rapid_reviews": 4, "submitted": 4, "submitted_on_time": 3,
    "by_sex": {"female": 2, "male": 2}, "by_age_band": {"under_1": 1, "1_5": 1, "11_15": 1, "6_10": 1},
    "outcomes": {"LCSPR": 1, "NFA": 1, "LOCAL_LEARNING": 1, "NATIONAL": 0},
    "panel_responses": 3, "panel_agreed": 2,
}


def write_csv(path, headings, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headings)
        writer.writerows(rows)
    return path


def plan_for(store, path):
    return plan_import(store, "referrals", read_table(path))


def imported(store, path):
    plan = plan_for(store, path)
    assert plan.errors == []
    apply_import(store, plan)
    return plan


@pytest.fixture
def new_file(tmp_path):
    assert main(["new", str(tmp_path / "new.db")]) == 0
    opened = Store.open(tmp_path / "new.db", user="tester")
    yield opened
    opened.close()


def test_every_current_process_heading_finds_its_field(new_file, tmp_path):
    plan = imported(new_file, write_csv(tmp_path / "year.csv", HEADINGS, YEAR_ROWS))
    assert plan.ignored_headings == []
    one = new_file.row("SELECT * FROM referrals WHERE ref = 'Ref001'")
    assert (one["notify_considered_date"], one["notify_decision"], one["sin_submitted_date"]) == \
        ("2024-05-02", 1, "2024-05-03")
    assert (one["harm_type"], one["harm_category"], one["child_sex"], one["child_age_band"]) == \
        ("neglect", None, "female", "under_1")
    assert (one["rr_meeting_date"], one["rr_submitted_date"], one["rr_outcome"]) == \
        ("2024-05-17", "2024-05-24", "LCSPR")
    assert (one["panel_response_date"], one["panel_agreed"]) == ("2024-06-20", 1)
    four = new_file.row("SELECT * FROM referrals WHERE ref = 'Ref004'")
    assert (four["notify_decision"], four["notify_reason"]) == (0, "No abuse or neglect suspected")
    three = new_file.row("SELECT * FROM referrals WHERE ref = 'Ref003'")
    assert three["notification_withdrawn_date"] == "2024-09-20"
    assert three["notification_withdrawn_reason"].startswith("Further information")


def test_a_years_tracker_gives_the_same_funnel_as_its_own_summary(new_file, tmp_path):
    imported(new_file, write_csv(tmp_path / "year.csv", HEADINGS, YEAR_ROWS))
    got = funnel(new_file, 2024)
    assert got["considered"] == OWN_SUMMARY["considered"]
    assert got["notifications"] == {"total": OWN_SUMMARY["notified"], "on_time": OWN_SUMMARY["notified_on_time"],
                                    "withdrawn": OWN_SUMMARY["withdrawn"], "by_harm": OWN_SUMMARY["by_harm"]}
    rapid = got["rapid_reviews"]
    assert (rapid["total"], rapid["submitted"], rapid["on_time"]) == \
        (OWN_SUMMARY["rapid_reviews"], OWN_SUMMARY["submitted"], OWN_SUMMARY["submitted_on_time"])
    assert (rapid["by_sex"], rapid["by_age_band"]) == (OWN_SUMMARY["by_sex"], OWN_SUMMARY["by_age_band"])
    assert got["decisions"] == OWN_SUMMARY["outcomes"]
    assert (got["panel"]["responses"], got["panel"]["agreed"]) == \
        (OWN_SUMMARY["panel_responses"], OWN_SUMMARY["panel_agreed"])


def test_a_withdrawn_notification_is_not_a_missing_rapid_review(new_file, tmp_path):
    imported(new_file, write_csv(tmp_path / "year.csv", HEADINGS, YEAR_ROWS))
    # Long after every deadline: Ref003 was notified and has no rapid review, but its notification
    # was withdrawn, so no rapid review clock is open or red for it (every other one was submitted).
    clocks = open_clocks(new_file, new_file.settings().today())
    assert [c for c in clocks if c["ref"] == "Ref003"] == []
    assert [c for c in clocks if c["clock"] == "RAPID_REVIEW"] == []


def test_a_case_notified_on_18_december_2025_is_due_its_rapid_review_on_13_january(new_file, tmp_path, capsys):
    path = write_csv(tmp_path / "december.csv", ["Ref", "Date received", "Date LA aware", "Notified", "Type of harm"],
                     [["Ref010", "16/12/2025", "16/12/2025", "18/12/2025", "Neglect"]])
    imported(new_file, path)
    new_file.close()
    out = tmp_path / "clocks.json"
    assert main(["export", "clocks", "--db", str(tmp_path / "new.db"), "--out", str(out),
                 "--date", "2025-12-19"]) == 0
    capsys.readouterr()
    clocks = json.loads(out.read_text(encoding="utf-8"))["clocks"]
    rapid = [c for c in clocks if c["clock"] == "RAPID_REVIEW"]
    # 15 working days from Thu 18 Dec 2025 over Christmas Day, Boxing Day and New Year's Day.
    assert [(c["ref"], c["starts"], c["due"]) for c in rapid] == [("Ref010", "2025-12-18", "2026-01-13")]
    assert rapid[0]["rag"] == "green"


def test_a_row_breaking_a_rule_is_refused_naming_row_column_and_words(new_file, tmp_path):
    rows = [["Ref001", "01/05/2024", "", "No", "", "", "03/05/2024", "", "", "", "", "", "", "", "", "", ""],
            ["Ref002", "01/05/2024", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "Not met"],
            ["Ref003", "01/05/2024", "", "", "", "", "03/05/2024", "", "", "", "", "", "Maybe", "", "Perhaps",
             "", ""]]
    plan = plan_for(new_file, write_csv(tmp_path / "bad.csv", HEADINGS, rows))
    described = sorted(e.describe() for e in plan.errors)
    assert any("row 2" in d.lower() and "SIN decision date" in d
               and "required when the decision whether to notify is recorded" in d for d in described), described
    assert any("row 2" in d.lower() and "Notification reason" in d
               and "required when the partners decided not to notify" in d for d in described), described
    assert any("row 3" in d.lower() and "Date withdrawn" in d and "required when a withdrawal reason is given" in d
               for d in described), described
    assert any("row 4" in d.lower() and "RR outcome" in d and "Maybe" in d for d in described), described
    assert any("row 4" in d.lower() and "Panel agreed" in d and "Perhaps" in d and "Yes or No" in d
               for d in described), described
    with pytest.raises(Exception, match="nothing was imported"):
        apply_import(new_file, plan)
    assert new_file.scalar("SELECT count(*) FROM referrals") == 0


def test_a_harm_category_column_takes_either_list_and_names_both_when_neither(new_file, tmp_path):
    rows = [["Ref001", "Died – neglect"], ["Ref002", "Child criminal exploitation"], ["Ref003", "Bruising"]]
    plan = plan_for(new_file, write_csv(tmp_path / "harm.csv", ["Ref", "Harm category"], rows))
    assert len(plan.errors) == 1
    message = plan.errors[0].describe()
    assert "Bruising" in message and "Harm category" in message and "Neglect" in message and "Died" in message
    plan = plan_for(new_file, write_csv(tmp_path / "harm.csv", ["Ref", "Harm category"], rows[:2]))
    apply_import(new_file, plan)
    got = {r["ref"]: (r["harm_category"], r["harm_type"])
           for r in new_file.rows("SELECT ref, harm_category, harm_type FROM referrals")}
    assert got == {"Ref001": ("died_neglect", None), "Ref002": (None, "criminal_exploitation")}
