"""The machine-wide slots for timed runs: one more run than slots waits, and says so; a slot is free
again when its holder ends, however it ends."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

from runner import ROOT, slots

HOLD = """
import sys, time
from runner import ROOT, slots
with slots.timed_run():
    print('holding', flush=True)
    time.sleep(60)
"""


def test_a_run_waits_for_a_free_slot_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("ASYNC_ROSETTA_CACHE", str(tmp_path))
    monkeypatch.setenv(slots.SLOTS_VARIABLE, "1")
    said, order = [], []
    first_in, release = threading.Event(), threading.Event()

    def first():
        with slots.timed_run():
            order.append("first in")
            first_in.set()
            release.wait(10)
            order.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(10)
    threading.Timer(0.3, release.set).start()
    with slots.timed_run(said.append):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]
    assert said == ["waiting: 1 programs are being timed on this machine already"]


def test_a_slot_is_free_again_when_its_process_is_killed(tmp_path, monkeypatch):
    monkeypatch.setenv("ASYNC_ROSETTA_CACHE", str(tmp_path))
    monkeypatch.setenv(slots.SLOTS_VARIABLE, "1")
    holder = subprocess.Popen([sys.executable, "-c", HOLD], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline() == "holding\n"
        said = []
        threading.Timer(0.3, holder.kill).start()
        started = time.monotonic()
        with slots.timed_run(said.append):
            waited = time.monotonic() - started
        assert said and 0.2 < waited < 10
    finally:
        holder.kill()
        holder.wait()
