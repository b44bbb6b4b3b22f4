"""The log file rolls over as RotatingFileHandler would: a few files of a bounded size, the oldest
dropped (app.RotatingLog, which keeps logging.handlers out of start-up)."""

from __future__ import annotations

import logging

from scrdesk.app import RotatingLog


def test_the_log_rolls_over_and_keeps_only_so_many_older_files(tmp_path):
    path = tmp_path / "scrdesk.log"
    handler = RotatingLog(path, max_bytes=200, backups=3)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("test.rotating")
    log.propagate = False
    log.addHandler(handler)
    try:
        for number in range(60):
            log.warning("line %02d %s", number, "x" * 20)
    finally:
        log.removeHandler(handler)
        handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["scrdesk.log", "scrdesk.log.1", "scrdesk.log.2", "scrdesk.log.3"]
    assert all(p.stat().st_size <= 200 for p in tmp_path.iterdir())
    assert path.read_text().splitlines()[-1].startswith("line 59")
    # Each older file carries on where the next older one stopped: nothing lost between them.
    kept = [line for name in reversed(files[1:]) for line in (tmp_path / name).read_text().splitlines()]
    kept += path.read_text().splitlines()
    numbers = [int(line.split()[1]) for line in kept]
    assert numbers == list(range(numbers[0], 60))
