"""Every value the window accepts prints: the longest allowed text in every printed field, in
every document kind, comes out whole (a row taller than a page splits inside its cells rather
than stopping the document with ReportLab's LayoutError)."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from openpyxl import load_workbook
from test_exports_sample import make_sample

from scrdesk import exports
from scrdesk.domain import limits as L
from scrdesk.store.db import Store

# The printed text fields of each table, at the length the window allows (domain/limits.py and
# the rules' LIMITS; a TextArea takes NOTE, a TextField LINE, unless the dialog says otherwise).
FIELDS = {
    "referrals": {"pseudonym": L.NAME, "sin_reference": L.LINE, "summary": L.LINE, "location": L.LINE,
                  "decision_maker": L.NAME, "rationale": L.NOTE, "status_note": L.LINE},
    "reviews": {"title": L.TITLE, "lead_reviewer": L.NAME, "panel_chair": L.NAME,
                "target_override_reason": L.REASON, "family_engagement": L.NOTE, "notes": L.NOTE},
    "actions": {"lead_officer": L.LINE, "text": L.NOTE, "revised_reason": L.REASON, "escalated_to": L.NAME},
    "action_updates": {"note": L.NOTE},
    "recommendations": {"text": L.NOTE},
    "milestones": {"notes": L.NOTE},
    "briefings": {"title": L.TITLE, "learning_themes": L.NOTE},
    "briefing_sections": {"title": L.TITLE, "body": L.NOTE},
    "disseminations": {"teams_briefed": L.REASON, "note": L.NOTE},
    "learning_events": {"title": L.TITLE, "facilitator": L.NAME, "feedback": L.NOTE},
    "meetings": {"notes": L.NOTE},
    "agencies": {"name": L.NAME, "lead_name": L.NAME},
}
MARKER = re.compile(r"END[a-z_]+\.[a-z_]+\.\d+x")


def filler(length: int, tag: str) -> str:
    """Ordinary prose of exactly `length` characters, ending in a marker naming the field and row."""
    end = f" END{tag}x"
    words = "The practitioners met again and agreed that the plan was reviewed in full. "
    return (words * (length // len(words) + 1))[: length - len(end)] + end


def fill_to_the_limits(store) -> dict:
    ids = make_sample(store)
    for table, columns in FIELDS.items():
        for row in store.rows(f"SELECT id FROM {table}"):
            store.update(table, row["id"], {c: filler(n, f"{table}.{c}.{row['id']}") for c, n in columns.items()})
    return ids


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("long") / "long.db", user="tester")
    ids = fill_to_the_limits(store)
    yield store, ids
    store.close()


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


def markers_in(texts) -> set[str]:
    return {m for _, text in texts for m in MARKER.findall(text)}


RENDERS = {
    "briefing": lambda s, ids: exports.render_briefing(s, "Ref021"),
    "paper": lambda s, ids: exports.render_paper(s),
    "actions": lambda s, ids: exports.render_actions(s),
    "annual": lambda s, ids: exports.render_annual(s, 2016),
    "timeline of one review": lambda s, ids: exports.render_timeline(s, ids["v53"]),
    "timeline of live reviews": lambda s, ids: exports.render_timeline(s),
}


@pytest.mark.parametrize("kind", list(RENDERS))
def test_the_longest_values_print_whole_in_every_pdf(full, kind):
    store, ids = full
    rendered = RENDERS[kind](store, ids)
    assert rendered.pages >= 1
    text = pdf_text(rendered.data)
    printed = markers_in(rendered.texts)
    # Each recorded long value prints to its very end (the marker is its last word).
    assert [m for m in printed if m not in text] == []


def test_the_documents_carry_the_long_fields_they_are_about(full):
    store, ids = full
    expect = {
        "briefing": ["briefing_sections.body", "briefing_sections.title", "briefings.learning_themes"],
        "paper": ["referrals.summary", "reviews.lead_reviewer", "actions.text"],
        "actions": ["actions.text", "action_updates.note", "recommendations.text", "actions.lead_officer"],
        "annual": ["referrals.summary", "referrals.location", "learning_events.title"],
        "timeline of one review": ["milestones.notes"],
    }
    for kind, fields in expect.items():
        printed = {m.rsplit(".", 1)[0][3:] for m in markers_in(RENDERS[kind](store, ids).texts)}
        assert set(fields) <= printed, kind


def test_a_20000_character_rationale_prints_in_the_subject_access_export(full, tmp_path):
    store, ids = full
    result = exports.export_subject_access(store, ids["r21"], tmp_path / "sar-Ref021.pdf")
    text = pdf_text(result.path.read_bytes())
    assert f"ENDreferrals.rationale.{ids['r21']}x" in text
    assert f"ENDreviews.notes.{ids['v21']}x" in text and "ENDaction_updates.note.1x" in text
    assert result.pages > 20


def test_a_3000_character_summary_from_an_older_file_prints_in_the_annual_report(tmp_path):
    # Files written before the limits may hold longer text than the window now takes.
    with Store.open(tmp_path / "old.db", user="tester") as store:
        ids = make_sample(store)
        store.update("referrals", ids["r53"], {"summary": filler(3000, "referrals.summary.53")})
        for fmt in ("pdf", "xlsx"):
            rendered = exports.render_annual(store, 2016, fmt)
            assert "ENDreferrals.summary.53x" in "".join(t for _, t in rendered.texts)
        assert "ENDreferrals.summary.53x" in pdf_text(exports.render_annual(store, 2016).data)


def test_the_longest_values_go_whole_into_the_action_plan_workbook(full):
    store, _ = full
    book = load_workbook(io.BytesIO(exports.render_actions(store, "xlsx").data))
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    longest = max(cells, key=len)
    assert len(longest) >= L.NOTE and longest.endswith("x")
