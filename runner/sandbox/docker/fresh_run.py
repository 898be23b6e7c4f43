"""A fresh run: one program in a hardened container of its own, run to its end, its time limit or its
output limit, then removed."""
from __future__ import annotations

import time

import requests.exceptions

from runner.sandbox.backend import Outcome
from runner.sandbox.docker.connection import doing
from runner.sandbox.docker.containers import Sandbox, create, kill, remove
from runner.sandbox.docker.output import OutputReader, outcome_of
from runner.sandbox.docker.scripts import GRACE, WRAPPER, WRAPPER_WITH_FILES, file_arguments


def _command(box: Sandbox) -> list[str]:
    """The wrapper and the program's command; with the run's files first when they travel inline."""
    if box.files is None:
        return ["sh", "-c", WRAPPER, "sh", *box.command]
    return ["sh", "-c", WRAPPER_WITH_FILES, "sh", *file_arguments(box.files), *box.command]


def _wait(container, timeout: float) -> tuple[int | None, bool]:
    """The exit code, and whether the time limit ran out first (then the program was stopped)."""
    started = time.monotonic()
    try:
        return container.wait(timeout=timeout).get("StatusCode"), False
    except requests.exceptions.ReadTimeout:
        pass
    except requests.exceptions.ConnectionError:
        # The engine sends the answer's headers at once, so a timeout while reading the body comes
        # wrapped as a connection error; anything sooner is the engine going away.
        if time.monotonic() - started < timeout * 0.99:
            raise
    kill(container, "SIGTERM")  # the wrapper kills the program and reports what it measured
    try:
        return container.wait(timeout=GRACE).get("StatusCode"), True
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
        kill(container)
        return container.wait(timeout=30).get("StatusCode"), True


def run_sandboxed(client, box: Sandbox) -> Outcome:
    """Run one hardened container to its end, its time limit or its output limit, then remove it."""
    with doing(f"running a program in {box.image}"):
        container = create(client, box, _command(box))
        try:
            # Attached before the container starts, so that not a byte is missed.
            stream = client.api.attach(container.id, stdout=True, stderr=True, stream=True, logs=True, demux=True)
            reader = OutputReader(stream, box.output_limit, lambda: kill(container))
            started = time.monotonic()
            container.start()
            reader.start()
            # The program may have begun before the start call returned: its time counts from the call.
            exit_code, timed_out = _wait(container, max(box.timeout - (time.monotonic() - started), 0.1))
            wall_ms = (time.monotonic() - started) * 1000
            reader.join(timeout=10)
            container.reload()
            oom = bool(container.attrs["State"].get("OOMKilled"))
        finally:
            remove(container)
    return outcome_of(reader, exit_code, timed_out, wall_ms, oom)
