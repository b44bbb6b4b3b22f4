"""The sub group chair's report to the Executive Support Group (A4 portrait), for a period.

Sections in the order the chair speaks to them: referrals considered and decisions; reviews
initiated; reviews' progress against their targets, exceptions first with the reasons for delay;
overdue actions by agency; briefings issued and dissemination returns outstanding; escalations;
items for the board chair. `sections()` gives the same content as plain blocks, so the Word version
(`chair_report_docx.py`) prints exactly what the PDF prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scrdesk.documents.style import (
    MM,
    RAG_WORDS,
    BuildResult,
    Content,
    Letterhead,
    build_pdf,
    date_text,
    figures,
    frame_width,
    rag_fill,
)

TITLE = "Sub group chair's report"
ESCALATED_TO = {"business_manager": "Business manager", "subgroup_chair": "Sub group chair",
                "board_chair": "Board chair"}


@dataclass
class Block:
    kind: str  # "para", "note" (small print), "table"
    text: str = ""
    where: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # millimetres
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> RAG colour


@dataclass
class Section:
    number: int
    title: str
    blocks: list[Block]


def _rag_words(rag: dict) -> str:
    word = RAG_WORDS.get(rag["colour"], rag["colour"].capitalize())
    reason = rag["reason"]
    return reason if reason.lower().startswith(word.lower()) else f"{word}: {reason}".rstrip(": ")


def _referrals(data: dict) -> list[Block]:
    rows = data["referrals"]
    if not rows:
        return [Block("para", "No referral was received, considered or decided in this period.", "Referrals")]
    table = [[r["ref"], date_text(r["received_date"]), date_text(r["meeting_date"]) or "Not yet",
              r["summary"], r["recommendation"] or "None yet",
              (r["decision"] + (f" ({date_text(r['decision_date'])})" if r["decision_date"] else ""))
              if r["decision"] else "Not yet decided"] for r in rows]
    decided = sum(1 for r in rows if r["decision"])
    return [Block("note", f"{len(rows)} referral{'s' if len(rows) != 1 else ''} received, considered or decided; "
                          f"{decided} decided.", "Referrals"),
            Block("table", where="Referrals", header=["Ref", "Received", "Considered", "Summary",
                                                      "Recommendation", "Decision"],
                  rows=table, widths=[16, 22, 22, 52, 32, 34])]


def _initiated(data: dict) -> list[Block]:
    rows = data["initiated"]
    if not rows:
        return [Block("para", "No review was initiated in this period.", "Reviews initiated")]
    table, fills = [], {}
    for i, r in enumerate(rows):
        table.append([r["ref"], r["type"], date_text(r["initiated_date"]), r["reviewer"] or "Not yet appointed",
                      date_text(r["target_date"]) or "Not set", _rag_words(r["rag"])])
        fills[(i, 5)] = r["rag"]["colour"]
    return [Block("table", where="Reviews initiated", header=["Ref", "Type", "Initiated", "Reviewer",
                                                              "Target completion", "RAG"],
                  rows=table, widths=[16, 32, 22, 40, 24, 44], fills=fills)]


def _progress(data: dict) -> list[Block]:
    rows = data["progress"]
    if not rows:
        return [Block("para", "No review was open in this period.", "Progress")]
    exceptions = [r for r in rows if r["exception"]]
    blocks = [Block("note", f"{len(rows)} review{'s' if len(rows) != 1 else ''} open in the period, "
                            f"{len(exceptions)} past or close to {'their' if len(exceptions) != 1 else 'its'} "
                            "target (listed first, with the reasons for delay).", "Progress")]
    table, fills = [], {}
    for i, r in enumerate(rows):
        stage = r["current_stage"] + (f" ({date_text(r['current_stage_date'])})" if r["current_stage_date"] else "")
        delays = "\n".join(f"{date_text(d['date'])}: {d['reason']}" for d in r["delays"]) if r["delays"] else ""
        table.append([r["ref"], r["type"], stage, date_text(r["target_date"]) or "Not set", _rag_words(r["rag"]),
                      delays or ("None recorded" if r["exception"] else "")])
        fills[(i, 4)] = r["rag"]["colour"]
    blocks.append(Block("table", where="Progress against targets", header=[
        "Ref", "Type", "Current stage", "Target", "RAG", "Reasons for delay"],
        rows=table, widths=[16, 26, 30, 20, 36, 50], fills=fills))
    return blocks


def _overdue(data: dict) -> list[Block]:
    groups = data["overdue_by_agency"]
    if not groups:
        return [Block("para", "No action in the composite action plan was overdue at the end of the period.",
                      "Overdue actions")]
    total = sum(len(g["actions"]) for g in groups)
    blocks = [Block("note", f"{total} action{'s' if total != 1 else ''} overdue at "
                            f"{date_text(data['period']['end'])}, across {len(groups)} "
                            f"agenc{'ies' if len(groups) != 1 else 'y'}.", "Overdue actions"),
              Block("table", where="Overdue actions by agency", header=["Agency", "Overdue"],
                    rows=[[g["agency"], str(len(g["actions"]))] for g in groups], widths=[120, 30])]
    for g in groups:
        blocks.append(Block("heading", f"{g['agency']} – {len(g['actions'])} overdue", f"Overdue actions, {g['agency']}"))
        table, fills = [], {}
        for i, a in enumerate(g["actions"]):
            table.append([a["ref"], a["recommendation_number"], a["text"], a["lead_officer"],
                          date_text(a["effective_target"]), _rag_words(a["rag"])])
            fills[(i, 5)] = a["rag"]["colour"]
        blocks.append(Block("table", where=f"Overdue actions, {g['agency']}",
                            header=["Ref", "Rec.", "Action", "Lead officer", "Target", "RAG"],
                            rows=table, widths=[16, 12, 62, 30, 20, 38], fills=fills))
    return blocks


def _learning(data: dict) -> list[Block]:
    blocks = []
    if data["briefings"]:
        blocks.append(Block("table", where="Briefings issued", header=["Ref", "Briefing", "Issued", "Agencies sent to",
                                                                       "Feedback received"],
                            rows=[[b["ref"] or "", b["title"] or "", date_text(b["issued_date"]), str(b["sent"]),
                                   str(b["feedback"])] for b in data["briefings"]],
                            widths=[18, 82, 24, 24, 30]))
    else:
        blocks.append(Block("para", "No briefing was issued in this period.", "Briefings issued"))
    waiting = data["feedback_outstanding"]
    if waiting:
        blocks.append(Block("note", f"Dissemination returns outstanding at {date_text(data['period']['end'])}: "
                                    f"{len(waiting)}.", "Returns outstanding"))
        blocks.append(Block("table", where="Returns outstanding",
                            header=["Ref", "Briefing", "Agency", "Sent", "Feedback due"],
                            rows=[[d["ref"], d["briefing"], d["agency"], date_text(d["sent_date"]),
                                   date_text(d["feedback_due_date"])] for d in waiting],
                            widths=[18, 50, 58, 24, 28]))
    else:
        blocks.append(Block("para", "No dissemination return was outstanding at the end of the period.",
                            "Returns outstanding"))
    return blocks


def _escalation_rows(rows: list[dict]) -> list[list[str]]:
    return [[date_text(x["raised_date"]), x.get("raised_by") or "", ESCALATED_TO.get(x.get("to_whom"), x.get("to_whom") or ""),
             x.get("subject") or "", x.get("concerns") or "",
             (x.get("outcome") or "Open") + (f" (closed {date_text(x['closed_date'])})" if x.get("closed_date") else "")]
            for x in rows]


_ESCALATION_HEADER = ["Raised", "By", "To", "Subject", "About", "Outcome"]
_ESCALATION_WIDTHS = [20, 26, 24, 50, 22, 36]


def _escalations(data: dict) -> list[Block]:
    if not data["escalations"]:
        return [Block("para", "No concern was escalated in this period.", "Escalations")]
    return [Block("table", where="Escalations", header=_ESCALATION_HEADER, rows=_escalation_rows(data["escalations"]),
                  widths=_ESCALATION_WIDTHS)]


def _board_chair(data: dict) -> list[Block]:
    items = data["for_board_chair"]
    if not items:
        return [Block("para", "No item is flagged for the board chair in this period.", "For the board chair")]
    return [Block("note", "Concerns escalated to the board chair through this report.", "For the board chair"),
            Block("table", where="For the board chair", header=_ESCALATION_HEADER, rows=_escalation_rows(items),
                  widths=_ESCALATION_WIDTHS)]


def sections(data: dict) -> list[Section]:
    parts = [
        ("Referrals considered and decisions", _referrals),
        ("Reviews initiated", _initiated),
        ("Reviews' progress against their targets", _progress),
        ("Overdue actions by agency", _overdue),
        ("Briefings issued and dissemination returns", _learning),
        ("Escalations", _escalations),
        ("Items for the board chair", _board_chair),
    ]
    return [Section(i + 1, title, build(data)) for i, (title, build) in enumerate(parts)]


def subtitle(data: dict) -> str:
    p = data["period"]
    return f"{data['board_name']} · to the Executive Support Group · {date_text(p['start'])} to {date_text(p['end'])}"


def build_chair_report(data: dict, letterhead: Letterhead) -> BuildResult:
    content = Content()
    width = frame_width()
    content.add_para(TITLE, "title", "the title")
    content.add_para(subtitle(data), "subtitle", "the subtitle")
    overdue = sum(len(g["actions"]) for g in data["overdue_by_agency"])
    exceptions = sum(1 for r in data["progress"] if r["exception"])
    content.add(figures(content, [(str(len(data["referrals"])), "referrals"),
                                  (str(len(data["initiated"])), "reviews initiated"),
                                  (str(exceptions), "reviews past or near target"),
                                  (str(overdue), "overdue actions")], width))
    for section in sections(data):
        content.heading(f"{section.number}. {section.title}")
        for block in section.blocks:
            if block.kind == "para":
                content.add_para(block.text, "body", block.where)
            elif block.kind == "note":
                content.add_para(block.text, "small", block.where)
            elif block.kind == "heading":
                content.add_para(block.text, "h3", block.where)
            else:
                scale = width / (sum(block.widths) * MM)
                fills = {cell: rag_fill({"colour": colour, "reason": ""}) for cell, colour in block.fills.items()}
                content.add(content.table(block.header, block.rows, [w * MM * scale for w in block.widths],
                                          where=block.where, fills=fills,
                                          row_labels=[f"row {i + 1} ({r[0]})" for i, r in enumerate(block.rows)]))
    return build_pdf(content, letterhead)
