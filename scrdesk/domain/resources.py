"""Where the bundled `resources/` folder is: beside the package in a checkout, or inside a frozen app."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache  # resolving the path is a system call; it never changes while the program runs
def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
