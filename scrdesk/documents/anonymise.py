"""The anonymisation check: restricted identifiers (a child's name, date of birth, address, case
number) found anywhere in a document block its export, saying where.

Matching is case- and accent-insensitive, whole-word, with any run of whitespace equal to one
space; a date is also found written in the other usual ways (05/02/2017, 5.2.17, 5th February
2017, February 5, 2017, 2017-02-05). The hit names the place and the kind of identifier, never
the identifier itself, so the message can be shown and logged safely.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from scrdesk.domain import values
from scrdesk.domain.dates import MONTH_ABBRS, MONTH_NAMES, parse_date
from scrdesk.domain.errors import InvalidValue, ScrdeskError


@dataclass(frozen=True)
class Identifier:
    kind: str
    value: str


@dataclass(frozen=True)
class IdentifierHit:
    where: str
    kind: str

    def describe(self) -> str:
        return f"{_kind_phrase(self.kind)} in {self.where}"


class IdentifiersFound(ScrdeskError):
    """Restricted identifiers were found; the export is blocked until fixed or overridden."""

    def __init__(self, hits: list[IdentifierHit]):
        self.hits = hits
        listed = "; ".join(h.describe() for h in hits[:5])
        more = f"; and {len(hits) - 5} more" if len(hits) > 5 else ""
        n = len(hits)
        super().__init__(
            f"The document contains {n} restricted identifier{'s' if n != 1 else ''} "
            f"({listed}{more}). Remove {'them' if n != 1 else 'it'}, or give a reason to override the check."
        )


def _kind_phrase(kind: str) -> str:
    text = values.label(values.RESTRICTED_KINDS, kind) or "identifier"
    text = text if text.isupper() or text.startswith("LA ") else text.lower()
    # "an LA case number": the article follows the sound of the letters, not the spelling.
    article = "an" if text[:1].lower() in "aeiou" or text.startswith("LA ") else "a"
    return f"{article} {text}"


def fold(text: str) -> str:
    """Casefolded, accents removed, whitespace collapsed: what identifiers are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Curly apostrophes count as straight ones; names are typed both ways.
    stripped = stripped.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(stripped.casefold().split())


def _words(value: str) -> str:
    """A whole-word pattern for a folded value; any whitespace run matches one space."""
    tokens = [re.escape(t) for t in value.split(" ") if t]
    return r"\s+".join(tokens)


def _date_pattern(d: date) -> str:
    day = rf"0?{d.day}(?:\s*(?:st|nd|rd|th))?"
    month_words = rf"(?:{MONTH_NAMES[d.month - 1].lower()}|{MONTH_ABBRS[d.month - 1].lower()}\.?)"
    if d.month == 9:
        month_words = r"(?:september|sept\.?|sep\.?)"
    year = rf"(?:{d.year}|{d.year % 100:02d})"
    num_month = rf"0?{d.month}"
    sep = r"\s*[/.\-]\s*"
    forms = [
        rf"{day}{sep}{num_month}{sep}{year}",  # 05/02/2017, 5.2.17, 5-2-2017
        rf"{d.year}{sep}{num_month}{sep}0?{d.day}",  # 2017-02-05
        rf"{day}(?:\s+of)?[\s\-/]+{month_words},?[\s\-/]+{year}",  # 5 Feb 2017, 5th of February 2017
        rf"{month_words}\s+{day},?\s+{year}",  # February 5, 2017
    ]
    return "(?:" + "|".join(forms) + ")"


def compile_identifiers(identifiers: Iterable[Identifier]) -> list[tuple[str, re.Pattern]]:
    """(kind, pattern) per identifier; blank values are ignored."""
    compiled = []
    for identifier in identifiers:
        folded = fold(identifier.value or "")
        if not folded:
            continue
        body = _words(folded)
        as_date = None
        if identifier.kind == "date_of_birth" or re.fullmatch(r"[\d\s/.\-a-z,]+", folded):
            try:
                as_date = parse_date(identifier.value, "Identifier")
            except InvalidValue:
                as_date = None
        if as_date is not None:
            body = f"(?:{body}|{_date_pattern(as_date)})"
        compiled.append((identifier.kind, re.compile(rf"(?<!\w){body}(?!\w)")))
    return compiled


def find_identifiers(texts: Iterable[tuple[str, str]], identifiers: Iterable[Identifier]) -> list[IdentifierHit]:
    """Every (place, kind) where a restricted identifier occurs in `texts` ((where, text) pairs)."""
    compiled = compile_identifiers(identifiers)
    if not compiled:
        return []
    hits: list[IdentifierHit] = []
    for where, text in texts:
        folded = fold(text or "")
        for kind, pattern in compiled:
            hit = IdentifierHit(where, kind)
            if hit not in hits and pattern.search(folded):
                hits.append(hit)
    return hits
