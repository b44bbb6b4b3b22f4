"""The chair's report as a Word document (python-docx), so the chair can edit it before sending.

The same sections and blocks as the PDF (`chair_report.sections`). The protective marking is in
every page's header and footer; the document properties hold the title and the board, never a
child's name. python-docx is imported inside the builder, so starting scrdesk does not load it.
"""

from __future__ import annotations

import io

from scrdesk.documents.chair_report import TITLE, sections, subtitle
from scrdesk.documents.style import NAVY, RAG_FILLS, Letterhead
from scrdesk.documents.word import DocxResult, PlacedTexts, new_document, shade


def build_chair_report_docx(data: dict, letterhead: Letterhead) -> DocxResult:
    from docx.shared import RGBColor

    texts = PlacedTexts(letterhead)
    text = texts.add

    doc = new_document(letterhead, margin_mm=18, body_pt=10)

    doc.add_heading(TITLE, 0)
    doc.add_paragraph(text(subtitle(data), "the subtitle"))
    for section in sections(data):
        doc.add_heading(f"{section.number}. {section.title}", 1)
        for block in section.blocks:
            if block.kind == "para":
                doc.add_paragraph(text(block.text, block.where))
            elif block.kind == "note":
                note = doc.add_paragraph(text(block.text, block.where))
                note.runs[0].italic = True
            elif block.kind == "heading":
                doc.add_heading(text(block.text, block.where), 3)
            else:
                _table(doc, block, text)
    navy = RGBColor.from_string(NAVY.lstrip("#"))
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading") or p.style.name == "Title":
            for run in p.runs:
                run.font.color.rgb = navy
    buffer = io.BytesIO()
    doc.save(buffer)
    return DocxResult(buffer.getvalue(), texts, [])


def _table(doc, block, text) -> None:
    from docx.shared import Mm, Pt, RGBColor

    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = heading
        run = cell.paragraphs[0].runs[0]
        run.bold = True
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        shade(cell, NAVY)
    for r, row in enumerate(block.rows):
        cells = table.add_row().cells
        for c, value in enumerate(row):
            cells[c].text = text(value, f"{block.where}, row {r + 1} ({row[0]}), {block.header[c]}")
            colour = block.fills.get((r, c))
            if colour:
                shade(cells[c], RAG_FILLS.get(colour, RAG_FILLS["grey"]))
    # Word keeps a cell's width only with autofit off and the column's width set too.
    table.autofit = False
    widths = [Mm(w * 174 / sum(block.widths)) for w in block.widths]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = widths[c]
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8.5)
    doc.add_paragraph()
