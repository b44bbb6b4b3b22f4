"""Excel versions of the composite action plan and the annual report tables (openpyxl).

Each sheet has a bold header row frozen at the top, wrapped text, sensible widths, the RAG in
words with its reason beside a pale fill, and the protective marking in the printed header
and footer. Cell text is written as typed: a value starting with `=` is stored as text, never
run as a formula.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from scrdesk.documents.action_plan import target_text
from scrdesk.documents.annual import (
    characteristic_rows,
    costs_rows,
    funnel_rows,
    governance_rows,
    learning_rows,
)
from scrdesk.documents.style import RAG_FILLS, RAG_WORDS, Letterhead, date_text, rag_text
from scrdesk.documents.text import clean


@dataclass
class XlsxResult:
    data: bytes
    sheets: int
    texts: list[tuple[str, str]]
    warnings: list[str]


class _Book:
    def __init__(self, letterhead: Letterhead):
        from openpyxl import Workbook

        self.letterhead = letterhead
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.wb.properties.title = clean(letterhead.title)
        self.wb.properties.subject = clean(letterhead.subject)
        self.wb.properties.creator = clean(letterhead.board_name)
        self.texts: list[tuple[str, str]] = [("the workbook title", letterhead.title)]

    def sheet(self, title: str, header: list[str], rows: list[list], widths: list[int],
              fills: dict[tuple[int, int], str] | None = None, intro: list[str] = ()):
        from openpyxl.styles import Alignment, Font, PatternFill

        ws = self.wb.create_sheet(title[:31])
        marking = (self.letterhead.marking or "OFFICIAL-SENSITIVE").upper()
        ws.oddHeader.center.text = marking
        ws.oddFooter.center.text = marking
        ws.oddFooter.right.text = "Page &P of &N"
        ws.oddFooter.left.text = f"{clean(self.letterhead.title)} · produced {date_text(self.letterhead.produced)}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        r = 1
        for line in intro:
            ws.cell(row=r, column=1, value=self._text(line, f"{title}, introduction")).font = Font(bold=r == 1)
            r += 1
        if intro:
            r += 1
        header_row = r
        for c, h in enumerate(header, 1):
            cell = ws.cell(row=r, column=c, value=h)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1D3557")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, row in enumerate(rows):
            r += 1
            for c, value in enumerate(row, 1):
                where = f"sheet '{title}', row {i + 1}, {header[c - 1]}"
                cell = ws.cell(row=r, column=c, value=self._text(value, where))
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                colour = (fills or {}).get((i, c - 1))
                if colour:
                    cell.fill = PatternFill("solid", fgColor=colour.lstrip("#"))
        for c, w in enumerate(widths, 1):
            ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = w
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.print_title_rows = f"{header_row}:{header_row}"
        if rows:
            ws.auto_filter.ref = f"A{header_row}:{ws.cell(row=r, column=len(header)).coordinate}"
        return ws

    def _text(self, value, where: str):
        if value is None:
            return None
        if isinstance(value, int | float):
            return value
        text = clean(value)
        if text.strip():
            self.texts.append((where, text))
        # Excel would run "=..." (and "+", "-", "@" leads) as a formula: keep what was typed.
        return text

    def result(self) -> XlsxResult:
        out = io.BytesIO()
        for ws in self.wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                        cell.data_type = "s"
        self.wb.save(out)
        return XlsxResult(out.getvalue(), len(self.wb.worksheets), self.texts, [])


def _rag_cells(rag) -> tuple[str, str, str]:
    colour, reason = rag_text(rag)
    return RAG_WORDS.get(colour, colour), reason, RAG_FILLS.get(colour, RAG_FILLS["grey"])


def action_plan_xlsx(plan: dict, letterhead: Letterhead) -> XlsxResult:
    book = _Book(letterhead)
    header = ["Ref", "Review", "Rec. no.", "Recommendation", "Level", "Agency", "Lead officer", "Action",
              "Agreed", "Target", "Status", "RAG", "RAG reason", "Latest update"]
    rows, fills = [], {}
    for review in plan["reviews"]:
        for rec in review["recommendations"]:
            for a in rec["actions"]:
                word, reason, fill = _rag_cells(a["rag"])
                fills[(len(rows), 11)] = fill
                rows.append([review["ref"], review["type"] or review["title"], rec["number"], rec["text"], rec["level"],
                             a["agency"], a["lead_officer"], a["text"], date_text(a.get("agreed_date")),
                             target_text(a), a["status"], word, reason, a.get("latest_update", "")])
    book.sheet("Action plan", header, rows, [10, 18, 7, 40, 13, 24, 18, 50, 12, 16, 16, 10, 36, 36], fills,
               intro=[f"Composite action plan – position as at {date_text(plan['as_at'])}",
                      (letterhead.marking or "OFFICIAL-SENSITIVE").upper()])
    return book.result()


REVIEW_HEADER = ["Ref", "Summary", "Location", "Gender", "Age", "Type", "Status"]
REVIEW_WIDTHS = [12, 36, 18, 14, 10, 24, 30]


def _reviews(rows: list[dict]) -> list[list]:
    return [[r["ref"], r["summary"], r["location"], r["gender"], r["age"], r["type_label"], r["status"]] for r in rows]


def annual_xlsx(report: dict, letterhead: Letterhead) -> XlsxResult:
    book = _Book(letterhead)
    referrals, reviews = report["referrals"], report["reviews"]
    period = report["period"]
    outcome_rows = [[o["label"], o["count"]] for o in referrals["outcomes"]]
    if referrals.get("undecided"):
        outcome_rows.append(["Not yet decided", referrals["undecided"]])
    outcome_rows.append(["Total", referrals["total"]])
    intro = [f"Annual report tables {report['label']} ({date_text(period['start'])} to {date_text(period['end'])})",
             (letterhead.marking or "OFFICIAL").upper(), report["framework"]["name"],
             "The decisions made on the year's referrals (not the sub group's recommendations)."]
    late = report.get("late_decisions")
    if late and late["due"]:
        intro.append(f"Decisions due in the year (Working Together 2015: within one month of notification, else of "
                     f"receipt): {late['due']}; "
                     f"on time {late['on_time']}, late {late['late']}, not made by the year end {late['not_made']}.")
    book.sheet("Referrals by outcome", ["Decision", "Number"], outcome_rows, [36, 10], intro=intro)
    book.sheet("Referrals", ["Ref", "Summary", "Location", "Gender", "Age", "Decision", "Decided",
                             "Recommended (where different)"],
               [[r["ref"], r["summary"], r["location"], r["gender"], r["age"], r["decision_label"] or "Not yet decided",
                 date_text(r["decision_date"]), r["recommendation_label"] if r.get("recommendation_differs") else ""]
                for r in referrals["list"]], [12, 36, 18, 14, 10, 24, 14, 24])
    for title, rows in (("Reviews agreed", reviews["agreed"]), ("Reviews underway", reviews["underway"]),
                        ("Reviews completed", reviews["completed"]), ("Reviews published", reviews["published"]),
                        ("Case mapping agreed", reviews["case_mapping"]["agreed"]),
                        ("Case mapping continuing", reviews["case_mapping"]["continuing"])):
        book.sheet(title, REVIEW_HEADER, _reviews(rows), REVIEW_WIDTHS)
    t = reviews["timeliness"]
    # Statutory timescales and the partnership's own targets stay on separate sheets, never one rate.
    for key, title, words in (("statutory", "Timeliness (statutory)", "Working Together timescales"),
                              ("local", "Timeliness (local targets)", "the partnership's own targets, "
                                                                      "not Working Together")):
        line = t.get(key) or {"completed": 0, "on_time": 0, "measured": 0, "rows": []}
        book.sheet(title, ["Ref", "Type", "Initiated", "Target", "Completed", "Within target", "Days late",
                           "Delays recorded"],
                   [[r["ref"], r["type_label"], date_text(r["initiated_date"]), date_text(r["target_date"]),
                     date_text(r["completed_date"]), "Yes" if r["on_time"] else "No", r["days_late"],
                     "\n".join(r["delays"])] for r in line["rows"]], [12, 22, 13, 13, 13, 12, 10, 50],
                   intro=[f"Against {words}: {line['completed']} completed; "
                          f"{line['on_time']} of {line['measured']} within target"])
    events = report["events"]
    all_events = events["learning_events"] + events["debriefs"] + events["training"] + events["other"]
    book.sheet("Learning events", ["Date", "Kind", "Title", "Ref", "Attendance", "Facilitator", "Feedback"],
               [[date_text(e["date"]), e["kind_label"], e["title"], e["ref"], e["attendance"], e["facilitator"],
                 e["feedback"]] for e in sorted(all_events, key=lambda e: e["date"])],
               [13, 24, 30, 12, 11, 20, 50])
    b = report["briefings"]
    book.sheet("Briefings", ["Ref", "Briefing", "Issued", "Agencies sent to", "Feedback received"],
               [[x["ref"], x["title"], date_text(x["issued_date"]), x["disseminations"], x["feedback_received"]]
                for x in b["list"]], [12, 40, 13, 14, 14],
               intro=[f"{b['issued']} issued; feedback rate {round(b['feedback_rate'] * 100)}%"])
    book.sheet("Feedback by agency", ["Agency", "Briefings sent", "Feedback received", "Staff reached"],
               [[x["agency"], x["sent"], x["feedback_received"], x["staff_reached"]] for x in b["by_agency"]],
               [40, 14, 14, 14])
    a = report["actions"]
    book.sheet("Actions by agency", ["Agency", "Actions", "Complete", "Open", "Overdue"],
               [[x["agency"], x["total"], x["complete"], x["open"], x["overdue"]] for x in a["by_agency"]]
               + [["Total", a["total"], a["complete"], a["open"], a["overdue"]]], [40, 10, 10, 10, 10],
               intro=[f"Position at {date_text(a['as_at'])}"])
    # A year wholly under Working Together 2015 ran no rapid reviews: the report has no funnel.
    if "funnel" in report:
        funnel = report["funnel"]
        rows = [[stage, number, note] for stage, number, note in funnel_rows(funnel)] if funnel.get("any") else []
        book.sheet("Statutory funnel", ["Stage", "Number", "Notes"], rows, [48, 10, 50],
                   intro=["Incidents considered → notifications → rapid reviews → LCSPRs"]
                   + ([] if funnel.get("any") else ["None in this year."]))
        book.sheet("Characteristics", ["Counted", "Category", "Number"],
                   [list(row) for row in characteristic_rows(funnel)], [40, 30, 10],
                   intro=["Counted, never listed per child"])
    for key, title, rows_of in (("governance", "Sub group business", governance_rows),
                                ("costs", "Cost of reviews", costs_rows), ("learning", "Learning", learning_rows)):
        if report.get(key) is not None:
            rows = learning_rows(report[key], report.get("theme_labels")) if key == "learning" \
                else rows_of(report[key])
            book.sheet(title, ["Measure", "Figure"], [list(r) for r in rows], [44, 30])
    return book.result()
