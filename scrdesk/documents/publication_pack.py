"""A review's publication pack (A4 portrait): who did what, and when, to publish it.

The review by its refs and pseudonyms (never a name), its type and framework; the dates (planned,
published, removal) and the pre-publication copy deadline with when each copy went; then the
checklist, each step done on / by / with its note or "not needed" with why; then how the media
were handled and the web address. Where it was decided not to publish, that decision and its
reasons lead the pack instead of the publication itself.
"""

from __future__ import annotations

from reportlab.platypus import Spacer

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


def _copy_text(copy: dict, deadline) -> str:
    if copy["sent"] is None:
        return "Not recorded as sent"
    text = date_text(copy["sent"])
    if copy["how"]:
        text += f" ({copy['how']})"
    if copy["on_time"] is True:
        text += ", on time"
    elif copy["on_time"] is False:
        late = (copy["sent"] - deadline).days
        text += f", {late} day{'s' if late != 1 else ''} after the deadline"
    return text


def _facts(content: Content, header: list[str], rows: list[tuple[str, str]], where: str, width: float):
    """Two columns, label and value, for the review's dates and details."""
    return content.table(header, [list(r) for r in rows], [56 * MM, width - 56 * MM], where=where,
                         row_labels=[label for label, _ in rows])


def _step_state(step: dict) -> str:
    if step["not_needed"]:
        return "Not needed"
    if step["done_date"]:
        return date_text(step["done_date"])
    return "Not done"


def build_publication_pack(data: dict, letterhead: Letterhead) -> BuildResult:
    content = Content()
    width = frame_width()
    content.add_para(f"Publication pack: {data['ref']}", "title", "the title")
    content.add_para(data["title"], "subtitle", "the review's title")
    others = [ref for ref in data["refs"] if ref != data["ref"]]
    described = [data["type_label"], f"under {data['framework']}"]
    if others:
        described.append(f"also {', '.join(others)}")
    if data["pseudonyms"]:
        described.append(", ".join(data["pseudonyms"]))
    if data["status_label"]:
        described.append(data["status_label"])
    described.append(f"publication decision: {data['decision_label'] or 'not recorded'}")
    content.add_para(" · ".join(described), "small", "the review")

    refused = data["not_published"]
    steps = data["steps"]
    numbers = iter(range(1, 6))

    def heading(text: str) -> None:
        content.heading(f"{next(numbers)}. {text}")

    content.add(figures(content, [
        (f"{data['done']}/{data['total']}", "checklist steps done or not needed"),
        (date_text(data["published"]) or "–", "published" if data["published"] or not refused
         else "published: decided not to publish"),
        (date_text(data["removal"]) or "–", "removal from the website"),
    ], width))

    if refused:
        heading("Decision not to publish")
        content.add(_facts(content, ["Decision", "Date"], [
            ("Decided", date_text(refused["decided"])),
            ("Decision sent to the Panel", date_text(refused["sent"]) or "Not recorded as sent"),
        ], "Decision not to publish", width))
        content.add_para("Reasons", "h3", "Decision not to publish")
        content.add_para(refused["reasons"] or "No reasons recorded.", "body", "Reasons for not publishing")

    heading("Dates and copies")
    deadline = data["deadline"]
    if deadline:
        measured = "planned date" if data["deadline_from"] == "planned" else (
            "date published (no planned date was recorded)")
        deadline_text = f"{date_text(deadline)}, 7 working days before the {measured}"
    elif refused and data["deadline_rule"]:
        deadline_text = "None: it was decided not to publish"
    elif data["deadline_rule"]:
        deadline_text = "Not set: no planned publication date"
    else:
        deadline_text = f"None under {data['framework']} for this review"
    rows = [
        ("Planned publication date", date_text(data["planned"]) or "Not recorded"),
        ("Date published", date_text(data["published"]) or "Not published"),
        ("Removal date", date_text(data["removal"]) or "Not set"),
        ("Pre-publication copy deadline", deadline_text),
    ]
    rows += [(copy["what"], _copy_text(copy, deadline)) for copy in data["copies"]]
    content.add(_facts(content, ["Date or copy", "When"], rows, "Dates and copies", width))
    if data["deadline_rule"]:
        content.add(Spacer(1, 3))
        content.add_para(f"Deadline rule: {data['deadline_rule']}.", "small", "the deadline rule")

    heading("The checklist")
    table_rows, fills = [], {}
    for i, step in enumerate(steps):
        state = _step_state(step)
        table_rows.append([step["label"], state, step["done_by"] or "", step["note"] or ""])
        fills[(i, 1)] = RAG_FILLS["green"] if step["done"] else RAG_FILLS["amber"]
    widths = [m * MM for m in (48, 24, 44)]
    widths.append(width - sum(widths))
    content.add(content.table(["Step", "Done on", "By whom", "Note (or why not needed)"], table_rows, widths,
                              where="The checklist", row_labels=[s["label"] for s in steps], fills=fills))
    outstanding = [s["label"] for s in steps if not s["done"]]
    if outstanding and not refused:
        content.add(Spacer(1, 3))
        content.add_para(f"Still to do: {'; '.join(outstanding)}.", "body", "Still to do")

    if refused and not (data["media_label"] or data["web_address"] or data["notes"]):
        return build_pdf(content, letterhead)
    heading("Media and website")
    rows = [("Media handling", data["media_label"] or "Not recorded"),
            ("Web address", data["web_address"] or "Not recorded")]
    if data["notes"]:
        rows.append(("Notes", data["notes"]))
    content.add(_facts(content, ["Media and website", ""], rows, "Media and website", width))
    return build_pdf(content, letterhead)
