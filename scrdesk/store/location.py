"""Where the data file lives: the laptop's own disk, a network share, or a synced folder.

SQLite's WAL journal needs shared memory that network file systems do not provide, and sync
clients (OneDrive and the like) copy the data file and its journal separately, so a file in
either place is opened with the rollback journal (`DELETE`) and the person is told, in plain
words, where to keep it instead. Every check is a pure function over the path plus injected
facts (mount table, drive type, environment), so the whole table is testable on any platform.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

#: Windows GetDriveTypeW result for a mapped network drive.
DRIVE_REMOTE = 4

#: File system types (as /proc/mounts or `mount` name them) that live on another machine.
NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afpfs", "ncpfs", "webdav", "davfs",
    "fuse.davfs2", "sshfs", "fuse.sshfs", "fuse.rclone", "afs", "glusterfs", "fuse.glusterfs",
    "ceph", "fuse.ceph", "lustre", "9p",
})

#: Folder names that sync clients create; matched as whole path components, any case.
SYNCED_FOLDER_NAMES = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "icloud drive": "iCloud Drive",
    "icloud": "iCloud Drive",
    "iclouddrive": "iCloud Drive",  # iCloud for Windows
    "com~apple~clouddocs": "iCloud Drive",
    "box": "Box",
    "box sync": "Box",
    "box drive": "Box",
}

#: "OneDrive - Northshire County Council" and "Dropbox (Personal)" are the business forms.
_SYNCED_PREFIXES = (
    ("onedrive - ", "OneDrive"),
    ("onedrive-", "OneDrive"),
    ("dropbox (", "Dropbox"),
    ("googledrive-", "Google Drive"),  # macOS ~/Library/CloudStorage/GoogleDrive-name@example.org
    ("box-box", "Box"),
)

#: Environment variables whose value is a synced folder (set by the OneDrive client on Windows).
SYNCED_ENV_VARS = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")


@dataclass(frozen=True)
class Location:
    kind: str  # "local" | "network" | "synced"
    journal_mode: str  # "wal" | "delete"
    warning: str | None = None
    detail: str = ""  # what was recognised, e.g. "OneDrive" or "cifs share"


Mount = tuple[str, str]  # (mount point, file system type)


def default_db_path() -> Path:
    """`SCRDESK_DB` when set, else `scrdesk.db` in the user's data folder (here rather than in the
    command line's module, which the window need not load to find it)."""
    from_env = os.environ.get("SCRDESK_DB")
    if from_env:
        return Path(from_env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("scrdesk", appauthor=False) / "scrdesk.db"


def _is_unc(text: str) -> bool:
    if text.startswith(("\\\\?\\UNC\\", "//?/UNC/")):
        return True
    if text.startswith(("\\\\?\\", "\\\\.\\", "//?/", "//./")):
        return False  # long-path and device prefixes in front of a local drive
    return bool(re.match(r"^(\\\\|//)[^\\/]+[\\/]+[^\\/]+", text))


def _unc_server(text: str) -> str:
    parts = [p for p in re.split(r"[\\/]+", text) if p and p not in ("?", "UNC")]
    return "\\\\" + "\\".join(parts[:2]) if len(parts) >= 2 else text


def _drive_letter(text: str) -> str | None:
    match = re.match(r"^([A-Za-z]):", text)
    return match.group(1).upper() if match else None


def _synced_service(text: str, env: Mapping[str, str]) -> str | None:
    folded = text.replace("\\", "/").casefold().rstrip("/")
    for variable in SYNCED_ENV_VARS:
        root = env.get(variable)
        if root:
            root = root.replace("\\", "/").casefold().rstrip("/")
            if folded == root or folded.startswith(root + "/"):
                return "OneDrive"
    if "/library/cloudstorage/" in folded:  # macOS File Provider: every sync client lives here
        after = folded.split("/library/cloudstorage/", 1)[1].split("/", 1)[0]
        return next((name for prefix, name in _SYNCED_PREFIXES if after.startswith(prefix)),
                    "a cloud storage folder")
    for component in folded.split("/"):
        if component in SYNCED_FOLDER_NAMES:
            return SYNCED_FOLDER_NAMES[component]
        for prefix, name in _SYNCED_PREFIXES:
            if component.startswith(prefix):
                return name
    return None


def _mount_of(text: str, mounts: Sequence[Mount]) -> Mount | None:
    best: Mount | None = None
    for point, fs_type in mounts:
        point_norm = point.rstrip("/") or "/"
        inside = text == point_norm or text.startswith(point_norm.rstrip("/") + "/")
        if inside and (best is None or len(point_norm) > len(best[0])):
            best = (point_norm, fs_type)
    return best


_NETWORK_ADVICE = (
    "This data file is on a network drive ({where}). SQLite files on shared drives can be "
    "damaged if the connection drops while scrdesk is saving, so scrdesk is using its slower, "
    "safer way of saving here. Better: keep the file on this laptop's own disk (for example in "
    "Documents) and let scrdesk's backups go to the shared drive."
)

_SYNCED_ADVICE = (
    "This data file is in a {service} folder. Sync software can copy the file while scrdesk is "
    "saving and keep a broken or conflicting copy, so scrdesk is using its slower, safer way of "
    "saving here. Better: keep the file on this laptop's own disk outside {service} (for example "
    "in Documents) and let scrdesk's backups go to the shared drive."
)


def classify_location(
    path: str | os.PathLike,
    *,
    platform: str | None = None,
    mounts: Sequence[Mount] | None = None,
    drive_type: Callable[[str], int] | None = None,
    env: Mapping[str, str] | None = None,
) -> Location:
    """Classify where `path` lives and choose the journal mode for it.

    `platform` (as `sys.platform`), `mounts`, `drive_type` (drive letter -> GetDriveTypeW code)
    and `env` default to this machine's; tests pass their own.
    """
    platform = platform or sys.platform
    env = os.environ if env is None else env
    text = os.fspath(path)
    windows = platform.startswith("win")

    if _is_unc(text):
        where = _unc_server(text)
        return Location("network", "delete", _NETWORK_ADVICE.format(where=where), f"share {where}")

    service = _synced_service(text, env)
    if service:
        return Location("synced", "delete", _SYNCED_ADVICE.format(service=service), service)

    if windows:
        letter = _drive_letter(text)
        if letter:
            code = (drive_type or windows_drive_type)(letter)
            if code == DRIVE_REMOTE:
                where = f"drive {letter}:"
                return Location("network", "delete", _NETWORK_ADVICE.format(where=where), where)
        return Location("local", "wal")

    found = _mount_of(text, system_mounts(platform) if mounts is None else mounts)
    if found and found[1].casefold() in NETWORK_FS_TYPES:
        where = f"{found[0]}, a {found[1]} share"
        return Location("network", "delete", _NETWORK_ADVICE.format(where=where), where)
    return Location("local", "wal")


def location_of_file(path: str | os.PathLike) -> Location:
    """`classify_location` for a real file on this machine (resolved, so symlinks count)."""
    resolved = Path(path)
    with contextlib.suppress(OSError):
        resolved = resolved.resolve()
    text = os.fspath(resolved)
    if sys.platform.startswith("win") and text.startswith("\\\\?\\") and not _is_unc(text):
        text = str(PureWindowsPath(text[4:]))
    return classify_location(text)


def windows_drive_type(letter: str) -> int:
    """GetDriveTypeW for `letter` (0 when unknown or not on Windows)."""
    if not sys.platform.startswith("win"):
        return 0
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(f"{letter}:\\"))


def parse_proc_mounts(text: str) -> list[Mount]:
    """(mount point, type) pairs from /proc/mounts; spaces in paths are escaped as \\040."""
    found = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1])
            found.append((point, fields[2]))
    return found


def parse_bsd_mount_output(text: str) -> list[Mount]:
    """(mount point, type) pairs from macOS `mount`: `//u@srv/share on /Volumes/share (smbfs, …)`."""
    found = []
    for line in text.splitlines():
        match = re.match(r"^.+? on (.+) \(([^,)]+)", line)
        if match:
            found.append((match.group(1), match.group(2).strip()))
    return found


def system_mounts(platform: str | None = None) -> list[Mount]:
    platform = platform or sys.platform
    if platform.startswith("linux"):
        try:
            return parse_proc_mounts(Path("/proc/mounts").read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return []
    if platform == "darwin":
        import subprocess  # only here: the window opens a file without loading it elsewhere

        try:
            output = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=2,
                                    check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return []
        return parse_bsd_mount_output(output)
    return []
