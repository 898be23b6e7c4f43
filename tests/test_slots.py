"""The machine-wide slots for timed runs: one more run than slots waits, and says so; a slot is free
again when its holder ends, however it ends."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

from runner import ROOT
from runner.sandbox import slots

HOLD = """
import sys, time
from runner import ROOT
from runner.sandbox import slots
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


def test_an_exclusive_turn_waits_for_the_runs_under_way_and_holds_back_new_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("ASYNC_ROSETTA_CACHE", str(tmp_path))
    monkeypatch.setenv(slots.SLOTS_VARIABLE, "2")
    order, said = [], []
    first_in, release = threading.Event(), threading.Event()

    def running():
        with slots.timed_run():
            order.append("run in")
            first_in.set()
            release.wait(10)
            order.append("run out")

    def later():  # asks for a slot while the exclusive turn waits: a slot is free, but the gate is shut
        with slots.timed_run(said.append):
            order.append("later run in")

    def build():
        slots.wait_for_gate(said.append)
        order.append("build starts")

    thread = threading.Thread(target=running)
    thread.start()
    first_in.wait(10)
    threading.Timer(0.2, lambda: [threading.Thread(target=later).start(), threading.Thread(target=build).start()]).start()
    threading.Timer(0.5, release.set).start()
    with slots.exclusive_run(said.append):
        order.append("alone in")
        time.sleep(0.2)
        order.append("alone out")
    thread.join()
    deadline = time.monotonic() + 5
    while len(order) < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert order[:4] == ["run in", "run out", "alone in", "alone out"]
    assert sorted(order[4:]) == ["build starts", "later run in"]
    assert "waiting to time a program again alone: until no other program is being timed" in said
    assert "waiting: a program is being timed alone" in said


def test_an_exclusive_turn_that_waits_too_long_settles_for_an_ordinary_slot(tmp_path, monkeypatch):
    monkeypatch.setenv("ASYNC_ROSETTA_CACHE", str(tmp_path))
    monkeypatch.setenv(slots.SLOTS_VARIABLE, "2")
    monkeypatch.setattr(slots, "EXCLUSIVE_WAIT", 0.3)
    release = threading.Event()
    holding = threading.Event()

    def running():
        with slots.timed_run():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=running)
    thread.start()
    holding.wait(10)
    started = time.monotonic()
    with slots.exclusive_run():
        waited = time.monotonic() - started
    release.set()
    thread.join()
    assert 0.25 < waited < 5
