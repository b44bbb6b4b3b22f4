"""Start-up order (issue 15): the frame paints on the window's own code alone; the file is opened
after that, the dashboard is the only tab built, and nothing else is imported for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import scrdesk.app as app_module
from scrdesk.store import backup
from scrdesk.ui.main_window import TAB_CLASSES, MainWindow

# Runs the real start-up in a fresh interpreter (argv: the data file) and prints which of our
# modules, and of the heavy libraries, were loaded at the first paint and once the dashboard shows.
PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
import scrdesk.ui.main_window as main_window
seen = {}
def loaded():
    return sorted(m for m in sys.modules
                  if m.split(".")[0] in ("scrdesk", "reportlab", "openpyxl", "pypdf", "docx", "holidays"))
paint = main_window.MainWindow.paintEvent
def painted(self, event):
    paint(self, event)
    seen.setdefault("painted", loaded())
main_window.MainWindow.paintEvent = painted
def close_when_shown():
    shown = [w for w in app.topLevelWidgets() if isinstance(w, main_window.MainWindow) and w.built_tabs()]
    if not shown:
        QTimer.singleShot(20, close_when_shown)
        return
    seen["dashboard"] = loaded()
    seen["built"] = [type(t).__name__ for t in shown[0].built_tabs()]
    shown[0].close()
QTimer.singleShot(0, close_when_shown)
from scrdesk.app import run_gui
seen["code"] = run_gui(db=sys.argv[1])
print(json.dumps(seen))
"""


def test_the_frame_paints_before_the_file_is_opened_and_only_the_dashboard_is_built(environment, demo_path):
    done = subprocess.run([sys.executable, "-c", PROBE, str(demo_path)], capture_output=True, text=True,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0 and seen["built"] == ["DashboardTab"]
    # The frame: the window's own code, no store, no queries, no tab.
    assert not [m for m in seen["painted"] if m.startswith(("scrdesk.store", "scrdesk.ui.dashboard"))]
    assert "scrdesk.store.db" in seen["dashboard"] and "scrdesk.ui.dashboard" in seen["dashboard"]
    other_tabs = {module for module, class_name, _, _ in TAB_CLASSES if class_name != "DashboardTab"}
    assert not other_tabs & set(seen["dashboard"])
    assert not [m for m in seen["dashboard"] if m.split(".")[0] in ("reportlab", "openpyxl", "pypdf", "docx",
                                                                     "holidays")]


def windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_the_file_is_opened_once_the_frame_has_painted(qapp, environment, demo_path, monkeypatch):
    opened = []
    real_open = app_module._open_in_background

    def open_noting(path):
        opened.append([w._painted for w in windows()])
        return real_open(path)

    def close_when_filled() -> None:
        shown = windows()
        if shown and shown[0].built_tabs():
            shown[0].close()
            return
        QTimer.singleShot(20, close_when_filled)

    monkeypatch.setattr(app_module, "_open_in_background", open_noting)
    QTimer.singleShot(0, close_when_filled)
    assert app_module.run_gui(db=str(demo_path)) == 0
    assert opened == [[True]]  # once, and only after the paint


def test_a_window_that_is_never_painted_still_opens_its_file(qapp, environment, demo_path, monkeypatch):
    monkeypatch.setattr(MainWindow, "paintEvent", lambda self, event: None)  # as if minimised
    monkeypatch.setattr(app_module, "OPEN_UNPAINTED_MS", 50)
    attached = []

    def close_when_attached() -> None:
        shown = windows()
        if shown and shown[0].store is not None:
            attached.append(shown[0].store.path)
            shown[0].close()
            return
        QTimer.singleShot(20, close_when_attached)

    QTimer.singleShot(0, close_when_attached)
    assert app_module.run_gui(db=str(demo_path)) == 0
    assert attached == [demo_path]


def test_the_last_backup_is_read_from_the_names_without_opening_a_backup(qtbot, store, window_settings,
                                                                         monkeypatch):
    first = backup.backup_to(store)
    newest = backup.backup_to(store)

    def refuse(*args, **kwargs):
        raise AssertionError("a backup was opened to say when the last one was made")

    monkeypatch.setattr(backup, "read_backup_info", refuse)
    monkeypatch.setattr(backup, "list_backups", refuse)
    window = MainWindow(store, settings=window_settings)
    qtbot.addWidget(window)
    window._show_last_backup()
    assert window.backup_label.text().startswith("Last backup: ") and "today" in window.backup_label.text()
    assert window.backup_label.toolTip() == str(newest.path) != str(first.path)


def test_with_no_backup_the_status_bar_says_so(qtbot, store, window_settings):
    window = MainWindow(store, settings=window_settings)
    qtbot.addWidget(window)
    window._show_last_backup()
    assert window.backup_label.text() == "No backup yet"

