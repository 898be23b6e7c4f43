"""The Docker backend: each example in its own hardened container, built in a phase of its own."""
from __future__ import annotations

import json
from contextlib import contextmanager

from runner import EnvironmentProblem, build_cache, docker_engine
from runner.backend import OUTPUT_LIMIT, Progress, build_result, cached_build, fill_env, run_result
from runner.cache import cache_dir
from runner.languages import Language
from runner.results import RunResult, Status, write_atomically
from runner.services import READY_PREFIX, START_TIMEOUT, RunningService, ServiceSpec

NAME = "docker"
SOURCE_DIR = "/job/src"
BUILD_DIR = "/job/build"


def image_for(client, language: Language) -> str | None:
    """The official image when it is here, else the offline-built one, else None."""
    for tag in (language.image, language.offline_image):
        if docker_engine.image_id(client, tag):
            return tag
    return None


class DockerBackend:
    name = NAME

    def __init__(self, client=None):
        self.client = client or docker_engine.connect()
        self._versions_file = cache_dir() / "runtime-versions.json"

    def check(self, languages: list[Language], progress: Progress) -> list[str]:
        missing = [lang for lang in languages if image_for(self.client, lang) is None]
        if not missing:
            return []
        names = ", ".join(f"{lang.image} (or {lang.offline_image})" for lang in missing)
        return [f"no image for {', '.join(l.title for l in missing)} on the Docker engine: {names}. "
                "Run `invoke images` to pull them, or `invoke images --offline` to build them with no "
                "registry, or `invoke images --load FILE`."]

    def image(self, language: Language) -> str:
        tag = image_for(self.client, language)
        if tag is None:
            raise EnvironmentProblem(self.check([language], lambda _: None)[0])
        return tag

    def runtime_version(self, language: Language) -> str | None:
        """Asked once per image and remembered by image id (an image never changes)."""
        tag = self.image(language)
        image_id = docker_engine.image_id(self.client, tag)
        try:
            known = json.loads(self._versions_file.read_text())
        except (OSError, ValueError):
            known = {}
        if image_id not in known:
            env = fill_env(language.env, "/tmp")
            try:
                known[image_id] = docker_engine.version_of(self.client, tag, list(language.version), env)
            except Exception as exc:  # noqa: BLE001 - a version is information, never a failure
                return f"unknown ({exc.__class__.__name__})"
            write_atomically(self._versions_file, json.dumps(known, indent=1))
        return known[image_id]

    @contextmanager
    def service(self, spec: ServiceSpec, image_language: Language, labels: dict[str, str]):
        """The service in a container with loopback only; examples join its network namespace."""
        labels = {docker_engine.KIT_LABEL: "async-rosetta", **labels, docker_engine.PHASE_LABEL: "service"}
        name = docker_engine.start_service(self.client, self.image(image_language), spec.script.read_bytes(),
                                           spec.port, labels, READY_PREFIX, START_TIMEOUT)
        try:
            yield RunningService(spec, f"http://127.0.0.1:{spec.port}", f"container:{name}")
        finally:
            docker_engine.stop_service(self.client, name)

    @contextmanager
    def example(self, language: Language, source: bytes, filename: str, timeout: float,
                labels: dict[str, str], service: RunningService | None = None):
        labels = {docker_engine.KIT_LABEL: "async-rosetta", **labels}
        image = self.image(language)
        files = {f"src/{filename}": source}
        entry = None
        if language.build:
            # The image's id names the toolchain: the same image always builds the same program.
            entry = build_cache.key(language, source, filename, docker_engine.image_id(self.client, image))
            built = build_cache.get(entry)
            if built is not None:
                files.update({f"build/{name}": data for name, data in built.items()})
                entry = None  # nothing to build, nothing to keep
        volume = docker_engine.create_volume(self.client, labels)
        try:
            # Copied in once, before anything runs: every container then mounts it read-only, and
            # only a build writes (its output, to /job/build).
            docker_engine.fill_volume(self.client, volume, image, files, ("src", "build"),
                                      {**labels, docker_engine.PHASE_LABEL: "copy"})
            yield _DockerExample(self, language, image, filename, timeout, labels, volume, service, entry)
        finally:
            docker_engine.remove_volume(self.client, volume)


class _DockerExample:
    def __init__(self, backend: DockerBackend, language: Language, image: str, filename: str,
                 timeout: float, labels: dict[str, str], volume: str, service: RunningService | None,
                 cache_entry: str | None):
        self.backend, self.language, self.timeout, self.labels, self.volume = (
            backend, language, timeout, labels, volume)
        self.service = service
        self.image = image
        self.version = backend.runtime_version(language)
        self.source = f"{SOURCE_DIR}/{filename}"
        self.env = fill_env(language.env, "/tmp")
        self.build = None
        if language.build and cache_entry is None:
            self.build = cached_build(language, NAME, runtime_version=self.version, image=self.image)
        elif language.build:
            limits = language.build_limits
            build_timeout = limits.timeout or timeout
            box = docker_engine.Sandbox(
                image=self.image, command=language.command(language.build, self.source, BUILD_DIR),
                labels={**labels, docker_engine.PHASE_LABEL: "build"}, env=self.env,
                memory_mb=limits.memory_mb, pids=limits.pids, timeout=build_timeout,
                output_limit=OUTPUT_LIMIT, volume=volume, volume_writable=True,
            )
            outcome = docker_engine.run_sandboxed(backend.client, box)
            self.build = build_result(language, NAME, outcome, build_timeout, limits.memory_mb,
                                      runtime_version=self.version, image=self.image)
            if self.build.status is Status.OK:
                build_cache.put(cache_entry, docker_engine.read_volume(
                    backend.client, volume, image, "build", {**labels, docker_engine.PHASE_LABEL: "copy"}))

    def run(self, repeat: int) -> RunResult:
        if self.build is not None and self.build.status is not Status.OK:
            return self.build.with_(repeat=repeat)
        limits = self.language.limits
        box = docker_engine.Sandbox(
            image=self.image, command=self.language.command(self.language.run, self.source, BUILD_DIR),
            labels={**self.labels, docker_engine.PHASE_LABEL: "run"},
            env={**self.env, **(self.service.env if self.service else {})},
            network=self.service.network if self.service else "none",
            memory_mb=limits.memory_mb, pids=limits.pids, timeout=self.timeout,
            output_limit=OUTPUT_LIMIT, volume=self.volume,
        )
        outcome = docker_engine.run_sandboxed(self.backend.client, box)
        return run_result(self.language, NAME, outcome, self.timeout, limits.memory_mb, self.build,
                          pids=limits.pids, runtime_version=self.version, image=self.image, repeat=repeat)
