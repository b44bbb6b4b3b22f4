"""The open clocks as files for a business manager's weekly check: JSON, Excel, iCalendar.

Pure: the `as_at` date and the clock dicts of store/clocks.open_clocks in, bytes out. Only
references, codes, dates and reasons go in — never a child's name.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta

#: The keys of one clock in the export, in order (issue 11).
EXPORT_KEYS = ("ref", "clock", "framework", "starts", "due", "done", "working_days_left", "rag", "reason")
#: How long before an all-day deadline the calendar reminds.
REMINDER = timedelta(days=2)


def clocks_document(as_at: date, clocks: list[dict]) -> dict:
    return {"as_at": as_at.isoformat(), "clocks": [{k: c.get(k) for k in EXPORT_KEYS} for c in clocks]}


def clocks_json(as_at: date, clocks: list[dict]) -> bytes:
    return (json.dumps(clocks_document(as_at, clocks), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def clocks_xlsx(as_at: date, clocks: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Clocks"
    sheet.append([f"Open clocks as at {as_at.isoformat()}"])
    sheet["A1"].font = Font(bold=True)
    headings = ["Ref", "Clock", "Framework", "Starts", "Due", "Done", "Working days left", "RAG", "Reason"]
    sheet.append(headings)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for c in clocks:
        row = [c.get(k) for k in EXPORT_KEYS]
        for i in (3, 4, 5):  # real dates, so Excel sorts and filters them as dates
            row[i] = date.fromisoformat(row[i]) if row[i] else None
        sheet.append(row)
    for col, width in zip("ABCDEFGHI", (14, 20, 11, 12, 12, 12, 10, 8, 70), strict=True):
        sheet.column_dimensions[col].width = width
    for row in sheet.iter_rows(min_row=3, min_col=4, max_col=6):
        for cell in row:
            cell.number_format = "dd mmm yyyy"
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def clocks_ics(as_at: date, clocks: list[dict], board: str = "") -> bytes:
    """One all-day event per deadline, on its due date, with a reminder two days before."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//scrdesk//statutory clocks//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{board} statutory clocks".strip())
    stamp = datetime.combine(as_at, datetime.min.time(), tzinfo=UTC)
    for c in clocks:
        due = date.fromisoformat(c["due"])
        event = Event()
        # The same clock keeps the same UID week to week, so a re-import updates rather than doubles.
        event.add("uid", f"{c['ref']}-{c['clock']}@scrdesk".replace(" ", "").replace(",", "+"))
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("summary", f"{c['ref']}: {c.get('label') or c['clock']} due")
        event.add("description", f"{c['reason']}\nClock {c['clock']} ({c['framework']}), started {c['starts']}.")
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{c['ref']}: {c.get('label') or c['clock']} due {due.isoformat()}")
        alarm.add("trigger", -REMINDER)
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


WRITERS = {".json": clocks_json, ".xlsx": clocks_xlsx, ".ics": clocks_ics}

__all__ = ["EXPORT_KEYS", "WRITERS", "clocks_document", "clocks_ics", "clocks_json", "clocks_xlsx"]
