"""The one background-work helper (ui/base.py): results and errors come back on the GUI thread,
and the work reads through a connection of its own, never the window's."""

from __future__ import annotations

import threading

import pytest

from scrdesk.domain.errors import ScrdeskError
from scrdesk.ui.base import run_in_background


def wait(qtbot, task):
    qtbot.waitUntil(lambda: task.finished, timeout=10000)


def test_the_result_arrives_on_the_gui_thread(qtbot, qapp):
    seen = {}

    def work(job):
        seen["work"] = threading.current_thread()
        return 42

    def done(result):
        seen["done"] = threading.current_thread()
        seen["result"] = result

    task = run_in_background(work, on_done=done)
    wait(qtbot, task)
    assert seen["result"] == 42
    assert seen["done"] is threading.main_thread()
    assert seen["work"] is not threading.main_thread()


def test_progress_arrives_on_the_gui_thread(qtbot, qapp):
    reported = []

    def work(job):
        job.progress(3, 10, "Reading…")
        return None

    task = run_in_background(work, on_progress=lambda *a: reported.append((threading.current_thread(), a)))
    wait(qtbot, task)
    assert reported == [(threading.main_thread(), (3, 10, "Reading…"))]


@pytest.mark.parametrize(("error", "message"), [
    (ScrdeskError("The file is busy."), "The file is busy."),
    (ValueError("bad value"), "Something went wrong: bad value"),
])
def test_an_exception_arrives_as_an_error_message(qtbot, qapp, error, message):
    failed, done = [], []

    def work(job):
        raise error

    task = run_in_background(work, on_done=done.append,
                             on_failed=lambda m: failed.append((threading.current_thread(), m)))
    wait(qtbot, task)
    assert failed == [(threading.main_thread(), message)] and done == []


def test_a_worker_reads_through_a_read_only_connection_of_its_own(qtbot, demo):
    used = {}

    def work(job):
        reader = job.reader()
        used["store"] = reader
        used["readonly"] = reader.readonly
        used["connection"] = reader.db.conn
        return reader.scalar("SELECT count(*) FROM referrals")

    results = []
    task = run_in_background(work, data_file=demo, on_done=results.append)
    wait(qtbot, task)
    assert results == [demo.scalar("SELECT count(*) FROM referrals")] and results[0] > 0
    assert used["store"] is not demo and used["connection"] is not demo.db.conn
    assert used["readonly"] is True
    with pytest.raises(Exception, match="closed"):  # closed when the work ended
        used["connection"].execute("SELECT 1")


def test_work_without_a_data_file_cannot_read_one(qtbot, qapp):
    failed = []
    task = run_in_background(lambda job: job.reader(), on_failed=failed.append)
    wait(qtbot, task)
    assert failed and "without a data file" in failed[0]
