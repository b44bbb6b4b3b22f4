"""The settings dialog: board details, document markings, clocks and the agencies list."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


class SettingsDialog(QDialog):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Settings")
