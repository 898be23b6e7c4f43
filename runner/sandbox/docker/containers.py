"""One hardened container: what it runs with (Sandbox), its creation with every limit, and its end
(killed, removed - even when Ctrl-C is pressed meanwhile); the containers the engine lists."""
from __future__ import annotations

import io
import signal
import tarfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import docker.errors
import docker.types
import requests.exceptions

from runner.sandbox.docker.images import image_missing
from runner.sandbox.docker.output import MARK


# A build yields the CPU to programs being timed (a weight of 1/8 against theirs), so that checks
# started together in a classroom keep their time stamps.
BUILD_CPU_SHARES = 128
# A lesson's service (the API a program asks) answers within the program's own timing: on a busy machine
# it gets twice a program's weight, so that a program's deadline is not run out by a starved server.
SERVICE_CPU_SHARES = 2048


@dataclass(frozen=True)
class Sandbox:
    """One hardened container run: what to run, in what, with which limits."""

    image: str
    command: list[str]
    labels: dict[str, str]
    env: dict[str, str] = field(default_factory=dict)
    memory_mb: int = 256
    pids: int = 64
    timeout: float = 10.0
    output_limit: int = 1_000_000  # bytes of stdout and stderr together
    volume: str | None = None  # mounted at /job
    files: dict[str, bytes] | None = None  # or these, written under /job by the wrapper (no volume then)
    volume_writable: bool = False  # only a build writes there; a run reads its program
    network: str = "none"
    user: str = "1000:1000"
    cpu_shares: int | None = None  # CPU weight against other containers (the engine's default: 1024)


def create(client, box: Sandbox, command: list[str], name: str | None = None, stdin: bool = False):
    """A container for the sandbox, not started, that runs `command` (its wrapper, with the box's own);
    with a name, one the engine removes when it ends (a long-lived one), unless it reads `stdin` (a sandbox
    started ahead: its run needs its state after its end)."""
    try:
        return client.containers.create(
            box.image,
            command,
            name=name,
            auto_remove=name is not None and not stdin,
            stdin_open=stdin,  # closed when the one attach that writes it ends (the SDK sets StdinOnce)
            environment={**box.env, "MARK": MARK, "HOME": "/tmp"},
            user=box.user,
            working_dir="/work",
            labels=box.labels,
            network_mode=box.network,
            read_only=True,
            tmpfs={"/tmp": "rw,nosuid,size=256m", "/work": "rw,nosuid,size=64m,uid=1000,gid=1000,mode=0755",
                   **({"/job": "rw,nosuid,size=16m,uid=1000,gid=1000,mode=0755"} if box.files is not None else {})},
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            mem_limit=f"{box.memory_mb}m",
            memswap_limit=f"{box.memory_mb}m",
            pids_limit=box.pids,
            cpu_shares=box.cpu_shares,
            # A crash writes no core file: it would fill /work's memory and tell a learner nothing.
            ulimits=[docker.types.Ulimit(name="core", soft=0, hard=0)],
            volumes={box.volume: {"bind": "/job", "mode": "rw" if box.volume_writable else "ro"}}
            if box.volume
            else None,
        )
    except docker.errors.ImageNotFound:
        raise image_missing(box.image) from None


_deferred: list[bool] | None = None  # Ctrl-C presses put off while a cleanup runs


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Finish a cleanup even if Ctrl-C is pressed again meanwhile; the interrupt is raised after it."""
    global _deferred
    if _deferred is not None or threading.current_thread() is not threading.main_thread():
        yield  # inside a cleanup already, or not the thread that Ctrl-C interrupts
        return
    _deferred = []
    previous = signal.signal(signal.SIGINT, lambda *_: _deferred.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        pressed, _deferred = bool(_deferred), None
    if pressed:
        raise KeyboardInterrupt


def remove(container) -> None:
    """Remove a container, whatever state it is in; a lost engine is reported by the next call."""
    remove_id(container.client, container.id)


def remove_id(client, container_id: str) -> None:
    """Remove a container by id; one already gone, or whose removal another process (a run's own cleanup,
    another `invoke clean`) has under way, counts as removed."""
    with uninterrupted():
        try:
            client.api.remove_container(container_id, force=True)
        except (docker.errors.NotFound, requests.exceptions.ConnectionError):
            pass
        except docker.errors.APIError as exc:
            if exc.status_code != 409 or "already in progress" not in str(exc.explanation):
                raise


def kill(container, how: str = "SIGKILL") -> None:
    try:
        container.kill(signal=how)
    except (docker.errors.APIError, requests.exceptions.ConnectionError):
        pass  # it had already stopped, or the engine has gone (the next call says so)


def kill_id(client, container_id: str) -> None:
    try:
        client.api.kill(container_id)
    except (docker.errors.APIError, requests.exceptions.ConnectionError):
        pass  # it had already stopped, or the engine has gone (the next call says so)


def listed(client, filters: dict) -> list[dict]:
    """The containers that match, as the engine lists them. (The SDK's `containers.list` asks for each
    one again, and fails when one goes away meanwhile, as short-lived containers of other runs do.)"""
    return client.api.containers(all=True, filters=filters)


def name_of(container: dict) -> str:
    """The name of a container as `listed` gives it."""
    return (container.get("Names") or ["/" + container["Id"][:12]])[0].lstrip("/")


def archive(files: dict[str, bytes], folders: tuple[str, ...]) -> bytes:
    """A tar of empty folders and files, as the engine copies into a container."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for folder in folders:
            info = tarfile.TarInfo(folder)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o777, time.time()
            tar.addfile(info)
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, time.time()
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
