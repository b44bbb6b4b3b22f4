"""The import wizard: choose a file, map its columns, preview errors, commit all or nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard


class ImportWizard(QWizard):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Import")
