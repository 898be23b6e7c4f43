"""The one module that talks to Docker, through the Docker SDK for Python."""
from __future__ import annotations

import base64
import io
import ipaddress
import re
import signal
import tarfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

import docker
import docker.errors
import docker.types
import requests.exceptions

from runner import EnvironmentProblem, KitError
from runner.sandbox.backend import BackendUnavailable, Outcome
from runner.sandbox.docker.labels import LESSON_LABEL, RUN_LABEL  # noqa: F401 - the run and lesson of a container

KIT_LABEL = "org.async-rosetta.kit"
RECIPE_LABEL = "org.async-rosetta.recipe"
PHASE_LABEL = "org.async-rosetta.phase"  # copy, build, run, warm or service
MARK = "#async-rosetta#"

# PID 1 of every sandbox: runs the program, then reports on stderr what it measured - the program's
# wall time (from /proc/uptime, in centiseconds), the container's peak memory and how many times the
# pids limit refused a new process or thread (from the container's own cgroup, v2 or v1), and the machine's
# CPU pressure over the run (runner/sandbox/noise.py says why; microseconds): the container's own where cgroup v2
# keeps one, else the machine's. After the
# program it uses shell builtins only, so that it can still report when a bomb has used up every pid.
# SIGTERM (the host's timeout) makes it kill every other process and report; a host SIGKILL follows
# if it does not. The program runs in the background so that `wait` can be interrupted by the trap;
# `env --default-signal` undoes the SIGINT/SIGQUIT ignoring that sh gives background commands.
# _RUN_PROGRAM is the part of it that EXEC_WRAPPER (below) shares: start, time and stop the program.
_RUN_PROGRAM = r"""
trap 'kill -KILL -1 2>/dev/null; stopped=1' TERM
reset=; env --default-signal=INT,QUIT true 2>/dev/null && reset="env --default-signal=INT,QUIT"
pressure() { p=; for f in /sys/fs/cgroup/cpu.pressure /proc/pressure/cpu; do [ -r $f ] || continue
  while read -r kind _ _ _ total; do [ "$kind" = some ] && p=${total#total=}; done < $f 2>/dev/null
  [ -n "$p" ] && return; done; }
pressure; p0=$p
read s _ < /proc/uptime
$reset "$@" &
program=$!
wait $program 2>/dev/null; rc=$?
if [ -n "$stopped" ]; then wait $program 2>/dev/null; again=$?; [ $again -ne 127 ] && rc=$again; fi
read e _ < /proc/uptime
pressure; stall=; [ -n "$p0" ] && [ -n "$p" ] && stall=$(( p - p0 ))
"""
# The files of a run that travel as the command's arguments (see `fits_inline`): pairs of path and base64
# text up to a `--`, written under $files; then the command. (An argument costs nothing; a copy through the
# API costs a container made for it, some 0.1-0.9 s.)
_WRITE_FILES = r"""
while [ "$1" != -- ]; do
  case $1 in */*) mkdir -p "$files/${1%/*}" || exit 125 ;; esac
  printf '%s' "$2" | base64 -d > "$files/$1" || exit 125; shift 2
done; shift
"""
WRAPPER = _RUN_PROGRAM + r"""
peak=; for f in /sys/fs/cgroup/memory.peak /sys/fs/cgroup/memory/memory.max_usage_in_bytes; do
  if [ -r "$f" ]; then read -r peak < "$f"; break; fi; done
refused=; for f in /sys/fs/cgroup/pids.events /sys/fs/cgroup/pids/pids.events; do
  if [ -r "$f" ]; then while read -r key value; do [ "$key" = max ] && refused=$value; done < "$f"; break; fi; done
printf '\n%s rc=%s cs=%s peak=%s pidsmax=%s stall=%s\n' "$MARK" "$rc" "$(( ${e%.*}${e#*.} - ${s%.*}${s#*.} ))" \
  "$peak" "$refused" "$stall" >&2
exit $rc
"""
GRACE = 1.0  # seconds the wrapper has to stop the program and report before it is killed too

Progress = Callable[[str], None]


class EngineUnavailable(BackendUnavailable):
    """No Docker engine answers, or the one that did stopped answering."""


class ImageMissing(EnvironmentProblem):
    pass


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


def connect() -> docker.DockerClient:
    """A client for the engine that DOCKER_HOST or the default socket names."""
    try:
        client = docker.from_env(timeout=120)
        client.ping()
        return client
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise EngineUnavailable(
            f"no Docker engine answers ({exc}). Start one (Linux, as root: `dockerd &`; or Docker "
            "Desktop), or use the host's own toolchains with `--backend local`."
        ) from None


def _reason(exc: BaseException) -> str:
    """The root of a connection failure in a few words, e.g. 'Connection refused'."""
    if isinstance(exc, requests.exceptions.Timeout):
        return "it did not answer in time"
    stack = [exc]
    while stack:  # requests wraps urllib3's errors, which wrap the socket's
        item = stack.pop()
        if isinstance(item, OSError) and item.strerror:
            return item.strerror
        inner = (*getattr(item, "args", ()), getattr(item, "reason", None))
        stack += [cause for cause in inner if isinstance(cause, BaseException)]
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(exc))
    return found.group(1) if found else exc.__class__.__name__


def engine_lost(doing: str, exc: BaseException) -> EngineUnavailable:
    return EngineUnavailable(
        f"the Docker engine stopped answering while {doing} ({_reason(exc)}). Start it again (Linux, as "
        "root: `dockerd &`; or Docker Desktop) and run again, or use the host's own toolchains with "
        "`--backend local`. Containers and volumes it had started may remain: once it answers, "
        "`invoke clean` removes them.",
        summary="not run: the Docker engine stopped answering")


@contextmanager
def _engine(doing: str) -> Iterator[None]:
    """Turn a lost connection to the engine into EngineUnavailable, saying what the kit was doing."""
    try:
        yield
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
        raise engine_lost(doing, exc) from None


_deferred: list[bool] | None = None  # Ctrl-C presses put off while a cleanup runs


@contextmanager
def _uninterrupted() -> Iterator[None]:
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


def _remove(container) -> None:
    """Remove a container, whatever state it is in; a lost engine is reported by the next call."""
    _remove_id(container.client, container.id)


def _remove_id(client, container_id: str) -> None:
    with _uninterrupted():
        try:
            client.api.remove_container(container_id, force=True)
        except (docker.errors.NotFound, requests.exceptions.ConnectionError):
            pass


def _kill_id(client, container_id: str) -> None:
    try:
        client.api.kill(container_id)
    except (docker.errors.APIError, requests.exceptions.ConnectionError):
        pass  # it had already stopped, or the engine has gone (the next call says so)


def _containers(client, filters: dict) -> list[dict]:
    """The containers that match, as the engine lists them. (The SDK's `containers.list` asks for each
    one again, and fails when one goes away meanwhile, as short-lived containers of other runs do.)"""
    return client.api.containers(all=True, filters=filters)


def _name(container: dict) -> str:
    return (container.get("Names") or ["/" + container["Id"][:12]])[0].lstrip("/")


def engine_version(client) -> str:
    return client.version().get("Version", "?")


def image_id(client, tag: str) -> str | None:
    with _engine(f"looking for the image {tag}"):
        try:
            return client.images.get(tag).id
        except docker.errors.ImageNotFound:
            return None


def image_labels(client, tag: str) -> dict[str, str]:
    try:
        return client.images.get(tag).labels or {}
    except docker.errors.ImageNotFound:
        return {}


NO_REGISTRY = ("Without a registry, build the images offline with `invoke images --offline`, or load "
               "them with `invoke images --load FILE`.")


def pull(client, image: str, progress: Progress) -> None:
    repo, _, tag = image.rpartition(":") if ":" in image.split("/")[-1] else (image, "", "latest")
    try:
        for event in client.api.pull(repo, tag=tag, stream=True, decode=True):
            if "error" in event:
                raise EnvironmentProblem(f"pulling {image} failed: {event['error']}. {NO_REGISTRY}")
            status = event.get("status", "")
            detail = event.get("progress", "")
            progress(f"{image}: {status} {detail}".strip())
    except (docker.errors.APIError, requests.exceptions.RequestException) as exc:
        raise EnvironmentProblem(f"cannot pull {image}: {exc}. {NO_REGISTRY}") from None


def import_rootfs(client, tar_path: Path, tag: str, changes: list[str]) -> None:
    repo, _, version = tag.rpartition(":")
    client.api.import_image(src=str(tar_path), repository=repo, tag=version, changes=changes)


def build(client, context: io.BufferedIOBase, tag: str, progress: Progress) -> None:
    """Build an image from a tar stream that holds a Dockerfile and what it copies."""
    try:
        for event in client.api.build(
            fileobj=context, custom_context=True, tag=tag, rm=True, forcerm=True, decode=True
        ):
            if "error" in event:
                raise KitError(f"building {tag} failed: {event['error'].strip()}")
            if event.get("stream", "").strip():
                progress(f"{tag}: {event['stream'].strip()}")
    except docker.errors.APIError as exc:
        raise KitError(f"building {tag} failed: {exc}") from None


def save_images(client, tags: list[str], path: Path, progress: Progress) -> None:
    """All the images in one archive, so that layers they share are stored once."""
    response = client.api._get(client.api._url("/images/get"), params={"names": tags}, stream=True)
    client.api._raise_for_status(response)
    written = 0
    with open(path, "wb") as out:
        for chunk in response.iter_content(chunk_size=1 << 20):
            out.write(chunk)
            written += len(chunk)
            progress(f"saving images: {written / 1e6:.0f} MB")


def load_images(client, path: Path, progress: Progress) -> None:
    progress(f"loading images from {path}")
    with open(path, "rb") as archive:
        client.api.load_image(archive)


def version_of(client, image: str, command: list[str], env: dict[str, str]) -> str:
    """What a runtime says its version is, run in a throw-away container."""
    with _engine(f"asking {image} for its version"):
        output = client.containers.run(
            image, command, environment=env, network_mode="none", remove=True, user="1000:1000",
            labels={KIT_LABEL: "version"}, stdout=True, stderr=True,
        )
    return output.decode("utf-8", "replace").strip().splitlines()[-1]


def create_volume(client, labels: dict[str, str]) -> str:
    with _engine("creating a volume for an example"):
        return client.volumes.create(name=f"async-rosetta-{uuid.uuid4().hex[:12]}", labels=labels).name


VOLUME_TRIES = 3  # a container of the run may be created on the volume while it is being removed


def remove_volume(client, name: str) -> bool:
    """Remove a run's volume, and first any container still using it (after a failed removal, say).
    Whether it is gone: a volume that another thread of the run keeps taking into use (an abort while the
    run goes on) is left to that thread's own cleanup.

    Quiet when the engine has gone: the next call says so, and `invoke clean` removes it later."""
    with _uninterrupted():
        for _ in range(VOLUME_TRIES):
            try:
                for container in _containers(client, {"volume": name}):
                    _remove_id(client, container["Id"])
                client.api.remove_volume(name, force=True)
                return True
            except (docker.errors.NotFound, requests.exceptions.ConnectionError):
                return True
            except docker.errors.APIError as exc:
                if exc.status_code != 409:  # 409: in use by a container created meanwhile
                    raise
        return False


def fill_volume(client, volume: str, image: str, files: dict[str, bytes], folders: tuple[str, ...],
                labels: dict[str, str]) -> None:
    """Copy files into a volume through a container that is created for it and never started, so that
    every container that runs a program can mount the volume read-only."""
    with _engine("copying an example into its volume"):
        try:
            container = client.containers.create(image, ["true"], labels=labels, network_mode="none",
                                                 volumes={volume: {"bind": "/job", "mode": "rw"}})
        except docker.errors.ImageNotFound:
            raise _image_missing(image) from None
        try:
            container.put_archive("/job", _archive(files, folders))
        finally:
            _remove(container)


def read_volume(client, volume: str, image: str, folder: str, labels: dict[str, str]) -> dict[str, bytes]:
    """The files under a folder of a volume (paths relative to it), through a container never started."""
    with _engine("copying a build out of its volume"):
        container = client.containers.create(image, ["true"], labels=labels, network_mode="none",
                                             volumes={volume: {"bind": "/job", "mode": "ro"}})
        try:
            stream, _ = container.get_archive(f"/job/{folder}")
            data = b"".join(stream)
        finally:
            _remove(container)
    files = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            if member.isfile():
                reader = tar.extractfile(member)
                files[member.name.partition("/")[2]] = reader.read() if reader else b""
    return files


def _image_missing(image: str) -> ImageMissing:
    return ImageMissing(f"the image {image} is not on this Docker engine: run `invoke images` (or, with no "
                        "registry, `invoke images --offline` or `invoke images --load FILE`)")


def _archive(files: dict[str, bytes], folders: tuple[str, ...]) -> bytes:
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


class _Reader(threading.Thread):
    """Reads a container's stdout and stderr until it ends or the output limit is passed."""

    def __init__(self, stream, limit: int, on_limit: Callable[[], None]):
        super().__init__(daemon=True)
        self.limit, self.on_limit = limit, on_limit
        self.out, self.err = bytearray(), bytearray()
        self.truncated = False
        self.stream = stream  # pairs of (stdout, stderr) chunks, either of them None

    def run(self) -> None:
        try:
            for out, err in self.stream:
                for chunk, buffer in ((out, self.out), (err, self.err)):
                    if not chunk:
                        continue
                    room = self.limit - len(self.out) - len(self.err)
                    buffer += chunk[: max(room, 0)]
                    if len(chunk) > room and not self.truncated:
                        self.truncated = True
                        # Kill from another thread and keep draining: the engine cannot stop a
                        # container whose output nobody reads, so a kill from here would hang.
                        threading.Thread(target=self.on_limit, daemon=True).start()
        except (docker.errors.DockerException, requests.exceptions.RequestException, OSError):
            pass  # the container was killed or removed: what was read is kept


def _kill(container, how: str = "SIGKILL") -> None:
    try:
        container.kill(signal=how)
    except (docker.errors.APIError, requests.exceptions.ConnectionError):
        pass  # it had already stopped, or the engine has gone (the next call says so)


def _parse_mark(stderr: str) -> tuple[str, dict[str, str]]:
    head, sep, tail = stderr.rpartition(MARK)
    if not sep:
        return stderr, {}
    values = dict(part.split("=", 1) for part in tail.split() if "=" in part)
    return (head[:-1] if head.endswith("\n") else head), values


def _number(values: dict[str, str], key: str) -> int | None:
    return int(values[key]) if values.get(key, "").isdigit() else None


def _outcome(reader: _Reader, exit_code: int | None, timed_out: bool, wall_ms: float,
             oom: bool = False) -> Outcome:
    """How a program ended, from what it printed and what its wrapper reported. Only the wrapper of a
    container of its own reports the peak memory: a warm container's spans every run in it."""
    stderr, mark = _parse_mark(reader.err.decode("utf-8", "replace"))
    centiseconds = _number(mark, "cs")
    return Outcome(
        exit_code=exit_code,
        stdout=reader.out.decode("utf-8", "replace"),
        stderr=stderr,
        timed_out=timed_out,
        oom=oom or bool(_number(mark, "oom")),
        truncated=reader.truncated,
        process_ms=centiseconds * 10 if centiseconds is not None else None,
        wall_ms=wall_ms,
        peak_memory_bytes=_number(mark, "peak"),
        pids_refused=_number(mark, "pidsmax") or 0,
        stall_ms=stall / 1000 if (stall := _number(mark, "stall")) is not None else None,
    )


def _create(client, box: Sandbox, command: list[str] | None = None):
    try:
        return client.containers.create(
            box.image,
            command or _command(box),
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
        raise _image_missing(box.image) from None


def _command(box: Sandbox) -> list[str]:
    """The wrapper and the program's command; with the run's files first when they travel inline."""
    if box.files is None:
        return ["sh", "-c", WRAPPER, "sh", *box.command]
    inline = [part for name, data in box.files.items() for part in (name, base64.b64encode(data).decode())]
    # Written, then made read-only, as a volume's files would be (the program is their owner: this keeps
    # a slip from changing them, not a will).
    return ["sh", "-c", 'files=/job' + _WRITE_FILES + 'chmod -R a-w /job\n' + WRAPPER, "sh", *inline, "--", *box.command]


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
    _kill(container, "SIGTERM")  # the wrapper kills the program and reports what it measured
    try:
        return container.wait(timeout=GRACE).get("StatusCode"), True
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
        _kill(container)
        return container.wait(timeout=30).get("StatusCode"), True


def run_sandboxed(client, box: Sandbox) -> Outcome:
    """Run one hardened container to its end, its time limit or its output limit, then remove it."""
    with _engine(f"running a program in {box.image}"):
        container = _create(client, box)
        try:
            # Attached before the container starts, so that not a byte is missed.
            stream = client.api.attach(container.id, stdout=True, stderr=True, stream=True, logs=True, demux=True)
            reader = _Reader(stream, box.output_limit, lambda: _kill(container))
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
            _remove(container)
    return _outcome(reader, exit_code, timed_out, wall_ms, oom)


# An example in a warm container: an exec of this script, as user 1000, with the run's name first, then
# the example's files as pairs of path and base64 text up to a `--` (written under /work/RUN.files: an
# exec's arguments cost nothing, a copy through the API some 90 ms), then the command. It does what
# WRAPPER does, in a working folder of its own (/work/RUN, removed after), and counts the memory limit's
# kills and the pids limit's refusals as differences (the counters are the container's). After the
# program it kills every process left but PID 1 (`kill -1` spares init and itself) and empties /tmp, so
# that the next example finds nothing of this one. Its own PID is in /work/RUN.pid: the host stops it
# through that on a timeout.
EXEC_WRAPPER = r"""
job=$1; shift
echo $$ > "/work/$job.pid"
files="/work/$job.files"
""" + _WRITE_FILES + r"""
mkdir "/work/$job" && cd "/work/$job" || exit 125
count() { for f in "$@"; do if [ -r "$f" ]; then while read -r key value; do [ "$key" = "$k" ] && echo "$value";
  done < "$f"; return; fi; done; echo 0; }
k=oom_kill; oom0=$(count /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control)
k=max; pids0=$(count /sys/fs/cgroup/pids.events /sys/fs/cgroup/pids/pids.events)
""" + _RUN_PROGRAM + r"""
kill -KILL -1 2>/dev/null
k=oom_kill; oom=$(( $(count /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control) - oom0 ))
k=max; refused=$(( $(count /sys/fs/cgroup/pids.events /sys/fs/cgroup/pids/pids.events) - pids0 ))
cd /; rm -rf "/work/$job" "/work/$job.files" "/work/$job.pid" /tmp/* /tmp/.[!.]* 2>/dev/null
printf '\n%s rc=%s cs=%s oom=%s pidsmax=%s stall=%s\n' "$MARK" "$rc" "$(( ${e%.*}${e#*.} - ${s%.*}${s#*.} ))" \
  "$oom" "$refused" "$stall" >&2
exit $rc
"""


# PID 1 of a warm container: waits, and so reaps the processes that examples leave to it (a program's
# orphans, killed after it, would stay zombies otherwise). EXEC_WRAPPER's `kill -1` ends its sleep too.
WARM_INIT = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait; done"]


@dataclass(frozen=True)
class Warm:
    """A hardened container that stays up while examples run in it one after another (`run_warm`), with
    the volume they read their files from and a container, never started, through which the kit writes
    that volume (the warm one mounts it read-only)."""

    container: str
    feeder: str
    volume: str
    box: Sandbox  # the image, limits and labels it was started with


def start_warm(client, box: Sandbox) -> Warm:
    """Start a warm container with the sandbox's image, limits, network and labels."""
    volume = create_volume(client, box.labels)
    container = feeder = None
    try:
        with _engine(f"starting a warm container of {box.image}"):
            feeder = client.containers.create(box.image, ["true"], labels={**box.labels, PHASE_LABEL: "copy"},
                                              network_mode="none", volumes={volume: {"bind": "/job", "mode": "rw"}})
            container = _create(client, replace(box, volume=volume, volume_writable=False), WARM_INIT)
            container.start()
        return Warm(container.id, feeder.id, volume, box)
    except BaseException:
        with _uninterrupted():
            for made in (container, feeder):
                if made is not None:
                    _remove(made)
            remove_volume(client, volume)
        raise


def stop_warm(client, *warms: Warm) -> None:
    """Remove warm containers, their feeders and volumes, all of them even if Ctrl-C is pressed meanwhile;
    quiet when the engine has gone."""
    with _uninterrupted():
        for warm in warms:
            for container_id in (warm.container, warm.feeder):
                _remove_id(client, container_id)
            remove_volume(client, warm.volume)


class WarmBroken(KitError):
    """A warm container that could not stop what ran in it: it must be replaced. When the kit stopped the
    program by killing the whole container, `outcome` is the run's (its verdict stands)."""

    def __init__(self, message: str, outcome: Outcome | None = None):
        super().__init__(message)
        self.outcome = outcome


def _exec(client, warm: Warm, command: list[str]) -> None:
    """Start a short command in a warm container as the sandbox's user, without waiting for it (under a fork
    bomb it may wait long for a process slot: the caller watches the run's end instead); quiet when it
    cannot start."""
    try:
        exec_id = client.api.exec_create(warm.container, command, user=warm.box.user)["Id"]
        client.api.exec_start(exec_id, detach=True)
    except docker.errors.APIError:
        pass


STOP_WAIT = 3.0  # seconds a warm container's `kill -1` has to end a run, before the container itself is killed
INLINE_LIMIT = 96_000  # bytes of base64 per file that travel as an exec's argument (the kernel takes 128 kB)


def inline_folder(run: str) -> str:
    """Where `run_warm` writes the files it is given for a run."""
    return f"/work/{run}.files"


def fits_inline(files: dict[str, bytes]) -> bool:
    return all(len(data) * 4 // 3 + 4 <= INLINE_LIMIT for data in files.values()) and \
        sum(len(data) for data in files.values()) <= 8 * INLINE_LIMIT


def copy_to_warm(client, warm: Warm, job: str, files: dict[str, bytes]) -> str:
    """Copy files too big for `run_warm`'s arguments into the warm container's volume; their folder there
    (read-only to the programs)."""
    with _engine(f"copying an example into a warm container of {warm.box.image}"):
        client.api.put_archive(warm.feeder, "/job", _archive({f"{job}/{n}": d for n, d in files.items()},
                                                              (job, f"{job}/src", f"{job}/build")))
    return f"/job/{job}"


def run_warm(client, warm: Warm, run: str, command: list[str], env: dict[str, str], timeout: float,
             output_limit: int, files: dict[str, bytes] | None = None) -> Outcome:
    """Run one program in a warm container: the files given written under `inline_folder(run)` (see
    `fits_inline`); a working folder /work/RUN of its own; its processes killed after it. Raises
    WarmBroken if a process could not be stopped."""
    inline = [part for name, data in (files or {}).items() for part in (name, base64.b64encode(data).decode())]
    with _engine(f"running a program in a warm container of {warm.box.image}"):
        exec_id = client.api.exec_create(
            warm.container, ["sh", "-c", EXEC_WRAPPER, "sh", run, *inline, "--", *command], stdout=True, stderr=True,
            environment={**env, "MARK": MARK, "HOME": "/tmp"}, workdir="/work", user=warm.box.user)["Id"]
        stop_all = ["sh", "-c", "kill -KILL -1 2>/dev/null; true"]
        started = time.monotonic()
        stream = client.api.exec_start(exec_id, stream=True, demux=True)
        reader = _Reader(stream, output_limit, lambda: _exec(client, warm, stop_all))
        reader.start()
        reader.join(timeout)
        timed_out = reader.is_alive()
        if timed_out:  # the wrapper kills the program and reports what it measured
            _exec(client, warm, ["sh", "-c", f'kill -TERM "$(cat /work/{run}.pid)" 2>/dev/null; true'])
            reader.join(GRACE)
            if reader.is_alive():
                _exec(client, warm, stop_all)
                reader.join(STOP_WAIT)
            if reader.is_alive():  # not even a `kill` could start in it: the whole container goes
                _kill_id(client, warm.container)
                reader.join(10)
                if not reader.is_alive():
                    stopped = _outcome(reader, None, True, (time.monotonic() - started) * 1000)
                    raise WarmBroken(f"a program in a warm container of {warm.box.image} was stopped only by "
                                     "killing the container", stopped)
        wall_ms = (time.monotonic() - started) * 1000
        if reader.is_alive():
            raise WarmBroken(f"a program in a warm container of {warm.box.image} could not be stopped")
        exit_code = client.api.exec_inspect(exec_id).get("ExitCode")
    return _outcome(reader, exit_code, timed_out, wall_ms)


def start_service(client, image: str, script: bytes, port: int, labels: dict[str, str], ready: str,
                  wait: float) -> str:
    """Start a kit's service in a container with no network but loopback; returns its name.

    Examples reach it by joining its network namespace (`network_mode="container:<name>"`): they see
    the service on 127.0.0.1 and nothing else - no route to the host, other containers or the internet.
    """
    name = f"async-rosetta-service-{uuid.uuid4().hex[:12]}"
    with _engine("starting the kit's service"):
        return _start_service(client, name, image, script, port, labels, ready, wait)


def _start_service(client, name: str, image: str, script: bytes, port: int, labels: dict[str, str],
                   ready: str, wait: float) -> str:
    try:
        # The script travels as the command's argument: no file to copy into a read-only container.
        container = client.containers.create(
            image, ["python3", "-u", "-c", script.decode("utf-8"), "--host", "127.0.0.1", "--port", str(port)],
            name=name, user="1000:1000", labels=labels, network_mode="none", read_only=True,
            tmpfs={"/tmp": "rw,nosuid,size=16m"}, cap_drop=["ALL"], security_opt=["no-new-privileges"],
            mem_limit="128m", pids_limit=64, environment={"HOME": "/tmp"},
        )
        container.start()
        deadline = time.monotonic() + wait
        while ready not in container.logs().decode("utf-8", "replace"):
            container.reload()
            if container.status != "running" or time.monotonic() > deadline:
                tail = container.logs(tail=20).decode("utf-8", "replace").strip()
                raise KitError(f"the kit's service did not start within {wait:g}s "
                               f"(state {container.status}): {tail or 'no output'}")
            time.sleep(0.05)
    except docker.errors.ImageNotFound:
        stop_service(client, name)
        raise _image_missing(image) from None
    except BaseException:
        stop_service(client, name)
        raise
    return name


def stop_service(client, name: str) -> None:
    with _uninterrupted():
        try:
            client.containers.get(name).remove(force=True)
        except (docker.errors.NotFound, requests.exceptions.ConnectionError):
            pass


def _filters(labels: dict[str, str] | None) -> dict:
    return {"label": [KIT_LABEL] + [f"{key}={value}" for key, value in (labels or {}).items()]}


def leftovers(client, labels: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Containers and volumes the kit started and did not remove (after a crash, say); only those with
    these labels, if given."""
    with _engine("listing what the kit left behind"):
        return {
            "containers": [_name(c) for c in _containers(client, _filters(labels))],
            "volumes": [v["Name"] for v in client.api.volumes(filters=_filters(labels)).get("Volumes") or []],
        }


def bridge_gateway(client) -> str | None:
    """This machine's address on the engine's default bridge: where a container with a network finds it."""
    with _engine("looking at the bridge network"):
        try:
            configs = client.networks.get("bridge").attrs.get("IPAM", {}).get("Config") or []
        except docker.errors.NotFound:
            return None
    for config in configs:
        if config.get("Gateway"):
            return config["Gateway"]
        if config.get("Subnet"):  # the engine gives its bridge the subnet's first address
            return str(next(ipaddress.ip_network(config["Subnet"]).hosts()))
    return None


def remove_leftovers(client, labels: dict[str, str] | None = None,
                     spare: Callable[[dict[str, str]], bool] = lambda _: False) -> dict[str, list[str]]:
    """Remove what `leftovers` finds (a container first, then the volume it used), except what has labels
    that `spare` says belong to a run still going."""
    removed = {"containers": [], "volumes": []}
    with _engine("removing what the kit left behind"):
        for container in _containers(client, _filters(labels)):
            if not spare(container.get("Labels") or {}):
                _remove_id(client, container["Id"])
                removed["containers"].append(_name(container))
        for volume in client.api.volumes(filters=_filters(labels)).get("Volumes") or []:
            if not spare(volume.get("Labels") or {}) and remove_volume(client, volume["Name"]):
                removed["volumes"].append(volume["Name"])
    return removed
