"""The anonymisation check: restricted identifiers (a child's name, date of birth, address, case
number) found anywhere in a document block its export, saying where.

Matching is case- and accent-insensitive and whole-word: an identifier is a sequence of words,
found wherever the same words stand together, whatever spaces or punctuation lie between them;
a date is also found written in the other usual ways (05/02/2017, 5.2.17, 5th February 2017,
February 5, 2017, 2017-02-05). The hit names the place and the kind of identifier, never
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
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Curly apostrophes count as straight ones; names are typed both ways.
    stripped = stripped.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(stripped.casefold().split())


_WORD = re.compile(r"\w+")

_MONTH_WORDS = sorted(
    [(name.lower(), n) for n, name in enumerate(MONTH_NAMES, 1)]
    + [(abbr.lower(), n) for n, abbr in enumerate(MONTH_ABBRS, 1)] + [("sept", 9)],
    key=lambda item: -len(item[0]))
_MONTHS = dict(_MONTH_WORDS)
_MONTH = "(" + "|".join(word for word, _ in _MONTH_WORDS) + r")\.?"
_DAY = r"(\d{1,2})(?:\s*(?:st|nd|rd|th))?"
_YEAR = r"(\d{4}|\d{2})"
_SEP = r"\s*[/.\-]\s*"
# Every usual way of writing a date, as (pattern, order of day / month / year groups).
_DATE_FORMS = (
    (re.compile(rf"(?<!\w)(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}{_YEAR}(?!\w)"), "dmy"),  # 05/02/2017, 5.2.17
    (re.compile(rf"(?<!\w)(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})(?!\w)"), "ymd"),  # 2017-02-05
    (re.compile(rf"(?<!\w){_DAY}(?:\s+of)?[\s\-/]+{_MONTH},?[\s\-/]+{_YEAR}(?!\w)"), "dmy"),  # 5th Feb 2017
    (re.compile(rf"(?<!\w){_MONTH}\s+{_DAY},?\s+{_YEAR}(?!\w)"), "mdy"),  # February 5, 2017
)


#: Kinds of restricted identifier that may hold a date, found however the date is written.
DATE_KINDS = frozenset({"date_of_birth", "other"})
# A value that could be a date: digits, month names and separators, at least one digit.
_DATE_LIKE = re.compile(r"(?=.*\d)[\d\s/.\-a-z,]+")


def _year(text: str) -> int:
    year = int(text)
    # The same pivot as the date parser, so "14" means 2014 in both.
    return year + (2000 if year < 69 else 1900) if len(text) == 2 else year


def dates_in(folded: str):
    """Every date written in `folded` text, in any of the usual forms."""
    for pattern, order in _DATE_FORMS:
        for match in pattern.finditer(folded):
            parts = dict(zip(order, match.groups(), strict=True))
            month = parts["m"]
            try:
                yield date(_year(parts["y"]), _MONTHS.get(month) or int(month), int(parts["d"]))
            except (ValueError, TypeError):
                continue


class Matcher:
    """Restricted identifiers prepared once: word sequences in sets, dates of birth as dates.

    Looking each text's words up in a set costs the same for 3 identifiers as for 3,000, where
    a regular expression per identifier grows with every one added.
    """

    def __init__(self, identifiers: Iterable[Identifier]):
        self.sequences: dict[int, dict[tuple[str, ...], set[str]]] = {}
        self.dates: dict[date, set[str]] = {}
        for identifier in identifiers:
            folded = fold(identifier.value or "")
            words = tuple(_WORD.findall(folded))
            if words:
                self.sequences.setdefault(len(words), {}).setdefault(words, set()).add(identifier.kind)
            as_date = self._as_date(identifier, folded)
            if as_date is not None:
                self.dates.setdefault(as_date, set()).add(identifier.kind)

    @staticmethod
    def _as_date(identifier: Identifier, folded: str) -> date | None:
        # Names, addresses and case numbers are never dates; "other" may be (a date of death).
        if identifier.kind not in DATE_KINDS or not _DATE_LIKE.fullmatch(folded):
            return None
        try:
            return parse_date(identifier.value, "Identifier")
        except InvalidValue:
            return None

    def __bool__(self) -> bool:
        return bool(self.sequences or self.dates)

    def kinds_in(self, text: str) -> list[str]:
        """The kinds of identifier found in `text`, in the order first found."""
        folded = fold(text or "")
        found: list[str] = []
        words = _WORD.findall(folded)
        for length, table in self.sequences.items():
            for i in range(len(words) - length + 1):
                for kind in table.get(tuple(words[i:i + length]), ()):
                    if kind not in found:
                        found.append(kind)
        if self.dates:
            for d in dates_in(folded):
                for kind in self.dates.get(d, ()):
                    if kind not in found:
                        found.append(kind)
        return found


def find_identifiers(texts: Iterable[tuple[str, str]],
                     identifiers: Iterable[Identifier] | Matcher) -> list[IdentifierHit]:
    """Every (place, kind) where a restricted identifier occurs in `texts` ((where, text) pairs)."""
    matcher = identifiers if isinstance(identifiers, Matcher) else Matcher(identifiers)
    if not matcher:
        return []
    hits: list[IdentifierHit] = []
    for where, text in texts:
        for kind in matcher.kinds_in(text):
            hit = IdentifierHit(where, kind)
            if hit not in hits:
                hits.append(hit)
    return hits
