"""The settings dialog: the board's name and logo, protective markings, framework profile,
reference prefix, clocks and retention, and the agencies list.

Settings travel with the data file. Nothing is written until Save, and then everything (settings,
logo and agency changes) is written in one transaction (`scrdesk.store.agencies.save_settings`).
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain import limits, values
from scrdesk.domain.dates import format_date
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.profiles import load_profiles
from scrdesk.domain.rules import agencies as agency_rules
from scrdesk.domain.settings import (
    ARRANGEMENTS_2018_EARLIEST,
    ARRANGEMENTS_2018_LATEST,
    DEFAULTS,
    LOCAL_REVIEW_TYPES,
    Settings,
)
from scrdesk.store.agencies import all_agencies, save_settings
from scrdesk.store.attachments import logo_content
from scrdesk.ui.attachments import ask_open_files, read_attachment_file
from scrdesk.ui.base import Column, RowsModel
from scrdesk.ui.forms import (
    ChoiceField,
    DateField,
    Field,
    LabelledForm,
    NumberField,
    RecordDialog,
    TextField,
    add_save_bar,
)

MARKINGS = {"OFFICIAL": "OFFICIAL", "OFFICIAL-SENSITIVE": "OFFICIAL-SENSITIVE"}

#: The document kinds that carry a protective marking, in the words people use for them.
DOCUMENT_KINDS = {
    "briefing": "Briefings (6-step, 7-minute)",
    "paper": "Meeting briefing papers",
    "actions": "Composite action plan",
    "annual": "Annual report tables",
    "chaser": "Chasers to agencies",
    "timeline": "Review timelines",
    "subject_access": "Subject access reports",
    "chair_report": "Chair's reports",
    "health_check": "Health checks",
    "yearly_report": "Yearly reports",
    "evidence_pack": "Inspection evidence packs",
    "themes": "Themes reports",
    "publication_pack": "Publication packs",
    "rapid_review": "Rapid review reports",
}

RETENTION_KINDS = {"referrals": "Referrals", "reviews": "Reviews", "actions": "Actions",
                   "attachments": "Evidence files"}

_PREFIX = re.compile(r"[A-Za-z][A-Za-z\-/]{0,9}")
HINT_STYLE = "color: #555555;"


def check_email(value: object) -> None:
    if message := agency_rules.email_problem(value):
        raise InvalidValue("Email", value, message)


def check_prefix(value: object) -> None:
    if not _PREFIX.fullmatch(str(value)):
        raise InvalidValue("Reference prefix", value,
                           "must be up to 10 letters (e.g. Ref or SCR), starting with a letter")


def check_arrangements_date(value: object) -> None:
    # Working Together: transitional guidance (2018): arrangements in operation from 29 Jun 2018,
    # by 29 Sep 2019 at the latest.
    if value is not None and not ARRANGEMENTS_2018_EARLIEST <= value <= ARRANGEMENTS_2018_LATEST:
        raise InvalidValue("Moved to the 2018 arrangements on", value,
                           f"must be from {format_date(ARRANGEMENTS_2018_EARLIEST)} (Working Together 2018 came "
                           f"into force) to {format_date(ARRANGEMENTS_2018_LATEST)} (the latest date allowed)")


def review_type_label(review_type: str) -> str:
    """What the frameworks call a review type (the newest name where they differ)."""
    names = [p.label(review_type) for p in load_profiles().values() if p.label(review_type) != review_type]
    return names[-1] if names else review_type.replace("_", " ").capitalize()


class AgencyDialog(RecordDialog):
    """One partner agency. It edits the settings dialog's list; Save there writes it."""

    def __init__(self, agency: dict, other_names: set[str], parent: QWidget | None = None, *,
                 read_only: bool = False):
        super().__init__("Edit agency" if agency.get("name") else "New agency", parent, read_only=read_only)
        self.agency = dict(agency)
        self._other_names = set(other_names)
        form = self.form
        self.name = form.add(TextField("Name", required=True, max_length=agency_rules.LIMITS["name"],
                                       validator=self._check_name,
                                       placeholder="e.g. Northshire Police"))
        self.short_name = form.add(TextField("Short name", max_length=agency_rules.LIMITS["short_name"],
                                             placeholder="e.g. Police"))
        self.type = form.add(ChoiceField("Type", values.AGENCY_TYPES, blank=None, required=True))
        self.lead_name = form.add(TextField("Lead contact", max_length=agency_rules.LIMITS["lead_name"]))
        self.lead_email = form.add(TextField("Email", max_length=agency_rules.LIMITS["lead_email"],
                                             validator=check_email,
                                             placeholder="name@agency.gov.uk"))
        self.name.set_value(agency.get("name"))
        self.short_name.set_value(agency.get("short_name"))
        self.type.set_value(agency.get("type") or "other")
        self.lead_name.set_value(agency.get("lead_name"))
        self.lead_email.set_value(agency.get("lead_email"))
        self.resize(520, 320)
        self.finish_setup()

    def _check_name(self, value: object) -> None:
        if message := agency_rules.problems({"name": value, "type": "other"}, self._other_names).get("name"):
            raise InvalidValue("Name", value, message)

    def save(self) -> None:
        self.agency.update({
            "name": self.name.value(), "short_name": self.short_name.value(), "type": self.type.value(),
            "lead_name": self.lead_name.value(), "lead_email": self.lead_email.value(), "changed": True,
        })
        self.agency.setdefault("active", 1)
        self.saved.emit("agencies", self.agency.get("id") or 0)


AGENCY_COLUMNS = (
    Column("name", "Name"),
    Column("short_name", "Short name"),
    Column("type", "Type", display=lambda r: values.label(values.AGENCY_TYPES, r.get("type"))),
    Column("lead_name", "Lead contact"),
    Column("lead_email", "Email"),
    Column("active", "Active", display=lambda r: "Yes" if r.get("active") else "No"),
)


def ask_discard(parent: QWidget) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, "Settings",
                      "You have changes that are not saved. Discard them?", parent=parent)
    discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is discard


class SettingsDialog(QDialog):
    """Settings of this data file, in pages; Save writes them all at once."""

    settings_saved = Signal()

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.read_only = bool(store.readonly)
        self.dirty = False
        self._logo: dict | None | bool = False  # False: unchanged
        self.setWindowTitle("Settings" + (" (read-only)" if self.read_only else ""))
        self.setAccessibleName("Settings")
        self.setModal(True)
        settings = store.settings()
        self.fields: list[Field] = []
        self.forms: list[LabelledForm] = []

        self.pages = QTabWidget()
        self.pages.setAccessibleName("Settings pages")
        self.pages.addTab(self._board_page(settings), "&Board")
        self.pages.addTab(self._documents_page(settings), "&Documents")
        self.pages.addTab(self._clocks_page(settings), "&Clocks and retention")
        self.pages.addTab(self._agencies_page(), "&Agencies")

        bottom = add_save_bar(self, self.read_only)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.try_save)

        for form in self.forms:
            form.edited.connect(self._on_edited)
            form.validity_changed.connect(self._update_problems)
            form.set_read_only(self.read_only)
        self._update_agency_buttons()
        self._update_problems()
        self.resize(860, 620)

    # -- pages --------------------------------------------------------------------------------

    def _form(self) -> LabelledForm:
        form = LabelledForm()
        self.forms.append(form)
        return form

    @staticmethod
    def _scrolled(form: LabelledForm) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form)
        return scroll

    def _add(self, form: LabelledForm, field: Field) -> Field:
        self.fields.append(form.add(field))
        return field

    def _hint(self, form: LabelledForm, text: str) -> None:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet(HINT_STYLE)
        form.add_widget("", label).setAccessibleName(text)

    def _board_page(self, settings: Settings) -> QWidget:
        form = self._form()
        self.board_name = self._add(form, TextField("Board name", required=True, max_length=limits.NAME))
        self.board_short_name = self._add(form, TextField("Short name", max_length=limits.SHORT_NAME))
        self.board_name.set_value(settings.board_name)
        self.board_short_name.set_value(settings.board_short_name)
        self.logo_preview = QLabel()
        self.logo_preview.setFixedSize(220, 90)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid #bbbbbb; background: white;")
        self.logo_preview.setAccessibleName("Logo")
        self.choose_logo_button = QPushButton("C&hoose image…")
        self.choose_logo_button.setAccessibleName("Choose a logo image")
        self.remove_logo_button = QPushButton("&Remove logo")
        self.remove_logo_button.setAccessibleName("Remove the logo")
        self.choose_logo_button.clicked.connect(self._on_choose_logo_clicked)
        self.remove_logo_button.clicked.connect(self._on_remove_logo_clicked)
        logo_row = QWidget()
        logo_layout = QHBoxLayout(logo_row)
        logo_layout.setContentsMargins(0, 0, 0, 0)
        logo_layout.addWidget(self.logo_preview)
        logo_layout.addWidget(self.choose_logo_button, 0, Qt.AlignmentFlag.AlignTop)
        logo_layout.addWidget(self.remove_logo_button, 0, Qt.AlignmentFlag.AlignTop)
        logo_layout.addStretch(1)
        form.add_widget("Logo", logo_row).setAccessibleName("Logo")
        self._hint(form, "Printed at the top of every document. A PNG or JPEG, ideally wide and short.")
        self._show_logo(logo_content(self.store))
        return self._scrolled(form)

    def _documents_page(self, settings: Settings) -> QWidget:
        form = self._form()
        form.section("Protective marking, printed in the header and footer")
        self.markings: dict[str, ChoiceField] = {}
        for kind, text in DOCUMENT_KINDS.items():
            field = self._add(form, ChoiceField(text, MARKINGS, blank=None, required=True))
            field.set_value(settings.marking_for(kind))
            self.markings[kind] = field
        form.section("Cases")
        profiles = {code: profile.name for code, profile in load_profiles().items()}
        self.framework = self._add(form, ChoiceField("Default framework", profiles, blank=None, required=True))
        self.framework.set_value(settings.default_framework)
        self._hint(form, "Used for new decisions; each record keeps the framework in force when it was decided.")
        self.ref_prefix = self._add(form, TextField("Reference prefix", required=True, max_length=10,
                                                    validator=check_prefix))
        self.ref_prefix.set_value(settings.ref_prefix)
        self._hint(form, "New referrals are numbered with it: Ref053, Ref054…")
        return self._scrolled(form)

    def _clocks_page(self, settings: Settings) -> QWidget:
        form = self._form()
        form.section("Clocks")
        numbers = (
            ("monitoring_cadence_days", "Monitoring cadence (days)", 1, 365),
            ("feedback_period_days", "Feedback period (days)", 1, 365),
            ("due_soon_days", "Due soon (days)", 1, 365),
            ("action_amber_working_days", "Action amber (working days)", 0, 260),
            ("review_amber_working_days", "Review amber (working days)", 0, 260),
            # The sub group's own business: how many agencies make a meeting quorate, how often
            # it checks its effectiveness (the reference report's "every six months").
            ("quorum_agencies", "Quorum (agencies present)", 1, 50),
            ("health_check_months", "Health check every (months)", 1, 24),
        )
        self.numbers: dict[str, NumberField] = {}
        for key, label, low, high in numbers:
            field = self._add(form, NumberField(label, minimum=low, maximum=high, required=True))
            field.set_value(getattr(settings, key))
            self.numbers[key] = field
        self._hint(form, "Amber: an action or review turns amber this many working days before its target.")
        self.as_at = self._add(form, DateField("As-at date"))
        self.as_at.set_value(settings.as_at_date)
        self._hint(form, "Leave blank to measure every clock against today. Set it to look at the "
                   "data as it stood on a date (the demo data is a June 2017 snapshot).")
        form.section("The 2018 arrangements")
        self.arrangements_2018 = self._add(form, DateField("Moved to the 2018 arrangements on", required=True,
                                                           validator=check_arrangements_date))
        self.arrangements_2018.set_value(settings.arrangements_2018_from())
        self._hint(form, "The day this partnership's safeguarding arrangements replaced the LSCB: any date "
                   f"from {format_date(ARRANGEMENTS_2018_EARLIEST)} to {format_date(ARRANGEMENTS_2018_LATEST)}. "
                   "Cases decided before it keep Working Together 2015 rules and labels, and serious case "
                   "reviews started under 2015 keep the SCR rules to the end.")
        form.section("Local targets for reviews no statute times (the partnership's own)")
        self.local_targets: dict[str, NumberField] = {}
        for review_type in LOCAL_REVIEW_TYPES:
            field = self._add(form, NumberField(f"{review_type_label(review_type)} (months)", minimum=1,
                                                maximum=60, required=True))
            field.set_value(settings.local_target_months(review_type))
            self.local_targets[review_type] = field
        self._hint(form, "Months from initiation (else agreement) to completion. These are the partnership's "
                   "own targets: the dashboard and papers label them so, never as Working Together.")
        form.section("Publication")
        # The national panel expects a published report to stay online for at least a year.
        self.report_online = self._add(form, NumberField("How long a report stays online (months)",
                                                         minimum=12, maximum=120, required=True))
        self.report_online.set_value(settings.report_online_months)
        self._hint(form, "A published review's removal date is this many months after its publication "
                   "(at least 12).")
        form.section("Retention: years after a record closes before it is reviewed")
        retention = settings.retention_years
        self.retention: dict[str, NumberField] = {}
        for key, label in RETENTION_KINDS.items():
            field = self._add(form, NumberField(label, minimum=1, maximum=100, required=True))
            field.set_value(retention.get(key, DEFAULTS.retention_years.get(key)))
            self.retention[key] = field
        return self._scrolled(form)

    def _agencies_page(self) -> QWidget:
        self.agencies = all_agencies(self.store)
        self.agency_model = RowsModel(AGENCY_COLUMNS, self)
        self.agency_model.set_rows(self.agencies)
        self.agency_view = QTableView()
        self.agency_view.setModel(self.agency_model)
        self.agency_view.setAccessibleName("Agencies")
        self.agency_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.agency_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.agency_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.agency_view.verticalHeader().hide()
        self.agency_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 90), (2, 150), (3, 110), (4, 170), (5, 55)):
            self.agency_view.setColumnWidth(column, width)
        self.add_agency_button = QPushButton("Add a&gency…")
        self.add_agency_button.setAccessibleName("Add an agency")
        self.edit_agency_button = QPushButton("&Edit agency…")
        self.edit_agency_button.setAccessibleName("Edit the selected agency")
        self.active_button = QPushButton("De&activate")
        self.active_button.setAccessibleName("Deactivate or reactivate the selected agency")
        self.active_button.setToolTip("An inactive agency keeps its records but is not offered for new ones")
        self.add_agency_button.clicked.connect(self.add_agency)
        self.edit_agency_button.clicked.connect(self.edit_agency)
        self.active_button.clicked.connect(self.toggle_active)
        self.agency_view.doubleClicked.connect(self.edit_agency)
        self.agency_view.selectionModel().selectionChanged.connect(self._update_agency_buttons)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            shortcut = QShortcut(QKeySequence(key), self.agency_view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.edit_agency)
        buttons = QHBoxLayout()
        for button in (self.add_agency_button, self.edit_agency_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.agency_view, 1)
        layout.addLayout(buttons)
        return page

    # -- logo ---------------------------------------------------------------------------------

    def _show_logo(self, content: bytes | None) -> None:
        image = QImage.fromData(content) if content else QImage()
        if image.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo" if not content else "The logo cannot be shown")
        else:
            self.logo_preview.setPixmap(QPixmap.fromImage(image).scaled(
                self.logo_preview.size() * 0.95, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        self.remove_logo_button.setEnabled(bool(content) and not self.read_only)
        self.choose_logo_button.setEnabled(not self.read_only)

    def choose_logo(self, path: str) -> bool:
        try:
            logo = read_attachment_file(path, "Logo")
        except ScrdeskError as error:
            QMessageBox.warning(self, "Logo", str(error))
            return False
        if QImage.fromData(logo["content"]).isNull() or Path(path).suffix.lower() not in (".png", ".jpg", ".jpeg"):
            QMessageBox.warning(self, "Logo", f"{Path(path).name} is not a PNG or JPEG image that scrdesk "
                                "can read; choose another file.")
            return False
        self._logo = logo
        self._show_logo(logo["content"])
        self._on_edited()
        return True

    def _on_choose_logo_clicked(self) -> None:
        paths = ask_open_files(self, "Choose the board's logo", "Images (*.png *.jpg *.jpeg)")
        if paths:
            self.choose_logo(paths[0])

    def _on_remove_logo_clicked(self) -> None:
        self._logo = None
        self._show_logo(None)
        self._on_edited()

    # -- agencies -----------------------------------------------------------------------------

    def selected_agency(self) -> dict | None:
        rows = self.agency_view.selectionModel().selectedRows()
        return self.agency_model.row_at(rows[0].row()) if rows else None

    def _update_agency_buttons(self, *_args) -> None:
        agency = self.selected_agency()
        self.add_agency_button.setEnabled(not self.read_only)
        self.edit_agency_button.setEnabled(agency is not None)
        self.edit_agency_button.setText("&View agency…" if self.read_only else "&Edit agency…")
        self.active_button.setEnabled(agency is not None and not self.read_only)
        self.active_button.setText("Re&activate" if agency is not None and not agency.get("active")
                                   else "De&activate")

    def _other_names(self, agency: dict | None) -> set[str]:
        return {a["name"] for a in self.agencies if a is not agency}

    def _show_agencies(self, select: dict | None) -> None:
        self.agencies.sort(key=lambda a: a["name"].casefold())
        self.agency_model.set_rows(self.agencies)
        if select is not None:
            self.agency_view.selectRow(next(i for i, a in enumerate(self.agencies) if a is select))
        self._update_agency_buttons()

    def add_agency(self) -> None:
        if self.read_only:
            return
        dialog = AgencyDialog({"type": "other", "active": 1}, self._other_names(None), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.agencies.append(dialog.agency)
            self._show_agencies(dialog.agency)
            self._on_edited()

    def edit_agency(self, *_args) -> None:
        agency = self.selected_agency()
        if agency is None:
            return
        dialog = AgencyDialog(agency, self._other_names(agency), self, read_only=self.read_only)
        if dialog.exec() == QDialog.DialogCode.Accepted and not self.read_only:
            agency.update(dialog.agency)
            self._show_agencies(agency)
            self._on_edited()

    def toggle_active(self) -> None:
        agency = self.selected_agency()
        if agency is None or self.read_only:
            return
        agency["active"] = 0 if agency.get("active") else 1
        agency["changed"] = True
        self._show_agencies(agency)
        self._on_edited()

    # -- saving -------------------------------------------------------------------------------

    def _on_edited(self) -> None:
        self.dirty = True
        self._update_problems()

    def _invalid(self) -> list[Field]:
        return [f for f in self.fields if not f.is_valid()]

    def _update_problems(self) -> None:
        if self.save_button is None:
            return
        invalid = self._invalid()
        self.save_button.setEnabled(not invalid)
        self.problem_label.setText("To save: check " + ", ".join(f.label for f in invalid) + "." if invalid else "")

    def values(self) -> dict:
        return {
            "board_name": self.board_name.value(),
            "board_short_name": self.board_short_name.value(),
            "marking": {kind: field.value() for kind, field in self.markings.items()},
            "default_framework": self.framework.value(),
            "ref_prefix": self.ref_prefix.value(),
            **{key: field.value() for key, field in self.numbers.items()},
            "as_at_date": self.as_at.iso(),
            "retention_years": {key: field.value() for key, field in self.retention.items()},
            "arrangements_2018_date": self.arrangements_2018.iso(),
            "local_review_target_months": {key: field.value() for key, field in self.local_targets.items()},
            "report_online_months": self.report_online.value(),
        }

    def try_save(self) -> bool:
        if self.read_only:
            self.done(QDialog.DialogCode.Rejected)
            return False
        for field in self.fields:
            field.reveal_error()
        invalid = self._invalid()
        if invalid:
            page = next(i for i, form in enumerate(self.forms) if invalid[0] in form.fields)
            self.pages.setCurrentIndex(page)
            invalid[0].setFocus()
            self._update_problems()
            return False
        try:
            save_settings(self.store, self.values(), self.agencies, self._logo)
        except ScrdeskError as error:
            QMessageBox.warning(self, "Settings", str(error))
            return False
        self.dirty = False
        self.settings_saved.emit()
        self.accept()
        return True

    def reject(self) -> None:
        if self.dirty and not self.read_only and not ask_discard(self):
            return
        self.dirty = False
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.dirty and not self.read_only and not ask_discard(self):
            event.ignore()
            return
        self.dirty = False
        super().closeEvent(event)
