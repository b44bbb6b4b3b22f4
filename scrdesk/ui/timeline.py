"""Review charts drawn with QPainter: the timeline of one review and the Gantt of all live reviews.

Both paint into a logical canvas measured in pixels, with every font given in pixels, so the same
code draws on screen, into a PNG of any width and onto a PDF page or printer (scaled to fit).
A printed chart carries the board's name, the protective marking and the date produced; its PDF
metadata names only the kind of chart, never a child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from scrdesk.domain import values
from scrdesk.domain.dates import MONTH_ABBRS, format_date, from_iso
from scrdesk.store import reviews as store_reviews
from scrdesk.store.queries import review_rows, today_for

INK = QColor("#1f1f1f")
MUTED = QColor("#666666")
GRID = QColor("#e3e3e3")
PLANNED = QColor("#5b6b7f")
DONE = QColor("#1f5fa8")
LATE = QColor("#c25e00")
OVERDUE = QColor("#b00020")
INITIATED = QColor("#2e7d32")
TARGET = QColor("#b00020")
TODAY = QColor("#1565c0")
BAR_FILL = {"red": QColor("#f4b6af"), "amber": QColor("#fbd98c"), "green": QColor("#b9dfb7"),
            "blue": QColor("#b8cfee"), "grey": QColor("#d9d9d9")}
BAR_EDGE = {"red": QColor("#b00020"), "amber": QColor("#b26a00"), "green": QColor("#2e7d32"),
            "blue": QColor("#1f5fa8"), "grey": QColor("#777777")}

LABEL_WIDTH = 250
ROW_HEIGHT = 26
PAD = 12


def _font(pixels: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


class _Axis:
    """Maps dates to x between `left` and `right`, and draws month (or quarter) gridlines."""

    def __init__(self, first: date, last: date, left: float, right: float):
        span = max((last - first).days, 1)
        margin = max(int(span * 0.03), 3)
        self.first = first - timedelta(days=margin)
        self.last = last + timedelta(days=margin)
        self.left = left
        self.right = right

    def x(self, d: date) -> float:
        total = max((self.last - self.first).days, 1)
        return self.left + (self.right - self.left) * (d - self.first).days / total

    def _ticks(self) -> list[date]:
        months = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        step = 1 if months <= 14 else 3 if months <= 42 else 6 if months <= 84 else 12
        year, month = self.first.year, self.first.month
        month += (step - (month - 1) % step) % step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        ticks = []
        while (tick := date(year, month, 1)) <= self.last:
            if tick >= self.first:
                ticks.append(tick)
            month += step
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        return ticks

    def draw(self, painter: QPainter, top: float, bottom: float, label_y: float | None = None) -> None:
        """Gridlines from `top` to `bottom`; month labels on `label_y` (default: under the plot)."""
        label_y = bottom + 14 if label_y is None else label_y
        painter.setFont(_font(11))
        metrics = QFontMetrics(painter.font())
        last_text_end = -1e9
        for tick in self._ticks():
            x = self.x(tick)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
            text = f"{MONTH_ABBRS[tick.month - 1]} {tick.year}"
            width = metrics.horizontalAdvance(text)
            if x - width / 2 > last_text_end + 6:
                painter.setPen(MUTED)
                painter.drawText(QPointF(x - width / 2, label_y), text)
                last_text_end = x + width / 2


def _diamond(painter: QPainter, centre: QPointF, size: float, pen: QPen, brush: QBrush) -> None:
    half = size / 2
    painter.setPen(pen)
    painter.setBrush(brush)
    painter.drawPolygon(QPolygonF([
        QPointF(centre.x(), centre.y() - half), QPointF(centre.x() + half, centre.y()),
        QPointF(centre.x(), centre.y() + half), QPointF(centre.x() - half, centre.y())]))


def _vertical_marker(painter: QPainter, x: float, top: float, bottom: float, colour: QColor,
                     text: str, lane: int, width_available: float, dashed: bool = False,
                     label_gap: float = 6) -> None:
    pen = QPen(colour, 2)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawLine(QPointF(x, top), QPointF(x, bottom))
    painter.setFont(_font(11, bold=True))
    metrics = QFontMetrics(painter.font())
    width = metrics.horizontalAdvance(text)
    # Labels sit in lanes above the plot so markers close together do not overwrite each other.
    left = min(max(x - width / 2, 0), width_available - width - 2)
    painter.drawText(QPointF(left, top - label_gap - lane * 14), text)


@dataclass
class _Marker:
    when: date
    colour: QColor
    text: str
    dashed: bool = False


class ChartWidget(QWidget):
    """A chart painted by `paint_chart(painter, width)`, which returns the height it used."""

    chart_kind = "chart"
    document_title = "Chart"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(600)
        self.setBackgroundRole(self.backgroundRole())
        self.settings: dict = {}

    # -- painting ----------------------------------------------------------------------------

    def chart_height(self) -> int:
        raise NotImplementedError

    def paint_chart(self, painter: QPainter, width: float) -> None:
        raise NotImplementedError

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(900, self.chart_height())

    def refresh_geometry(self) -> None:
        self.setFixedHeight(self.chart_height())
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        self.paint_chart(painter, self.width())
        painter.end()

    # -- output ------------------------------------------------------------------------------

    def render_image(self, width: int = 1600) -> QImage:
        height = self.chart_height()
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint_chart(painter, width)
        painter.end()
        return image

    def save_png(self, path: str | Path, width: int = 1600) -> Path:
        path = Path(path)
        if not self.render_image(width).save(str(path), "PNG"):
            raise OSError(f"Could not write {path.name}")
        return path

    def print_to(self, device) -> None:
        """Paint one page on a QPrinter or QPdfWriter: header, the chart scaled to fit, footer."""
        layout_rect = device.pageLayout().paintRectPixels(device.resolution())
        painter = QPainter(device)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        logical_width = 1400.0
        scale = layout_rect.width() / logical_width
        painter.scale(scale, scale)
        page_height = layout_rect.height() / scale
        marking = self.settings.marking_for("timeline")
        board = self.settings.board_name
        painter.setPen(INK)
        painter.setFont(_font(14, bold=True))
        painter.drawText(QRectF(0, 0, logical_width, 20), Qt.AlignmentFlag.AlignLeft, board)
        painter.drawText(QRectF(0, 0, logical_width, 20), Qt.AlignmentFlag.AlignRight, marking)
        painter.translate(0, 34)
        chart_height = self.chart_height()
        room = page_height - 34 - 30
        if chart_height > room:
            fit = room / chart_height
            painter.save()
            painter.scale(fit, fit)
            self.paint_chart(painter, logical_width / fit)
            painter.restore()
        else:
            self.paint_chart(painter, logical_width)
        painter.translate(0, -34)
        painter.setFont(_font(11))
        painter.setPen(MUTED)
        footer = QRectF(0, page_height - 18, logical_width, 18)
        painter.drawText(footer, Qt.AlignmentFlag.AlignLeft, f"Produced {format_date(date.today())}")
        painter.drawText(footer, Qt.AlignmentFlag.AlignRight, marking)
        painter.end()

    def save_pdf(self, path: str | Path) -> Path:
        from PySide6.QtGui import QPdfWriter

        path = Path(path)
        writer = QPdfWriter(str(path))
        writer.setResolution(300)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                         QPageLayout.Orientation.Landscape, QMarginsF(12, 12, 12, 12),
                                         QPageLayout.Unit.Millimeter))
        writer.setTitle(self.document_title)
        writer.setCreator("scrdesk")
        self.print_to(writer)
        return path

    def print_with_dialog(self, parent: QWidget | None = None) -> bool:
        """The system print dialog, then one landscape page at 300 dpi."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setResolution(300)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        printer.setDocName(self.document_title)
        dialog = QPrintDialog(printer, parent or self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        self.print_to(printer)
        return True


class ReviewTimeline(ChartWidget):
    """One review: a row per milestone (planned hollow, done filled), with initiation, target
    and today as vertical lines."""

    chart_kind = "timeline"
    document_title = "Review timeline"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Review timeline")
        self.review: dict | None = None
        self.milestones: list[dict] = []
        self.today = date.today()
        self.refresh_geometry()

    def set_review(self, store, review_id: int | None) -> None:
        self.settings = store.settings()
        self.today = today_for(store)
        self.review, self.milestones = None, []
        if review_id is not None:
            found = review_rows(store, self.today, review_id=review_id)
            self.review = found[0] if found else None
        if self.review is not None:
            profile = store_reviews.profile_for_record(store, self.review.get("framework"),
                                                       self.review.get("agreed_date"))
            own_labels = dict(profile.methodology_milestones(self.review.get("methodology")))
            for row in store_reviews.milestones(store, review_id):
                row["label"] = own_labels.get(row["kind"]) or values.label(values.MILESTONE_KINDS, row["kind"])
                self.milestones.append(row)
        self.setAccessibleDescription(self.describe())
        self.setToolTip(f"{self.describe()}\nTarget worked out as: {self.review['target_basis']}"
                        if self.review else "")
        self.refresh_geometry()

    def describe(self) -> str:
        """The chart in words, for screen readers and the tooltip."""
        if self.review is None:
            return "No review selected."
        done = sum(1 for m in self.milestones if m["actual_date"])
        target = from_iso(self.review.get("target_date"))
        target_text = f"target {format_date(target)}" if target else "no target yet"
        return (f"{self.review['refs']}: {done} of {len(self.milestones)} milestones done; "
                f"{target_text}; {self.review['rag'].reason}")

    #: Title and reason; then up to three lanes of marker labels; then the month labels.
    HEADER, LANES, MONTHS, LEGEND = 50, 3 * 14, 22, 32
    ROW = 22

    def chart_height(self) -> int:
        rows = max(len(self.milestones), 1)
        return self.HEADER + self.LANES + self.MONTHS + rows * self.ROW + self.LEGEND

    def _markers(self) -> list[_Marker]:
        review = self.review or {}
        found = []
        if from_iso(review.get("initiated_date")):
            found.append(_Marker(from_iso(review["initiated_date"]), INITIATED,
                                 f"Initiated {format_date(from_iso(review['initiated_date']))}"))
        elif from_iso(review.get("agreed_date")):
            found.append(_Marker(from_iso(review["agreed_date"]), INITIATED,
                                 f"Agreed {format_date(from_iso(review['agreed_date']))}"))
        if from_iso(review.get("target_date")):
            found.append(_Marker(from_iso(review["target_date"]), TARGET,
                                 f"Target {format_date(from_iso(review['target_date']))}"))
        if from_iso(review.get("completed_date")):
            found.append(_Marker(from_iso(review["completed_date"]), DONE,
                                 f"Completed {format_date(from_iso(review['completed_date']))}"))
        if review and not review.get("completed_date"):
            found.append(_Marker(self.today, TODAY, f"Today {format_date(self.today)}", dashed=True))
        return found

    def paint_chart(self, painter: QPainter, width: float) -> None:
        painter.setPen(INK)
        if self.review is None:
            painter.setFont(_font(14))
            painter.drawText(QRectF(PAD, PAD, width - 2 * PAD, 40), Qt.AlignmentFlag.AlignLeft,
                             "Choose a review to see its timeline.")
            return
        review = self.review
        painter.setFont(_font(16, bold=True))
        title = f"{review['refs']} – {review['type_label']}"
        if review.get("methodology_label"):
            title += f" · {review['methodology_label']}"
        # Elided to the chart's width: beside the milestone list on a laptop, a long type and
        # methodology ran off the chart's right edge mid-word.
        room = int(width - 2 * PAD)
        painter.drawText(QPointF(PAD, PAD + 16),
                         painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, room))
        painter.setFont(_font(12))
        painter.setPen(BAR_EDGE.get(review["rag"].colour, INK))
        painter.drawText(QPointF(PAD, PAD + 34), painter.fontMetrics().elidedText(
            f"{review['rag'].reason} · {review['status_label']}", Qt.TextElideMode.ElideRight, room))

        markers = self._markers()
        dates = [m.when for m in markers]
        for m in self.milestones:
            dates += [d for d in (from_iso(m["planned_date"]), from_iso(m["actual_date"])) if d]
        if from_iso(review.get("agreed_date")):
            dates.append(from_iso(review["agreed_date"]))
        top = self.HEADER + self.LANES + self.MONTHS
        row = self.ROW
        bottom = top + max(len(self.milestones), 1) * row
        if not dates:
            painter.setFont(_font(13))
            painter.setPen(INK)
            painter.drawText(QPointF(PAD, top + 16), "No dates yet: record when the review was agreed "
                                                    "or initiated, or add a milestone.")
            return
        axis = _Axis(min(dates), max(dates), LABEL_WIDTH, width - PAD - 20)
        # Months along the top: the chart scrolls, and the top is what stays in view.
        axis.draw(painter, top, bottom, label_y=top - 6)

        if not self.milestones:
            painter.setPen(MUTED)
            painter.setFont(_font(12))
            painter.drawText(QPointF(PAD, top + 15), "No milestones yet")
        for number, milestone in enumerate(self.milestones):
            y = top + number * row + row / 2
            if number % 2:
                painter.fillRect(QRectF(0, y - row / 2, width, row), QColor("#f6f7f9"))
            self._paint_milestone(painter, axis, milestone, y, width)

        ordered = sorted(markers, key=lambda m: axis.x(m.when))
        lanes: list[float] = []
        for marker in ordered:
            x = axis.x(marker.when)
            painter.setFont(_font(11, bold=True))
            text_width = QFontMetrics(painter.font()).horizontalAdvance(marker.text)
            lane = next((i for i, end in enumerate(lanes) if x - text_width / 2 > end + 8), len(lanes))
            if lane == len(lanes):
                lanes.append(0)
            lanes[lane] = x + text_width / 2
            _vertical_marker(painter, x, top, bottom, marker.colour, marker.text, min(lane, 2),
                             width, marker.dashed, label_gap=self.MONTHS + 4)
        self._paint_legend(painter, bottom + 22)

    def _paint_milestone(self, painter: QPainter, axis: _Axis, milestone: dict, y: float,
                         width: float) -> None:
        planned, actual = from_iso(milestone["planned_date"]), from_iso(milestone["actual_date"])
        overdue = actual is None and planned is not None and planned < self.today
        painter.setFont(_font(12, bold=overdue))
        painter.setPen(OVERDUE if overdue else INK)
        metrics = QFontMetrics(painter.font())
        label = metrics.elidedText(milestone["label"], Qt.TextElideMode.ElideRight, LABEL_WIDTH - 2 * PAD)
        painter.drawText(QPointF(PAD, y + 4), label)
        if planned and actual and planned != actual:
            painter.setPen(QPen(LATE if actual > planned else DONE, 2))
            painter.drawLine(QPointF(axis.x(planned), y), QPointF(axis.x(actual), y))
        if planned:
            colour = OVERDUE if overdue else PLANNED
            _diamond(painter, QPointF(axis.x(planned), y), 12, QPen(colour, 2), QBrush(QColor("white")))
        if actual:
            colour = LATE if planned and actual > planned else DONE
            _diamond(painter, QPointF(axis.x(actual), y), 12, QPen(colour, 1), QBrush(colour))

    def _paint_legend(self, painter: QPainter, y: float) -> None:
        painter.setFont(_font(11))
        x = PAD
        items = [
            ("planned", QPen(PLANNED, 2), QBrush(QColor("white"))),
            ("done on time", QPen(DONE, 1), QBrush(DONE)),
            ("done late", QPen(LATE, 1), QBrush(LATE)),
            ("planned date passed, not done", QPen(OVERDUE, 2), QBrush(QColor("white"))),
        ]
        for text, pen, brush in items:
            _diamond(painter, QPointF(x + 6, y - 4), 11, pen, brush)
            painter.setPen(INK)
            painter.drawText(QPointF(x + 16, y), text)
            x += 30 + QFontMetrics(painter.font()).horizontalAdvance(text)


class LiveReviewsGantt(ChartWidget):
    """Every live review as a bar from its start to its target, coloured by RAG, with today."""

    chart_kind = "gantt"
    document_title = "Live reviews against their targets"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Chart of live reviews against their targets")
        self.reviews: list[dict] = []
        self.today = date.today()
        self.refresh_geometry()

    def set_store(self, store) -> None:
        self.settings = store.settings()
        self.today = today_for(store)
        rows = review_rows(store, self.today, live_only=True)
        self.reviews = sorted(rows, key=lambda r: (r["target_date"] or "9999", r["refs"]))
        late = sum(1 for r in self.reviews if r["rag"].colour == "red")
        self.setAccessibleDescription(
            f"{len(self.reviews)} live reviews; {late} past their target completion date.")
        self.refresh_geometry()

    def chart_height(self) -> int:
        return 60 + 30 + max(len(self.reviews), 1) * (ROW_HEIGHT + 6) + 60

    @staticmethod
    def _start(review: dict) -> date | None:
        return from_iso(review.get("initiated_date")) or from_iso(review.get("agreed_date"))

    def paint_chart(self, painter: QPainter, width: float) -> None:
        painter.setPen(INK)
        painter.setFont(_font(16, bold=True))
        painter.drawText(QPointF(PAD, PAD + 16), f"Live reviews against their targets — as at "
                                                 f"{format_date(self.today)}")
        painter.setFont(_font(12))
        painter.setPen(MUTED)
        painter.drawText(QPointF(PAD, PAD + 36), "Bar: from initiation (or agreement) to the target "
                                                 "completion date, coloured by RAG; red hatching: time past the target; "
                                                 "diamond: the next milestone.")
        top = 60 + 30
        row_step = ROW_HEIGHT + 6
        bottom = top + max(len(self.reviews), 1) * row_step
        if not self.reviews:
            painter.setPen(INK)
            painter.setFont(_font(13))
            painter.drawText(QPointF(PAD, top + 18), "There are no live reviews.")
            return
        dates = [self.today]
        for review in self.reviews:
            dates += [d for d in (self._start(review), from_iso(review["target_date"]),
                                  from_iso(review["next_milestone_date"])) if d]
        right_text = 300
        axis = _Axis(min(dates), max(dates), LABEL_WIDTH, width - right_text - PAD)
        axis.draw(painter, top, bottom)
        for number, review in enumerate(self.reviews):
            y = top + number * row_step
            self._paint_row(painter, axis, review, y, row_step, width, right_text)
        x = axis.x(self.today)
        _vertical_marker(painter, x, top, bottom, TODAY, f"Today {format_date(self.today)}", 0,
                         width, dashed=True)

    def _paint_row(self, painter: QPainter, axis: _Axis, review: dict, y: float, row_step: float,
                   width: float, right_text: float) -> None:
        colour = review["rag"].colour
        painter.setFont(_font(12, bold=True))
        painter.setPen(INK)
        metrics = QFontMetrics(painter.font())
        painter.drawText(QPointF(PAD, y + 13),
                         metrics.elidedText(review["refs"], Qt.TextElideMode.ElideRight, LABEL_WIDTH - 2 * PAD))
        painter.setFont(_font(10))
        painter.setPen(MUTED)
        metrics = QFontMetrics(painter.font())
        painter.drawText(QPointF(PAD, y + 26), metrics.elidedText(
            f"{review['type_label']} · {review['current_stage']}", Qt.TextElideMode.ElideRight,
            LABEL_WIDTH - 2 * PAD))
        start, target = self._start(review), from_iso(review["target_date"])
        bar_top, bar_height = y + 5, ROW_HEIGHT - 8
        if start and target:
            rect = QRectF(axis.x(start), bar_top, max(axis.x(target) - axis.x(start), 2), bar_height)
            painter.setPen(QPen(BAR_EDGE[colour], 1))
            painter.setBrush(BAR_FILL[colour])
            painter.drawRect(rect)
            if self.today > target:
                over = QRectF(axis.x(target), bar_top, axis.x(self.today) - axis.x(target), bar_height)
                painter.setBrush(QBrush(TARGET, Qt.BrushStyle.BDiagPattern))
                painter.setPen(QPen(TARGET, 1))
                painter.drawRect(over)
        elif start:
            painter.setPen(QPen(MUTED, 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(axis.x(start), bar_top, max(axis.x(self.today) - axis.x(start), 2),
                                    bar_height))
        next_date = from_iso(review["next_milestone_date"])
        if next_date:
            overdue = next_date < self.today
            _diamond(painter, QPointF(axis.x(next_date), bar_top + bar_height / 2), 11,
                     QPen(OVERDUE if overdue else PLANNED, 2), QBrush(QColor("white")))
        painter.setFont(_font(11))
        painter.setPen(BAR_EDGE[colour])
        metrics = QFontMetrics(painter.font())
        text = review["rag"].reason
        painter.drawText(QRectF(width - right_text, y, right_text - PAD, row_step),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
                         text if metrics.horizontalAdvance(text) < 2 * right_text
                         else metrics.elidedText(text, Qt.TextElideMode.ElideRight, 2 * right_text - 20))
