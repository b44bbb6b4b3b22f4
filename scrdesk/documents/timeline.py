"""Review timelines: one review's milestones, or a Gantt chart of every live review (landscape).

Bars run from initiation (or agreement) to the target completion; milestones are diamonds,
filled when done and outlined when only planned; a red line marks "today" (the as-at date).
Below the chart every date is also printed in a table, so nothing depends on colour.
"""

from __future__ import annotations

from datetime import date, timedelta

from scrdesk.documents import fonts
from scrdesk.documents.style import (
    GREY,
    MM,
    NAVY,
    RULE,
    TEAL,
    BuildResult,
    Content,
    Letterhead,
    build_pdf,
    date_text,
    frame_width,
    rag_cell,
    rag_fill,
)
from scrdesk.documents.text import clean
from scrdesk.domain.dates import MONTH_ABBRS

ROWS_PER_CHART = 14
LABEL_WIDTH = 52 * MM
ROW_HEIGHT = 9 * MM


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _span(reviews: list[dict], today: date) -> tuple[date, date]:
    dates = [today]
    for r in reviews:
        for key in ("start_date", "target_date", "completed_date"):
            if _d(r.get(key)):
                dates.append(_d(r[key]))
        for m in r["milestones"]:
            dates += [d for d in (_d(m["planned_date"]), _d(m["actual_date"])) if d]
    start, end = min(dates), max(dates)
    start = date(start.year, start.month, 1)
    end = (date(end.year + (end.month == 12), end.month % 12 + 1, 1))
    if (end - start).days < 90:
        end = start + timedelta(days=90)
    return start, end


def _chart(reviews: list[dict], today: date, start: date, end: date, width: float):
    from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
    from reportlab.lib import colors

    height = ROW_HEIGHT * len(reviews) + 14 * MM
    drawing = Drawing(width, height)
    plot_w = width - LABEL_WIDTH
    days = (end - start).days or 1

    def x(d: date) -> float:
        return LABEL_WIDTH + plot_w * (d - start).days / days

    top = height - 7 * MM
    bottom = top - ROW_HEIGHT * len(reviews)
    # Month ticks: every month when the span is short, else every quarter.
    step = 1 if days <= 400 else 3
    month = date(start.year, start.month, 1)
    while month <= end:
        drawing.add(Line(x(month), bottom, x(month), top + 2 * MM, strokeColor=colors.HexColor(RULE), strokeWidth=0.4))
        label = f"{MONTH_ABBRS[month.month - 1]} {month.year % 100:02d}"
        if x(month) < width - 10 * MM:
            drawing.add(String(x(month) + 1, top + 3 * MM, label, fontName=fonts.REGULAR, fontSize=6.5,
                               fillColor=colors.HexColor(GREY)))
        m = month.month - 1 + step
        month = date(month.year + m // 12, m % 12 + 1, 1)
    for i, r in enumerate(reviews):
        y = top - (i + 1) * ROW_HEIGHT
        mid = y + ROW_HEIGHT / 2
        if i % 2:
            drawing.add(Rect(0, y, width, ROW_HEIGHT, fillColor=colors.HexColor("#f7f9fb"), strokeColor=None))
        drawing.add(String(2, mid + 1, clean(r["ref"])[:24], fontName=fonts.BOLD, fontSize=7.5,
                           fillColor=colors.HexColor(NAVY)))
        drawing.add(String(2, mid - 7, clean(r["type"])[:34], fontName=fonts.REGULAR, fontSize=6.5,
                           fillColor=colors.HexColor(GREY)))
        s, t = _d(r.get("start_date")), _d(r.get("target_date"))
        if s and t:
            drawing.add(Rect(x(s), mid - 2 * MM, max(x(t) - x(s), 1), 4 * MM, fillColor=colors.HexColor("#dbe4ee"),
                             strokeColor=colors.HexColor(NAVY), strokeWidth=0.4))
        if t:
            fill = {"red": "#c0392b", "amber": "#d68910", "green": "#2e8540"}.get(r["rag"]["colour"], NAVY)
            drawing.add(Line(x(t), mid - 3 * MM, x(t), mid + 3 * MM, strokeColor=colors.HexColor(fill), strokeWidth=1.6))
        for m in r["milestones"]:
            d = _d(m["actual_date"]) or _d(m["planned_date"])
            if not d:
                continue
            cx, size = x(d), 1.8 * MM
            points = [cx, mid + size, cx + size, mid, cx, mid - size, cx - size, mid]
            done = bool(m["actual_date"])
            drawing.add(Polygon(points, fillColor=colors.HexColor(TEAL) if done else colors.white,
                                strokeColor=colors.HexColor(TEAL), strokeWidth=0.8))
    tx = x(today)
    drawing.add(Line(tx, bottom - 1 * MM, tx, top + 2 * MM, strokeColor=colors.HexColor("#c0392b"), strokeWidth=1,
                     strokeDashArray=[2, 2]))
    drawing.add(String(tx + 1.5, bottom - 5.5 * MM, f"today {date_text(today)}", fontName=fonts.BOLD, fontSize=6.5,
                       fillColor=colors.HexColor("#c0392b")))
    return drawing


def _key(content: Content):
    content.add_para("Key: the bar runs from initiation to the target completion; a filled diamond is a milestone "
                     "done, an open diamond one planned; the coloured stroke is the target (red passed, amber near, green on track); the dashed line "
                     "is today.", "small", "")


def build_timeline(data: dict, letterhead: Letterhead) -> BuildResult:
    content = Content()
    width = frame_width("landscape")
    today = _d(data["today"])
    reviews = data["reviews"]
    for r in reviews:
        content.record(f"the chart, {r['ref']}", f"{r['ref']} {r['type']}")
    if data.get("review_id") is not None and reviews:
        review = reviews[0]
        content.add_para(f"Timeline: {review['ref']}", "title", "the title")
        content.add_para(f"{review['type']}" + (f" · {review['methodology']}" if review["methodology"] else "")
                         + f" · position as at {date_text(data['today'])}", "subtitle", "the subtitle")
    else:
        content.add_para("Timeline of live reviews", "title", "the title")
        content.add_para(f"Position as at {date_text(data['today'])}", "subtitle", "the subtitle")
    if not reviews:
        content.add_para("There are no live reviews.", "body", "Timeline")
        return build_pdf(content, letterhead, "landscape")
    start, end = _span(reviews, today)
    for i in range(0, len(reviews), ROWS_PER_CHART):
        content.add(_chart(reviews[i:i + ROWS_PER_CHART], today, start, end, width))
    _key(content)

    if data.get("review_id") is not None:
        _milestone_table(content, reviews[0], today, width)
        return build_pdf(content, letterhead, "landscape")
    # Each review's row lists all its milestones; start the table where a few rows fit.
    content.keep_room(70 * MM)
    content.heading("Dates")
    header = ["Ref", "Start", "Target", "RAG", "Milestones"]
    widths = [22 * MM, 24 * MM, 24 * MM, 50 * MM]
    widths.append(width - sum(widths))
    rows, fills = [], {}
    for i, r in enumerate(reviews):
        steps = []
        for m in r["milestones"]:
            planned = f"planned {date_text(m['planned_date'])}" if m["planned_date"] else "no planned date"
            done = f", done {date_text(m['actual_date'])}" if m["actual_date"] else ""
            steps.append(f"{m['label']}: {planned}{done}")
        rows.append([r["ref"], date_text(r.get("start_date")), date_text(r.get("target_date")) or "Not set",
                     rag_cell(content, r["rag"], f"Dates, {r['ref']}, RAG"), "\n".join(steps) or "None recorded"])
        fills[(i, 3)] = rag_fill(r["rag"])
    content.add(content.table(header, rows, widths, where="Dates",
                              row_labels=[r["ref"] for r in reviews], fills=fills))
    return build_pdf(content, letterhead, "landscape")


def _milestone_state(m: dict, today: date) -> str:
    if m["actual_date"]:
        planned = _d(m["planned_date"])
        late = planned is not None and _d(m["actual_date"]) > planned
        return f"Done {date_text(m['actual_date'])}" + (" (after the planned date)" if late else "")
    planned = _d(m["planned_date"])
    if planned is None:
        return "Not yet planned"
    if planned < today:
        return f"Not done: planned {date_text(planned)}, {(today - planned).days} days ago"
    return f"Planned {date_text(planned)}"


def _milestone_table(content: Content, review: dict, today: date, width: float) -> None:
    content.heading("Milestones")
    content.add_para(f"Started {date_text(review.get('start_date')) or 'not yet'}; target completion "
                     f"{date_text(review.get('target_date')) or 'not set'} ({review['target_basis']}). "
                     f"{review['rag']['reason']}.", "body", "Milestones")
    header = ["Step", "Planned", "Done", "Position", "Attendance", "Notes"]
    widths = [62 * MM, 26 * MM, 26 * MM, 62 * MM, 22 * MM]
    widths.append(width - sum(widths))
    rows = [[m["label"], date_text(m["planned_date"]), date_text(m["actual_date"]), _milestone_state(m, today),
             "" if m["attendance"] is None else str(m["attendance"]), m["notes"]] for m in review["milestones"]]
    if rows:
        content.add(content.table(header, rows, widths, where="Milestones",
                                  row_labels=[m["label"] for m in review["milestones"]]))
    else:
        content.add_para("No milestones are recorded for this review yet.", "body", "Milestones")
