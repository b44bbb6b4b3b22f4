"""A notified case's rapid review report (A4 portrait), under the headings of the national panel's
rapid review template.

Source: Child Safeguarding Practice Review Panel, "Guidance for safeguarding partners" (2022,
updated 2025) and its rapid review template, with Working Together to Safeguard Children 2023
chapter 5 (a rapid review within 15 working days of the serious incident notification). The
template asks, in this order, for: the case details and the child's characteristics; the facts
and background; the agencies' involvement and the key lines of enquiry; the immediate safeguarding
action taken; the learning identified so far; whether the case meets the criteria for a local
child safeguarding practice review, with the partners' decision and rationale; whether a national
review is suggested; good practice; and the Panel's response. The headings below follow that order
in scrdesk's own words.

What scrdesk holds is printed; a section it does not hold says so, for the partners to complete
before the report goes to the Panel. The child is named by ref and pseudonym only; the
characteristics are printed by their national labels, never the restricted identifiers.
"""

from __future__ import annotations

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

#: The template's sections, in its order (numbers as printed).
HEADINGS = (
    "Case details and characteristics",
    "Facts and background",
    "Agency involvement and key lines of enquiry",
    "Immediate safeguarding action taken",
    "Learning identified so far",
    "Criteria for a local child safeguarding practice review: the partners' decision and rationale",
    "National review",
    "Good practice",
    "The Panel's response",
)
TO_COMPLETE = "Not held in scrdesk: to be completed by the safeguarding partners before submission."


def _facts(content: Content, header: list[str], rows: list[tuple[str, str]], where: str, width: float):
    return content.table(header, [[label, value] for label, value in rows], [62 * MM, width - 62 * MM],
                         where=where, row_labels=[label for label, _ in rows])


def _on_time(data: dict) -> str:
    submitted, due = data["submitted"], data["submission_due"]
    if submitted is None and data["withdrawn"]:
        return "none owed: the notification was withdrawn"
    if submitted is None:
        return f"not yet submitted (due {date_text(due)})" if due else "not yet submitted"
    if data["submitted_on_time"] is False:
        return f"submitted late (due {date_text(due)})"
    return "submitted on time" if due else "submitted"


def _kept(data: dict) -> str:
    """Where the rapid review is recorded, as the subtitle says it."""
    if data["workspace"]:
        return "run in the rapid review workspace"
    if data["submitted"] or data["dates"][4][1] or data["outcome"]:
        return "kept on the case"
    return "no rapid review recorded yet"


def build_rapid_review_report(data: dict, letterhead: Letterhead) -> BuildResult:
    content = Content()
    width = frame_width()
    numbers = iter(range(1, len(HEADINGS) + 1))

    def heading(text: str) -> None:
        content.heading(f"{next(numbers)}. {text}")

    content.add_para(f"Rapid review report: {data['ref']}", "title", "the title")
    described = [data["pseudonym"], f"under {data['framework']}", _kept(data)]
    content.add_para(" · ".join(d for d in described if d), "subtitle", "the subtitle")
    content.add(figures(content, [
        (date_text(data["dates"][3][1]) or "–", "notified to the national panel"),
        (date_text(data["submission_due"]) or "–", "rapid review due (15 working days)"),
        (date_text(data["submitted"]) or "–", _on_time(data)),
    ], width))
    if data["withdrawn"]:
        withdrawn, reason = data["withdrawn"]
        content.add_para(f"The notification was withdrawn on {date_text(withdrawn)}: {reason or 'no reason recorded'}. "
                         "No rapid review is owed.", "body", "Withdrawn")

    heading(HEADINGS[0])
    content.add(_facts(content, ["Date", "Recorded"],
                       [(label, date_text(value) or "Not recorded") for label, value in data["dates"]]
                       + [(data["notification_label"], data["sin_reference"] or "No reference recorded")],
                       "Case details", width))
    content.add_para("Characteristics (national data)", "h3", "Characteristics")
    content.add(_facts(content, ["Characteristic", "As notified"], data["characteristics"], "Characteristics",
                       width))

    heading(HEADINGS[1])
    content.add_para(data["summary"] or "No summary recorded.", "body", "Summary")
    if data["notify_reason"]:
        content.add_para(f"Why it was notified: {data['notify_reason']}", "body", "Reason for notifying")

    heading(HEADINGS[2])
    returns = data["returns"]
    if returns:
        rows, fills = [], {}
        for i, r in enumerate(returns):
            received = date_text(r["received"]) or "Not received"
            rows.append([r["agency"], date_text(r["due"]), received, "Late" if r["late"] else "On time"])
            if r["late"]:
                fills[(i, 3)] = RAG_FILLS["red"]
        widths = [m * MM for m in (28, 28, 22)]
        widths.insert(0, width - sum(widths))
        content.add(content.table(["Agency (summary and chronology)", "Due", "Received", "Return"], rows, widths,
                                  where="Agency returns", row_labels=[r["agency"] for r in returns], fills=fills))
        late = sum(r["late"] for r in returns)
        content.add_para(f"{len(returns)} agenc{'ies' if len(returns) != 1 else 'y'} asked; {late} return"
                         f"{'s' if late != 1 else ''} late.", "small", "Agency returns")
    else:
        content.add_para("No agency returns are recorded in scrdesk (they are asked for in the rapid review "
                         "workspace).", "body", "Agency returns")
    if data["steps"]:
        content.add_para("The rapid review's steps", "h3", "Steps")
        content.add(content.table(["Step", "Due", "Done"], [[s["label"], date_text(s["due"]),
                                                              date_text(s["done"]) or "Not yet"]
                                                             for s in data["steps"]],
                                  [width - 56 * MM, 28 * MM, 28 * MM], where="Steps"))
    content.add_para("Key lines of enquiry", "h3", "Key lines of enquiry")
    content.add_para(TO_COMPLETE, "body", "Key lines of enquiry")

    heading(HEADINGS[3])
    content.add_para(TO_COMPLETE, "body", "Immediate safeguarding action")
    heading(HEADINGS[4])
    content.add_para(TO_COMPLETE, "body", "Learning identified so far")

    heading(HEADINGS[5])
    content.add(_facts(content, ["Decision", "Recorded"], [
        ("Rapid review outcome", data["outcome"] or "Not yet decided"),
        ("Partners' decision", data["decision_label"] or "Not yet decided"),
        ("Decided", date_text(data["decision_date"]) or "Not recorded"),
        ("Decided by", data["decision_maker"] or "Not recorded"),
    ], "Decision", width))
    content.add_para("Rationale", "h3", "Rationale")
    content.add_para(data["rationale"] or "No rationale recorded.", "body", "Rationale")

    heading(HEADINGS[6])
    content.add_para("The partners suggest the Panel considers a national review." if data["national"]
                     else "The partners do not suggest a national review.", "body", "National review")

    heading(HEADINGS[7])
    content.add_para(TO_COMPLETE, "body", "Good practice")

    heading(HEADINGS[8])
    response = data["panel_response_date"]
    if response is None:
        content.add_para("No response from the Panel is recorded yet.", "body", "Panel response")
    else:
        agreed = {1: "agreed with the partners' decision", 0: "did not agree with the partners' decision"}.get(
            data["panel_agreed"], "responded (agreement not recorded)")
        content.add_para(f"On {date_text(response)} the Panel {agreed}.", "body", "Panel response")
    return build_pdf(content, letterhead)
