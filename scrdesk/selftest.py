"""`scrdesk --self-test`: prove an installed (or frozen) scrdesk works, end to end, in a temp folder.

Writes the demo data, exports the Ref021 6-step briefing and a chair's report in Word, runs every check of the data file, then
builds the main window once offscreen and closes it. One line per step; exit status 0 when every
step passed. Nothing outside the temp folder is touched, so it is safe on a user's laptop.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

BRIEFING_REF = "Ref021"


class StepFailed(Exception):
    """A step ran but its result is wrong; the message says what was wrong."""


def _resources(_folder: Path) -> str:
    from scrdesk.domain.resources import resources_dir

    root = resources_dir()
    missing = [part for part in ("profiles", "templates", "fonts", "demo", "icons")
               if not (root / part).is_dir()]
    if missing:
        raise StepFailed(f"{root} lacks {', '.join(missing)}")
    return str(root)


def _demo(folder: Path) -> str:
    from scrdesk.store.demo import write_demo

    path = write_demo(folder / "demo.db")
    return f"{path.name}, {path.stat().st_size // 1024} KB"


def _briefing(folder: Path) -> str:
    from scrdesk.exports import export_briefing
    from scrdesk.store.db import Store

    out = folder / "briefing.pdf"
    with Store.open(folder / "demo.db") as store:
        result = export_briefing(store, BRIEFING_REF, out)
    head = out.read_bytes()[:5]
    if head != b"%PDF-" or result.pages < 1:
        raise StepFailed(f"{out.name} is not a PDF with pages (starts {head!r}, {result.pages} pages)")
    return f"{BRIEFING_REF}, {result.pages} page{'s' if result.pages != 1 else ''}"


def _word(folder: Path) -> str:
    # Word documents come from python-docx's own template, a data file a frozen build must carry.
    import zipfile

    from scrdesk.exports import export_chair_report
    from scrdesk.store.db import Store

    out = folder / "chair-report.docx"
    with Store.open(folder / "demo.db") as store:
        export_chair_report(store, out)
    with zipfile.ZipFile(out) as document:
        if "word/document.xml" not in document.namelist():
            raise StepFailed(f"{out.name} is not a Word document")
    return f"chair's report, {out.stat().st_size // 1024} KB"


def _checks(folder: Path) -> str:
    from scrdesk.store.check import run_checks
    from scrdesk.store.db import Store

    with Store.open(folder / "demo.db", readonly=True) as store:
        results = run_checks(store)
    failed = [f"{r.name}: {r.detail}" for r in results if r.fatal and not r.ok]
    if failed:
        raise StepFailed("; ".join(failed))
    return f"{len(results)} checks"


def _window(folder: Path) -> str:
    # A self-test must run where no screen is attached (CI, a remote session): draw offscreen
    # unless the caller chose a platform.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from scrdesk.store.db import Store
    from scrdesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Its own settings file: the test window must not change the user's saved layout or recent files.
    settings = QSettings(str(folder / "selftest.ini"), QSettings.Format.IniFormat)
    with Store.open(folder / "demo.db") as store:
        window = MainWindow(store, settings=settings)
        window.show()
        app.processEvents()
        title = window.windowTitle()
        window.close()
        window.deleteLater()
        app.processEvents()
    return f"opened and closed ({title})"


STEPS: tuple[tuple[str, Callable[[Path], str]], ...] = (
    ("resources found", _resources),
    ("demo data written", _demo),
    ("briefing exported", _briefing),
    ("Word document written", _word),
    ("checks passed", _checks),
    ("main window built", _window),
)


def run_self_test(out=None) -> int:
    """Run every step, print one line each to `out` (default stdout); 0 when all passed."""
    out = out or sys.stdout
    from scrdesk import __version__

    print(f"scrdesk {__version__} self-test ({'frozen' if getattr(sys, 'frozen', False) else 'source'})",
          file=out, flush=True)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="scrdesk-selftest-") as name:
        folder = Path(name)
        for label, step in STEPS:
            started = time.perf_counter()
            try:
                detail = step(folder)
            except StepFailed as problem:
                failures += 1
                print(f"FAIL {label}: {problem}", file=out, flush=True)
                continue
            except Exception as error:  # a self-test reports every failure, whatever it is
                failures += 1
                where = traceback.extract_tb(error.__traceback__)[-1]
                print(f"FAIL {label}: {type(error).__name__}: {error} "
                      f"({Path(where.filename).name}:{where.lineno})", file=out, flush=True)
                continue
            print(f"ok   {label}: {detail} ({time.perf_counter() - started:.1f} s)", file=out, flush=True)
    print("self-test passed" if not failures else f"self-test FAILED: {failures} step(s)", file=out, flush=True)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(run_self_test())
