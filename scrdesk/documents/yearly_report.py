"""The yearly report (a narrative report in the reference report's shape), as PDF in the house style.

`sections(data)` turns `scrdesk.store.yearly_report.yearly_report_data()` into plain blocks
(paragraphs, tables, charts) per section; this module lays them out with ReportLab and
`yearly_report_docx` writes the same blocks to Word, so both say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scrdesk.documents.annual import percent, short_date
from scrdesk.documents.style import (
    MM,
    BuildResult,
    Content,
    Letterhead,
    build_pdf,
    date_text,
    figures,
    frame_width,
)

#: Shown in Word where a section's narrative has not been written yet, so it is plain what to fill.
TO_WRITE = "[To be written: {title}. Write it in scrdesk (File → Yearly report narrative…) or here in Word.]"


@dataclass
class Block:
    kind: str  # "para", "heading", "table", "chart", "quote"
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # millimetres, for the PDF
    chart: str = ""  # "outcomes", "timeliness", "actions", "themes"
    where: str = ""


@dataclass
class Section:
    key: str
    number: int
    title: str
    narrative: str
    blocks: list[Block]


REVIEW_HEADER = ["Ref", "Summary", "Location", "Gender", "Age", "Status"]
REVIEW_WIDTHS = [20, 52, 28, 22, 20, 36]


def _review_blocks(rows: list[dict], heading: str, empty: str) -> list[Block]:
    blocks = [Block("heading", heading)]
    if not rows:
        return blocks + [Block("para", empty, where=heading)]
    return blocks + [Block("table", header=REVIEW_HEADER, widths=REVIEW_WIDTHS, where=heading, rows=[
        [r["ref"], r["summary"], r["location"], r["gender"], r["age"], r["status"]] for r in rows])]


def _governance_blocks(g: dict) -> list[Block]:
    """The sub group's own business in the year, where the file records it (meetings, quoracy,
    attendance by agency, health checks, terms of reference, escalations)."""
    if not g:
        return []
    said = []
    attendance = g.get("attendance_by_agency") or {}
    if "meetings_held" in g:
        # Quoracy is known only where attendance was taken: no "0 quorate" for a year without it.
        said.append(f"The sub group met {_plural(g['meetings_held'], 'time')} in the year"
                    + (f", {g.get('meetings_quorate', 0)} of them quorate." if attendance else "."))
    if g.get("health_checks"):
        said.append("Health checks: " + ", ".join(date_text(d) for d in g["health_checks"]) + ".")
    if g.get("terms_of_reference_reviewed"):
        said.append("Terms of reference reviewed: " + ", ".join(date_text(d) for d in g["terms_of_reference_reviewed"])
                    + ".")
    if "escalations" in g:
        said.append(f"Escalations raised: {g['escalations']}.")
    blocks = [Block("para", " ".join(said), where="Membership and governance")] if said else []
    if attendance:
        blocks.append(Block("table", header=["Agency", "Attendance"], widths=[110, 30], where="Attendance by agency",
                            rows=[[agency, percent(rate)] for agency, rate in attendance.items()]))
    return blocks


def _quoted(text: str) -> str:
    """Feedback in quotation marks, unless it was typed with its own."""
    text = text.strip()
    return text if text[:1] in "\"“'‘" else f"“{text}”"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def sections(data: dict) -> list[Section]:
    """The report's sections in order, each with its narrative and its blocks of figures."""
    report = data["annual"]
    period, referrals, reviews = report["period"], report["referrals"], report["reviews"]
    events, actions = report["events"], report["actions"]
    built: dict[str, list[Block]] = {}

    built["introduction"] = [Block("para", (
        f"This report covers the period {date_text(period['start'])} to {date_text(period['end'])} "
        f"({report['framework']['name']}). In the year the sub group considered "
        f"{_plural(referrals['total'], 'referral')}, agreed {_plural(len(reviews['agreed']), 'new review')}, "
        f"published {_plural(len(reviews['published']), 'review')} and issued "
        f"{_plural(len(data['briefings']), 'briefing')}."), where="Introduction")]

    built["governance"] = _governance_blocks(data.get("governance") or {})

    outcome_rows = [[o["label"], str(o["count"])] for o in referrals["outcomes"]]
    if referrals.get("undecided"):
        outcome_rows.append(["Not yet decided", str(referrals["undecided"])])
    outcome_rows.append(["Total", str(referrals["total"])])
    history = data["history"]
    codes = [o["label"] for o in history[-1]["outcomes"]] if history else []
    history_rows = []
    for label in codes:
        history_rows.append([label] + [str(next((o["count"] for o in h["outcomes"] if o["label"] == label), 0))
                                       for h in history])
    history_rows.append(["Total"] + [str(h["total"]) for h in history])
    built["referrals"] = [
        Block("para", f"The sub group considered {_plural(referrals['total'], 'referral')} between "
                      f"{short_date(period['start'])} – {short_date(period['end'])}. Outcomes as follows:",
              where="Referrals and decisions"),
        Block("table", header=["Outcome", "Number"], rows=outcome_rows, widths=[90, 25], where="Referrals by outcome"),
        Block("chart", chart="outcomes"),
        Block("heading", "Referral outcomes over the last five years"),
        Block("table", header=["Outcome"] + [h["label"] for h in history], rows=history_rows,
              widths=[58] + [24] * len(history), where="Referral outcomes over five years"),
    ]

    by_type = [r for r in reviews["agreed"] if r["review_type"] in ("SCR", "LCSPR")]
    others = [r for r in reviews["agreed"] if r["review_type"] not in ("SCR", "LCSPR", "CASE_MAPPING")]
    statutory_seen = [r for r in reviews["continuing"] if r["review_type"] in ("SCR", "LCSPR")]
    published = data["publications"]
    built["reviews"] = (
        _review_blocks(by_type, "New serious case reviews agreed", "None agreed in the year.")
        + _review_blocks(statutory_seen, "Reviews already underway, completed and published", "None.")
        + [Block("para", f"{_plural(len(reviews['published']), 'review')} published in the year; "
                         f"{len(reviews['underway'])} underway at the end of the year.", where="Reviews")])
    if published:
        built["reviews"] += [Block("heading", "Publication"), Block(
            "table", header=["Ref", "Published", "Where", "How the media were handled"], widths=[20, 24, 58, 76],
            where="Publication", rows=[[p["ref"], date_text(p["published_date"]), p.get("web_address") or "",
                                        "\n".join(t for t in (p.get("media_label"), p.get("notes")) if t)]
                                       for p in published])]

    built["case_mapping"] = (
        _review_blocks(reviews["case_mapping"]["agreed"], "New case mapping exercises agreed", "None.")
        + _review_blocks(reviews["case_mapping"]["continuing"], "Case mapping exercises already underway and completed",
                         "None.")
        + _review_blocks(others, "Other reviews agreed (single agency, thematic and local learning)", "None."))

    briefing_rows = []
    for b in data["briefings"]:
        newsletters = "; ".join(f"{n['label']} ({date_text(n['date'])})" for n in b["newsletters"]) or "Not recorded"
        website = "; ".join(f"{date_text(w['date'])} {w['address']}".strip() for w in b["website"]) or "Not recorded"
        briefing_rows.append([b["ref"], b["title"], date_text(b["issued_date"]), newsletters, website,
                              f"{b['feedback']} of {b['sent']}"])
    annual_b = report["briefings"]
    built["learning"] = [
        Block("para", f"{_plural(len(data['briefings']), 'briefing')} issued in the year. Sent to agencies "
                      f"{annual_b['disseminations']} times; feedback received {annual_b['feedback_received']} times "
                      f"(a feedback rate of {percent(annual_b['feedback_rate'])}); "
                      f"{annual_b['staff_reached']} staff reached.", where="Learning and dissemination"),
    ]
    if briefing_rows:
        built["learning"].append(Block(
            "table", header=["Ref", "Briefing", "Issued", "Newsletter", "Website", "Feedback"],
            widths=[16, 40, 20, 34, 42, 22], rows=briefing_rows, where="Briefings issued"))
    quotes = [e for e in events["debriefs"] + events["training"] + events["learning_events"] if e["feedback"]]
    if data.get("themes"):
        built["learning"] += [Block("chart", chart="themes"), Block(
            "table", header=["Theme", "Reviews"], widths=[100, 25], where="Themes",
            rows=[[t["label"], str(t["review_count"])] for t in data["themes"]])]
    built["learning"] += [Block("quote", f"{e['title'] or e['kind_label']}: {_quoted(e['feedback'])}", where="Feedback")
                          for e in quotes]

    every = sorted(events["learning_events"] + events["debriefs"] + events["training"] + events["other"],
                   key=lambda e: e["date"])
    event_rows = [[date_text(e["date"]), e["kind_label"], e["title"], e["ref"],
                   "" if e["attendance"] is None else str(e["attendance"])] for e in every]
    average = events.get("wider_debrief_average_attendance")
    built["training"] = [Block("para", f"Total attendance across all events: {events['total_attendance']}."
                                       + (f" Wider de-briefs averaged an attendance of {average}." if average else ""),
                               where="Training and events")]
    if event_rows:
        built["training"].append(Block("table", header=["Date", "Kind", "Title", "Ref", "Attendance"],
                                       widths=[24, 40, 70, 22, 22], rows=event_rows, where="Events"))

    built["actions"] = [
        Block("para", f"At {date_text(actions['as_at'])}: {actions['total']} actions, {actions['complete']} complete, "
                      f"{actions['open']} open, of which {actions['overdue']} overdue.", where="Action plan"),
        Block("chart", chart="actions"),
    ]
    if actions["by_agency"]:
        rows = [[a["agency"], str(a["total"]), str(a["complete"]), str(a["open"]), str(a["overdue"])]
                for a in actions["by_agency"]]
        built["actions"].append(Block("table", header=["Agency", "Actions", "Complete", "Open", "Overdue"],
                                      widths=[82, 24, 24, 24, 24], rows=rows, where="Actions by agency"))
    learning = data.get("learning") or {}
    recs = learning.get("recommendations")
    if recs:
        built["actions"].append(Block("para", (
            f"Recommendations closed in the year: {recs.get('closed', 0)}; closed with evidence of impact: "
            f"{recs.get('closed_with_impact', 0)}; closed on actions alone: {recs.get('closed_on_actions_only', 0)}."),
            where="Impact"))
    impact = [i for i in data["impact"] if i.get("impact_statement")]
    if impact:
        built["actions"] += [Block("heading", "Impact statements"), Block(
            "table", header=["Ref", "Recommendation", "Assurance", "Impact", "Closed"], widths=[18, 56, 30, 56, 20],
            where="Impact statements",
            rows=[[i["ref"], f"{i['number']}. {i['text']}" if i.get("number") else i["text"], i.get("methods_label") or "",
                   i["impact_statement"], date_text(i.get("closed_date"))] for i in impact])]

    t = reviews["timeliness"]
    built["challenges"] = []
    # Statutory timescales and the partnership's own targets are two lines, never one rate.
    for line, words in ((t.get("statutory", t), "Statutory reviews"), (t.get("local"), "Reviews with local targets")):
        if line and line["completed"]:
            months = f"{line['target_months']} months" if line.get("target_months") else "their target"
            built["challenges"].append(Block("para", (
                f"{words}: {line['completed']} completed in the year; {line['on_time']} of the {line['measured']} "
                f"with a target completed within {months}, {line['late']} later."), where="Timeliness"))
    rows = t.get("statutory", t)["rows"] + (t["local"]["rows"] if t.get("local") else [])
    if rows:
        built["challenges"] += [Block("chart", chart="timeliness"), Block(
            "table", header=["Ref", "Initiated", "Target", "Completed", "Delays recorded"],
            widths=[20, 24, 24, 24, 86], where="Timeliness",
            rows=[[r["ref"], date_text(r["initiated_date"]), date_text(r["target_date"]), date_text(r["completed_date"]),
                   "\n".join(r["delays"]) or "None recorded"] for r in rows])]
    built["priorities"] = []

    return [Section(s["key"], i + 1, s["title"], s["text"], built.get(s["key"], []))
            for i, s in enumerate(data["sections"])]


def chart_drawing(name: str, data: dict, width: float):
    """The named chart for this report, or None when it would be empty."""
    from scrdesk.documents import charts

    report = data["annual"]
    if name == "outcomes":
        return charts.outcomes_over_years(data["history"], width)
    if name == "timeliness":  # the statutory line: one target to draw
        t = report["reviews"]["timeliness"].get("statutory", report["reviews"]["timeliness"])
        return charts.timeliness(t["rows"], t.get("target_months"), width)
    if name == "actions":
        return charts.actions_by_agency(report["actions"]["by_agency"], width)
    if name == "themes":
        return charts.themes(data.get("themes") or [], width)
    raise ValueError(name)


def build_yearly_report(data: dict, letterhead: Letterhead) -> BuildResult:
    content = Content()
    width = frame_width()
    content.add_para(f"Case review sub group yearly report {data['label']}", "title", "the title")
    content.add_para(f"{data['board_name']} · {date_text(data['period']['start'])} to "
                     f"{date_text(data['period']['end'])}", "subtitle", "the subtitle")
    report = data["annual"]
    content.add(figures(content, [
        (str(report["referrals"]["total"]), "referrals considered"),
        (str(len(report["reviews"]["agreed"])), "reviews agreed"),
        (str(len(report["reviews"]["published"])), "reviews published"),
        (str(len(data["briefings"])), "briefings issued"),
    ], width))
    parts = sections(data)
    content.heading("Contents", 2)
    for s in parts:
        content.add_para(f"{s.number}. {s.title}", "body", "Contents")
    for s in parts:
        content.heading(f"{s.number}. {s.title}")
        for paragraph in [p for p in s.narrative.split("\n\n") if p.strip()]:
            content.add_para(paragraph.strip(), "body", f"{s.title}, narrative")
        for block in s.blocks:
            _add_block(content, block, data, width)
    return build_pdf(content, letterhead)


def _add_block(content: Content, block: Block, data: dict, width: float) -> None:
    if block.kind == "para":
        content.add_para(block.text, "body", block.where)
    elif block.kind == "quote":
        content.add_para(block.text, "small", block.where)
    elif block.kind == "heading":
        content.heading(block.text, 2)
    elif block.kind == "table":
        content.add(content.table(block.header, block.rows, [w * MM for w in block.widths], where=block.where))
    elif block.kind == "chart":
        drawing = chart_drawing(block.chart, data, width)
        if drawing is not None:
            content.keep_room(drawing.height + 6)
            content.add(drawing)
