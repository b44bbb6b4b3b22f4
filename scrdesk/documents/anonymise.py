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


# Letters that print like Latin ones (Cyrillic and Greek look-alikes, and a few Latin letters
# with a stroke that do not decompose): a name typed with one still reads as the name.
_CONFUSABLES = str.maketrans({
    # Small-capital lower-case forms (т в н к м п г) print as the capital's small twin.
    **dict(zip("АВЕЅІЈКМНОРСТХУаеіјоѕрсхуԁһӏԛԝтвнкмпг", "ABESIJKMHOPCTXYaeijospcxydhlqwtbhkmnr", strict=True)),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαιοκνρτυχεβμηω", "ABEZHIKMNOPTYXaiokvptuxebunw", strict=True)),
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ſ": "s",
    # Dashes of every width, and the typographic apostrophes, as the keyboard ones.
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2018": "'", "\u2019": "'", "\u02bc": "'",
})


def fold(text: str) -> str:
    """The text as a reader sees it, for comparing: invisible format characters (soft hyphen,
    zero-width space and joiner, byte order mark, bidi marks) removed, compatibility forms
    (NFKC: ligatures, full-width letters, no-break spaces) and look-alike letters folded,
    accents removed, casefolded, whitespace collapsed. Both the identifiers and the document
    go through it, so an accent is ignored on both sides alike.
    """
    if text.isascii():
        return " ".join(text.casefold().split())
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    decomposed = unicodedata.normalize("NFKD", visible.translate(_CONFUSABLES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_CONFUSABLES)
    return " ".join(unicodedata.normalize("NFKC", stripped.casefold()).split())


# A word is letters and digits only: `_ . - /`, spaces and every other mark separate words, so
# "Bethan_Zyx", "Bethan.Zyx" and "Bethan Zyx" are the same two words.
_WORD = re.compile(r"[^\W_]+")

_MONTH_WORDS = sorted(
    [(name.lower(), n) for n, name in enumerate(MONTH_NAMES, 1)]
    + [(abbr.lower(), n) for n, abbr in enumerate(MONTH_ABBRS, 1)] + [("sept", 9)],
    key=lambda item: -len(item[0]))
_MONTHS = dict(_MONTH_WORDS)
_MONTH = "(" + "|".join(word for word, _ in _MONTH_WORDS) + r")\.?"
_DAY = r"(\d{1,2})(?:\s*(?:st|nd|rd|th))?"
_YEAR = r"(\d{4}|\d{2})"
_SEP = r"\s*[/.\-_]\s*"
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


# Shorter runs (two initials, "A 12") would match by chance across ordinary words.
_JOINED_MIN = 5


class Matcher:
    """Restricted identifiers prepared once: word sequences in sets, dates of birth as dates.

    Looking each text's words up in a set costs the same for 3 identifiers as for 3,000, where
    a regular expression per identifier grows with every one added.
    """

    def __init__(self, identifiers: Iterable[Identifier]):
        self.sequences: dict[int, dict[tuple[str, ...], set[str]]] = {}
        self.dates: dict[date, set[str]] = {}
        # Identifiers also found with their separators left out: "LA 123456" written "LA123456"
        # or "LA-123456", a name run together in a file name ("BethanZyx.pdf").
        self.joined: dict[str, set[str]] = {}
        for identifier in identifiers:
            folded = fold(identifier.value or "")
            words = tuple(_WORD.findall(folded))
            if words:
                self.sequences.setdefault(len(words), {}).setdefault(words, set()).add(identifier.kind)
                joined = "".join(words)
                if (len(words) > 1 or any(ch.isdigit() for ch in joined)) and len(joined) >= _JOINED_MIN:
                    self.joined.setdefault(joined, set()).add(identifier.kind)
            as_date = self._as_date(identifier, folded)
            if as_date is not None:
                self.dates.setdefault(as_date, set()).add(identifier.kind)
        self._longest_joined = max(map(len, self.joined), default=0)

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
        return bool(self.sequences or self.dates or self.joined)

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
        if self.joined:
            for i in range(len(words)):
                run = ""
                for word in words[i:]:
                    run += word
                    if len(run) > self._longest_joined:
                        break
                    for kind in self.joined.get(run, ()):
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
