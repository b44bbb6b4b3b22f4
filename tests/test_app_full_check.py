"""Start-up with the whole-file check after the first paint (issue 15): the window opens on the
header check alone, the full check runs in a worker once it is on screen, and damage found then
is shown and handled exactly as when opening finds it."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from tamper_helpers import cut_log_short

import scrdesk.app as app_module
import scrdesk.ui.safety as safety
from scrdesk.store import backup
from scrdesk.store.db import DamagedFileError, Store
from scrdesk.ui.main_window import MainWindow

PAGE = 4096


def cases_file(path: Path) -> tuple[Path, Path]:
    """A data file big enough to have a middle, and a good backup of it."""
    with Store.open(path, user="tester") as store:
        store.insert_many("agencies", ({"name": f"Agency {n}", "lead_name": "x" * 40} for n in range(3000)))
        made = backup.backup_to(store)
    return path, made.path


def damage_the_middle(path: Path) -> None:
    """Pages in the middle overwritten: the header and schema still read, so only the whole-file
    check finds it."""
    middle = (path.stat().st_size // PAGE // 2) * PAGE
    with open(path, "r+b") as handle:
        handle.seek(middle)
        handle.write(random.Random(5).randbytes(3 * PAGE))


def windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_a_sound_file_is_checked_after_the_first_paint_and_then_backed_up(qapp, environment, tmp_path,
                                                                          monkeypatch):
    path, _ = cases_file(tmp_path / "cases.db")
    seen = {}
    checks = []
    real_check = Store.run_full_check

    def checked(store):
        seen.setdefault("painted when checked", [w._painted for w in windows()])
        checks.append(store.full_check_owed)
        return real_check(store)

    monkeypatch.setattr(Store, "run_full_check", checked)
    real_backup = MainWindow._automatic_backup
    backups = []

    def backup_noting(window, reason):
        backups.append((reason, window.store.full_check_owed))
        return real_backup(window, reason)

    monkeypatch.setattr(MainWindow, "_automatic_backup", backup_noting)

    def close_when_backed_up() -> None:
        shown = windows()
        if shown and checks and shown[0].built_tabs() and not shown[0].store.full_check_owed:
            QTimer.singleShot(100, lambda: backed_up(shown[0]))
            return
        QTimer.singleShot(20, close_when_backed_up)

    def backed_up(window) -> None:
        if not window._busy:  # the backup on open, started once the check passed, has finished
            window.close()
            return
        QTimer.singleShot(20, lambda: backed_up(window))

    QTimer.singleShot(0, close_when_backed_up)
    assert app_module.run_gui(db=str(path)) == 0
    assert checks[0] is True and checks.count(True) == 1  # owed when the window opened, run once
    assert seen["painted when checked"] == [True]
    assert backups == [("open", False)]  # the backup on open came after the check had passed


def test_damage_found_after_the_first_paint_is_set_aside_and_a_backup_offered(qapp, environment, tmp_path,
                                                                             monkeypatch):
    path, _ = cases_file(tmp_path / "cases.db")
    damage_the_middle(path)
    offered = []

    def offer(parent, error):
        offered.append((error, parent.isVisible(), parent._painted, parent.read_only))
        return False

    monkeypatch.setattr(safety, "offer_backup_after_damage", offer)
    assert app_module.run_gui(db=str(path)) == 1
    ((error, visible, painted, read_only),) = offered
    # The window was on screen and had stopped editing when the damage was found.
    assert (visible, painted, read_only) == (True, True, True)
    # The same error, and the same words, as opening the damaged file shows.
    assert isinstance(error, DamagedFileError) and "cases.db" in str(error)
    assert error.newest_good_backup is not None
    assert (tmp_path / "cases.db.corrupt").exists() and not path.exists()  # set aside, never deleted
    assert not windows()


def test_a_backup_restored_after_late_damage_opens_in_a_new_window(qapp, environment, tmp_path, monkeypatch):
    path, good = cases_file(tmp_path / "cases.db")
    damage_the_middle(path)
    titles = []

    def restore(parent, error):
        shutil.copy(good, path)  # what choosing "Restore the newest backup" leaves at the path
        return True

    def close_the_restored_window() -> None:
        shown = [w for w in windows() if (tmp_path / "cases.db.corrupt").exists() and not w.read_only]
        if shown and shown[0].built_tabs():
            titles.append(shown[0].windowTitle())
            assert shown[0].store.scalar("SELECT count(*) FROM agencies") == 3000
            shown[0].close()
            return
        QTimer.singleShot(20, close_the_restored_window)

    monkeypatch.setattr(safety, "offer_backup_after_damage", restore)
    QTimer.singleShot(0, close_the_restored_window)
    assert app_module.run_gui(db=str(path)) == 0
    assert titles == ["cases.db — scrdesk"]
    assert (tmp_path / "cases.db.corrupt").exists()
    with Store.open(path, user="tester") as again:  # the window let go of the restored file
        assert again.holds_lease


def test_a_log_cut_short_is_shown_once_the_window_is_on_screen_before_the_backup_on_open(
        qapp, environment, tmp_path, monkeypatch):
    """The comparison with the anchors runs after the first paint, with the whole-file check;
    its warning is shown by the window, and only then is the backup on open made."""
    path = tmp_path / "cases.db"
    with Store.open(path, user="tester") as store:
        for n in range(4):
            store.insert("agencies", {"name": f"Agency {n}"})
    cut_log_short(path)

    events = []

    def warned(parent, title, text):
        events.append(("warning", [w._painted for w in windows()], text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warned)
    monkeypatch.setattr(MainWindow, "_automatic_backup", lambda window, reason: events.append(("backup", reason)))

    def close_when_done(tries: int = 0) -> None:
        shown = windows()
        if shown and (len(events) >= 2 or tries > 500):  # ten seconds at most: fail, never hang
            shown[0].close()
            return
        QTimer.singleShot(20, lambda: close_when_done(tries + 1))

    QTimer.singleShot(0, close_when_done)
    assert app_module.run_gui(db=str(path)) == 0
    assert [e[0] for e in events] == ["warning", "backup"]
    assert events[0][1] == [True]  # on screen first
    assert "audit log is shorter" in events[0][2]
