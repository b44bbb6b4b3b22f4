"""The Referrals tab driven as a project officer would: the register, a referral typed with a
slip, a decision recorded, restricted identifiers kept masked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_helpers import choose, type_into, with_modal

from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo
from scrdesk.ui import referrals as referrals_module
from scrdesk.ui.forms import RecordDialog
from scrdesk.ui.referrals import MASK, ReferralDialog, ReferralsTab


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    """Questions a person would answer: "yes, delete"; "yes, discard" (never block a test)."""
    asked = []
    monkeypatch.setattr(referrals_module, "confirm", lambda *a, **k: asked.append(a[2]) or True)
    monkeypatch.setattr(RecordDialog, "_discard_confirmed", lambda self: True)
    return asked


@pytest.fixture
def demo(tmp_path):
    opened = Store.open(write_demo(tmp_path / "demo.db"), user="tester")
    yield opened
    opened.close()


def shown(tab: ReferralsTab, column: str) -> list[str]:
    number = tab.model.column_index(column)
    return [tab.model.index(row, number).data() for row in range(tab.model.rowCount())]


def test_register_shows_labels_formatted_ages_and_dates(qtbot, demo):
    tab = ReferralsTab(demo)
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == 15
    assert tab.count_label.text() == "15 referrals"
    refs = shown(tab, "ref")
    assert refs[0] == "Ref057"  # newest received first
    row = refs.index("Ref044")
    assert shown(tab, "age_days")[row] == "1 yr 11 mths"
    assert shown(tab, "decision")[row] == "Case Mapping Exercise"
    assert shown(tab, "received_date")[row] == "27 Aug 2015"
    assert shown(tab, "gender")[refs.index("Ref052")] == "Male and female"
    assert shown(tab, "age_days")[refs.index("Ref052")] == "Various"


def test_filter_matches_labels_as_well_as_codes(qtbot, demo):
    tab = ReferralsTab(demo)
    qtbot.addWidget(tab)
    tab.filter_box.setText("case mapping")
    tab.filter_box.settle_now()
    assert set(shown(tab, "decision")) == {"Case Mapping Exercise"}
    assert tab.count_label.text() == "7 of 15 shown"
    tab.filter_box.setText("kettering")
    qtbot.waitUntil(lambda: set(shown(tab, "ref")) == {"Ref021", "Ref050"})


def test_sorting_is_done_by_the_query(qtbot, demo):
    tab = ReferralsTab(demo)
    qtbot.addWidget(tab)
    tab.view.sortByColumn(tab.model.column_index("age_days"), Qt.SortOrder.AscendingOrder)
    ages = shown(tab, "age_days")
    assert ages[0] == "6 wks"
    assert ages[-1] == "Various"  # several children sort after any one age


def test_a_typo_in_a_date_is_flagged_at_the_field_and_nothing_is_saved(qtbot, store):
    tab = ReferralsTab(store)
    qtbot.addWidget(tab)

    def fill(dialog: ReferralDialog) -> None:
        assert dialog.ref.editor.text() == "Ref001"  # the next ref is suggested
        type_into(qtbot, dialog.received, "31/11/2016")
        type_into(qtbot, dialog.summary, "Neglect")
        type_into(qtbot, dialog.age, "14 mnths")
        assert dialog.received.error_label.isVisible()
        assert "November 2016 has no day 31" in dialog.received.error_label.text()
        assert not dialog.save_button.isEnabled()
        qtbot.keyClick(dialog.received.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert dialog.isVisible()
        assert store.scalar("SELECT count(*) FROM referrals") == 0
        type_into(qtbot, dialog.received, "30/11/2016")
        assert not dialog.received.error_label.isVisible()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    with_modal(qtbot, tab.new_button.click, fill)
    saved = store.row("SELECT * FROM referrals")
    assert saved["ref"] == "Ref001"
    assert saved["received_date"] == "2016-11-30"
    assert (saved["age_months"], saved["age_years"]) == (14, None)
    assert saved["framework"] is None  # no decision yet, so no framework stamp
    assert shown(tab, "ref") == ["Ref001"]
    assert tab.current_id() == saved["id"]


def test_a_wrong_age_is_flagged_where_it_was_typed(qtbot, store):
    dialog = ReferralDialog(store, None)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.received, "1/12/2016")
    type_into(qtbot, dialog.age, "3 decades")
    assert "Age" in dialog.age.error_label.text() and dialog.age.error_label.isVisible()
    assert not dialog.try_save()
    assert store.scalar("SELECT count(*) FROM referrals") == 0


def test_recording_a_decision_fixes_the_framework_in_force_on_its_date(qtbot, demo):
    referral_id = demo.insert("referrals", {"ref": "Ref058", "received_date": "2017-05-02"})
    dialog = ReferralDialog(demo, referral_id)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.decision_date, "25/05/2017")
    assert "Working Together 2015" in dialog.framework_label.text()
    choose(dialog.decision, "Case Mapping Exercise")
    type_into(qtbot, dialog.decision_maker, "Independent Chair")
    dialog.rationale.editor.setPlainText("Learning about multi-agency working; criteria for an SCR not met.")
    assert dialog.try_save()
    saved = demo.get("referrals", referral_id)
    assert (saved["decision"], saved["decision_date"], saved["framework"]) == ("CASE_MAPPING", "2017-05-25", "wt2015")
    assert saved["decision_maker"] == "Independent Chair"


def test_a_decision_without_its_date_is_refused_at_the_date(qtbot, demo):
    referral_id = demo.insert("referrals", {"ref": "Ref058", "received_date": "2017-05-02"})
    dialog = ReferralDialog(demo, referral_id)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(dialog.decision, "No further action required")
    assert not dialog.save_button.isEnabled()
    assert "required when a decision is recorded" in dialog.decision_date.error_label.text()
    assert demo.get("referrals", referral_id)["decision"] is None


def test_the_framework_stamp_is_kept_when_the_decision_date_changes(qtbot, demo):
    ref053 = demo.scalar("SELECT id FROM referrals WHERE ref = 'Ref053'")
    dialog = ReferralDialog(demo, ref053)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.decision_date, "01/09/2019")  # after WT2018 came in
    assert dialog.decision.value() == "SCR"  # the 2015 decision is still offered and kept
    assert "fixed when the decision was recorded" in dialog.framework_label.text()
    # The panel is told of a decision after it is made: the old date now comes too early.
    assert dialog.panel_informed.error_text() == "is before the decision date (1 Sep 2019)"
    type_into(qtbot, dialog.panel_informed, "02/09/2019")
    assert dialog.try_save()
    assert demo.get("referrals", ref053)["framework"] == "wt2015"


def test_a_ref_already_used_is_refused(qtbot, demo):
    dialog = ReferralDialog(demo, None)
    qtbot.addWidget(dialog)
    assert dialog.ref.editor.text() == "Ref058"
    type_into(qtbot, dialog.ref, "ref 53")
    assert "Ref053 is already used" in dialog.ref.error_text()
    assert not dialog.ref.is_valid()


def test_restricted_identifiers_are_masked_until_shown(qtbot, demo):
    ref021 = demo.scalar("SELECT id FROM referrals WHERE ref = 'Ref021'")
    dialog = ReferralDialog(demo, ref021)
    qtbot.addWidget(dialog)
    dialog.show()
    items = [dialog.identifier_list.item(i).text() for i in range(dialog.identifier_list.count())]
    assert items and all(MASK in text for text in items)
    assert not any("Test-Child" in text for text in items)
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    items = [dialog.identifier_list.item(i).text() for i in range(dialog.identifier_list.count())]
    assert "Name: Test-Child Alpha" in items
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    assert MASK in dialog.identifier_list.item(0).text()


def test_adding_and_removing_identifiers_is_saved_with_the_referral(qtbot, demo):
    ref057 = demo.scalar("SELECT id FROM referrals WHERE ref = 'Ref057'")
    before = demo.scalar("SELECT count(*) FROM restricted_identifiers WHERE referral_id = ?", [ref057])
    dialog = ReferralDialog(demo, ref057)
    qtbot.addWidget(dialog)
    dialog.show()

    def add(identifier_dialog) -> None:
        choose(identifier_dialog.kind, "LA case number")
        type_into(qtbot, identifier_dialog.value, "DEMO-0057")
        qtbot.mouseClick(identifier_dialog.save_button, Qt.MouseButton.LeftButton)

    with_modal(qtbot, dialog.add_identifier_button.click, add)
    assert dialog.identifier_list.count() == before + 1
    assert demo.scalar("SELECT count(*) FROM restricted_identifiers WHERE referral_id = ?", [ref057]) == before
    dialog.identifier_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.remove_identifier_button, Qt.MouseButton.LeftButton)
    assert dialog.try_save()
    values = [r["value"] for r in demo.rows(
        "SELECT value FROM restricted_identifiers WHERE referral_id = ?", [ref057])]
    assert "DEMO-0057" in values and len(values) == before


def test_delete_asks_first_and_says_what_goes(qtbot, demo, answers):
    tab = ReferralsTab(demo)
    qtbot.addWidget(tab)
    tab.select_id(demo.scalar("SELECT id FROM referrals WHERE ref = 'Ref050'"))
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert "Ref050" in answers[0] and "linked to 1 review" in answers[0]
    assert demo.scalar("SELECT count(*) FROM referrals WHERE ref = 'Ref050'") == 0
    assert "Ref050" not in shown(tab, "ref")


def test_read_only_disables_every_edit(qtbot, demo):
    tab = ReferralsTab(demo)
    qtbot.addWidget(tab)
    tab.set_read_only(True)
    tab.select_id(demo.scalar("SELECT id FROM referrals WHERE ref = 'Ref050'"))
    assert not tab.new_button.isEnabled()
    assert not tab.delete_button.isEnabled()
    assert tab.edit_button.isEnabled()  # looking is still allowed
    dialog = ReferralDialog(demo, tab.current_id(), read_only=True)
    qtbot.addWidget(dialog)
    assert dialog.save_button is None
    assert not dialog.add_identifier_button.isEnabled()
    assert dialog.received.editor.isReadOnly()


# -- today's process: notification, withdrawal, rapid review, national data ---------------------

@pytest.fixture
def current(store, board_settings):
    """An empty file measured on Fri 19 Dec 2025, under the 2018/2023 arrangements."""
    board_settings(store, as_at_date="2025-12-19")
    return store


def test_a_notified_case_shows_its_rapid_review_clock_without_any_button(qtbot, current):
    dialog = ReferralDialog(current, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Starts when the case is notified" in dialog.rapid_review_clock.text()
    type_into(qtbot, dialog.received, "16/12/2025")
    type_into(qtbot, dialog.aware, "16/12/2025")
    type_into(qtbot, dialog.sin_submitted, "18/12/2025")
    # 15 working days from Thu 18 Dec 2025 over Christmas and New Year.
    assert "due 13 Jan 2026" in dialog.rapid_review_clock.text()
    assert "Notified 18 Dec 2025, on time" in dialog.notification_clock.text()
    assert dialog.try_save()
    saved = current.get("referrals", dialog.record_id)
    assert saved["sin_submitted_date"] == "2025-12-18"
    assert current.scalar("SELECT count(*) FROM reviews") == 0  # no workspace was needed for the clock
    type_into(qtbot, dialog.rr_submitted, "12/01/2026")
    assert dialog.rapid_review_clock.text() == "Submitted 12 Jan 2026, on time (due 13 Jan 2026)"


def test_a_withdrawal_needs_its_reason_and_then_owes_no_rapid_review(qtbot, current):
    referral_id = current.insert("referrals", {"ref": "Ref001", "received_date": "2025-12-16",
                                               "sin_submitted_date": "2025-12-18"})
    dialog = ReferralDialog(current, referral_id)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.withdrawn, "19/12/2025")
    assert not dialog.save_button.isEnabled()
    assert "say why the case did not meet the notification criteria" in dialog.withdrawn_reason.error_text()
    dialog.withdrawn_reason.editor.setPlainText("Further information: the injury was accidental")
    assert dialog.save_button.isEnabled()
    assert dialog.rapid_review_clock.text() == "None owed: the notification was withdrawn on 19 Dec 2025"
    assert dialog.try_save()
    saved = current.get("referrals", referral_id)
    assert (saved["notification_withdrawn_date"], saved["notification_withdrawn_reason"]) == \
        ("2025-12-19", "Further information: the injury was accidental")


def test_a_decision_not_to_notify_needs_its_reason_and_no_notification_date(qtbot, current):
    referral_id = current.insert("referrals", {"ref": "Ref001", "received_date": "2025-12-16"})
    dialog = ReferralDialog(current, referral_id)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(dialog.notify_decision, "No")
    assert "required when the decision whether to notify is recorded" in dialog.notify_considered.error_text()
    assert "required when the partners decided not to notify" in dialog.notify_reason.error_text()
    type_into(qtbot, dialog.notify_considered, "17/12/2025")
    dialog.notify_reason.editor.setPlainText("No abuse or neglect suspected")
    type_into(qtbot, dialog.sin_submitted, "18/12/2025")
    assert "says not to notify, but a notification date is recorded" in dialog.notify_decision.error_text()
    assert not dialog.try_save()
    type_into(qtbot, dialog.sin_submitted, "")
    assert dialog.try_save()
    saved = current.get("referrals", referral_id)
    assert (saved["notify_considered_date"], saved["notify_decision"], saved["notify_reason"]) == \
        ("2025-12-17", 0, "No abuse or neglect suspected")


def test_the_national_data_and_rapid_review_outcome_are_saved_as_codes(qtbot, current):
    referral_id = current.insert("referrals", {"ref": "Ref001", "received_date": "2025-12-16",
                                               "sin_submitted_date": "2025-12-18"})
    dialog = ReferralDialog(current, referral_id)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(dialog.age_band, "1 to 5")
    choose(dialog.sex, "Female")
    type_into(qtbot, dialog.ethnicity, "White British")
    choose(dialog.social_care, "Child protection plan")
    choose(dialog.harm_type, "Neglect")
    choose(dialog.harm_outcome, "Serious harm")
    choose(dialog.harm_setting, "Family home")
    type_into(qtbot, dialog.rr_meeting, "07/01/2026")
    choose(dialog.rr_outcome, "Local child safeguarding practice review")
    assert dialog.try_save()
    saved = current.get("referrals", referral_id)
    assert [saved[c] for c in ("child_age_band", "child_sex", "child_ethnicity", "social_care_status", "harm_type",
                               "harm_outcome", "harm_setting", "rr_meeting_date", "rr_outcome")] == \
        ["1_5", "female", "White British", "cp_plan", "neglect", "serious_harm", "family_home", "2026-01-07", "LCSPR"]
    reopened = ReferralDialog(current, referral_id)
    qtbot.addWidget(reopened)
    assert reopened.harm_type.current_label() == "Neglect" and reopened.rr_outcome.value() == "LCSPR"


def test_starting_the_workspace_later_keeps_the_date_notified(qtbot, current):
    from scrdesk.ui.rapid_review import StartRapidReviewDialog

    referral_id = current.insert("referrals", {"ref": "Ref001", "received_date": "2025-12-16",
                                               "sin_submitted_date": "2025-12-18"})
    dialog = StartRapidReviewDialog(current, referral_id)
    qtbot.addWidget(dialog)
    assert dialog.notified.iso() == "2025-12-18"
    assert dialog.notified.editor.isReadOnly()
    assert dialog.try_save()
    assert current.get("referrals", referral_id)["sin_submitted_date"] == "2025-12-18"


def test_wales_asks_whether_the_child_was_on_the_register_or_looked_after(qtbot, store, board_settings):
    board_settings(store, jurisdiction="wales", as_at_date="2025-12-19")
    referral_id = store.insert("referrals", {"ref": "Ref001", "received_date": "2025-12-16"})
    dialog = ReferralDialog(store, referral_id)
    qtbot.addWidget(dialog)
    dialog.show()
    form = next(f for f in dialog.forms if dialog.cp_six_months in f.fields)
    assert form.layout_.isRowVisible(dialog.cp_six_months)
    choose(dialog.cp_six_months, "Yes")
    assert dialog.try_save()
    assert store.get("referrals", referral_id)["cp_or_looked_after_6_months"] == 1


def test_england_does_not_ask_the_welsh_question(qtbot, current):
    dialog = ReferralDialog(current, None)
    qtbot.addWidget(dialog)
    form = next(f for f in dialog.forms if dialog.cp_six_months in f.fields)
    assert not form.layout_.isRowVisible(dialog.cp_six_months)


def test_a_2015_referral_says_no_rapid_review_is_owed_before_it_is_notified(qtbot, demo):
    """The 2016-17 demo works under Working Together 2015, which had no rapid reviews: the clock's
    line says so from the start, not "starts when the case is notified"."""
    dialog = ReferralDialog(demo, None)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.received, "01/05/2017")
    assert dialog.rapid_review_clock.text() == (
        "None under Working Together 2015: rapid reviews began with Working Together 2018")
    type_into(qtbot, dialog.sin_submitted, "03/05/2017")
    assert "None under Working Together 2015" in dialog.rapid_review_clock.text()
