"""The sub group's six-monthly health check (A4 portrait), with the trend against the check before.

Headline counts of red, amber and green answers (and the change since the previous check), a chart
of the RAG counts over the recent checks, then each question by area with the previous RAG, the
current RAG, the direction (better, same, worse, new) and the comment; then the actions arising,
which the sub group's own plan carries. RAG is always printed in words, the fill only helps.
"""

from __future__ import annotations

from scrdesk.documents.style import (
    MM,
    RAG_FILLS,
    BuildResult,
    Content,
    Letterhead,
    build_pdf,
    date_text,
    figures,
    frame_width,
)

#: Bar colours matching the RAG meaning (the same as the action charts: green done, amber, red).
BAR_COLOURS = {"green": "#5b9a5a", "amber": "#e0a458", "red": "#b5525c"}
WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}
_RANK = {"red": 0, "amber": 1, "green": 2}


def trend(previous: str | None, current: str | None) -> str:
    """The direction of one question since the previous check, in words."""
    if current not in _RANK:
        return "Not answered"
    if previous not in _RANK:
        return "New"
    change = _RANK[current] - _RANK[previous]
    return "Better" if change > 0 else "Worse" if change < 0 else "Same"


def _change(now: int, before: int | None) -> str:
    if before is None:
        return ""
    diff = now - before
    return f" ({'+' if diff > 0 else ''}{diff} since last)" if diff else " (same as last)"


def rag_chart(history: list[dict], width: float, height: float = 150):
    """Stacked bars, one per check: how many questions were green, amber and red."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib import colors

    from scrdesk.documents import fonts
    from scrdesk.documents.charts import _axis_fonts, _title, _whole_steps

    if not history:
        return None
    drawing = Drawing(width, height)
    _title(drawing, "Answers by RAG at each health check", width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 30
    chart.width, chart.height = min(width - 150, 70 * len(history) + 40), height - 55
    order = ("green", "amber", "red")
    chart.data = [[h[c] for h in history] for c in order]
    chart.categoryAxis.categoryNames = [date_text(h["date"]) for h in history]
    chart.categoryAxis.style = "stacked"
    chart.barWidth = 18
    for i, c in enumerate(order):
        chart.bars[i].fillColor = colors.HexColor(BAR_COLOURS[c])
        chart.bars[i].strokeColor = None
    _axis_fonts(chart)
    _whole_steps(chart, max(sum(h[c] for c in order) for h in history))
    drawing.add(chart)
    x, y = chart.x + chart.width + 20, chart.y + chart.height - 10
    for c in ("red", "amber", "green"):
        drawing.add(Line(x, y + 3, x + 10, y + 3, strokeColor=colors.HexColor(BAR_COLOURS[c]), strokeWidth=6))
        drawing.add(String(x + 14, y, WORDS[c], fontName=fonts.REGULAR, fontSize=7.5))
        y -= 13
    return drawing


def build_health_check(data: dict, letterhead: Letterhead) -> BuildResult:
    content = Content()
    width = frame_width()
    content.add_para("Sub group health check", "title", "the title")
    previous = data["previous_date"]
    against = f"compared with the check of {date_text(previous)}" if previous else "the first check recorded"
    content.add_para(f"Held {date_text(data['date'])} · {against}", "subtitle", "the subtitle")
    before = data["previous_counts"] or {}
    content.add(figures(content, [
        (str(data["counts"][c]), f"{WORDS[c].lower()}{_change(data['counts'][c], before.get(c))}")
        for c in ("red", "amber", "green")], width))
    if data["notes"]:
        content.add_para(data["notes"], "body", "the notes")

    content.heading("1. The trend")
    questions = data["questions"]
    moves = [trend(q["previous_rag"], q["rag"]) for q in questions]
    if previous:
        content.add_para(f"Since {date_text(previous)}: {moves.count('Better')} better, {moves.count('Same')} the "
                         f"same, {moves.count('Worse')} worse, {moves.count('New')} new.", "body", "The trend")
    chart = rag_chart(data["history"], width)
    if chart is not None:
        content.add(chart)

    content.heading("2. Each question")
    rows, fills, labels = [], {}, []
    area = None
    for i, q in enumerate(questions):
        rows.append(["" if q["area"] == area else q["area"], q["text"],
                     WORDS.get(q["previous_rag"], "–" if previous else ""), WORDS.get(q["rag"], "Not answered"),
                     moves[i], q.get("comment") or ""])
        area = q["area"]
        labels.append(f"row {i + 1} ({q['code']})")
        if q["previous_rag"] in RAG_FILLS:
            fills[(i, 2)] = RAG_FILLS[q["previous_rag"]]
        if q["rag"] in RAG_FILLS:
            fills[(i, 3)] = RAG_FILLS[q["rag"]]
    if rows:
        widths = [m * MM for m in (26, 56, 17, 17, 15)]
        widths.append(width - sum(widths))
        content.add(content.table(["Area", "Question", "Previous", "Now", "Trend", "Comment"], rows, widths,
                                  where="Each question", row_labels=labels, fills=fills))
    else:
        content.add_para("No question was answered at this check.", "body", "Each question")

    content.heading("3. Actions arising")
    actions = data["actions"]
    if actions:
        rows = [[a["text"], a.get("lead_officer") or "", date_text(a.get("target_date")) or "Not set",
                 a.get("status") or ""] for a in actions]
        widths = [m * MM for m in (30, 26, 30)]
        widths.insert(0, width - sum(widths))
        content.add(content.table(["Action (in the sub group's own plan)", "Lead officer", "Target", "Status"], rows,
                                  widths, where="Actions arising"))
    else:
        content.add_para("No action arose from this check.", "body", "Actions arising")
    return build_pdf(content, letterhead)
