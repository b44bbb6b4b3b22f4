"""Chart labels (themes, agencies) wrap onto a second line rather than stopping mid-word, and say
"…" when even two lines are too short."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from scrdesk.documents import charts, fonts


def test_a_long_name_wraps_at_a_word_and_fits():
    labels, row = charts._labels(["Children missing from home, care or education", "Neglect"], 160)
    assert labels == ["Children missing from home, care or\neducation", "Neglect"]
    assert row == charts.TWO_LINE_ROW
    assert all(stringWidth(line, fonts.REGULAR, charts.LABEL_SIZE) <= 160
               for label in labels for line in label.split("\n"))


def test_short_names_keep_one_line_rows():
    assert charts._labels(["Neglect", "Domestic abuse"], 160) == (["Neglect", "Domestic abuse"], charts.ROW)


def test_a_name_too_long_for_two_lines_ends_with_an_ellipsis():
    long_name = "Professional curiosity and respectful uncertainty across all partner agencies in the area"
    (label,), _ = charts._labels([long_name], 160)
    first, second = label.split("\n")
    assert second.endswith("…") and long_name.startswith(first)
    (word,), _ = charts._labels(["x" * 80], 160)
    assert word.endswith("…") and stringWidth(word, fonts.REGULAR, charts.LABEL_SIZE) <= 160
