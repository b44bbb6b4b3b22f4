"""The bundled font family (Noto Sans regular and bold, SIL Open Font License, licence in
resources/fonts/OFL.txt).

Registered with ReportLab once per process; reading each face costs about as much as laying out a
page, so only the two faces the documents use are bundled (italic markup prints upright). Welsh, Polish and Irish letters, curly quotes and
dashes are all in it; a character it lacks would print as an empty box, so `missing_characters`
lets every builder report such characters instead of losing them silently.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable

from scrdesk.domain.resources import resource_path

FAMILY = "NotoSans"
REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"

_FILES = {
    REGULAR: "NotoSans-Regular.ttf",
    BOLD: "NotoSans-Bold.ttf",
}

_lock = threading.Lock()
_registered = False
_covered: frozenset[int] = frozenset()


def font_path(name: str = REGULAR):
    return resource_path("fonts", _FILES[name])


def register_fonts() -> str:
    """Register the family with ReportLab (once; safe from worker threads). Returns its name."""
    global _registered, _covered
    if _registered:
        return FAMILY
    with _lock:
        if _registered:
            return FAMILY
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        fonts = {name: TTFont(name, str(font_path(name))) for name in _FILES}
        for font in fonts.values():
            pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, REGULAR)
        addMapping(FAMILY, 1, 1, BOLD)
        # The regular face's map stands for the family: both faces cover the same letters.
        _covered = frozenset(fonts[REGULAR].face.charToGlyph)
        _registered = True
    return FAMILY


def missing_characters(text: str) -> list[str]:
    """Characters of `text` the font cannot print (whitespace aside), in order of appearance."""
    register_fonts()
    seen: list[str] = []
    for ch in text:
        if ch in seen or ch in "\n\t\r " or ord(ch) in _covered:
            continue
        seen.append(ch)
    return seen


def describe_missing(where_texts: Iterable[tuple[str, str]]) -> list[str]:
    """One warning per place whose text holds characters the font lacks."""
    warnings = []
    for where, text in where_texts:
        missing = missing_characters(text)
        if missing:
            names = ", ".join(
                f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character').lower()})"
                for ch in missing
            )
            warnings.append(f"{where}: the font has no letter for {names}; it prints as an empty box.")
    return warnings
