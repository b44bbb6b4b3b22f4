"""Start-up: paths, logging, the last-resort error handler, opening the store, showing the window.

The log is a rotating file in the user's log folder. It records what happened by record id and
ref, never a child's name: an unexpected error is logged with its type and where it happened, not
its message (a message can quote what was typed).

The window never makes a data file where one was expected without asking: a missing file is
made silently only on the very first run (the default path, never opened before, no backups);
an empty file, a read-only one, or a missing one given with --db are asked about. Ctrl+C and
SIGTERM close the window as its Quit does (a last backup, the lease released, the demo's
temporary folder removed). With no display it says so in one line instead of Qt's own text.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sys
import tempfile
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

log = logging.getLogger("scrdesk")


def _lighter_pyside_import_hook() -> None:
    """Have PySide6 ask its question of each module imported without keeping its source.

    Once PySide6 is loaded, every later import runs its `__feature__` hook, which asks whether
    the module's source mentions PySide6 through `inspect.getsource`: that leaves every module's
    whole source in `linecache` (about 5 MB by the first paint, and the reading costs start-up
    time). The same question is answered here by reading the file's bytes and letting them go.
    scrdesk uses no `__feature__`, so only the answer has to stay the same. Nothing is changed
    when PySide6 is not loaded yet, or a later PySide6 no longer has this hook.
    """
    feature = sys.modules.get("shibokensupport.feature")
    asked = getattr(feature, "_mod_uses_pyside", None)
    if asked is None or getattr(asked, "reads_bytes", False):
        return

    def uses_pyside(module) -> bool:
        source = getattr(module, "__file__", None)
        if not isinstance(source, str) or not source.endswith(".py"):
            return asked(module)  # built in, compiled or frozen: PySide6's own answer
        try:
            with open(source, "rb") as handle:
                return b"PySide6" in handle.read()
        except OSError:
            return asked(module)

    uses_pyside.reads_bytes = True
    feature._mod_uses_pyside = uses_pyside
    # What the hook read before now (every module loaded before PySide6) is a cache: let it go.
    import linecache

    linecache.clearcache()


_lighter_pyside_import_hook()  # the window's imports after this one (PySide6 may be loaded already)

LOG_BYTES = 1_000_000
LOG_FILES = 5
#: How often the window looks whether its file has finished opening in the worker.
OPENING_POLL_MS = 10
#: When the file is opened anyway if the window has not painted by then.
OPEN_UNPAINTED_MS = 300
#: How long quitting waits for work still running in the background.
BACKGROUND_WORK_WAIT_MS = 60_000
#: How often Python gets control back from Qt's event loop, so a Ctrl+C or SIGTERM is acted on.
SIGNAL_TICK_MS = 200

NO_DISPLAY = ("scrdesk needs a desktop session to show its window; for the command line see "
              "`scrdesk --help`")


def display_problem(environ=None, platform: str | None = None) -> str | None:
    """Why the window cannot be shown here, or None.

    Asked before the QApplication exists: without a display Qt prints a misleading message
    about missing xcb libraries and aborts. QT_QPA_PLATFORM set means whoever set it knows.
    """
    environ = os.environ if environ is None else environ
    platform = platform or sys.platform
    if environ.get("QT_QPA_PLATFORM"):
        return None
    if platform.startswith("linux") and not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
        return NO_DISPLAY
    return None


def log_folder() -> Path:
    from platformdirs import user_log_path

    return user_log_path("scrdesk", appauthor=False)


class RotatingLog(logging.FileHandler):
    """A log file kept to `backups` older files of about `max_bytes` each (`scrdesk.log.1` the
    newest of them), the oldest dropped: what logging.handlers.RotatingFileHandler does, without
    importing that module before the window paints (its sockets and pickling cost start-up 7 ms
    and 1 MB for this one class)."""

    def __init__(self, path: Path, max_bytes: int, backups: int):
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() + len(self.format(record)) + 1 > self.max_bytes:
                self._roll_over()
        except Exception:  # a log that cannot roll over must not stop scrdesk: write on
            self.handleError(record)
        super().emit(record)

    def _roll_over(self) -> None:
        self.stream.close()
        self.stream = None
        path = Path(self.baseFilename)
        for number in range(self.backups - 1, 0, -1):
            older = Path(f"{path}.{number}")
            if older.exists():
                os.replace(older, f"{path}.{number + 1}")
        if path.exists():
            os.replace(path, f"{path}.1")
        self.stream = self._open()


def setup_logging(folder: Path | None = None) -> Path:
    """Log INFO and above to `scrdesk.log` (five files of 1 MB, the oldest dropped)."""
    folder = folder or log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "scrdesk.log"
    root = logging.getLogger()
    if not any(isinstance(h, RotatingLog) and Path(h.baseFilename) == path for h in root.handlers):
        handler = RotatingLog(path, LOG_BYTES, LOG_FILES)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def unexpected_error_text(log_path: Path) -> str:
    return ("Something went wrong and scrdesk could not finish what you asked. Your data is safe: "
            "every change is saved in one step, so nothing half-done was kept.\n\n"
            f"If it happens again, send the log file to whoever supports scrdesk:\n{log_path}")


def make_excepthook(log_path: Path):
    """The handler for errors nothing else caught: log them, say so plainly, keep running."""

    def handle(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        from scrdesk.domain.errors import ScrdeskError

        # Where it happened as file, line and function only: not even the source lines.
        where = " < ".join(f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
                           for frame in reversed(traceback.extract_tb(tb)))
        log.error("unexpected %s at %s", exc_type.__name__, where)
        try:
            from PySide6.QtWidgets import QApplication, QMessageBox

            if QApplication.instance() is None:
                return
            parent = QApplication.activeWindow()
            if issubclass(exc_type, ScrdeskError):
                # Our own errors are written for people: show them as they are.
                QMessageBox.warning(parent, "scrdesk", str(exc))
            else:
                QMessageBox.critical(parent, "scrdesk", unexpected_error_text(log_path))
        except Exception:  # the handler of last resort must never raise itself
            log.exception("could not show the error message")

    return handle


def open_store(path: Path, parent=None, opening: Future | None = None):
    """Open the data file for the window, or say why not (and return None).

    `opening` is a `Store.open(path)` already started in another thread: its result, or its
    error, is taken here as if it had been opened now. A file held by a copy of scrdesk that
    stopped answering can be taken over after asking.
    """
    from PySide6.QtWidgets import QMessageBox

    from scrdesk.domain.errors import ScrdeskError
    from scrdesk.store.db import (
        DamagedFileError,
        EmptyFileError,
        NoDataFileError,
        PermissionProblemError,
        Store,
    )

    try:
        store = opening.result() if opening is not None else Store.open(path, create=False)
    except NoDataFileError:
        log.warning("no data file where one was expected")
        if not _confirmed(parent, _missing_text(path), "Make a new data file"):
            return None
        return _open_now(parent, lambda: Store.open(path, create=True))
    except EmptyFileError as error:
        log.warning("the data file is empty")
        if not _confirmed(parent, f"{error}\n\nMake {path.name} a new, empty data file now?",
                          "Make it a new data file"):
            return None
        return _open_now(parent, lambda: Store.open(path, adopt_empty=True))
    except PermissionProblemError as error:
        log.warning("the data file lacks a permission: %s", error.missing)
        if error.missing == "read" or not _confirmed(
                parent, f"{error}\n\nOpen it read-only, to look but not change anything?",
                "Open read-only"):
            if error.missing == "read":
                QMessageBox.critical(parent, "scrdesk", str(error))
            return None
        return _open_now(parent, lambda: Store.open(path, readonly=True))
    except DamagedFileError as error:
        # The file was set aside (never deleted); offer its newest good backup in its place.
        log.warning("the data file is damaged; it was set aside")
        from scrdesk.ui.safety import offer_backup_after_damage

        if offer_backup_after_damage(parent, error):
            return open_store(path, parent)
        return None
    except ScrdeskError as error:
        log.warning("could not open the data file: %s", type(error).__name__)
        QMessageBox.critical(parent, "scrdesk", str(error))
        return None
    except OSError as error:  # a folder, a vanished drive, no permission
        log.warning("could not open the data file: %s", type(error).__name__)
        QMessageBox.critical(parent, "scrdesk", f"scrdesk could not open {path}: "
                                                f"{error.strerror or error}.")
        return None
    holder = getattr(store, "lease_holder", None)
    if store.readonly and holder is not None and getattr(holder, "stale", False) \
            and not getattr(store, "holds_lease", False) and _take_over_confirmed(parent, holder):
        store.close()
        try:
            store = Store.open(path, take_over_stale=True)
        except ScrdeskError as error:
            QMessageBox.critical(parent, "scrdesk", str(error))
            return None
    log.info("opened data file %s (%s)", path, "read-only" if store.readonly else "editing")
    if store.anchor_warning:
        log.warning("the audit log does not match its anchor")
        QMessageBox.warning(parent, "scrdesk", store.anchor_warning)
    return store


def _missing_text(path: Path) -> str:
    folder = ("" if path.parent.is_dir()
              else f" The folder {path.parent} does not exist either: was the path mistyped, or "
                   "is a network drive not connected?")
    return (f"There is no data file at {path}.{folder}\n\nMake a new, empty data file there? "
            "Choose Cancel if you expected your records to be there.")


def _confirmed(parent, text: str, yes: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "scrdesk", text, parent=parent)
    make = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(box.buttons()[-1])  # Cancel: nothing is made by pressing Enter
    box.exec()
    return box.clickedButton() is make


def _open_now(parent, opener):
    """Open after the person agreed; a failure is shown and gives None."""
    from PySide6.QtWidgets import QMessageBox

    from scrdesk.domain.errors import ScrdeskError

    try:
        return opener()
    except (ScrdeskError, OSError) as error:
        log.warning("could not open the data file: %s", type(error).__name__)
        QMessageBox.critical(parent, "scrdesk", str(error))
        return None


def may_create_silently(path: Path) -> bool:
    """A data file is made without asking only on the very first run: at the default path, which
    scrdesk has never closed a file at and has no backups beside it. Anywhere else a missing
    file was expected (or mistyped) and the person is asked."""
    from scrdesk.store import anchor, backup
    from scrdesk.store.location import default_db_path

    return (path.expanduser().resolve() == default_db_path().resolve()
            and anchor.remembered(path) is None and not backup.backups_of(path))


def _open_in_background(path: Path):
    import sqlite3

    from scrdesk.store.db import Store

    create = may_create_silently(path)
    # Only the header is checked before the window can show the file; the whole file is
    # checked after the first paint (MainWindow), and nothing is written before that passes.
    try:
        return Store.open(path, create=create, full_check="later")
    except sqlite3.DatabaseError:
        # Damage the header check let through but opening tripped over (the schema's pages):
        # opened again with the whole check first, it is named and set aside as it always was.
        log.warning("the data file could not be read past its header; checking it in full")
        return Store.open(path, create=create)


def _take_over_confirmed(parent, holder) -> bool:
    try:
        from scrdesk.ui.safety import confirm_takeover
    except ImportError:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            parent, "scrdesk", f"{holder.describe()}.\n\nTake the file over and edit it here?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes
    return bool(confirm_takeover(parent, holder))


def run_gui(db: str | None = None, demo: bool | str = False) -> int:
    """Open the window on `db` (default: the file in the user data folder) or a demo copy
    (`demo="current"`: the current-process demo rather than the 2016-17 one)."""
    from PySide6.QtWidgets import QApplication

    _lighter_pyside_import_hook()
    from scrdesk import __version__

    if QApplication.instance() is None and (problem := display_problem()):
        print(f"scrdesk: {problem}", file=sys.stderr)
        return 1
    if db is not None and not db.strip():
        print("scrdesk: --db was given an empty path; give the data file's path", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("scrdesk")
    app.setApplicationName("scrdesk")
    app.setApplicationVersion(__version__)
    log_path = setup_logging()
    sys.excepthook = make_excepthook(log_path)
    log.info("scrdesk %s starting", __version__)
    # Ctrl+C or SIGTERM while the file opens and the window is built must still close cleanly
    # (lease released, demo folder removed): until the event loop runs, a signal is only noted.
    noted_signals: list[int] = []
    before_start = _note_signals(noted_signals)

    if demo:
        if demo == "current":
            from scrdesk.store.demo_current import write_current_demo as write_demo
        else:
            from scrdesk.store.demo import write_demo

        folder = Path(tempfile.mkdtemp(prefix="scrdesk-demo-"))
        app.aboutToQuit.connect(lambda: shutil.rmtree(folder, ignore_errors=True))
        try:
            path = Path(write_demo(folder / "demo.db"))
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            _restore_signals(before_start)
            log.exception("could not write the demo data")
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "scrdesk", "The demo data could not be written. "
                                                  + unexpected_error_text(log_path))
            return 1
    elif db:
        path = Path(db).expanduser()
    else:
        from scrdesk.store.location import default_db_path

        path = default_db_path()

    from PySide6.QtCore import Qt, QThreadPool, QTimer

    from scrdesk.ui.main_window import MainWindow

    # The frame is built and painted first ("Opening <file>…"); then the file is opened in a
    # worker (its header checked, its lease taken) and handed to the window (or its problem
    # shown, as `open_store` says) when it is open. Opening during the build only slowed the
    # frame (the two share one interpreter), and the whole-file check waits for the paint anyway.
    window = MainWindow(None, path=path, owns_store=True, demo=bool(demo))
    failed = []
    pool = ThreadPoolExecutor(max_workers=1)
    opening: list[Future] = []

    def start_opening() -> None:
        if not opening:
            opening.append(pool.submit(_open_in_background, path))
            pool.shutdown(wait=False)

    window.first_painted.connect(start_opening)
    # A window that is not painted at once (started minimised, say) still opens its file.
    QTimer.singleShot(OPEN_UNPAINTED_MS, start_opening)

    def give_up() -> None:
        failed.append(True)
        # Ended here with 1: closing the window must not also queue Qt's own quit, which would
        # outlive this loop and end the next one at once.
        window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        window.close()
        app.exit(1)

    def damaged_after_painting(error) -> None:
        # The check after the first paint found damage: the file is set aside and let go of, as
        # opening it would have done, and the same message and offer of a backup are shown.
        nonlocal window
        log.warning("the data file is damaged; it was set aside")
        from scrdesk.ui.safety import offer_backup_after_damage

        store = open_store(path, parent=window) if offer_backup_after_damage(window, error) else None
        if store is None:
            give_up()
            return
        damaged, window = window, MainWindow(store, owns_store=True, demo=bool(demo))
        window.file_damaged.connect(damaged_after_painting)
        window.show()
        damaged.close()

    window.file_damaged.connect(damaged_after_painting)

    def attach_when_opened() -> None:
        if not opening or not opening[0].done():
            return
        poll.stop()
        store = open_store(path, parent=window, opening=opening[0])
        if store is not None:
            if window.isVisible():
                window.attach_store(store)
            else:  # closed by the person while the file was opening: let go of it
                store.close()
                log.info("closed while the data file was opening")
            return
        give_up()

    poll = QTimer()
    poll.setInterval(OPENING_POLL_MS)
    poll.timeout.connect(attach_when_opened)
    poll.start()
    window.show()
    with _quit_on_signals(app, lambda: window, noted_signals):
        code = app.exec()
    _restore_signals(before_start)
    # Work still running in the background (the checks and the backup on open, a checkpoint) ends
    # before Python does: a worker left running while the interpreter shuts down crashes it, and
    # a demo's folder must not go from under a worker still reading it.
    QThreadPool.globalInstance().waitForDone(BACKGROUND_WORK_WAIT_MS)
    if poll.isActive():  # the window closed before its file was handed to it
        poll.stop()
        if opening:
            _close_when_opened(opening[0])
    if demo:  # the temporary copy goes however the loop ended
        shutil.rmtree(path.parent, ignore_errors=True)
    return 1 if failed else code


def _stop_signals() -> list[int]:
    return [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])


def _note_signals(noted: list[int]) -> dict:
    """Note Ctrl+C / SIGTERM in `noted` rather than die; returns the handlers they replaced."""
    previous = {}
    for signum in _stop_signals():
        with contextlib.suppress(ValueError, OSError):  # not the main thread: leave them be
            previous[signum] = signal.signal(signum, lambda signum, frame: noted.append(signum))
    return previous


def _restore_signals(previous: dict) -> None:
    for signum, before in previous.items():
        signal.signal(signum, before)


@contextlib.contextmanager
def _quit_on_signals(app, current_window, noted: list[int] = ()):
    """Ctrl+C and SIGTERM close the window (`current_window()`: a restored file opens in a new
    one) as Quit does, then end the event loop.

    Python runs a signal handler only when it has control, which Qt's event loop does not give
    it: a timer ticks to hand it back. The handler only schedules the close on the event loop.
    """
    from PySide6.QtCore import QTimer

    def close_window() -> None:
        window = current_window()
        if window.isVisible():
            window.close()  # closeEvent: last backup, store closed, lease released
        app.quit()

    def handle(signum, frame) -> None:
        log.info("stopping on signal %s", signum)
        QTimer.singleShot(0, close_window)

    wanted = _stop_signals()
    previous = {}
    if noted:  # asked to stop while starting: close as soon as the loop runs
        log.info("stopping on signal %s (received while starting)", noted[0])
        QTimer.singleShot(0, close_window)
    for signum in wanted:
        with contextlib.suppress(ValueError, OSError):  # not the main thread: leave them be
            previous[signum] = signal.signal(signum, handle)
    tick = QTimer()
    tick.timeout.connect(lambda: None)
    tick.start(SIGNAL_TICK_MS)
    try:
        yield
    finally:
        tick.stop()
        _restore_signals(previous)


def _close_when_opened(opening: Future) -> None:
    """The window closed before its file finished opening: let go of the file (and its lease)."""
    try:
        store = opening.result()
    except Exception as error:  # nothing was opened, so nothing to let go of
        log.info("closed while the data file was opening (%s)", type(error).__name__)
        return
    store.close()
    log.info("closed while the data file was opening")


def main() -> int:
    """The gui-script entry (no console on Windows): the same as the `scrdesk` command."""
    from scrdesk.cli import main as cli_main

    return cli_main()
