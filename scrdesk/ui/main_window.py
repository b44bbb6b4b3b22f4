"""The main window: the tabs of the week's work, the menus, the status bar, and what keeps the
file safe while it is open (the lease heartbeat, automatic backups in a worker).

Tabs never talk to each other directly: each emits `record_requested(kind, id)`,
`records_changed(table)` and `status_message(text)`, wired here. A change refreshes the visible
tab at once and marks the others stale; a stale tab refreshes when it is next shown.

Start-up paints before it reads: every tab starts as a placeholder, the current one is built (and
so filled) from a timer queued by the window's first paint, and the others when first shown or
first asked to show a record. Each tab's remembered layout is restored when it is built.

Optional tab methods the window calls when present: `new_record()`, `edit_selected()`,
`focus_filter()`, `print_document()`, `current_record() -> (table, id) | None`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scrdesk import __version__
from scrdesk.domain.dates import format_date
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.resources import resource_path
from scrdesk.ui.base import (
    BackgroundTask,
    Tab,
    available_geometry,
    keep_on_screen,
    run_in_background,
    show_error,
    size_within_screen,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

# Dialogs, message boxes and the layout's splitters and headers are imported where they are used:
# each PySide6 class costs start-up time the first time it is named, and the frame needs none.

log = logging.getLogger(__name__)

HEARTBEAT_MS = 30_000
AUTOMATIC_BACKUP_MS = 30 * 60_000
MAX_RECENT = 8
#: The first size, before any is remembered; smaller where the screen is (a 1366×768 laptop).
DEFAULT_SIZE = QSize(1280, 800)

#: (module, class, icon, title) of each tab, in the order of Ctrl+1..7. The title is here so the
#: tab bar and Go menu are complete before any tab's module is imported.
TAB_CLASSES = (
    ("scrdesk.ui.dashboard", "DashboardTab", "dashboard", "Dashboard"),
    ("scrdesk.ui.referrals", "ReferralsTab", "referrals", "Referrals"),
    ("scrdesk.ui.reviews", "ReviewsTab", "reviews", "Reviews"),
    ("scrdesk.ui.actions", "ActionPlanTab", "actions", "Action plan"),
    ("scrdesk.ui.briefings", "BriefingsTab", "briefings", "Briefings"),
    ("scrdesk.ui.events", "EventsTab", "events", "Events and meetings"),
    ("scrdesk.ui.governance", "SubGroupTab", "subgroup", "Sub group"),
)

#: Which tab shows each kind of record, so opening one builds only that tab.
RECORD_TABS = {
    "referral": "ReferralsTab",
    "review": "ReviewsTab",
    "agency": "ActionPlanTab",
    "action": "ActionPlanTab",
    "briefing": "BriefingsTab",
    "dissemination": "BriefingsTab",
    "learning_event": "EventsTab",
    "event": "EventsTab",
}

#: What Ctrl+P previews on a tab that does not say (`document()`) itself.
DEFAULT_DOCUMENTS = {
    "ActionPlanTab": ("actions", {}),
    "BriefingsTab": ("paper", {}),
    "EventsTab": ("paper", {}),
}

#: Windows opened from File > New / Open live here, so Python keeps them while Qt shows them.
_open_windows: list[QMainWindow] = []


def icon(name: str) -> QIcon:
    """The icon `name` from its PNGs (drawn from `resources/icons/NAME.svg` by
    tools/render_icons.py): an SVG icon would load Qt's SVG library before the first paint."""
    found = QIcon()
    for size in (24, 48):
        path = resource_path("icons", "png", f"{name}-{size}.png")
        if path.exists():
            found.addFile(str(path), QSize(size, size))
    return found


class _UnavailableTab(Tab):
    """Stands in for a tab whose module could not be loaded, saying so instead of failing to start."""

    def __init__(self, store, title: str, problem: str, parent: QWidget | None = None):
        super().__init__(store, parent)
        self.title = title
        label = QLabel(f"The {title} tab could not be opened: {problem}\n"
                       "The rest of scrdesk works; details are in the log.")
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)


class _PendingTab(Tab):
    """Holds a tab's place in the tab bar until it is first shown, then the real tab replaces it."""

    def __init__(self, store, title: str, class_name: str, parent: QWidget | None = None):
        super().__init__(store, parent)
        self.title = title
        self.class_name = class_name
        label = QLabel("Loading…")
        label.setAccessibleName(f"{title} loading")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)


class MainWindow(QMainWindow):
    """One open data file in tabs. `settings` is where the layout is remembered (tests pass
    their own); `owns_store` closes the store (after a last backup) when the window closes.

    `store=None` with the file's `path` shows the frame while the file is still being opened
    (checked for damage, its lease taken) elsewhere: "Opening <file>…" in place of the tabs and
    every action but Quit disabled, until `attach_store(store)` hands the opened file over.

    A store opened with its whole-file check still owed (`Store.open(..., full_check="later")`)
    is checked in a worker once the window is on screen; damage found then sets the file aside
    (`set_aside_as_damaged`), makes the window read-only and emits `file_damaged(error)` with
    the error opening the file would have raised, for whoever opened it to say so."""

    file_damaged = Signal(object)
    #: Emitted once, just after the window's first paint.
    first_painted = Signal()

    def __init__(self, store, *, settings: QSettings | None = None, owns_store: bool = False,
                 demo: bool = False, automatic_backups: bool | None = None,
                 path: str | Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        if store is None and path is None:
            raise ValueError("MainWindow needs a store, or the path of the file being opened")
        self.store = store
        self.path = Path(store.path if store is not None else path)
        self.qsettings = settings if settings is not None else QSettings()
        self.owns_store = owns_store
        self.demo = demo
        self.automatic_backups = owns_store if automatic_backups is None else automatic_backups
        self.read_only = False
        self._stale: set[Tab] = set()
        self._busy = 0
        self._painted = False
        self._closed = False
        self.setObjectName("MainWindow")
        window_icon = icon("scrdesk")
        window_icon.addFile(str(resource_path("icons", "scrdesk.png")), QSize(256, 256))  # Alt+Tab, taskbar
        self.setWindowIcon(window_icon)
        self.setAccessibleName("scrdesk")

        self.banner = QLabel()
        self.banner.setObjectName("read_only_banner")
        self.banner.setAccessibleName("Read-only notice")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff3cd; color: #5c4400; border: 1px solid #e0c36a;"
                                  " padding: 6px;")
        self.banner.hide()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main_tabs")
        self.tabs.setAccessibleName("Main tabs")
        self.tabs.setDocumentMode(True)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        self.opening_label = QLabel(f"Opening {self.path.name}…")
        self.opening_label.setObjectName("opening_label")
        self.opening_label.setAccessibleName("Opening the data file")
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening_label.setStyleSheet("font-size: 14pt; color: #444;")
        layout.addWidget(self.banner)
        layout.addWidget(self.opening_label, 1)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self._build_tabs()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        self._checkpointing = False
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._on_heartbeat_timeout)
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(AUTOMATIC_BACKUP_MS)
        self._backup_timer.timeout.connect(lambda: self._automatic_backup("timer"))

        self.update_title()
        self.restore_layout()
        if store is None:
            self._show_opening()
        else:
            self._start_with_store()

    def _show_opening(self) -> None:
        self.tabs.hide()
        self.opening_label.show()
        for action in self.actions():
            action.setEnabled(action is self.quit_action)
        self.recent_menu.menuAction().setEnabled(False)
        self.update_status()

    def _start_with_store(self) -> None:
        store = self.store
        self.opening_label.hide()
        self.tabs.show()
        if hasattr(store, "heartbeat"):
            self._heartbeat.start()
        if self.automatic_backups and not store.readonly:
            self._backup_timer.start()
        self.apply_read_only(bool(store.readonly), store.readonly_reason)
        self._remember_recent(store.path)

    @property
    def opening(self) -> bool:
        """True while the frame waits for its file (`attach_store` not called yet)."""
        return self.store is None

    def attach_store(self, store) -> None:
        """Hand the opened file to a window made with `store=None`: the tabs then start as they
        do in a window made with its store (the current one built and filled after a paint)."""
        if self.store is not None:
            raise RuntimeError("this window already has its data file")
        self.store = store
        self.path = Path(store.path)
        for tab in self.tab_list:
            tab.store = store
        for action in self.actions():
            action.setEnabled(True)
        self.recent_menu.menuAction().setEnabled(True)
        self.update_title()
        self._start_with_store()
        if self._painted:
            # The first paint came and went while the file was opening: do now what it queues.
            QTimer.singleShot(0, self._after_first_paint)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Queued from the paint itself: a zero-delay timer started any earlier can run
            # before the first paint, and then the window would wait for the tab's queries.
            QTimer.singleShot(0, self.first_painted.emit)
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What opening the file does once the window is on screen: the whole-file check if it
        is owed, then the backup on open (both in a worker), the current tab's rows, and when
        the last backup was made."""
        if self.store is None:
            return  # still opening: `attach_store` queues this again
        if getattr(self.store, "full_check_owed", False):
            store = self.store
            # Reading goes on meanwhile; a write waits for the check (Store.transaction). A sound
            # file's log is compared with its anchors too, before the backup on open.
            run_in_background(lambda job: store.run_full_check(),
                              on_done=lambda problem: self._full_check_done(store, problem),
                              on_failed=lambda message: log.warning("the whole-file check did not run: %s",
                                                                    message))
        elif self.automatic_backups:
            self._automatic_backup("open")
        self.current_tab()
        self._show_last_backup()

    def _damage_found_unseen(self) -> bool:
        """The whole-file check finished with damage whose news had not reached the window yet
        (it was closed meanwhile): the file must be let go of without writing to it."""
        store = self.store
        if not hasattr(store, "run_full_check") or store.full_check_owed or self.read_only:
            return False  # still to run (the store's first write runs it), or already handled
        return store.run_full_check() is not None  # the answer already found: no second check

    def _full_check_done(self, store, problem: str | None) -> None:
        if self._closed or store is not self.store:
            return
        if problem is None:
            if store.anchor_warning:
                from PySide6.QtWidgets import QMessageBox

                log.warning("the audit log does not match its anchor")
                QMessageBox.warning(self, "Open data file", store.anchor_warning)
            if self.automatic_backups:
                self._automatic_backup("open")  # of a file now known to be sound
            return
        log.warning("the whole-file check found damage; the file is set aside")
        error = store.set_aside_as_damaged(problem)
        self._heartbeat.stop()
        self._backup_timer.stop()
        self.apply_read_only(True, store.readonly_reason)
        self.file_damaged.emit(error)

    # -- building ----------------------------------------------------------------------------

    def _build_tabs(self) -> None:
        self.tab_list: list[Tab] = []
        for _module_name, class_name, icon_name, title in TAB_CLASSES:
            pending = _PendingTab(self.store, title, class_name)
            pending.setObjectName(f"{class_name}_pending")
            # "&" in a tab or menu text marks a keyboard mnemonic; "&&" shows one ampersand.
            self.tabs.addTab(pending, icon(icon_name), title.replace("&", "&&"))
            self.tab_list.append(pending)

    def tab_at(self, index: int) -> Tab:
        """The tab at `index`, built (and filled) now if it has not been shown yet."""
        tab = self.tab_list[index]
        if not isinstance(tab, _PendingTab):
            return tab
        module_name, class_name, icon_name, title = TAB_CLASSES[index]
        try:
            built = getattr(importlib.import_module(module_name), class_name)(self.store)
        except Exception as error:  # one broken tab must not stop the file opening
            log.exception("could not build %s", class_name)
            built = _UnavailableTab(self.store, title, f"{type(error).__name__}")
        built.setObjectName(class_name)
        built.record_requested.connect(self._on_tab_record_requested)
        built.records_changed.connect(self._on_tab_records_changed)
        built.status_message.connect(self._on_tab_status_message)
        built.tab_requested.connect(self.show_tab)
        built.set_read_only(self.read_only)
        self._restore_tab_layout(built)
        current = self.tabs.currentIndex()
        # Swapping the widget must not look like the person changing tab.
        blocked = self.tabs.blockSignals(True)
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, built, icon(icon_name), built.title.replace("&", "&&"))
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(blocked)
        self.tab_list[index] = built
        tab.deleteLater()
        return built

    def built_tabs(self) -> list[Tab]:
        return [tab for tab in self.tab_list if not isinstance(tab, _PendingTab)]

    def _action(self, text: str, slot, shortcut=None, icon_name: str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon_name:
            action.setIcon(icon(icon_name))
        tip = tip or text.replace("&", "").rstrip("…")
        if shortcut is not None:
            tip = f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_file_action = self._action("&New data file…", self.new_file, tip="Start a new, empty data file")
        self.open_file_action = self._action("&Open data file…", self.open_file, QKeySequence.StandardKey.Open,
                                             "open")
        self.backup_action = self._action("&Backup now", self.backup_now, None, "backup",
                                          "Make a verified backup of this file now")
        self.restore_action = self._action("&Restore from backup…", self.restore_from_backup, None, "restore")
        self.import_action = self._action("&Import…", self.import_data, None, "import",
                                          "Import referrals or actions from a spreadsheet")
        self.export_action = self._action("&Export…", self.export_documents, None, "export",
                                          "Briefings, papers, the action plan and annual report tables")
        self.settings_action = self._action("&Settings…", self.open_settings, None, "settings")
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)

        self.new_record_action = self._action("&New record", lambda: self._call_tab("new_record"),
                                              QKeySequence.StandardKey.New, "new",
                                              "Add a record to the current tab")
        self.edit_action = self._action("&Open / edit selected", lambda: self._call_tab("edit_selected"),
                                        Qt.Key.Key_F2, "edit", "Open the selected record")
        self.find_action = self._action("&Find", lambda: self._call_tab("focus_filter"),
                                        QKeySequence.StandardKey.Find, "find", "Go to the filter box")
        self.print_action = self._action("&Print / preview…", self.print_current, QKeySequence.StandardKey.Print,
                                         "print", "Print or preview the current tab's document")
        self.refresh_action = self._action("&Refresh", self.refresh_current, QKeySequence.StandardKey.Refresh,
                                           "refresh", "Read the current tab again")
        self.history_action = self._action("&History of this record…", self.show_history, None, "history")
        self.subject_access_action = self._action("&Subject access export of this case…",
                                                  self.export_subject_access)
        self.audit_action = self._action("&Audit log…", self.show_audit_log)
        self.retention_action = self._action("Re&tention review…", self.show_retention)
        self.check_action = self._action("&Check the file…", self.check_file)
        self.about_action = self._action("&About scrdesk", self.show_about)
        self.go_actions = []
        for number, tab in enumerate(self.tab_list, start=1):
            go = self._action(tab.title.replace("&", "&&"), lambda _=False, n=number - 1: self.tabs.setCurrentIndex(n),
                              f"Ctrl+{number}")
            self.go_actions.append(go)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_file_action)
        file_menu.addAction(self.open_file_action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction("&Yearly report narrative…", lambda: self._run_dialog("scrdesk.ui.yearly_report", "YearlyReportDialog", self.store, self))  # noqa: E501
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        for action in (self.new_record_action, self.edit_action, self.find_action, self.print_action,
                       self.refresh_action):
            edit_menu.addAction(action)
        records_menu = bar.addMenu("&Records")
        for action in (self.history_action, self.subject_access_action, self.audit_action,
                       self.retention_action, self.check_action):
            records_menu.addAction(action)
        go_menu = bar.addMenu("&Go")
        for action in self.go_actions:
            go_menu.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setAccessibleName("Main toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        for action in (self.new_record_action, self.edit_action, self.find_action, self.print_action,
                       self.refresh_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (self.backup_action, self.import_action, self.export_action):
            toolbar.addAction(action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.path_label = QLabel()
        self.path_label.setAccessibleName("Data file")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mode_label = QLabel()
        self.mode_label.setAccessibleName("Editing state")
        self.backup_label = QLabel()
        self.backup_label.setAccessibleName("Last backup")
        self.as_at_label = QLabel()
        self.as_at_label.setAccessibleName("As-at date")
        self.as_at_label.setStyleSheet("color: #1f5fa8; font-weight: bold;")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Work in progress")
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        bar.addWidget(self.path_label, 1)
        for widget in (self.progress, self.as_at_label, self.mode_label, self.backup_label):
            bar.addPermanentWidget(widget)
        self.update_status()

    # -- status ------------------------------------------------------------------------------

    def update_title(self) -> None:
        suffix = " (demo)" if self.demo else ""
        self.setWindowTitle(f"{self.path.name}{suffix} — scrdesk")

    def update_status(self) -> None:
        self.path_label.setText(f"File: {self.path}")
        self.path_label.setToolTip(str(self.path))
        if self.store is None:
            self.mode_label.setText("Opening…")
            self.mode_label.setToolTip("Checking the file for damage before it can be used.")
            self.as_at_label.hide()
            return
        if self.read_only:
            self.mode_label.setText("Read-only")
            self.mode_label.setToolTip(self.store.readonly_reason or "opened read-only")
        else:
            self.mode_label.setText("Editing")
            self.mode_label.setToolTip("You can change this file; every change is saved at once.")
        as_at = self.store.settings().as_at_date
        if as_at:
            text = f"Viewing as at {format_date(date.fromisoformat(str(as_at)))}"
            self.as_at_label.setText(text + (" — demo data" if self.demo else ""))
            self.as_at_label.setToolTip("Every clock and RAG is measured against this date "
                                        "(Settings), not today.")
            self.as_at_label.show()
        else:
            self.as_at_label.hide()
        if self._painted:  # before the first paint: from the timer the paint queues
            self._show_last_backup()

    def _show_last_backup(self) -> None:
        # By name and file time only: opening every backup to count its records (list_backups)
        # cost a connection per backup, on the GUI thread, at every start.
        try:
            from scrdesk.store.backup import backups_of

            newest = next(iter(backups_of(self.store.path)), None)
            when = datetime.fromtimestamp(newest.stat().st_mtime) if newest is not None else None
        except (ImportError, OSError, ScrdeskError):
            newest = when = None
        if newest is not None and when is not None:
            text = when.strftime("%H:%M today") if when.date() == date.today() else \
                f"{format_date(when.date())} {when:%H:%M}"
            self.backup_label.setText(f"Last backup: {text}")
            self.backup_label.setToolTip(str(newest))
        else:
            self.backup_label.setText("No backup yet")
            self.backup_label.setToolTip("File > Backup now makes one")

    def apply_read_only(self, read_only: bool, reason: str = "") -> None:
        """Disable every control that would change data, and say why above the tabs."""
        self.read_only = read_only
        for tab in self.built_tabs():
            tab.set_read_only(read_only)
        for action in (self.new_record_action, self.import_action, self.restore_action,
                       self.settings_action):
            action.setEnabled(not read_only)
        if read_only:
            self.banner.setText(f"<b>Read-only:</b> {reason or 'this file was opened read-only'}. "
                                "You can look, search, print and export, but nothing can be changed.")
            self.banner.show()
        else:
            self.banner.hide()
        self.update_status()

    # -- tabs talking through the window ------------------------------------------------------

    def current_tab(self) -> Tab:
        """The tab on show, built first if it is still a placeholder."""
        return self.tab_at(self.tabs.currentIndex())

    def _call_tab(self, name: str) -> None:
        method = getattr(self.current_tab(), name, None)
        if method is None:
            self.statusBar().showMessage("That is not available on this tab.", 4000)
            return
        if name == "new_record" and self.read_only:
            return
        method()

    def _on_tab_record_requested(self, kind: str, row_id: int) -> None:
        owner = RECORD_TABS.get(kind)
        for index, (_module, class_name, _icon, _title) in enumerate(TAB_CLASSES):
            if owner is not None and class_name != owner:
                continue
            tab = self.tab_at(index)
            if tab in self._stale:
                self._refresh(tab)
            if tab.show_record(kind, row_id):
                self.tabs.setCurrentWidget(tab)
                return
        self.statusBar().showMessage(f"Could not open that {kind}: no tab shows it.", 5000)

    def show_tab(self, class_name: str) -> None:
        """Show the tab of that class (a dashboard's "and N more" line)."""
        for index, (_module, name, _icon, _title) in enumerate(TAB_CLASSES):
            if name == class_name:
                self.tabs.setCurrentIndex(index)
                return

    def _on_tab_records_changed(self, table: str) -> None:
        sender = self.sender()
        for tab in self.built_tabs():
            if tab is sender:
                continue
            if tab is self.current_tab():
                self._refresh(tab)
            else:
                self._stale.add(tab)
        if table == "settings":
            self.update_status()

    def _on_tab_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _on_tabs_current_changed(self, index: int) -> None:
        if index < 0 or not self._painted or self.store is None:
            return  # before the first paint, or still opening: built from the timer queued later
        tab = self.tab_at(index)
        if tab in self._stale:
            self._refresh(tab)

    def _refresh(self, tab: Tab) -> None:
        self._stale.discard(tab)
        try:
            tab.refresh()
        except ScrdeskError as error:
            show_error(self, error)

    def refresh_all(self) -> None:
        """After something that changes everything (settings, an import, a restore)."""
        for tab in self.built_tabs():
            if tab is self.current_tab():
                self._refresh(tab)
            else:
                self._stale.add(tab)
        self.update_status()

    def refresh_current(self) -> None:
        self._refresh(self.current_tab())

    # -- remembering the layout (picard's PreserveGeometry, keyed by class name) ---------------

    @staticmethod
    def _layout_widgets(tab: Tab) -> list[tuple[str, QWidget]]:
        from PySide6.QtWidgets import QHeaderView, QSplitter

        found = []
        for splitter in tab.findChildren(QSplitter):
            if splitter.objectName():
                found.append((f"{type(tab).__name__}/{splitter.objectName()}", splitter))
        for header in tab.findChildren(QHeaderView):
            view = header.parent()
            if view is not None and view.objectName() and header.orientation() == Qt.Orientation.Horizontal:
                found.append((f"{type(tab).__name__}/{view.objectName()}/header", header))
        return found

    def _restore_tab_layout(self, tab: Tab) -> None:
        for key, widget in self._layout_widgets(tab):
            saved = self.qsettings.value(key)
            if saved is not None:
                widget.restoreState(saved)

    def save_layout(self) -> None:
        settings = self.qsettings
        name = type(self).__name__
        settings.setValue(f"{name}/geometry", self.saveGeometry())
        settings.setValue(f"{name}/state", self.saveState())
        settings.setValue(f"{name}/last_tab", self.tabs.currentIndex())
        # A tab never shown this time keeps the layout saved for it before.
        for tab in self.built_tabs():
            for key, widget in self._layout_widgets(tab):
                settings.setValue(key, widget.saveState())
        settings.sync()

    def restore_layout(self) -> None:
        settings = self.qsettings
        name = type(self).__name__
        geometry = settings.value(f"{name}/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(size_within_screen(DEFAULT_SIZE, self))
            area = available_geometry(self)
            self.move(area.topLeft())
        keep_on_screen(self)
        state = settings.value(f"{name}/state")
        if state is not None:
            self.restoreState(state)
        last = settings.value(f"{name}/last_tab")
        if last is not None:
            with contextlib.suppress(TypeError, ValueError):  # damaged: start on the dashboard
                self.tabs.setCurrentIndex(int(last))

    # -- files -------------------------------------------------------------------------------

    def _remember_recent(self, path) -> None:
        path = str(Path(path).resolve())
        if self.demo:
            return  # the demo is a temporary copy; it would be gone next time
        recent = [p for p in self._recent_files() if p != path]
        self.qsettings.setValue("recent_files", [path, *recent][:MAX_RECENT])

    def _recent_files(self) -> list[str]:
        value = self.qsettings.value("recent_files") or []
        return [value] if isinstance(value, str) else [str(v) for v in value]

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self._recent_files()
        if not files:
            self.recent_menu.addAction("No recent files").setEnabled(False)
        for number, path in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{number} {path}")
            action.setEnabled(Path(path).exists())
            action.triggered.connect(lambda _=False, p=path: self.switch_to_file(p))

    def new_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, "New data file", str(Path(self.store.path).parent / "scrdesk.db"),
                                              "scrdesk data files (*.db)")
        if path:
            if Path(path).exists():
                show_error(self, ScrdeskError(f"{Path(path).name} already exists: choose Open to use it, "
                                              "or a new name."))
                return
            self.switch_to_file(path, create=True)

    def open_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Open data file", str(Path(self.store.path).parent),
                                              "scrdesk data files (*.db);;All files (*)")
        if path:
            self.switch_to_file(path)

    def switch_to_file(self, path: str, *, create: bool = False) -> MainWindow | None:
        """Open another file in a new window and close this one (and its file).

        Only File → New makes a file: a recent or chosen file that has gone missing is reported,
        never silently replaced by a new empty one."""
        from PySide6.QtWidgets import QMessageBox

        from scrdesk.store.db import Store

        if Path(path).resolve() == Path(self.store.path).resolve():
            return self
        try:
            store = Store.open(path, create=create)
        except ScrdeskError as error:
            show_error(self, error, "Open data file")
            return None
        if store.anchor_warning:
            QMessageBox.warning(self, "Open data file", store.anchor_warning)
        window = MainWindow(store, settings=self.qsettings, owns_store=True)
        _open_windows.append(window)
        window.show()
        self.close()
        return window

    # -- background work ---------------------------------------------------------------------

    def run_in_background(self, work: Callable, done: Callable[[object], None],
                          what: str) -> BackgroundTask:
        """Run `work(job)` off the GUI thread with the progress bar showing; `done(result)` after.
        The status bar says what is under way, and that message ends when the work does:
        `done` (or the failure) replaces it, so it never says "Backing up…" for ever."""
        self._busy += 1
        self.progress.show()
        self.progress.setToolTip(what)
        self.statusBar().showMessage(f"{what}…")

        def finish() -> None:
            self._busy -= 1
            self.progress.setVisible(self._busy > 0)
            if self.statusBar().currentMessage() == f"{what}…":
                self.statusBar().clearMessage()

        def on_finished(result) -> None:
            finish()
            done(result)

        def on_failed(message: str) -> None:
            finish()
            self.statusBar().showMessage(f"{what} did not finish: {message}")
            show_error(self, ScrdeskError(f"{what} did not finish: {message}"))

        return run_in_background(work, data_file=self.store, on_done=on_finished, on_failed=on_failed)

    def _backup_subject(self) -> SimpleNamespace:
        """What the backup functions need of the store, copied on the GUI thread: the backup reads
        the file through a connection of its own, and the worker never touches this window's store.
        The new audit mark comes back with the result and is set here, on the GUI thread."""
        return SimpleNamespace(path=self.store.path, readonly=self.read_only,
                               backup_mark=self.store.backup_mark)

    def _backup_made(self, subject: SimpleNamespace, info) -> None:
        self.store.backup_mark = subject.backup_mark
        self._show_last_backup()
        if info is not None:
            self.statusBar().showMessage(f"Backup made and verified: {info.path.name}", 8000)

    def backup_now(self) -> None:
        from scrdesk.store.backup import backup_to

        subject = self._backup_subject()
        self.run_in_background(lambda job: backup_to(subject), lambda info: self._backup_made(subject, info),
                               "Making a backup")

    def _automatic_backup(self, reason: str) -> None:
        if self.read_only or self._busy:
            return
        from scrdesk.store.backup import automatic_backup

        subject = self._backup_subject()
        self.run_in_background(lambda job: automatic_backup(subject, reason),
                               lambda info: self._backup_made(subject, info), "Backing up")

    def _on_heartbeat_timeout(self) -> None:
        try:
            still_ours = self.store.heartbeat()
        except ScrdeskError as error:
            log.warning("lease heartbeat failed: %s", type(error).__name__)
            return
        if not still_ours and not self.read_only and self.store.readonly:
            # Someone took the file over: stop editing here at once and say who has it.
            self.apply_read_only(True, self.store.readonly_reason)
            return
        self._checkpoint_if_owed()

    def _checkpoint_if_owed(self) -> None:
        """Copy a grown write-ahead log into the file in a worker: commits never do it (a save
        would pause the window while it ran), so it happens here, at a heartbeat."""
        store = self.store
        if self._checkpointing or self._closed or not store.checkpoint_owed():
            return
        self._checkpointing = True

        def finished(_result=None) -> None:
            self._checkpointing = False

        def failed(message: str) -> None:
            finished()
            log.warning("checkpoint did not run: %s", message)

        run_in_background(lambda job: store.checkpoint(), on_done=finished, on_failed=failed)

    # -- dialogs from other modules (imported when used, so start-up stays quick) ---------------

    def _run_dialog(self, module: str, name: str, *args, refresh: bool = False) -> None:
        try:
            dialog_class = getattr(importlib.import_module(module), name)
            dialog = dialog_class(*args)
        except ScrdeskError as error:
            show_error(self, error)
            return
        if hasattr(dialog, "exec"):
            accepted = dialog.exec()
        else:
            dialog.show()
            accepted = False
        if refresh and accepted:
            self.refresh_all()

    def import_data(self) -> None:
        if not self.read_only:
            self._run_dialog("scrdesk.ui.import_wizard", "ImportWizard", self.store, self, refresh=True)

    def export_documents(self) -> None:
        self._run_dialog("scrdesk.ui.documents", "ExportDialog", self.store, self)

    def open_settings(self) -> None:
        if not self.read_only:
            self._run_dialog("scrdesk.ui.settings_dialog", "SettingsDialog", self.store, self, refresh=True)

    def print_current(self) -> None:
        """Ctrl+P: the current tab's document in the preview window (print, PDF, email)."""
        tab = self.current_tab()
        if hasattr(tab, "print_document"):
            tab.print_document()
            return
        kind, params = tab.document() if hasattr(tab, "document") else DEFAULT_DOCUMENTS.get(
            type(tab).__name__, ("paper", {}))
        try:
            from scrdesk.ui.documents import show_document
        except ImportError:
            self.statusBar().showMessage("Printing is not available in this build.", 5000)
            return
        show_document(self, self.store, kind, **params)

    def show_history(self) -> None:
        record = getattr(self.current_tab(), "current_record", lambda: None)()
        if record is None:
            self.statusBar().showMessage("Select a record first, then ask for its history.", 5000)
            return
        table, row_id = record
        self._run_dialog("scrdesk.ui.safety", "HistoryDialog", self.store, table, row_id, self)

    def export_subject_access(self) -> None:
        """The selected case (a referral) and its whole history, as JSON, for a subject access
        request."""
        record = getattr(self.current_tab(), "current_record", lambda: None)()
        if record is None or record[0] != "referrals":
            self.statusBar().showMessage("Select a referral on the Referrals tab first: the export "
                                         "covers that case, its reviews and their history.", 6000)
            return
        from scrdesk.ui.safety import export_subject_access

        written = export_subject_access(self, self.store, record[1])
        if written is not None:
            self.statusBar().showMessage(f"Subject access export written: {written}", 8000)

    def show_audit_log(self) -> None:
        self._run_dialog("scrdesk.ui.safety", "AuditLogView", self.store)

    def show_retention(self) -> None:
        self._run_dialog("scrdesk.ui.safety", "RetentionDialog", self.store)

    def restore_from_backup(self) -> None:
        # The dialog reopens this window's store on the restored file; then everything is re-read.
        if not self.read_only:
            self._run_dialog("scrdesk.ui.safety", "RestoreDialog", self.store, self, refresh=True)

    def check_file(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from scrdesk.store.check import run_checks

        def done(results) -> None:
            lines = [f"{'OK' if r.ok else 'PROBLEM'} — {r.name}: {r.detail}" for r in results]
            bad = [r for r in results if not r.ok and r.fatal]
            box = QMessageBox.warning if bad else QMessageBox.information
            heading = ("The file has problems; make a backup and ask for help before changing it."
                       if bad else "The file is sound.")
            box(self, "Check the file", heading + "\n\n" + "\n".join(lines))

        self.run_in_background(lambda job: run_checks(job.reader()), done, "Checking the file")

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, "About scrdesk",
                          f"<b>scrdesk {__version__}</b><br>A case tracker for a safeguarding children "
                          f"partnership's case review sub group.<br><br>Data file: {self.store.path}")

    # -- closing -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self._closed = True
        self.save_layout()
        self._heartbeat.stop()
        self._backup_timer.stop()
        QThreadPool.globalInstance().waitForDone(30_000)
        if self.owns_store and self.store is not None:
            if self._damage_found_unseen():
                log.warning("the whole-file check found damage as the window closed; the file is set aside")
                self.store.set_aside_as_damaged(self.store.run_full_check())
            elif self.automatic_backups and not self.read_only:
                try:
                    from scrdesk.store.backup import automatic_backup

                    automatic_backup(self.store, "close")
                except ScrdeskError as error:
                    log.warning("backup on close failed: %s", type(error).__name__)
            self.store.close()
        if self in _open_windows:
            _open_windows.remove(self)
        super().closeEvent(event)
