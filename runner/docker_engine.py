"""The one module that talks to Docker, through the Docker SDK for Python."""
from __future__ import annotations

import io
import tarfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import docker
import docker.errors
import requests.exceptions

from runner import EnvironmentProblem, KitError
from runner.backend import Outcome

KIT_LABEL = "org.async-rosetta.kit"
RUN_LABEL = "org.async-rosetta.run"
RECIPE_LABEL = "org.async-rosetta.recipe"
MARK = "#async-rosetta#"

# Runs the program, then reports its own wall time and the container's peak memory on stderr,
# read from the container's own cgroup (v2: memory.peak; v1: memory.max_usage_in_bytes).
WRAPPER = r"""
s=$(date +%s%N); "$@"; rc=$?; e=$(date +%s%N)
peak=; for f in /sys/fs/cgroup/memory.peak /sys/fs/cgroup/memory/memory.max_usage_in_bytes; do
  if [ -r "$f" ]; then peak=$(cat "$f"); break; fi; done
printf '\n%s rc=%s ns=%s peak=%s\n' "$MARK" "$rc" "$((e - s))" "$peak" >&2
exit $rc
"""

Progress = Callable[[str], None]


class EngineUnavailable(EnvironmentProblem):
    pass


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
    volume_writable: bool = False
    files: dict[str, bytes] = field(default_factory=dict)  # put under /job before start
    folders: tuple[str, ...] = ()  # created under /job, writable by the sandbox user
    network: str = "none"
    user: str = "1000:1000"


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


def engine_version(client) -> str:
    return client.version().get("Version", "?")


def image_id(client, tag: str) -> str | None:
    try:
        return client.images.get(tag).id
    except docker.errors.ImageNotFound:
        return None


def image_labels(client, tag: str) -> dict[str, str]:
    try:
        return client.images.get(tag).labels or {}
    except docker.errors.ImageNotFound:
        return {}


def pull(client, image: str, progress: Progress) -> None:
    repo, _, tag = image.rpartition(":") if ":" in image.split("/")[-1] else (image, "", "latest")
    try:
        for event in client.api.pull(repo, tag=tag, stream=True, decode=True):
            if "error" in event:
                raise KitError(f"pulling {image} failed: {event['error']}")
            status = event.get("status", "")
            detail = event.get("progress", "")
            progress(f"{image}: {status} {detail}".strip())
    except (docker.errors.APIError, requests.exceptions.RequestException) as exc:
        raise KitError(
            f"cannot pull {image}: {exc}. Without a registry, build the images offline with "
            "`invoke images --offline`, or load them with `invoke images --load FILE`."
        ) from None


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
    output = client.containers.run(
        image, command, environment=env, network_mode="none", remove=True, user="1000:1000",
        labels={KIT_LABEL: "version"}, stdout=True, stderr=True,
    )
    return output.decode("utf-8", "replace").strip().splitlines()[-1]


def create_volume(client, labels: dict[str, str]) -> str:
    return client.volumes.create(name=f"async-rosetta-{uuid.uuid4().hex[:12]}", labels=labels).name


def remove_volume(client, name: str) -> None:
    """Remove a run's volume, and first any container still using it (after a failed removal, say)."""
    for container in client.containers.list(all=True, filters={"volume": name}):
        try:
            container.remove(force=True)
        except docker.errors.NotFound:
            pass
    try:
        client.volumes.get(name).remove(force=True)
    except docker.errors.NotFound:
        pass


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

    def __init__(self, client, container_id: str, limit: int, on_limit: Callable[[], None]):
        super().__init__(daemon=True)
        self.limit, self.on_limit = limit, on_limit
        self.out, self.err = bytearray(), bytearray()
        self.truncated = False
        # Attached before the container starts, so that not a byte is missed.
        self.stream = client.api.attach(
            container_id, stdout=True, stderr=True, stream=True, logs=True, demux=True
        )

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


def _kill(container) -> None:
    try:
        container.kill()
    except docker.errors.APIError:
        pass  # it had already stopped


def _parse_mark(stderr: str) -> tuple[str, dict[str, str]]:
    head, sep, tail = stderr.rpartition(MARK)
    if not sep:
        return stderr, {}
    values = dict(part.split("=", 1) for part in tail.split() if "=" in part)
    return (head[:-1] if head.endswith("\n") else head), values


def run_sandboxed(client, box: Sandbox) -> Outcome:
    """Run one hardened container to its end, its time limit or its output limit, then remove it."""
    container = None
    try:
        try:
            container = client.containers.create(
                box.image,
                ["sh", "-c", WRAPPER, "sh", *box.command],
                environment={**box.env, "MARK": MARK, "HOME": "/tmp"},
                user=box.user,
                working_dir="/work",
                labels=box.labels,
                network_mode=box.network,
                read_only=True,
                tmpfs={"/tmp": "rw,nosuid,size=256m", "/work": "rw,nosuid,size=64m,uid=1000,gid=1000,mode=0755"},
                cap_drop=["ALL"],
                security_opt=["no-new-privileges"],
                mem_limit=f"{box.memory_mb}m",
                memswap_limit=f"{box.memory_mb}m",
                pids_limit=box.pids,
                volumes={box.volume: {"bind": "/job", "mode": "rw" if box.volume_writable else "ro"}}
                if box.volume
                else None,
            )
        except docker.errors.ImageNotFound:
            raise ImageMissing(
                f"the image {box.image} is not on this Docker engine: run `invoke images` "
                "(or `invoke images --offline` where no registry can be reached)"
            ) from None
        if box.files or box.folders:
            container.put_archive("/job", _archive(box.files, box.folders))
        reader = _Reader(client, container.id, box.output_limit, lambda: _kill(container))
        started = time.monotonic()
        container.start()
        reader.start()
        timed_out = False
        try:
            status = container.wait(timeout=box.timeout)
            exit_code = status.get("StatusCode")
        except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
            timed_out = True
            _kill(container)
            exit_code = container.wait(timeout=30).get("StatusCode")
        wall_ms = (time.monotonic() - started) * 1000
        reader.join(timeout=10)
        container.reload()
        oom = bool(container.attrs["State"].get("OOMKilled"))
        stderr, mark = _parse_mark(reader.err.decode("utf-8", "replace"))
        process_ms = int(mark["ns"]) / 1e6 if mark.get("ns", "").isdigit() else None
        peak = int(mark["peak"]) if mark.get("peak", "").isdigit() else None
        return Outcome(
            exit_code=exit_code,
            stdout=reader.out.decode("utf-8", "replace"),
            stderr=stderr,
            timed_out=timed_out,
            oom=oom,
            truncated=reader.truncated,
            process_ms=process_ms,
            wall_ms=wall_ms,
            peak_memory_bytes=peak,
        )
    finally:
        if container is not None:
            try:
                container.remove(force=True)
            except docker.errors.NotFound:
                pass


def start_service(client, image: str, script: bytes, port: int, labels: dict[str, str], ready: str,
                  wait: float) -> str:
    """Start a kit's service in a container with no network but loopback; returns its name.

    Examples reach it by joining its network namespace (`network_mode="container:<name>"`): they see
    the service on 127.0.0.1 and nothing else - no route to the host, other containers or the internet.
    """
    name = f"async-rosetta-service-{uuid.uuid4().hex[:12]}"
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
        raise ImageMissing(f"the image {image} that runs the kit's services is not on this Docker "
                           "engine: run `invoke images` (or `invoke images --offline`)") from None
    except BaseException:
        stop_service(client, name)
        raise
    return name


def stop_service(client, name: str) -> None:
    try:
        client.containers.get(name).remove(force=True)
    except docker.errors.NotFound:
        pass


def leftovers(client) -> dict[str, list[str]]:
    """Containers and volumes the kit started and did not remove (after a crash, say)."""
    flt = {"label": KIT_LABEL}
    return {
        "containers": [c.name for c in client.containers.list(all=True, filters=flt)],
        "volumes": [v.name for v in client.volumes.list(filters=flt)],
    }


def remove_leftovers(client) -> dict[str, list[str]]:
    found = leftovers(client)
    flt = {"label": KIT_LABEL}
    for container in client.containers.list(all=True, filters=flt):
        container.remove(force=True)
    for volume in client.volumes.list(filters=flt):
        volume.remove(force=True)
    return found
