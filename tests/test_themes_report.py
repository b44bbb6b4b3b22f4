"""The themes report: themes tagged on reviews, recommendations and briefings, those in two or
more reviews shown as recurring with their reviews, years and open actions, in PDF and Excel
through the command line; a file with nothing tagged reads the briefings' learning themes."""

from __future__ import annotations

from scrdesk.cli import main
from scrdesk.store.db import Store
from scrdesk.store.themes_report import themes_report_data

# Reviews carrying each theme, however tagged, counted straight from the tags.
TAGGED = (
    "SELECT t.label, count(DISTINCT COALESCE(g.review_id, c.review_id, b.review_id)) AS n FROM theme_tags g "
    "JOIN themes t ON t.id = g.theme_id LEFT JOIN recommendations c ON c.id = g.recommendation_id "
    "LEFT JOIN briefings b ON b.id = g.briefing_id GROUP BY t.id")


def test_the_seed_demo_shows_themes_shared_by_several_reviews(demo):
    data = themes_report_data(demo)
    assert data["source"] == "tags"
    expected = {r["label"]: r["n"] for r in demo.rows(TAGGED)}
    assert {t["label"]: t["review_count"] for t in data["themes"]} == expected
    assert data["recurring"] and all(t["review_count"] >= 2 for t in data["recurring"])
    counts = [t["review_count"] for t in data["themes"]]
    assert counts == sorted(counts, reverse=True)  # most reviews first
    for theme in data["recurring"]:
        assert len({r["ref"] for r in theme["reviews"]}) == theme["review_count"]
        assert theme["years"] == sorted({r["year"] for r in theme["reviews"] if r["year"]})


def _untag_and_share_a_theme(path) -> None:
    # An older file: nothing tagged; Ref021's briefing (review 1) and Ref023's (review 2) both name
    # escalation in their learning themes, typed differently.
    with Store.open(path, user="tester") as store, store.transaction():
        for row in store.rows("SELECT id FROM theme_tags"):
            store.delete("theme_tags", row["id"])
        store.update("briefings", store.scalar("SELECT id FROM briefings WHERE review_id = 1"),
                     {"learning_themes": "Hidden men;  escalation "})
        store.update("briefings", store.scalar("SELECT id FROM briefings WHERE review_id = 2"),
                     {"learning_themes": "Escalation; safe sleeping"})


def test_without_tags_the_briefings_learning_themes_are_read(demo_path):
    _untag_and_share_a_theme(demo_path)
    with Store.open(demo_path, readonly=True) as store:
        data = themes_report_data(store)
        open_actions = store.scalar("SELECT count(*) FROM actions WHERE review_id IN (1, 2) AND status NOT IN "
                                    "('complete_evidenced', 'signed_off', 'complete_awaiting_evidence')")
    assert data["source"] == "briefings"
    assert [t["label"] for t in data["recurring"]] == ["Escalation"]
    escalation = data["recurring"][0]
    assert sorted(r["ref"] for r in escalation["reviews"]) == ["Ref021", "Ref023"]
    assert escalation["open_actions"] == open_actions > 0


def test_the_report_in_pdf_and_excel(demo_path, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    pdf, xlsx = tmp_path / "themes.pdf", tmp_path / "themes.xlsx"
    assert main(["--db", str(demo_path), "export", "themes", "--out", str(pdf)]) == 0
    assert main(["--db", str(demo_path), "export", "themes", "--out", str(xlsx)]) == 0
    with Store.open(demo_path, readonly=True) as store:
        data = themes_report_data(store)
    top = data["recurring"][0]
    text = "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "Themes that recur" in text and "Reviews in which each theme was found" in text
    assert f"{len(data['recurring'])} recur in two or more reviews" in text
    assert top["label"] in text
    book = load_workbook(xlsx)
    rows = [[c.value for c in row] for row in book["Themes"].iter_rows()]
    header = rows.index(["Theme", "Reviews", "In which reviews", "Years", "Open actions"])
    assert rows[header + 1][:3] == [top["label"], top["review_count"], ", ".join(r["ref"] for r in top["reviews"])]
    detail = [[c.value for c in row] for row in book["Reviews by theme"].iter_rows()]
    assert sum(1 for r in detail if r[0] == top["label"]) == top["review_count"]
    assert main(["--db", str(demo_path), "export", "themes", "--out", str(tmp_path / "t.docx")]) != 0


def test_a_file_without_themes_says_so(store):
    data = themes_report_data(store)
    assert data["themes"] == [] and data["recurring"] == []
