"""The import wizard, driven as a person would: choose a file, check the column guesses, preview,
import. A good file adds its rows; a bad one lists its problems and changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWizard

from scrdesk.ui import import_wizard as wizard_module
from scrdesk.ui.import_wizard import ImportWizard

GOOD = """Ref,Date received,Summary,Location,Gender,Age,Decision,Decision date
Ref060,01/05/2017,Neglect of a baby,Northtown,Male,6 wks,Serious Case Review,20/05/2017
Ref061,03/05/2017,Injuries to a toddler,Southtown,Female,1 yr 11 mths,Case mapping exercise,
"""

BAD = """Ref,Date received,Summary,Gender,Age
Ref070,31/02/2017,Bad date,Male,2 yrs
Ref071,01/03/2017,Bad age,Female,twelve-ish
"""


@pytest.fixture(autouse=True)
def _private_qsettings(private_qsettings):
    return private_qsettings


@pytest.fixture
def wizard(qtbot, store):
    widget = ImportWizard(store)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.pool.waitForDone()


def choose_file(qtbot, wizard, path, kind="referrals", monkeypatch=None):
    page = wizard.choose_page
    monkeypatch.setattr(wizard_module, "ask_import_file", lambda parent: str(path))
    page.browse_button.click()
    assert page.path_edit.text() == str(path)
    page.kind_buttons[kind].setChecked(True)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page, timeout=10000)


def wait_for_preview(qtbot, wizard):
    qtbot.waitUntil(lambda: wizard.preview_page.plan is not None or wizard.preview_page.status.text()
                    .startswith("Something"), timeout=10000)


def test_good_csv_adds_its_rows(wizard, store, tmp_path, qtbot, monkeypatch):
    path = tmp_path / "referrals.csv"
    path.write_text(GOOD, encoding="utf-8")
    imported = []
    wizard.imported.connect(imported.append)
    choose_file(qtbot, wizard, path, monkeypatch=monkeypatch)
    mapping = wizard.mapping_page
    # Pre-filled from the headings.
    assert mapping.combos["ref"].currentData() == 0
    assert mapping.combos["received_date"].currentData() == 1
    assert mapping.combos["decision"].currentData() == 6
    assert mapping.combos["location"].currentText().startswith("Location")
    assert mapping.isComplete()
    wizard.next()
    wait_for_preview(qtbot, wizard)
    preview = wizard.preview_page
    assert "2 referrals to add" in preview.summary.text()
    assert preview.rows_model.rowCount() == 2
    assert preview.rows_model.index(0, 1).data() == "Will be added"
    assert preview.errors_model.rowCount() == 0
    assert preview.isComplete()
    assert store.scalar("SELECT count(*) FROM referrals") == 0  # nothing yet
    wizard.next()
    qtbot.waitUntil(lambda: wizard.commit_page.result is not None, timeout=10000)
    assert "2 referrals added" in wizard.commit_page.status.text()
    assert imported == ["referrals"]
    rows = store.rows("SELECT ref, received_date, decision, age_weeks, age_years, age_months FROM referrals ORDER BY ref")
    assert [(r["ref"], r["received_date"], r["decision"]) for r in rows] == [
        ("Ref060", "2017-05-01", "SCR"), ("Ref061", "2017-05-03", "CASE_MAPPING")]
    assert (rows[0]["age_weeks"], rows[1]["age_years"], rows[1]["age_months"]) == (6, 1, 11)
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()


def test_bad_csv_lists_its_errors_and_changes_nothing(wizard, store, tmp_path, qtbot, monkeypatch):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    before = store.scalar("SELECT count(*) FROM audit_log")
    choose_file(qtbot, wizard, path, monkeypatch=monkeypatch)
    wizard.next()
    wait_for_preview(qtbot, wizard)
    preview = wizard.preview_page
    errors = preview.errors_model.rows()
    assert [(e["row"], e["field"], e["value"]) for e in errors] == [
        (2, "Date received", "31/02/2017"), (3, "Age", "twelve-ish")]
    assert "February 2017 has no day 31" in errors[0]["message"]
    assert [preview.rows_model.index(n, 1).data() for n in range(2)] == ["Problem", "Problem"]
    assert not preview.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "nothing has been changed" in preview.status.text()
    assert store.scalar("SELECT count(*) FROM referrals") == 0
    assert store.scalar("SELECT count(*) FROM audit_log") == before


def test_a_required_column_must_be_chosen(wizard, tmp_path, qtbot, monkeypatch):
    path = tmp_path / "referrals.csv"
    path.write_text(GOOD, encoding="utf-8")
    choose_file(qtbot, wizard, path, monkeypatch=monkeypatch)
    mapping = wizard.mapping_page
    mapping.combos["ref"].setCurrentIndex(0)  # "not in the file"
    assert not mapping.isComplete()
    assert "choose the column for Ref" in mapping.problem.text()
    mapping.combos["ref"].setCurrentIndex(mapping.combos["ref"].findData(2))  # the Summary column twice
    assert "chosen for both" in mapping.problem.text()
    mapping.combos["ref"].setCurrentIndex(mapping.combos["ref"].findData(0))
    assert mapping.isComplete()


def test_actions_import_needs_a_known_review(wizard, store, tmp_path, qtbot, monkeypatch):
    store.insert("reviews", {"title": "Ref044 Child D", "review_type": "SCR"})
    path = tmp_path / "actions.csv"
    path.write_text("Review,Action,Target date,Status\n"
                    "Ref044 Child D,Train social workers,31/03/2018,On track\n"
                    "Child Z,Unknown review,31/03/2018,On track\n", encoding="utf-8")
    choose_file(qtbot, wizard, path, kind="actions", monkeypatch=monkeypatch)
    assert set(wizard.mapping_page.mapping()) == {"review", "text", "target_date", "status"}
    wizard.next()
    wait_for_preview(qtbot, wizard)
    errors = wizard.preview_page.errors_model.rows()
    assert [(e["row"], e["field"], e["value"]) for e in errors] == [(3, "Review", "Child Z")]
    assert store.scalar("SELECT count(*) FROM actions") == 0


def test_a_file_that_cannot_be_read_is_explained(wizard, tmp_path, qtbot, monkeypatch):
    path = tmp_path / "tracker.xls"
    path.write_bytes(b"old excel")
    monkeypatch.setattr(wizard_module, "ask_import_file", lambda parent: str(path))
    wizard.choose_page.browse_button.click()
    wizard.next()
    qtbot.waitUntil(lambda: "only .csv and .xlsx" in wizard.choose_page.status.text(), timeout=10000)
    assert wizard.currentPage() is wizard.choose_page
    assert wizard.choose_page.isComplete()  # the person can choose another file


def test_the_window_is_not_blocked_while_checking(wizard, store, tmp_path, qtbot, monkeypatch):
    """The check runs in the pool: the GUI thread is free (it processes events) while it runs."""
    import threading

    path = tmp_path / "referrals.csv"
    path.write_text(GOOD, encoding="utf-8")
    choose_file(qtbot, wizard, path, monkeypatch=monkeypatch)
    release = threading.Event()
    threads = []
    real_plan = wizard_module._plan

    def slow_plan(*args):
        threads.append(threading.current_thread())
        release.wait(10)
        return real_plan(*args)

    monkeypatch.setattr(wizard_module, "_plan", slow_plan)
    wizard.next()
    qtbot.waitUntil(lambda: bool(threads), timeout=5000)
    assert threads[0] is not threading.main_thread()
    assert not wizard.preview_page.isComplete()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    qtbot.wait(50)  # events keep flowing on the GUI thread meanwhile
    release.set()
    wait_for_preview(qtbot, wizard)
    assert wizard.preview_page.isComplete()
