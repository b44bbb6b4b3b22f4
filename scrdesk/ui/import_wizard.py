"""The import wizard: choose a CSV or Excel tracker and what it holds, map its columns, preview
every row with its problems, then import all or nothing.

Reading, checking and writing run off the GUI thread (`ui.base.run_in_background`) with
connections of their own to the data file (read-only to check, one write transaction to import),
so the window never freezes and a half-checked file never shares a transaction with the window.
Results come back to the GUI thread through signals.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from scrdesk.ui.base import RAG_BRUSHES, Column, RowsModel, run_in_background

KIND_LABELS = {"referrals": "&Referrals (the referral register)", "actions": "&Actions (the composite action plan)"}
ERROR_STYLE = "color: #b00020;"
NOT_IN_FILE = "— not in the file —"
#: Rows shown in the preview; the counts and the error list always cover the whole file.
PREVIEW_ROWS = 2000


# -- the jobs (run by ui.base.run_in_background, each with connections of its own) ---------------

def _read(path: str):
    from scrdesk.store import importer  # openpyxl and friends load only when importing

    return importer.read_table(path)


def _plan(job, kind: str, raw, mapping: dict[str, int]):
    from scrdesk.store import importer

    return importer.plan_import(job.reader(), kind, raw, mapping, job.progress)


def _apply(job, plan):
    from scrdesk.store import importer

    # The one write made off the GUI thread: one transaction, through the job's own connection.
    return importer.apply_import(job.writer(), plan, job.progress)


# -- pages -----------------------------------------------------------------------------------

def ask_import_file(parent: QWidget | None) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Choose the file to import", "",
                                          "Spreadsheets (*.xlsx *.xlsm *.csv);;All files (*)")
    return path


class BusyMixin:
    """A page that runs one job at a time in the pool and shows its progress."""

    def _start(self, job, on_success, busy_text: str) -> None:
        wizard: ImportWizard = self.wizard()
        self._busy = True
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setStyleSheet("")
        self.status.setText(busy_text)
        self._on_success = on_success
        wizard.start_job(job, self._on_worker_succeeded, self._on_worker_failed, self._on_worker_progressed)
        self.completeChanged.emit()

    def _on_worker_progressed(self, done: int, total: int, _text: str = "") -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_worker_succeeded(self, result) -> None:
        self._busy = False
        self.progress.hide()
        self.wizard().worker_finished()
        self._on_success(result)
        self.completeChanged.emit()

    def _on_worker_failed(self, message: str) -> None:
        self._busy = False
        self.progress.hide()
        self.wizard().worker_finished()
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(message)
        self.completeChanged.emit()


class ChoosePage(BusyMixin, QWizardPage):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle("Choose the file")
        self.setSubTitle("A .csv or .xlsx tracker with one heading row. Nothing is changed until the "
                         "last step.")
        self._busy = False
        self.raw = None
        self._read_path = ""
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File to import")
        self.path_edit.setPlaceholderText("Choose a .csv or .xlsx file")
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setAccessibleName("Browse for the file to import")
        self.browse_button.clicked.connect(self._on_browse_clicked)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path_edit)

        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        kinds = QVBoxLayout()
        for kind, text in KIND_LABELS.items():
            button = QRadioButton(text)
            button.setAccessibleName(f"The file holds {kind}")
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            kinds.addWidget(button)
        self.kind_buttons["referrals"].setChecked(True)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Reading progress")
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Reading status")

        layout = QVBoxLayout(self)
        layout.addWidget(file_label)
        layout.addLayout(file_row)
        layout.addSpacing(12)
        layout.addWidget(QLabel("The file holds:"))
        layout.addLayout(kinds)
        layout.addStretch(1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.path_edit.textChanged.connect(self._on_path_changed)
        self.kind_group.buttonToggled.connect(lambda *_: self.completeChanged.emit())

    def kind(self) -> str:
        return next(kind for kind, button in self.kind_buttons.items() if button.isChecked())

    def path(self) -> str:
        return self.path_edit.text().strip()

    def _on_browse_clicked(self) -> None:
        path = ask_import_file(self)
        if path:
            self.path_edit.setText(path)

    def _on_path_changed(self) -> None:
        self.status.setText("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return bool(self.path()) and not self._busy

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        # The file is read in the worker; Next is pressed again for the person once it is in.
        if self.raw is not None and self._read_path == self.path():
            return True
        path = self.path()
        self.raw = None
        self._start(lambda job: _read(path), lambda raw: self._on_read(path, raw),
                    f"Reading {Path(path).name}…")
        return False

    def _on_read(self, path: str, raw) -> None:
        self.raw = raw
        self._read_path = path
        rows = len(raw.rows)
        self.status.setText(f"{rows} row{'s' if rows != 1 else ''} read from {Path(path).name}.")
        self.wizard().next()


class MappingPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle("Match the columns")
        self.setSubTitle("Each field scrdesk knows, and the column of your file that holds it. The "
                         "guesses come from the headings; change any that are wrong.")
        self.combos: dict[str, QComboBox] = {}
        self._kind = ""
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_host)
        self.problem = QLabel()
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("What is still to fix")
        self.ignored = QLabel()
        self.ignored.setWordWrap(True)
        self.ignored.setAccessibleName("Columns not imported")
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.ignored)
        layout.addWidget(self.problem)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        from scrdesk.store import importer

        wizard: ImportWizard = self.wizard()
        raw = wizard.choose_page.raw
        kind = wizard.choose_page.kind()
        self._kind = kind
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = {}
        guessed = importer.guess_mapping(raw.headings, kind)
        first = raw.rows[0] if raw.rows else []
        for name, spec in importer.FIELDS[kind].items():
            combo = QComboBox()
            combo.setAccessibleName(spec.label)
            combo.addItem(NOT_IN_FILE, None)
            for index, heading in enumerate(raw.headings):
                sample = first[index] if index < len(first) and first[index] not in (None, "") else ""
                shown = f"{heading}  (e.g. {str(sample)[:30]})" if sample != "" else heading
                combo.addItem(shown or f"Column {index + 1}", index)
            if name in guessed:
                combo.setCurrentIndex(combo.findData(guessed[name]))
            combo.currentIndexChanged.connect(self._on_combo_changed)
            label = QLabel(f"{spec.label}{' *' if spec.required else ''}")
            label.setBuddy(combo)
            self.form.addRow(label, combo)
            self.combos[name] = combo
        self._on_combo_changed()

    def mapping(self) -> dict[str, int]:
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData() is not None}

    def problems(self) -> list[str]:
        from scrdesk.store import importer

        specs = importer.FIELDS.get(self._kind, {})
        found = [f"choose the column for {spec.label}" for name, spec in specs.items()
                 if spec.required and name not in self.mapping()]
        by_column: dict[int, list[str]] = {}
        for name, column in self.mapping().items():
            by_column.setdefault(column, []).append(specs[name].label)
        headings = self.wizard().choose_page.raw.headings if self.wizard() else []
        for column, labels in by_column.items():
            if len(labels) > 1:
                found.append(f"the column {headings[column]!r} is chosen for both {' and '.join(labels)}")
        return found

    def _on_combo_changed(self, *_args) -> None:
        problems = self.problems()
        self.problem.setText(("To go on: " + "; ".join(problems) + ".") if problems else "")
        raw = self.wizard().choose_page.raw if self.wizard() else None
        if raw is not None:
            used = set(self.mapping().values())
            unused = [h for i, h in enumerate(raw.headings) if h and i not in used]
            self.ignored.setText("Not imported: " + ", ".join(unused) if unused else "Every column is used.")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return bool(self.combos) and not self.problems()


PREVIEW_STATUS_BRUSH = {"error": RAG_BRUSHES["red"], "add": RAG_BRUSHES["green"], "change": RAG_BRUSHES["amber"]}

ERROR_COLUMNS = (
    Column("row", "Row", align_right=True),
    Column("field", "Field"),
    Column("value", "Value"),
    Column("message", "Problem", tooltip=lambda r: r.get("message")),
)


class PreviewModel(RowsModel):
    """The file's rows with what the import will do to each; rows with problems tinted red."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            return PREVIEW_STATUS_BRUSH.get(self.rows()[index.row()]["outcome_code"])
        return super().data(index, role)


class PreviewPage(BusyMixin, QWizardPage):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle("Check before importing")
        self.setSubTitle("Every row has been checked against the data file. Nothing has been changed yet.")
        self.setButtonText(QWizard.WizardButton.NextButton, "&Import")
        self._busy = False
        self.plan = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the import will do")
        self.rows_model = PreviewModel([], self)
        self.rows_view = QTableView()
        self.rows_view.setModel(self.rows_model)
        self.rows_view.setAccessibleName("Rows of the file")
        self.rows_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_view.verticalHeader().hide()
        self.errors_model = RowsModel(ERROR_COLUMNS, self)
        self.errors_view = QTableView()
        self.errors_view.setModel(self.errors_model)
        self.errors_view.setAccessibleName("Problems found")
        self.errors_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.errors_view.verticalHeader().hide()
        self.errors_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.errors_view.doubleClicked.connect(self._on_error_double_clicked)
        self.errors_label = QLabel("Problems")
        self.errors_label.setBuddy(self.errors_view)
        errors_box = QWidget()
        errors_layout = QVBoxLayout(errors_box)
        errors_layout.setContentsMargins(0, 0, 0, 0)
        errors_layout.addWidget(self.errors_label)
        errors_layout.addWidget(self.errors_view)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.rows_view)
        self.splitter.addWidget(errors_box)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Checking progress")
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Checking status")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        wizard: ImportWizard = self.wizard()
        raw = wizard.choose_page.raw
        kind = wizard.choose_page.kind()
        mapping = wizard.mapping_page.mapping()
        self.plan = None
        self.summary.setText("")
        self.rows_model.set_rows([])
        self.errors_model.set_rows([])
        self._start(lambda job: _plan(job, kind, raw, mapping), self._on_planned,
                    f"Checking {len(raw.rows)} rows…")

    def _on_planned(self, plan) -> None:
        self.plan = plan
        raw = self.wizard().choose_page.raw
        outcome: dict[int, tuple[str, str]] = {}
        for insert in plan.inserts:
            outcome[insert.source_row] = ("add", "Will be added")
        for update in plan.updates:
            outcome[update.source_row] = ("change", "Will be changed: " + ", ".join(sorted(update.changes))
                                          if update.changes else "A progress note will be added")
        for error in plan.errors:
            if error.row is not None:
                outcome[error.row] = ("error", "Problem")
        columns = [Column("source_row", "Row", align_right=True), Column("outcome", "What happens")]
        columns += [Column(f"c{i}", heading or f"Column {i + 1}") for i, heading in enumerate(raw.headings)]
        rows = []
        for source_row, cells in list(zip(raw.source_rows, raw.rows, strict=False))[:PREVIEW_ROWS]:
            code, text = outcome.get(source_row, ("same", "No change"))
            row = {"source_row": source_row, "outcome": text, "outcome_code": code}
            row.update({f"c{i}": "" if cell is None else str(cell) for i, cell in enumerate(cells)})
            rows.append(row)
        self.rows_model.columns = columns
        self.rows_model.set_rows(rows)
        self.rows_view.resizeColumnsToContents()
        for column in range(2, len(columns)):
            self.rows_view.setColumnWidth(column, min(self.rows_view.columnWidth(column), 220))
        self.errors_model.set_rows([{"row": e.row, "field": e.field,
                                     "value": "" if e.value is None else str(e.value), "message": e.message}
                                    for e in plan.errors])
        self.errors_view.resizeColumnsToContents()
        self.errors_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        shown = "" if len(raw.rows) <= PREVIEW_ROWS else f" The first {PREVIEW_ROWS} rows are shown."
        notes = (" " + " ".join(plan.notes)) if plan.notes else ""
        self.summary.setText(plan.summary() + "." + shown + notes)
        self.errors_label.setText(f"&Problems ({len(plan.errors)})" if plan.errors else "No problems found")
        if plan.errors:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText("Nothing can be imported until these problems are corrected in the file; "
                                "nothing has been changed. Correct the file, then go Back and choose it again.")
        elif not plan.inserts and not plan.updates:
            self.status.setStyleSheet("")
            self.status.setText("Nothing to import: every row is already in the data file as it is.")
        else:
            self.status.setStyleSheet("")
            self.status.setText("Press Import to write all of these changes at once.")

    def _on_error_double_clicked(self, index) -> None:
        error = self.errors_model.row_at(index.row())
        for number, row in enumerate(self.rows_model.rows()):
            if row["source_row"] == error["row"]:
                self.rows_view.selectRow(number)
                self.rows_view.scrollTo(self.rows_model.index(number, 0))
                return

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return (not self._busy and self.plan is not None and self.plan.ok
                and bool(self.plan.inserts or self.plan.updates))

    def cleanupPage(self) -> None:  # noqa: N802 (Qt override)
        self.plan = None


class CommitPage(BusyMixin, QWizardPage):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle("Importing")
        self.setFinalPage(True)
        self._busy = False
        self.result = None
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Import result")
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        wizard: ImportWizard = self.wizard()
        plan = wizard.preview_page.plan
        self.result = None
        self._start(lambda job: _apply(job, plan), self._on_applied,
                    "Writing every row in one transaction…")

    def _on_applied(self, result) -> None:
        self.result = result
        noun = "referral" if self.wizard().choose_page.kind() == "referrals" else "action"

        def count(n: int) -> str:
            return f"{n} {noun}{'' if n == 1 else 's'}"

        self.setTitle("Imported")
        self.status.setText(f"Done: {count(result.inserted)} added and {count(result.updated)} changed.")
        self.wizard().imported.emit(self.wizard().choose_page.kind())

    def _on_worker_failed(self, message: str) -> None:
        super()._on_worker_failed(message + " Nothing was imported.")
        self.setTitle("Not imported")

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return not self._busy


class ImportWizard(QWizard):
    """Choose → match columns → check → import, with every long step off the GUI thread."""

    #: Emitted with the kind ("referrals" / "actions") once rows have been written.
    imported = Signal(str)

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Import")
        self.setAccessibleName("Import")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._working = False
        self.choose_page = ChoosePage()
        self.mapping_page = MappingPage()
        self.preview_page = PreviewPage()
        self.commit_page = CommitPage()
        for page in (self.choose_page, self.mapping_page, self.preview_page, self.commit_page):
            self.addPage(page)
        if store.readonly:
            self.choose_page.status.setStyleSheet(ERROR_STYLE)
            self.choose_page.status.setText(f"This data file is read-only ({store.readonly_reason}); "
                                            "nothing can be imported into it.")
            self.choose_page.setEnabled(False)
        self.resize(900, 640)

    def start_job(self, job, on_done, on_failed, on_progress) -> None:
        """Run one job (a page's reading, checking or importing) on the wizard's own pool of one
        thread, so steps never overlap and closing can wait for the last."""
        self._working = True
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        run_in_background(job, data_file=self.store, on_done=on_done, on_failed=on_failed,
                          on_progress=on_progress, pool=self.pool)

    def worker_finished(self) -> None:
        self._working = False
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)

    def is_working(self) -> bool:
        return self._working

    def reject(self) -> None:
        # A half-written import cannot be stopped (it is all or nothing); it ends in moments.
        if self._working:
            return
        super().reject()

    def done(self, result: int) -> None:
        if self._working:
            return
        self.pool.waitForDone()
        super().done(result)
