"""User text made safe for ReportLab's Paragraph markup: printed as typed, line breaks kept.

Paragraph parses a small XML-like language; a raw `<` or `&` either crashes it, changes the
text, or (`<img src=...>`, `<a href=...>`) injects images and links. Every piece of text that a
person typed or that comes from the data file goes through `markup()` before it reaches a
Paragraph; the builders' own markup is written by hand around it.
"""

from __future__ import annotations

import re

# C0/C1 control characters other than tab and newline have no printed form and break the
# PDF text layer; they are turned into a visible replacement mark, never dropped silently.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


def clean(text: object) -> str:
    """The text as it will print: newlines normalised, control characters made visible."""
    if text is None:
        return ""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(REPLACEMENT, s)


def escape(text: object) -> str:
    """Escape the three characters Paragraph treats as markup."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markup(text: object) -> str:
    """Escaped text with each line break kept as `<br/>` (blank lines keep their gap)."""
    return escape(text).replace("\t", " ").replace("\n", "<br/>")


def has_control_characters(text: object) -> bool:
    return text is not None and bool(_CONTROL.search(str(text)))
