"""The Sub group tab, driven as a project officer would: the demo's governance shown, a health check
answered with its refusal beside the comment, an action arising joining the plan, attendance taken,
an escalation raised about an overdue action and a commission's fee refused beside the field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from scrdesk.store import governance, reviewers
from scrdesk.ui.governance import SubGroupTab, dialogs
from tests.ui_helpers import choose, type_into


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def tab(qtbot, demo):
    widget = SubGroupTab(demo)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    return widget


def _texts(panel, column: int) -> list[str]:
    model = panel.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_demo_year_shows_chairs_terms_of_reference_checks_and_attendance(tab):
    assert _texts(tab.chairs, 0)[:2] == ["Assistant Director, Early Help, Safeguarding and Children's Services",
                                         "Strategic Manager, Safeguarding and Quality Assurance"]
    assert _texts(tab.chairs, 3)[1] == "Interim"
    assert "Version 3 is due for review on 16 Mar 2018." in tab.tor_due.text()
    assert _texts(tab.checks, 0) == ["15 Sep 2016", "16 Mar 2017"]
    assert tab.next_check.text() == "Next health check due 16 Sep 2017."
    quorate = dict(zip(_texts(tab.meetings, 0), _texts(tab.meetings, 6), strict=True))
    assert quorate["16 Mar 2017"] == "Yes" and quorate["10 Jan 2017"] == "Not taken"  # a QA meeting
    assert "2017-18: spent £2,700.00 of a budget of £30,000.00" in tab.spend.text()


def test_a_health_check_is_answered_and_a_red_needs_its_reason(tab, demo, qtbot):
    check = governance.create_health_check(demo, {"date": "2017-06-30"})
    tab.refresh()
    dialog = dialogs.HealthCheckDialog(demo, check)
    qtbot.addWidget(dialog)
    rag, comment = dialog.rows["TIM2"]
    choose(rag, "Red")
    dialog.try_save()
    assert comment.error_text() == "is required for a Red or Amber rating: say why"
    assert not dialog.save_button.isEnabled()
    comment.editor.setPlainText("Ref052 and Ref057 behind target")
    assert dialog.try_save()
    (answer,) = [a for a in governance.health_check_answers(demo, check) if a["code"] == "TIM2"]
    assert (answer["rag"], answer["comment"]) == ("red", "Ref052 and Ref057 behind target")

    arising = dialogs.HealthCheckActionDialog(demo, check)
    qtbot.addWidget(arising)
    arising.text.editor.setPlainText("Ask the authors of Ref052 and Ref057 for revised timetables")
    choose(arising.agency, "NSCB Business Office")
    type_into(qtbot, arising.target, "31/7/2017")
    assert arising.try_save()
    (action,) = governance.health_check_actions(demo, check)
    assert (action["source_kind"], action["review_id"], action["target_date"]) == ("health_check", None, "2017-07-31")


def test_attendance_is_taken_by_agency_and_the_quorum_follows(tab, demo, qtbot):
    meeting = demo.insert("meetings", {"date": "2017-07-27", "kind": "scr_subgroup"})
    dialog = dialogs.AttendanceDialog(demo, meeting)
    qtbot.addWidget(dialog)
    for field in dialog.fields:
        if field.label in ("Northamptonshire Police", "Nene Clinical Commissioning Group", "NSCB Business Office"):
            choose(field, "Present")
    assert dialog.try_save()
    assert governance.is_quorate(demo, meeting)  # three agencies: the default quorum
    assert {r["status_label"] for r in governance.attendance(demo, meeting)} == {"Present"}


def test_an_escalation_about_an_overdue_action_needs_its_outcome_to_close(tab, demo, qtbot):
    dialog = dialogs.EscalationDialog(demo, None)
    qtbot.addWidget(dialog)
    assert dialog.by_column["raised_by"].value() == demo.user  # the signed-in account, as updates do
    type_into(qtbot, dialog.by_column["raised_by"], "Project officer")
    choose(dialog.by_column["to_whom"], "Business manager")
    type_into(qtbot, dialog.by_column["subject"], "Overdue police action")
    overdue = [text for text in (dialog.concerns.editor.itemText(i) for i in range(dialog.concerns.editor.count()))
               if text.startswith("Overdue action")]
    assert overdue, "the overdue actions are offered"
    choose(dialog.concerns, overdue[0])
    type_into(qtbot, dialog.by_column["closed_date"], "30/6/2017")
    dialog.try_save()
    assert dialog.by_column["outcome"].error_text() == "is required when the escalation is closed"
    dialog.by_column["outcome"].editor.setPlainText("Lead officer gave a new date")
    assert dialog.try_save()
    saved = governance.get_record(demo, "escalations", dialog.row_id)
    assert saved["action_id"] and saved["outcome"] == "Lead officer gave a new date"


def test_a_fee_that_is_not_days_times_rate_is_refused_beside_the_fee(tab, demo, qtbot):
    dialog = dialogs.CommissionDialog(demo, None)
    qtbot.addWidget(dialog)
    choose(dialog.by_column["review_id"], "Ref056 – Non-accidental injury")
    choose(dialog.by_column["reviewer_id"], "J. Madeup (independent reviewer)")
    type_into(qtbot, dialog.by_column["agreed_days"], "10")
    type_into(qtbot, dialog.by_column["day_rate"], "£400")
    type_into(qtbot, dialog.by_column["fee"], "£4,500")
    dialog.try_save()
    assert dialog.by_column["fee"].error_text() == "is not the agreed days times the day rate (£4,000.00)"
    type_into(qtbot, dialog.by_column["fee"], "")
    assert dialog.try_save()
    (row,) = [c for c in reviewers.commissions(demo) if c["review_refs"] == "Ref056"]
    assert row["fee_due"] == 4000.0


def test_the_tab_can_be_read_only(tab):
    tab.set_read_only(True)
    assert not tab.members.new_button.isEnabled()
    assert not tab.checks.new_button.isEnabled()


def test_escalate_from_an_action_logs_it_and_marks_the_action_in_one_step(demo, qtbot):
    from scrdesk.store import actions
    from scrdesk.ui.actions import ActionDetail

    action = demo.scalar("SELECT id FROM actions WHERE escalated_date IS NULL AND status = 'slipping' ORDER BY id")
    detail = ActionDetail(demo)
    qtbot.addWidget(detail)
    detail.show_action(actions.actions_by_id(demo, demo.settings().today(), [action])[0])
    assert detail.escalate_button.isEnabled()
    dialog = dialogs.ActionEscalationDialog(demo, action)
    qtbot.addWidget(dialog)
    assert dialog.concerns.value() == f"action:{action}"
    assert dialog.by_column["subject"].value().startswith("Overdue action: ")
    type_into(qtbot, dialog.by_column["raised_by"], "Project officer")
    choose(dialog.by_column["to_whom"], "Sub group chair")
    assert dialog.try_save()
    saved = actions.get_action(demo, action)
    assert (saved["escalated_date"], saved["escalated_to"]) == ("2017-06-30", "Sub group chair")
    assert governance.get_record(demo, "escalations", dialog.row_id)["action_id"] == action
    detail.set_read_only(True)
    assert not detail.escalate_button.isEnabled()


def test_escalate_from_a_review_names_it_by_its_refs(demo, qtbot):
    review = demo.scalar("SELECT rv.id FROM reviews rv JOIN review_referrals rr ON rr.review_id = rv.id "
                         "JOIN referrals r ON r.id = rr.referral_id WHERE r.ref = 'Ref054'")
    dialog = dialogs.ReviewEscalationDialog(demo, review)
    qtbot.addWidget(dialog)
    assert dialog.concerns.current_label() == "Review Ref054"
    type_into(qtbot, dialog.by_column["raised_by"], "SCR Sub Group chair")
    choose(dialog.by_column["to_whom"], "Board chair")
    assert dialog.try_save()
    (row,) = [e for e in governance.escalations(demo) if e["id"] == dialog.row_id]
    assert (row["concerns"], row["to_whom_label"]) == ("Review Ref054", "Board chair")
    assert row["subject"].startswith("Review behind target: Ref054")
