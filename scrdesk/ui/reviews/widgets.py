"""Pieces of the Reviews tab's detail: a review's small list with its buttons, and a chart with
Print / Save as PDF / Save as PNG (in the tab, or in a window of its own)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.errors import ScrdeskError
from scrdesk.ui.base import Column, RowRole, RowsModel, make_button, record_table, show_error
from scrdesk.ui.timeline import ChartWidget

MAX_COLUMN_WIDTH = 240


def list_view(name: str) -> QTableView:
    view = record_table(name.replace("_", " ").capitalize(), object_name=name)
    view.horizontalHeader().setStretchLastSection(True)
    return view


# -- a child table with its buttons ------------------------------------------------------------

class ChildList(QWidget):
    """A small table of one review's rows with Add / Edit / Delete buttons."""

    def __init__(self, name: str, columns: list[Column], parent: QWidget | None = None,
                 extra_buttons: list[QPushButton] | None = None):
        super().__init__(parent)
        self.model = RowsModel(columns, self)
        self.view = list_view(name)
        self.view.setModel(self.model)
        self.add_button = make_button("Add…")
        self.edit_button = make_button("Edit…")
        self.delete_button = make_button("Delete…")
        noun = name.replace("_", " ")
        self.add_button.setAccessibleName(f"Add {noun}")
        self.edit_button.setAccessibleName(f"Edit {noun}")
        self.delete_button.setAccessibleName(f"Delete {noun}")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, *(extra_buttons or []), self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(self._update)
        self._read_only = False
        self._update()

    def set_rows(self, rows: list[dict]) -> None:
        current = self.current()
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        for column in range(self.model.columnCount() - 1):
            # A long step name or note must not push the RAG column out of sight.
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), MAX_COLUMN_WIDTH))
        if current is not None:
            self.select(current["id"])
        self._update()

    def current(self) -> dict | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().hasSelection():
            return None
        return self.model.data(index, RowRole)

    def select(self, row_id: int) -> None:
        for number, row in enumerate(self.model.rows()):
            if row.get("id") == row_id:
                self.view.selectRow(number)
                return

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update()

    def _update(self) -> None:
        chosen = self.current() is not None
        self.add_button.setEnabled(not self._read_only)
        self.edit_button.setEnabled(chosen)
        self.edit_button.setText("Open…" if self._read_only else "Edit…")
        self.delete_button.setEnabled(chosen and not self._read_only)


class ChartDialog(QDialog):
    """A chart in its own window, with Print, Save as PDF and Save as PNG."""

    def __init__(self, chart: ChartWidget, title: str, file_stem: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.chart = chart
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(chart)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(ChartButtons(chart, file_stem, self))
        self.resize(1200, min(chart.chart_height() + 90, 760))


class ChartButtons(QWidget):
    """Print…, Save as PDF…, Save as PNG… for one chart."""

    def __init__(self, chart: ChartWidget, file_stem: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart = chart
        self.file_stem = file_stem
        self.print_button = make_button("Print…", "Print the chart (one landscape page)")
        self.pdf_button = make_button("Save as PDF…")
        self.png_button = make_button("Save as PNG…")
        self.print_button.setAccessibleName(f"Print {chart.document_title.lower()}")
        self.print_button.clicked.connect(lambda: chart.print_with_dialog(self))
        self.pdf_button.clicked.connect(lambda: self._save("pdf"))
        self.png_button.clicked.connect(lambda: self._save("png"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        for button in (self.print_button, self.pdf_button, self.png_button):
            layout.addWidget(button)

    def _save(self, kind: str) -> None:
        stem = self.file_stem() if callable(self.file_stem) else self.file_stem
        path, _ = QFileDialog.getSaveFileName(self, f"Save the chart as {kind.upper()}", f"{stem}.{kind}",
                                              f"{kind.upper()} files (*.{kind})")
        if not path:
            return
        try:
            saved = self.chart.save_pdf(path) if kind == "pdf" else self.chart.save_png(path)
        except OSError as error:
            show_error(self, ScrdeskError(f"Could not save the chart: {error}"))
            return
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"Saved {saved.name}", 5000)


