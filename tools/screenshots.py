"""Write a screenshot of each main-window tab, on the demo data, into `docs/` (used in the README).

    .venv/bin/python tools/screenshots.py [--out docs] [--width 1366 --height 768]

Runs offscreen (no display needed), on a fresh temporary copy of the demo data, with layout
settings of its own (the user's remembered window layout is neither used nor changed). The
default size is a council laptop's 1366 x 768 screen.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: (file name, tab title, what to select first)
SHOTS = (
    ("tab-1-dashboard.png", "Dashboard", None),
    ("tab-2-referrals.png", "Referrals", ("referral", "Ref053")),
    ("tab-3-reviews.png", "Reviews", ("review", "Ref053")),
    ("tab-4-action-plan.png", "Action plan", ("action", None)),
    ("tab-5-briefings.png", "Briefings", None),
    ("tab-6-events-and-meetings.png", "Events and meetings", None),
)


def _settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def _select(window, store, target) -> None:
    kind, ref = target
    if kind == "action":
        # An overdue action with updates and evidence shows the most of the tab.
        row_id = store.scalar(
            "SELECT a.id FROM actions a WHERE a.status = 'slipping' ORDER BY "
            "(SELECT count(*) FROM action_updates u WHERE u.action_id = a.id) DESC, a.id LIMIT 1")
    elif kind == "referral":
        row_id = store.scalar("SELECT id FROM referrals WHERE ref = ?", [ref])
    else:
        row_id = store.scalar("SELECT rr.review_id FROM review_referrals rr JOIN referrals r "
                              "ON r.id = rr.referral_id WHERE r.ref = ?", [ref])
    if row_id is not None:
        window.current_tab().show_record(kind, row_id)


def take(out: Path, width: int, height: int) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from scrdesk.store.db import Store
    from scrdesk.store.demo import write_demo
    from scrdesk.ui.main_window import MainWindow
    from scrdesk.ui.referrals import ReferralDialog
    from scrdesk.ui.reviews import ChartDialog
    from scrdesk.ui.timeline import LiveReviewsGantt

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="scrdesk-shots-") as folder:
        store = Store.open(write_demo(Path(folder) / "demo.db"))
        settings = QSettings(str(Path(folder) / "layout.ini"), QSettings.Format.IniFormat)
        window = MainWindow(store, settings=settings, demo=True)
        window.resize(width, height)
        window.show()
        _settle(app)
        for file_name, title, target in SHOTS:
            index = next(i for i, tab in enumerate(window.tab_list) if tab.title == title)
            window.tabs.setCurrentIndex(index)
            _settle(app)
            if target is not None:
                _select(window, store, target)
                _settle(app)
            window.statusBar().clearMessage()
            written.append(_save(window.grab(), out / file_name))

        # The two things a new user is told to try: a slip flagged where it was typed, and
        # every live review against its target.
        dialog = ReferralDialog(store, None, window)
        dialog.show()
        _settle(app)
        dialog.received.editor.setText("31/11/2016")
        dialog.received.editor.editingFinished.emit()
        dialog.summary.editor.setText("Neglect")
        dialog.age.editor.setText("14 mnths")
        dialog.age.editor.editingFinished.emit()
        _settle(app)
        written.append(_save(dialog.grab(), out / "referral-typo-flagged.png"))
        dialog.dirty = False
        dialog.close()

        gantt = LiveReviewsGantt()
        gantt.set_store(store)
        chart = ChartDialog(gantt, "Live reviews against their targets", "live-reviews", window)
        chart.resize(width - 100, min(gantt.chart_height() + 90, height))
        chart.show()
        _settle(app)
        written.append(_save(chart.grab(), out / "live-reviews-gantt.png"))
        chart.close()

        window.close()
        store.close()
    return written


def _save(pixmap, path: Path) -> Path:
    if not pixmap.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs (default: docs/)")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    args = parser.parse_args(argv)
    for path in take(args.out, args.width, args.height):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
