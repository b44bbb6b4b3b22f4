"""The yearly report as a Word document (python-docx), for the business manager to finish in Word.

The same sections and blocks as the PDF (`yearly_report.sections`); a section whose narrative is
not yet written carries a bracketed prompt saying so. The protective marking is in every page's
header and footer; the document properties hold the title and the board, never a child's name.
Charts are drawn in the PDF only (Word gets the same figures as tables).
"""

from __future__ import annotations

import io

from scrdesk.documents.style import NAVY, Letterhead, date_text
from scrdesk.documents.word import DocxResult, PlacedTexts, new_document, shade
from scrdesk.documents.yearly_report import TO_WRITE, sections


def build_yearly_report_docx(data: dict, letterhead: Letterhead) -> DocxResult:
    from docx.shared import Mm, Pt, RGBColor

    texts = PlacedTexts(letterhead)
    text = texts.add

    doc = new_document(letterhead, margin_mm=20, body_pt=10.5)

    doc.add_heading(text(f"Case review sub group yearly report {data['label']}", "the title"), 0)
    doc.add_paragraph(text(f"{data['board_name']} · {date_text(data['period']['start'])} to "
                           f"{date_text(data['period']['end'])}", "the subtitle"))
    parts = sections(data)
    doc.add_heading("Contents", 2)
    for s in parts:
        doc.add_paragraph(f"{s.number}. {s.title}")
    navy = RGBColor.from_string(NAVY.lstrip("#"))
    for s in parts:
        doc.add_heading(f"{s.number}. {s.title}", 1)
        paragraphs = [p.strip() for p in s.narrative.split("\n\n") if p.strip()]
        for paragraph in paragraphs:
            doc.add_paragraph(text(paragraph, f"{s.title}, narrative"))
        if not paragraphs:
            prompt = doc.add_paragraph(TO_WRITE.format(title=s.title))
            prompt.runs[0].italic = True
        for block in s.blocks:
            if block.kind == "para":
                doc.add_paragraph(text(block.text, block.where))
            elif block.kind == "quote":
                quote = doc.add_paragraph(text(block.text, block.where))
                quote.runs[0].italic = True
            elif block.kind == "heading":
                doc.add_heading(text(block.text, block.text), 2)
            elif block.kind == "table":
                table = doc.add_table(rows=1, cols=len(block.header))
                table.style = "Table Grid"
                for cell, heading in zip(table.rows[0].cells, block.header, strict=True):
                    cell.text = text(heading, f"{block.where}, heading")
                    run = cell.paragraphs[0].runs[0] if cell.paragraphs[0].runs else None
                    if run is not None:
                        run.bold = True
                        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                    shade(cell, NAVY)
                for r, row in enumerate(block.rows):
                    cells = table.add_row().cells
                    for c, value in enumerate(row):
                        cells[c].text = text(value, f"{block.where}, row {r + 1}, {block.header[c]}")
                # Word reads the cells' widths, LibreOffice the grid's: set both (170 mm of text width).
                table.autofit = False
                widths = [Mm(w * 170 / sum(block.widths)) for w in block.widths] if block.widths else []
                for c, width in enumerate(widths):
                    table.columns[c].width = width
                for row in table.rows:
                    for c, cell in enumerate(row.cells):
                        if widths:
                            cell.width = widths[c]
                        for p in cell.paragraphs:
                            for run in p.runs:
                                run.font.size = Pt(9)
                doc.add_paragraph()
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading") or p.style.name == "Title":
            for run in p.runs:
                run.font.color.rgb = navy
    buffer = io.BytesIO()
    doc.save(buffer)
    return DocxResult(buffer.getvalue(), texts, [])
