"""The Qt window and its tabs: everything that imports PySide6 lives under here."""

from __future__ import annotations

import ctypes
import sys


def _keep_true_and_false_alive() -> None:
    # PySide6 6.12.0 returns True from SignalInstance.emit() without taking a reference to it,
    # so every emit() made from Python drops one reference to True. On Python 3.11, where True
    # is not immortal (it is from 3.12), a few hundred emits later the interpreter aborts with
    # "bool_dealloc: deallocating True or False". A vast number of extra references makes True
    # and False as good as immortal, as 3.12 does. Skipped where the object layout differs
    # (debug builds with reference tracing) or where the bug cannot bite.
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        return
    for value in (True, False):
        ctypes.c_ssize_t.from_address(id(value)).value += 1 << 40


_keep_true_and_false_alive()
