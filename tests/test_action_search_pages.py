"""A search by text in the action plan's review view reads only as much of the search index as
its first page of groups needs (`TextSearch`), and counts the rest just after the view paints:
the first page is always the start of the whole answer, and the whole answer is the one SQL gives.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, QSettings

from scrdesk.store import actions as api
from scrdesk.ui.actions import ActionPlanTab

TODAY = date(2020, 6, 15)
WORDS = ["neglect", "audit", "escalation", "curiosity", "fathers", "strategy", "safe sleeping", "training"]


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


def _history(store, *, reviews: int, per_review: int, seed: int = 3) -> list[int]:
    """Reviews added one after another, each with its actions added with it, as a file grows;
    then a few late actions added to old reviews and to the sub group's own plan."""
    rng = random.Random(seed)
    agencies = [store.insert("agencies", {"name": f"Agency {n}"}) for n in range(6)]
    review_ids = []
    with store.transaction():
        for n in range(reviews):
            review_ids.append(store.db.execute(
                "INSERT INTO reviews (title, review_type) VALUES (?, 'SCR')",
                # Titles deliberately out of the order added: the view's order is the order added.
                [f"Review {rng.randrange(10_000):04d}"]).lastrowid)
            store.db.conn.executemany(
                "INSERT INTO actions (review_id, agency_id, text, target_date, status) VALUES (?, ?, ?, ?, ?)",
                [(review_ids[-1], rng.choice(agencies), f"Action {n}.{k}: {rng.choice(WORDS)} and {rng.choice(WORDS)}",
                  f"20{10 + rng.randrange(12)}-0{1 + rng.randrange(9)}-15", rng.choice(["on_track", "slipping"]))
                 for k in range(per_review)])
        late = [(rng.choice(review_ids[:5]), None, None, "Late neglect action", "2019-01-01", "on_track"),
                (None, "business_plan", "Business plan", "Own plan neglect audit", "2018-01-01", "slipping"),
                (review_ids[0], None, None, "Late audit for the first review", None, "not_started")]
        store.db.conn.executemany(
            "INSERT INTO actions (review_id, source_kind, source_text, text, target_date, status) "
            "VALUES (?, ?, ?, ?, ?, ?)", late)
    return review_ids


def _first_page_and_whole(store, text: str, *, groups: int, more_than: int):
    counts = api.GroupCounts(store, TODAY)
    search = counts.search(api.ActionFilters(text=text), groups=groups, more_than=more_than)
    first = list(search.groups)
    read_first = search.matched
    search.finish()
    return first, read_first, search, api.top_groups(store, TODAY, api.ActionFilters(text=text), "plan")


@pytest.mark.parametrize("text", ["neglect", "audit", "safe sleeping", "Own plan", "Late", "no such words",
                                  "Action 3.", "Review"])
def test_the_first_page_is_the_start_of_the_whole_answer_and_the_whole_answer_is_sqls(store, text):
    _history(store, reviews=120, per_review=25)
    first, _read, search, whole = _first_page_and_whole(store, text, groups=10, more_than=50)
    assert search.complete and search.groups == whole, text
    assert [group[:4] for group in first] == [group[:4] for group in whole[:len(first)]], text
    assert len(first) >= min(10, len(whole)), text
    assert (search.matched, search.matched_overdue) == ((whole[0][4], whole[0][5]) if whole else (0, 0))


def test_a_common_word_reads_only_the_start_of_a_long_history(store):
    _history(store, reviews=400, per_review=25)
    first, read_first, search, whole = _first_page_and_whole(store, "neglect", groups=10, more_than=50)
    assert search.matched > 2000
    assert read_first < search.matched / 4  # the first page came from the first stretch of the index
    assert [group[:4] for group in first] == [group[:4] for group in whole[:len(first)]]


def test_an_old_review_given_a_late_action_is_counted_whole_in_its_place(store):
    review_ids = _history(store, reviews=200, per_review=25)
    first, _read, _search, whole = _first_page_and_whole(store, "Late", groups=3, more_than=0)
    assert [group[:4] for group in first] == [group[:4] for group in whole[:len(first)]]
    late = {group[0]: group[2] for group in whole}
    assert late[review_ids[0]] >= 1  # its late action, counted with it, not apart
    assert [group[0] for group in whole] == sorted(late, key=lambda key: (key < 0, -key))


def _searching(store, qtbot, text: str) -> tuple[ActionPlanTab, list[int]]:
    """The tab, shown at a laptop's size over a 300-review history, just after `text` was typed."""
    store.set_settings({"as_at_date": TODAY.isoformat()})
    review_ids = _history(store, reviews=300, per_review=25)
    tab = ActionPlanTab(store)
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    tab.filter_box.setText(text)
    tab.filter_box.settle_now()
    return tab, review_ids


def test_the_tab_shows_the_first_page_then_the_count_of_every_match(store, qtbot):
    tab, _reviews = _searching(store, qtbot, "neglect")
    model = tab.tree_model
    assert model.counting and tab.count_label.text().startswith("Counting the matching actions")
    assert 0 < model.rowCount() <= model.GROUP_PAGE
    whole = api.top_groups(store, TODAY, api.ActionFilters(text="neglect"), "plan")
    qtbot.waitUntil(lambda: not model.counting)
    total, overdue = whole[0][4], whole[0][5]
    assert tab.count_label.text().startswith(f"{total} matching actions, {overdue} overdue")
    # Scrolling to the end shows every group, in the order SQL gives.
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == [group[1] for group in whole]


def test_the_first_paint_does_not_wait_for_the_count(store, qtbot):
    """A tree view asks for one more page of groups each time it lays out: it gets only groups
    already counted, so the paint comes before the count, not after it."""
    tab, _reviews = _searching(store, qtbot, "audit")
    model = tab.tree_model
    tab.tree.grab()  # lays out and paints
    assert model.counting and model.rowCount() >= model.GROUP_PAGE
    model.fetchMore(QModelIndex())  # scrolled to the end of the groups counted so far
    assert model.counting and not model.canFetchMore(QModelIndex())
    qtbot.waitUntil(lambda: not model.counting)
    assert model.canFetchMore(QModelIndex())  # the rest, now counted, come as the view scrolls on
    total = api.count_actions(store, TODAY, api.ActionFilters(text="audit"))[0]
    assert tab.count_label.text().startswith(f"{total} matching actions")


def test_an_action_beyond_the_groups_counted_so_far_can_be_shown(store, qtbot):
    tab, review_ids = _searching(store, qtbot, "audit")
    assert tab.tree_model.counting
    oldest = store.scalar("SELECT min(id) FROM actions WHERE review_id = ? AND text LIKE '%audit%'",
                          [review_ids[1]])
    assert tab.show_record("action", oldest)
    assert tab.selected_action()["id"] == oldest and not tab.tree_model.counting
    assert tab.filter_box.text() == "audit"  # found under the search, not by clearing it


def test_a_new_search_makes_a_count_still_owed_moot(store, qtbot):
    tab, _reviews = _searching(store, qtbot, "audit")
    assert tab.tree_model.counting
    tab.filter_box.setText("no such words")
    tab.filter_box.settle_now()
    assert not tab.tree_model.counting and tab.count_label.text().startswith("0 matching actions")
    qtbot.wait(20)  # the first search's deferred count runs, and must change nothing
    assert tab.count_label.text().startswith("0 matching actions") and tab.tree_model.rowCount() == 0


def _index_pieces(store) -> int:
    return store.scalar("SELECT count(DISTINCT segid) FROM _action_search_idx")


def test_a_bulk_load_leaves_the_search_index_in_one_piece(store):
    """FTS5 writes a big load in pieces as its buffer fills, and every search reads every piece;
    a load of many actions is merged into one piece as it commits. An everyday edit is not."""
    _history(store, reviews=600, per_review=25)  # 15,000 actions in one transaction: three pieces, unmerged
    assert _index_pieces(store) == 1
    review = store.scalar("SELECT max(id) FROM reviews")
    store.insert("actions", {"review_id": review, "text": "One more neglect audit", "status": "on_track"})
    assert _index_pieces(store) == 2
    whole = api.top_groups(store, TODAY, api.ActionFilters(text="one more neglect"), "plan")
    assert [(group[0], group[2]) for group in whole] == [(review, 1)]
