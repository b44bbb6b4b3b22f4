"""Shared fixtures. Qt runs offscreen; every test gets its own data file in tmp_path.

- `store`: an empty, migrated data file.
- `demo_path` / `demo`: the demo data file (a June 2017 snapshot, as at 30 Jun 2017), its path
  and the file opened.
- `board_settings(store, **values)`: set the board's settings (`store.set_settings`) and get the
  typed Settings back, for tests that need another jurisdiction, as-at date or prefix.
- `window_settings`: where a window remembers its layout, in a file of the test's own (never the
  user's own settings); `private_qsettings`: the same for code that makes its own `QSettings()`.
- `open_small_sample(seed)`: a small sample written with `seed` and opened read-only (a context
  manager), for module-wide fixtures.
"""

from __future__ import annotations

import contextlib
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


@pytest.fixture
def demo_path(tmp_path):
    """A fresh demo data file of the test's own."""
    from scrdesk.store.demo import write_demo

    return write_demo(tmp_path / "demo.db")


@pytest.fixture
def demo(demo_path):
    """The demo data file, open for editing."""
    opened = Store.open(demo_path, user="tester")
    yield opened
    opened.close()


@pytest.fixture
def board_settings():
    """`board_settings(store, as_at_date="2017-06-30", jurisdiction="wales")` sets those
    settings in one write and returns the typed Settings the store now hands out."""

    def apply(opened: Store, **values):
        opened.set_settings(values)
        return opened.settings()

    return apply


@pytest.fixture
def window_settings(tmp_path):
    """Layout is remembered in a file of the test's own, never the user's settings."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def private_qsettings(tmp_path, qapp):
    """Every `QSettings()` made during the test writes under tmp_path, not the user's own."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    return tmp_path / "qsettings"


@pytest.fixture(autouse=True)
def _own_state_folder(tmp_path_factory, monkeypatch):
    # The remembered audit-log anchors live in the user's state folder: each test has its own,
    # so no test writes the real one or trips over another test's anchors.
    monkeypatch.setenv("SCRDESK_STATE_DIR", str(tmp_path_factory.mktemp("state")))


@pytest.fixture
def environment(tmp_path, monkeypatch):
    """For tests that start the whole app (`run_gui`): its log, cache, config and window layout
    under tmp_path, and the log handler it adds taken away after."""
    import logging
    import sys

    from PySide6.QtCore import QSettings

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(tmp_path / "config"))
    yield
    log_path = tmp_path / "xdg-state" / "scrdesk" / "log" / "scrdesk.log"
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == str(log_path):
            root.removeHandler(handler)
            handler.close()


@pytest.fixture(scope="session")
def open_small_sample(tmp_path_factory):
    from scrdesk.store.sample import write_sample

    @contextlib.contextmanager
    def opened(seed: int):
        path = tmp_path_factory.mktemp("sample") / "small.db"
        write_sample(path, "small", seed=seed)
        with Store.open(path, readonly=True) as store:
            yield store

    return opened
