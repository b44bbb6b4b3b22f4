"""Where the data file lives decides its journal mode and the warning the window shows."""

from __future__ import annotations

import pytest

from scrdesk.store.db import Store
from scrdesk.store.location import (
    DRIVE_REMOTE,
    classify_location,
    parse_bsd_mount_output,
    parse_proc_mounts,
)

DRIVE_FIXED = 3
LINUX_MOUNTS = [
    ("/", "ext4"),
    ("/home", "ext4"),
    ("/mnt/shared", "cifs"),
    ("/mnt/nfs", "nfs4"),
    ("/home/sam/remote", "fuse.sshfs"),
    ("/mnt/shared/local-cache", "ext4"),  # the longest mount point wins
]
ENV = {"OneDrive": r"C:\Users\sjones\OneDrive - Northshire County Council"}


def windows_drives(letter: str) -> int:
    return DRIVE_REMOTE if letter in ("H", "S") else DRIVE_FIXED


CASES = [
    # (platform, path, kind, detail contains)
    ("win32", r"C:\Users\sjones\Documents\scrdesk\cases.db", "local", ""),
    ("win32", r"\\council-fs01\Safeguarding\SCR\cases.db", "network", r"\\council-fs01\Safeguarding"),
    ("win32", "//council-fs01/Safeguarding/cases.db", "network", r"\\council-fs01\Safeguarding"),
    ("win32", r"\\?\UNC\council-fs01\Safeguarding\cases.db", "network", "council-fs01"),
    ("win32", r"\\?\C:\Users\sjones\Documents\cases.db", "local", ""),
    ("win32", r"H:\My Documents\cases.db", "network", "drive H:"),
    ("win32", r"s:\SCR sub group\cases.db", "network", "drive S:"),
    ("win32", r"C:\Users\sjones\OneDrive - Northshire County Council\SCR\cases.db", "synced", "OneDrive"),
    ("win32", r"C:\Users\sjones\OneDrive\cases.db", "synced", "OneDrive"),
    ("win32", r"C:\Users\sjones\Dropbox\cases.db", "synced", "Dropbox"),
    ("win32", r"C:\Users\sjones\Dropbox (Northshire)\cases.db", "synced", "Dropbox"),
    ("win32", r"G:\My Drive\SCR\cases.db", "synced", "Google Drive"),
    ("win32", r"C:\Users\sjones\Box\SCR\cases.db", "synced", "Box"),
    ("win32", r"C:\Users\sjones\iCloudDrive\cases.db", "synced", "iCloud"),
    ("win32", r"C:\Users\sjones\Boxing club\cases.db", "local", ""),
    ("win32", r"C:\Users\sjones\iCloud Drive\cases.db", "synced", "iCloud"),
    ("win32", r"C:\Users\sjones\Documents\OneDrive notes.txt\cases.db", "local", ""),
    ("linux", "/home/sam/scrdesk/cases.db", "local", ""),
    ("linux", "/mnt/shared/SCR/cases.db", "network", "cifs"),
    ("linux", "/mnt/shared/local-cache/cases.db", "local", ""),
    ("linux", "/mnt/nfs/cases.db", "network", "nfs4"),
    ("linux", "/home/sam/remote/cases.db", "network", "fuse.sshfs"),
    ("linux", "/mnt/sharedfolder/cases.db", "local", ""),  # a prefix of a name is not a mount
    ("linux", "/home/sam/Dropbox/cases.db", "synced", "Dropbox"),
    ("darwin", "/Users/sam/Library/CloudStorage/OneDrive-Northshire/cases.db", "synced", "OneDrive"),
    ("darwin", "/Users/sam/Library/CloudStorage/GoogleDrive-sam@example.org/My Drive/cases.db", "synced", "Google Drive"),
    ("darwin", "/Users/sam/Library/Mobile Documents/com~apple~CloudDocs/cases.db", "synced", "iCloud"),
]


@pytest.mark.parametrize(("platform", "path", "kind", "detail"), CASES)
def test_classification_table(platform, path, kind, detail):
    env = ENV if platform == "win32" else {}
    found = classify_location(path, platform=platform, mounts=LINUX_MOUNTS,
                              drive_type=windows_drives, env=env)
    assert found.kind == kind
    assert detail in found.detail
    if kind == "local":
        assert (found.journal_mode, found.warning) == ("wal", None)
    else:
        assert found.journal_mode == "delete"
        assert "keep the file on this laptop's own disk" in found.warning
        assert "backups go to the shared drive" in found.warning


def test_onedrive_environment_variable_is_a_prefix_in_any_case():
    env = {"OneDriveCommercial": r"D:\Sync\Work Files"}
    found = classify_location(r"d:\sync\work files\SCR\cases.db", platform="win32", env=env,
                              drive_type=windows_drives)
    assert (found.kind, found.detail) == ("synced", "OneDrive")
    assert classify_location(r"D:\Sync\Work Files2\cases.db", platform="win32", env=env,
                             drive_type=windows_drives).kind == "local"


def test_drive_type_is_only_asked_on_windows():
    def must_not_be_called(letter):
        raise AssertionError("asked for a drive type off Windows")

    assert classify_location("/home/sam/c.db", platform="linux", mounts=[("/", "ext4")],
                             drive_type=must_not_be_called, env={}).kind == "local"


def test_proc_mounts_are_parsed_with_escaped_spaces():
    text = ("/dev/sda1 / ext4 rw,relatime 0 0\n"
            "//fs01/SCR\\040Team /mnt/SCR\\040Team cifs rw,vers=3.0 0 0\n")
    assert parse_proc_mounts(text) == [("/", "ext4"), ("/mnt/SCR Team", "cifs")]
    assert classify_location("/mnt/SCR Team/cases.db", platform="linux",
                             mounts=parse_proc_mounts(text), env={}).kind == "network"


def test_macos_mount_output_is_parsed():
    text = ("/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
            "//sam@fs01/SCR on /Volumes/SCR (smbfs, nodev, nosuid, mounted by sam)\n")
    assert parse_bsd_mount_output(text) == [("/", "apfs"), ("/Volumes/SCR", "smbfs")]


def test_store_uses_the_classification(tmp_path, monkeypatch):
    synced = tmp_path / "OneDrive" / "cases.db"
    with Store.open(synced, user="tester") as store:
        assert store.location.kind == "synced"
        assert store.journal_mode == "delete"
        assert "OneDrive" in store.location_warning
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    with Store.open(tmp_path / "local" / "cases.db", user="tester") as store:
        assert (store.location.kind, store.journal_mode, store.location_warning) == ("local", "wal", None)


# -- start-up: a missing, empty or unshowable file (issue 12, items 1, 8, 11 and 12) -----------

def test_with_no_display_the_app_says_so_in_one_line(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env |= {"SCRDESK_DB": str(tmp_path / "cases.db"), "SCRDESK_STATE_DIR": str(tmp_path / "state"),
            "PYTHONPATH": str(Path(__file__).parents[1])}
    done = subprocess.run([sys.executable, "-m", "scrdesk"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "scrdesk: scrdesk needs a desktop session to show its window; for the command line see "
        "`scrdesk --help`"]
    assert not (tmp_path / "cases.db").exists()


def test_a_display_is_trusted_when_qt_is_told_where_to_draw():
    from scrdesk.app import display_problem

    assert display_problem({}, "linux") is not None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({}, "win32") is None


@pytest.fixture
def window_start(tmp_path, monkeypatch, qapp):
    import scrdesk.app as app

    monkeypatch.setenv("SCRDESK_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("SCRDESK_DB", str(tmp_path / "default" / "scrdesk.db"))
    asked: list[str] = []
    answers: list[bool] = []
    monkeypatch.setattr(app, "_confirmed", lambda parent, text, yes: asked.append(text) or answers.pop(0))
    return app, asked, answers


def test_the_window_asks_before_making_a_file_where_one_was_expected(tmp_path, window_start):
    app, asked, answers = window_start
    mistyped = tmp_path / "Sharred" / "cases.db"
    answers.append(False)
    assert app.open_store(mistyped) is None
    assert "does not exist either" in asked[0] and not mistyped.parent.exists()
    answers.append(True)
    store = app.open_store(mistyped)
    try:
        assert store is not None and not store.readonly and mistyped.exists()
    finally:
        store.close()


def test_a_file_that_went_missing_is_not_silently_made_again(tmp_path, window_start):
    from scrdesk.app import may_create_silently
    from scrdesk.cli import default_db_path

    default = default_db_path()
    assert may_create_silently(default)  # the very first run: nothing to ask about
    Store.open(default, user="tester").close()  # scrdesk remembers having closed it
    default.unlink()
    assert not may_create_silently(default)
    assert not may_create_silently(tmp_path / "elsewhere.db")


def test_an_empty_file_becomes_a_data_file_only_when_the_person_agrees(tmp_path, window_start):
    app, asked, answers = window_start
    empty = tmp_path / "empty.db"
    empty.touch()
    answers.append(False)
    assert app.open_store(empty) is None and empty.stat().st_size == 0
    assert "empty (0 bytes)" in asked[0]
    answers.append(True)
    store = app.open_store(empty)
    try:
        assert store is not None and store.scalar("SELECT count(*) FROM settings") > 0
    finally:
        store.close()
