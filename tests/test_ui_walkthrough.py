"""A project officer's walk through the window on the current demo (as at 30 Sep 2026), on a
1366×768 laptop: every tab shown, each main dialog opened and closed, every document in
File → Export… built. Any tab or dialog that raises fails the walk (pytest-qt turns an exception
inside a Qt slot into a failure); any dialog taller or wider than the laptop's screen fails too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog
from ui_helpers import with_modal

from scrdesk.ui import documents
from scrdesk.ui import referrals as referrals_module
from scrdesk.ui.base import FRAME_ALLOWANCE
from scrdesk.ui.documents import DOCUMENT_KINDS, DocumentWindow, ExportDialog
from scrdesk.ui.forms import RecordDialog
from scrdesk.ui.main_window import TAB_CLASSES, MainWindow

#: The room a 1366×768 laptop leaves a window (less a task bar), frame included.
LAPTOP = QSize(1366, 728)


@pytest.fixture(autouse=True)
def laptop(monkeypatch):
    """Windows and dialogs size themselves to a 1366×768 laptop screen less its task bar (the
    offscreen screen is another size)."""
    from scrdesk.ui import base
    from scrdesk.ui import main_window as main_window_module

    for module in (base, main_window_module):
        monkeypatch.setattr(module, "available_geometry", lambda widget=None: QRect(0, 0, 1366, 728))


@pytest.fixture(autouse=True)
def quiet_questions(monkeypatch):
    monkeypatch.setattr(RecordDialog, "_discard_confirmed", lambda self: True)
    monkeypatch.setattr(referrals_module, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(documents, "open_with_system", lambda target: True)


@pytest.fixture
def current(tmp_path):
    from scrdesk.store.db import Store
    from scrdesk.store.demo_current import write_current_demo

    opened = Store.open(write_current_demo(tmp_path / "current.db"), user="tester")
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot, current, window_settings):
    opened = MainWindow(current, settings=window_settings, demo=True)
    qtbot.addWidget(opened)
    opened.resize(LAPTOP)
    opened.show()
    qtbot.waitExposed(opened)
    return opened


def tab(window, class_name: str):
    """Show the tab of that class, as clicking its title would."""
    index = next(i for i, entry in enumerate(TAB_CLASSES) if entry[1] == class_name)
    window.tabs.setCurrentIndex(index)
    return window.tab_at(index)


def opens(qtbot, trigger, title: str | None = None) -> QDialog:
    """Press something that should open a modal dialog; check it fits the laptop, then close it."""
    seen: list[QDialog] = []

    def look(dialog) -> None:
        seen.append(dialog)
        if dialog is None:
            return  # with_modal says no dialog opened
        frame = dialog.size() + FRAME_ALLOWANCE
        assert frame.width() <= LAPTOP.width() and frame.height() <= LAPTOP.height(), (
            f"{dialog.windowTitle()!r} is {dialog.width()}×{dialog.height()}, more than a laptop shows")
        if title is not None:
            assert dialog.windowTitle() == title

    with_modal(qtbot, trigger, look)
    assert QApplication.activeModalWidget() is None, "the dialog did not close"
    return seen[0]


def first_id(store, sql: str) -> int:
    row_id = store.scalar(sql)
    assert row_id is not None, f"the current demo has none: {sql}"
    return row_id


def test_every_tab_shows_on_the_current_demo(window):
    for index, (_module, class_name, _icon, title) in enumerate(TAB_CLASSES):
        window.tabs.setCurrentIndex(index)
        shown = window.tab_at(index)
        assert type(shown).__name__ == class_name, f"the {title} tab did not build"
        assert window.tabs.tabText(index).replace("&&", "&") == title
        window.refresh_current()


def test_the_main_dialogs_open_and_close(qtbot, window, current):
    tab(window, "ReferralsTab")
    opens(qtbot, window.new_record_action.trigger, "New referral")
    window._on_tab_record_requested("referral", first_id(current, "SELECT id FROM referrals ORDER BY id"))
    opens(qtbot, window.edit_action.trigger)

    reviews = tab(window, "ReviewsTab")
    live = first_id(current, "SELECT id FROM reviews WHERE completed_date IS NULL ORDER BY id")
    assert reviews.select_id(live)
    opens(qtbot, reviews.edit_selected)
    opens(qtbot, reviews.edit_publication)
    opens(qtbot, reviews.escalate_review)
    opens(qtbot, reviews.new_record)

    actions = tab(window, "ActionPlanTab")
    window._on_tab_record_requested("action", first_id(
        current, "SELECT id FROM actions WHERE status NOT IN ('complete_evidenced', 'signed_off') ORDER BY id"))
    assert actions.selected_action() is not None
    opens(qtbot, actions.add_update_to_selected, "Add an update")
    opens(qtbot, actions.edit_selected)
    opens(qtbot, actions.new_record)

    briefings = tab(window, "BriefingsTab")
    opens(qtbot, briefings.new_record)

    events = tab(window, "EventsTab")
    opens(qtbot, events.new_event)
    opens(qtbot, events.new_meeting)

    sub_group = tab(window, "SubGroupTab")
    for panel in sub_group.panels:
        if panel._dialog is not None:
            opens(qtbot, panel.new)
    opens(qtbot, window.open_settings)


@pytest.mark.parametrize("kind", [kind for kind in DOCUMENT_KINDS if kind != "chasers"])
def test_file_export_builds_a_preview_of_each_document(qtbot, window, kind):
    dialog = opens(qtbot, window.export_documents, "Export a document")
    assert isinstance(dialog, ExportDialog)
    export = ExportDialog(window.store, window)
    qtbot.addWidget(export)
    export.select(kind)
    for group in (export.actions_format, export.annual_format, export.yearly_format, export.themes_format,
                  export.chair_format):
        group[1].buttons()[0].setChecked(True)  # PDF, previewed first
    export._on_go_clicked()
    preview = export.window
    assert isinstance(preview, DocumentWindow), f"{kind}: no preview opened"
    qtbot.addWidget(preview)
    qtbot.waitUntil(preview.is_ready, timeout=60000)
    assert preview.error is None, f"{kind}: {preview.error}"
    assert preview.pdf.pageCount() >= 1
    frame = preview.size() + FRAME_ALLOWANCE
    assert frame.height() <= LAPTOP.height(), f"the {kind} preview is {preview.height()} high"


def test_file_export_writes_the_chasers(qtbot, window, tmp_path):
    export = ExportDialog(window.store, window)
    qtbot.addWidget(export)
    export.select("chasers")
    assert export.write_chasers(tmp_path / "chasers", None)
    assert export.written and all(path.suffix == ".eml" for path in export.written)


def test_new_referral_never_scrolls_sideways_with_long_agency_names(qtbot, demo, window_settings):
    """The seed demo's partners have long names (a county council's full title): the referral
    dialog still fits the laptop's width, and a date's error message wraps inside its column."""
    window = MainWindow(demo, settings=window_settings, demo=True)
    qtbot.addWidget(window)
    window.resize(LAPTOP)
    window.show()
    tab(window, "ReferralsTab")

    def look(dialog) -> None:
        dialog.received.editor.setText("31/11/2016")
        dialog.received.editor.editingFinished.emit()
        assert dialog.received.error_label.isVisible()
        assert dialog.scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        assert dialog.scroll.widget().width() <= dialog.scroll.viewport().width()

    with_modal(qtbot, window.new_record_action.trigger, look)
