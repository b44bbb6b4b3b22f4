"""The events and meetings tab, driven as a project officer would."""

from __future__ import annotations

import sys
import types
from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt

from scrdesk.ui import attachments as attachments_module
from scrdesk.ui import events as events_module
from scrdesk.ui.events import EventDialog, EventsTab, MeetingDialog


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def data(store):
    review = store.insert("reviews", {"title": "Ref044 Child D", "review_type": "SCR"})
    debrief = store.insert("learning_events", {"kind": "practitioner_debrief", "title": "Child D de-brief",
                                               "date": "2017-02-14", "review_id": review, "attendance": 34,
                                               "feedback": "Really useful\nMore on escalation please"})
    training = store.insert("learning_events", {"kind": "training", "title": "Neglect toolkit",
                                                "date": "2016-11-03", "attendance": 120})
    meeting = store.insert("meetings", {"date": "2017-05-10", "kind": "qa_subgroup", "notes": "Audit results"})
    return {"review": review, "debrief": debrief, "training": training, "meeting": meeting}


@pytest.fixture
def tab(qtbot, store, data):
    widget = EventsTab(store)
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def focus(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def test_lists_events_newest_first_with_attendance(tab):
    assert [r["title"] for r in tab.events.rows()] == ["Child D de-brief", "Neglect toolkit"]
    assert tab.events.index(0, 1).data() == "Practitioner de-brief"
    assert tab.events.index(0, 3).data() == "Ref044 Child D"
    assert tab.events_count.text() == "2 events, 154 attendances"
    tab.events_view.selectRow(0)
    assert "More on escalation please" in tab.feedback_label.text()


def test_add_a_learning_event(tab, store, data, qtbot, monkeypatch):
    def driver(dialog: EventDialog):
        dialog.kind.editor.setCurrentIndex(dialog.kind.editor.findData("practitioner_learning_event"))
        qtbot.keyClicks(dialog.title_field.editor, "Learning event for Ref044")
        qtbot.keyClicks(dialog.date.editor, "12/1/2017")
        dialog.review.editor.setCurrentIndex(dialog.review.editor.findData(str(data["review"])))
        qtbot.keyClicks(dialog.attendance.editor, "lots")
        assert not dialog.try_save()
        assert "whole number" in dialog.attendance.error_text()
        dialog.attendance.editor.clear()
        qtbot.keyClicks(dialog.attendance.editor, "18")
        qtbot.keyClicks(dialog.facilitator.editor, "Independent reviewer")
        dialog.feedback.editor.insertPlainText("\u201cI will use the toolkit\u201d")  # keyClicks is ASCII-only
        assert dialog.try_save()

    monkeypatch.setattr(EventDialog, "exec", driver)
    with qtbot.waitSignal(tab.records_changed):
        qtbot.mouseClick(tab.new_event_button, Qt.MouseButton.LeftButton)
    event = store.row("SELECT * FROM learning_events WHERE title = 'Learning event for Ref044'")
    assert event["date"] == "2017-01-12" and event["attendance"] == 18
    assert event["review_id"] == data["review"] and event["kind"] == "practitioner_learning_event"
    assert event["feedback"] == "\u201cI will use the toolkit\u201d"
    assert tab.selected_event()["id"] == event["id"]


def test_event_needs_a_date(store, qtbot):
    dialog = EventDialog(store)
    qtbot.addWidget(dialog)
    assert not dialog.try_save()
    assert dialog.date.error_text() == "is required"
    assert store.scalar("SELECT count(*) FROM learning_events") == 0


def test_edit_and_filter_events(tab, store, data, qtbot, monkeypatch):
    def driver(dialog: EventDialog):
        dialog.attendance.editor.setText("40")
        assert dialog.try_save()

    assert tab.show_record("learning_event", data["debrief"])
    monkeypatch.setattr(EventDialog, "exec", driver)
    focus(qtbot, tab.events_view)
    qtbot.keyClick(tab.events_view, Qt.Key.Key_Return)
    assert store.get("learning_events", data["debrief"])["attendance"] == 40
    tab.filter_box.setText("toolkit")
    tab.filter_box.settle_now()
    assert [r["id"] for r in tab.events.rows()] == [data["training"]]


def test_delete_event_asks_first(tab, store, data, monkeypatch, qtbot):
    tab.show_record("learning_event", data["training"])
    monkeypatch.setattr(events_module, "confirm", lambda *a: False)
    focus(qtbot, tab.events_view)
    qtbot.keyClick(tab.events_view, Qt.Key.Key_Delete)
    assert store.get("learning_events", data["training"]) is not None
    monkeypatch.setattr(events_module, "confirm", lambda *a: True)
    qtbot.keyClick(tab.events_view, Qt.Key.Key_Delete)
    assert store.get("learning_events", data["training"]) is None


def test_add_a_meeting_and_keep_its_paper(tab, store, data, qtbot, monkeypatch, tmp_path):
    def driver(dialog: MeetingDialog):
        qtbot.keyClicks(dialog.date.editor, "21/06/2017")
        assert dialog.try_save()

    monkeypatch.setattr(MeetingDialog, "exec", driver)
    qtbot.mouseClick(tab.new_meeting_button, Qt.MouseButton.LeftButton)
    meeting = store.row("SELECT * FROM meetings WHERE date = '2017-06-21'")
    assert meeting["kind"] == "scr_subgroup"
    assert tab.selected_meeting()["id"] == meeting["id"]
    assert not tab.open_paper_button.isEnabled()

    paper = tmp_path / "paper.pdf"
    paper.write_bytes(b"%PDF-1.4 paper")
    monkeypatch.setattr(events_module, "ask_open_files", lambda *a: [str(paper)])
    qtbot.mouseClick(tab.attach_paper_button, Qt.MouseButton.LeftButton)
    meeting = store.get("meetings", meeting["id"])
    attachment = store.get("attachments", meeting["paper_attachment_id"])
    assert (attachment["owner_kind"], attachment["owner_id"]) == ("meeting", meeting["id"])
    assert tab.meetings.index(tab.meetings_view.currentIndex().row(), 3).data() == "paper.pdf"
    opened = []
    monkeypatch.setattr(attachments_module.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    qtbot.mouseClick(tab.open_paper_button, Qt.MouseButton.LeftButton)
    assert opened

    monkeypatch.setattr(events_module, "confirm", lambda *a: True)
    tab.delete_meeting()
    assert store.get("meetings", meeting["id"]) is None
    assert store.scalar("SELECT count(*) FROM attachments") == 0


def test_produce_paper_asks_for_the_meetings_paper(tab, data, monkeypatch, qtbot):
    calls = []
    fake = types.ModuleType("scrdesk.ui.documents")
    fake.show_document = lambda parent, store, kind, **kw: calls.append((kind, kw))
    monkeypatch.setitem(sys.modules, "scrdesk.ui.documents", fake)
    tab.show_record("meeting", data["meeting"])
    qtbot.mouseClick(tab.produce_paper_button, Qt.MouseButton.LeftButton)
    assert calls == [("paper", {"on": date(2017, 5, 10), "paper_kind": "qa"})]


def test_read_only_disables_every_edit_control(tab, data):
    tab.show_record("learning_event", data["debrief"])
    tab.show_record("meeting", data["meeting"])
    tab.set_read_only(True)
    for button in (tab.new_event_button, tab.delete_event_button, tab.new_meeting_button,
                   tab.delete_meeting_button, tab.attach_paper_button):
        assert not button.isEnabled(), button.text()
    assert tab.edit_event_button.text() == "&View event…"


def test_every_control_is_named(tab):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit
    unnamed = [w for kind in (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView)
               for w in tab.findChildren(kind) if not w.accessibleName() and w.isVisibleTo(tab)
               and not w.parent().inherits("QAbstractItemView") and not w.inherits("QHeaderView")]
    assert unnamed == []
