"""Sandboxes started ahead of time: a run takes one that waits, and it is the same sandbox a fresh run gets
(limits, hardening, output, stdin, time limit), used once; the command line's check leaves the next one."""
import os
import re
import subprocess
import sys
import time
import uuid

import pytest

from runner import ROOT
from runner.sandbox.docker import pool
from runner.sandbox.docker.containers import Sandbox, listed
from runner.sandbox.docker.fresh_run import run_sandboxed
from runner.sandbox.docker.labels import KIT, KIT_LABEL, OWNER_LABEL

pytestmark = pytest.mark.docker

PROBE = """
import os, sys
print("uid", os.getuid())
print("interfaces", sorted(os.listdir("/sys/class/net")))
print("greeting", os.environ.get("GREETING"), "secret", "ASYNC_ROSETTA_SECRET" in os.environ)
print("stdin", repr(sys.stdin.read()))
def first(*paths):  # cgroup v2's file, or v1's
    return next(open(p).read().strip() for p in paths if os.path.exists(p))
print("memory", first("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"))
print("pids", first("/sys/fs/cgroup/pids.max", "/sys/fs/cgroup/pids/pids.max"))
caps = [l for l in open("/proc/self/status") if l.startswith("CapEff")][0].split()[1]
print("capabilities", caps)
for path in ("/etc/probe", "/tmp/probe", "/work/probe", __file__):
    try:
        open(path, "w").write("x")
        print("writable", path)
    except OSError:
        print("read-only", path)
print("to stderr", file=sys.stderr)
"""


def _box(image: str, command: list[str], files: dict[str, bytes], **limits) -> Sandbox:
    """A sandbox of a kind of this test's own (its CPU weight, which changes nothing else here): other tests'
    runs never take its."""
    limits.setdefault("cpu_shares", 2000 + uuid.uuid4().int % 200_000)
    return Sandbox(image=image, command=command, labels={KIT_LABEL: KIT}, env={"GREETING": "hello there"},
                   memory_mb=200, pids=48, files=files, **limits)


def _waiting(client, box: Sandbox) -> list[str]:
    return [c["Id"] for c in listed(client, {"label": [f"{pool.KIND_LABEL}={pool.kind(box)}"], "name": [pool.PREFIX],
                                             "status": ["running"]})]


def _clear(client, box: Sandbox) -> None:
    for found in listed(client, {"label": [f"{pool.KIND_LABEL}={pool.kind(box)}"]}):
        client.api.remove_container(found["Id"], force=True)


@pytest.fixture
def python_image(docker_backend, registry):
    return docker_backend.image(registry.get("python"))


def test_a_run_takes_a_sandbox_started_ahead_and_it_is_a_fresh_ones_equal(docker_backend, python_image,
                                                                         monkeypatch):
    monkeypatch.setenv("ASYNC_ROSETTA_SECRET", "do-not-leak")
    client = docker_backend.client
    box = _box(python_image, ["python3", "/job/src/probe.py"], {"src/probe.py": PROBE.encode()})
    try:
        cold = run_sandboxed(client, box)  # no pool: a container of its own, created in its turn
        assert pool.fill(client, box) == pool.SIZE
        waiting = _waiting(client, box)
        assert len(waiting) == pool.SIZE
        started_ahead = pool.Pool()
        warm = run_sandboxed(client, box, started_ahead)
        left = _waiting(client, box)
        assert len(left) == pool.SIZE - 1 and set(left) < set(waiting)  # one was taken...
        taken = (set(waiting) - set(left)).pop()
        assert not client.api.containers(all=True, filters={"id": taken})  # ...and removed after its run
        assert pool.kind(box) in started_ahead.wanted
        for outcome in (cold, warm):
            assert outcome.exit_code == 0, outcome.stderr
            lines = outcome.stdout.splitlines()
            assert "uid 1000" in lines and "interfaces ['lo']" in lines
            assert "greeting hello there secret False" in lines
            assert "stdin ''" in lines  # stdin ends at once, as in a fresh sandbox
            assert f"memory {box.memory_mb * 2**20}" in lines and "pids 48" in lines
            assert "capabilities 0000000000000000" in lines
            assert {"read-only /etc/probe", "writable /tmp/probe", "writable /work/probe",
                    "read-only /job/src/probe.py"} <= set(lines)
            assert outcome.stderr == "to stderr\n"
            assert outcome.process_ms is not None and outcome.peak_memory_bytes
        assert warm.stdout == cold.stdout
    finally:
        _clear(client, box)


def test_a_taken_sandbox_keeps_the_time_limit_and_the_output_limit(docker_backend, python_image):
    client = docker_backend.client
    box = _box(python_image, ["python3", "-c", "import time; print('started', flush=True); time.sleep(60)"], {},
               timeout=1.0)
    flood = _box(python_image, ["python3", "-c", "print('x' * 10_000_000)"], {}, output_limit=50_000)
    try:
        pool.fill(client, box, 1)
        started = time.monotonic()
        hung = run_sandboxed(client, box, pool.Pool())
        assert hung.timed_out and hung.stdout == "started\n"
        assert time.monotonic() - started < 1 + 2 + 3  # its limit, the wrapper's grace, the engine's own
        pool.fill(client, flood, 1)
        flooded = run_sandboxed(client, flood, pool.Pool())
        assert flooded.truncated and len(flooded.stdout) <= 50_000
        assert not _waiting(client, box) and not _waiting(client, flood)
    finally:
        _clear(client, box)
        _clear(client, flood)


def test_a_run_with_a_line_break_in_a_word_or_with_the_pool_off_starts_its_own(docker_backend, python_image,
                                                                              monkeypatch):
    client = docker_backend.client
    box = _box(python_image, ["python3", "-c", "print('one')\nprint('two')"], {})
    try:
        pool.fill(client, box, 1)
        assert run_sandboxed(client, box, pool.Pool()).stdout == "one\ntwo\n"
        assert len(_waiting(client, box)) == 1  # a line break cannot travel in the one line it waits for
        monkeypatch.setenv(pool.SWITCH, "off")
        single = _box(python_image, ["python3", "-c", "print('one')"], {}, cpu_shares=box.cpu_shares)
        assert run_sandboxed(client, single, pool.Pool()).stdout == "one\n"
        assert len(_waiting(client, box)) == 1
    finally:
        _clear(client, box)


def test_an_unused_sandbox_ends_itself_and_the_next_fill_replaces_it(docker_backend, python_image, monkeypatch):
    client = docker_backend.client
    box = _box(python_image, ["true"], {})
    monkeypatch.setattr(pool, "IDLE_SECONDS", 1)
    try:
        pool.fill(client, box, 1)
        deadline = time.monotonic() + 20
        while _waiting(client, box) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _waiting(client, box), "still waiting after its idle time"
        assert pool.fill(client, box, 1) == 1
        kinds = listed(client, {"label": [f"{pool.KIND_LABEL}={pool.kind(box)}"]})
        assert [c["State"] for c in kinds] == ["running"]  # the ended one was removed
    finally:
        _clear(client, box)


def test_clean_spares_a_waiting_sandbox_and_one_taken_by_a_running_process_not_a_dead_ones(docker_backend, python_image):
    from runner.sandbox.docker.reaper import owner_still_running, remove_leftovers

    client = docker_backend.client
    box = _box(python_image, ["true"], {})
    gone = subprocess.Popen(["true"])
    gone.wait()
    try:
        pool.fill(client, box, 2)
        mine, theirs = _waiting(client, box)
        client.api.rename(mine, pool.taken_name("a-run"))
        host, _, run, rest = pool.taken_name("a-run").split("_")  # as a process now gone would have named it
        client.api.rename(theirs, "_".join([host, str(gone.pid), run, rest]))
        pool.fill(client, box, 1)
        waiting = _waiting(client, box)
        remove_leftovers(client, {pool.KIND_LABEL: pool.kind(box)}, spare=owner_still_running)
        left = [c["Id"] for c in listed(client, {"label": [f"{pool.KIND_LABEL}={pool.kind(box)}"]})]
        assert sorted(left) == sorted([mine, *waiting])  # the taker's, and the one that waits for a run
        assert OWNER_LABEL not in (listed(client, {"id": [mine]})[0].get("Labels") or {})  # no run's label on it
    finally:
        _clear(client, box)


def test_abort_removes_the_sandboxes_taken_for_its_run_only(docker_backend, python_image):
    """A run stopped (Ctrl-C, or a failure beside it) loses the sandboxes it took; a classroom's other checks,
    in the same process, keep theirs."""
    client = docker_backend.client
    box = _box(python_image, ["true"], {})
    try:
        pool.fill(client, box, 2)
        stopped, other = _waiting(client, box)
        client.api.rename(stopped, pool.taken_name("run-1"))
        client.api.rename(other, pool.taken_name("run-12"))
        docker_backend.abort("run-1")
        assert [c["Id"] for c in listed(client, {"label": [f"{pool.KIND_LABEL}={pool.kind(box)}"]})] == [other]
    finally:
        _clear(client, box)


@pytest.mark.serial  # alone: another test's check of the same kind could take what the first check left
def test_a_check_leaves_a_sandbox_for_the_next_which_takes_it(docker_backend, registry, lessons, no_leftovers):
    """The command line's check starts the next sandboxes after its verdict, in a process of its own, and
    returns at once; the next check takes one for each of its scenarios' runs (the engine's events name the
    process that took them)."""
    client = docker_backend.client
    image = docker_backend.image(registry.get("python"))

    def check() -> int:
        since = time.time() - 1
        done = subprocess.Popen([sys.executable, "-m", "invoke", "check", "gather", "--lang", "python", "--file",
                                 str(ROOT / "python" / "gather.py")], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        out, err = done.communicate(timeout=120)
        assert done.returncode == 0 and "PASS" in out, out + err
        events = client.events(since=since, until=time.time() + 1, decode=True,
                               filters={"type": "container", "event": "rename"})
        return sum(f"_{done.pid}_" in e["Actor"]["Attributes"].get("name", "") for e in events)

    def waiting() -> int:
        return len([c for c in listed(client, {"label": [pool.KIND_LABEL], "name": [pool.PREFIX], "status": ["running"]})
                    if c["Image"] == image])

    check()
    deadline = time.monotonic() + 20
    while waiting() < pool.SIZE and time.monotonic() < deadline:
        time.sleep(0.2)
    assert waiting() >= pool.SIZE, "no sandboxes were started ahead for the next check"
    runs = min(pool.SIZE, len(lessons["gather"].scenarios))  # its scenarios run side by side, each in a sandbox
    assert check() == runs, "the second check did not take the sandboxes started ahead"
