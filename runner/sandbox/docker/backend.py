"""The Docker backend: each example in its own hardened container, built in a phase of its own."""
from __future__ import annotations

import json
import time
import uuid
from contextlib import contextmanager
from dataclasses import replace

from runner import EnvironmentProblem
from runner.sandbox.backend import OUTPUT_LIMIT, Backend, Example, Outcome, Progress, fill_env, run_result
from runner.sandbox.cache import cache_dir
from runner.sandbox.docker import compiler, connection, pool, reaper, services
from runner.sandbox.docker.containers import BUILD_CPU_SHARES, Sandbox
from runner.sandbox.docker.fresh_run import run_sandboxed
from runner.sandbox.docker.images import image_id, version_of
from runner.sandbox.docker.labels import RUN_LABEL, labels
from runner.sandbox.docker.scripts import fits_inline
from runner.sandbox.docker.volumes import create_volume, fill_volume, read_volume, remove_volume
from runner.sandbox.docker.warm import Warm, WarmBroken, copy_to_warm, inline_folder, run_warm, start_warm, stop_warm
from runner.sandbox.run_context import RunContext
from runner.model.languages import Language
from runner.model.results import RunResult, write_atomically
from runner.model.services import READY_PREFIX, START_TIMEOUT, RunningService, ServiceSpec

NAME = "docker"
SOURCE_DIR = "/job/src"
BUILD_DIR = "/job/build"


def find_image(client, language: Language) -> tuple[str, str] | None:
    """The official image when it is here, else the offline-built one, with its id; else None."""
    for tag in (language.image, language.offline_image):
        if found := image_id(client, tag):
            return tag, found
    return None


def image_for(client, language: Language) -> str | None:
    found = find_image(client, language)
    return found[0] if found else None


class DockerBackend(Backend):
    name = NAME

    def __init__(self, client=None):
        self.client = client or connection.connect()
        self._warm: dict[str, Warm] | None = None  # warm containers, by language, in keep_warm
        self._versions_file = cache_dir() / "runtime-versions.json"
        self._images: dict[str, tuple[str, str]] = {}  # language -> (tag, image id), once found
        self.started_ahead = pool.Pool()  # the kinds of sandbox its fresh runs took: started ahead for the next

    def _image(self, language: Language) -> tuple[str, str] | None:
        """The language's image and its id, looked up once (each look is a call to the engine)."""
        if language.name not in self._images and (found := find_image(self.client, language)):
            self._images[language.name] = found
        return self._images.get(language.name)

    def problems(self, languages: list[Language], progress: Progress) -> list[str]:
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
            raise EnvironmentProblem(self.problems([language], lambda _: None)[0])
        return found[0]

    def image_id(self, language: Language) -> str:
        """The id of the language's image (what its compiler server and the build cache are keyed by)."""
        self.image(language)
        return self._images[language.name][1]

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
                known[image_id] = version_of(self.client, tag, list(language.version), env)
            except Exception as exc:  # noqa: BLE001 - a version is information, never a failure
                return f"unknown ({exc.__class__.__name__})"
            write_atomically(self._versions_file, json.dumps(known, indent=1))
        return known[image_id]

    @contextmanager
    def service(self, spec: ServiceSpec, image_language: Language, context: RunContext):
        """The service in a container with loopback only; examples join its network namespace."""
        name = services.start_service(self.client, self.image(image_language), spec.script.read_bytes(),
                                      spec.port, labels(context, "service"), READY_PREFIX, START_TIMEOUT)
        try:
            yield RunningService(spec, f"http://127.0.0.1:{spec.port}", f"container:{name}")
        finally:
            services.stop_service(self.client, name)

    def abort(self, run_id: str) -> None:
        """Remove the run's containers and the warm ones: what ran in them ends at once."""
        reaper.remove_leftovers(self.client, {RUN_LABEL: run_id})
        pool.remove_taken(self.client, run_id)
        stop_warm(self.client, *(self._warm or {}).values())

    def prepare_next(self, detached: bool = False) -> None:
        """Start sandboxes ahead of time for the next runs like the ones so far (runner/sandbox/docker/pool.py)."""
        if detached:
            self.started_ahead.fill_detached(connection.connect)
        else:
            self.started_ahead.fill_all(self.client)

    def stop_compilers(self) -> None:
        """Remove the compiler servers of the images this backend has used (runner/sandbox/docker/compiler.py)."""
        for language, (_, image_id) in self._images.items():
            compiler.stop_server(self.client, language, image_id)

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
            stop_warm(self.client, *warm.values())

    @contextmanager
    def example(self, language: Language, source: bytes, filename: str, timeout: float,
                context: RunContext, service: RunningService | None = None, fresh: bool = False):
        """An example ready to run: built (or taken from the build cache), then run in a warm container
        inside `keep_warm` - unless `fresh` is asked or it talks to a service - else in a fresh one each run."""
        image = self.image(language)
        version = self.runtime_version(language)
        # The image's id names the toolchain: the same image always builds the same program.
        build, built = self.build(language, source, filename, timeout, self._images[language.name][1],
                                  (image, context), runtime_version=version, image=image)
        files = {f"src/{filename}": source, **{f"build/{name}": data for name, data in built.items()}}
        if self._warm is not None and service is None and not fresh:
            yield _WarmExample(self, language, image, version, filename, timeout, context, files, build)
            return
        if fits_inline(files):  # the files travel with each run's command
            yield _DockerExample(self, language, image, version, filename, timeout, context, service, build, files,
                                 started_ahead=not fresh)
            return
        volume = create_volume(self.client, labels(context))
        try:
            # Copied in once, before anything runs: every container then mounts it read-only.
            fill_volume(self.client, volume, image, files, ("src", "build"), labels(context, "copy"))
            yield _DockerExample(self, language, image, version, filename, timeout, context, service, build,
                                 volume=volume)
        finally:
            remove_volume(self.client, volume)

    def compile(self, language: Language, source: bytes, filename: str, timeout: float,
                here: tuple[str, RunContext]) -> tuple[Outcome, dict[str, bytes]]:
        """Compile in the language's compiler server (runner/sandbox/docker/compiler.py) if it has one, else
        in a container of its own (the only one that may write to its volume), in the image given for the
        run given (`here`)."""
        image, context = here
        tag, image_id = self._images.get(language.name, ("", ""))
        if compiler.enabled(language) and tag == image:
            try:
                return compiler.build(self.client, language, image, image_id, source, filename, timeout, OUTPUT_LIMIT)
            except compiler.ServerUnavailable:
                pass  # built in a container of its own, as below
        started = time.monotonic()
        volume = create_volume(self.client, labels(context))
        try:
            copy = labels(context, "copy")
            fill_volume(self.client, volume, image, {f"src/{filename}": source}, ("src", "build"), copy)
            limits = language.build_limits
            box = Sandbox(
                image=image, command=language.command(language.build, f"{SOURCE_DIR}/{filename}", BUILD_DIR),
                labels=labels(context, "build"), env=fill_env(language.env, "/tmp"),
                memory_mb=limits.memory_mb, pids=limits.pids, timeout=timeout,
                output_limit=OUTPUT_LIMIT, volume=volume, volume_writable=True,
                cpu_shares=BUILD_CPU_SHARES,
            )
            outcome = run_sandboxed(self.client, box)
            built = read_volume(self.client, volume, image, "build", copy) if outcome.ended_well else {}
            # The build's time is the whole phase's (its copies and containers too): its wall time.
            return replace(outcome, process_ms=None, wall_ms=(time.monotonic() - started) * 1000), built
        finally:
            remove_volume(self.client, volume)


class _DockerExample(Example):
    """Each run in a fresh container, with the example's files in its command (small ones) or in a volume
    it mounts read-only; with `started_ahead`, one started ahead of time if one of its kind waits (not for a
    lesson that measures memory: the peak of a container started earlier spans its wait too)."""

    def __init__(self, backend: DockerBackend, language: Language, image: str, version: str | None,
                 filename: str, timeout: float, context: RunContext, service: RunningService | None,
                 build: RunResult | None, files: dict[str, bytes] | None = None, volume: str | None = None,
                 started_ahead: bool = False):
        self.backend, self.language, self.image, self.version = backend, language, image, version
        self.timeout, self.context, self.service, self.build = timeout, context, service, build
        self.files, self.volume, self.started_ahead = files, volume, started_ahead
        self.source = f"{SOURCE_DIR}/{filename}"
        self.env = fill_env(language.env, "/tmp")

    def prepare(self) -> None:
        """Nothing to start ahead: each run has a container of its own, created in its turn."""

    def _run(self, repeat: int, env: dict[str, str]) -> RunResult:
        limits = self.language.limits
        box = Sandbox(
            image=self.image, command=self.language.command(self.language.run, self.source, BUILD_DIR),
            labels=labels(self.context, "run"),
            env={**self.env, **(self.service.env if self.service else {}), **env},
            network=self.service.network if self.service else "none",
            memory_mb=limits.memory_mb, pids=limits.pids, timeout=self.timeout,
            output_limit=OUTPUT_LIMIT, volume=self.volume, files=self.files,
        )
        outcome = run_sandboxed(self.backend.client, box, self.backend.started_ahead if self.started_ahead else None)
        return run_result(self.language, NAME, outcome, self.timeout, limits.memory_mb, self.build,
                          pids=limits.pids, runtime_version=self.version, image=self.image, repeat=repeat)


class _WarmExample(Example):
    """Each run an exec in the language's warm container, in a working folder of its own, every process it
    started killed after it. A container that could not stop a program is replaced before the next run."""

    def __init__(self, backend: DockerBackend, language: Language, image: str, version: str | None,
                 filename: str, timeout: float, context: RunContext, files: dict[str, bytes],
                 build: RunResult | None):
        self.backend, self.language, self.image, self.version = backend, language, image, version
        self.timeout, self.files, self.build, self.filename = timeout, files, build, filename
        self.job = uuid.uuid4().hex[:12]
        self.inline = fits_inline(files)
        self.copied: tuple[str, str] | None = None  # (warm container, folder) that has the files, if copied
        self.env = fill_env(language.env, "/tmp")
        limits = language.limits
        self.box = Sandbox(
            image=image, command=[], memory_mb=limits.memory_mb, pids=limits.pids, output_limit=OUTPUT_LIMIT,
            # It serves every lesson of the run: labelled with the run, not with this lesson.
            labels=labels(replace(context, lesson=None), "warm"),
        )

    def prepare(self) -> None:
        """Start the language's warm container now, so that its start falls in no timed run."""
        if not self.build_failed:
            self._container()

    def _container(self) -> Warm:
        warm = self.backend._warm
        if self.language.name not in warm:
            warm[self.language.name] = start_warm(self.backend.client, self.box)
        return warm[self.language.name]

    def _run(self, repeat: int, env: dict[str, str]) -> RunResult:
        warm = self._container()
        run = f"{self.job}-{repeat}"
        try:
            if self.inline:  # the files travel with the run
                folder, files = inline_folder(run), self.files
            else:  # once per container, into its volume
                if self.copied is None or self.copied[0] != warm.container:
                    self.copied = (warm.container, copy_to_warm(self.backend.client, warm, self.job, self.files))
                folder, files = self.copied[1], None
            command = self.language.command(self.language.run, f"{folder}/src/{self.filename}", f"{folder}/build")
            outcome = run_warm(self.backend.client, warm, run, command, {**self.env, **env}, self.timeout,
                               OUTPUT_LIMIT, files)
        except WarmBroken as broken:
            del self.backend._warm[self.language.name]
            stop_warm(self.backend.client, warm)
            if broken.outcome is None:
                raise
            outcome = broken.outcome  # stopped with its container: the next run gets a new one
        limits = self.language.limits
        return run_result(self.language, NAME, outcome, self.timeout, limits.memory_mb, self.build,
                          pids=limits.pids, runtime_version=self.version, image=self.image, repeat=repeat)
