"""The themes report: a theme shared by two reviews shows as recurring, with its reviews, years and
open actions, in PDF and Excel through the command line."""

from __future__ import annotations

from scrdesk.cli import main
from scrdesk.store.db import Store
from scrdesk.store.themes_report import themes_report_data


def _share_a_theme(path) -> None:
    # Ref021's briefing (review 1) and Ref023's (review 2) both name escalation, as typed by people.
    with Store.open(path, user="tester") as store:
        row = store.row("SELECT id, learning_themes FROM briefings WHERE review_id = 1")
        with store.transaction():
            store.update("briefings", row["id"], {"learning_themes": row["learning_themes"] + ";  escalation "})


def test_a_theme_in_two_reviews_recurs_with_its_reviews_years_and_open_actions(demo_path):
    _share_a_theme(demo_path)
    with Store.open(demo_path, readonly=True) as store:
        data = themes_report_data(store)
        open_actions = store.scalar("SELECT count(*) FROM actions WHERE review_id IN (1, 2) AND status NOT IN "
                                    "('complete_evidenced', 'signed_off', 'complete_awaiting_evidence')")
    recurring = {t["label"]: t for t in data["recurring"]}
    assert list(recurring) == ["Escalation"]
    escalation = recurring["Escalation"]
    assert escalation["review_count"] == 2
    assert sorted(r["ref"] for r in escalation["reviews"]) == ["Ref021", "Ref023"]
    assert escalation["years"] and all("-" in y for y in escalation["years"])
    assert escalation["open_actions"] == open_actions
    assert data["themes"][0]["label"] == "Escalation"  # most reviews first
    assert all(t["review_count"] == 1 for t in data["themes"][1:])


def test_the_report_in_pdf_and_excel(demo_path, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    _share_a_theme(demo_path)
    pdf, xlsx = tmp_path / "themes.pdf", tmp_path / "themes.xlsx"
    assert main(["--db", str(demo_path), "export", "themes", "--out", str(pdf)]) == 0
    assert main(["--db", str(demo_path), "export", "themes", "--out", str(xlsx)]) == 0
    text = "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "Themes that recur" in text and "Reviews in which each theme was found" in text
    assert "1 recurs in two or more reviews" in text
    book = load_workbook(xlsx)
    rows = [[c.value for c in row] for row in book["Themes"].iter_rows()]
    header = rows.index(["Theme", "Reviews", "In which reviews", "Years", "Open actions"])
    assert rows[header + 1][:3] == ["Escalation", 2, "Ref021, Ref023"]
    assert main(["--db", str(demo_path), "export", "themes", "--out", str(tmp_path / "t.docx")]) != 0


def test_a_file_without_themes_says_so(store):
    data = themes_report_data(store)
    assert data["themes"] == [] and data["recurring"] == []
