"""User text reaches the PDF exactly as typed: markup characters escaped, line breaks kept, no
link or image can be injected (hypothesis), and Welsh, Polish and Irish text round-trips."""

from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from scrdesk.documents.briefing import build_briefing
from scrdesk.documents.fonts import describe_missing, missing_characters
from scrdesk.documents.style import Letterhead
from scrdesk.documents.text import REPLACEMENT, clean, markup

CORPUS = [
    "Siân’s case – Łódź & <Cardiff> “quoted”",
    "Ŵyn a’r ŷd — ŵ ŷ Ŵ Ŷ; Tŷ Hafan, Llanelwy",
    "Zażółć gęślą jaźń: ąęłńóśźż ĄĘŁŃÓŚŹŻ",
    "Seán Ó Súilleabháin, Dún Laoghaire: á é í ó ú Á É Í Ó Ú",
    "‘single’ “double” – en — em … and 5 < 6 > 4 & so on",
]

LETTERHEAD = Letterhead(board_name="Test Partnership", kind_label="6-step briefing",
                        title="Ref099 6-step briefing", subject="test", marking="OFFICIAL")


def briefing_with(body: str, *, title: str = "Test case") -> dict:
    return {"ref": "Ref099", "title": title, "template": "six_step", "status": "draft", "version": 1,
            "review_type_label": "Serious Case Review",
            "sections": [{"key": "background", "title": "The Background", "body": body}]}


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_markup_escapes_the_three_markup_characters_and_keeps_line_breaks():
    assert markup("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert markup("one\r\ntwo\rthree\nfour") == "one<br/>two<br/>three<br/>four"
    assert markup('<a href="x">link</a>') == '&lt;a href="x"&gt;link&lt;/a&gt;'


def test_control_characters_become_a_visible_mark_not_lost():
    assert clean("a\x00b\x07c") == f"a{REPLACEMENT}b{REPLACEMENT}c"
    assert clean("tab\there") == "tab\there"


def test_the_unicode_corpus_round_trips_exactly():
    body = "\n".join(CORPUS)
    result = build_briefing(briefing_with(body, title=CORPUS[0]), LETTERHEAD)
    text = pdf_text(result.pdf)
    for line in CORPUS:
        assert line in text
    assert result.warnings == []


def test_the_font_covers_the_corpus_and_reports_what_it_lacks():
    assert all(missing_characters(line) == [] for line in CORPUS)
    assert missing_characters("tick ✓ and arrow →") == ["✓", "→"]
    [warning] = describe_missing([("The Findings", "done ✓")])
    assert "The Findings" in warning and "U+2713" in warning


def test_a_character_the_font_lacks_is_reported_in_the_result_and_still_printed():
    result = build_briefing(briefing_with("Agreed ✓ by all"), LETTERHEAD)
    assert any("The Background" in w and "U+2713" in w for w in result.warnings)
    assert "Agreed" in pdf_text(result.pdf)


def test_line_breaks_are_kept():
    result = build_briefing(briefing_with("first line\nsecond line"), LETTERHEAD)
    lines = pdf_text(result.pdf).splitlines()
    first = lines.index("first line")
    assert lines[first + 1] == "second line"


def _annotations_and_images(pdf: bytes) -> tuple[int, int, int]:
    reader = PdfReader(io.BytesIO(pdf))
    links = images = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/Subtype") == "/Link":
                links += 1
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        images += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    return links, images, len(reader.pages)


MARKUP_PIECES = st.sampled_from([
    "<", ">", "&", "&amp;", "&lt;", "<b>", "</b>", "<br/>", '<img src="x.png"/>', '<a href="http://x.example">',
    "</a>", '<link href="x">', "<para>", "]]>", "<!--", "&#169;", "&nbsp;", '"', "'", "\n", "Ł", "ŵ", "“", "–",
])
USER_TEXT = st.lists(st.one_of(MARKUP_PIECES, st.text(alphabet=st.characters(
    min_codepoint=32, max_codepoint=0x17F, exclude_categories=("Cs", "Cc")), max_size=12)), max_size=14).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(USER_TEXT)
def test_any_user_text_prints_as_typed_with_no_link_or_image_injected(text):
    result = build_briefing(briefing_with(text), LETTERHEAD)
    printed = squash(pdf_text(result.pdf))
    # A soft hyphen (U+00AD) is by definition invisible unless the line breaks there.
    assert squash(clean(text)).replace("\xad", "") in printed
    links, images, pages = _annotations_and_images(result.pdf)
    assert links == 0
    assert images == pages  # the logo in the letterhead, nothing else
