"""The main window: tabs wired through signals, keyboard, read-only mode, remembered layout,
backups in a worker, and start-up (`run_gui`, the log, the last-resort error handler)."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import QRect, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_helpers import with_modal

from scrdesk import app as app_module
from scrdesk.domain.errors import ScrdeskError
from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo
from scrdesk.ui import referrals as referrals_module
from scrdesk.ui.base import FRAME_ALLOWANCE
from scrdesk.ui.forms import RecordDialog
from scrdesk.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def quiet_questions(monkeypatch):
    monkeypatch.setattr(RecordDialog, "_discard_confirmed", lambda self: True)
    monkeypatch.setattr(referrals_module, "confirm", lambda *a, **k: True)


@pytest.fixture
def window(qtbot, demo, window_settings):
    opened = MainWindow(demo, settings=window_settings, demo=True)
    qtbot.addWidget(opened)
    opened.show()
    opened.windowHandle().requestActivate()  # keyboard shortcuts go to the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is opened)
    return opened


def tab_named(window, title: str):
    """The tab with that title, built now if it has not been shown yet (tabs are built lazily)."""
    return window.tab_at(next(i for i, t in enumerate(window.tab_list) if t.title == title))


def test_the_seven_tabs_are_there_and_ctrl_number_reaches_each(qtbot, window):
    titles = [window.tabs.tabText(i).replace("&&", "&") for i in range(window.tabs.count())]
    assert titles == ["Dashboard", "Referrals", "Reviews", "Action plan", "Briefings", "Events and meetings",
                      "Sub group"]
    for number in range(7, 0, -1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentIndex() == number - 1


def test_status_bar_shows_the_file_editing_state_and_as_at_date(window, demo):
    assert str(demo.path) in window.path_label.text()
    assert window.mode_label.text() == "Editing"
    assert window.as_at_label.text() == "Viewing as at 30 Jun 2017 — demo data"
    assert window.banner.isHidden()
    assert window.windowTitle() == "demo.db (demo) — scrdesk"


def test_find_the_overdue_actions_of_one_agency_from_the_dashboard(qtbot, window, demo):
    dashboard = tab_named(window, "Dashboard")
    from scrdesk.ui.dashboard import dashboard_lines

    police = next(line for line in dashboard_lines(dashboard.tree, "overdue_by_agency")
                  if line["title"].startswith("Northamptonshire Police"))
    dashboard.tree.setCurrentItem(police["item"])
    dashboard.tree.setFocus()
    qtbot.keyClick(dashboard.tree, Qt.Key.Key_Return)
    actions = window.current_tab()
    assert actions.title == "Action plan"
    agency_id = demo.scalar("SELECT id FROM agencies WHERE name = 'Northamptonshire Police'")
    assert actions.agency_combo.currentData() == agency_id
    assert actions.overdue_check.isChecked()


def test_a_dashboard_line_opens_the_review_in_the_reviews_tab(window, demo):
    dashboard = tab_named(window, "Dashboard")
    ref050 = demo.scalar("SELECT id FROM reviews WHERE title LIKE 'Ref050%'")
    dashboard.record_requested.emit("review", ref050)
    assert window.current_tab().title == "Reviews"
    assert window.current_tab().current_id() == ref050


def test_a_change_in_one_tab_refreshes_the_others_when_they_are_shown(qtbot, window, demo):
    window.tabs.setCurrentIndex(1)
    referrals = window.current_tab()
    dashboard = tab_named(window, "Dashboard")
    refreshed = []
    original = dashboard.refresh
    dashboard.refresh = lambda: (refreshed.append(1), original())
    referral_id = demo.insert("referrals", {"ref": "Ref058", "received_date": "2017-06-01"})
    referrals.refresh()
    referrals.records_changed.emit("referrals")
    assert refreshed == []  # not visible: only marked stale
    window.tabs.setCurrentIndex(0)
    assert refreshed == [1]
    deadlines = [line["title"] for line in __import__("scrdesk.ui.dashboard", fromlist=["x"]).dashboard_lines(
        dashboard.tree, "deadlines")]
    assert "Ref058 – Decision on the referral" in deadlines
    assert demo.get("referrals", referral_id)


def test_ctrl_n_adds_a_record_in_the_current_tab(qtbot, window, demo):
    window.tabs.setCurrentIndex(1)

    def fill(dialog) -> None:
        assert dialog.windowTitle() == "New referral"
        dialog.received.editor.setText("01/06/2017")
        dialog.summary.editor.setText("Neglect")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    with_modal(qtbot, lambda: qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier), fill)
    assert demo.scalar("SELECT summary FROM referrals WHERE ref = 'Ref058'") == "Neglect"


def test_ctrl_f_goes_to_the_filter_box(qtbot, window):
    window.tabs.setCurrentIndex(1)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.current_tab().filter_box


def test_read_only_file_shows_a_banner_and_disables_every_edit(qtbot, demo_path, window_settings):
    store = Store.open(demo_path, readonly=True, user="tester")
    try:
        window = MainWindow(store, settings=window_settings)
        qtbot.addWidget(window)
        window.show()
        assert window.banner.isVisible()
        assert "opened read-only" in window.banner.text()
        assert window.mode_label.text() == "Read-only"
        assert not window.new_record_action.isEnabled()
        assert not window.import_action.isEnabled()
        assert not window.settings_action.isEnabled()
        referrals = tab_named(window, "Referrals")
        assert not referrals.new_button.isEnabled()
        reviews = tab_named(window, "Reviews")
        assert not reviews.new_button.isEnabled() and not reviews.milestones.add_button.isEnabled()
        window.close()
    finally:
        store.close()


def test_losing_the_lease_switches_the_window_to_read_only(qtbot, window, demo, monkeypatch):
    def taken_over() -> bool:
        demo.readonly, demo.readonly_reason = True, "J. Smith on LAPTOP-2 took this file over at 10:15"
        return False

    monkeypatch.setattr(demo, "heartbeat", taken_over)
    window._on_heartbeat_timeout()
    assert window.read_only
    assert "took this file over" in window.banner.text()
    assert not tab_named(window, "Referrals").new_button.isEnabled()


def test_window_layout_column_widths_and_last_tab_are_remembered(qtbot, demo, window_settings):
    first = MainWindow(demo, settings=window_settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 540)
    size = (first.width(), first.height())
    first.tabs.setCurrentIndex(2)
    reviews = first.current_tab()
    reviews.view.horizontalHeader().resizeSection(1, 333)
    reviews.splitter.setSizes([150, 450])
    sizes = reviews.splitter.sizes()
    first.close()

    second = MainWindow(demo, settings=window_settings)
    qtbot.addWidget(second)
    second.show()
    assert second.tabs.currentIndex() == 2
    assert (second.width(), second.height()) == size
    assert second.current_tab().view.horizontalHeader().sectionSize(1) == 333
    assert second.current_tab().splitter.sizes() == sizes
    second.close()


def test_backup_now_runs_in_the_background_and_shows_when(qtbot, window, demo):
    folder = demo.path.parent / "backups"
    window.backup_action.trigger()
    assert window.progress.isVisible()  # the window carries on while it works
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=20000)
    made = list(folder.glob("demo-*.db"))
    assert len(made) == 1
    assert window.backup_label.text().startswith("Last backup:")


def test_opening_another_file_replaces_the_window(qtbot, window, tmp_path, window_settings):
    other = write_demo(tmp_path / "other.db")
    replacement = window.switch_to_file(str(other))
    qtbot.addWidget(replacement)
    assert replacement is not window
    assert replacement.store.path.name == "other.db"
    assert not window.isVisible()
    assert str(other.resolve()) in [str(p) for p in window_settings.value("recent_files")]
    replacement.close()


def test_a_recent_file_that_has_gone_is_reported_not_made_anew(window, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: said.append(text))
    missing = tmp_path / "moved-away.db"
    assert window.switch_to_file(str(missing)) is None
    assert not missing.exists() and window.isVisible()
    assert said and "moved-away.db" in said[0]


def test_the_excepthook_logs_the_kind_of_error_not_its_words(tmp_path, monkeypatch, qapp):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    log_path = app_module.setup_logging(tmp_path)
    try:
        hook = app_module.make_excepthook(log_path)
        try:
            raise ValueError("Test-Child Alpha was typed here")
        except ValueError as error:
            hook(type(error), error, error.__traceback__)
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = log_path.read_text(encoding="utf-8")
        assert "unexpected ValueError at test_ui_main_window.py:" in text
        assert "Test-Child" not in text
        assert shown and "Your data is safe" in shown[0] and str(log_path) in shown[0]
    finally:
        _remove_log_handlers(log_path)


def _remove_log_handlers(log_path) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == str(log_path):
            root.removeHandler(handler)
            handler.close()


def test_run_gui_opens_the_demo_and_returns_when_the_window_closes(qtbot, tmp_path, monkeypatch, qapp):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(tmp_path / "config"))
    seen = []

    def close_it() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(w.windowTitle() for w in windows)
        for w in windows:
            w.close()
        if not windows:
            QTimer.singleShot(50, close_it)

    QTimer.singleShot(50, close_it)
    try:
        assert app_module.run_gui(demo=True) == 0
    finally:
        _remove_log_handlers(tmp_path / "state" / "scrdesk" / "log" / "scrdesk.log")
    assert seen == ["demo.db (demo) — scrdesk"]
    assert sys.excepthook is not sys.__excepthook__


def test_run_gui_says_plainly_when_the_file_cannot_be_opened(tmp_path, monkeypatch, qapp):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    folder = tmp_path / "a folder.db"
    folder.mkdir()
    try:
        assert app_module.run_gui(db=str(folder)) == 1
    finally:
        _remove_log_handlers(tmp_path / "state" / "scrdesk" / "log" / "scrdesk.log")
    assert shown and "could not open" in shown[0] and "a folder.db" in shown[0]


def test_a_damaged_file_is_set_aside_and_a_backup_offered(tmp_path, monkeypatch, qapp):
    import scrdesk.ui.safety as safety

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    offered = []
    monkeypatch.setattr(safety, "offer_backup_after_damage", lambda parent, error: offered.append(error) or False)
    notes = tmp_path / "notes.db"
    Store.open(notes, user="tester").close()
    data = bytearray(notes.read_bytes())
    data[8192:24576] = b"Z" * 16384  # pages overwritten: proven damage, not a busy or foreign file
    notes.write_bytes(bytes(data))
    try:
        assert app_module.run_gui(db=str(notes)) == 1
    finally:
        _remove_log_handlers(tmp_path / "state" / "scrdesk" / "log" / "scrdesk.log")
    assert offered and "notes.db" in str(offered[0])
    assert (tmp_path / "notes.db.corrupt").exists()  # set aside, never deleted


def test_a_text_file_given_as_the_data_file_is_refused_and_left_alone(tmp_path, monkeypatch, qapp):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    notes = tmp_path / "notes.db"
    notes.write_text("these are not case records")
    try:
        assert app_module.run_gui(db=str(notes)) == 1
    finally:
        _remove_log_handlers(tmp_path / "state" / "scrdesk" / "log" / "scrdesk.log")
    assert shown and "notes.db" in shown[0]
    assert notes.read_text() == "these are not case records"
    assert not (tmp_path / "notes.db.corrupt").exists()


def test_only_the_current_tab_is_built_and_only_after_the_first_paint(qtbot, demo, window_settings):
    window = MainWindow(demo, settings=window_settings)
    qtbot.addWidget(window)
    assert window.built_tabs() == []  # nothing read before the window is on screen
    window.show()
    qtbot.waitUntil(lambda: len(window.built_tabs()) == 1)
    assert [type(t).__name__ for t in window.built_tabs()] == ["DashboardTab"]
    assert window.tabs.count() == 7 and window.tabs.currentIndex() == 0
    window.tabs.setCurrentIndex(4)  # shown: built, and the tab bar keeps its place
    assert window.current_tab().title == "Briefings" and window.tabs.currentIndex() == 4
    assert window.tabs.tabText(4) == "Briefings"
    window.tab_at(0).record_requested.emit("review", demo.scalar("SELECT id FROM reviews LIMIT 1"))
    assert window.current_tab().title == "Reviews"  # only the tab that shows reviews was built
    assert sorted(type(t).__name__ for t in window.built_tabs()) == ["BriefingsTab", "DashboardTab", "ReviewsTab"]
    window.close()


def test_a_dashboard_more_line_shows_the_tab_listing_them_all(window):
    tab_named(window, "Dashboard").tab_requested.emit("ReviewsTab")
    assert window.current_tab().title == "Reviews"


def test_subject_access_export_of_the_selected_case(window, demo, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "sar.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "JSON files (*.json)"))
    window.subject_access_action.trigger()  # no referral selected: a hint, nothing written
    assert not out.exists()
    ref053 = demo.scalar("SELECT id FROM referrals WHERE ref = 'Ref053'")
    tab_named(window, "Dashboard").record_requested.emit("referral", ref053)
    assert window.current_tab().title == "Referrals"
    window.subject_access_action.trigger()
    assert '"Ref053"' in out.read_text(encoding="utf-8")


def test_the_frame_shows_opening_until_the_file_is_attached(qtbot, demo, window_settings, tmp_path):
    window = MainWindow(None, path=demo.path, settings=window_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window._painted)
    window.grab().save(str(tmp_path / "opening.png"))
    assert window.opening and window.opening_label.isVisible() and not window.tabs.isVisible()
    assert window.opening_label.text() == "Opening demo.db…"
    assert window.windowTitle() == "demo.db — scrdesk" and window.mode_label.text() == "Opening…"
    assert window.quit_action.isEnabled()
    assert not any(a.isEnabled() for a in (window.new_record_action, window.open_file_action,
                                            window.backup_action, window.about_action, window.go_actions[1]))
    qtbot.wait(50)
    assert window.built_tabs() == []  # nothing is read before the file is there

    window.attach_store(demo)
    qtbot.waitUntil(lambda: len(window.built_tabs()) == 1)
    assert [type(t).__name__ for t in window.built_tabs()] == ["DashboardTab"]
    assert not window.opening and not window.opening_label.isVisible() and window.tabs.isVisible()
    assert window.new_record_action.isEnabled() and window.open_file_action.isEnabled()
    assert window.mode_label.text() == "Editing"
    assert str(demo.path.resolve()) in [str(p) for p in window_settings.value("recent_files")]
    window.close()


def test_a_window_needs_a_store_or_the_path_being_opened(qapp):
    with pytest.raises(ValueError):
        MainWindow(None)


def _run_gui_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(tmp_path / "config"))


def _open_after_the_frame_paints(monkeypatch, seen: list) -> None:
    """Hold the worker's `Store.open` until the frame has painted (noting how it looked then)."""
    import threading

    painted = threading.Event()

    def watch() -> None:
        frames = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w._painted
                  and w.isVisible()]
        if not frames:
            QTimer.singleShot(10, watch)
            return
        seen.append((frames[0].opening, frames[0].opening_label.text(), frames[0].windowTitle()))
        painted.set()

    def held_open(path):
        assert painted.wait(20), "the frame never painted"
        return Store.open(path)

    monkeypatch.setattr(app_module, "_open_in_background", held_open)
    QTimer.singleShot(0, watch)


def test_run_gui_paints_the_frame_before_the_file_has_opened(tmp_path, monkeypatch, qapp, demo_path):
    _run_gui_environment(tmp_path, monkeypatch)
    seen, tabs_built = [], []
    _open_after_the_frame_paints(monkeypatch, seen)

    def close_when_filled() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and windows[0].built_tabs():
            tabs_built.extend(type(t).__name__ for t in windows[0].built_tabs())
            windows[0].close()
            return
        QTimer.singleShot(20, close_when_filled)

    QTimer.singleShot(0, close_when_filled)
    try:
        assert app_module.run_gui(db=str(demo_path)) == 0
    finally:
        _remove_log_handlers(tmp_path / "state" / "scrdesk" / "log" / "scrdesk.log")
    assert seen == [(True, "Opening demo.db…", "demo.db — scrdesk")]
    assert tabs_built == ["DashboardTab"]
    again = Store.open(demo_path)  # the window let go of the file when it closed
    try:
        assert again.holds_lease and not again.readonly
    finally:
        again.close()


def test_run_gui_failing_after_the_frame_painted_says_so_and_returns_1(tmp_path, monkeypatch, qapp):
    _run_gui_environment(tmp_path, monkeypatch)
    seen, shown = [], []
    _open_after_the_frame_paints(monkeypatch, seen)
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text: shown.append((parent.opening, parent.isVisible(), text)))
    folder = tmp_path / "a folder.db"
    folder.mkdir()
    try:
        assert app_module.run_gui(db=str(folder)) == 1
    finally:
        _remove_log_handlers(tmp_path / "state" / "scrdesk" / "log" / "scrdesk.log")
    assert seen and seen[0][0] is True
    assert len(shown) == 1 and shown[0][:2] == (True, True) and "could not open" in shown[0][2]
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_closing_the_frame_while_the_file_opens_lets_go_of_the_file(tmp_path, monkeypatch, qapp, demo_path):
    import threading

    _run_gui_environment(tmp_path, monkeypatch)
    closed = threading.Event()

    def held_open(path):
        assert closed.wait(20), "the frame was never closed"
        return Store.open(path)

    def close_the_frame() -> None:
        frames = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w._painted
                  and w.isVisible()]
        if not frames:
            QTimer.singleShot(10, close_the_frame)
            return
        frames[0].close()
        closed.set()

    monkeypatch.setattr(app_module, "_open_in_background", held_open)
    QTimer.singleShot(0, close_the_frame)
    try:
        assert app_module.run_gui(db=str(demo_path)) == 0
    finally:
        _remove_log_handlers(tmp_path / "state" / "scrdesk" / "log" / "scrdesk.log")
    again = Store.open(demo_path)  # opened in the worker after all, then closed again
    try:
        assert again.holds_lease and not again.readonly
    finally:
        again.close()


# -- the status bar tells the truth about background work --------------------------------------

def _wait_idle(qtbot, window):
    qtbot.waitUntil(lambda: window._busy == 0, timeout=20000)


def test_backing_up_ends_with_when_the_last_backup_was_made(qtbot, window):
    window._automatic_backup("timer")
    assert window.statusBar().currentMessage() == "Backing up…"
    _wait_idle(qtbot, window)
    assert "Backing up" not in window.statusBar().currentMessage()
    assert window.backup_label.text().startswith("Last backup: ")
    assert not window.progress.isVisible()


def test_a_failed_backup_says_so_instead_of_backing_up(qtbot, window, monkeypatch):
    import scrdesk.store.backup as backup
    from scrdesk.ui import main_window as main_window_module

    def refuse(subject, reason):
        raise ScrdeskError("the backups folder is full")

    monkeypatch.setattr(backup, "automatic_backup", refuse)
    shown = []
    monkeypatch.setattr(main_window_module, "show_error", lambda parent, error, *a: shown.append(str(error)))
    window._automatic_backup("timer")
    _wait_idle(qtbot, window)
    assert window.statusBar().currentMessage() == "Backing up did not finish: the backups folder is full"
    assert shown == ["Backing up did not finish: the backups folder is full"]


def test_background_work_never_touches_the_windows_store(qtbot, window, monkeypatch):
    import scrdesk.store.backup as backup
    import scrdesk.store.check as check

    seen = {}

    def fake_checks(store):
        seen["check"] = (store, threading.current_thread(), store.readonly)
        return []

    def fake_backup(subject, reason):
        seen["backup"] = (subject, threading.current_thread())
        return None

    monkeypatch.setattr(check, "run_checks", fake_checks)
    monkeypatch.setattr(backup, "automatic_backup", fake_backup)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    window.check_file()
    _wait_idle(qtbot, window)
    window._automatic_backup("timer")
    _wait_idle(qtbot, window)
    checked_with, check_thread, readonly = seen["check"]
    assert checked_with is not window.store and readonly and check_thread is not threading.main_thread()
    subject, backup_thread = seen["backup"]
    assert subject is not window.store and not hasattr(subject, "db")
    assert backup_thread is not threading.main_thread()


# -- the window fits the screen -----------------------------------------------------------------

LAPTOP = QRect(0, 0, 1366, 728)  # a 1366×768 screen less a 40-pixel task bar


@pytest.fixture
def laptop(monkeypatch):
    from scrdesk.ui import base
    from scrdesk.ui import main_window as main_window_module

    for module in (base, main_window_module):
        monkeypatch.setattr(module, "available_geometry", lambda widget=None: QRect(LAPTOP))
    return LAPTOP


def _fits(window, area):
    allowance = FRAME_ALLOWANCE
    return (window.width() + allowance.width() <= area.width()
            and window.height() + allowance.height() <= area.height()
            and area.contains(window.frameGeometry().topLeft()))


def test_a_first_window_fits_a_laptop_screen_with_its_status_bar(qtbot, demo, window_settings, laptop):
    window = MainWindow(demo, settings=window_settings)
    qtbot.addWidget(window)
    assert _fits(window, laptop)
    assert window.width() >= 1200  # as wide as the screen allows, not a small box
    window.show()
    bar = window.statusBar()
    assert bar.isVisible() and bar.geometry().bottom() < window.height()


def test_a_first_window_fits_the_real_primary_screen(qtbot, demo, window_settings):
    window = MainWindow(demo, settings=window_settings)
    qtbot.addWidget(window)
    assert _fits(window, QApplication.primaryScreen().availableGeometry())


def test_a_remembered_size_from_a_bigger_screen_is_clamped_to_this_one(qtbot, demo, window_settings, laptop):
    from scrdesk.ui import base

    first = MainWindow(demo, settings=window_settings)
    qtbot.addWidget(first)
    first.setGeometry(900, 700, 2400, 1500)  # saved on a big monitor, far to the right
    window_settings.setValue("MainWindow/geometry", first.saveGeometry())
    window_settings.sync()
    second = MainWindow(demo, settings=window_settings)
    qtbot.addWidget(second)
    assert _fits(second, laptop), (second.geometry(), base.FRAME_ALLOWANCE)
    frame = second.frameGeometry()
    assert frame.right() <= laptop.right() + base.FRAME_ALLOWANCE.width()
