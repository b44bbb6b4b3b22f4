"""The health check PDF: each question's previous RAG beside the current one with the direction in
words, the counts against the previous check, a chart of the recent checks, the actions arising;
a date with no check, and a file with none, refused by name with nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from scrdesk.cli import main
from scrdesk.documents.health_check import trend
from scrdesk.domain.errors import ScrdeskError
from scrdesk.store.db import Store
from scrdesk.store.governance_reports import health_check_data, health_check_dates

QUESTIONS = [("MEM1", "Membership", "Every agency has a senior member and a deputy."),
             ("ATT1", "Attendance", "Every agency attends at least three meetings in four."),
             ("TIM1", "Timeliness of reviews", "Reviews complete within their targets."),
             ("DIS1", "Dissemination", "Agencies return dissemination feedback on time.")]


def _check(store: Store, held: str, rags: dict[str, str | None], notes: str = "") -> int:
    with store.transaction():
        check_id = store.insert("health_checks", {"date": held, "notes": notes})
        for position, (code, area, text) in enumerate(QUESTIONS):
            if code in rags:
                store.insert("health_check_answers", {
                    "health_check_id": check_id, "code": code, "area": area, "question": text, "position": position,
                    "rag": rags[code], "comment": f"{code} at {held}"})
    return check_id


def _two_checks(store: Store) -> int:
    _check(store, "2016-09-15", {"MEM1": "amber", "ATT1": "red", "TIM1": "red"})
    second = _check(store, "2017-03-16", {"MEM1": "green", "ATT1": "amber", "TIM1": "red", "DIS1": "amber"},
                    notes="Held at the March meeting.")
    with store.transaction():
        store.insert("actions", {"source_kind": "health_check", "source_text": "Health check 16 Mar 2017",
                                 "health_check_id": second, "text": "Write to each agency missing two meetings",
                                 "lead_officer": "Sub group chair", "target_date": "2017-04-30"})
    return second


def test_each_question_shows_its_previous_rag_and_the_direction(store):
    _two_checks(store)
    data = health_check_data(store)
    assert (data["date"], data["previous_date"]) == ("2017-03-16", "2016-09-15")
    moves = {q["code"]: (q["previous_rag"], q["rag"], trend(q["previous_rag"], q["rag"])) for q in data["questions"]}
    assert moves == {"MEM1": ("amber", "green", "Better"), "ATT1": ("red", "amber", "Better"),
                     "TIM1": ("red", "red", "Same"), "DIS1": (None, "amber", "New")}
    assert data["counts"] == {"red": 1, "amber": 2, "green": 1}
    assert data["previous_counts"] == {"red": 2, "amber": 1, "green": 0}
    assert [h["date"] for h in data["history"]] == ["2016-09-15", "2017-03-16"]
    assert [a["text"] for a in data["actions"]] == ["Write to each agency missing two meetings"]
    # An earlier check is compared with the one before it (here: none).
    first = health_check_data(store, date(2016, 9, 15))
    assert first["previous_date"] is None and first["history"] == [{"date": "2016-09-15", "red": 2, "amber": 1,
                                                                     "green": 0}]
    assert trend("green", "red") == "Worse" and trend("red", None) == "Not answered"


def test_the_pdf_prints_the_trend_chart_and_actions(store, tmp_path):
    _two_checks(store)
    path = store.path
    store.close()
    out = tmp_path / "health.pdf"
    assert main(["--db", str(path), "export", "health-check", "--out", str(out)]) == 0
    from pypdf import PdfReader

    reader = PdfReader(str(out))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Held 16 Mar 2017 · compared with the check of 15 Sep 2016" in text
    assert "Since 15 Sep 2016: 2 better, 1 the same, 0 worse, 1 new." in text
    assert "Membership Every agency has a senior member and a deputy. Amber Green Better" in text
    assert "Dissemination Agencies return dissemination feedback on time. – Amber New" in text
    assert "red (-1 since last)" in text and "green (+1 since last)" in text
    # The chart names each check under its bar.
    assert "Answers by RAG at each health check" in text and "15 Sep 2016" in text
    assert "Write to each agency missing two meetings Sub group chair 30 Apr 2017" in text
    assert reader.metadata.title == "Health check 16 Mar 2017"
    with Store.open(path, user="tester") as reopened:
        assert reopened.scalar("SELECT kind FROM document_log ORDER BY id DESC LIMIT 1") == "health_check"


def test_a_date_without_a_check_or_a_file_without_any_is_refused(store, tmp_path):
    with pytest.raises(ScrdeskError, match="There is no health check yet"):
        health_check_data(store)
    assert health_check_dates(store) == []
    _two_checks(store)
    with pytest.raises(ScrdeskError) as caught:
        health_check_data(store, date(2017, 1, 1))
    assert "Health check date" in str(caught.value)
    assert "checks were held on 15 Sep 2016, 16 Mar 2017" in str(caught.value)
    path = store.path
    store.close()
    out = tmp_path / "health.pdf"
    assert main(["--db", str(path), "export", "health-check", "--date", "2017-01-01", "--out", str(out)]) != 0
    assert not out.exists()


def test_the_window_offers_the_checks_held_latest_first(qtbot, store):
    _two_checks(store)
    from scrdesk.ui.documents import ExportDialog

    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.select("health_check")
    assert [dialog.health_check.itemText(i) for i in range(dialog.health_check.count())] == ["16 Mar 2017",
                                                                                              "15 Sep 2016"]
    assert dialog.selected() == ("health_check", {"on": "2017-03-16", "fmt": "pdf"})


def test_a_check_answered_through_the_store_puts_its_actions_in_the_plan_and_its_pdf(store, tmp_path):
    from scrdesk import exports
    from scrdesk.store import governance

    first = governance.create_health_check(store, {"date": "2016-09-15"})
    governance.answer_health_check(store, first, {"MEM1": {"rag": "red", "comment": "Two agencies unrepresented"}})
    second = governance.create_health_check(store, {"date": "2017-03-16"})
    governance.answer_health_check(store, second, {"MEM1": {"rag": "green", "comment": "All represented"}})
    governance.add_health_check_action(store, second, {"text": "Confirm deputies for every agency",
                                                       "target_date": "2017-05-31"})
    plan = store.rows("SELECT text, source_kind, review_id FROM actions WHERE health_check_id = ?", [second])
    assert plan == [{"text": "Confirm deputies for every agency", "source_kind": "health_check", "review_id": None}]
    data = health_check_data(store)
    mem1 = next(q for q in data["questions"] if q["code"] == "MEM1")
    assert (mem1["previous_rag"], mem1["rag"], trend(mem1["previous_rag"], mem1["rag"])) == ("red", "green", "Better")
    assert len(data["questions"]) == len(governance.default_questions())
    result = exports.export_health_check(store, tmp_path / "hc.pdf")
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(result.path)).pages).split())
    assert "Red Green Better" in text and "Confirm deputies for every agency" in text
