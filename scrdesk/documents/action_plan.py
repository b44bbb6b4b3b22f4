"""The composite action plan, grouped review -> recommendation -> actions (PDF; Excel in xlsx.py).

Every action prints its RAG in words with the reason, its target (and the revised target with
the original beside it) and its latest progress note.
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

HEADER = ["Agency", "Lead officer", "Action", "Agreed", "Target", "Status", "RAG", "Latest update"]


def target_text(action: dict) -> str:
    if action.get("revised_target_date"):
        text = f"{date_text(action['revised_target_date'])}\n(revised; was {date_text(action['target_date'])})"
        if action.get("revised_reason"):
            text += f"\n{action['revised_reason']}"
        return text
    return date_text(action.get("target_date")) or "Not set"


def build_action_plan(plan: dict, letterhead: Letterhead) -> BuildResult:
    content = Content()
    width = frame_width("landscape")
    totals = plan["totals"]
    content.add_para("Composite action plan", "title", "the title")
    content.add_para(f"Position as at {date_text(plan['as_at'])}: every action of every review, grouped by "
                     "review and recommendation", "subtitle", "the subtitle")
    content.add(figures(content, [
        (str(totals["total"]), "actions"), (str(totals["complete"]), "complete"),
        (str(totals["overdue"]), "overdue"), (str(totals.get("amber", 0)), "due soon or slipping (amber)"),
    ], width))
    if not plan["reviews"]:
        content.add_para("The action plan has no actions yet.", "body", "Action plan")
    widths = [m * MM for m in (32, 26, 72, 19, 25, 24, 36)]
    widths.append(width - sum(widths))
    for review in plan["reviews"]:
        status = f" ({review['status']})" if review.get("status") else ""
        content.heading(f"{review['ref']} – {review['type'] or review['title']}{status}", 1,
                        f"Review {review['ref']} heading")
        for rec in review["recommendations"]:
            if rec.get("source"):  # the sub group's own plan: grouped by where the action came from
                number = "Source"
            else:
                number = f"Recommendation {rec['number']}" if rec["number"] else "Recommendation"
            level = f" ({rec['level']})" if rec["level"] else ""
            if rec["text"] == "Actions not linked to a recommendation":
                content.add_para(rec["text"], "h3", f"{review['ref']}, unlinked actions")
            else:
                content.add_para(rec["text"], "h3", f"{review['ref']}, {number}",
                                 prefix=f"{number}{level}: ")
            rows, labels, fills = [], [], {}
            for i, a in enumerate(rec["actions"]):
                where = f"{review['ref']}, {number}, action {i + 1}"
                rows.append([a["agency"], a["lead_officer"], a["text"], date_text(a.get("agreed_date")),
                             target_text(a), a["status"], rag_cell(content, a["rag"], f"{where}, RAG"),
                             a.get("latest_update", "")])
                labels.append(f"action {i + 1}")
                fills[(i, 6)] = rag_fill(a["rag"])
            content.add(content.table(HEADER, rows, widths, where=f"{review['ref']}, {number}",
                                      row_labels=labels, fills=fills))
    return build_pdf(content, letterhead, "landscape")
