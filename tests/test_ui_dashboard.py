"""The Dashboard: what needs doing now on the demo data (a June 2017 snapshot), each line with its
RAG colour and reason, each line opening its record."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from scrdesk.ui.dashboard import COL_RAG, COL_WHAT, COL_WHY, DashboardTab, dashboard_lines


@pytest.fixture
def tab(qtbot, demo):
    opened = DashboardTab(demo)
    qtbot.addWidget(opened)
    opened.resize(1200, 800)
    opened.show()
    return opened


def police_line(tab):
    lines = dashboard_lines(tab.tree, "overdue_by_agency")
    return next(line for line in lines if line["title"].startswith("Northamptonshire Police"))


def test_heading_says_which_day_the_clocks_are_measured_against(tab):
    assert tab.heading.text() == "What needs doing — as at 30 Jun 2017"


def test_overdue_actions_are_grouped_by_agency_with_colour_and_reason(tab, demo):
    line = police_line(tab)
    assert line["title"] == "Northamptonshire Police — 1 overdue action"
    assert line["rag"] == "Red"
    assert line["why"].startswith("Red: target 31 May 2017 passed 30 days ago")
    item = line["item"]
    assert item.background(COL_RAG).color().name() == "#f8d0cc"
    assert line["why"] in item.toolTip(COL_WHAT)  # the reason is in the tooltip too
    assert line["count"] == 1 and line["actions"] == []  # read only when the group is opened
    item.setExpanded(True)
    line = police_line(tab)
    police = demo.scalar("SELECT id FROM agencies WHERE name = 'Northamptonshire Police'")
    overdue = demo.rows("SELECT id FROM actions WHERE agency_id = ? AND status NOT IN "
                        "('complete_awaiting_evidence', 'complete_evidenced', 'signed_off') "
                        "AND coalesce(revised_target_date, target_date) < '2017-06-30'", [police])
    assert [a["id"] for a in line["actions"]] == [a["id"] for a in overdue]


def test_every_section_is_there_and_an_empty_one_says_so(tab):
    headings = [tab.tree.topLevelItem(i).text(COL_WHAT) for i in range(tab.tree.topLevelItemCount())]
    assert headings == ["Overdue actions, by agency", "Actions due in the next 14 days",
                        "Reviews past or near their target", "Statutory deadlines coming up (working days)",
                        "Briefings waiting for dissemination feedback", "The sub group itself"]
    sub_group = tab.tree.topLevelItem(5)  # its lines open the Sub group tab
    assert [sub_group.child(i).text(COL_WHAT) for i in range(sub_group.childCount())] == [
        "Next health check due 16 Sep 2017"]
    reviews = dashboard_lines(tab.tree, "reviews")
    assert any(r["title"] == "Ref050 – Case Mapping Exercise" and r["rag"] == "Red" for r in reviews)
    assert "6 overdue actions across 6 agencies" in tab.summary.text()


def test_an_empty_section_says_so(qtbot, store, board_settings):
    board_settings(store, as_at_date="2017-06-30")
    empty = DashboardTab(store)
    qtbot.addWidget(empty)
    empty.show()
    deadlines = empty.tree.topLevelItem(3)
    assert deadlines.text(COL_RAG) == "0"
    assert deadlines.child(0).text(COL_WHAT) == "No statutory deadline is coming up."


def test_enter_on_an_agency_opens_its_overdue_actions(qtbot, tab, demo):
    item = police_line(tab)["item"]
    tab.tree.setCurrentItem(item)
    tab.tree.setFocus()
    with qtbot.waitSignal(tab.record_requested) as signal:
        qtbot.keyClick(tab.tree, Qt.Key.Key_Return)
    assert signal.args == ["agency", demo.scalar("SELECT id FROM agencies WHERE name = 'Northamptonshire Police'")]


def test_double_click_on_one_action_opens_that_action(qtbot, tab):
    police_line(tab)["item"].setExpanded(True)
    line = police_line(tab)
    action_item = line["actions"][0]["item"]
    with qtbot.waitSignal(tab.record_requested) as signal:
        tab.tree.itemActivated.emit(action_item, COL_WHY)
    assert signal.args == ["action", line["actions"][0]["id"]]


def test_a_section_heading_opens_nothing_it_folds(qtbot, tab):
    section = tab.tree.topLevelItem(0)
    with qtbot.assertNotEmitted(tab.record_requested):
        tab.tree.itemActivated.emit(section, COL_WHAT)
    assert not section.isExpanded()


def test_refresh_keeps_the_readers_place(tab, demo):
    lines = dashboard_lines(tab.tree, "overdue_by_agency")
    corby = next(line for line in lines if line["title"].startswith("Corby"))
    corby["item"].setExpanded(True)
    tab.tree.setCurrentItem(corby["item"])
    police_line(tab)["item"].setExpanded(True)
    police = police_line(tab)["actions"][0]["id"]
    demo.update("actions", police, {"target_date": "2017-07-05"})  # no longer overdue
    tab.refresh()
    lines = dashboard_lines(tab.tree, "overdue_by_agency")
    assert not any(line["title"].startswith("Northamptonshire Police") for line in lines)
    assert police in [entry["id"] for entry in dashboard_lines(tab.tree, "due_soon")]
    corby = next(line for line in lines if line["title"].startswith("Corby"))
    assert corby["item"].isExpanded()
    assert tab.tree.currentItem() is corby["item"]


def test_the_open_button_follows_the_selection(tab):
    assert not tab.open_button.isEnabled()
    tab.tree.setCurrentItem(police_line(tab)["item"])
    assert tab.open_button.isEnabled()
    tab.tree.setCurrentItem(tab.tree.topLevelItem(1))
    assert not tab.open_button.isEnabled()


def test_a_long_section_ends_with_a_line_to_the_tab_listing_them_all(qtbot, demo, monkeypatch):
    import scrdesk.ui.dashboard as dashboard_module

    full = dashboard_module.dashboard
    monkeypatch.setattr(dashboard_module, "dashboard", lambda store, today: full(store, today, limit=2))
    short = DashboardTab(demo)
    qtbot.addWidget(short)
    section = short.tree.topLevelItem(0)
    assert section.childCount() == 3 and section.text(COL_RAG) == "6"  # six agencies, two shown
    more = section.child(2)
    assert more.text(COL_WHAT) == "and 4 more — open the action plan"
    assert "6 overdue actions across 6 agencies" in short.summary.text()
    with qtbot.waitSignal(short.tab_requested) as signal:
        short.tree.itemActivated.emit(more, COL_WHAT)
    assert signal.args == ["ActionPlanTab"]
    feedback = short.tree.topLevelItem(4)
    assert feedback.text(COL_RAG) == "10" and feedback.childCount() == 3
    assert feedback.child(2).text(COL_WHAT) == "and 8 more — open the briefings tab"
    assert [line["rag"] for line in dashboard_lines(short.tree, "feedback")] == ["Red", "Red"]


# -- Export clocks… ------------------------------------------------------------------------------

@pytest.fixture
def notified_on_18_december(store, board_settings):
    """A new file with one case notified Thu 18 Dec 2025, measured on Fri 19 Dec 2025."""
    board_settings(store, as_at_date="2025-12-19", board_name="Northshire Safeguarding Children Partnership")
    store.insert("referrals", {"ref": "Ref010", "received_date": "2025-12-16", "la_aware_date": "2025-12-16",
                               "sin_submitted_date": "2025-12-18"})
    return store


@pytest.mark.parametrize("suffix", [".json", ".xlsx", ".ics"])
def test_export_clocks_writes_what_the_command_line_writes(qtbot, notified_on_18_december, tmp_path,
                                                           monkeypatch, suffix):
    from scrdesk.cli import main
    from scrdesk.ui import dashboard as dashboard_module

    store = notified_on_18_december
    tab = DashboardTab(store)
    qtbot.addWidget(tab)
    asked = []
    monkeypatch.setattr(dashboard_module, "ask_clocks_file",
                        lambda parent, caption, suggested, pattern: asked.append(suggested) or str(tmp_path / "mine"))
    menu_texts = [action.text() for action in tab.export_button.menu().actions()]
    assert len(menu_texts) == 3 and any("Excel" in t for t in menu_texts) and any(".ics" in t for t in menu_texts)
    with qtbot.waitSignal(tab.status_message) as said:
        written = tab.export_clocks(suffix)
    assert written == tmp_path / f"mine{suffix}"  # the suffix is added when left off
    assert asked[0].endswith(f"clocks-2025-12-19{suffix}")
    assert "as at 19 Dec 2025" in said.args[0]
    store.close()
    by_command = tmp_path / f"command{suffix}"
    assert main(["export", "clocks", "--db", str(store.path), "--out", str(by_command)]) == 0
    if suffix == ".json":
        assert written.read_bytes() == by_command.read_bytes()
        assert '"due": "2026-01-13"' in written.read_text(encoding="utf-8")
    elif suffix == ".ics":
        text = written.read_text(encoding="utf-8")
        assert "DTSTART;VALUE=DATE:20260113" in text and "Ref010" in text
    else:
        from openpyxl import load_workbook

        def cells(path):
            return [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
        assert cells(written) == cells(by_command)


def test_export_clocks_cancelled_writes_nothing(qtbot, notified_on_18_december, tmp_path, monkeypatch):
    from scrdesk.ui import dashboard as dashboard_module

    tab = DashboardTab(notified_on_18_december)
    qtbot.addWidget(tab)
    monkeypatch.setattr(dashboard_module, "ask_clocks_file", lambda *a: "")
    assert tab.export_clocks(".json") is None
    assert list(tmp_path.glob("*.json")) == []
