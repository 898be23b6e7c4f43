"""A fresh run: one program in a hardened container of its own, run to its end, its time limit or its
output limit, then removed."""
from __future__ import annotations

import socket
import time

import docker.errors
import requests.exceptions
from docker.utils.socket import demux_adaptor, frames_iter

from runner.sandbox.backend import Outcome
from runner.sandbox.docker import pool
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


def _ended(container, reader: OutputReader, box: Sandbox, started: float) -> Outcome:
    """How the program that began at `started` ended: waited for up to its time limit, then stopped."""
    exit_code, timed_out = _wait(container, max(box.timeout - (time.monotonic() - started), 0.1))
    wall_ms = (time.monotonic() - started) * 1000
    reader.join(timeout=10)
    container.reload()
    return outcome_of(reader, exit_code, timed_out, wall_ms, bool(container.attrs["State"].get("OOMKilled")))


def _run_started(client, box: Sandbox, container_id: str) -> Outcome | None:
    """Run the program in a sandbox started ahead of time (runner/sandbox/docker/pool.py), then remove it;
    None if it went away before the program could start (then nothing ran)."""
    container = client.containers.prepare_model({"Id": container_id})
    try:
        try:
            sock = client.api.attach_socket(container_id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
        except (docker.errors.APIError, requests.exceptions.ConnectionError):
            return None
        try:
            frames = (demux_adaptor(*frame) for frame in frames_iter(sock, tty=False))
            reader = OutputReader(frames, box.output_limit, lambda: kill(container))
            raw = getattr(sock, "_sock", sock)
            started = time.monotonic()
            # Its line goes through the attach that carries its output: not a byte can come before it.
            raw.sendall(pool.run_line(box))
            raw.shutdown(socket.SHUT_WR)  # the program's stdin ends there, as a fresh sandbox's is empty
            reader.start()
            return _ended(container, reader, box, started)
        finally:
            sock.close()
    finally:
        remove(container)


def run_sandboxed(client, box: Sandbox, started_ahead: pool.Pool | None = None) -> Outcome:
    """Run one hardened container to its end, its time limit or its output limit, then remove it. With
    `started_ahead`, a sandbox of the kind started ahead of time is taken if one waits, and the kind is
    noted for the next runs."""
    with doing(f"running a program in {box.image}"):
        if started_ahead is not None and pool.fits(box):
            started_ahead.used(box)
            if (taken := pool.take(client, box)) and (outcome := _run_started(client, box, taken)):
                return outcome
        container = create(client, box, _command(box))
        try:
            # Attached before the container starts, so that not a byte is missed.
            stream = client.api.attach(container.id, stdout=True, stderr=True, stream=True, logs=True, demux=True)
            reader = OutputReader(stream, box.output_limit, lambda: kill(container))
            started = time.monotonic()
            container.start()
            reader.start()
            # The program may have begun before the start call returned: its time counts from the call.
            return _ended(container, reader, box, started)
        finally:
            remove(container)
