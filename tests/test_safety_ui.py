"""The data-safety dialogs: history, audit log, retention, restore, takeover, damage."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from scrdesk.store import backup, lease, retention
from scrdesk.store.db import DamagedFileError, Store
from scrdesk.ui import safety


def headers(view) -> list[str]:
    model = view.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def answer_next_box(button_text: str) -> None:
    """Click the button called `button_text` on the next message box that opens."""
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        for button in box.buttons():
            if button.text() == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, click)


@pytest.fixture
def case(store):
    referral = store.insert("referrals", {"ref": "Ref053", "summary": "Neglect",
                                          "decision": "NFA", "decision_date": "1990-01-05"})
    store.insert("restricted_identifiers", {"referral_id": referral, "kind": "name",
                                            "value": "Fictional Child"})
    store.update("referrals", referral, {"summary": "Extreme neglect and cruelty"})
    return referral


def test_history_dialog_shows_changes_in_plain_words(qtbot, store, case):
    police = store.insert("agencies", {"name": "Northshire Police"})
    store.update("referrals", case, {"referring_agency_id": police, "source": "sin",
                                     "la_aware_date": "2017-02-01"})
    dialog = safety.HistoryDialog(store, "referrals", case)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "History of Referral Ref053"
    tree_headers = [dialog.tree.headerItem().text(c) for c in range(4)]
    assert tree_headers == ["When", "Who", "What happened", "What changed"]
    created, summary_changed, linked = dialog.rows()
    assert created[1:3] == ["tester", "Created"] and "Decision date: 5 Jan 1990" in created[4:]
    assert "Decision: No further action required" in created[4:]  # a code, labelled
    assert summary_changed[2:4] == ["Changed", "Summary: Neglect → Extreme neglect and cruelty"]
    assert linked[3] == "3 fields"
    assert linked[4:] == ["Source: Agency referral → Serious incident notification",
                          "Referring agency: blank → Northshire Police",
                          "Date LA became aware: blank → 1 Feb 2017"]


def test_history_of_a_restricted_identifier_is_masked(qtbot, store, case):
    identifier = store.scalar("SELECT id FROM restricted_identifiers")
    dialog = safety.HistoryDialog(store, "restricted_identifiers", identifier)
    qtbot.addWidget(dialog)
    text = " ".join(" ".join(row) for row in dialog.rows())
    assert "Fictional" not in text and "••••" in text
    assert dialog.windowTitle() == "History of Restricted identifier (name)"


def test_audit_log_view_filters_and_pages(qtbot, store, case):
    for n in range(450):
        store.insert("agencies", {"name": f"Agency {n}"})
    view = safety.AuditLogView(store)
    qtbot.addWidget(view)
    assert headers(view.view) == ["When", "Who", "Record", "What changed"]
    assert view.model.rowCount() == 200 and view.model.canFetchMore()
    view.model.fetchMore()
    assert view.model.rowCount() == 400
    view.table.setCurrentIndex(view.table.findData("referrals"))
    assert view.model.rowCount() == 2 and "2 changes" in view.count.text()
    view.text.setText("cruelty")
    view.text.settle_now()
    assert [r["record"] for r in view.model.rows()] == ["Referral Ref053"]
    view.text.setText("Fictional")
    view.text.settle_now()
    assert view.model.rowCount() == 0 and view.count.text() == "No changes match."
    view.text.setText("")
    view.table.setCurrentIndex(0)
    view.since.setDate(view.since.date().currentDate().addDays(1))
    assert view.model.rowCount() == 0
    view.close()


def test_retention_dialog_lists_due_records_and_sets_a_hold(qtbot, store, case, monkeypatch):
    dialog = safety.RetentionDialog(store, today=date(2020, 1, 1))
    qtbot.addWidget(dialog)
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == [
        "Referral Ref053"]
    monkeypatch.setattr(safety.QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("Civil claim pending", True)))
    dialog.table.item(0, 4).setCheckState(Qt.CheckState.Checked)
    assert store.get("referrals", case)["legal_hold"] == 1
    assert retention.legal_hold_reason(store, "referrals", case) == "Civil claim pending"
    assert dialog.table.rowCount() == 0 and not dialog.empty.isHidden()
    dialog.show_held.setChecked(True)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 4).checkState() == Qt.CheckState.Checked
    dialog.table.item(0, 4).setCheckState(Qt.CheckState.Unchecked)
    assert store.get("referrals", case)["legal_hold"] == 0


def test_retention_hold_needs_a_reason(qtbot, store, case, monkeypatch):
    dialog = safety.RetentionDialog(store, today=date(2020, 1, 1))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(safety.QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
    dialog.table.item(0, 4).setCheckState(Qt.CheckState.Checked)
    assert store.get("referrals", case)["legal_hold"] == 0
    assert dialog.table.item(0, 4).checkState() == Qt.CheckState.Unchecked


def test_restore_dialog_restores_the_windows_store_in_place(qtbot, store, case):
    saved = backup.backup_to(store)
    store.insert("agencies", {"name": "Added after the backup"})
    dialog = safety.RestoreDialog(store, None)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.restore_button.isEnabled()
    assert "1 referrals" in dialog.table.item(0, 2).text()
    assert "It holds 1 referrals" in dialog.details.text()
    answer_next_box("Restore")
    answer_then_ok = QTimer()
    answer_then_ok.setInterval(50)
    answer_then_ok.timeout.connect(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox)
                                   and QApplication.activeModalWidget().windowTitle() == "Restored"
                                   and QApplication.activeModalWidget().accept())
    answer_then_ok.start()
    dialog._restore_selected()
    answer_then_ok.stop()
    assert dialog.restored_from == saved.path and dialog.kept_as.exists()
    assert store.scalar("SELECT count(*) FROM agencies") == 0 and store.holds_lease


def test_restore_dialog_cancelled_changes_nothing(qtbot, store, case):
    backup.backup_to(store)
    store.insert("agencies", {"name": "Kept"})
    dialog = safety.RestoreDialog(store, None)
    qtbot.addWidget(dialog)
    answer_next_box("Cancel")
    dialog._restore_selected()
    assert dialog.restored_from is None and store.scalar("SELECT count(*) FROM agencies") == 1


def test_restore_dialog_on_a_closed_file_with_an_unreadable_backup(qtbot, tmp_path):
    path = tmp_path / "cases.db"
    with Store.open(path, user="tester") as store:
        store.insert("agencies", {"name": "Police"})
        good = backup.backup_to(store)
    bad = good.path.with_name("cases-19990101-090000.db")
    bad.write_text("not a backup")
    dialog = safety.RestoreDialog(path, tmp_path / "backups")
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    dialog.table.selectRow(1)
    assert not dialog.restore_button.isEnabled() and "cannot be restored" in dialog.details.text()
    assert dialog.restore(good.path, "test", confirmed=True)
    with Store.open(path, user="tester") as store:
        assert store.scalar("SELECT count(*) FROM agencies") == 1


def test_takeover_confirmation_defaults_to_read_only(qtbot):
    holder = lease.LeaseHolder("sjones", "LAPTOP-12", 42, lease.stamp(lease.utc_now()),
                               lease.stamp(lease.utc_now() - timedelta(minutes=5)), stale=True,
                               display_name="Sam Jones")
    text = safety.takeover_text(holder)
    assert text.startswith("Sam Jones (sjones on LAPTOP-12) opened this file for editing at")
    assert "could lose what they have not yet saved" in text
    answer_next_box("Open read-only")
    assert safety.confirm_takeover(None, holder) is False
    answer_next_box("Take over and edit")
    assert safety.confirm_takeover(None, holder) is True


def test_a_damaged_file_offers_its_newest_backup(qtbot, tmp_path):
    path = tmp_path / "cases.db"
    with Store.open(path, user="tester") as store:
        store.insert("agencies", {"name": "Police"})
        backup.backup_to(store)
    path.write_text("overwritten by mistake")
    with pytest.raises(DamagedFileError) as caught:
        Store.open(path, user="tester")
    answer_next_box("Restore the newest backup")
    assert safety.offer_backup_after_damage(None, caught.value) is True
    with Store.open(path, user="tester") as store:
        assert store.scalar("SELECT name FROM agencies") == "Police"
    assert (tmp_path / "cases.db.corrupt").read_text() == "overwritten by mistake"
