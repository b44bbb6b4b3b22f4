"""Validated form widgets shared by every record dialog: fields that flag a mistake where it was
typed, a labelled form that lays them out, and `RecordDialog`, which saves nothing until every
field is valid and asks before throwing away unsaved changes.

A field validates as the person types (so Save is enabled only when everything is valid) but shows
its message only once editing of that field finishes — or when Save is attempted — and from then on
live, so the message disappears the moment the mistake is fixed ("reward early, punish late").
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.ages import Age, format_age, parse_age
from scrdesk.domain.dates import format_date, parse_date
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.ui.base import keep_on_screen, size_within_screen

ERROR_STYLE = "color: #b00020;"
INVALID_EDITOR_STYLE = "border: 2px solid #b00020; border-radius: 2px; padding: 1px;"
HINT_STYLE = "color: #555555;"
#: The smallest a record dialog opens at (a short form still reads as a form).
MIN_DIALOG_SIZE = QSize(560, 420)
#: A few pixels more than the fields need, so an exact fit does not bring up a scroll bar.
SLACK = 8

Validator = Callable[[object], None]


class Field(QWidget):
    """One labelled value with its own error message underneath.

    Subclasses provide the editor and `_parse()` (raise InvalidValue for a mistake). `validator`
    adds a check of the parsed value (e.g. "this ref is already used"); it raises InvalidValue too.
    """

    #: Emitted on every edit (the dialog tracks unsaved changes and Save's state with it).
    edited = Signal()
    validity_changed = Signal(bool)

    def __init__(self, label: str, *, required: bool = False, validator: Validator | None = None,
                 hint: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.label = label
        self.required = required
        # A dialog's own method is held weakly: a strong reference from a child widget back to
        # its dialog makes a cycle that PySide6 6.11 crashes on when the garbage collector
        # meets it after the dialog has been exec()'d and deleted with its parent.
        self._validator = (weakref.WeakMethod(validator) if inspect.ismethod(validator)
                           else (lambda: validator))
        self._error = ""
        self._extra_error = ""
        self._shown = False
        self._valid = True
        self._value: object = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        self._layout.addLayout(self._row)
        self._hint = hint
        self.hint_label = QLabel(hint)
        self.hint_label.setStyleSheet(HINT_STYLE)
        self.hint_label.setVisible(bool(hint))
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(f"{label} error")
        self.error_label.hide()
        self._layout.addWidget(self.error_label)

    # -- for subclasses ----------------------------------------------------------------------

    def _install(self, editor: QWidget, stretch: int = 1) -> None:
        self.editor = editor
        editor.setAccessibleName(self.label)
        self._row.addWidget(editor, stretch)
        self._row.addWidget(self.hint_label)
        self.setFocusProxy(editor)

    def _text(self) -> str:
        raise NotImplementedError

    def _parse(self, text: str) -> object:
        raise NotImplementedError

    def _on_edited(self) -> None:
        self._revalidate()
        self.edited.emit()

    # -- validation --------------------------------------------------------------------------

    def _revalidate(self) -> None:
        error = ""
        value = None
        text = self._text()
        try:
            value = self._parse(text)
            if value is None or value == "":
                value = None
                if self.required:
                    error = "is required"
            elif (validate := self._validator()) is not None:
                validate(value)
        except InvalidValue as mistake:
            error, value = mistake.message, None
        except ScrdeskError as mistake:
            error, value = str(mistake), None
        self._error = error
        self._value = value
        self._refresh_state()

    def _refresh_state(self) -> None:
        was_valid = self._valid
        self._valid = not (self._error or self._extra_error)
        self._paint()
        if was_valid != self._valid:
            self.validity_changed.emit(self._valid)

    def _paint(self) -> None:
        message = self.error_text()
        visible = bool(message) and (self._shown or bool(self._extra_error))
        self.error_label.setText(f"{self.label}: {message}" if visible else "")
        self.error_label.setVisible(visible)
        self.editor.setStyleSheet(INVALID_EDITOR_STYLE if visible else "")
        self.editor.setAccessibleDescription(message if visible else "")

    def reveal_error(self) -> None:
        """Show the message (if any) now and from now on: editing finished, or Save was tried."""
        self._shown = True
        self._paint()

    def set_extra_error(self, message: str) -> None:
        """A mistake found across fields (or by the store), shown at this field until it changes."""
        self._extra_error = message
        self._refresh_state()

    def error_text(self) -> str:
        # The field's own mistake first: a typo matters before how it relates to other fields.
        return self._error or self._extra_error

    def is_valid(self) -> bool:
        return self._valid

    def is_blank(self) -> bool:
        return not self._text().strip()

    def value(self):
        """The parsed value (None when blank or invalid)."""
        return self._value

    def set_value(self, value) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setEnabled(not read_only)


class _LineField(Field):
    """A field typed into a QLineEdit; on finishing, valid text is rewritten in its standard form
    so the person sees how it was understood ("5 feb 17" becomes "05/02/2017")."""

    placeholder = ""

    def __init__(self, label: str, **kwargs):
        super().__init__(label, **kwargs)
        line = QLineEdit()
        line.setPlaceholderText(self.placeholder)
        self._install(line)
        line.textChanged.connect(self._on_edited)
        line.editingFinished.connect(self._on_line_editing_finished)
        self._revalidate()

    def _text(self) -> str:
        return self.editor.text()

    def _standard_text(self, value) -> str:
        return str(value)

    def _on_line_editing_finished(self) -> None:
        if self._value is not None and not self._error:
            standard = self._standard_text(self._value)
            if standard != self.editor.text():
                self.editor.blockSignals(True)
                self.editor.setText(standard)
                self.editor.blockSignals(False)
        if not self.is_blank() or self._shown:
            self.reveal_error()

    def set_value(self, value) -> None:
        self.editor.blockSignals(True)
        self.editor.setText("" if value is None else self._standard_text(value))
        self.editor.blockSignals(False)
        self._revalidate()

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)


class TextField(_LineField):
    """One line of free text; blank is None."""

    def __init__(self, label: str, *, max_length: int = 500, placeholder: str = "", **kwargs):
        self.placeholder = placeholder
        self._max_length = max_length
        super().__init__(label, **kwargs)

    def _parse(self, text: str):
        text = text.strip()
        if len(text) > self._max_length:
            raise InvalidValue(self.label, None, f"is too long ({len(text)} characters; at most {self._max_length})")
        return text or None


class DateField(_LineField):
    """A date typed as people write it (dd/mm/yyyy, 5 Feb 2017, 2017-02-05); value() is a date."""

    placeholder = "dd/mm/yyyy"

    def __init__(self, label: str, **kwargs):
        super().__init__(label, **kwargs)
        self.editor.setMaximumWidth(140)
        self._row.addStretch(1)
        self._row.setStretch(0, 0)
        self.editor.textChanged.connect(self._show_long_form)

    def _parse(self, text: str):
        return parse_date(text, self.label)

    def _standard_text(self, value) -> str:
        return value.strftime("%d/%m/%Y")

    def _show_long_form(self) -> None:
        # "03/04/2017" is 3 April here, never 4 March: say so beside the field.
        self.hint_label.setText(format_date(self._value) if self._value else self._hint)
        self.hint_label.setVisible(bool(self.hint_label.text()))

    def set_value(self, value: date | str | None) -> None:
        if isinstance(value, str):
            value = date.fromisoformat(value) if value else None
        super().set_value(value)
        self._show_long_form()

    def iso(self) -> str | None:
        """The value as stored: ISO text, or None."""
        return self._value.isoformat() if self._value else None


class AgeField(_LineField):
    """A child's age as written: 6 wks, 4 mths, 1 yr 11 mths, 12 yrs, Various."""

    placeholder = "e.g. 6 wks, 1 yr 11 mths, Various"

    def __init__(self, label: str = "Age", **kwargs):
        super().__init__(label, **kwargs)
        metrics = self.editor.fontMetrics()
        self.editor.setMinimumWidth(metrics.horizontalAdvance(self.placeholder) + 24)
        self.editor.setMaximumWidth(metrics.horizontalAdvance(self.placeholder) + 60)
        self._row.addStretch(1)
        self._row.setStretch(0, 0)

    def _parse(self, text: str):
        return parse_age(text, self.label)

    def _standard_text(self, value) -> str:
        return format_age(value)

    def set_value(self, value: Age | None) -> None:
        super().set_value(value)

    def columns(self) -> dict:
        """The four age_* columns for the store (all empty when blank)."""
        if self._value is None:
            return {"age_years": None, "age_months": None, "age_weeks": None, "age_various": 0}
        columns = self._value.to_columns()
        columns["age_various"] = int(bool(columns["age_various"]))
        return columns


class NumberField(_LineField):
    """A whole number (attendance, staff reached); blank is None."""

    def __init__(self, label: str, *, minimum: int = 0, maximum: int | None = None, **kwargs):
        self._minimum = minimum
        self._maximum = maximum
        super().__init__(label, **kwargs)
        self.editor.setMaximumWidth(120)
        self._row.addStretch(1)
        self._row.setStretch(0, 0)

    def _parse(self, text: str):
        text = text.strip().replace(",", "")
        if not text:
            return None
        if not text.lstrip("-").isdigit():
            raise InvalidValue(self.label, text, "must be a whole number, e.g. 25")
        number = int(text)
        if number < self._minimum:
            raise InvalidValue(self.label, text, f"must be {self._minimum} or more")
        if self._maximum is not None and number > self._maximum:
            raise InvalidValue(self.label, text, f"must be {self._maximum} or less")
        return number


class NoteField(Field):
    """Several lines of free text (rationale, notes); blank is None."""

    def __init__(self, label: str, *, lines: int = 4, max_length: int = 20000, **kwargs):
        super().__init__(label, **kwargs)
        self._max_length = max_length
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)  # Tab moves on through the form, as everywhere else
        height = edit.fontMetrics().lineSpacing() * lines + 12
        edit.setMinimumHeight(height)
        edit.setMaximumHeight(int(height * 1.5))
        self._install(edit)
        edit.textChanged.connect(self._on_edited)
        self._revalidate()

    def _text(self) -> str:
        return self.editor.toPlainText()

    def _parse(self, text: str):
        if len(text) > self._max_length:
            raise InvalidValue(self.label, None, f"is too long (at most {self._max_length} characters)")
        return text.strip() or None

    def _on_edited(self) -> None:
        super()._on_edited()
        if self._error:
            self.reveal_error()

    def set_value(self, value: str | None) -> None:
        self.editor.blockSignals(True)
        self.editor.setPlainText(value or "")
        self.editor.blockSignals(False)
        self._revalidate()

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)


class ChoiceField(Field):
    """A choice from a code -> label list; value() is the code (None for the blank entry).

    A stored code the list no longer offers (an old framework's decision, say) is kept and shown
    with its label rather than silently changed.
    """

    def __init__(self, label: str, choices: Mapping[str, str], *, blank: str | None = "—",
                 **kwargs):
        super().__init__(label, **kwargs)
        self._blank = blank
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._install(combo, stretch=0)
        self._row.addStretch(1)
        self.set_choices(choices)
        combo.currentIndexChanged.connect(self._on_combo_changed)
        self._revalidate()

    def set_choices(self, choices: Mapping[str, str], keep: str | None = None) -> None:
        """Replace the list, keeping the current (or `keep`) code selected where possible."""
        current = keep if keep is not None else self.value()
        combo: QComboBox = self.editor
        combo.blockSignals(True)
        combo.clear()
        if self._blank is not None:
            combo.addItem(self._blank, None)
        for code, text in choices.items():
            combo.addItem(text, code)
        combo.blockSignals(False)
        self._select(current)
        self._revalidate()

    def _select(self, code: str | None) -> None:
        combo: QComboBox = self.editor
        combo.blockSignals(True)
        found = combo.findData(code) if code is not None else (0 if self._blank is not None else -1)
        if found < 0 and code is not None:
            combo.addItem(str(code), code)
            found = combo.count() - 1
        combo.setCurrentIndex(max(found, 0) if combo.count() else -1)
        combo.blockSignals(False)

    def _on_combo_changed(self) -> None:
        self._on_edited()
        self.reveal_error()

    def _text(self) -> str:
        code = self.editor.currentData()
        return "" if code is None else str(code)

    def _parse(self, text: str):
        return text or None

    def set_value(self, code: str | None) -> None:
        self._select(code)
        self._revalidate()

    def current_label(self) -> str:
        return self.editor.currentText() if self.value() is not None else ""


class CheckField(Field):
    """A yes/no tick; value() is True or False (never invalid)."""

    def __init__(self, label: str, text: str = "", **kwargs):
        super().__init__(label, **kwargs)
        box = QCheckBox(text)
        self._install(box)
        box.toggled.connect(self._on_edited)
        self._revalidate()

    def _text(self) -> str:
        return "1" if self.editor.isChecked() else ""

    def _parse(self, text: str):
        return bool(text)

    def _revalidate(self) -> None:
        self._error = ""
        self._value = self.editor.isChecked()
        self._refresh_state()

    def set_value(self, value) -> None:
        self.editor.blockSignals(True)
        self.editor.setChecked(bool(value))
        self.editor.blockSignals(False)
        self._revalidate()


class LabelledForm(QWidget):
    """A QFormLayout of Fields: each row's label is the field's buddy (Alt+letter reaches it) and
    the tab order is the order rows were added."""

    edited = Signal()
    validity_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.layout_.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.fields: list[Field] = []

    def add(self, field: Field, label: str | None = None) -> Field:
        caption = QLabel(f"{label or field.label}{' *' if field.required else ''}")
        caption.setBuddy(field.editor)
        caption.setToolTip("Required" if field.required else "")
        self.layout_.addRow(caption, field)
        self.fields.append(field)
        field.edited.connect(self.edited)
        field.validity_changed.connect(self.validity_changed)
        return field

    def add_widget(self, label: str, widget: QWidget) -> QWidget:
        """A non-field row (a button strip, a read-only value); it is named for screen readers."""
        if not widget.accessibleName():
            widget.setAccessibleName(label)
        self.layout_.addRow(label, widget)
        return widget

    def section(self, title: str) -> QLabel:
        heading = QLabel(f"<b>{title}</b>")
        heading.setContentsMargins(0, 8, 0, 0)
        self.layout_.addRow(heading)
        return heading

    def set_row_visible(self, field: QWidget, visible: bool) -> None:
        self.layout_.setRowVisible(field, visible)

    def invalid_fields(self) -> list[Field]:
        return [f for f in self.fields if not f.is_valid() and f.isEnabled()]

    def is_valid(self) -> bool:
        return not self.invalid_fields()

    def reveal_errors(self) -> None:
        for field in self.fields:
            field.reveal_error()

    def field_named(self, label: str) -> Field | None:
        for field in self.fields:
            if field.label.casefold() == (label or "").casefold():
                return field
        return None

    def set_read_only(self, read_only: bool) -> None:
        for field in self.fields:
            field.set_read_only(read_only)


def add_save_bar(dialog: QDialog, read_only: bool) -> QHBoxLayout:
    """The foot of an editing dialog: what is still to fix, then Save and Cancel (or Close when
    read-only). Sets `dialog.buttons`, `dialog.save_button` (None when read-only) and
    `dialog.problem_label`; Save calls `dialog.try_save()`."""
    dialog.buttons = QDialogButtonBox()
    if read_only:
        dialog.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        dialog.save_button = None
    else:
        dialog.save_button = dialog.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        dialog.save_button.setToolTip("Save (Ctrl+S)")
        dialog.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    dialog.buttons.accepted.connect(dialog.try_save)
    dialog.buttons.rejected.connect(dialog.reject)
    dialog.problem_label = QLabel()
    dialog.problem_label.setStyleSheet(ERROR_STYLE)
    dialog.problem_label.setWordWrap(True)
    dialog.problem_label.setAccessibleName("What is still to fix")
    bottom = QHBoxLayout()
    bottom.addWidget(dialog.problem_label, 1)
    bottom.addWidget(dialog.buttons)
    return bottom


class RecordDialog(QDialog):
    """A form dialog over one record.

    Subclasses add fields to `self.form`, fill them in `__init__`, and implement `save()` (write
    to the store; raise InvalidValue naming a field to have the message shown there). Optionally
    `cross_check()` returns {field: message} for mistakes that involve several fields.
    Nothing is saved until every field is valid; Save is disabled meanwhile and the line beside
    it says what is still to fix. Esc / Cancel / closing ask first if there are unsaved changes;
    Ctrl+S saves.
    """

    #: Emitted after a successful save with the table written and the row id.
    saved = Signal(str, int)

    def __init__(self, title: str, parent: QWidget | None = None, *, read_only: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.read_only = read_only
        self.dirty = False
        self.forms: list[LabelledForm] = []
        self._columns = QHBoxLayout()
        self._columns.setContentsMargins(0, 0, 0, 0)
        columns = QWidget()
        columns.setLayout(self._columns)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(columns)
        self.form = self.add_column()
        bottom = add_save_bar(self, read_only)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bottom)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.try_save)
        self._fitted = False
        self.resize(MIN_DIALOG_SIZE)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # Sized when first shown, once the subclass has added every field: a size fixed in
        # __init__ left New referral with a horizontal scroll bar and clipped messages.
        if not self._fitted:
            self._fitted = True
            self.fit_to_contents()
        super().showEvent(event)

    def fit_to_contents(self) -> None:
        """As big as the fields want (no horizontal scroll bar; tall enough not to scroll where
        the screen allows), never smaller than MIN_DIALOG_SIZE nor larger than the screen."""
        content = self.scroll.widget().sizeHint()
        margins = self.layout().contentsMargins()
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        foot = self.problem_label.sizeHint().height() + self.buttons.sizeHint().height()
        wanted = QSize(max(MIN_DIALOG_SIZE.width(), content.width() + bar + margins.left() + margins.right()),
                       max(MIN_DIALOG_SIZE.height(), content.height() + foot + self.layout().spacing()
                           + margins.top() + margins.bottom() + SLACK))
        fitted = size_within_screen(wanted, self.parentWidget() or self)
        self.resize(fitted)
        if fitted.width() >= wanted.width():
            # Room for every field: a horizontal bar could only flicker in while the vertical one
            # decides (a scroll area sized exactly to its contents shows both for a moment).
            self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The width the fields need, kept even when the height has to scroll.
        self.scroll.setMinimumWidth(min(content.width() + bar, fitted.width() - margins.left() - margins.right()))
        keep_on_screen(self)

    def add_column(self) -> LabelledForm:
        """Another form beside the first (a long record reads better in two columns than
        scrolled); tab order runs down one column, then the next."""
        form = LabelledForm()
        form.edited.connect(self._on_form_edited)
        form.validity_changed.connect(self._update_save_state)
        self._columns.addWidget(form, 1, Qt.AlignmentFlag.AlignTop)
        self.forms.append(form)
        return form

    @property
    def fields(self) -> list[Field]:
        return [field for form in self.forms for field in form.fields]

    def invalid_fields(self) -> list[Field]:
        return [field for form in self.forms for field in form.invalid_fields()]

    def field_named(self, label: str) -> Field | None:
        for form in self.forms:
            found = form.field_named(label)
            if found is not None:
                return found
        return None

    # -- hooks for subclasses ----------------------------------------------------------------

    def cross_check(self) -> dict[Field, str]:
        """Mistakes that involve more than one field: {field to flag: message}."""
        return {}

    def save(self) -> None:
        """Write the record; raise InvalidValue (field named as labelled) to refuse."""
        raise NotImplementedError

    # -- behaviour ---------------------------------------------------------------------------

    def finish_setup(self) -> None:
        """Call at the end of a subclass's __init__, after loading the record into the fields."""
        for form in self.forms:
            form.set_read_only(self.read_only)
        self.dirty = False
        self._apply_cross_check()
        self._update_save_state()
        for field in self.fields:
            if field.isEnabled() and not self.read_only:
                field.setFocus()
                break

    def _on_form_edited(self) -> None:
        self.dirty = True
        self._apply_cross_check()
        self._update_save_state()

    def _apply_cross_check(self) -> None:
        found = self.cross_check()
        for field in self.fields:
            field.set_extra_error(found.get(field, ""))

    def _update_save_state(self) -> None:
        if self.save_button is None:
            return
        invalid = self.invalid_fields()
        self.save_button.setEnabled(not invalid)
        if not invalid:
            self.problem_label.setText("")
            return
        missing = [f.label for f in invalid if f.error_text() == "is required"]
        wrong = [f.label for f in invalid if f.error_text() != "is required"]
        parts = []
        if wrong:
            parts.append("Check " + ", ".join(wrong))
        if missing:
            parts.append("Fill in " + ", ".join(missing))
        self.problem_label.setText("To save: " + "; ".join(parts) + ".")

    def try_save(self) -> bool:
        """Save if everything is valid; otherwise show every message and save nothing."""
        if self.read_only or self.save_button is None:
            self.done(QDialog.DialogCode.Rejected)
            return False
        self._apply_cross_check()
        for form in self.forms:
            form.reveal_errors()
        invalid = self.invalid_fields()
        if invalid:
            invalid[0].setFocus()
            self._update_save_state()
            return False
        try:
            self.save()
        except InvalidValue as mistake:
            field = self.field_named(mistake.field)
            if field is None:
                QMessageBox.warning(self, self.windowTitle(), mistake.describe())
            else:
                field.set_extra_error(mistake.message)
                field.setFocus()
                self._update_save_state()
            return False
        except ScrdeskError as refusal:
            QMessageBox.warning(self, self.windowTitle(), str(refusal))
            return False
        self.dirty = False
        self.accept()
        return True

    def reject(self) -> None:
        if self.dirty and not self.read_only and not self._discard_confirmed():
            return
        self.dirty = False
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.dirty and not self.read_only and not self._discard_confirmed():
            event.ignore()
            return
        self.dirty = False
        super().closeEvent(event)

    def _discard_confirmed(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(),
                          "You have changes that are not saved. Discard them?", parent=self)
        discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is discard
