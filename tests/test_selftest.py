"""`run_self_test`: every step passes on a sound install, and a failing step is reported, not hidden."""

from __future__ import annotations

import io

import scrdesk.selftest as selftest


def test_every_step_passes(qapp):
    out = io.StringIO()
    assert selftest.run_self_test(out) == 0
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines if line.startswith("ok")] == [
        f"ok   {label}" for label, _ in selftest.STEPS]
    assert lines[-1] == "self-test passed"


def test_a_failing_step_fails_the_self_test(qapp, monkeypatch):
    monkeypatch.setattr(selftest, "BRIEFING_REF", "Ref999")
    out = io.StringIO()
    assert selftest.run_self_test(out) == 1
    text = out.getvalue()
    assert "FAIL briefing exported:" in text
    assert "ok   checks passed" in text  # the other steps still ran
    assert text.splitlines()[-1] == "self-test FAILED: 1 step(s)"
