"""The default list of learning themes (resources/themes.json): data, not code.

A data file gets the list when it is created (schema 0012); the partnership then keeps its own list
in the file (`scrdesk.store.themes`), so a theme added locally travels with the data.
"""

from __future__ import annotations

import json
from functools import cache

from scrdesk.domain.resources import resource_path


@cache
def _load() -> tuple[dict[str, str], ...]:
    data = json.loads(resource_path("themes.json").read_text(encoding="utf-8"))
    return tuple({"code": str(item["code"]), "label": str(item["label"])} for item in data["themes"])


def default_themes() -> list[dict[str, str]]:
    """`[{"code", "label"}, …]` in the order the window lists them."""
    return [dict(item) for item in _load()]
