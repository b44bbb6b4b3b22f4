"""Case references (`Ref053`): reading the ways people type them, and suggesting the next one."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from scrdesk.domain.errors import InvalidValue

# Characters people put between the prefix and the number ("Ref 050", "Ref-050", "Ref/050").
_SEPARATORS = " -_/#."


@functools.lru_cache(maxsize=16)  # one prefix per board; an import asks for it on every row
def _pattern(prefix: str) -> re.Pattern[str]:
    core = prefix.rstrip(_SEPARATORS)
    sep = re.escape(_SEPARATORS)
    return re.compile(rf"(?:{re.escape(core)}[{sep}\s]*)?0*(\d+)", re.IGNORECASE)


def _number(text: object, prefix: str) -> int:
    if isinstance(text, bool):
        raise InvalidValue("Ref", text, f"is not a reference; use {prefix} and a number, e.g. {prefix}053")
    if isinstance(text, int):
        n = text
    else:
        s = " ".join(str(text if text is not None else "").split())
        m = _pattern(prefix).fullmatch(s)
        if not s or m is None:
            raise InvalidValue(
                "Ref", text, f"is not a reference; use {prefix} and a number, e.g. {prefix}053"
            )
        n = int(m.group(1))
    if n < 1:
        raise InvalidValue("Ref", text, "must have a number of 1 or more")
    return n


def normalise_ref(text: object, prefix: str = "Ref", width: int = 3) -> str:
    """`Ref 050`, `ref50`, `REF050` and `50` all become `Ref050` (number at least `width` digits)."""
    return f"{prefix}{_number(text, prefix):0{width}d}"


def next_ref(existing: Iterable[str | None], prefix: str = "Ref", width: int = 3) -> str:
    """One more than the highest number among `existing` refs with `prefix`; `Ref001` if none."""
    highest = 0
    for ref in existing:
        if ref is None:
            continue
        try:
            highest = max(highest, _number(ref, prefix))
        except InvalidValue:
            continue  # another prefix or a free-text ref: not part of this sequence
    return f"{prefix}{highest + 1:0{width}d}"
