"""The briefings tab, driven as a project officer would: write sections, issue, re-edit (a new
version), send to agencies and record their feedback with evidence."""

from __future__ import annotations

import sys
import types
from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from ui_helpers import type_into

from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.templates import REFLECTION_KEY, load_template
from scrdesk.store.briefings import save_briefing
from scrdesk.ui import briefings as briefings_module
from scrdesk.ui.briefings import (
    BriefingsTab,
    DisseminationDialog,
    NewBriefingDialog,
    create_briefing,
    send_to_all_active,
)
from scrdesk.ui.briefings import editor as briefings_editor
from scrdesk.ui.briefings import tab as briefings_tab


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def data(store):
    store.set_settings({"as_at_date": "2017-06-15", "feedback_period_days": 28})
    agencies = [store.insert("agencies", {"name": name}) for name in ("Children's Services", "Police", "ICB")]
    store.insert("agencies", {"name": "Old Trust", "active": 0})
    review = store.insert("reviews", {"title": "Ref044 Child D", "review_type": "SCR"})
    other = store.insert("reviews", {"title": "Ref050 Child F", "review_type": "CASE_MAPPING"})
    briefing = create_briefing(store, review, "six_step", "Learning from Child D")
    return {"agencies": agencies, "review": review, "other": other, "briefing": briefing}


@pytest.fixture
def tab(qtbot, store, data):
    widget = BriefingsTab(store)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    assert widget.show_record("briefing", data["briefing"])
    return widget


def body(tab, key):
    return tab.editor.section_box(key).body


def test_editor_shows_the_templates_sections_and_guidance(tab):
    template = load_template("six_step")
    boxes = tab.editor.boxes
    assert [b.section.key for b in boxes] == [s.key for s in template.sections]
    assert boxes[0].guidance.text() == template.sections[0].guidance
    assert boxes[0].guidance.isVisibleTo(tab)
    assert tab.editor.version_label.text() == "Version 1"
    assert tab.model.index(0, 1).data() == "6-step, draft v1"


def test_edit_a_section_and_see_it_saved(tab, store, data, qtbot):
    editor = body(tab, "background")
    editor.setFocus()
    qtbot.keyClicks(editor, "A boy aged 1 yr 11 mths lived with his mother.")
    assert tab.editor.dirty and tab.editor.save_button.isEnabled()
    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    saved = store.row("SELECT * FROM briefing_sections WHERE briefing_id = ? AND key = 'background'",
                      [data["briefing"]])
    assert saved["body"] == "A boy aged 1 yr 11 mths lived with his mother."
    assert not tab.editor.dirty and not tab.editor.save_button.isEnabled()
    assert store.get("briefings", data["briefing"])["version"] == 1  # a draft keeps its version
    # Reopened, the text is there.
    tab.editor.load(data["briefing"])
    assert body(tab, "background").toPlainText() == "A boy aged 1 yr 11 mths lived with his mother."


def test_themes_title_and_issue_then_an_edit_bumps_the_version(tab, store, data, qtbot):
    tab.editor.themes.setPlainText("Neglect\nHidden adults")
    status = tab.editor.status.editor
    status.setCurrentIndex(status.findData("issued"))
    assert tab.editor.issued.iso() == "2017-06-15"  # filled with today, can be changed
    assert tab.editor.approved.iso() == "2017-06-15"
    assert tab.editor.save()
    briefing = store.get("briefings", data["briefing"])
    assert (briefing["status"], briefing["issued_date"], briefing["version"]) == ("issued", "2017-06-15", 1)
    assert briefing["learning_themes"] == "Neglect\nHidden adults"
    messages = []
    tab.status_message.connect(messages.append)
    qtbot.keyClicks(body(tab, "findings"), "Ask whether the explanation fits.")
    assert tab.editor.save()
    assert store.get("briefings", data["briefing"])["version"] == 2
    assert tab.editor.version_label.text() == "Version 2"
    assert "version 2" in messages[-1]
    # Saving nothing new does not bump it again.
    assert tab.editor.save()
    assert store.get("briefings", data["briefing"])["version"] == 2


def test_an_issued_briefing_needs_its_issue_date(tab, store, data):
    status = tab.editor.status.editor
    status.setCurrentIndex(status.findData("issued"))
    tab.editor.issued.editor.clear()
    assert not tab.editor.save()
    assert tab.editor.issued.error_text() == "is required for an issued briefing"
    assert store.get("briefings", data["briefing"])["status"] == "draft"
    assert tab.editor.dirty  # what was typed is still there


def test_the_editor_and_the_store_refuse_issuing_before_approval_in_the_same_words(tab, store, data, qtbot):
    status = tab.editor.status.editor
    status.setCurrentIndex(status.findData("issued"))
    for field, text in ((tab.editor.approved, "10/05/2017"), (tab.editor.issued, "02/05/2017")):
        field.editor.clear()
        type_into(qtbot, field, text)
    # Shown as typed, before Save is tried.
    assert tab.editor.issued.error_text() == "is before it was approved (10 May 2017)"
    assert not tab.editor.save()
    with pytest.raises(RuleBroken) as refused:
        save_briefing(store, data["briefing"], title=None, learning_themes=None, status="issued",
                      approved_date="2017-05-10", issued_date="2017-05-02", sections=[])
    assert refused.value.problems["issued_date"] == tab.editor.issued.error_text()
    assert store.get("briefings", data["briefing"])["status"] == "draft"


def test_switching_briefing_asks_about_unsaved_changes(tab, store, data, qtbot, monkeypatch):
    second = create_briefing(store, data["other"], "seven_minute", None)
    tab.refresh()
    qtbot.keyClicks(body(tab, "incident"), "Admitted to hospital.")
    monkeypatch.setattr(briefings_tab, "ask_save_changes", lambda parent: "cancel")
    assert not tab.open_briefing(second)
    assert body(tab, "incident").toPlainText() == "Admitted to hospital."
    # A refresh caused by another tab must not throw the typing away either.
    tab.refresh()
    assert body(tab, "incident").toPlainText() == "Admitted to hospital."
    monkeypatch.setattr(briefings_tab, "ask_save_changes", lambda parent: "save")
    assert tab.open_briefing(second)
    assert store.row("SELECT body FROM briefing_sections WHERE briefing_id = ? AND key = 'incident'",
                     [data["briefing"]])["body"] == "Admitted to hospital."
    # The 7-minute briefing offers its reflection questions, pre-filled from the template.
    questions = tab.editor.section_box(REFLECTION_KEY).body.toPlainText().splitlines()
    assert questions == list(load_template("seven_minute").reflection_questions)


def test_new_briefing_from_a_template(tab, store, data, monkeypatch):
    def driver(dialog: NewBriefingDialog):
        dialog.review.editor.setCurrentIndex(dialog.review.editor.findData(str(data["other"])))
        dialog.template.editor.setCurrentIndex(dialog.template.editor.findData("seven_minute"))
        assert dialog.try_save()

    monkeypatch.setattr(NewBriefingDialog, "exec", driver)
    tab.new_record()
    new = store.row("SELECT * FROM briefings WHERE review_id = ?", [data["other"]])
    assert new["template"] == "seven_minute" and new["status"] == "draft"
    keys = [r["key"] for r in store.rows("SELECT key FROM briefing_sections WHERE briefing_id = ? "
                                         "ORDER BY position", [new["id"]])]
    assert keys[:2] == ["background", "why_it_matters"] and keys[-1] == REFLECTION_KEY
    assert tab.editor.briefing["id"] == new["id"]


def test_send_to_all_active_agencies_fills_the_dissemination_table(tab, store, data, monkeypatch, qtbot):
    monkeypatch.setattr(briefings_editor, "confirm", lambda *a: True)
    tab.editor.pages.setCurrentIndex(2)
    qtbot.mouseClick(tab.editor.send_all_button, Qt.MouseButton.LeftButton)
    rows = store.rows("SELECT * FROM disseminations WHERE briefing_id = ? ORDER BY agency_id", [data["briefing"]])
    assert [r["agency_id"] for r in rows] == data["agencies"]  # the inactive agency is left out
    assert {(r["sent_date"], r["feedback_due_date"]) for r in rows} == {("2017-06-15", "2017-07-13")}
    assert tab.editor.disseminations.rowCount() == 3
    assert tab.editor.disseminations.index(0, 8).data() == "Awaiting"
    assert "Sent to 3 agencies; feedback from 0" in tab.editor.dissemination_summary.text()
    assert tab.model.index(0, 2).data() == "0 of 3"
    # A second click has no one left to send to.
    assert briefings_module.agencies_to_send(store, data["briefing"]) == 0


def test_record_dissemination_feedback_with_evidence(tab, store, data, monkeypatch, qtbot, tmp_path):
    send_to_all_active(store, data["briefing"], date(2017, 5, 1))
    tab.refresh()
    evidence = tmp_path / "team meeting minutes.pdf"
    evidence.write_bytes(b"%PDF minutes")

    def driver(dialog: DisseminationDialog):
        qtbot.keyClicks(dialog.received.editor, "20/04/2017")
        dialog.received.editor.editingFinished.emit()
        assert not dialog.try_save()  # before it was sent: flagged at the field
        assert dialog.received.error_text() == "is before the briefing was sent"
        dialog.received.editor.clear()
        qtbot.keyClicks(dialog.received.editor, "25/05/2017")
        qtbot.keyClicks(dialog.teams.editor, "Health visiting north and south")
        qtbot.keyClicks(dialog.staff.editor, "85")
        dialog.evidence.add_files([str(evidence)])
        assert dialog.try_save()

    monkeypatch.setattr(DisseminationDialog, "exec", driver)
    tab.editor.pages.setCurrentIndex(2)
    tab.editor.dissemination_view.selectRow(1)
    police = tab.editor.selected_dissemination()
    qtbot.mouseClick(tab.editor.feedback_button, Qt.MouseButton.LeftButton)
    row = store.get("disseminations", police["id"])
    assert row["feedback_received_date"] == "2017-05-25"
    assert row["teams_briefed"] == "Health visiting north and south" and row["staff_reached"] == 85
    files = store.rows("SELECT * FROM attachments WHERE owner_kind = 'dissemination' AND owner_id = ?",
                       [police["id"]])
    assert [f["file_name"] for f in files] == ["team meeting minutes.pdf"]
    shown = tab.editor.selected_dissemination()
    assert shown["id"] == police["id"] and shown["evidence"] == 1
    assert tab.editor.disseminations.index(1, 8).data() == "Received"
    assert "Complete" in tab.editor.disseminations.index(1, 8).data(Qt.ItemDataRole.ToolTipRole)
    assert tab.editor.disseminations.index(0, 8).data() == "Overdue"  # due 29 May, today 15 Jun


def test_preview_print_email_goes_to_the_documents_module(tab, data, monkeypatch, qtbot):
    calls = []
    fake = types.ModuleType("scrdesk.ui.documents")
    fake.show_document = lambda parent, store, kind, **kw: calls.append((kind, kw))
    monkeypatch.setitem(sys.modules, "scrdesk.ui.documents", fake)
    qtbot.mouseClick(tab.editor.preview_button, Qt.MouseButton.LeftButton)
    assert calls == [("briefing", {"ref": data["briefing"]})]


def test_delete_briefing_asks_first(tab, store, data, monkeypatch):
    monkeypatch.setattr(briefings_tab, "confirm", lambda *a: False)
    tab.delete_selected()
    assert store.get("briefings", data["briefing"]) is not None
    monkeypatch.setattr(briefings_tab, "confirm", lambda *a: True)
    tab.delete_selected()
    assert store.get("briefings", data["briefing"]) is None
    assert store.scalar("SELECT count(*) FROM briefing_sections") == 0
    assert tab.editor.briefing is None and tab.model.rowCount() == 0


def test_read_only_disables_every_edit_control(tab):
    tab.set_read_only(True)
    editor = tab.editor
    for button in (tab.new_button, tab.delete_button, editor.send_all_button, editor.add_agency_button,
                   editor.remove_agency_button, editor.save_button):
        assert not button.isEnabled(), button.text()
    assert editor.boxes[0].body.isReadOnly() and editor.themes.isReadOnly()
    assert not editor.status.editor.isEnabled()
    assert editor.preview_button.isEnabled()


def test_every_control_is_named(tab):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )
    unnamed = [w for kind in (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView, QPlainTextEdit, QTextEdit)
               for w in tab.findChildren(kind) if not w.accessibleName() and w.isVisibleTo(tab)
               and not w.parent().inherits("QAbstractItemView") and not w.inherits("QHeaderView")
               and not w.parent().inherits("QTabBar")]
    assert unnamed == []
