"""The 6-step briefing and the 7-minute briefing of a review: one or two A4 pages.

Data in (a plain dict from `scrdesk.store.papers.briefing_data`), PDF bytes out. The sections come
in the template's order (templates are data: `scrdesk.domain.templates`); a briefing that runs
past two pages is still built, with a warning saying so.
"""

from __future__ import annotations

from scrdesk.documents.style import (
    MM,
    NAVY,
    TEAL,
    BuildResult,
    Content,
    Letterhead,
    build_pdf,
    date_text,
    panel,
    step_heading,
)
from scrdesk.documents.text import markup
from scrdesk.domain.templates import REFLECTION_KEY, load_template

MAX_PAGES = 2


def ordered_sections(briefing: dict, template) -> list[dict]:
    """The briefing's sections in template order, every template section present (perhaps empty),
    then any extra sections the person added, in their own order."""
    by_key = {s.get("key"): s for s in briefing.get("sections", []) if s.get("key")}
    out = []
    for section in template.sections:
        stored = by_key.get(section.key, {})
        out.append({"key": section.key, "title": stored.get("title") or section.title,
                    "body": stored.get("body") or "", "numbered": section.numbered})
    known = {s.key for s in template.sections} | {REFLECTION_KEY}
    for s in briefing.get("sections", []):
        if s.get("key") not in known:
            out.append({"key": s.get("key"), "title": s.get("title") or "", "body": s.get("body") or "",
                        "numbered": False})
    return out


def reflection_questions(briefing: dict, template) -> list[str]:
    """The briefing's own questions (one per line) when it has them, else the template's."""
    for s in briefing.get("sections", []):
        if s.get("key") == REFLECTION_KEY and (s.get("body") or "").strip():
            return [line.strip() for line in s["body"].splitlines() if line.strip()]
    return list(template.reflection_questions)


def _subtitle(briefing: dict) -> str:
    parts = [briefing.get("review_type_label") or ""]
    if briefing.get("methodology_label"):
        parts.append(briefing["methodology_label"])
    if briefing.get("published_date"):
        parts.append(f"report published {date_text(briefing['published_date'])}")
    status = briefing.get("status") or "draft"
    if status == "issued" and briefing.get("issued_date"):
        parts.append(f"briefing issued {date_text(briefing['issued_date'])}")
    elif status == "approved":
        parts.append("approved, not yet issued")
    else:
        parts.append("DRAFT")
    parts.append(f"version {briefing.get('version') or 1}")
    return " · ".join(p for p in parts if p)


def build_briefing(briefing: dict, letterhead: Letterhead) -> BuildResult:
    template = load_template(briefing.get("template") or "six_step")
    content = Content()
    ref = briefing.get("ref") or ""
    own = briefing.get("title") or ""
    # "Ref021 – 6-step briefing" says nothing the overline does not; the case summary does.
    heading = own if own and not own.startswith(ref or "\0") else (briefing.get("summary") or own)
    content.add(content.para(template.name, "h3", "the title", prefix=f'<font color="{TEAL}">',
                             suffix="</font>"))
    title = f"{ref}: {heading}" if ref and heading else (ref or heading or template.name)
    content.add_para(title, "title", "the title")
    content.add_para(_subtitle(briefing), "subtitle", "the subtitle")
    if (briefing.get("learning_themes") or "").strip():
        content.add_para(briefing["learning_themes"], "body", "Learning themes",
                         prefix=f'<font name="NotoSans-Bold" color="{NAVY}">Learning themes: </font>')

    number = 0
    shape = "circle" if template.code == "seven_minute" else "square"
    for section in ordered_sections(briefing, template):
        where = section["title"] or section["key"]
        body = section["body"]
        if not section["numbered"]:
            shown = content.para(body, "body", where) if body.strip() else _not_written(content)
            content.add(panel(content, section["title"], [shown], where=f"{where} (heading)"))
            continue
        number += 1
        content.keep_room(26 * MM)
        content.record(f"{where} (heading)", section["title"])
        content.add(step_heading(str(number), markup(section["title"]), shape=shape))
        content.add(content.para(body, "body", where) if body.strip() else _not_written(content))

    questions = reflection_questions(briefing, template)
    if questions:
        lines = [content.para(q, "body", f"Questions for reflection, question {i}",
                              prefix=f'<font name="NotoSans-Bold" color="{TEAL}">{i}.</font>&nbsp;&nbsp;')
                 for i, q in enumerate(questions, 1)]
        content.add(panel(content, "Questions for reflection", lines))

    result = build_pdf(content, letterhead)
    if result.pages > MAX_PAGES:
        longest = max(ordered_sections(briefing, template), key=lambda s: len(s["body"]))
        result.warnings.insert(0, (
            f"The briefing runs to {result.pages} pages; a {template.name} should fit on one or two "
            f"A4 pages. The longest section is '{longest['title']}'."))
    return result



def _not_written(content: Content):
    return content.para("Not yet written.", "small", "")
