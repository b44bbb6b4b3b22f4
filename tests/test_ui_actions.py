"""The action plan tab, driven as a project officer would: filter, add updates with evidence,
try to close an action without evidence, add and delete actions."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt

from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import actions as rules
from scrdesk.store import actions as actions_module
from scrdesk.store.actions import add_update
from scrdesk.ui import attachments as attachments_module
from scrdesk.ui.actions import (
    COL_RAG,
    COL_TEXT,
    ActionDialog,
    ActionPlanTab,
    UpdateDialog,
)
from scrdesk.ui.actions import tab as tab_module
from scrdesk.ui.attachments import MAX_ATTACHMENT_BYTES, read_attachment_file
from scrdesk.ui.base import RowRole


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def plan(store):
    """Two reviews, four agencies, five actions; 'today' is 15 Jun 2017."""
    store.set_settings({"as_at_date": "2017-06-15"})
    ids = {}
    for short, name in (("NCC", "Northshire Children's Services"), ("Police", "Northshire Police"),
                        ("ICB", "Northshire ICB"), ("Trust", "Riverside Hospitals Trust")):
        ids[short] = store.insert("agencies", {"name": name, "short_name": short})
    r1 = store.insert("reviews", {"title": "Ref044 Child D", "review_type": "SCR"})
    r2 = store.insert("reviews", {"title": "Ref050 Child F", "review_type": "CASE_MAPPING"})
    rc1 = store.insert("recommendations", {"review_id": r1, "number": "1", "text": "Recognise neglect early"})
    rc2 = store.insert("recommendations", {"review_id": r1, "number": "2", "text": "Audit escalation"})

    def action(review, rec, agency, text, target, status="on_track", **extra):
        return store.insert("actions", {"review_id": review, "recommendation_id": rec, "agency_id": ids[agency],
                                        "text": text, "target_date": target, "status": status, **extra})

    ids["train"] = action(r1, rc1, "NCC", "Train social workers in the graded care profile", "2017-03-31")
    ids["brief"] = action(r1, rc1, "Police", "Brief PPU officers on neglect", "2017-05-31", "slipping")
    ids["audit"] = action(r1, rc2, "ICB", "Audit escalation in GP practices", "2017-06-20")
    ids["missing"] = action(r2, None, "Police", "Review missing-from-home procedure", "2017-12-31", "not_started")
    ids["forum"] = action(r2, None, "Trust", "Share learning at the forum", "2017-01-31", "signed_off",
                          signoff_date="2017-02-02", completion_reason="Minutes of the forum")
    ids["reviews"] = (r1, r2)
    ids["recs"] = (rc1, rc2)
    return ids


@pytest.fixture
def tab(qtbot, store, plan):
    widget = ActionPlanTab(store)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def visible_actions(tab: ActionPlanTab) -> list[dict]:
    """Every action row the current view shows (opening each group, as a person would)."""
    if tab.view_mode() == "flat":
        return list(tab.flat_model.rows())
    model = tab.tree_model
    found = []

    def walk(parent):
        while model.canFetchMore(parent):  # as the person scrolls down
            model.fetchMore(parent)
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            data = model.data(index, RowRole)
            if data is not None:
                found.append(data)
            else:
                walk(index)

    walk(QModelIndex())
    return found


def select_action(tab: ActionPlanTab, action_id: int) -> None:
    assert tab.show_record("action", action_id)
    assert tab.selected_action()["id"] == action_id


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_plan_groups_by_review_and_recommendation_with_rag_in_words(tab, plan):
    model = tab.tree_model
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert titles == ["Ref050 Child F", "Ref044 Child D"]  # the newest review first
    older_review = model.index(1, 0)
    recs = [model.index(r, 0, older_review).data() for r in range(model.rowCount(older_review))]
    assert recs == ["Recommendation 1: Recognise neglect early", "Recommendation 2: Audit escalation"]
    rec = model.index(0, 0, older_review)
    train = model.index(0, COL_RAG, rec)
    assert model.index(0, COL_TEXT, rec).data() == "Train social workers in the graded care profile"
    assert train.data() == "Red"
    assert "passed 76 days ago" in train.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, COL_RAG).data() == "2 overdue"
    assert "5 actions, 2 overdue" in tab.count_label.text()


def test_filter_to_one_agencys_overdue_actions(tab, plan, qtbot):
    choose(tab.agency_combo, plan["Police"])
    qtbot.mouseClick(tab.overdue_check, Qt.MouseButton.LeftButton)
    shown = visible_actions(tab)
    assert [a["id"] for a in shown] == [plan["brief"]]
    assert "1 matching action, 1 overdue" in tab.count_label.text()
    choose(tab.view_combo, "agency")
    assert [a["id"] for a in visible_actions(tab)] == [plan["brief"]]
    assert tab.tree_model.index(0, 0).data() == "Northshire Police"


def test_dashboard_agency_link_opens_its_overdue_actions(tab, plan):
    assert tab.show_record("agency", plan["NCC"])
    assert tab.overdue_check.isChecked()
    assert tab.agency_combo.currentData() == plan["NCC"]
    assert [a["id"] for a in visible_actions(tab)] == [plan["train"]]


def test_due_soon_and_status_filters(tab, plan, qtbot):
    qtbot.mouseClick(tab.due_soon_check, Qt.MouseButton.LeftButton)
    assert "14 days" in tab.due_soon_check.text()
    assert [a["id"] for a in visible_actions(tab)] == [plan["audit"]]
    qtbot.mouseClick(tab.due_soon_check, Qt.MouseButton.LeftButton)
    choose(tab.status_combo, "signed_off")
    assert [a["id"] for a in visible_actions(tab)] == [plan["forum"]]
    choose(tab.status_combo, "open")
    assert plan["forum"] not in [a["id"] for a in visible_actions(tab)]


def test_typed_filter_searches_in_sql_in_the_flat_list(tab, plan, qtbot):
    choose(tab.view_combo, "flat")
    assert len(visible_actions(tab)) == 5
    tab.focus_filter()
    qtbot.keyClicks(tab.filter_box, "ppu")
    with qtbot.waitSignal(tab.filter_box.filter_settled):
        pass
    assert [a["id"] for a in visible_actions(tab)] == [plan["brief"]]
    rag = tab.flat_model.index(0, 7)
    assert rag.data() == "Red"
    assert "marked slipping" in rag.data(Qt.ItemDataRole.ToolTipRole)


def test_flat_list_sorts_in_sql(tab, plan):
    choose(tab.view_combo, "flat")
    tab.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # agency
    assert [r["agency_short"] for r in tab.flat_model.rows()] == ["ICB", "NCC", "Police", "Police", "Trust"]


def run_dialog_with(monkeypatch, dialog_class, driver):
    """Stand in for the person at a modal dialog: `driver(dialog)` types and clicks."""
    monkeypatch.setattr(dialog_class, "exec", lambda self: driver(self))


def test_add_update_with_an_evidence_file(tab, plan, store, tmp_path, monkeypatch, qtbot):
    evidence = tmp_path / "training register.pdf"
    evidence.write_bytes(b"%PDF-1.4 register of attendance")

    def driver(dialog: UpdateDialog):
        assert dialog.author.value() == "tester"
        assert dialog.date.iso() == "2017-06-15"
        qtbot.keyClicks(dialog.note.editor, "All teams trained; register attached")
        dialog.evidence.add_files([str(evidence)])
        assert dialog.try_save()

    select_action(tab, plan["train"])
    run_dialog_with(monkeypatch, UpdateDialog, driver)
    with qtbot.waitSignal(tab.records_changed):
        qtbot.mouseClick(tab.detail.update_button, Qt.MouseButton.LeftButton)
    update = store.row("SELECT * FROM action_updates WHERE action_id = ?", [plan["train"]])
    assert update["note"] == "All teams trained; register attached"
    assert update["author"] == "tester" and update["date"] == "2017-06-15"
    assert update["status_to"] is None
    files = store.rows("SELECT * FROM attachments WHERE owner_kind = 'action' AND owner_id = ?", [plan["train"]])
    assert len(files) == 1
    assert files[0]["file_name"] == "training register.pdf"
    assert files[0]["sha256"] == hashlib.sha256(evidence.read_bytes()).hexdigest()
    assert files[0]["size"] == len(evidence.read_bytes()) and files[0]["mime_type"] == "application/pdf"
    # The view shows it: the action stays selected, with its update and evidence.
    assert tab.selected_action()["id"] == plan["train"]
    assert tab.detail.updates.rows()[0]["note"] == "All teams trained; register attached"
    assert tab.detail.evidence.model.rows()[0]["file_name"] == "training register.pdf"


def test_status_change_in_an_update_changes_the_action_in_the_same_write(store, plan, qtbot):
    dialog = UpdateDialog(store, plan["audit"])
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.note.editor, "Audit started late")
    choose(dialog.status.editor, "slipping")
    assert dialog.try_save()
    assert store.get("actions", plan["audit"])["status"] == "slipping"
    update = store.row("SELECT * FROM action_updates WHERE action_id = ?", [plan["audit"]])
    assert (update["status_from"], update["status_to"]) == ("on_track", "slipping")


def test_marking_complete_needs_evidence_or_a_reason(store, plan, tmp_path, qtbot, monkeypatch):
    dialog = UpdateDialog(store, plan["brief"], status_to="complete_evidenced")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.note.editor, "Briefings delivered")
    # Without evidence or a reason: refused at the status field, nothing written.
    assert not dialog.try_save()
    assert "attach the evidence" in dialog.status.error_text()
    assert dialog.status.error_label.isVisibleTo(dialog)
    assert not dialog.save_button.isEnabled()
    assert store.get("actions", plan["brief"])["status"] == "slipping"
    assert store.scalar("SELECT count(*) FROM action_updates") == 0
    # With evidence attached: accepted, and the sign-off date is the update's date.
    evidence = tmp_path / "briefing slides.pptx"
    evidence.write_bytes(b"slides")
    dialog.evidence.add_files([str(evidence)])
    assert dialog.status.error_text() == ""
    assert dialog.try_save()
    action = store.get("actions", plan["brief"])
    assert action["status"] == "complete_evidenced" and action["signoff_date"] == "2017-06-15"


def test_marking_complete_with_a_recorded_reason(store, plan, qtbot):
    dialog = UpdateDialog(store, plan["audit"], status_to="signed_off")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.note.editor, "Superseded by the national audit")
    assert not dialog.try_save()
    qtbot.keyClicks(dialog.completion_reason.editor, "Replaced by the national audit; agreed at sub group")
    assert dialog.try_save()
    action = store.get("actions", plan["audit"])
    assert action["status"] == "signed_off"
    assert action["completion_reason"] == "Replaced by the national audit; agreed at sub group"


def test_the_rule_holds_below_the_dialog_too(store, plan):
    with pytest.raises(RuleBroken, match="attach the evidence"):
        add_update(store, plan["audit"], on=date(2017, 6, 1), author="x", note="done",
                   status_to="complete_evidenced")
    assert store.get("actions", plan["audit"])["status"] == "on_track"
    assert store.scalar("SELECT count(*) FROM action_updates") == 0


def test_mark_complete_button_opens_the_update_with_the_status_chosen(tab, plan, monkeypatch, qtbot):
    seen = {}
    run_dialog_with(monkeypatch, UpdateDialog, lambda d: seen.setdefault("status", d.status.value()))
    select_action(tab, plan["train"])
    qtbot.mouseClick(tab.detail.complete_button, Qt.MouseButton.LeftButton)
    assert seen["status"] == "complete_evidenced"


def test_new_action_from_the_selected_recommendation(tab, plan, store, monkeypatch, qtbot):
    def driver(dialog: ActionDialog):
        assert dialog.review.value() == str(plan["reviews"][0])
        assert dialog.recommendation.value() == str(plan["recs"][0])
        qtbot.keyClicks(dialog.text.editor, "Publish a neglect practice guide")
        qtbot.keyClicks(dialog.target.editor, "30/9/2017")
        dialog.target.editor.editingFinished.emit()
        assert dialog.target.editor.text() == "30/09/2017"
        assert dialog.try_save()

    select_action(tab, plan["train"])
    run_dialog_with(monkeypatch, ActionDialog, driver)
    tab.new_record()
    action = store.row("SELECT * FROM actions WHERE text = 'Publish a neglect practice guide'")
    assert action["recommendation_id"] == plan["recs"][0]
    assert action["agency_id"] == plan["NCC"]
    assert action["target_date"] == "2017-09-30" and action["status"] == "not_started"
    assert tab.selected_action()["id"] == action["id"]


def test_revised_target_needs_a_reason_and_a_bad_date_is_flagged_at_the_field(store, plan, qtbot):
    dialog = ActionDialog(store, plan["train"])
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.revised.editor, "31/09/2017")
    dialog.revised.editor.editingFinished.emit()
    assert not dialog.try_save()
    assert "no day 31" in dialog.revised.error_text()
    dialog.revised.editor.clear()
    qtbot.keyClicks(dialog.revised.editor, "30/09/2017")
    assert not dialog.try_save()
    assert dialog.revised_reason.error_text() == "is required when the target is revised"
    qtbot.keyClicks(dialog.revised_reason.editor, "Trainer left; new trainer from August")
    assert dialog.try_save()
    action = store.get("actions", plan["train"])
    assert action["revised_target_date"] == "2017-09-30"
    assert action["revised_reason"] == "Trainer left; new trainer from August"
    assert action["target_date"] == "2017-03-31"


def test_edit_dialog_refuses_completion_without_evidence(store, plan, qtbot):
    dialog = ActionDialog(store, plan["missing"])
    qtbot.addWidget(dialog)
    choose(dialog.status.editor, "signed_off")
    assert not dialog.try_save()
    # The window's words are the rule's, which the store and the import use too.
    assert dialog.status.error_text() == rules.completion_problem("signed_off", 0)
    assert "record a reason" in dialog.status.error_text()
    assert store.get("actions", plan["missing"])["status"] == "not_started"
    # A note of the evidence is enough; the sign-off date is set on sign-off.
    qtbot.keyClicks(dialog.evidence_note.editor, "Procedure reissued; copy held by the Police")
    assert dialog.status.error_text() == ""
    assert dialog.try_save()
    action = store.get("actions", plan["missing"])
    assert (action["status"], action["signoff_date"]) == ("signed_off", "2017-06-15")
    assert action["evidence_note"] == "Procedure reissued; copy held by the Police"


def test_delete_asks_first_and_takes_updates_and_evidence(tab, plan, store, tmp_path, monkeypatch):
    evidence = tmp_path / "e.txt"
    evidence.write_text("proof")
    attachments_module.add_attachment(store, "action", plan["train"], evidence)
    select_action(tab, plan["train"])
    monkeypatch.setattr(tab_module, "confirm", lambda *a, **k: False)
    tab.delete_selected()
    assert store.get("actions", plan["train"]) is not None
    monkeypatch.setattr(tab_module, "confirm", lambda *a, **k: True)
    tab.delete_selected()
    assert store.get("actions", plan["train"]) is None
    assert store.scalar("SELECT count(*) FROM attachments") == 0
    assert plan["train"] not in [a["id"] for a in visible_actions(tab)]


def test_evidence_open_and_save_out(tab, plan, store, tmp_path, monkeypatch):
    evidence = tmp_path / "Minutes.docx"
    evidence.write_bytes(b"minutes of the meeting")
    attachments_module.add_attachment(store, "action", plan["train"], evidence)
    select_action(tab, plan["train"])
    panel = tab.detail.evidence
    panel.table.selectRow(0)
    opened = []
    monkeypatch.setattr(attachments_module.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    panel.open_button.click()
    assert opened and opened[0].endswith(".docx")
    assert "Minutes" not in opened[0]  # temporary copies never carry the stored file name
    assert Path(opened[0]).read_bytes() == b"minutes of the meeting"
    target = tmp_path / "out" / "copy.docx"
    target.parent.mkdir()
    monkeypatch.setattr(attachments_module, "ask_save_file", lambda *a: str(target))
    panel.save_button.click()
    assert target.read_bytes() == b"minutes of the meeting"


def test_a_file_over_25_mb_is_refused_with_a_message(tab, plan, store, tmp_path, monkeypatch):
    big = tmp_path / "video.mp4"
    with big.open("wb") as f:
        f.truncate(MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(InvalidValue, match="files over 25.0 MB cannot be attached"):
        read_attachment_file(big)
    errors = []
    monkeypatch.setattr(attachments_module, "show_error", lambda parent, error, title: errors.append(str(error)))
    select_action(tab, plan["train"])
    tab.detail.evidence.add_files([str(big)])
    assert errors and "video.mp4" in errors[0]
    assert store.scalar("SELECT count(*) FROM attachments") == 0


def test_read_only_disables_every_edit_control(tab, plan):
    select_action(tab, plan["train"])
    tab.set_read_only(True)
    for button in (tab.new_button, tab.delete_button, tab.detail.update_button, tab.detail.complete_button,
                   tab.detail.evidence.add_button, tab.detail.evidence.remove_button):
        assert not button.isEnabled(), button.text()
    assert tab.detail.edit_button.isEnabled()  # to view the action
    tab.set_read_only(False)
    assert tab.new_button.isEnabled() and tab.detail.update_button.isEnabled()


def test_every_control_is_named_for_screen_readers(tab):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit
    unnamed = [w for kind in (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView)
               for w in tab.findChildren(kind) if not w.accessibleName() and w.isVisibleTo(tab)
               and not w.parent().inherits("QAbstractItemView") and not w.inherits("QHeaderView")]
    assert unnamed == []


def test_twenty_thousand_actions_load_a_page_at_a_time(store, qtbot):
    agencies = [store.insert("agencies", {"name": f"Agency {n}"}) for n in range(12)]
    with store.transaction():
        reviews = [store.db.execute("INSERT INTO reviews (title, review_type) VALUES (?, 'SCR')",
                                    [f"Review {n:03d}"]).lastrowid for n in range(200)]
        store.db.conn.executemany(
            "INSERT INTO actions (review_id, agency_id, text, target_date, status) VALUES (?, ?, ?, ?, ?)",
            [(reviews[n % 200], agencies[n % 12], f"Action number {n}", f"20{10 + n % 8}-0{1 + n % 9}-15",
              "on_track") for n in range(20000)])
    widget = ActionPlanTab(store)
    qtbot.addWidget(widget)
    widget.show()
    assert "20000 actions" in widget.count_label.text()
    model = widget.tree_model
    # A page of the 200 review groups at a time, and no action until a group is opened.
    assert 0 < model.rowCount() < 200 and model.canFetchMore(QModelIndex())
    assert all(model.rowCount(model.index(row, 0)) == 0 for row in range(model.rowCount()))
    assert len(visible_actions(widget)) == 20000
    choose(widget.view_combo, "flat")
    assert widget.flat_model.rowCount() == widget.flat_model.PAGE
    widget.filter_box.setText("number 1999")
    widget.filter_box.settle_now()
    assert sorted(r["text"] for r in widget.flat_model.rows()) == sorted(
        ["Action number 1999", *[f"Action number 1999{d}" for d in range(10)]])


def test_keyboard_return_edits_and_delete_deletes_the_selected_action(tab, plan, store, monkeypatch, qtbot):
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    select_action(tab, plan["audit"])
    tab.tree.setFocus()
    qtbot.waitUntil(tab.tree.hasFocus)
    opened = []
    run_dialog_with(monkeypatch, ActionDialog, lambda dialog: opened.append(dialog.action_id))
    qtbot.keyClick(tab.tree, Qt.Key.Key_Return)
    assert opened == [plan["audit"]]
    monkeypatch.setattr(tab_module, "confirm", lambda *a, **k: True)
    qtbot.keyClick(tab.tree, Qt.Key.Key_Delete)
    assert store.get("actions", plan["audit"]) is None


def test_the_window_can_ask_for_the_current_record(tab, plan):
    assert tab.current_record() is None
    select_action(tab, plan["brief"])
    assert tab.current_record() == ("actions", plan["brief"])


def test_groups_a_person_opened_stay_open_when_the_filter_changes(tab, plan, qtbot):
    tab.OPEN_ALL_UP_TO = 0  # as in a big plan, where groups open only when asked
    tab.refresh()
    model, tree = tab.tree_model, tab.tree
    review = model.index(1, 0)  # Ref044 Child D, the older review
    assert not tree.isExpanded(review)
    tree.expand(review)
    qtbot.waitUntil(lambda: model.rowCount(review) == 2)  # the view fetches what it opens
    tree.expand(model.index(1, 0, review))  # Recommendation 2
    tab.filter_box.setText("audit")
    tab.filter_box.settle_now()
    review = model.index(0, 0)
    assert model.rowCount() == 1 and tree.isExpanded(review)
    assert model.index(0, 0, review).data() == "Recommendation 2: Audit escalation"
    assert tree.isExpanded(model.index(0, 0, review))
    tree.collapse(review)
    tab.filter_box.setText("")
    tab.filter_box.settle_now()
    assert not any(tree.isExpanded(model.index(row, 0)) for row in range(model.rowCount()))


def test_an_action_in_a_later_page_of_groups_can_still_be_shown(tab, plan):
    tab.OPEN_ALL_UP_TO = 0
    tab.tree_model.GROUP_PAGE = 1
    tab.refresh()
    assert tab.tree_model.rowCount() in (1, 2)  # the view may ask for the next page at once
    select_action(tab, plan["missing"])  # under the second review
    assert tab.tree.currentIndex().parent().parent().data() == "Ref050 Child F"
    assert "5 actions, 2 overdue" in tab.count_label.text()


@pytest.mark.parametrize("mode", ["plan", "agency"])
def test_counts_held_in_memory_agree_with_sql(store, plan, mode):
    store.insert("actions", {"review_id": plan["reviews"][1], "text": "Audit with no agency",
                             "target_date": "2017-01-01", "status": "slipping"})
    today = date(2017, 6, 15)
    counts = actions_module.GroupCounts(store, today)
    for text in ("", "audit", "police", "Child D", "neglect", "no such words"):
        filters = actions_module.ActionFilters(text=text)
        assert counts.for_filters(filters, mode) == actions_module.top_groups(store, today, filters, mode), text
    assert counts.for_filters(actions_module.ActionFilters(text="audit", overdue=True), mode) is None
    assert counts.for_filters(actions_module.ActionFilters(text="GP"), mode) is None  # too short for the index


def test_the_counts_follow_a_change_to_the_file(tab, plan, store):
    tab.filter_box.setText("neglect")
    tab.filter_box.settle_now()
    assert "2 matching actions, 2 overdue" in tab.count_label.text()
    store.update("actions", plan["brief"], {"status": "signed_off", "completion_reason": "Done"})
    tab.refresh()
    assert "2 matching actions, 1 overdue" in tab.count_label.text()


def test_a_search_in_the_flat_list_matches_the_sql_order_and_counts(tab, plan, store):
    choose(tab.view_combo, "flat")
    today = date(2017, 6, 15)
    for text in ("neglect", "police", "northshire", "no such words"):
        tab.filter_box.setText(text)
        tab.filter_box.settle_now()
        rows, total, overdue = actions_module.fetch_by_target(
            store, today, actions_module.ActionFilters(text=text), 0, 100)
        assert [r["id"] for r in visible_actions(tab)] == [r["id"] for r in rows], text
        assert tab.count_label.text().startswith(f"{total} matching action"), text
        assert f", {overdue} overdue" in tab.count_label.text(), text
    tab.filter_box.setText("northshire")
    tab.filter_box.settle_now()
    assert "4 matching actions, 2 overdue" in tab.count_label.text()
