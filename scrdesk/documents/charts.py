"""Charts drawn with ReportLab's graphics, for the yearly report, the themes report and the
evidence pack: referral outcomes over five years, timeliness, actions by status and agency, themes.

Each function takes plain rows and returns a `Drawing` (a flowable) of the frame's width, or None
when there is nothing to draw (a chart of zeros says less than the sentence beside it). This module
imports ReportLab at the top, so only document builders import it, when a document is made.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from scrdesk.documents import fonts
from scrdesk.documents.style import GREY, INK, NAVY, TEAL
from scrdesk.documents.text import clean

#: Series colours that stay apart on a grey-scale printer (dark, mid, light, then two more).
PALETTE = [NAVY, TEAL, "#9bc4cb", "#e0a458", "#b5525c", "#6c757d", "#c5ccd3"]
#: Complete / open / overdue, matching the RAG fills' meaning (green done, amber open, red late).
STATUS_COLOURS = {"complete": "#5b9a5a", "open": "#e0a458", "overdue": "#b5525c"}


def _title(drawing: Drawing, text: str, width: float, height: float) -> None:
    drawing.add(String(0, height - 11, clean(text), fontName=fonts.BOLD, fontSize=9.5,
                       fillColor=colors.HexColor(NAVY)))


def _axis_fonts(chart) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = fonts.REGULAR
        axis.labels.fontSize = LABEL_SIZE
        axis.labels.fillColor = colors.HexColor(INK)
        axis.strokeColor = colors.HexColor(GREY)
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e4e6e8")
    chart.valueAxis.visibleGrid = True


#: The category labels' font size (_axis_fonts) and the height of a bar's row, on one line or two.
LABEL_SIZE = 7.5
ROW, TWO_LINE_ROW = 16, 22


def _label(text: str, width: float) -> str:
    """A category name in at most two lines of `width` points, ended by "…" when even two are
    too short: a long theme or agency name wraps rather than stopping mid-word."""
    words, lines = clean(text).split(), [""]
    for word in words:
        joined = f"{lines[-1]} {word}".strip()
        if stringWidth(joined, fonts.REGULAR, LABEL_SIZE) <= width or not lines[-1]:
            lines[-1] = joined
        elif len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] += " …"
            break
    while stringWidth(lines[-1], fonts.REGULAR, LABEL_SIZE) > width and len(lines[-1]) > 2:
        lines[-1] = lines[-1][:-3].rstrip() + "…"  # one word longer than the space itself
    return "\n".join(lines)


def _labels(names: list[str], width: float) -> tuple[list[str], float]:
    """The names as chart labels in `width` points, and the row height they need."""
    fonts.register_fonts()  # measured in the font they are drawn in
    labels = [_label(name, width) for name in names]
    return labels, (TWO_LINE_ROW if any("\n" in label for label in labels) else ROW)


def _whole_steps(chart, top: float) -> None:
    """Counts are whole numbers: no 0.5 ticks on a small chart."""
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(1, int(top) + (1 if top == int(top) else 0))
    chart.valueAxis.valueStep = max(1, round(chart.valueAxis.valueMax / 6))


def _legend(drawing: Drawing, x: float, y: float, items: list[tuple[str, str]]) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.fontName = fonts.REGULAR
    legend.fontSize = 7.5
    legend.columnMaximum = len(items)
    legend.boxAnchor = "nw"
    legend.dx = legend.dy = 7
    legend.deltay = 10
    legend.colorNamePairs = [(colors.HexColor(c), clean(n)) for c, n in items]
    drawing.add(legend)


def outcomes_over_years(history: list[dict], width: float, height: float = 200) -> Drawing | None:
    """Grouped bars: each year's referrals by outcome, one colour per outcome."""
    if not history or not any(h["total"] for h in history):
        return None
    codes: dict[str, str] = {}
    for h in history:
        for o in h["outcomes"]:
            codes.setdefault(o["code"], o["label"])
    data = []
    for code in codes:
        data.append([next((o["count"] for o in h["outcomes"] if o["code"] == code), 0) for h in history])
    drawing = Drawing(width, height)
    _title(drawing, "Referral outcomes over the last five years", width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 30
    chart.width, chart.height = width - 28 - 150, height - 55
    chart.data = data
    chart.categoryAxis.categoryNames = [h["label"] for h in history]
    chart.groupSpacing = 8
    chart.barSpacing = 1
    for i in range(len(data)):
        chart.bars[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
        chart.bars[i].strokeColor = None
    _axis_fonts(chart)
    _whole_steps(chart, max(max(row) for row in data))
    drawing.add(chart)
    _legend(drawing, width - 140, height - 22,
            [(PALETTE[i % len(PALETTE)], label) for i, label in enumerate(codes.values())])
    return drawing


def timeliness(rows: list[dict], target_months: int | None, width: float, height: float = 170) -> Drawing | None:
    """One bar per completed review: months from initiation to completion, and the target line."""
    timed = [r for r in rows if r.get("initiated_date") and r.get("completed_date")]
    if not timed:
        return None
    from datetime import date

    def months(r: dict) -> float:
        days = (date.fromisoformat(r["completed_date"]) - date.fromisoformat(r["initiated_date"])).days
        return round(days / 30.44, 1)

    values = [months(r) for r in timed]
    drawing = Drawing(width, height)
    _title(drawing, "Months from initiation to completion", width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 30
    chart.width, chart.height = min(width - 40, 60 * len(values) + 40), height - 55
    chart.data = [values]
    chart.categoryAxis.categoryNames = [clean(r["ref"]) for r in timed]
    chart.bars[0].fillColor = colors.HexColor(TEAL)
    chart.bars[0].strokeColor = None
    for i, r in enumerate(timed):
        if not r.get("on_time", True):
            chart.bars[(0, i)].fillColor = colors.HexColor(STATUS_COLOURS["overdue"])
    _axis_fonts(chart)
    top = max(values + [target_months or 0])
    _whole_steps(chart, top)
    drawing.add(chart)
    if target_months:
        scale = chart.height / chart.valueAxis.valueMax
        y = chart.y + target_months * scale
        drawing.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=colors.HexColor(NAVY),
                         strokeDashArray=[3, 2], strokeWidth=1))
        drawing.add(String(chart.x + chart.width + 4, y - 3, f"target {target_months} months",
                           fontName=fonts.REGULAR, fontSize=7.5, fillColor=colors.HexColor(NAVY)))
    return drawing


def actions_by_agency(by_agency: list[dict], width: float) -> Drawing | None:
    """Stacked horizontal bars per agency: complete, open (not overdue) and overdue actions."""
    rows = [r for r in by_agency if r["total"]]
    if not rows:
        return None
    # The first row is drawn at the bottom; reverse so the table's first agency is on top.
    rows = list(reversed(rows))
    names, row_height = _labels([r["short_name"] or r["agency"] for r in rows], 150 - 10)
    height = 40 + row_height * len(rows) + 30
    drawing = Drawing(width, height)
    _title(drawing, "Actions by agency: complete, open and overdue", width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 30
    chart.width, chart.height = width - 150 - 20, height - 60
    chart.data = [[r["complete"] for r in rows], [r["open"] - r["overdue"] for r in rows],
                  [r["overdue"] for r in rows]]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.style = "stacked"
    for i, key in enumerate(("complete", "open", "overdue")):
        chart.bars[i].fillColor = colors.HexColor(STATUS_COLOURS[key])
        chart.bars[i].strokeColor = None
    _axis_fonts(chart)
    _whole_steps(chart, max(r["total"] for r in rows))
    drawing.add(chart)
    legend_items = [(STATUS_COLOURS["complete"], "Complete"), (STATUS_COLOURS["open"], "Open, not overdue"),
                    (STATUS_COLOURS["overdue"], "Overdue")]
    x = 150
    for colour, name in legend_items:
        drawing.add(Line(x, 8, x + 10, 8, strokeColor=colors.HexColor(colour), strokeWidth=6))
        drawing.add(String(x + 14, 5, name, fontName=fonts.REGULAR, fontSize=7.5, fillColor=colors.HexColor(INK)))
        x += 24 + len(name) * 4
    return drawing


def themes(rows: list[dict], width: float, limit: int = 12) -> Drawing | None:
    """Horizontal bars: the number of reviews each theme was found in, most first."""
    rows = [r for r in rows if r.get("review_count")][:limit]
    if not rows:
        return None
    rows = list(reversed(rows))
    names, row_height = _labels([r["label"] for r in rows], 170 - 10)
    height = 40 + row_height * len(rows)
    drawing = Drawing(width, height)
    _title(drawing, "Reviews in which each theme was found", width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 170, 20
    chart.width, chart.height = width - 170 - 20, height - 45
    chart.data = [[r["review_count"] for r in rows]]
    chart.categoryAxis.categoryNames = names
    chart.bars[0].fillColor = colors.HexColor(TEAL)
    chart.bars[0].strokeColor = None
    _axis_fonts(chart)
    _whole_steps(chart, max(r["review_count"] for r in rows))
    drawing.add(chart)
    return drawing
