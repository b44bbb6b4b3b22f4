"""The settings dialog: change settings, add and deactivate agencies, choose a logo; all saved
together, nothing saved on a mistake."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog, QLabel

from scrdesk.store.db import Store
from scrdesk.ui import settings_dialog as settings_module
from scrdesk.ui.settings_dialog import AgencyDialog, SettingsDialog


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def police(store):
    return store.insert("agencies", {"name": "Northshire Police", "short_name": "Police", "type": "police"})


@pytest.fixture
def dialog(qtbot, store, police):
    widget = SettingsDialog(store)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture(autouse=True)
def _discard_at_teardown(monkeypatch):
    """Closing a dialog at teardown must not stop to ask about unsaved changes."""
    monkeypatch.setattr(settings_module, "ask_discard", lambda parent: True)


def retype(qtbot, field, text):
    field.editor.clear()
    qtbot.keyClicks(field.editor, text)
    field.editor.editingFinished.emit()


def test_change_settings_and_save(dialog, store, qtbot):
    retype(qtbot, dialog.board_name, "Northshire Safeguarding Children Partnership")
    retype(qtbot, dialog.numbers["feedback_period_days"], "21")
    retype(qtbot, dialog.numbers["due_soon_days"], "10")
    retype(qtbot, dialog.as_at, "31/3/2017")
    dialog.markings["briefing"].editor.setCurrentIndex(dialog.markings["briefing"].editor.findData("OFFICIAL-SENSITIVE"))
    dialog.framework.editor.setCurrentIndex(dialog.framework.editor.findData("wt2015"))
    retype(qtbot, dialog.retention["actions"], "7")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    settings = store.settings()
    assert settings.board_name == "Northshire Safeguarding Children Partnership"
    assert settings.feedback_period_days == 21 and settings.due_soon_days == 10
    assert settings.as_at_date == "2017-03-31"
    assert settings.marking["briefing"] == "OFFICIAL-SENSITIVE"
    assert settings.marking["paper"] == "OFFICIAL-SENSITIVE"
    assert settings.default_framework == "wt2015"
    assert settings.retention_years["actions"] == 7 and settings.retention_years["referrals"] == 25


def test_a_mistake_is_shown_at_its_field_and_nothing_is_saved(dialog, store, qtbot):
    retype(qtbot, dialog.board_name, "New name")
    retype(qtbot, dialog.numbers["feedback_period_days"], "four weeks")
    retype(qtbot, dialog.ref_prefix, "12")
    assert not dialog.try_save()
    assert dialog.isVisible()
    assert "whole number" in dialog.numbers["feedback_period_days"].error_text()
    assert "starting with a letter" in dialog.ref_prefix.error_text()
    assert "Feedback period (days)" in dialog.problem_label.text()
    assert store.settings().board_name == "Safeguarding Children Partnership"
    assert dialog.board_name.value() == "New name"  # what was typed is kept


def test_blank_as_at_date_means_today(dialog, store, qtbot):
    store.set_settings({"as_at_date": "2017-06-15"})
    fresh = SettingsDialog(store)
    qtbot.addWidget(fresh)
    assert fresh.as_at.iso() == "2017-06-15"
    fresh.as_at.editor.clear()
    assert fresh.try_save()
    assert store.settings().as_at_date is None


def test_add_edit_and_deactivate_agencies_saved_with_the_settings(dialog, store, police, qtbot, monkeypatch):
    def add(agency_dialog: AgencyDialog):
        qtbot.keyClicks(agency_dialog.name.editor, "northshire police")
        assert not agency_dialog.try_save()
        assert agency_dialog.name.error_text() == "is already used by another agency"
        agency_dialog.name.editor.clear()
        qtbot.keyClicks(agency_dialog.name.editor, "Riverside Hospitals NHS Trust")
        agency_dialog.type.editor.setCurrentIndex(agency_dialog.type.editor.findData("health_provider"))
        qtbot.keyClicks(agency_dialog.lead_email.editor, "safeguarding@riverside")
        agency_dialog.lead_email.editor.editingFinished.emit()
        assert not agency_dialog.try_save()
        assert "not an email address" in agency_dialog.lead_email.error_text()
        qtbot.keyClicks(agency_dialog.lead_email.editor, ".nhs.uk")
        assert agency_dialog.try_save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AgencyDialog, "exec", add)
    dialog.pages.setCurrentIndex(3)
    qtbot.mouseClick(dialog.add_agency_button, Qt.MouseButton.LeftButton)
    assert [a["name"] for a in dialog.agency_model.rows()] == ["Northshire Police", "Riverside Hospitals NHS Trust"]
    assert store.scalar("SELECT count(*) FROM agencies") == 1  # not until Save

    dialog.agency_view.selectRow(0)
    assert dialog.active_button.text() == "De&activate"
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert dialog.agency_model.index(0, 5).data() == "No"

    def edit(agency_dialog: AgencyDialog):
        agency_dialog.short_name.editor.setText("NP")
        assert agency_dialog.try_save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AgencyDialog, "exec", edit)
    qtbot.mouseClick(dialog.edit_agency_button, Qt.MouseButton.LeftButton)
    assert dialog.try_save()
    police_row = store.get("agencies", police)
    assert police_row["active"] == 0 and police_row["short_name"] == "NP"
    trust = store.row("SELECT * FROM agencies WHERE name = 'Riverside Hospitals NHS Trust'")
    assert trust["type"] == "health_provider" and trust["lead_email"] == "safeguarding@riverside.nhs.uk"
    assert trust["active"] == 1


def test_choose_a_logo_kept_as_an_attachment(dialog, store, tmp_path, monkeypatch, qtbot):
    image = QImage(60, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    logo = tmp_path / "logo.png"
    assert image.save(str(logo))
    monkeypatch.setattr(settings_module, "ask_open_files", lambda *a: [str(logo)])
    qtbot.mouseClick(dialog.choose_logo_button, Qt.MouseButton.LeftButton)
    assert not dialog.logo_preview.pixmap().isNull()
    assert dialog.try_save()
    logo_id = store.settings().logo_attachment_id
    attachment = store.get("attachments", logo_id)
    assert attachment["owner_kind"] == "logo" and attachment["content"] == logo.read_bytes()
    # Removing it clears the setting and the stored image.
    again = SettingsDialog(store)
    qtbot.addWidget(again)
    qtbot.mouseClick(again.remove_logo_button, Qt.MouseButton.LeftButton)
    assert again.try_save()
    assert store.settings().logo_attachment_id is None
    assert store.scalar("SELECT count(*) FROM attachments") == 0


def test_a_file_that_is_not_an_image_is_refused_as_logo(dialog, tmp_path, monkeypatch, store):
    warnings = []
    monkeypatch.setattr(settings_module.QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    text = tmp_path / "logo.png"
    text.write_text("not really a picture")
    assert not dialog.choose_logo(str(text))
    assert "is not a PNG or JPEG image" in warnings[0]
    assert dialog.try_save()
    assert store.settings().logo_attachment_id is None


def test_cancel_with_changes_asks_first(dialog, store, qtbot, monkeypatch):
    retype(qtbot, dialog.board_name, "Changed")
    monkeypatch.setattr(settings_module, "ask_discard", lambda parent: False)
    dialog.reject()
    assert dialog.isVisible()
    monkeypatch.setattr(settings_module, "ask_discard", lambda parent: True)
    dialog.reject()
    assert not dialog.isVisible()
    assert store.settings().board_name == "Safeguarding Children Partnership"


def test_a_read_only_file_opens_the_settings_read_only(store, police, qtbot):
    path = store.path
    store.close()
    readonly = Store.open(path, readonly=True)
    try:
        dialog = SettingsDialog(readonly)
        qtbot.addWidget(dialog)
        assert dialog.save_button is None
        assert not dialog.board_name.editor.isEnabled() or dialog.board_name.editor.isReadOnly()
        assert not dialog.add_agency_button.isEnabled() and not dialog.choose_logo_button.isEnabled()
        dialog.agency_view.selectRow(0)
        assert not dialog.active_button.isEnabled()
    finally:
        readonly.close()


def test_the_switch_to_the_2018_arrangements_is_the_partnerships_own_date(dialog, store, qtbot):
    assert dialog.arrangements_2018.iso() == "2019-09-29"  # the latest date allowed, by default
    retype(qtbot, dialog.arrangements_2018, "28/06/2018")
    assert "must be from 29 Jun 2018" in dialog.arrangements_2018.error_text()
    assert not dialog.try_save()
    retype(qtbot, dialog.arrangements_2018, "30/9/2019")
    assert "to 29 Sep 2019" in dialog.arrangements_2018.error_text()
    retype(qtbot, dialog.arrangements_2018, "1/4/2019")
    assert dialog.try_save()
    assert store.settings().arrangements_2018_from().isoformat() == "2019-04-01"


def test_local_targets_per_review_type_are_labelled_as_the_partnerships_own(dialog, store, qtbot):
    assert {key: field.value() for key, field in dialog.local_targets.items()} == \
        {"CASE_MAPPING": 6, "SINGLE_AGENCY": 6, "THEMATIC": 6, "LOCAL_LEARNING": 6}
    assert dialog.local_targets["CASE_MAPPING"].label == "Case Mapping Exercise (months)"
    page = dialog.pages.widget(2).widget()
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert any("the partnership's own" in text for text in texts)
    assert any("never as Working Together" in text for text in texts)
    retype(qtbot, dialog.local_targets["CASE_MAPPING"], "4")
    retype(qtbot, dialog.local_targets["THEMATIC"], "0")
    assert not dialog.try_save()
    retype(qtbot, dialog.local_targets["THEMATIC"], "9")
    assert dialog.try_save()
    settings = store.settings()
    assert (settings.local_target_months("CASE_MAPPING"), settings.local_target_months("THEMATIC"),
            settings.local_target_months("SINGLE_AGENCY")) == (4, 9, 6)


def test_how_long_a_report_stays_online_is_a_year_or_more(dialog, store, qtbot):
    assert dialog.report_online.value() == 12
    retype(qtbot, dialog.report_online, "6")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted and store.settings().report_online_months == 12
    retype(qtbot, dialog.report_online, "24")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and store.settings().report_online_months == 24


def test_the_sub_groups_quorum_and_health_check_cadence_are_settings(dialog, store, qtbot):
    assert dialog.numbers["quorum_agencies"].value() == 3
    assert dialog.numbers["health_check_months"].value() == 6
    retype(qtbot, dialog.numbers["quorum_agencies"], "4")
    retype(qtbot, dialog.numbers["health_check_months"], "12")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert store.settings().quorum_agencies == 4 and store.settings().health_check_months == 12
