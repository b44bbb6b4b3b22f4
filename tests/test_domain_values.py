"""Canonical value lists, loose matching of typed values, and the domain layer's import rule."""

import ast
from pathlib import Path

import pytest

from scrdesk.domain import values
from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.values import (
    ACTION_STATUSES,
    AGENCY_TYPES,
    COMPLETE_ACTION_STATUSES,
    GENDERS,
    HARM_CATEGORIES,
    MEETING_KINDS,
    MILESTONE_KINDS,
    REFERRAL_SOURCES,
    ValueList,
    code_from_text,
    label,
)

DOMAIN = Path(values.__file__).parent


def test_lists_keep_their_order_and_codes():
    assert list(GENDERS) == ["male", "female", "male_and_female", "not_known"]
    assert list(ACTION_STATUSES) == [
        "not_started", "on_track", "slipping", "complete_awaiting_evidence", "complete_evidenced", "signed_off",
    ]
    assert AGENCY_TYPES["health_commissioner"] == "Health commissioner (ICB/CCG)"
    assert REFERRAL_SOURCES["sin"] == "Serious incident notification"
    assert HARM_CATEGORIES["died_abuse"] == "Died \u2013 abuse"
    assert ACTION_STATUSES["complete_awaiting_evidence"] == "Complete \u2013 awaiting evidence"
    assert MEETING_KINDS["scr_subgroup"] == "Case review sub group"
    assert sorted(COMPLETE_ACTION_STATUSES) == ["complete_awaiting_evidence", "complete_evidenced", "signed_off"]


def test_every_list_is_a_value_list():
    lists = {k: v for k, v in vars(values).items() if k.isupper() and isinstance(v, dict)}
    assert set(lists) == {
        "AGENCY_TYPES", "REFERRAL_SOURCES", "GENDERS", "HARM_CATEGORIES", "REVIEW_STATUSES",
        "ACTION_STATUSES", "RECOMMENDATION_LEVELS", "BRIEFING_STATUSES", "EVENT_KINDS",
        "MEETING_KINDS", "PROCEEDING_KINDS", "PUBLICATION_DECISIONS", "RESTRICTED_KINDS",
        "MILESTONE_KINDS",
    }
    for v in lists.values():
        assert isinstance(v, ValueList)
        assert all(code == code.lower() and " " not in code for code in v)


def test_label():
    assert label(GENDERS, "male_and_female") == "Male and female"
    assert label(GENDERS, "martian") == "martian"
    assert label(GENDERS, None) == ""


@pytest.mark.parametrize(
    "text, code",
    [
        ("Male", "male"),
        ("male", "male"),
        ("M", "male"),
        ("f", "female"),
        ("Both", "male_and_female"),
        ("Male and Female", "male_and_female"),
        ("Male & Female", "male_and_female"),
        ("male_and_female", "male_and_female"),
        ("Not known", "not_known"),
        ("unknown", "not_known"),
    ],
)
def test_genders_from_text(text, code):
    assert code_from_text(GENDERS, text, "Gender") == code


def test_loose_matching():
    assert code_from_text(HARM_CATEGORIES, "Died - abuse", "Harm") == "died_abuse"
    assert code_from_text(HARM_CATEGORIES, "died \u2014 NEGLECT", "Harm") == "died_neglect"
    assert code_from_text(ACTION_STATUSES, "complete - evidenced", "Status") == "complete_evidenced"
    assert code_from_text(ACTION_STATUSES, "Signed off", "Status") == "signed_off"
    assert code_from_text(AGENCY_TYPES, "health commissioner", "Type") == "health_commissioner"
    assert code_from_text(AGENCY_TYPES, "CCG", "Type") == "health_commissioner"
    assert code_from_text(AGENCY_TYPES, "LA childrens services", "Type") == "la_childrens"
    assert code_from_text(REFERRAL_SOURCES, "serious  incident notification", "Source") == "sin"
    assert code_from_text(MILESTONE_KINDS, "Practitioner de-brief", "Kind") == "practitioner_debrief"
    assert code_from_text({"a": "Apple"}, "apple", "Fruit") == "a"


@pytest.mark.parametrize("text", ["Martian", "", None, "   ", "Mal"])
def test_unknown_or_blank_is_refused_with_the_choices(text):
    with pytest.raises(InvalidValue) as caught:
        code_from_text(GENDERS, text, "Gender")
    assert caught.value.field == "Gender"
    assert "Male, Female, Male and female, Not known" in caught.value.message


def test_no_list_has_a_text_meaning_two_codes():
    for name, v in vars(values).items():
        if not isinstance(v, ValueList):
            continue
        entries = [(c, c) for c in v] + [(t, c) for c, t in v.items()] + list(v.aliases.items())
        meaning: dict[str, str] = {}
        for text, code in entries:
            key = values.normalise_text(text)
            assert meaning.setdefault(key, code) == code, (name, text)
        assert values.lookup_table(v)[values.normalise_text(next(iter(v.values())))] == next(iter(v))


def test_aliases_must_point_at_codes():
    with pytest.raises(ValueError):
        ValueList([("a", "A")], aliases={"x": "b"})


def test_domain_imports_nothing_else_of_the_project():
    forbidden = ("PySide6", "sqlite3", "sqlite_utils", "reportlab", "openpyxl")
    for path in DOMAIN.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else ["scrdesk.domain"]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith("scrdesk"):
                    assert name == "scrdesk.domain" or name.startswith("scrdesk.domain."), (path.name, name)
                assert not name.startswith(forbidden), (path.name, name)
