"""The meeting briefing paper (A4 landscape) for the case review (SCR) sub group or the QA sub group.

One row per live review (stage, next milestone, target, RAG printed in words with its reason,
publication, actions), the statutory clocks of rapid reviews and LCSPRs, the referrals received since the last meeting with the recommendation
and decision on each, and the overdue actions grouped by agency. The QA paper adds the learning
issued since the last meeting and the agency feedback still awaited.
"""

from __future__ import annotations

from scrdesk.documents.style import (
    MM,
    BuildResult,
    Content,
    Letterhead,
    build_pdf,
    date_text,
    figures,
    frame_width,
    rag_cell,
    rag_fill,
)

LANDSCAPE = "landscape"


def _when(label: str, iso: str | None) -> str:
    return f"{label}\n{date_text(iso)}" if iso else label


def _reviews_table(content: Content, reviews: list[dict]):
    header = ["Ref", "Review", "Reviewer", "Current stage", "Next milestone", "Target completion",
              "RAG", "Publication", "Actions open / overdue"]
    widths = [m * MM for m in (17, 50, 28, 30, 33, 25, 42, 24, 16)]
    rows, labels, fills = [], [], {}
    for i, r in enumerate(reviews):
        where = f"Current reviews, row {i + 1} ({r['ref']})"
        # A rapid review's methodology is named as its type: say it once.
        methodology = r["methodology"] if r["methodology"] and r["methodology"] != r["type"] else ""
        review = "\n".join(x for x in (r["summary"], r["type"] + (f" · {methodology}" if methodology else "")) if x)
        rows.append([
            content.para(r["ref"], "td_bold", f"{where}, Ref"),
            review,
            r["reviewer"] or "Not yet appointed",
            _when(r["current_stage"], r["current_stage_date"]),
            _when(r["next_milestone"], r["next_milestone_date"]) if r["next_milestone"] else "None planned",
            date_text(r["target_date"]) or "Not set",
            rag_cell(content, r["rag"], f"{where}, RAG"),
            r["publication"],
            f"{r['open_actions']} / {r['overdue_actions']}",
        ])
        labels.append(f"row {i + 1} ({r['ref']})")
        fills[(i, 6)] = rag_fill(r["rag"])
    return content.table(header, rows, widths, where="Current reviews", row_labels=labels, fills=fills)


def _clocks(content: Content, clocks: list[dict]) -> None:
    """Rapid reviews and LCSPRs against their Working Together clocks: what, due, RAG and why."""
    if not clocks:
        content.add_para("No rapid review or LCSPR clock is running.", "body", "Statutory clocks")
        return
    content.add_para("Rapid reviews (15 working days from notification) and LCSPRs (completion, and the report "
                     "to the national panel at least 7 working days before publication), soonest first.",
                     "small", "Statutory clocks")
    rows, labels, fills = [], [], {}
    for i, c in enumerate(clocks):
        where = f"Statutory clocks, row {i + 1} ({c['ref']})"
        rows.append([content.para(c["ref"], "td_bold", f"{where}, Review"), c["what"], date_text(c["due"]),
                     rag_cell(content, c["rag"], f"{where}, RAG")])
        labels.append(f"row {i + 1} ({c['ref']})")
        fills[(i, 3)] = rag_fill(c["rag"])
    widths = [m * MM for m in (50, 95, 28, 92)]
    content.add(content.table(["Review", "Clock", "Due", "RAG"], rows, widths, where="Statutory clocks",
                              row_labels=labels, fills=fills))


def _referrals_table(content: Content, referrals: list[dict]):
    header = ["Ref", "Received", "Source", "Summary", "Location", "Gender", "Age", "Recommendation",
              "Decision"]
    widths = [m * MM for m in (17, 22, 30, 58, 28, 20, 17, 33, 40)]
    rows, labels = [], []
    for i, r in enumerate(referrals):
        decision = r["decision"] + (f"\n{date_text(r['decision_date'])}" if r["decision_date"] else "") \
            if r["decision"] else "Not yet decided"
        rows.append([
            content.para(r["ref"], "td_bold", f"New referrals, row {i + 1} ({r['ref']}), Ref"),
            date_text(r["received_date"]), r["source"], r["summary"], r["location"], r["gender"], r["age"],
            r["recommendation"] or "None yet", decision,
        ])
        labels.append(f"row {i + 1} ({r['ref']})")
    return content.table(header, rows, widths, where="New referrals", row_labels=labels)


def overdue_tables(content: Content, groups: list[dict], width: float, section: str = "Overdue actions"):
    """One small table per agency with overdue actions, most overdue agency first."""
    from reportlab.platypus import KeepTogether

    out = []
    widths = [m * MM for m in (17, 12, 92, 34, 24, 28)]
    widths.append(width - sum(widths))
    for g in groups:
        n = len(g["actions"])
        heading = content.para(f"{g['agency']} – {n} overdue action{'s' if n != 1 else ''}", "h3",
                               f"{section}, agency heading")
        rows, labels, fills = [], [], {}
        for i, a in enumerate(g["actions"]):
            target = date_text(a["effective_target"])
            if a["revised_target_date"]:
                target += f"\n(revised; was {date_text(a['target_date'])})"
            rows.append([a["ref"], a["recommendation_number"], a["text"], a["lead_officer"], target, a["status"],
                         rag_cell(content, a["rag"], f"{section}, {g['agency']}, row {i + 1}, RAG")])
            labels.append(f"{g['agency']}, row {i + 1} ({a['ref']})")
            fills[(i, 6)] = rag_fill(a["rag"])
        table = content.table(["Ref", "Rec.", "Action", "Lead officer", "Target", "Status", "RAG"], rows, widths,
                              where=section, row_labels=labels, fills=fills)
        out.append(KeepTogether([heading, table]) if n <= 6 else heading)
        if n > 6:
            out.append(table)
    return out


def build_paper(paper: dict, letterhead: Letterhead) -> BuildResult:
    content = Content()
    width = frame_width(LANDSCAPE)
    on = date_text(paper["on"])
    audience = paper["meeting_label"]
    content.add_para("Briefing paper: current reviews", "title", "the title")
    content.add_para(f"For the {audience} meeting of {on} · position as at {on}", "subtitle", "the subtitle")

    reviews = paper["reviews"]
    overdue = sum(len(g["actions"]) for g in paper["overdue_by_agency"])
    red = sum(1 for r in reviews if r["rag"]["colour"] == "red")
    tiles = [(str(len(reviews)), "live reviews"), (str(red), "reviews past their target"),
             (str(len(paper["referrals"])), "new referrals"), (str(overdue), "overdue actions")]
    content.add(figures(content, tiles, width))

    content.heading("1. Current reviews")
    if reviews:
        content.add(_reviews_table(content, reviews))
    else:
        content.add_para("There are no live reviews.", "body", "Current reviews")

    content.heading("2. Statutory clocks")
    _clocks(content, paper.get("statutory_clocks", []))

    content.heading("3. New referrals")
    content.add_para(f"Referrals received {paper['since_basis']}.", "small", "New referrals")
    if paper["referrals"]:
        content.add(_referrals_table(content, paper["referrals"]))
    else:
        content.add_para("No referrals were received in this period.", "body", "New referrals")

    content.heading("4. Overdue actions by agency")
    if paper["overdue_by_agency"]:
        content.add(*overdue_tables(content, paper["overdue_by_agency"], width))
    else:
        content.add_para("No action in the composite action plan is overdue.", "body", "Overdue actions")

    if paper["kind"] == "qa":
        _learning(content, paper)
    return build_pdf(content, letterhead, LANDSCAPE)


def _learning(content: Content, paper: dict) -> None:
    content.heading("5. Learning issued and feedback awaited")
    if paper["learning"]:
        rows = [[b["ref"], b["title"], b["template"].replace("_", " ").replace("six step", "6-step")
                 .replace("seven minute", "7-minute"), date_text(b["issued_date"]),
                 f"{b['sent']}", f"{b['feedback']}"] for b in paper["learning"]]
        widths = [m * MM for m in (20, 120, 30, 30, 30, 35)]
        content.add(content.table(["Ref", "Briefing", "Template", "Issued", "Agencies sent to", "Feedback received"],
                                  rows, widths, where="Learning issued"))
    else:
        content.add_para("No briefing was issued in this period.", "body", "Learning issued")
    content.add_para("Agency feedback on disseminated briefings that is now due or overdue:", "h3",
                     "Feedback awaited")
    if paper["feedback_waiting"]:
        rows, fills = [], {}
        for i, d in enumerate(paper["feedback_waiting"]):
            rows.append([d["ref"], d["agency"], date_text(d["sent_date"]), date_text(d["feedback_due_date"]),
                         rag_cell(content, d["rag"], f"Feedback awaited, row {i + 1}, RAG")])
            fills[(i, 4)] = rag_fill(d["rag"])
        widths = [m * MM for m in (20, 90, 30, 30, 95)]
        content.add(content.table(["Ref", "Agency", "Sent", "Feedback due", "RAG"], rows, widths,
                                  where="Feedback awaited", fills=fills))
    else:
        content.add_para("None: every agency has sent its feedback.", "body", "Feedback awaited")
