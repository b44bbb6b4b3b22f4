"""Helpers the window tests share: typing into a form field as a person would, choosing from
a combo box, and acting inside a modal dialog that a button opens."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def type_into(qtbot, field, text: str, finish: bool = True) -> None:
    """Clear a form field, type `text` key by key, and (by default) leave the field."""
    field.editor.clear()
    qtbot.keyClicks(field.editor, text)
    if finish:
        field.editor.editingFinished.emit()


def choose(field, label: str) -> None:
    index = field.editor.findText(label)
    assert index >= 0, f"{label!r} is not offered by {field.label}"
    field.editor.setCurrentIndex(index)


def with_modal(qtbot, trigger, interact) -> None:
    """Press something that opens a modal dialog, then act in the dialog as a person would."""
    seen = []

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog)
        try:
            interact(dialog)
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, step)
    trigger()
    assert seen and seen[0] is not None, "no dialog opened"
