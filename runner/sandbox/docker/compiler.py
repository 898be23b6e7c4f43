"""The compiler server: for a language with `compiler_server` (C#: Roslyn's VBCSCompiler), one long-lived
hardened container per language and image, with no network, in which the compiler stays warm between
builds and between invocations of the kit, as `dotnet build`'s own server does on a desktop. Each build is
an exec of compiler_build.sh in a job folder of its own; the container ends itself after idle minutes.
Compiling runs none of the learner's code (build.sh sends a source that could run commands back to a
container of its own), and every program still runs in a container of its own."""
from __future__ import annotations

import base64
import os
import time
import uuid

import docker.errors

from runner.sandbox.backend import Outcome, fill_env
from runner.sandbox.docker.archives import tar_files
from runner.sandbox.docker.connection import doing
from runner.sandbox.docker.containers import BUILD_CPU_SHARES, Sandbox, create, remove_id
from runner.sandbox.docker.labels import KIT, KIT_LABEL, LANGUAGE_LABEL, PHASE_LABEL
from runner.sandbox.docker.output import OutputReader
from runner.sandbox.docker.scripts import COMPILER_BUILD, COMPILER_INIT, INLINE_LIMIT
from runner.model.languages import Language

PHASE = "compiler"  # the phase label of a compiler server's container
SWITCH = "ASYNC_ROSETTA_COMPILER_SERVER"  # "off": every build in a container of its own
START_TRIES = 6  # another process may start, or the idle end remove, the same server meanwhile
KILLED = 137  # what `timeout -s KILL` leaves when the build ran out of time
NOT_STARTED = (125, 126, 127)  # compiler_build.sh could not write the source, or the exec could not run at all
SANDBOX_USER = "1000:1000"


class ServerUnavailable(Exception):
    """The compiler server could not build this source: it is built in a container of its own instead."""


def enabled(language: Language) -> bool:
    return language.compiler_server is not None and os.environ.get(SWITCH, "").lower() != "off"


def server_name(language: str, image_id: str) -> str:
    """The server's container name: one per language and image (the image's id names the toolchain)."""
    return f"async-rosetta-compiler-{language}-{image_id.split(':')[-1][:12]}"


def stop_server(client, language: str, image_id: str) -> None:
    remove_id(client, server_name(language, image_id))


def ensure_server(client, language: Language, image: str, name: str) -> str:
    """The id of the server's container, started unless it runs already (started by this or another process)."""
    box = Sandbox(image=image, command=[], labels={KIT_LABEL: KIT, PHASE_LABEL: PHASE, LANGUAGE_LABEL: language.name},
                  env=fill_env(language.env, "/tmp"), memory_mb=language.build_limits.memory_mb,
                  pids=language.build_limits.pids, cpu_shares=BUILD_CPU_SHARES)
    idle = str(language.compiler_server.idle_seconds)
    with doing(f"starting the compiler server of {image}"):
        for attempt in range(START_TRIES):
            time.sleep(attempt * 0.25)
            try:
                found = client.api.inspect_container(name)
                if found["State"].get("Running"):
                    return found["Id"]
                remove_id(client, found["Id"])  # ended (idle, `invoke clean`) and not removed yet
                continue
            except docker.errors.NotFound:
                pass
            except docker.errors.APIError as exc:
                if exc.status_code != 409:  # 409: its removal is under way
                    raise
                continue
            try:
                container = create(client, box, ["sh", "-c", COMPILER_INIT, "sh", idle], name=name)
                container.start()
                return container.id
            except docker.errors.APIError as exc:
                if exc.status_code != 409:  # 409: another process created or started it meanwhile
                    raise
    raise ServerUnavailable(f"the compiler server {name} could not be started")


def build(client, language: Language, image: str, image_id: str, source: bytes, filename: str,
          timeout: float, output_limit: int) -> tuple[Outcome, dict[str, bytes]]:
    """Compile `source` in the language's compiler server: how the build ended and the program's files (as a
    build in a container of its own makes them). Raises ServerUnavailable when it must be built there."""
    text = base64.b64encode(source).decode()
    if len(text) > INLINE_LIMIT:
        raise ServerUnavailable("the source is too big to travel as an argument")
    name, job = server_name(language.name, image_id), uuid.uuid4().hex[:12]
    command = language.command(language.build, f"/work/jobs/{job}/src/{filename}", f"/work/jobs/{job}/build")
    env = {**fill_env(language.env, "/tmp"), "HOME": "/tmp", "COMPILER_SERVER": str(language.compiler_server.idle_seconds),
           "FRESH_EXIT": str(language.compiler_server.fresh_exit)}
    started = time.monotonic()
    server = ensure_server(client, language, image, name)  # by its id: another may take the name meanwhile
    try:
        with doing(f"building in the compiler server of {image}"):
            exec_id = client.api.exec_create(server, ["sh", "-c", COMPILER_BUILD, "sh", job, filename, text,
                                                    str(max(1, round(timeout))), *command],
                                             stdout=True, stderr=True, environment=env, workdir="/work",
                                             user=SANDBOX_USER)["Id"]
            reader = OutputReader(client.api.exec_start(exec_id, stream=True, demux=True), output_limit,
                                  lambda: None)
            reader.start()
            reader.join(timeout + 10)  # its own `timeout` ends it first
            exit_code = None if reader.is_alive() else client.api.exec_inspect(exec_id).get("ExitCode")
            if exit_code != 0 and not client.api.inspect_container(server)["State"].get("Running"):
                raise ServerUnavailable(f"the compiler server {name} ended during the build")
    except docker.errors.APIError as exc:  # the server ended (idle, `invoke clean`) between the two calls
        raise ServerUnavailable(f"the compiler server {name}: {exc.explanation or exc}") from None
    wall_ms = (time.monotonic() - started) * 1000
    timed_out = exit_code == KILLED and wall_ms >= timeout * 1000 * 0.99
    # Left to a container of its own; or not a verdict on the source: the exec could not start or was killed
    # before its time (the server stopped meanwhile, out of memory), or it failed without a word. The build
    # goes to a container of its own, whose verdict stands alone.
    if exit_code is None or exit_code == language.compiler_server.fresh_exit or (exit_code == 0 and reader.truncated) \
            or exit_code in NOT_STARTED or (exit_code == KILLED and not timed_out) \
            or (exit_code != 0 and not (reader.out + reader.err).strip()):
        raise ServerUnavailable(f"the compiler server {name} did not build {filename} (exit code {exit_code})")
    files = tar_files(base64.b64decode(bytes(reader.out))) if exit_code == 0 else {}
    # The compiler's words name the source where a build in a container of its own has it: /job/src/.
    said = reader.err.decode("utf-8", "replace").replace(f"/work/jobs/{job}/", "/job/")
    outcome = Outcome(exit_code=exit_code, stdout="", stderr=said,
                      timed_out=timed_out, oom=False,
                      truncated=reader.truncated, process_ms=None, wall_ms=wall_ms, peak_memory_bytes=None)
    return outcome, files
