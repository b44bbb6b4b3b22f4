"""Briefing templates are data: both built-ins load, in order, and a malformed one is named."""

from __future__ import annotations

import json

import pytest

from scrdesk.domain import resources, templates
from scrdesk.domain.errors import ScrdeskError


def test_the_six_step_template_has_the_steps_in_order():
    t = templates.load_template("six_step")
    assert [s.title for s in t.sections] == [
        "The Background", "Safeguarding Concerns", "The Incident", "The Review", "The Findings",
        "Recommendations", "Good practice", "Evidence of changes to practice"]
    assert t.numbered_title("incident") == "3 The Incident"
    assert t.numbered_title("good_practice") == "Good practice"
    assert all(s.guidance for s in t.sections)


def test_the_seven_minute_template_has_seven_sections_and_three_questions():
    t = templates.load_template("seven_minute")
    assert len(t.sections) == 7
    assert [s.key for s in t.sections][2:5] == ["key_information_1", "key_information_2", "key_information_3"]
    assert len(t.reflection_questions) == 3
    assert templates.template_codes() == ["seven_minute", "six_step"]


def test_an_unknown_template_is_a_clear_error():
    with pytest.raises(ScrdeskError, match="no briefing template 'nine_step'"):
        templates.load_template("nine_step")


def test_a_malformed_template_names_the_file_and_key(tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "broken.json").write_text(json.dumps({"code": "broken", "name": "Broken", "sections": [
        {"key": "a", "title": "A"}, {"key": "a", "title": "Again"}]}), encoding="utf-8")
    monkeypatch.setattr(templates, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    templates.load_template.cache_clear()
    try:
        with pytest.raises(ScrdeskError, match=r"broken.json: 'sections\[1\].key' a is given twice"):
            templates.load_template("broken")
    finally:
        templates.load_template.cache_clear()
    assert resources.resource_path("templates").is_dir()
