"""Speed and memory of scrdesk at twenty years' scale, each figure against a baseline measured in
the same run (see benchmarks/README.md).

    python benchmarks/run.py [--quick] [--json FILE] [--db LARGE.db] [--xlarge-db XLARGE.db] [--cache DIR]

Start-up and memory run in fresh subprocesses (offscreen Qt), timed from process start in this
process to a marker the child prints after the window's first paint. The other figures run here.
A figure whose code has not landed yet is reported as "not available yet", never invented.
The growth figures measure start-up, filter, annual and dashboard on the large sample and on the
extra-large one (five times its records), side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import importlib
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
PAINTED = "SCRDESK-BENCH-PAINTED"
PEAK = "SCRDESK-BENCH-PEAK-KB"
SECONDS = "SCRDESK-BENCH-SECONDS"

#: key -> (figure, comparison, target, must); "ratio"/"median_ms"/"app_s" lower is better.
LIMITS = {
    "startup": ("ratio", "<=", 1.3, 2.0),
    "filter": ("median_ms", "<=", 8.0, 16.0),
    "briefing": ("ratio", "<=", 2.0, 3.0),
    "annual": ("app_s", "<=", 0.1, 0.3),
    "import": ("rows_per_s", ">=", 20_000, 5_000),
    "memory": ("ratio", "<=", 1.3, 1.6),
}

#: The growth figures: key -> (figure in "growth", must: at most this many times the large figure).
GROWTH = {"startup": "startup_s", "filter": "filter_ms", "annual": "annual_s", "dashboard": "dashboard_ms"}
GROWTH_MUST = 1.5
SIZES = ("large", "xlarge")

WINDOW_SIZE = (1366, 768)  # the usual council laptop screen


class NotAvailable(Exception):
    """The code this figure measures has not landed yet."""


def _need(module: str, *names: str):
    """Import `module` (and check it has `names`), or say plainly that it is not there yet."""
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name and module.startswith(error.name):
            raise NotAvailable(f"{module} is not there yet") from None
        raise
    missing = [n for n in names if not hasattr(found, n)]
    if missing:
        raise NotAvailable(f"{module} has no {', '.join(missing)} yet")
    return found


# -- the child processes ---------------------------------------------------------------------

def peak_rss_kb() -> int:
    """This process's peak resident memory in KiB (Linux, macOS and Windows)."""
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                        ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                        ("QuotaPeakPagedPoolUsage", ctypes.c_size_t), ("QuotaPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaNonPagedPoolUsage", ctypes.c_size_t), ("PagefileUsage", ctypes.c_size_t),
                        ("PeakPagefileUsage", ctypes.c_size_t)]

        counters = Counters()
        counters.cb = ctypes.sizeof(counters)
        process = ctypes.windll.kernel32.GetCurrentProcess()
        ctypes.windll.psapi.GetProcessMemoryInfo(process, ctypes.byref(counters), counters.cb)
        return counters.PeakWorkingSetSize // 1024
    if sys.platform == "darwin":
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    # Not ru_maxrss: Linux carries the parent's peak across fork and exec into it, so a child of
    # a big parent would report the parent's size. VmHWM belongs to this program's own memory.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("cannot read this process's peak memory (no VmHWM in /proc/self/status)")


def child_window(kind: str, db: str | None, settle_ms: int) -> int:
    """Start the real app (`scrdesk.app.run_gui`, exactly as the `scrdesk` command does) or the
    bare baseline window; print a marker after the main window's first paint, let the event loop
    settle, print the peak memory, close the window and quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget

    app = QApplication(sys.argv[:1])

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched, event):  # noqa: N802 (Qt override)
            if (not self.seen and event.type() == QEvent.Type.Paint
                    and isinstance(watched, QMainWindow)):
                self.seen = True
                # After this paint event has been handled: the window is on screen.
                QTimer.singleShot(0, painted)
            return False

    def painted() -> None:
        print(PAINTED, flush=True)
        QTimer.singleShot(settle_ms, finish)

    def finish() -> None:
        print(f"{PEAK} {peak_rss_kb()}", flush=True)
        for widget in app.topLevelWidgets():
            widget.close()
        app.quit()

    def stuck() -> None:
        # A dialog waiting for an answer nobody can give offscreen: fail rather than hang.
        shown = [f"{type(w).__name__} {w.windowTitle()!r} {getattr(w, 'text', lambda: '')()!r}"
                 for w in app.topLevelWidgets() if w.isVisible()]
        print(f"the window did not paint and settle within 90 s; showing: {shown}",
              file=sys.stderr, flush=True)
        os._exit(3)

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    QTimer.singleShot(90_000, stuck)
    if kind == "app":
        from scrdesk.app import run_gui

        return run_gui(db=db)
    window = QMainWindow()
    window.setWindowTitle("baseline")
    window.setCentralWidget(QTabWidget())
    window.resize(*WINDOW_SIZE)
    window.show()
    return app.exec()


def child_briefing(kind: str, db: str, out: str) -> int:
    """One briefing PDF (or the minimal baseline document) in a fresh process, timed from before
    the first import of ReportLab: what the first export of a session costs. The data file is
    opened before the clock starts, as it is in the window."""
    if kind == "app":
        from scrdesk.store.db import Store

        with Store.open(db) as store:
            ref = _briefing_ref(store)
            started = time.perf_counter()
            from scrdesk.exports import export_briefing

            export_briefing(store, ref, Path(out))
            seconds = time.perf_counter() - started
    else:
        started = time.perf_counter()
        _minimal_reportlab_document(Path(out))
        seconds = time.perf_counter() - started
    print(f"{SECONDS} {seconds:.6f}", flush=True)
    return 0


def _minimal_reportlab_document(out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from scrdesk.domain.resources import resource_path

    regular = sorted(resource_path("fonts").rglob("*-Regular.ttf"))[0]
    pdfmetrics.registerFont(TTFont("BaselineFont", str(regular)))
    style = ParagraphStyle("body", fontName="BaselineFont", fontSize=11, leading=14)
    doc = SimpleDocTemplate(str(out), pagesize=A4)
    doc.build([Paragraph("A one-page document in the bundled font.", style)])


def _briefing_ref(store) -> str:
    """The referral ref of a review with an issued six-step briefing (the newest one)."""
    row = store.row(
        "SELECT rf.ref FROM briefings b JOIN review_referrals rr ON rr.review_id = b.review_id "
        "JOIN referrals rf ON rf.id = rr.referral_id WHERE b.template = 'six_step' "
        "AND b.status = 'issued' ORDER BY b.issued_date DESC, rf.ref LIMIT 1")
    if row is None:
        raise NotAvailable("the data file has no issued six-step briefing")
    return row["ref"]


# -- running children from here --------------------------------------------------------------

def _child_command(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", *args]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_window(kind: str, db: Path | None, settle_ms: int) -> tuple[float, float]:
    """(seconds from process start to first paint, peak RSS in MB) of one fresh child."""
    args = ["window", kind, "--settle-ms", str(settle_ms)]
    if db is not None:
        args += ["--db", str(db)]
    started = time.perf_counter()
    child = subprocess.Popen(_child_command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=_env())
    painted_at = None
    peak_kb = None
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith(PAINTED) and painted_at is None:
            painted_at = time.perf_counter()
        elif line.startswith(PEAK):
            peak_kb = int(line.split()[1])
    _, errors = child.communicate(timeout=120)
    if child.returncode != 0 or painted_at is None or peak_kb is None:
        raise RuntimeError(f"the {kind} window child failed (exit {child.returncode}):\n{errors[-2000:]}")
    return painted_at - started, peak_kb / 1024


def run_briefing_child(kind: str, db: Path, out: Path) -> float:
    done = subprocess.run(_child_command("briefing", kind, "--db", str(db), "--out", str(out)),
                          capture_output=True, text=True, env=_env(), timeout=300)
    for line in done.stdout.splitlines():
        if line.startswith(SECONDS):
            return float(line.split()[1])
    raise RuntimeError(f"the {kind} briefing child failed (exit {done.returncode}):\n{done.stderr[-2000:]}")


# -- the figures -----------------------------------------------------------------------------

def bench_startup_and_memory(db: Path, runs: int, settle_ms: int) -> tuple[dict, dict]:
    _need("scrdesk.ui.main_window", "MainWindow")
    _need("scrdesk.app", "run_gui")
    from scrdesk.store.db import Store

    # A run that crashed can leave its lease behind; the app would then ask (offscreen, where
    # nobody can answer) whether to take the file over.
    Store.open(db, take_over_stale=True).close()
    app_times, app_mb, base_times, base_mb = [], [], [], []
    # One unmeasured run each: the disk cache is warm and the app's first backup of the file is
    # made, as on any working day after the first.
    run_window("baseline", None, settle_ms)
    run_window("app", db, settle_ms)
    # Interleaved, so a busy moment on the machine hits both sides alike.
    for _ in range(runs):
        seconds, mb = run_window("baseline", None, settle_ms)
        base_times.append(seconds)
        base_mb.append(mb)
        seconds, mb = run_window("app", db, settle_ms)
        app_times.append(seconds)
        app_mb.append(mb)
    app_s, base_s = statistics.median(app_times), statistics.median(base_times)
    app_m, base_m = statistics.median(app_mb), statistics.median(base_mb)
    startup = {"app_s": round(app_s, 3), "baseline_s": round(base_s, 3), "ratio": round(app_s / base_s, 3),
               "runs": runs, "app_runs_s": [round(t, 3) for t in app_times],
               "baseline_runs_s": [round(t, 3) for t in base_times]}
    memory = {"app_mb": round(app_m, 1), "baseline_mb": round(base_m, 1), "ratio": round(app_m / base_m, 3),
              "runs": runs, "settle_ms": settle_ms}
    return startup, memory


def bench_filter(db: Path, rounds: int) -> dict:
    """Text typed in the action plan's filter box until its model holds the first page of the
    result (the figure), until the view has also laid out and painted it (`painted_median_ms`),
    and until the count of every match that follows the paint is shown too (`counted_median_ms`),
    in the tab's default view (grouped by review) and, for comparison, its flat list."""
    actions_ui = _need("scrdesk.ui.actions", "ActionPlanTab")
    from PySide6.QtWidgets import QApplication

    from scrdesk.store.db import Store

    app = QApplication.instance() or QApplication(sys.argv[:1])
    terms = ["safe sleeping", "nurse", "curiosity", "WDAS", "Ref0123", "escalation", "audit",
             "no such words", "voice of the child", "dip sample", "strategy", "fathers", "A&E", ""]

    def typed(tab) -> tuple[list[float], list[float], list[float]]:
        model, painted, counted = [], [], []
        for round_number in range(rounds):
            text = terms[round_number % len(terms)]
            started = time.perf_counter()
            tab.filter_box.setText(text)
            tab.filter_box.settle_now()  # runs the query and resets the model, synchronously
            model.append((time.perf_counter() - started) * 1000)
            tab.repaint()  # lays out and paints the changed model, at once
            painted.append((time.perf_counter() - started) * 1000)
            app.processEvents()  # anything owed after the paint (a search's count of every match)
            counted.append((time.perf_counter() - started) * 1000)
        return model, painted, counted

    with Store.open(db, readonly=True) as store:
        rows = store.scalar("SELECT count(*) FROM actions")
        tab = actions_ui.ActionPlanTab(store)
        tab.resize(*WINDOW_SIZE)
        tab.show()
        app.processEvents()
        grouped, grouped_painted, grouped_counted = typed(tab)
        flat = flat_painted = flat_counted = []
        found = tab.view_combo.findData("flat")
        if found >= 0:
            tab.view_combo.setCurrentIndex(found)
            app.processEvents()
            flat, flat_painted, flat_counted = typed(tab)
        tab.close()
        tab.deleteLater()
        app.processEvents()
    figures = {"median_ms": round(statistics.median(grouped), 2), "rows": rows,
               "max_ms": round(max(grouped), 2),
               "painted_median_ms": round(statistics.median(grouped_painted), 2),
               "counted_median_ms": round(statistics.median(grouped_counted), 2),
               "rounds": rounds, "view": "by review (default)"}
    if flat:
        figures["flat_median_ms"] = round(statistics.median(flat), 2)
        figures["flat_painted_median_ms"] = round(statistics.median(flat_painted), 2)
        figures["flat_counted_median_ms"] = round(statistics.median(flat_counted), 2)
    return figures


def bench_briefing(db: Path, runs: int, work: Path) -> dict:
    _need("scrdesk.exports", "export_briefing")
    app_times, base_times = [], []
    for run in range(runs):
        base_times.append(run_briefing_child("baseline", db, work / f"baseline-{run}.pdf"))
        app_times.append(run_briefing_child("app", db, work / f"briefing-{run}.pdf"))
    app_s, base_s = statistics.median(app_times), statistics.median(base_times)
    return {"app_s": round(app_s, 3), "baseline_s": round(base_s, 3), "ratio": round(app_s / base_s, 3),
            "runs": runs}


def bench_annual(db: Path, runs: int) -> dict:
    annual = _need("scrdesk.store.annual", "annual_report")
    from scrdesk.store.db import Store

    timings = []
    with Store.open(db, readonly=True) as store:
        years = [2016, 2024]
        for run in range(runs):
            started = time.perf_counter()
            json.dumps(annual.annual_report(store, years[run % len(years)]), ensure_ascii=False)
            timings.append(time.perf_counter() - started)
    return {"app_s": round(statistics.median(timings), 4), "max_s": round(max(timings), 4), "runs": runs}


#: The decisions an old tracker's "Decision" column holds, in its own words.
TRACKER_DECISIONS = ("No further action required", "Case Mapping Exercise", "Single Agency Review",
                     "Rapid review", "Local Child Safeguarding Practice Review", "NFA")


def write_import_file(path: Path, rows: int, first_number: int, settings) -> None:
    """A tracker's referrals sheet as people keep it: UK dates, labels, loose headings.

    Each row's decision is one its framework offers on its decision date, as in a real tracker:
    Working Together 2015's decisions before the partnership's switch to the 2018 arrangements
    (`settings`, the target file's), today's after. The importer refuses a rapid review decided
    under 2015 rules, as it should."""
    from scrdesk.domain.profiles import decision_code_from_text, framework_for, get_profile

    offered: dict[str, list[str]] = {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Ref", "Date received", "Summary", "Location", "Gender", "Age", "Decision",
                      "Decision date", "Source", "Status"])
        for n in range(rows):
            day, month, year = 1 + n % 28, 1 + n % 12, 2008 + n % 17
            decided = date(year, month, min(day + 1, 28))
            code = framework_for({"decision_date": decided}, settings)
            if code not in offered:
                codes = get_profile(code).decision_codes
                offered[code] = [text for text in TRACKER_DECISIONS if decision_code_from_text(text) in codes]
            decisions = offered[code]
            out.writerow([f"Ref{first_number + n:05d}", f"{day:02d}/{month:02d}/{year}", "Neglect",
                          "Brackenby", ("Male", "Female", "Both")[n % 3],
                          ("6 wks", "4 mths", "1 yr 11 mths", "12 yrs", "Various")[n % 5],
                          decisions[n % len(decisions)], f"{decided.day:02d}/{month:02d}/{year}",
                          ("Agency referral", "SIN")[n % 2], "Imported from the old tracker"])


def bench_import(db: Path, rows: int, work: Path) -> dict:
    importer = _need("scrdesk.store.importer", "read_table", "plan_import", "apply_import")
    from scrdesk.store.db import Store

    target = work / "import-target.db"
    with contextlib.closing(sqlite3.connect(db)) as source, contextlib.closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        # The copy is nobody's open file: drop the lease it carried over from the original.
        with contextlib.suppress(sqlite3.OperationalError):
            copy.execute("DELETE FROM lease")
            copy.commit()
    sheet = work / "referrals.csv"
    with Store.open(target) as store:
        write_import_file(sheet, rows, first_number=50_000, settings=store.settings())
        started = time.perf_counter()
        plan = importer.plan_import(store, "referrals", importer.read_table(sheet))
        if plan.errors:
            raise RuntimeError(f"the import file has problems: {[e.describe() for e in plan.errors[:3]]}")
        planned = time.perf_counter()
        importer.apply_import(store, plan)
        finished = time.perf_counter()
        imported = store.scalar("SELECT count(*) FROM referrals WHERE ref >= 'Ref50000'")
    if imported != rows:
        raise RuntimeError(f"{rows} rows planned but {imported} imported")
    seconds = finished - started
    return {"rows": rows, "app_s": round(seconds, 3), "rows_per_s": round(rows / seconds),
            "plan_s": round(planned - started, 3), "apply_s": round(finished - planned, 3)}


def bench_dashboard(db: Path, runs: int) -> dict:
    """Everything the Dashboard tab shows when it is filled (`DashboardTab.refresh`): the
    settings, the day, and `queries.dashboard` for that day. A group of overdue actions is read
    only when opened, so it is not in the figure."""
    queries = _need("scrdesk.store.queries", "dashboard", "today_for")
    from scrdesk.store.db import Store

    timings = []
    with Store.open(db, readonly=True) as store:
        for _ in range(runs):
            started = time.perf_counter()
            store.settings().due_soon_days  # noqa: B018 (the tab reads it; cached after the first)
            queries.dashboard(store, queries.today_for(store))
            timings.append(time.perf_counter() - started)
    return {"app_ms": round(statistics.median(timings) * 1000, 2), "max_ms": round(max(timings) * 1000, 2),
            "runs": runs}


def bench_startup_growth(dbs: dict[str, Path], runs: int, settle_ms: int) -> dict:
    """The app's start-up (process start to first paint) on each sample, interleaved so a busy
    moment on the machine hits both alike; one unmeasured run of each first."""
    _need("scrdesk.app", "run_gui")
    from scrdesk.store.db import Store

    for db in dbs.values():
        Store.open(db, take_over_stale=True).close()
        run_window("app", db, settle_ms)
    times: dict[str, list[float]] = {size: [] for size in dbs}
    for _ in range(runs):
        for size, db in dbs.items():
            times[size].append(run_window("app", db, settle_ms)[0])
    return {size: {"app_s": round(statistics.median(t), 3), "runs_s": [round(x, 3) for x in t]}
            for size, t in times.items()}


def bench_growth(dbs: dict[str, Path], quick: bool, settle_ms: int) -> dict:
    """Start-up, filter, annual and dashboard on the large and the extra-large sample, each pair
    measured one straight after the other, with the ratio of each (xlarge over large)."""
    runs = 3 if quick else 7
    growth: dict = {"sizes": list(dbs)}
    notes: dict[str, str] = {}

    def pair(figure: str, measure: Callable[[Path], float]) -> None:
        try:
            growth[figure] = [measure(db) for db in dbs.values()]
        except NotAvailable as why:
            growth[figure] = [None] * len(dbs)
            notes[figure] = str(why)
        print(f"  growth {figure}: {growth[figure]}", flush=True)

    try:
        started = bench_startup_growth(dbs, runs, settle_ms)
        growth["startup_s"] = [started[size]["app_s"] for size in dbs]
        growth["startup_runs_s"] = [started[size]["runs_s"] for size in dbs]
    except NotAvailable as why:
        growth["startup_s"] = [None] * len(dbs)
        notes["startup_s"] = str(why)
    print(f"  growth startup_s: {growth['startup_s']}", flush=True)
    filters: dict[str, dict] = {}

    def filter_first_page(db: Path) -> float:
        filters[db.name] = bench_filter(db, 15 if quick else 60)
        return filters[db.name]["median_ms"]

    pair("filter_ms", filter_first_page)
    # Not a growth figure, kept beside it: the paint, and the count of every match after it.
    for extra in ("painted_median_ms", "counted_median_ms", "flat_median_ms"):
        growth[f"filter_{extra}"] = [filters.get(db.name, {}).get(extra) for db in dbs.values()]
    pair("annual_s", lambda db: bench_annual(db, 6 if quick else 20)["app_s"])
    pair("dashboard_ms", lambda db: bench_dashboard(db, 10 if quick else 30)["app_ms"])
    growth["ratios"] = {key: (round(found[-1] / found[0], 2) if None not in found and found[0] else None)
                        for key, figure in GROWTH.items() for found in [growth[figure]]}
    if notes:
        growth["not_available"] = notes
    return growth


def growth_verdicts(growth: dict) -> dict[str, tuple[str, str]]:
    """("pass"|"FAIL"|"n/a", text) for each growth ratio against its must."""
    verdicts = {}
    for key, figure in GROWTH.items():
        ratio = growth.get("ratios", {}).get(key)
        name = f"growth.{key}"
        if ratio is None:
            verdicts[name] = ("n/a", f"{name}: not available ({growth.get('not_available', {}).get(figure, 'no figure')})")
            continue
        status = "pass" if ratio <= GROWTH_MUST else "FAIL"
        large, xlarge = growth[figure]
        verdicts[name] = (status, f"{name} = {ratio}x ({figure} {large} -> {xlarge}; must <= {GROWTH_MUST}x: {status})")
    return verdicts


# -- the samples -----------------------------------------------------------------------------

def _sample_key(size: str) -> str:
    """A cached sample's name: its size and what decides its contents (the sample writer, the
    schema and the audit log's code), so a change to any of them writes it afresh."""
    from scrdesk.store import audit, sample, schema

    digest = hashlib.sha256()
    for module in (sample, schema, audit):
        digest.update(Path(module.__file__).read_bytes())
    return f"{size}-schema{schema.SCHEMA_VERSION}-{digest.hexdigest()[:12]}.db"


def sample_file(size: str, given: str | None, work: Path, cache: Path | None) -> tuple[Path, dict]:
    """The sample of `size` to measure: the file given, a cached one, or one written now (into
    the cache folder when there is one, else the temporary folder)."""
    if given:
        return Path(given), {"source": "given", "mb": round(Path(given).stat().st_size / 1e6, 1)}
    folder = cache or work
    path = folder / (_sample_key(size) if cache else f"{size}.db")
    # Written in place (the app remembers a file's audit head by its path), and marked complete
    # beside it: a write cut short is written again rather than used.
    done = path.with_name(path.name + ".complete")
    if path.exists() and done.exists():
        return path, {"source": "cached", "mb": round(path.stat().st_size / 1e6, 1),
                      **json.loads(done.read_text(encoding="utf-8"))}
    from scrdesk.store.sample import write_sample

    folder.mkdir(parents=True, exist_ok=True)
    # This sample cut short, and the same size's samples from older code: no longer used.
    stale = [path, *folder.glob(path.name + "-*")]
    if cache:
        stale += [old for old in folder.glob(f"{size}-schema*") if not old.name.startswith(path.name)]
    for leftover in stale:
        leftover.unlink(missing_ok=True)
    print(f"writing the {size} sample…", flush=True)
    started = time.perf_counter()
    counts = write_sample(path, size)
    seconds = round(time.perf_counter() - started, 1)
    done.write_text(json.dumps({"seconds": seconds, "counts": counts}) + "\n", encoding="utf-8")
    info = {"source": "written", "seconds": seconds, "mb": round(path.stat().st_size / 1e6, 1), "counts": counts}
    print(f"  {info['seconds']} s, {info['mb']} MB", flush=True)
    return path, info


# -- reporting -------------------------------------------------------------------------------

def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    import PySide6

    return {"cpus": os.cpu_count(), "memory_gb": memory_gb, "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(),
            "pyside6": PySide6.__version__, "sqlite": sqlite3.sqlite_version}


def verdict(key: str, figures: dict) -> tuple[str, str]:
    """("pass"|"FAIL"|"n/a", text) against the must; the target is shown beside it."""
    if not figures.get("available", True):
        return "n/a", f"{key}: not available yet ({figures['reason']})"
    field, comparison, target, must = LIMITS[key]
    value = figures[field]
    better = (lambda a, b: a <= b) if comparison == "<=" else (lambda a, b: a >= b)
    status = "pass" if better(value, must) else "FAIL"
    aim = "meets target" if better(value, target) else f"misses target {comparison} {target}"
    return status, f"{key}.{field} = {value} (must {comparison} {must}: {status}; {aim})"


def measure(keys: tuple[str, ...], results: dict, run: Callable[[], tuple[dict, ...]]) -> None:
    """Run one benchmark that yields a figure for each of `keys`, or mark them all not available."""
    print(f"measuring {' and '.join(keys)}…", flush=True)
    started = time.perf_counter()
    try:
        found = run()
    except NotAvailable as why:
        found = tuple({"available": False, "reason": str(why)} for _ in keys)
    for key, figures in zip(keys, found, strict=True):
        results[key] = figures
        print(f"  {key}: {json.dumps(figures)}  ({time.perf_counter() - started:.1f} s)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs: a few minutes with the samples written")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--db", metavar="LARGE.db",
                        help="use this large sample instead of writing a fresh one (opened as the window opens it)")
    parser.add_argument("--xlarge-db", metavar="XLARGE.db",
                        help="use this extra-large sample (scrdesk sample --size xlarge) for the growth figures")
    parser.add_argument("--cache", metavar="DIR",
                        help="keep the samples written in DIR and use them again on later runs")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--settle-ms", type=int, default=500, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        what, kind = args.child
        if what == "window":
            return child_window(kind, args.db, args.settle_ms)
        return child_briefing(kind, args.db, args.out)

    runs = 3 if args.quick else 7
    # An installed copy runs compiled bytecode (the bundle ships .pyc files); a checkout run with
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module in every measured child.
    import compileall

    compileall.compile_dir(str(HERE.parent / "scrdesk"), quiet=1)
    began = time.perf_counter()
    results: dict = {"quick": args.quick, "machine": machine()}
    cache = Path(args.cache) if args.cache else None
    with tempfile.TemporaryDirectory(prefix="scrdesk-bench-") as folder:
        work = Path(folder)
        dbs, results["samples"] = {}, {}
        for size, given in zip(SIZES, (args.db, args.xlarge_db), strict=True):
            dbs[size], results["samples"][size] = sample_file(size, given, work, cache)
        db = dbs["large"]

        measure(("startup", "memory"), results,
                lambda: bench_startup_and_memory(db, runs, args.settle_ms))
        measure(("filter",), results, lambda: (bench_filter(db, 15 if args.quick else 60),))
        measure(("briefing",), results, lambda: (bench_briefing(db, runs, work),))
        measure(("annual",), results, lambda: (bench_annual(db, 6 if args.quick else 20),))
        measure(("import",), results, lambda: (bench_import(db, 10_000, work),))
        measure(("dashboard",), results, lambda: (bench_dashboard(db, 10 if args.quick else 30),))
        print("measuring growth (large, then xlarge)…", flush=True)
        results["growth"] = bench_growth(dbs, args.quick, args.settle_ms)
    results["seconds"] = round(time.perf_counter() - began, 1)

    print()
    verdicts = {key: verdict(key, results[key]) for key in LIMITS}
    verdicts.update(growth_verdicts(results["growth"]))
    for _, text in verdicts.values():
        print(text)
    passed = sum(status == "pass" for status, _ in verdicts.values())
    failed = [key for key, (status, _) in verdicts.items() if status == "FAIL"]
    missing = [key for key, (status, _) in verdicts.items() if status == "n/a"]
    results["summary"] = {"passed": passed, "failed": failed, "not_available": missing}
    line = f"must: {passed} of {len(verdicts)} pass"
    if failed:
        line += f"; FAIL: {', '.join(failed)}"
    if missing:
        line += f"; not available yet: {', '.join(missing)}"
    print(f"{line}  ({results['seconds']} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
