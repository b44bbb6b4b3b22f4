"""The one house style every PDF shares: page furniture, paragraph styles, tables, and the build.

Page furniture on every page: the protective marking centred at top and bottom, the letterhead
(logo and board name) with the document's kind, the date produced and "Page X of Y". Builders
put their text through a `Content`, which escapes it (see `text.py`) and remembers where each
piece went, so the anonymisation check and the missing-character warnings can name the place.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from scrdesk.documents import fonts
from scrdesk.documents.text import clean, markup
from scrdesk.domain.dates import format_date
from scrdesk.domain.resources import resource_path

NAVY = "#1d3557"
TEAL = "#2a7f8f"
INK = "#1f2328"
GREY = "#5f6b76"
RULE = "#c5ccd3"
TINT = "#eef2f6"
HEADER_FILL = "#1d3557"
TEAL_TINT = "#e6f2f3"

#: Pale fills so black text stays readable on a grey-scale printer; the word is always printed too.
RAG_FILLS = {"red": "#f6cfca", "amber": "#fde7b0", "green": "#d3ebd2", "blue": "#d6e4f5", "grey": "#e4e6e8"}
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Complete", "grey": "No date"}

MM = 72 / 25.4
#: Room a heading needs below it (for its first lines or rows), by style.
KEEP_ROOM = {"h1": 34 * MM, "h2": 26 * MM, "h3": 24 * MM}
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Letterhead:
    """What the page furniture and the PDF metadata say. Never holds a child's name."""

    board_name: str
    kind_label: str  # "6-step briefing", "Meeting briefing paper" ...
    title: str  # metadata title: ref + kind, e.g. "Ref021 6-step briefing"
    subject: str  # metadata subject
    marking: str = DEFAULT_MARKING
    produced: date = field(default_factory=date.today)
    logo: bytes | None = None  # PNG or JPEG; None means the bundled default


@dataclass
class BuildResult:
    pdf: bytes
    pages: int
    warnings: list[str]
    texts: list[tuple[str, str]]  # (where, text) of everything printed, for the anonymisation check


class Content:
    """Collects flowables; every text goes through `markup()` and is recorded with its place."""

    def __init__(self) -> None:
        self.flowables: list = []
        self.texts: list[tuple[str, str]] = []
        # The page break guarding the heading just added, while nothing but headings follow it.
        self._open_break = None

    def record(self, where: str, text: object) -> str:
        value = clean(text)
        if value.strip():
            self.texts.append((where, value))
        return value

    def para(self, text: object, style: str = "body", where: str = "", *, prefix: str = "",
             suffix: str = ""):
        """A Paragraph of user or data text; `prefix`/`suffix` are the builder's own markup."""
        from reportlab.platypus import Paragraph

        self.record(where, text)
        return Paragraph(prefix + markup(text) + suffix, get_styles()[style])

    def add(self, *flowables) -> None:
        self._open_break = None
        self.flowables.extend(flowables)

    def add_para(self, text: object, style: str = "body", where: str = "", **kw) -> None:
        if style not in KEEP_ROOM:
            self.add(self.para(text, style, where, **kw))
            return
        guard = self._open_break
        if guard is not None:
            # A heading straight under another ("4. Case mapping" then "New exercises agreed"):
            # the first one's guard must keep room for both, or it is left alone at the page foot.
            guard.height += KEEP_ROOM[style]
            self.add(self.para(text, style, where, **kw))
        else:
            self.keep_room(KEEP_ROOM[style])
            self.add(self.para(text, style, where, **kw))
            guard = self.flowables[-2]
        self._open_break = guard

    def heading(self, text: str, level: int = 1, where: str | None = None) -> None:
        self.add_para(text, f"h{level}", where or text)

    def keep_room(self, height: float) -> None:
        """Start a new page unless `height` is left: a heading never sits alone at a page foot.

        (keepWithNext would move a heading *and its whole table* to the next page, leaving a
        near-empty page behind; a conditional break lets the table split instead.)
        """
        from reportlab.platypus import CondPageBreak

        self.add(CondPageBreak(height))

    def table(self, header: list[str], rows: list[list], widths: list[float], *, where: str,
              row_labels: list[str] | None = None, fills: dict[tuple[int, int], str] | None = None,
              header_style: str = "th", cell_style: str = "td"):
        """A readable table: wrapped cells, header repeated on every page, zebra rows.

        `rows` hold strings (escaped here) or ready flowables; `row_labels` name each row in
        the anonymisation report ("row 3 (Ref053)"); `fills` colours single cells, e.g. RAG.
        """
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        data = [[self.para(h, header_style, f"{where}, heading") for h in header]]
        for r, row in enumerate(rows):
            label = row_labels[r] if row_labels else f"row {r + 1}"
            cells = []
            for c, value in enumerate(row):
                if isinstance(value, str | int | float) or value is None:
                    text = "" if value is None else str(value)
                    cells.append(self.para(text, cell_style, f"{where}, {label}, {header[c]}"))
                else:
                    cells.append(value)
            data.append(cells)
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT",
                      # A row taller than a page (a 20,000-character note) splits inside its cells.
                      splitInRow=1)
        commands = [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
            ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor(RULE)),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        for r in range(2, len(data), 2):
            commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f7f9fb")))
        for (r, c), colour in (fills or {}).items():
            commands.append(("BACKGROUND", (c, r + 1), (c, r + 1), colors.HexColor(colour)))
        table.setStyle(TableStyle(commands))
        return table


def rag_text(rag) -> tuple[str, str]:
    """(colour, printed words) of a RAG given as a domain Rag or a dict; the reason always printed."""
    if rag is None:
        return "grey", ""
    colour = rag["colour"] if isinstance(rag, dict) else rag.colour
    reason = rag["reason"] if isinstance(rag, dict) else rag.reason
    return colour, reason


def date_text(value) -> str:
    """ISO text or a date, printed as `31 Mar 2017`; blank stays blank."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return format_date(value)


@lru_cache(maxsize=1)
def get_styles() -> dict:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    family = fonts.register_fonts()
    ink = colors.HexColor(INK)
    base = ParagraphStyle("body", fontName=family, fontSize=9.5, leading=13.2, textColor=ink,
                          spaceAfter=4)
    s = {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=colors.HexColor(GREY)),
        "title": ParagraphStyle("title", parent=base, fontName=fonts.BOLD, fontSize=19, leading=23,
                                textColor=colors.HexColor(NAVY), spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10.5, leading=14,
                                   textColor=colors.HexColor(GREY), spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=base, fontName=fonts.BOLD, fontSize=13, leading=17,
                             textColor=colors.HexColor(NAVY), spaceBefore=10, spaceAfter=5),
        "h2": ParagraphStyle("h2", parent=base, fontName=fonts.BOLD, fontSize=10.5, leading=14,
                             textColor=colors.HexColor(NAVY), spaceBefore=7, spaceAfter=3),
        "h3": ParagraphStyle("h3", parent=base, fontName=fonts.BOLD, fontSize=9.5, leading=13,
                             textColor=colors.HexColor(TEAL), spaceBefore=9, spaceAfter=3),
        "th": ParagraphStyle("th", parent=base, fontName=fonts.BOLD, fontSize=8, leading=10,
                             textColor=colors.white, spaceAfter=0),
        "td": ParagraphStyle("td", parent=base, fontSize=8, leading=10.2, spaceAfter=0),
        "td_bold": ParagraphStyle("td_bold", parent=base, fontName=fonts.BOLD, fontSize=8, leading=10.2,
                                  spaceAfter=0),
        "td_small": ParagraphStyle("td_small", parent=base, fontSize=7.2, leading=9, spaceAfter=0,
                                   textColor=colors.HexColor("#3a434c")),
        "step_number": ParagraphStyle("step_number", parent=base, fontName=fonts.BOLD, fontSize=15,
                                      leading=18, textColor=colors.white, alignment=TA_CENTER),
        "step_title": ParagraphStyle("step_title", parent=base, fontName=fonts.BOLD, fontSize=11,
                                     leading=14, textColor=colors.HexColor(NAVY), spaceAfter=2),
        "box_title": ParagraphStyle("box_title", parent=base, fontName=fonts.BOLD, fontSize=10.5,
                                    leading=13.5, textColor=colors.HexColor(TEAL), spaceAfter=3),
        "number": ParagraphStyle("number", parent=base, fontName=fonts.BOLD, fontSize=22, leading=26,
                                 textColor=colors.HexColor(NAVY), spaceAfter=0),
    }
    return s


# -- the logo --------------------------------------------------------------------------------

DEFAULT_LOGO = ("branding", "default-logo.png")
_logo_cache: dict[str, object] = {}


def default_logo_bytes() -> bytes:
    return resource_path(*DEFAULT_LOGO).read_bytes()


LOGO_PIXELS = 160  # 13 mm at 300 dpi: sharp in print, and cheap to embed in every document


def _logo_reader(logo: bytes | None):
    """An ImageReader for the logo, decoded and scaled once per distinct logo (cached by content)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    data = logo or default_logo_bytes()
    key = hashlib.sha256(data).hexdigest()
    reader = _logo_cache.get(key)
    if reader is None:
        image = Image.open(io.BytesIO(data))
        image.load()
        image.thumbnail((LOGO_PIXELS, LOGO_PIXELS))
        reader = ImageReader(image)
        _logo_cache[key] = reader
    return reader


# -- page furniture --------------------------------------------------------------------------

HEADER_SPACE = 31 * MM
FOOTER_SPACE = 17 * MM
SIDE_MARGIN = 16 * MM
FRAME_PADDING = 6


def _draw_furniture(canvas, letterhead: Letterhead, page: int, total: int) -> None:
    from reportlab.lib import colors

    width, height = canvas._pagesize
    left, right = SIDE_MARGIN, width - SIDE_MARGIN
    marking = (letterhead.marking or DEFAULT_MARKING).upper()
    canvas.saveState()
    # The marking, centred at top and bottom as the Government Security Classifications ask.
    canvas.setFillColor(colors.HexColor(INK))
    canvas.setFont(fonts.BOLD, 9)
    canvas.drawCentredString(width / 2, height - 8 * MM, marking)
    canvas.drawCentredString(width / 2, 7 * MM, marking)

    # Letterhead: logo, board name, document kind; a rule under it.
    logo_size = 13 * MM
    top = height - 12 * MM
    try:
        reader = _logo_reader(letterhead.logo)
        iw, ih = reader.getSize()
        scale = min(logo_size / iw, logo_size / ih)
        canvas.drawImage(reader, left, top - logo_size, iw * scale, ih * scale, mask="auto")
        text_x = left + iw * scale + 4 * MM
    except Exception:  # an unreadable board logo must not stop a paper; the name still prints
        text_x = left
    # The title on the right gets what it needs (up to 45% of the line); the board name the rest.
    title_width = min(canvas.stringWidth(clean(letterhead.title), fonts.BOLD, 8.5), (right - left) * 0.45)
    canvas.setFillColor(colors.HexColor(NAVY))
    canvas.setFont(fonts.BOLD, 11.5)
    canvas.drawString(text_x, top - 5.2 * MM, _fit(canvas, letterhead.board_name, fonts.BOLD, 11.5,
                                                   right - text_x - title_width - 8 * MM))
    canvas.setFillColor(colors.HexColor(GREY))
    canvas.setFont(fonts.REGULAR, 8.5)
    canvas.drawString(text_x, top - 10 * MM, letterhead.kind_label)
    canvas.setFont(fonts.BOLD, 8.5)
    canvas.setFillColor(colors.HexColor(NAVY))
    canvas.drawRightString(right, top - 5.2 * MM, _fit(canvas, letterhead.title, fonts.BOLD, 8.5, title_width))
    canvas.setFont(fonts.REGULAR, 8)
    canvas.setFillColor(colors.HexColor(GREY))
    canvas.drawRightString(right, top - 10 * MM, f"Produced {format_date(letterhead.produced)}")
    canvas.setStrokeColor(colors.HexColor(NAVY))
    canvas.setLineWidth(1.2)
    canvas.line(left, top - logo_size - 2.5 * MM, right, top - logo_size - 2.5 * MM)

    # Footer: rule, what and when on the left, page X of Y on the right.
    canvas.setStrokeColor(colors.HexColor(RULE))
    canvas.setLineWidth(0.5)
    canvas.line(left, 11 * MM, right, 11 * MM)
    canvas.setFont(fonts.REGULAR, 7.5)
    canvas.setFillColor(colors.HexColor(GREY))
    # Up to the centred marking, with a little air between them.
    room = width / 2 - left - canvas.stringWidth(marking, fonts.BOLD, 9) / 2 - 5 * MM
    canvas.drawString(left, 7 * MM, _fit(canvas, f"{letterhead.title} · produced {format_date(letterhead.produced)}",
                                         fonts.REGULAR, 7.5, room))
    canvas.drawRightString(right, 7 * MM, f"Page {page} of {total}")
    canvas.restoreState()


def _fit(canvas, text: str, font: str, size: float, width: float) -> str:
    """Shorten one line of page furniture with an ellipsis rather than run off the page."""
    text = clean(text).replace("\n", " ")
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _canvas_class(letterhead: Letterhead):
    from reportlab.pdfgen.canvas import Canvas

    class PagedCanvas(Canvas):
        """Holds pages back until the end, so each can say "Page X of Y"."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                _draw_furniture(self, letterhead, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return PagedCanvas


def page_size(orientation: str = "portrait") -> tuple[float, float]:
    from reportlab.lib.pagesizes import A4, landscape

    return landscape(A4) if orientation == "landscape" else A4


def frame_width(orientation: str = "portrait") -> float:
    return page_size(orientation)[0] - 2 * SIDE_MARGIN


def _configure_reportlab() -> None:
    from reportlab import rl_config

    # Streams are Flate-compressed either way; the extra ASCII85 layer only makes files 25%
    # bigger and, without ReportLab's C accelerator, costs more time than laying out the page.
    rl_config.useA85 = 0


def build_pdf(content: Content, letterhead: Letterhead, orientation: str = "portrait",
              warnings: list[str] | None = None) -> BuildResult:
    """Lay out the content with the house page furniture; return the PDF and what to warn about."""
    from reportlab.platypus import SimpleDocTemplate

    fonts.register_fonts()
    _configure_reportlab()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=page_size(orientation),
        # The frame pads its content by 6 pt; take that off the margins so text lines up with the rules.
        leftMargin=SIDE_MARGIN - FRAME_PADDING, rightMargin=SIDE_MARGIN - FRAME_PADDING,
        topMargin=HEADER_SPACE, bottomMargin=FOOTER_SPACE,
        title=clean(letterhead.title), subject=clean(letterhead.subject),
        author=clean(letterhead.board_name), creator="scrdesk", producer="scrdesk (ReportLab)",
        invariant=False,
    )
    pages = {"n": 0}

    def count(canvas, _doc):
        pages["n"] = canvas.getPageNumber()

    doc.build(list(content.flowables), onFirstPage=count, onLaterPages=count,
              canvasmaker=_canvas_class(letterhead))
    furniture = [("the letterhead", letterhead.board_name), ("the document title", letterhead.title)]
    texts = furniture + content.texts
    all_warnings = list(warnings or []) + fonts.describe_missing(texts)
    return BuildResult(pdf=buffer.getvalue(), pages=pages["n"], warnings=all_warnings, texts=texts)


def panel(content: Content, title: str, paragraphs: list, *, fill: str = TEAL_TINT, where: str = ""):
    """A tinted box with a title over its paragraphs; it may split across a page break."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    rows = [[content.para(title, "box_title", where or title)]] + [[p] for p in paragraphs]
    table = Table(rows, colWidths=["100%"], splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fill)),
        ("LINEBEFORE", (0, 0), (0, -1), 2.5, colors.HexColor(TEAL)),
        ("LEFTPADDING", (0, 0), (-1, -1), 9),
        ("RIGHTPADDING", (0, 0), (-1, -1), 9),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, 0), 6),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
    ]))
    table.spaceBefore = 8
    return table


def step_heading(number: str | None, title_markup: str, *, shape: str = "square", colour: str = NAVY,
                 width: float | None = None):
    """A section heading with its number in a filled square or circle (a 6-step / 7-minute step).

    `title_markup` must already be escaped; the caller keeps room for the text below it.
    """
    from reportlab.lib import colors
    from reportlab.platypus import Flowable, Paragraph

    styles = get_styles()

    class StepHeading(Flowable):
        _badge = 8.5 * MM

        def __init__(self):
            super().__init__()
            self.title = Paragraph(title_markup, styles["step_title"])

        def wrap(self, avail_width, avail_height):
            self.width = width or avail_width
            indent = self._badge + 3 * MM if number else 0
            _, h = self.title.wrap(self.width - indent, avail_height)
            self.height = max(self._badge, h) + 2.5 * MM
            return self.width, self.height

        def draw(self):
            c = self.canv
            top = self.height - 1 * MM
            indent = 0
            if number:
                c.setFillColor(colors.HexColor(colour))
                b = self._badge
                if shape == "circle":
                    c.circle(b / 2, top - b / 2, b / 2, stroke=0, fill=1)
                else:
                    c.roundRect(0, top - b, b, b, 1.5 * MM, stroke=0, fill=1)
                c.setFillColor(colors.white)
                c.setFont(fonts.BOLD, 13 if len(number) < 2 else 11)
                c.drawCentredString(b / 2, top - b / 2 - 4.4, number)
                indent = b + 3 * MM
            _, h = self.title.wrap(self.width - indent, self.height)
            # Centre a one-line title on the badge; longer titles start at its top.
            y = top - max(self._badge, h) + (max(self._badge, h) - h) / 2
            self.title.drawOn(c, indent, y)
            c.setStrokeColor(colors.HexColor(RULE))
            c.setLineWidth(0.5)
            c.line(indent, 0.6 * MM, self.width, 0.6 * MM)

    return StepHeading()


def rag_cell(content: Content, rag, where: str):
    """A RAG printed in words (bold colour word, then the reason), for a table cell."""
    colour, reason = rag_text(rag)
    word = RAG_WORDS.get(colour, colour.capitalize())
    # The reason usually starts with the word already ("Red: target ..."); do not say it twice.
    shown = reason.split(": ", 1)[1] if reason.lower().startswith(word.lower() + ":") else reason
    return content.para(shown, "td_small", where, prefix=f'<font name="{fonts.BOLD}" size="8">{word}</font><br/>')


def rag_fill(rag) -> str:
    return RAG_FILLS.get(rag_text(rag)[0], RAG_FILLS["grey"])


def figures(content: Content, items: list[tuple[str, str]], width: float):
    """A row of headline figures (number over label), e.g. "3 live reviews"."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    cells = [[content.para(value, "number", f"headline figure {label}"), content.para(label, "small", "")]
             for value, label in items]
    table = Table([cells], colWidths=[width / len(items)] * len(items), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(TINT)),
        ("LINEAFTER", (0, 0), (-2, -1), 3, colors.white),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    table.spaceAfter = 6
    return table
