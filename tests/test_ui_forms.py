"""The shared form widgets: a mistake is flagged at the field, nothing is saved until all is valid,
unsaved changes are not thrown away without asking."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel
from ui_helpers import type_into

from scrdesk.domain.ages import Age
from scrdesk.domain.errors import InvalidValue
from scrdesk.ui.base import FRAME_ALLOWANCE
from scrdesk.ui.forms import (
    AgeField,
    ChoiceField,
    DateField,
    NoteField,
    NumberField,
    RecordDialog,
    TextField,
)


@pytest.fixture(autouse=True)
def never_block_on_discard_question(monkeypatch):
    """A dialog left with changes at teardown would otherwise wait for an answer forever."""
    monkeypatch.setattr(RecordDialog, "_discard_confirmed", lambda self: True)


class PersonDialog(RecordDialog):
    """A small dialog like the real ones: one required text, one required date, an age."""

    def __init__(self):
        super().__init__("Test record")
        self.saves: list[dict] = []
        self.name = self.form.add(TextField("Ref", required=True))
        self.when = self.form.add(DateField("Date received", required=True))
        self.age = self.form.add(AgeField("Age"))
        self.finish_setup()

    def cross_check(self) -> dict:
        if self.when.value() and self.when.value() > date(2030, 1, 1):
            return {self.when: "is too far ahead"}
        return {}

    def save(self) -> None:
        if self.name.value() == "taken":
            raise InvalidValue("Ref", "taken", "is already used by another referral")
        self.saves.append({"ref": self.name.value(), "date": self.when.value(), "age": self.age.value()})


def test_date_field_flags_a_typo_where_it_was_typed(qtbot):
    field = DateField("Date received")
    qtbot.addWidget(field)
    field.show()
    type_into(qtbot, field, "31/02/2017")
    assert not field.is_valid()
    assert field.value() is None
    assert field.error_label.isVisible()
    assert "Date received" in field.error_label.text()
    assert "February 2017 has no day 31" in field.error_label.text()
    assert field.editor.accessibleDescription()  # a screen reader hears it too


def test_date_field_reads_day_first_and_shows_how_it_understood(qtbot):
    field = DateField("Decision date")
    qtbot.addWidget(field)
    field.show()
    type_into(qtbot, field, "3/4/17")
    assert field.value() == date(2017, 4, 3)
    assert field.editor.text() == "03/04/2017"
    assert field.hint_label.text() == "3 Apr 2017"
    assert field.iso() == "2017-04-03"
    assert not field.error_label.isVisible()


def test_error_waits_until_editing_finishes_then_clears_as_soon_as_fixed(qtbot):
    field = DateField("Date")
    qtbot.addWidget(field)
    field.show()
    type_into(qtbot, field, "12/1", finish=False)
    assert not field.is_valid()
    assert not field.error_label.isVisible()  # still typing: no scolding yet
    field.editor.editingFinished.emit()
    assert field.error_label.isVisible()
    qtbot.keyClicks(field.editor, "/2017")
    assert field.is_valid()
    assert not field.error_label.isVisible()


def test_age_field_accepts_the_ways_people_write_ages(qtbot):
    field = AgeField()
    qtbot.addWidget(field)
    type_into(qtbot, field, "1 yr 11 mths")
    assert field.value() == Age(years=1, months=11)
    type_into(qtbot, field, "6 weeks")
    assert field.editor.text() == "6 wks"
    assert field.columns() == {"age_years": None, "age_months": None, "age_weeks": 6, "age_various": 0}
    type_into(qtbot, field, "seven")
    assert not field.is_valid()
    assert "6 wks" in field.error_text()


def test_number_field_refuses_what_is_not_a_whole_number(qtbot):
    field = NumberField("Attendance")
    qtbot.addWidget(field)
    type_into(qtbot, field, "1,250")
    assert field.value() == 1250
    type_into(qtbot, field, "about 30")
    assert not field.is_valid()
    type_into(qtbot, field, "-3")
    assert "0 or more" in field.error_text()


def test_choice_field_keeps_a_code_its_list_no_longer_offers(qtbot):
    field = ChoiceField("Decision", {"NFA": "No further action", "SCR": "Serious Case Review"})
    qtbot.addWidget(field)
    field.set_value("SCR")
    assert field.value() == "SCR"
    assert field.current_label() == "Serious Case Review"
    field.set_choices({"NFA": "No further action", "LCSPR": "Local review"})
    assert field.value() == "SCR"  # not silently changed to something else
    field.set_value(None)
    assert field.value() is None


def test_required_choice_is_invalid_while_blank(qtbot):
    field = ChoiceField("Kind", {"a": "A"}, required=True)
    qtbot.addWidget(field)
    assert not field.is_valid()
    field.editor.setCurrentIndex(1)
    assert field.is_valid()


def test_note_field_is_optional_text(qtbot):
    field = NoteField("Rationale")
    qtbot.addWidget(field)
    assert field.value() is None
    field.editor.setPlainText("  Criteria met.\n")
    assert field.value() == "Criteria met."


def test_save_is_disabled_and_says_why_until_every_field_is_valid(qtbot):
    dialog = PersonDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isEnabled()
    assert "Fill in Ref, Date received" in dialog.problem_label.text()
    type_into(qtbot, dialog.name, "Ref053")
    type_into(qtbot, dialog.when, "5 feb 2017x")
    assert not dialog.save_button.isEnabled()
    assert "Check Date received" in dialog.problem_label.text()
    assert not dialog.try_save()
    assert dialog.saves == []
    type_into(qtbot, dialog.when, "5 feb 2017")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saves == [{"ref": "Ref053", "date": date(2017, 2, 5), "age": None}]
    assert dialog.result() == RecordDialog.DialogCode.Accepted


def test_cross_field_mistake_is_shown_at_the_field_it_concerns(qtbot):
    dialog = PersonDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.name, "Ref1")
    type_into(qtbot, dialog.when, "1/1/2031")
    assert not dialog.when.is_valid()
    assert "too far ahead" in dialog.when.error_label.text()
    assert not dialog.save_button.isEnabled()


def test_a_refusal_from_save_lands_on_the_named_field_and_keeps_the_dialog_open(qtbot):
    dialog = PersonDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.name, "taken")
    type_into(qtbot, dialog.when, "1/1/2017")
    assert not dialog.try_save()
    assert dialog.isVisible()
    assert "already used" in dialog.name.error_label.text()
    type_into(qtbot, dialog.name, "Ref2")  # editing clears the refusal
    assert dialog.save_button.isEnabled()


def test_ctrl_s_saves(qtbot):
    dialog = PersonDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.windowHandle().requestActivate()  # shortcuts go to the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    type_into(qtbot, dialog.name, "Ref3")
    type_into(qtbot, dialog.when, "02/01/2017")
    qtbot.keyClick(dialog.when.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [s["ref"] for s in dialog.saves] == ["Ref3"]


@pytest.mark.parametrize("discard", [False, True])
def test_closing_with_unsaved_changes_asks_first(qtbot, monkeypatch, discard):
    asked = []
    monkeypatch.setattr(PersonDialog, "_discard_confirmed", lambda self: asked.append(1) or discard)
    dialog = PersonDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.name, "Ref4")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [1]
    assert dialog.isVisible() is not discard
    assert dialog.saves == []


def test_closing_an_untouched_dialog_does_not_ask(qtbot, monkeypatch):
    monkeypatch.setattr(PersonDialog, "_discard_confirmed", lambda self: pytest.fail("asked needlessly"))
    dialog = PersonDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_read_only_dialog_has_no_save_and_fields_cannot_be_typed_in(qtbot):
    class Viewer(RecordDialog):
        def __init__(self):
            super().__init__("View", read_only=True)
            self.when = self.form.add(DateField("Date"))
            self.when.set_value(date(2017, 3, 31))
            self.finish_setup()

    dialog = Viewer()
    qtbot.addWidget(dialog)
    assert dialog.save_button is None
    assert dialog.when.editor.isReadOnly()
    assert dialog.when.editor.text() == "31/03/2017"


def test_labels_are_buddies_and_fields_are_named_for_screen_readers(qtbot):
    dialog = PersonDialog()
    qtbot.addWidget(dialog)
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    assert dialog.when.editor in buddies and dialog.name.editor in buddies
    assert dialog.when.editor.accessibleName() == "Date received"


# -- record dialogs open big enough, never bigger than the screen -------------------------------

LAPTOP = QRect(0, 0, 1366, 728)  # a 1366×768 screen less its task bar


def _screen(monkeypatch, area: QRect) -> QRect:
    from scrdesk.ui import base

    monkeypatch.setattr(base, "available_geometry", lambda widget=None: QRect(area))
    return area


def _within(dialog, area: QRect) -> bool:
    return (dialog.width() + FRAME_ALLOWANCE.width() <= area.width()
            and dialog.height() + FRAME_ALLOWANCE.height() <= area.height())


class WideDialog(RecordDialog):
    """Two columns of long labels and fields, as New referral and Add an update have."""

    def __init__(self, rows: int = 14):
        super().__init__("Wide record")
        second = self.add_column()
        for number in range(rows):
            for form, label in ((self.form, "A long label that names field"), (second, "Another long label,")):
                field = form.add(TextField(f"{label} {number}"))
                field.editor.setMinimumWidth(260)  # a date or a choice that must show whole
        self.finish_setup()

    def save(self) -> None:
        pass


def test_a_record_dialog_opens_without_a_horizontal_scroll_bar_on_a_laptop(qtbot, monkeypatch):
    area = _screen(monkeypatch, LAPTOP)
    dialog = WideDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _within(dialog, area)
    content = dialog.scroll.widget()
    assert not dialog.scroll.horizontalScrollBar().isVisible()
    assert dialog.scroll.viewport().width() >= content.minimumSizeHint().width()  # nothing cut off
    assert dialog.problem_label.width() > 300  # room for "To save: …" on a line or two


def test_new_referral_opens_without_a_horizontal_scroll_bar_on_a_laptop(qtbot, monkeypatch, store):
    from scrdesk.ui.referrals import ReferralDialog

    area = _screen(monkeypatch, LAPTOP)
    dialog = ReferralDialog(store, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _within(dialog, area)
    assert not dialog.scroll.horizontalScrollBar().isVisible()


def test_a_record_dialog_is_never_bigger_than_the_screen(qtbot, monkeypatch):
    area = _screen(monkeypatch, QRect(0, 0, 520, 400))
    dialog = WideDialog(rows=40)
    qtbot.addWidget(dialog)
    dialog.show()
    assert _within(dialog, area)
    assert dialog.scroll.verticalScrollBar().maximum() > 0  # the rest is reached by scrolling


def test_a_record_dialog_fits_the_real_primary_screen(qtbot):
    area = QApplication.primaryScreen().availableGeometry()
    dialog = WideDialog(rows=40)
    qtbot.addWidget(dialog)
    dialog.show()
    assert _within(dialog, area)
