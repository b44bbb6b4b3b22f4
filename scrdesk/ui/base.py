"""Shared building blocks for the tabs: table models, the debounced filter box, the Tab base
class, and the one way to run work off the GUI thread (`run_in_background`).

Conventions (DESIGN.md): models hold plain dict rows, set with `set_rows()` inside a model reset;
big tables filter and page in SQL (`PagedQueryModel`), never in a QSortFilterProxyModel; tabs
receive the store, and talk to each other only through signals wired in the main window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from scrdesk.domain.errors import ScrdeskError

log = logging.getLogger(__name__)

#: Custom roles (vorta's pattern): the raw value to sort on, and the whole row dict.
SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2

#: Background tints for RAG colours; pale so black text stays readable when printed in grey.
RAG_BRUSHES = {
    "red": QBrush(QColor("#f8d0cc")),
    "amber": QBrush(QColor("#fde9b8")),
    "green": QBrush(QColor("#d5ecd4")),
    "blue": QBrush(QColor("#d6e4f5")),
    "grey": QBrush(QColor("#e6e6e6")),
}

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column of a RowsModel.

    `key` reads the row dict; `display` turns the row into the shown text (default: str of the
    value); `tooltip` gives the tooltip (used for RAG reasons); `colour` names a RAG colour.
    """

    key: str
    header: str
    display: Callable[[dict], str] | None = None
    tooltip: Callable[[dict], str] | None = None
    colour: Callable[[dict], str | None] | None = None
    align_right: bool = False

    def text(self, row: dict) -> str:
        if self.display is not None:
            return self.display(row)
        value = row.get(self.key)
        return "" if value is None else str(value)


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of dict rows."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None):
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[dict] = []

    def set_rows(self, rows: Sequence[dict]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[dict]:
        return self._rows

    def row_at(self, row: int) -> dict | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def column_index(self, key: str) -> int:
        for i, column in enumerate(self.columns):
            if column.key == key:
                return i
        raise KeyError(key)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt default)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SortRole:
            value = row.get(column.key)
            return "" if value is None else value
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.BackgroundRole and column.colour is not None:
            return RAG_BRUSHES.get(column.colour(row) or "")
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].key
        reverse = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        # None sorts last either way round: an empty date is not "earliest".
        present = [r for r in self._rows if r.get(key) not in (None, "")]
        missing = [r for r in self._rows if r.get(key) in (None, "")]
        present.sort(key=lambda r: _sort_key(r.get(key)), reverse=reverse)
        self._rows = present + missing
        self.layoutChanged.emit()


def _sort_key(value: Any) -> tuple:
    if isinstance(value, int | float):
        return (0, value, "")
    return (1, 0, str(value).casefold())


class PagedQueryModel(RowsModel):
    """A RowsModel whose rows come from SQL a page at a time (qutebrowser's pattern).

    `fetch(filter_text, order_by, offset, limit) -> list[dict]` runs the query; the view asks
    for more with `fetchMore` as it scrolls. Sorting re-queries with an ORDER BY rather than
    sorting in Python, so 20,000 rows never cross into Qt at once.
    """

    PAGE = 200

    def __init__(self, columns: Sequence[Column],
                 fetch: Callable[[str, str, int, int], list[dict]],
                 parent: QObject | None = None):
        super().__init__(columns, parent)
        self._fetch = fetch
        self._filter = ""
        self._order_by = ""
        self._exhausted = True

    def reload(self, filter_text: str | None = None) -> None:
        if filter_text is not None:
            self._filter = filter_text
        rows = self._fetch(self._filter, self._order_by, 0, self.PAGE)
        self._exhausted = len(rows) < self.PAGE
        self.set_rows(rows)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        more = self._fetch(self._filter, self._order_by, len(self._rows), self.PAGE)
        self._exhausted = len(more) < self.PAGE
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].key
        direction = "DESC" if order == Qt.SortOrder.DescendingOrder else "ASC"
        # Empty values last, whichever way round.
        self._order_by = f'"{key}" IS NULL, "{key}" {direction}'
        self.reload()


class FilterBox(QLineEdit):
    """A search box that emits `filter_settled` once typing pauses, not on every key."""

    filter_settled = Signal(str)

    DELAY_MS = 150

    def __init__(self, placeholder: str = "Filter…", parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setAccessibleName(placeholder.rstrip("…"))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.textChanged.connect(self._timer.start)

    def _on_timer_timeout(self) -> None:
        self.filter_settled.emit(self.text())

    def settle_now(self) -> None:
        """Emit at once (tests, and the Return key)."""
        self._timer.stop()
        self.filter_settled.emit(self.text())


class Tab(QWidget):
    """Base of every main-window tab.

    Signals: `record_requested(kind, id)` asks the main window to show a record in its own tab;
    `records_changed(table)` tells the main window that data changed so other tabs can refresh;
    `tab_requested(class_name)` asks it to show another tab as a whole.
    """

    record_requested = Signal(str, int)
    records_changed = Signal(str)
    status_message = Signal(str)
    tab_requested = Signal(str)

    title = "Tab"

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store

    def refresh(self) -> None:
        """Re-read what this tab shows from the store."""

    def set_read_only(self, read_only: bool) -> None:
        """Disable every control that would change data."""

    def show_record(self, kind: str, row_id: int) -> bool:
        """Select and show one record; True when this tab owns that kind."""
        return False


def make_button(text: str, tip: str = "", name: str | None = None) -> QPushButton:
    """A push button with an accessible name (its text without the trailing "…" by default)."""
    made = QPushButton(text)
    made.setAccessibleName(name or text.rstrip("…"))
    if tip:
        made.setToolTip(tip)
    return made


def record_table(accessible_name: str, model: QAbstractTableModel | None = None, *,
                 object_name: str | None = None) -> QTableView:
    """A read-only list of records: whole rows selected one at a time, alternate shading, no row
    numbers. Tabs add sorting and column sizes of their own."""
    view = QTableView()
    if object_name:
        view.setObjectName(object_name)
    view.setAccessibleName(accessible_name)
    if model is not None:
        view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    return view


# -- fitting windows to the screen -------------------------------------------------------------

#: Room left for a window's title bar and borders, which Qt's sizes do not include.
FRAME_ALLOWANCE = QSize(16, 40)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The part of the widget's screen (else the primary one) that windows may use: the screen
    less its task bar and docks."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def size_within_screen(wanted: QSize, widget: QWidget | None = None) -> QSize:
    """`wanted`, made smaller where needed so that the window and its frame fit the screen."""
    area = available_geometry(widget)
    return QSize(min(wanted.width(), area.width() - FRAME_ALLOWANCE.width()),
                 min(wanted.height(), area.height() - FRAME_ALLOWANCE.height()))


def keep_on_screen(window: QWidget) -> None:
    """Shrink and move a window (after restoring a saved geometry, say) so that all of it, frame
    included, is on the available screen: a size saved on a big monitor must not leave the status
    bar below the edge of a laptop's."""
    area = available_geometry(window)
    size = size_within_screen(window.size(), window)
    if size != window.size():
        window.resize(size)
    frame = window.frameGeometry()
    width = max(frame.width(), size.width() + FRAME_ALLOWANCE.width())
    height = max(frame.height(), size.height() + FRAME_ALLOWANCE.height())
    x = min(max(frame.x(), area.left()), area.right() + 1 - width)
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - height)
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, area.left()), max(y, area.top()))


def show_error(parent: QWidget | None, error: BaseException, title: str = "scrdesk") -> None:
    """A user's mistake or a refused write, in plain words (never a traceback)."""
    text = str(error) if isinstance(error, ScrdeskError) else f"Something went wrong: {error}"
    from PySide6.QtWidgets import QMessageBox  # here: the frame shows no message box

    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, destructive_label: str = "Delete") -> bool:
    """Ask before destroying anything; the safe answer is the default."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    go = box.addButton(destructive_label, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is go


# -- background work (picard's pattern: a QThreadPool, results back on the GUI thread) ---------
#
# The one connection rule: work off the GUI thread never reads through the window's connection.
# It gets a `Job`, and `job.reader()` opens a read-only connection of its own on the same file
# (closed when the work ends). The import's single write transaction is the only work that
# writes, through `job.writer()`, again a connection of its own. SQLite connections must not be
# shared across threads, and a worker must never see the window's half-done transaction.

class Job:
    """What a piece of background work is handed: its own connections, and a progress call."""

    def __init__(self, data_file: Path | None, user: str | None, journal_mode: str | None,
                 report: Callable[[int, int, str], None]):
        self.data_file = data_file
        self._user = user
        self._journal_mode = journal_mode
        self._report = report
        self._opened: list = []

    def reader(self):
        """A read-only connection of this job's own to the data file."""
        return self._open(readonly=True)

    def writer(self):
        """A writable connection of this job's own (the import's one write transaction only)."""
        return self._open(readonly=False)

    def _open(self, *, readonly: bool):
        from scrdesk.store.db import Store

        if self.data_file is None:
            raise ScrdeskError("This work was started without a data file to read.")
        opened = Store.open(self.data_file, readonly=readonly, create=False, user=self._user,
                            journal_mode=self._journal_mode)
        self._opened.append(opened)
        return opened

    def progress(self, done: int, total: int = 100, text: str = "") -> None:
        self._report(done, total, text)

    def close(self) -> None:
        while self._opened:
            self._opened.pop().close()


class _Runnable(QRunnable):
    def __init__(self, task: BackgroundTask):
        super().__init__()
        # Python owns it (kept by its task until the result is in), so Qt must not delete it.
        self.setAutoDelete(False)
        self.task = task

    def run(self) -> None:
        self.task._run_off_gui_thread()


class BackgroundTask(QObject):
    """One piece of work on a thread pool. `succeeded(result)`, `failed(message)` and
    `progressed(done, total, text)` are emitted on the GUI thread, so anything connected to
    them may touch widgets. Made by `run_in_background`."""

    succeeded = Signal(object)
    failed = Signal(str)
    progressed = Signal(int, int, str)
    #: Emitted from the worker thread; relayed by this object's slots, which run on the GUI
    #: thread because this object lives there (a queued connection).
    _result_ready = Signal(object)
    _error_ready = Signal(str)
    _progress_ready = Signal(int, int, str)

    def __init__(self, work: Callable[[Job], object], data_file=None, parent: QObject | None = None):
        super().__init__(parent)
        self.work = work
        # Only the file's name and how to open it cross to the worker, never the connection.
        self.data_path = Path(data_file.path) if data_file is not None else None
        self._user = getattr(data_file, "user", None)
        self._journal_mode = getattr(data_file, "journal_mode", None)
        self.finished = False
        self.runnable: QRunnable | None = None
        self._result_ready.connect(self._on_result_ready, Qt.ConnectionType.QueuedConnection)
        self._error_ready.connect(self._on_error_ready, Qt.ConnectionType.QueuedConnection)
        self._progress_ready.connect(self._on_progress_ready, Qt.ConnectionType.QueuedConnection)

    def _run_off_gui_thread(self) -> None:
        job = Job(self.data_path, self._user, self._journal_mode, self._progress_ready.emit)
        try:
            result = self.work(job)
        except ScrdeskError as error:
            self._error_ready.emit(str(error))
        except Exception as error:  # a worker must always report back, or its window waits forever
            log.exception("background work failed")
            self._error_ready.emit(f"Something went wrong: {error}")
        else:
            self._result_ready.emit(result)
        finally:
            job.close()

    @Slot(object)
    def _on_result_ready(self, result) -> None:
        self.finished = True
        _running.discard(self)
        self.succeeded.emit(result)

    @Slot(str)
    def _on_error_ready(self, message: str) -> None:
        self.finished = True
        _running.discard(self)
        self.failed.emit(message)

    @Slot(int, int, str)
    def _on_progress_ready(self, done: int, total: int, text: str) -> None:
        self.progressed.emit(done, total, text)


#: Tasks in flight, kept here so Python does not collect one before its result arrives.
_running: set[BackgroundTask] = set()


def run_in_background(work: Callable[[Job], object], *, data_file=None,
                      on_done: Callable[[object], None] | None = None,
                      on_failed: Callable[[str], None] | None = None,
                      on_progress: Callable[[int, int, str], None] | None = None,
                      pool: QThreadPool | None = None) -> BackgroundTask:
    """Run `work(job)` on `pool` (the global one by default). `data_file` is the window's store:
    only its path is used, for `job.reader()`. The callbacks run on the GUI thread."""
    task = BackgroundTask(work, data_file)
    if on_done is not None:
        task.succeeded.connect(on_done)
    if on_failed is not None:
        task.failed.connect(on_failed)
    if on_progress is not None:
        task.progressed.connect(on_progress)
    _running.add(task)
    task.runnable = _Runnable(task)
    (pool or QThreadPool.globalInstance()).start(task.runnable)
    return task
