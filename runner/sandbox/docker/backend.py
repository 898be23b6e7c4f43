"""The Docker backend: each example in its own hardened container, built in a phase of its own."""
from __future__ import annotations

import json
import time
import uuid
from contextlib import contextmanager

from runner import EnvironmentProblem
from runner.sandbox import build_cache, slots
from runner.sandbox.docker import engine
from runner.sandbox.backend import OUTPUT_LIMIT, Progress, build_result, cached_build, fill_env, run_result
from runner.sandbox.cache import cache_dir
from runner.model.languages import Language
from runner.model.results import RunResult, Status, write_atomically
from runner.model.services import READY_PREFIX, START_TIMEOUT, RunningService, ServiceSpec

NAME = "docker"
SOURCE_DIR = "/job/src"
BUILD_DIR = "/job/build"
# A build yields the CPU to programs being timed (a weight of 1/8 against theirs), so that checks
# started together in a classroom keep their time stamps.
BUILD_CPU_SHARES = 128


def find_image(client, language: Language) -> tuple[str, str] | None:
    """The official image when it is here, else the offline-built one, with its id; else None."""
    for tag in (language.image, language.offline_image):
        if image_id := engine.image_id(client, tag):
            return tag, image_id
    return None


def image_for(client, language: Language) -> str | None:
    found = find_image(client, language)
    return found[0] if found else None


class DockerBackend:
    name = NAME

    def __init__(self, client=None):
        self.client = client or engine.connect()
        self._warm: dict[str, engine.Warm] | None = None  # warm containers, by language, in keep_warm
        self._versions_file = cache_dir() / "runtime-versions.json"
        self._images: dict[str, tuple[str, str]] = {}  # language -> (tag, image id), once found

    def _image(self, language: Language) -> tuple[str, str] | None:
        """The language's image and its id, looked up once (each look is a call to the engine)."""
        if language.name not in self._images and (found := find_image(self.client, language)):
            self._images[language.name] = found
        return self._images.get(language.name)

    def check(self, languages: list[Language], progress: Progress) -> list[str]:
        missing = [lang for lang in languages if self._image(lang) is None]
        if not missing:
            return []
        names = ", ".join(f"{lang.image} (or {lang.offline_image})" for lang in missing)
        return [f"no image for {', '.join(l.title for l in missing)} on the Docker engine: {names}. "
                "Run `invoke images` to pull them, or `invoke images --offline` to build them with no "
                "registry, or `invoke images --load FILE`."]

    def image(self, language: Language) -> str:
        found = self._image(language)
        if found is None:
            raise EnvironmentProblem(self.check([language], lambda _: None)[0])
        return found[0]

    def runtime_version(self, language: Language) -> str | None:
        """Asked once per image and remembered by image id (an image never changes)."""
        tag = self.image(language)
        image_id = self._images[language.name][1]
        try:
            known = json.loads(self._versions_file.read_text())
        except (OSError, ValueError):
            known = {}
        if image_id not in known:
            env = fill_env(language.env, "/tmp")
            try:
                known[image_id] = engine.version_of(self.client, tag, list(language.version), env)
            except Exception as exc:  # noqa: BLE001 - a version is information, never a failure
                return f"unknown ({exc.__class__.__name__})"
            write_atomically(self._versions_file, json.dumps(known, indent=1))
        return known[image_id]

    @contextmanager
    def service(self, spec: ServiceSpec, image_language: Language, labels: dict[str, str]):
        """The service in a container with loopback only; examples join its network namespace."""
        labels = {engine.KIT_LABEL: "async-rosetta", **labels, engine.PHASE_LABEL: "service"}
        name = engine.start_service(self.client, self.image(image_language), spec.script.read_bytes(),
                                           spec.port, labels, READY_PREFIX, START_TIMEOUT)
        try:
            yield RunningService(spec, f"http://127.0.0.1:{spec.port}", f"container:{name}")
        finally:
            engine.stop_service(self.client, name)

    def abort(self, run_id: str) -> None:
        """Remove the run's containers and the warm ones: what ran in them ends at once."""
        engine.remove_leftovers(self.client, {engine.RUN_LABEL: run_id})
        engine.stop_warm(self.client, *(self._warm or {}).values())

    @contextmanager
    def keep_warm(self):
        """For the length of the block, examples run in one warm container per language (see `example`)."""
        if self._warm is not None:  # already warm: the outer block keeps them
            yield
            return
        self._warm = {}
        try:
            yield
        finally:
            warm, self._warm = self._warm, None
            engine.stop_warm(self.client, *warm.values())

    @contextmanager
    def example(self, language: Language, source: bytes, filename: str, timeout: float,
                labels: dict[str, str], service: RunningService | None = None, fresh: bool = False):
        """An example ready to run: built (or taken from the build cache), then run in a warm container
        inside `keep_warm` - unless `fresh` is asked or it talks to a service - else in a fresh one each run."""
        labels = {engine.KIT_LABEL: "async-rosetta", **labels}
        image = self.image(language)
        version = self.runtime_version(language)
        build, built = self._build(language, image, version, source, filename, timeout, labels)
        files = {f"src/{filename}": source, **{f"build/{name}": data for name, data in built.items()}}
        if self._warm is not None and service is None and not fresh:
            yield _WarmExample(self, language, image, version, filename, timeout, labels, files, build)
            return
        if engine.fits_inline(files):  # the files travel with each run's command
            yield _DockerExample(self, language, image, version, filename, timeout, labels, service, build, files)
            return
        volume = engine.create_volume(self.client, labels)
        try:
            # Copied in once, before anything runs: every container then mounts it read-only.
            engine.fill_volume(self.client, volume, image, files, ("src", "build"),
                                      {**labels, engine.PHASE_LABEL: "copy"})
            yield _DockerExample(self, language, image, version, filename, timeout, labels, service, build,
                                 volume=volume)
        finally:
            engine.remove_volume(self.client, volume)

    def _build(self, language: Language, image: str, version: str | None, source: bytes, filename: str,
               timeout: float, labels: dict[str, str]) -> tuple[RunResult | None, dict[str, bytes]]:
        """The build's result and the program's files: from the build cache, or built in a container of
        its own (the only one that may write to its volume) and then kept in the cache."""
        if not language.build:
            return None, {}
        # The image's id names the toolchain: the same image always builds the same program.
        entry = build_cache.key(language, source, filename, self._images[language.name][1])
        built = build_cache.get(entry)
        if built is not None:
            return cached_build(language, NAME, runtime_version=version, image=image), built
        slots.wait_for_gate()  # a build never starts while a program is timed alone
        started = time.monotonic()  # the build's time is the whole phase's: its copies and container too
        volume = engine.create_volume(self.client, labels)
        try:
            copy = {**labels, engine.PHASE_LABEL: "copy"}
            engine.fill_volume(self.client, volume, image, {f"src/{filename}": source}, ("src", "build"), copy)
            limits = language.build_limits
            build_timeout = limits.timeout or timeout
            box = engine.Sandbox(
                image=image, command=language.command(language.build, f"{SOURCE_DIR}/{filename}", BUILD_DIR),
                labels={**labels, engine.PHASE_LABEL: "build"}, env=fill_env(language.env, "/tmp"),
                memory_mb=limits.memory_mb, pids=limits.pids, timeout=build_timeout,
                output_limit=OUTPUT_LIMIT, volume=volume, volume_writable=True,
                cpu_shares=BUILD_CPU_SHARES,
            )
            outcome = engine.run_sandboxed(self.client, box)
            result = build_result(language, NAME, outcome, build_timeout, limits.memory_mb,
                                  runtime_version=version, image=image)
            if result.status is not Status.OK:
                return result.with_(build_ms=(time.monotonic() - started) * 1000), {}
            built = engine.read_volume(self.client, volume, image, "build", copy)
            build_cache.put(entry, built)
            return result.with_(build_ms=(time.monotonic() - started) * 1000), built
        finally:
            engine.remove_volume(self.client, volume)


class _DockerExample:
    """Each run in a fresh container, with the example's files in its command (small ones) or in a volume
    it mounts read-only."""

    def __init__(self, backend: DockerBackend, language: Language, image: str, version: str | None,
                 filename: str, timeout: float, labels: dict[str, str], service: RunningService | None,
                 build: RunResult | None, files: dict[str, bytes] | None = None, volume: str | None = None):
        self.backend, self.language, self.image, self.version = backend, language, image, version
        self.timeout, self.labels, self.service, self.build = timeout, labels, service, build
        self.files, self.volume = files, volume
        self.source = f"{SOURCE_DIR}/{filename}"
        self.env = fill_env(language.env, "/tmp")

    def prepare(self) -> None:
        """Nothing to start ahead: each run has a container of its own, created in its turn."""

    def run(self, repeat: int) -> RunResult:
        if self.build is not None and self.build.status is not Status.OK:
            return self.build.with_(repeat=repeat)
        limits = self.language.limits
        box = engine.Sandbox(
            image=self.image, command=self.language.command(self.language.run, self.source, BUILD_DIR),
            labels={**self.labels, engine.PHASE_LABEL: "run"},
            env={**self.env, **(self.service.env if self.service else {})},
            network=self.service.network if self.service else "none",
            memory_mb=limits.memory_mb, pids=limits.pids, timeout=self.timeout,
            output_limit=OUTPUT_LIMIT, volume=self.volume, files=self.files,
        )
        outcome = engine.run_sandboxed(self.backend.client, box)
        return run_result(self.language, NAME, outcome, self.timeout, limits.memory_mb, self.build,
                          pids=limits.pids, runtime_version=self.version, image=self.image, repeat=repeat)


class _WarmExample:
    """Each run an exec in the language's warm container, in a working folder of its own, every process it
    started killed after it. A container that could not stop a program is replaced before the next run."""

    def __init__(self, backend: DockerBackend, language: Language, image: str, version: str | None,
                 filename: str, timeout: float, labels: dict[str, str], files: dict[str, bytes],
                 build: RunResult | None):
        self.backend, self.language, self.image, self.version = backend, language, image, version
        self.timeout, self.files, self.build, self.filename = timeout, files, build, filename
        self.job = uuid.uuid4().hex[:12]
        self.inline = engine.fits_inline(files)
        self.copied: tuple[str, str] | None = None  # (warm container, folder) that has the files, if copied
        self.env = fill_env(language.env, "/tmp")
        limits = language.limits
        self.box = engine.Sandbox(
            image=image, command=[], memory_mb=limits.memory_mb, pids=limits.pids, output_limit=OUTPUT_LIMIT,
            # It serves every lesson of the run: labelled with the run, not with this lesson.
            labels={**{k: v for k, v in labels.items() if k != engine.LESSON_LABEL},
                    engine.PHASE_LABEL: "warm"},
        )

    def prepare(self) -> None:
        """Start the language's warm container now, so that its start falls in no timed run."""
        if self.build is None or self.build.status is Status.OK:
            self._container()

    def _container(self) -> engine.Warm:
        warm = self.backend._warm
        if self.language.name not in warm:
            warm[self.language.name] = engine.start_warm(self.backend.client, self.box)
        return warm[self.language.name]

    def run(self, repeat: int) -> RunResult:
        if self.build is not None and self.build.status is not Status.OK:
            return self.build.with_(repeat=repeat)
        warm = self._container()
        run = f"{self.job}-{repeat}"
        try:
            if self.inline:  # the files travel with the run
                folder, files = engine.inline_folder(run), self.files
            else:  # once per container, into its volume
                if self.copied is None or self.copied[0] != warm.container:
                    self.copied = (warm.container, engine.copy_to_warm(self.backend.client, warm, self.job,
                                                                              self.files))
                folder, files = self.copied[1], None
            command = self.language.command(self.language.run, f"{folder}/src/{self.filename}", f"{folder}/build")
            outcome = engine.run_warm(self.backend.client, warm, run, command, self.env, self.timeout,
                                             OUTPUT_LIMIT, files)
        except engine.WarmBroken as broken:
            del self.backend._warm[self.language.name]
            engine.stop_warm(self.backend.client, warm)
            if broken.outcome is None:
                raise
            outcome = broken.outcome  # stopped with its container: the next run gets a new one
        limits = self.language.limits
        return run_result(self.language, NAME, outcome, self.timeout, limits.memory_mb, self.build,
                          pids=limits.pids, runtime_version=self.version, image=self.image, repeat=repeat)
