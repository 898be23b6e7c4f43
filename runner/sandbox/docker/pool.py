"""Sandboxes started ahead of time: a container's start is most of what the engine costs a run (0.2 s here,
more on a busy machine), so a run whose sandbox is of a kind the kit has started before takes one that
waits ready, and the kit starts the next one after the run, when nothing is being timed. Each is used by one
run only and removed after it, as a fresh sandbox is: it is one, started earlier, with every limit of the
run's own, no network and nothing of anyone else's in it. It waits for its run's line on stdin
(pool_init.sh) and ends itself after IDLE_SECONDS unused."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import re
import shlex
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Iterator

import docker.errors
import requests.exceptions

from runner import KitError
from runner.sandbox.cache import cache_dir
from runner.sandbox.docker.containers import Sandbox, create, listed, remove_id
from runner.sandbox.docker.labels import KIT, KIT_LABEL, LANGUAGE_LABEL, OWNER_LABEL, PHASE_LABEL, RUN_LABEL
from runner.sandbox.docker.scripts import POOL_INIT, file_arguments

PHASE = "pool"  # the phase label of a sandbox started ahead of time
KIND_LABEL = "org.async-rosetta.pool"  # what it was started with (`kind`): only a run of that kind takes it
PREFIX = "async-rosetta-pool-"  # the name of one that waits; a taken one is renamed TAKEN + its taker
TAKEN = "async-rosetta-taken-"
SIZE = 2  # waiting per kind: a check runs two scenarios side by side
IDLE_SECONDS = 900
SWITCH = "ASYNC_ROSETTA_POOL"  # "off": every run starts a container of its own, in its turn


def enabled() -> bool:
    return os.environ.get(SWITCH, "").lower() != "off"


def kind(box: Sandbox) -> str:
    """What a sandbox is started with, apart from its run: the image and every limit."""
    made = [box.image, box.memory_mb, box.pids, box.user, box.cpu_shares, box.network]
    return hashlib.sha256(json.dumps(made).encode()).hexdigest()[:16]


def fits(box: Sandbox) -> bool:
    """Whether a run can take a sandbox started ahead: no network of another container's (a service's), its
    files in its line, not a volume, and no word with a line break (the line is one line)."""
    words = [*box.env.values(), *box.env, *box.command, *(box.files or {})]
    return enabled() and box.network == "none" and box.volume is None and box.files is not None \
        and not any("\n" in word for word in words)


def run_line(box: Sandbox) -> bytes:
    """The line a taken sandbox waits for (pool_init.sh): the run's environment, `--`, its files and command."""
    words = [f"{name}={value}" for name, value in box.env.items()] + ["--"] + file_arguments(box.files) + box.command
    return (" ".join(shlex.quote(word) for word in words) + "\n").encode()


def _waiting_box(box: Sandbox) -> Sandbox:
    """The sandbox as it is started ahead: no run's labels or environment (its line brings those)."""
    labels = {KIT_LABEL: KIT, PHASE_LABEL: PHASE, KIND_LABEL: kind(box)}
    if language := box.labels.get(LANGUAGE_LABEL):
        labels[LANGUAGE_LABEL] = language
    return replace(box, labels=labels, env={}, files={})


@contextmanager
def _taking() -> Iterator[None]:
    """One process at a time picks a waiting sandbox and renames it taken (two could rename the same one)."""
    with open(cache_dir() / "pool.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _word(text: str) -> str:
    """A part of a container's name: letters, digits and '-' only ('_' joins the parts)."""
    return re.sub(r"[^a-zA-Z0-9-]", "-", text)


def taken_name(run: str) -> str:
    """The name a sandbox takes when this process takes it for `run` (a run's id): the reaper spares it
    while this process runs, and `remove_taken` finds the run's."""
    return f"{TAKEN}{_word(platform.node())}_{os.getpid()}_{_word(run)}_{uuid.uuid4().hex[:8]}"


def waits(container: dict) -> bool:
    """Whether a container the engine lists is a sandbox started ahead that waits for a run (not left behind:
    the reaper spares it; one that ended is removed)."""
    names = [name.lstrip("/") for name in container.get("Names") or []]
    return container.get("State") == "running" and any(name.startswith(PREFIX) for name in names)


def owner_of(container: dict) -> dict[str, str]:
    """A taken sandbox's owner label, read from its name, for the reaper (a run's own containers carry
    theirs); nothing for any other container."""
    for name in (name.lstrip("/") for name in container.get("Names") or []):
        parts = name.removeprefix(TAKEN).split("_")
        if name.startswith(TAKEN) and len(parts) == 4 and parts[0] == _word(platform.node()) and parts[1].isdigit():
            return {OWNER_LABEL: f"{platform.node()}:{parts[1]}"}
    return {}


def take(client, box: Sandbox) -> str | None:
    """The id of a waiting sandbox of the box's kind, now this process's, for the box's run; None if none waits."""
    with _taking():
        for found in listed(client, {"label": [f"{KIND_LABEL}={kind(box)}"], "name": [PREFIX],
                                     "status": ["running"]}):
            try:
                client.api.rename(found["Id"], taken_name(box.labels.get(RUN_LABEL, "")))
                return found["Id"]
            except (docker.errors.APIError, requests.exceptions.ConnectionError):
                continue  # it ended (idle) or was removed meanwhile
    return None


def remove_taken(client, run: str) -> None:
    """Remove the sandboxes this process took for a run (for `abort`: they carry no run's labels)."""
    for found in listed(client, {"name": [f"{TAKEN}{_word(platform.node())}_{os.getpid()}_{_word(run)}_"]}):
        remove_id(client, found["Id"])


def fill(client, box: Sandbox, size: int = SIZE) -> int:
    """Start sandboxes of the box's kind until `size` wait (ended ones are removed); how many it started."""
    waiting = 0
    for found in listed(client, {"label": [f"{KIND_LABEL}={kind(box)}"], "name": [PREFIX]}):
        if found.get("State") == "running":
            waiting += 1
        else:
            remove_id(client, found["Id"])  # ended unused (idle), or never started
    started = 0
    for _ in range(size - waiting):
        container = create(client, _waiting_box(box), ["sh", "-c", POOL_INIT, "sh", str(IDLE_SECONDS)],
                           name=f"{PREFIX}{kind(box)}-{uuid.uuid4().hex[:8]}", stdin=True)
        try:
            container.start()
        except BaseException:
            remove_id(client, container.id)
            raise
        started += 1
    return started


@dataclass
class Pool:
    """The kinds of sandbox a backend's runs have used: the ones to start ahead for the next runs."""

    wanted: dict[str, Sandbox] = field(default_factory=dict)

    def used(self, box: Sandbox) -> None:
        self.wanted.setdefault(kind(box), box)

    def fill_all(self, client) -> None:
        """Start what the runs so far will want next; a failure is only a cold start later, never an error."""
        for box in list(self.wanted.values()):
            try:
                fill(client, box)
            except (KitError, docker.errors.DockerException, requests.exceptions.RequestException, OSError):
                pass  # the engine gone, the image removed...: the next run of the kind says so, if it must

    def fill_detached(self, connect) -> None:
        """`fill_all` in a child process of its own, so that this one can end at once (the command line's
        check): the child talks to the engine through a client of its own (`connect()`) and writes nowhere."""
        if not self.wanted:
            return
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() != 0:
            return
        try:  # the child: nothing of it may reach the terminal or a caller's pipes, or hold a parent's lock
            os.setsid()
            os.closerange(3, os.sysconf("SC_OPEN_MAX"))
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            self.fill_all(connect())
        finally:
            os._exit(0)
