"""Case references: the ways people type them and the next one to suggest."""

import pytest

from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.refs import next_ref, normalise_ref


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ref050", "Ref050"),
        ("Ref 050", "Ref050"),
        ("ref50", "Ref050"),
        ("REF050", "Ref050"),
        ("50", "Ref050"),
        ("050", "Ref050"),
        (50, "Ref050"),
        ("Ref-053", "Ref053"),
        ("Ref/7", "Ref007"),
        ("  ref  1 ", "Ref001"),
        ("Ref1234", "Ref1234"),
        ("Ref0001", "Ref001"),
    ],
)
def test_normalise_ref(text, expected):
    assert normalise_ref(text) == expected


def test_separators_between_prefix_and_number_are_dropped():
    assert normalise_ref("Ref -5") == "Ref005"
    assert normalise_ref("Ref#12") == "Ref012"


def test_other_prefixes():
    assert normalise_ref("cspr-12", prefix="CSPR-") == "CSPR-012"
    assert normalise_ref("CSPR 12", prefix="CSPR-") == "CSPR-012"
    assert normalise_ref("12", prefix="CSPR-") == "CSPR-012"
    assert normalise_ref("NSCB7", prefix="NSCB", width=4) == "NSCB0007"


@pytest.mark.parametrize(
    "text", ["", "  ", None, "Ref", "abc", "Ref05a", "LCSPR050", "Ref052 **", "Ref0", 0, -3, True, "5.5"]
)
def test_normalise_ref_rejects(text):
    with pytest.raises(InvalidValue) as caught:
        normalise_ref(text)
    assert caught.value.field == "Ref"


def test_rejection_says_what_a_ref_looks_like():
    with pytest.raises(InvalidValue) as caught:
        normalise_ref("LCSPR050")
    assert caught.value.message == "is not a reference; use Ref and a number, e.g. Ref053"


def test_next_ref():
    assert next_ref([]) == "Ref001"
    assert next_ref(["Ref053", "Ref 057", "ref21", None, "", "Other-99", "CSPR-200"]) == "Ref058"
    assert next_ref(["Ref999"]) == "Ref1000"
    assert next_ref(["CSPR-004", "Ref900"], prefix="CSPR-") == "CSPR-005"
    assert next_ref(["Ref7"], width=4) == "Ref0008"
    assert next_ref(iter(["Ref001", "Ref002"])) == "Ref003"
