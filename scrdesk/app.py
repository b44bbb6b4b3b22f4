"""Start-up: paths, logging, excepthook, open the store, show the window."""

from __future__ import annotations

import sys


def run_gui(db: str | None = None, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("scrdesk")
    window.show()
    return app.exec()


def main() -> int:
    from scrdesk.cli import main as cli_main

    return cli_main()
