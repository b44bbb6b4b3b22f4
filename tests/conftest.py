"""Shared fixtures. Qt runs offscreen; every test gets its own data file in tmp_path."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from scrdesk.store.db import Store  # noqa: E402


@pytest.fixture
def store(tmp_path):
    """An empty, migrated data file."""
    opened = Store.open(tmp_path / "test.db", user="tester")
    yield opened
    opened.close()
