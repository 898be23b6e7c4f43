"""The classroom's queue on Redis (`invoke classroom --queue`, `invoke worker`): a real redis-server of the test's own
on a free port of 127.0.0.1 (with a password, no persistence), a real classroom, real workers, real checks in Docker.
Every process a test starts is killed when it ends, passed or not."""
from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from runner import ROOT
from runner.sandbox.run_context import OWNER_VARIABLE
from tests.conftest import unavailable
from tests.test_classroom import KITCHEN_RIGHT, KITCHEN_STARTER, start_classroom

PASSWORD = "a-room-secret"
START_WITHIN = 60  # seconds for a worker to load the kit and find its engine on a busy machine


@dataclass
class Worker:
    """`invoke worker` in a process of its own; a thread keeps what it writes (its log, on stderr)."""

    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)

    def log(self) -> str:
        return "".join(self.lines)

    def horses(self) -> list[int]:
        """RQ's work horse: the process it forks for the check it is doing, if any."""
        return children(self.process.pid)

    def stop(self) -> str:
        """Ctrl-C (RQ's warm shutdown); its log."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.log()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(entry.name))
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def started():
    """Every process the test starts, killed at its end (a worker's work horse first), whatever happened."""
    processes: list[subprocess.Popen] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            for horse in children(process.pid):
                _kill_group(horse)
            process.kill()
        process.wait()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)  # RQ's horse leads a process group of its own
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture
def queue_url(tmp_path, started):
    """A redis-server of this test's own, with a password and nothing written to disk: its URL."""
    server = shutil.which("redis-server")
    if server is None:
        unavailable("no redis-server here (Debian: `apt-get install redis-server`, which ./bootstrap does)")
    try:
        import rq  # noqa: F401
    except ImportError:
        unavailable("no RQ here (Debian: `apt-get install python3-rq`, which ./bootstrap does)")
    port = free_port()
    started.append(subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                     "no", "--dir", str(tmp_path), "--requirepass", PASSWORD],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline and started[-1].poll() is None, "redis-server did not start"
            time.sleep(0.05)
    return f"redis://:{PASSWORD}@127.0.0.1:{port}/0"


def start_workers(url: str, started: list, count: int = 2, own_owner: bool = False) -> list[Worker]:
    """`count` workers serving `url`, each ready. `own_owner`: what their checks start on the engine is labelled
    with their own processes (a killed one's can then be removed)."""
    env = dict(os.environ)
    if own_owner:
        env.pop(OWNER_VARIABLE, None)
    workers = []
    for _ in range(count):
        process = subprocess.Popen([sys.executable, "-m", "invoke", "worker", "--queue", url], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        started.append(process)
        worker = Worker(process)
        threading.Thread(target=lambda w=worker: w.lines.extend(iter(w.process.stderr.readline, "")),
                         daemon=True).start()
        workers.append(worker)
    deadline = time.monotonic() + START_WITHIN
    while not all("runs the checks of" in w.log() for w in workers):
        assert all(w.process.poll() is None for w in workers), [w.log() for w in workers]
        assert time.monotonic() < deadline, f"no start within {START_WITHIN} s: {[w.log() for w in workers]}"
        time.sleep(0.05)
    return workers


def wait_for(what, seconds: float, why: str):
    deadline = time.monotonic() + seconds
    while not (found := what()):
        assert time.monotonic() < deadline, why
        time.sleep(0.02)
    return found


def took(worker: Worker, check: int) -> int:
    """How many lines of the worker's log name the check (or run): two (taken, done) for each time it took it."""
    return len(re.findall(rf" (?:check|run) {check} of room ", worker.log()))


def remove_leftovers_of(*pids: int) -> None:
    """What killed processes had started on the engine (their runs' containers, the sandboxes started ahead that
    they took), as `invoke clean` removes it once its owner is gone."""
    from runner.sandbox.docker.connection import connect
    from runner.sandbox.docker.labels import OWNER_LABEL
    from runner.sandbox.docker.reaper import remove_leftovers

    owners = {f"{platform.node()}:{pid}" for pid in pids}
    remove_leftovers(connect(), spare=lambda labels: labels.get(OWNER_LABEL) not in owners)


def nothing_left(url: str) -> None:
    """The Redis holds no job of the classroom's: none queued, none started, none failed or finished."""
    from redis import Redis
    from rq import Queue
    from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

    queue = Queue("async-rosetta", connection=Redis.from_url(url))
    assert [len(queue), *(len(r(queue=queue)) for r in (StartedJobRegistry, FailedJobRegistry, FinishedJobRegistry))] \
        == [0, 0, 0, 0]


@pytest.mark.slow
def test_a_learner_s_checks_and_runs_are_done_by_the_workers_and_none_by_the_server(tmp_path, docker_backend, queue_url,
                                                                                  started, record):
    workers = start_workers(queue_url, started)
    # The server has no engine at all: each verdict it keeps was made by a worker.
    room = start_classroom(tmp_path / "room.sqlite", queue=queue_url, env={"DOCKER_HOST": "unix:///nonexistent.sock"})
    started.append(room.process)
    token = room.join("Ada")
    wrong = room.submit(token, "kitchen", "python", KITCHEN_STARTER)
    with sqlite3.connect(room.db) as db:  # on disk before a worker had it
        assert db.execute("SELECT source FROM submissions WHERE id = ?", (wrong,)).fetchone()[0] == KITCHEN_STARTER
    verdict = room.verdict(token, wrong)["verdict"]
    assert verdict["passed"] is False and verdict["status"] == "wrong" and verdict["lesson"] == "kitchen"
    assert any("a right solution" in message for message in verdict["messages"]), verdict["messages"]
    began = time.monotonic()
    right = room.verdict(token, room.submit(token, "kitchen", "python", KITCHEN_RIGHT))
    record(f"queue on Redis, 2 workers: kitchen in Python, time to verdict {time.monotonic() - began:.2f} s")
    assert right["verdict"]["passed"] is True and right["verdict"]["file"] == "kitchen.py"
    assert right["run_ms"] == right["verdict"]["run"]["run_ms"] >= 1900 and right["position"] is None
    ran = room.call("POST", "/api/runs", {"lesson": "gather", "language": "python",
                                          "source": (ROOT / "python" / "gather.py").read_text()}, token)
    assert ran.status == 202 and ran.body["position"] >= 1, ran
    outcome = room.verdict(token, ran.body["id"])["verdict"]
    assert outcome["passed"] is True and outcome["run"]["stdout"] and outcome["file"] == "gather.py"
    for check in (wrong, right["id"], ran.body["id"]):  # each taken by one worker, once
        assert sorted(took(worker, check) for worker in workers) == [0, 2], [w.log() for w in workers]
    cell = room.call("GET", "/api/progress", token=room.secret).body["learners"][0]["cells"]["kitchen"]
    assert cell["tries"] == 2 and cell["passed"] is True
    assert "Traceback" not in room.stop()
    for worker in workers:
        log = worker.stop()
        assert worker.process.returncode == 0 and "stopped" in log and "Traceback" not in log, log
        assert PASSWORD not in log
    nothing_left(queue_url)


@pytest.mark.slow
def test_a_worker_killed_mid_check_loses_no_submission(tmp_path, docker_backend, queue_url, started, record):
    workers = start_workers(queue_url, started, own_owner=True)
    room = start_classroom(tmp_path / "room.sqlite", queue=queue_url)
    started.append(room.process)
    ada = room.join("Ada")
    check = room.submit(ada, "kitchen", "python", KITCHEN_RIGHT)
    busy = wait_for(lambda: [w for w in workers if w.horses()], 60, "no worker took the check")[0]
    horse = busy.horses()[0]
    try:
        wait_for(lambda: room.call("GET", f"/api/checks/{check}", token=ada).body["state"] == "running", 10,
                 "the classroom never saw the check start")
        busy.process.kill()  # the worker's machine went away: the worker, and the check it was doing
        _kill_group(horse)
        killed = time.monotonic()
        done = room.verdict(ada, check)
        record(f"queue on Redis: a worker killed mid-check, its check done {time.monotonic() - killed:.1f} s later")
    finally:
        remove_leftovers_of(busy.process.pid, horse)
    told = done["verdict"]["messages"][0]
    assert done["verdict"]["passed"] is True or told.startswith("the worker checking it stopped"), done["verdict"]
    other = next(w for w in workers if w is not busy)
    assert took(other, check) == (2 if done["verdict"]["passed"] else 0), other.log()
    with sqlite3.connect(room.db) as db:
        assert db.execute("SELECT DISTINCT state FROM submissions").fetchall() == [("done",)]
    assert "Traceback" not in room.stop()
    nothing_left(queue_url)


def test_a_check_whose_process_dies_twice_gets_an_error_verdict_that_says_so(tmp_path, docker_backend, queue_url,
                                                                            started):
    workers = start_workers(queue_url, started, own_owner=True)
    room = start_classroom(tmp_path / "room.sqlite", queue=queue_url)
    started.append(room.process)
    ada = room.join("Ada")
    check = room.submit(ada, "kitchen", "python", KITCHEN_RIGHT)
    killed: list[int] = []
    try:
        for times in (1, 2):  # RQ tries it once more after the first
            wait_for(lambda: sum(w.log().count(f"takes check {check} of room") for w in workers) == times, 60,
                     f"the check was not taken again: {[w.log() for w in workers]}")  # it runs: its job has begun
            killed.append(next(h for w in workers for h in w.horses() if h not in killed))
            _kill_group(killed[-1])
        verdict = room.verdict(ada, check)["verdict"]
    finally:
        remove_leftovers_of(*killed)
    assert verdict["passed"] is False and verdict["status"] == "error", verdict
    told = verdict["messages"][0]
    assert told.startswith("the worker checking it stopped: Work-horse terminated unexpectedly") and \
        "(signal 9)" in told and "tried twice" in told, told
    assert "Traceback" not in room.stop()
    for worker in workers:  # they lost a check, not their place
        assert worker.process.poll() is None and "Traceback" not in worker.stop()
    nothing_left(queue_url)


def test_checks_left_on_the_queue_when_the_classroom_stops_get_their_verdicts_when_it_starts_again(
        tmp_path, docker_backend, queue_url, started):
    from redis import Redis
    from rq import Queue

    first = start_classroom(tmp_path / "room.sqlite", queue=queue_url)  # no worker yet: the checks wait
    started.append(first.process)
    ada, bob = first.join("Ada"), first.join("Bob")
    kept = first.submit(ada, "kitchen", "python", KITCHEN_RIGHT)
    lost = first.submit(bob, "kitchen", "python", KITCHEN_RIGHT)
    assert [first.call("GET", f"/api/checks/{c}", token=t).body["position"] for c, t in ((kept, ada), (lost, bob))] \
        == [1, 2]
    assert "Traceback" not in first.stop()
    with sqlite3.connect(tmp_path / "room.sqlite") as db:
        job = db.execute("SELECT value FROM settings WHERE key = 'queue_prefix'").fetchone()[0] + str(lost)
    redis = Redis.from_url(queue_url)  # the Redis loses one of them (restarted without its data, say)
    Queue("async-rosetta", connection=redis).remove(job)
    redis.delete(f"rq:job:{job}")
    worker = start_workers(queue_url, started, count=1)[0]  # it does the other while no classroom is up
    wait_for(lambda: "-> passed" in worker.log(), 60, f"the worker did not check it: {worker.log()}")
    again = start_classroom(tmp_path / "room.sqlite", queue=queue_url)
    started.append(again.process)
    for check, token in ((kept, ada), (lost, bob)):
        done = again.verdict(token, check)
        assert done["verdict"]["passed"] is True and done["restarts"] == 1
        assert took(worker, check) == 2, worker.log()  # once each: the one on the queue was not sent again
    assert "Traceback" not in again.stop() and "Traceback" not in worker.stop()
    nothing_left(queue_url)


def test_a_bad_or_unreachable_queue_is_a_message_and_exit_status_2(tmp_path, queue_url):
    good = queue_url.removeprefix(f"redis://:{PASSWORD}@")
    cases = {  # the --queue, what the message must say
        "ftp://127.0.0.1:6379/0": "the scheme is 'ftp'",
        f"redis://127.0.0.1:{free_port()}/0": "no Redis answers there",
        "redis://127.0.0.1:port/0": "the port is not a number",
        f"redis://:wrong-one@{good}": "refused the password",
        f"redis://{good}": "needs a password",
    }
    db = ["--db", str(tmp_path / "room.sqlite")]
    runs = {(command, url): subprocess.Popen([sys.executable, "-m", "invoke", command, "--queue", url,
                                              *(db if command == "classroom" else [])],
                                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for command in ("classroom", "worker") for url in cases}
    for (command, url), process in runs.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 2, (command, url, out, err)
        assert cases[url] in err and "--queue" in err and "Traceback" not in err, (command, err)
        assert "wrong-one" not in err and out == "", err  # a password is never printed
