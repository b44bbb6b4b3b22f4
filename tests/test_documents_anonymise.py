"""The anonymisation check finds restricted identifiers however they are written, and says where."""

from __future__ import annotations

import pytest

from scrdesk.documents.anonymise import Identifier, IdentifiersFound, find_identifiers

NAME = Identifier("name", "Bethan Zyx")
DOB = Identifier("date_of_birth", "01/12/2014")
CASE = Identifier("case_number", "LA-12345")


@pytest.mark.parametrize("text", [
    "The report on bethan zyx was late.",
    "BETHAN   ZYX",
    "Bethan\nZyx's school",
    "Béthan Zyx",  # accents ignored
    "(Bethan Zyx)",
])
def test_a_name_is_found_case_and_space_insensitively(text):
    assert [h.where for h in find_identifiers([("The Background", text)], [NAME])] == ["The Background"]


@pytest.mark.parametrize("text", ["Bethan Zyxwell", "Bethan", "Zyx", "Abethan Zyx"])
def test_only_whole_words_match(text):
    assert find_identifiers([("x", text)], [NAME]) == []


@pytest.mark.parametrize("text", [
    "born 01/12/2014", "born 1/12/14", "born 1.12.2014", "born 2014-12-01", "born 1 Dec 2014",
    "born 1st December 2014", "born 1 st December 2014", "born December 1, 2014", "born 01-12-2014",
])
def test_a_date_is_found_in_the_usual_ways_of_writing_it(text):
    assert len(find_identifiers([("Findings", text)], [DOB])) == 1


@pytest.mark.parametrize("text", ["born 11/12/2014", "born 01/12/2015", "on 21 Dec 2014", "2014-12-011"])
def test_other_dates_do_not_match(text):
    assert find_identifiers([("x", text)], [DOB]) == []


def test_hits_say_where_and_what_kind_never_the_value():
    hits = find_identifiers(
        [("Current reviews, row 2 (Ref053), Summary", "case la-12345"), ("The Findings", "fine")],
        [NAME, CASE])
    assert [h.describe() for h in hits] == ["an LA case number in Current reviews, row 2 (Ref053), Summary"]
    message = str(IdentifiersFound(hits))
    assert "Current reviews, row 2" in message and "12345" not in message


def test_blank_identifiers_are_ignored():
    assert find_identifiers([("x", "anything at all")], [Identifier("name", "  ")]) == []


def test_a_date_kept_as_other_is_found_in_another_form_but_a_case_number_is_not_a_date():
    other = Identifier("other", "3 March 2017")
    case = Identifier("case_number", "05/02/2016")
    assert [h.kind for h in find_identifiers([("x", "died on 03/03/2017")], [other])] == ["other"]
    assert find_identifiers([("x", "seen 5 Feb 2016")], [case]) == []
    assert [h.kind for h in find_identifiers([("x", "file 05/02/2016")], [case])] == ["case_number"]


def test_thousands_of_identifiers_are_all_checked():
    identifiers = [Identifier("case_number", f"SAMPLE-CN-{n:06d}") for n in range(3000)]
    identifiers += [Identifier("name", f"Test Child {n}") for n in range(3000)]
    hits = find_identifiers([("Summary", "ok"), ("Findings", "See sample-cn-002999 and test  child 17.")],
                            identifiers)
    assert sorted(h.describe() for h in hits) == ["a name in Findings", "an LA case number in Findings"]
