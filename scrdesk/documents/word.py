"""Word documents (python-docx) in the house style: A4, the protective marking in every page's
header and footer, the title and production date in the footer, properties that hold the title
and the board — never a child's name. python-docx is imported inside, so start-up never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from scrdesk.documents.style import Letterhead, date_text
from scrdesk.documents.text import clean


@dataclass
class DocxResult:
    data: bytes
    texts: list[tuple[str, str]]
    warnings: list[str]


class PlacedTexts(list):
    """Every text placed in a Word document, with where it stands, for the anonymisation gate."""

    def __init__(self, letterhead: Letterhead):
        super().__init__([("the document title", letterhead.title), ("the letterhead", letterhead.board_name)])

    def add(self, value: object, where: str) -> str:
        """The text cleaned for Word, noted (when not blank) for the gate."""
        value = clean(value)
        if value.strip():
            self.append((where, value))
        return value


def new_document(letterhead: Letterhead, *, margin_mm: float, body_pt: float):
    """A new A4 `Document` with the marking, footer line and properties set."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    page = doc.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin = page.right_margin = Mm(margin_mm)
    marking = (letterhead.marking or "OFFICIAL-SENSITIVE").upper()
    for part in (page.header, page.footer):
        p = part.paragraphs[0]
        p.text = marking
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.runs[0].bold = True
    footer_line = page.footer.add_paragraph(f"{clean(letterhead.title)} · produced {date_text(letterhead.produced)}")
    footer_line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer_line.runs[0].font.size = Pt(8)
    props = doc.core_properties
    props.title = clean(letterhead.title)
    props.subject = clean(letterhead.subject)
    props.author = clean(letterhead.board_name)
    props.comments = ""
    doc.styles["Normal"].font.size = Pt(body_pt)
    return doc


def shade(cell, fill: str) -> None:
    """Fill a table cell with a colour ("#RRGGBB")."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)
