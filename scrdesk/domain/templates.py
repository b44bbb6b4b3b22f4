"""Briefing templates (6-step, 7-minute) kept as data in `resources/templates/`.

A template names its sections in order (key, printed title, guidance for the person writing it)
and, for the 7-minute briefing, the default questions for reflection. The briefings editor
offers these sections; the document builders print a briefing's sections in this order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.resources import resource_path

#: Section key under which a briefing may hold its own reflection questions, one per line.
REFLECTION_KEY = "reflection_questions"


@dataclass(frozen=True)
class TemplateSection:
    key: str
    title: str
    guidance: str = ""
    numbered: bool = True


@dataclass(frozen=True)
class Template:
    code: str
    name: str
    sections: tuple[TemplateSection, ...]
    reflection_questions: tuple[str, ...] = ()
    description: str = ""

    def section(self, key: str) -> TemplateSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def numbered_title(self, key: str) -> str:
        """`3 The Incident` for a numbered step; the plain title otherwise."""
        number = 0
        for section in self.sections:
            if section.numbered:
                number += 1
            if section.key == key:
                return f"{number} {section.title}" if section.numbered else section.title
        return key


def template_codes() -> list[str]:
    return sorted(p.stem for p in resource_path("templates").glob("*.json"))


@cache
def load_template(code: str) -> Template:
    """The template with this code; ScrdeskError naming the file and key when it is malformed."""
    path = resource_path("templates", f"{code}.json")
    if not path.is_file():
        known = ", ".join(template_codes()) or "none"
        raise ScrdeskError(f"There is no briefing template '{code}' (known: {known}).")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ScrdeskError(f"Briefing template {path.name} cannot be read: {exc}") from None

    def fail(key: str, problem: str) -> ScrdeskError:
        return ScrdeskError(f"Briefing template {path.name}: '{key}' {problem}")

    if not isinstance(data, dict):
        raise fail("(top level)", "must be an object")
    for key in ("code", "name"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise fail(key, "must be a non-empty text")
    if data["code"] != code:
        raise fail("code", f"is {data['code']!r} but the file is named {code}.json")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise fail("sections", "must be a non-empty list")
    sections = []
    for i, item in enumerate(raw_sections):
        if not isinstance(item, dict):
            raise fail(f"sections[{i}]", "must be an object with key and title")
        for key in ("key", "title"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise fail(f"sections[{i}].{key}", "must be a non-empty text")
        if any(s.key == item["key"] for s in sections):
            raise fail(f"sections[{i}].key", f"{item['key']} is given twice")
        sections.append(TemplateSection(item["key"], item["title"], item.get("guidance", ""),
                                        bool(item.get("numbered", True))))
    questions = data.get("reflection_questions", [])
    if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
        raise fail("reflection_questions", "must be a list of non-empty texts")
    return Template(code=code, name=data["name"], sections=tuple(sections),
                    reflection_questions=tuple(questions), description=data.get("description", ""))
