"""Warm containers: one hardened container kept up while examples run in it one after another, each as
an exec of exec_wrapper.sh that leaves nothing behind for the next."""
from __future__ import annotations

import time
from dataclasses import dataclass, replace

import docker.errors

from runner import KitError
from runner.sandbox.backend import Outcome
from runner.sandbox.docker.connection import doing
from runner.sandbox.docker.containers import Sandbox, archive, create, kill_id, remove, remove_id, uninterrupted
from runner.sandbox.docker.labels import PHASE_LABEL
from runner.sandbox.docker.output import MARK, OutputReader, outcome_of
from runner.sandbox.docker.scripts import EXEC_WRAPPER, GRACE, WARM_INIT, file_arguments
from runner.sandbox.docker.volumes import create_volume, remove_volume

STOP_WAIT = 3.0  # seconds a warm container's `kill -1` has to end a run, before the container itself is killed
# An exec's output stream may be joined to its process only after the process has begun writing, and the
# engine drops what came before (seen here under load: a JavaScript example's first two lines, printed at
# 0.0 s, missing from an `ok` run; moby/moby#27289). So the wrapper says READY until the host has read it
# and said go (the file /work/RUN.go); the program starts after that, its clock too.
READY_WAIT = 10.0  # seconds to wait for the wrapper's READY (it gives up after 8 s: exec_wrapper.sh)


@dataclass(frozen=True)
class Warm:
    """A hardened container that stays up while examples run in it one after another (`run_warm`), with
    the volume they read their files from and a container, never started, through which the kit writes
    that volume (the warm one mounts it read-only)."""

    container: str
    feeder: str
    volume: str
    box: Sandbox  # the image, limits and labels it was started with


class WarmBroken(KitError):
    """A warm container that could not stop what ran in it: it must be replaced. When the kit stopped the
    program by killing the whole container, `outcome` is the run's (its verdict stands)."""

    def __init__(self, message: str, outcome: Outcome | None = None):
        super().__init__(message)
        self.outcome = outcome


def start_warm(client, box: Sandbox) -> Warm:
    """Start a warm container with the sandbox's image, limits, network and labels."""
    volume = create_volume(client, box.labels)
    container = feeder = None
    try:
        with doing(f"starting a warm container of {box.image}"):
            feeder = client.containers.create(box.image, ["true"], labels={**box.labels, PHASE_LABEL: "copy"},
                                              network_mode="none", volumes={volume: {"bind": "/job", "mode": "rw"}})
            container = create(client, replace(box, volume=volume, volume_writable=False), ["sh", "-c", WARM_INIT])
            container.start()
        return Warm(container.id, feeder.id, volume, box)
    except BaseException:
        with uninterrupted():
            for made in (container, feeder):
                if made is not None:
                    remove(made)
            remove_volume(client, volume)
        raise


def stop_warm(client, *warms: Warm) -> None:
    """Remove warm containers, their feeders and volumes, all of them even if Ctrl-C is pressed meanwhile;
    quiet when the engine has gone."""
    with uninterrupted():
        for warm in warms:
            for container_id in (warm.container, warm.feeder):
                remove_id(client, container_id)
            remove_volume(client, warm.volume)


def _exec(client, warm: Warm, command: list[str]) -> None:
    """Start a short command in a warm container as the sandbox's user, without waiting for it (under a fork
    bomb it may wait long for a process slot: the caller watches the run's end instead); quiet when it
    cannot start."""
    try:
        exec_id = client.api.exec_create(warm.container, command, user=warm.box.user)["Id"]
        client.api.exec_start(exec_id, detach=True)
    except docker.errors.APIError:
        pass


def _go(client, warm: Warm, run: str) -> None:
    """Tell a run's wrapper, which has said READY, to start the program: a file that names this process, so
    that the wrapper waits for it to be gone (the program must find no process but its own)."""
    word = f'echo $$ > /work/{run}.go.new && mv /work/{run}.go.new /work/{run}.go'
    try:
        exec_id = client.api.exec_create(warm.container, ["sh", "-c", word], user=warm.box.user)["Id"]
        client.api.exec_start(exec_id, detach=True)
    except docker.errors.APIError as exc:
        raise WarmBroken(f"a warm container of {warm.box.image} could not be told to start a run: {exc}") from exc


def inline_folder(run: str) -> str:
    """Where `run_warm` writes the files it is given for a run."""
    return f"/work/{run}.files"


def copy_to_warm(client, warm: Warm, job: str, files: dict[str, bytes]) -> str:
    """Copy files too big for `run_warm`'s arguments into the warm container's volume; their folder there
    (read-only to the programs)."""
    with doing(f"copying an example into a warm container of {warm.box.image}"):
        client.api.put_archive(warm.feeder, "/job", archive({f"{job}/{n}": d for n, d in files.items()},
                                                            (job, f"{job}/src", f"{job}/build")))
    return f"/job/{job}"


def run_warm(client, warm: Warm, run: str, command: list[str], env: dict[str, str], timeout: float,
             output_limit: int, files: dict[str, bytes] | None = None) -> Outcome:
    """Run one program in a warm container: the files given written under `inline_folder(run)` (see
    `scripts.fits_inline`); a working folder /work/RUN of its own; its processes killed after it. Raises
    WarmBroken if a process could not be stopped."""
    with doing(f"running a program in a warm container of {warm.box.image}"):
        exec_id = client.api.exec_create(
            warm.container, ["sh", "-c", EXEC_WRAPPER, "sh", run, *file_arguments(files or {}), *command],
            stdout=True, stderr=True, environment={**env, "MARK": MARK, "HOME": "/tmp"}, workdir="/work",
            user=warm.box.user)["Id"]
        stop_all = ["sh", "-c", "kill -KILL -1 2>/dev/null; true"]
        stream = client.api.exec_start(exec_id, stream=True, demux=True)
        reader = OutputReader(stream, output_limit, lambda: _exec(client, warm, stop_all), handshake=True)
        reader.start()
        if not reader.ready.wait(READY_WAIT):
            raise WarmBroken(f"a warm container of {warm.box.image} sent nothing of a run's output within "
                             f"{READY_WAIT:g}s")
        _go(client, warm, run)
        started = time.monotonic()
        reader.join(timeout)
        timed_out = reader.is_alive()
        if timed_out:  # the wrapper kills the program and reports what it measured
            _exec(client, warm, ["sh", "-c", f'kill -TERM "$(cat /work/{run}.pid)" 2>/dev/null; true'])
            reader.join(GRACE)
            if reader.is_alive():
                _exec(client, warm, stop_all)
                reader.join(STOP_WAIT)
            if reader.is_alive():  # not even a `kill` could start in it: the whole container goes
                kill_id(client, warm.container)
                reader.join(10)
                if not reader.is_alive():
                    stopped = outcome_of(reader, None, True, (time.monotonic() - started) * 1000)
                    raise WarmBroken(f"a program in a warm container of {warm.box.image} was stopped only by "
                                     "killing the container", stopped)
        wall_ms = (time.monotonic() - started) * 1000
        if reader.is_alive():
            raise WarmBroken(f"a program in a warm container of {warm.box.image} could not be stopped")
        exit_code = client.api.exec_inspect(exec_id).get("ExitCode")
    return outcome_of(reader, exit_code, timed_out, wall_ms)
