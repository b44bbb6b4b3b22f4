"""The inspection evidence pack (PDF): a contents page with page numbers, then one section per
thing an inspection asks to see, each a PDF bookmark, from `store.evidence_pack.evidence_pack_data()`.

The contents page needs the page each section starts on, which is known only once laid out: the
pack is built twice, the second time with the first build's page numbers (the contents page is
the same length both times, so the numbers hold).
"""

from __future__ import annotations

from scrdesk.documents.annual import percent
from scrdesk.documents.style import (
    MM,
    BuildResult,
    Content,
    Letterhead,
    build_pdf,
    date_text,
    frame_width,
)


def _bookmark(key: str, pages: dict[str, int]):
    """A zero-size flowable that notes the page it lands on (for the contents and the bookmarks)."""
    from reportlab.platypus import Flowable

    class Bookmark(Flowable):
        width = height = 0

        def wrap(self, *_):
            return 0, 0

        def draw(self):
            pages[key] = self.canv.getPageNumber()

    return Bookmark()


def _yes(value) -> str:
    return {1: "Yes", 0: "No"}.get(value, "")


def _content(data: dict, pages: dict[str, int], known: dict[str, int]) -> Content:
    from reportlab.platypus import PageBreak

    content = Content()
    width = frame_width()
    p = data["period"]
    content.add_para("Inspection evidence pack: case reviews", "title", "the title")
    content.add_para(f"{data['board_name']} · {date_text(p['start'])} to {date_text(p['end'])}", "subtitle",
                     "the subtitle")
    content.add(_bookmark("contents", pages))
    content.heading("Contents", 2)
    rows = [[f"{i + 1}. {s['title']}", str(known.get(s["key"], ""))] for i, s in enumerate(data["sections"])]
    content.add(content.table(["Section", "Page"], rows, [140 * MM, 25 * MM], where="Contents"))
    content.add_para("Each section is also a bookmark in the PDF's side panel.", "small", "Contents")

    for i, section in enumerate(data["sections"]):
        content.add(PageBreak())
        content.add(_bookmark(section["key"], pages))
        content.heading(f"{i + 1}. {section['title']}")
        SECTION_BUILDERS[section["key"]](content, data, width)
    return content


def _decisions(content: Content, data: dict, width: float) -> None:
    rows = data["decisions"]
    content.add_para(f"{len(rows)} decision{'s' if len(rows) != 1 else ''} made in the period, each with the "
                     "rationale recorded at the time.", "body", "Decisions")
    if rows:
        content.add(content.table(
            ["Ref", "Summary", "Decided", "Recommended", "Decision", "By", "Rationale"],
            [[r["ref"], r["summary"], date_text(r["decision_date"]), r["recommendation_label"], r["decision_label"],
              r["decision_maker"], r["rationale"] or "Not recorded"] for r in rows],
            [w * MM for w in (16, 30, 19, 24, 24, 22, 43)], where="Decisions",
            row_labels=[f"row {i + 1} ({r['ref']})" for i, r in enumerate(rows)]))


def _panel(content: Content, data: dict, width: float) -> None:
    rows = data["panel"]
    agreed = sum(1 for r in rows if r["agreed"] == 1)
    answered = sum(1 for r in rows if r["agreed"] in (0, 1))
    content.add_para(f"{len(rows)} notification{'s' if len(rows) != 1 else ''} to the national panel in the period; "
                     f"{answered} response{'s' if answered != 1 else ''} recorded"
                     + (f", agreeing in {agreed} ({percent(agreed / answered)})." if answered else "."),
                     "body", "National panel")
    if rows:
        content.add(content.table(["Ref", "What", "Sent", "Response", "Panel"],
                                  [[r["ref"], r["what"], date_text(r["sent"]), date_text(r["response"]),
                                    r["agreed_text"]] for r in rows],
                                  [w * MM for w in (22, 62, 26, 26, 42)], where="National panel"))


def _timeliness(content: Content, data: dict, width: float) -> None:
    from scrdesk.documents import charts

    t = data["timeliness"]
    statutory, local = t.get("statutory", t), t.get("local")
    # Statutory timescales and the partnership's own targets are two lines, never one rate.
    for line, words in ((statutory, "Statutory reviews"), (local, "Reviews with the partnership's own targets")):
        if not line:
            continue
        months = f"{line['target_months']} months" if line.get("target_months") else "their target"
        content.add_para(f"{words}: {line['completed']} completed in the period; {line['on_time']} of the "
                         f"{line['measured']} with a target completed within {months}, {line['late']} later.",
                         "body", "Timeliness")
    drawing = charts.timeliness(statutory["rows"], statutory.get("target_months"), width)
    if drawing is not None:
        content.add(drawing)
    rows = statutory["rows"] + (local["rows"] if local else [])
    if rows:
        content.add(content.table(
            ["Ref", "Type", "Initiated", "Target", "Completed", "Result", "Delays recorded"],
            [[r["ref"], r["type_label"], date_text(r["initiated_date"]), date_text(r["target_date"]),
              date_text(r["completed_date"]), "Within target" if r["on_time"] else f"{r['days_late']} days late",
              "\n".join(r["delays"]) or "None recorded"] for r in rows],
            [w * MM for w in (17, 24, 20, 20, 20, 20, 57)], where="Timeliness"))


def _actions(content: Content, data: dict, width: float) -> None:
    from scrdesk.documents import charts
    from scrdesk.documents.style import rag_cell, rag_fill

    a = data["actions"]
    totals = a["totals"]
    content.add_para(f"At {date_text(a['as_at'])}: {totals['total']} actions, {totals['complete']} complete, "
                     f"{totals['open']} open, of which {totals['overdue']} overdue.", "body", "Action plan")
    drawing = charts.actions_by_agency(totals["by_agency"], width)
    if drawing is not None:
        content.add(drawing)
    content.add_para("Each agency's open actions and those completed in the period; actions completed before "
                     "the period are counted under each agency.", "small", "Action plan")
    for group in a["agencies"]:
        content.heading(group["agency"], 2)
        if group["completed_before"]:
            content.add_para(f"{group['completed_before']} action{'s' if group['completed_before'] != 1 else ''} "
                             "completed before the period.", "small", group["agency"])
        if not group["actions"]:
            continue
        rows, fills = [], {}
        for r, action in enumerate(group["actions"]):
            rows.append([action["ref"], action["recommendation_number"], action["text"],
                         date_text(action["effective_target"]), action["status"],
                         rag_cell(content, action["rag"], f"{group['agency']}, row {r + 1}, RAG")])
            fills[(r, 5)] = rag_fill(action["rag"])
        content.add(content.table(["Ref", "Rec", "Action", "Target", "Status", "RAG"], rows,
                                  [w * MM for w in (17, 10, 70, 20, 25, 36)], where=f"Actions, {group['agency']}",
                                  fills=fills))


def _dissemination(content: Content, data: dict, width: float) -> None:
    rows = data["dissemination"]
    received = sum(1 for r in rows if r["feedback_received_date"])
    content.add_para(f"Briefings sent to agencies {len(rows)} times in the period; feedback received "
                     f"{received} times" + (f" ({percent(received / len(rows))})." if rows else "."),
                     "body", "Dissemination")
    if data["channels"]:
        content.heading("Where each briefing was published and promoted", 2)
        out = []
        for b in data["channels"]:
            out.append([b["ref"], b["title"], date_text(b["issued_date"]),
                        "; ".join(f"{n['label']} ({date_text(n['date'])})" for n in b["newsletters"]) or "Not recorded",
                        "; ".join(f"{date_text(w['date'])} {w['address']}".strip() for w in b["website"])
                        or "Not recorded"])
        content.add(content.table(["Ref", "Briefing", "Issued", "Newsletter", "Website"], out,
                                  [w * MM for w in (17, 50, 21, 40, 50)], where="Channels"))
    if rows:
        content.heading("Evidence from each agency", 2)
        content.add(content.table(
            ["Ref", "Agency", "Sent", "Feedback", "Teams briefed", "Staff", "Note", "Files"],
            [[r["ref"], r["agency"], date_text(r["sent_date"]), date_text(r["feedback_received_date"]) or "Awaited",
              r["teams_briefed"] or "", "" if r["staff_reached"] is None else str(r["staff_reached"]),
              r["note"] or "", str(r["evidence_files"])] for r in rows],
            [w * MM for w in (15, 32, 18, 18, 26, 12, 45, 12)], where="Dissemination evidence"))


def _impact(content: Content, data: dict, width: float) -> None:
    rows = data["impact"]
    with_statement = [r for r in rows if r.get("impact_statement")]
    content.add_para(f"{len(with_statement)} recommendation{'s' if len(with_statement) != 1 else ''} closed in the "
                     "period with an impact statement." if with_statement else
                     "No recommendation was closed with an impact statement in the period.", "body", "Impact")
    if data.get("closures"):
        c = data["closures"]
        content.add_para(f"Recommendations closed in the period: {c['closed']}; with evidence of impact: "
                         f"{c['closed_with_impact']}; on their actions alone: {c['closed_on_actions_only']}.",
                         "body", "Impact")
    if with_statement:
        content.add(content.table(
            ["Ref", "Rec", "Recommendation", "Assurance", "Impact", "Closed"],
            [[r["ref"], r.get("number") or "", r["text"], "\n".join(x for x in (r.get("methods_label"),
                                                                                r.get("assurance_plan")) if x),
              r["impact_statement"], date_text(r.get("closed_date"))] for r in with_statement],
            [w * MM for w in (16, 10, 52, 30, 52, 18)], where="Impact statements"))


SECTION_BUILDERS = {"decisions": _decisions, "panel": _panel, "timeliness": _timeliness, "actions": _actions,
                    "dissemination": _dissemination, "impact": _impact}


def _with_outline(pdf: bytes, entries: list[tuple[str, int]]) -> bytes:
    """The PDF with one bookmark per (title, page number from 1)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for title, page in entries:
        writer.add_outline_item(title=title, page_number=page - 1)
    writer.page_mode = "/UseOutlines"  # open with the bookmarks panel showing
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build_evidence_pack(data: dict, letterhead: Letterhead) -> BuildResult:
    pages: dict[str, int] = {}
    build_pdf(_content(data, pages, {}), letterhead)
    first = dict(pages)
    built = build_pdf(_content(data, pages, first), letterhead)
    entries = [("Contents", pages["contents"])] + [
        (f"{i + 1}. {s['title']}", pages[s["key"]]) for i, s in enumerate(data["sections"])]
    built.pdf = _with_outline(built.pdf, entries)
    built.texts += [("a bookmark", title) for title, _ in entries]
    return built
