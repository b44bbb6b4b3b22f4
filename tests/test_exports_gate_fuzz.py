"""The gate, fuzzed: a restricted name written any way that still reads as the name (invisible
format characters inside it, look-alike letters, accents, any case, any separator) is found in
every kind of document, wherever that document prints it."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_exports_sample import make_sample

from scrdesk import exports
from scrdesk.documents.anonymise import Identifier, IdentifiersFound, Matcher

NAME = ("Bethan", "Zyx")
INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202c"]
SEPARATORS = [" ", "_", ".", "-", "/", "\u00a0", "  ", " - ", "\u2011", "\u2013", "\t", "\u2009", "\u3000"]
LOOK_ALIKES = {"B": "\u0412\u0392", "e": "\u0435\u00e9\u00e8", "t": "\u0442", "h": "\u04bb", "a": "\u0430\u00e1",
               "n": "\u00f1", "Z": "\u0396\u017d", "y": "\u0443\u00fd\u00ff", "x": "\u0445\u03c7"}


@st.composite
def disguised_letter(draw, letter: str) -> str:
    shown = draw(st.sampled_from([letter, letter.upper(), letter.lower(), *LOOK_ALIKES.get(letter, "")]))
    if draw(st.booleans()):
        shown = "".join(draw(st.lists(st.sampled_from(INVISIBLE), min_size=1, max_size=2))) + shown
    return shown


@st.composite
def disguised_name(draw) -> str:
    words = ["".join(draw(disguised_letter(ch)) for ch in word) for word in NAME]
    return draw(st.sampled_from(SEPARATORS)).join(words)


@st.composite
def in_a_sentence(draw) -> str:
    before = draw(st.sampled_from(["", "Seen with ", "Mother of (", "«", "File: "]))
    after = draw(st.sampled_from(["", " was seen by the GP.", ").", "», later", "'s school"]))
    return before + draw(disguised_name()) + after


FUZZ = settings(max_examples=12, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@given(st.lists(in_a_sentence(), min_size=1, max_size=3))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_the_matcher_finds_every_disguise(sentences):
    matcher = Matcher([Identifier("name", " ".join(NAME))])
    for sentence in sentences:
        assert matcher.kinds_in(sentence) == ["name"], ascii(sentence)


@given(st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz .,-_/'"), max_size=200))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_ordinary_text_without_the_name_is_not_blocked(text):
    if "bethan" in text.replace(" ", "").replace("_", "") and "zyx" in text:
        return
    assert Matcher([Identifier("name", " ".join(NAME))]).kinds_in(text) == []


@pytest.fixture
def sample(store):
    return store, make_sample(store)


def _plant(store, table: str, row_id: int, column: str, text: str) -> None:
    store.update(table, row_id, {column: text})


def _blocked(callable_) -> bool:
    try:
        callable_()
    except IdentifiersFound:
        return True
    return False


# (document, where the name is put, how the document is exported)
KINDS = {
    "briefing": (("briefing_sections", "findings", "body"),
                 lambda s, ids, out: exports.export_briefing(s, "Ref021", out / "b.pdf")),
    "meeting paper": (("referrals", "r58", "summary"), lambda s, ids, out: exports.export_paper(s, out / "p.pdf")),
    "action plan PDF": (("actions", "a_overdue", "text"),
                        lambda s, ids, out: exports.export_actions(s, out / "a.pdf")),
    "action plan workbook": (("actions", "a_overdue", "text"),
                             lambda s, ids, out: exports.export_actions(s, out / "a.xlsx")),
    "annual report": (("referrals", "r53", "location"), lambda s, ids, out: exports.export_annual(s, 2016, out / "y.pdf")),
    "annual report workbook": (("referrals", "r53", "location"),
                               lambda s, ids, out: exports.export_annual(s, 2016, out / "y.xlsx")),
    "annual report JSON": (("referrals", "r53", "location"),
                           lambda s, ids, out: exports.export_annual(s, 2016, out / "y.json")),
    "chaser email": (("actions", "a_overdue", "text"), lambda s, ids, out: exports.export_chasers(s, out)),
    "timeline": (("milestones", "first", "notes"), lambda s, ids, out: exports.export_timeline(s, ids["v53"], out / "t.pdf")),
}


def _row_id(store, ids, table, key):
    if table == "briefing_sections":
        return store.scalar("SELECT id FROM briefing_sections WHERE briefing_id = ? AND key = ?", [ids["briefing"], key])
    if table == "milestones":
        return store.scalar("SELECT min(id) FROM milestones WHERE review_id = ?", [ids["v53"]])
    return ids[key]


@pytest.mark.parametrize("kind", list(KINDS))
@given(text=in_a_sentence())
@FUZZ
def test_a_disguised_name_blocks_every_kind_of_document(sample, tmp_path, kind, text):
    store, ids = sample
    (table, key, column), export = KINDS[kind]
    _plant(store, table, _row_id(store, ids, table, key), column, text)
    assert _blocked(lambda: export(store, ids, tmp_path)), (kind, ascii(text))
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".pdf", ".xlsx", ".json", ".eml")]
    assert store.rows("SELECT * FROM document_log") == []


@given(text=in_a_sentence())
@FUZZ
def test_another_childs_disguised_name_blocks_a_subject_access_export(sample, tmp_path, text):
    store, ids = sample
    # Bethan Zyx is Ref021's own; the export of Ref053 must not carry her name.
    _plant(store, "referrals", ids["r53"], "rationale", text)
    assert _blocked(lambda: exports.export_subject_access(store, ids["r53"], tmp_path / "sar-Ref053.pdf"))
    assert not (tmp_path / "sar-Ref053.pdf").exists()


def test_the_fuzzed_places_do_print_in_each_document(sample, tmp_path):
    """The places the fuzz plants the name are ones each document prints, so a pass means found."""
    import pypdf

    store, ids = sample
    for kind, ((table, key, column), export) in KINDS.items():
        _plant(store, table, _row_id(store, ids, table, key), column, f"Marker{kind.replace(' ', '')}Q")
        folder = tmp_path / kind.replace(" ", "-")
        folder.mkdir()
        export(store, ids, folder)
        found = []
        for written in folder.iterdir():
            data = written.read_bytes()
            if written.suffix == ".pdf":
                found.append("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages))
            elif written.suffix == ".xlsx":
                from openpyxl import load_workbook

                book = load_workbook(io.BytesIO(data))
                found += [str(c) for sh in book.worksheets for r in sh.iter_rows(values_only=True) for c in r if c]
            else:
                found.append(data.decode("utf-8", "replace"))
        assert f"Marker{kind.replace(' ', '')}Q" in "".join(found).replace("\n", ""), kind
