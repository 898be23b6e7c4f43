"""`invoke bench`: what the kit adds to the examples' own time, on this machine, in one run.

Every figure is a median with min and max over repeated runs, measured side by side in one invocation:
this machine is noisy, and only ratios taken together mean something. The targets are printed as
pass/fail lines; they are goals for the kit, not tests."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Callable

from runner import ROOT, KitError
from runner.sandbox import build_cache
from runner.run import workflow
from runner.sandbox.backend import Backend, Progress
from runner.sandbox.run_context import RunContext
from runner.model.languages import Language, Registry
from runner.model.lessons import Lesson
from runner.model.results import RunResult, host_facts, now

LESSON = "gather"  # short (0.3s) and sleep-bound: what is measured is the kit, not the program


@dataclass(frozen=True)
class Figure:
    """One measured quantity, in milliseconds."""

    what: str
    language: str  # a language's name, or "" for the whole course
    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def to_dict(self) -> dict:
        return {"what": self.what, "language": self.language, "median_ms": round(self.median, 1),
                "min_ms": round(min(self.samples), 1), "max_ms": round(max(self.samples), 1),
                "samples_ms": [round(s, 1) for s in self.samples]}


@dataclass(frozen=True)
class Target:
    text: str
    measured: str
    passed: bool


@dataclass(frozen=True)
class Bench:
    figures: tuple[Figure, ...]
    targets: tuple[Target, ...]
    facts: dict
    repeat: int

    def figure(self, what: str, language: str = "") -> Figure | None:
        return next((f for f in self.figures if f.what == what and f.language == language), None)

    def to_dict(self) -> dict:
        return {"date": now(), "repeat": self.repeat, "machine": self.facts,
                "figures": [f.to_dict() for f in self.figures],
                "targets": [asdict(t) for t in self.targets], "passed": all(t.passed for t in self.targets)}


@contextmanager
def _empty_caches():
    """Every cache of the kit empty for the length of the block (a machine that has run nothing yet)."""
    saved = {name: os.environ.get(name) for name in ("ASYNC_ROSETTA_CACHE", build_cache.FOLDER_VARIABLE)}
    with tempfile.TemporaryDirectory(prefix="async-rosetta-bench-") as tmp:
        os.environ["ASYNC_ROSETTA_CACHE"] = tmp
        os.environ.pop(build_cache.FOLDER_VARIABLE, None)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def _timed(action: Callable[[], object]) -> float:
    started = time.monotonic()
    action()
    return (time.monotonic() - started) * 1000


def _context() -> RunContext:
    return RunContext("bench", LESSON)


def _native(language: Language, lesson: Lesson, local: Backend, repeat: int) -> list[float]:
    """The example run straight by the host's runtime (`dotnet` of the built program for C#)."""
    source = lesson.example(language)
    with local.example(lesson.built(language), source.read_bytes(), source.name, lesson.timeout, _context()) as example:
        command = language.command(language.run, str(example.source), str(example.folder / "build"))
        return [_timed(lambda: subprocess.run(command, capture_output=True, check=True, cwd=example.folder))
                for _ in range(repeat)]


def _backend_runs(backend: Backend, language: Language, lesson: Lesson, repeat: int, fresh: bool) -> list[float]:
    source = lesson.example(language)
    walls = []
    with backend.example(lesson.built(language), source.read_bytes(), source.name, lesson.timeout, _context(),
                         fresh=fresh) as example:
        example.run(1)  # once to warm up (a warm container starts here)
        for i in range(repeat):
            walls.append(example.run(i + 1).wall_ms)
    return walls


def _checks(language: Language, lesson: Lesson, repeat: int) -> list[float]:
    """`invoke check` of the example on Docker, as a learner runs it, a second apart (as edits are): its
    wall time beyond the program's own process time (the longest of its scenarios'), from the command's start
    to its end. The first
    check is not counted: it fills the build cache and starts sandboxes ahead for the next."""
    # The language is the file's (a bench's registry may name a language otherwise: see tests/test_bench.py).
    command = [sys.executable, "-m", "invoke", "check", lesson.slug, "--file", str(lesson.example(language)),
               "--backend", "docker", "--json"]
    beyond = []
    for i in range(repeat + 1):
        time.sleep(1.0)
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        wall = (time.monotonic() - started) * 1000
        try:
            # Its scenarios run side by side: the check waits for the longest of them.
            process_ms = max(scenario["run"]["process_ms"] for scenario in json.loads(done.stdout)["scenarios"])
        except (ValueError, KeyError, TypeError):
            raise KitError(f"bench: `invoke check {lesson.slug}` of {language.title} said no verdict "
                           f"(exit status {done.returncode}): {done.stderr.strip()[-500:]}") from None
        if i:
            beyond.append(wall - process_ms)
    return beyond


def _builds(backend: Backend, language: Language, lesson: Lesson,
            repeat: int) -> tuple[list[float], list[float], list[float]]:
    """C#: preparing the example with an empty build cache (a real compile), first with no compiler kept warm
    (cold), then with the one that build left warm (a new source), and with a cache hit."""
    source = lesson.example(language)

    def prepare() -> RunResult:
        with backend.example(lesson.built(language), source.read_bytes(), source.name, lesson.timeout,
                             _context()) as example:
            if example.build_failed:
                raise KitError(f"the benchmark's {source.name} did not build: {example.build.message}")
            return example.build

    cold, new, hit = [], [], []
    for _ in range(repeat):
        backend.stop_compilers()
        with _empty_caches():
            cold.append(_timed(prepare))
        with _empty_caches():
            new.append(_timed(prepare))
            started = time.monotonic()
            if not prepare().build_cached:
                raise KitError("the build cache did not keep the program just built: is its folder writable?")
            hit.append((time.monotonic() - started) * 1000)
    return cold, new, hit


def _fill_build_cache(backend: Backend, lessons: list[Lesson], languages: list[Language]) -> None:
    """Build what the build cache does not have yet, so that a run with caches warm compiles nothing."""
    for lesson in lessons:
        for language in languages:
            source = lesson.example(language)
            if language.build and source.is_file():
                with backend.example(lesson.built(language), source.read_bytes(), source.name, lesson.timeout,
                                     _context()):
                    pass


def process_floor(lesson: Lesson, runs: list[RunResult]) -> float:
    """What no runner can beat for one lesson: its languages' process times (start-up to exit), the
    slowest of them where they run side by side, all of them added up where they run one at a time."""
    times = [r.process_ms or 0 for r in runs]
    return sum(times) if lesson.runs_alone else max(times, default=0)


def _run_all(lessons: list[Lesson], languages: list[Language], make_backend: Callable[[], Backend],
             progress: Progress) -> tuple[float, float, float]:
    """The wall time of running the whole course as `invoke run-all` does, and two floors: the sum over
    lessons of the slowest language's in-program time, and of `process_floor`."""
    started = time.monotonic()
    course = workflow.run_lessons(lessons, languages, make_backend(), 1, progress, lambda _: None,
                                  warm=True, side_by_side=True)
    wall = (time.monotonic() - started) * 1000
    by_slug = {lesson.slug: lesson for lesson in lessons}
    in_program = sum(max((r.run_ms or 0) for r in report.runs) for report in course.reports)
    process = sum(process_floor(by_slug[report.lesson], list(report.runs)) for report in course.reports)
    return wall, in_program, process


def backends(languages: list[Language]) -> tuple[Backend, Backend]:
    """The local and the Docker backend, both ready for these languages: the benchmark compares them."""
    from runner import EnvironmentProblem
    from runner.sandbox import choice

    local, docker = choice.choose("local", lambda _: None), choice.choose("docker", lambda _: None)
    problems = local.problems(languages, print) + docker.problems(languages, print)
    if problems:
        raise EnvironmentProblem("the benchmark needs both backends:\n" + "\n".join(problems))
    return local, docker


def run(registry: Registry, lessons: dict[str, Lesson], repeat, status) -> Bench:
    """`invoke bench`: both backends checked, then every figure measured (`status`: a spinner, as rich's)."""
    from runner.run.commands import count

    repeat = count(repeat, default=5)
    local, docker = backends(list(registry.languages.values()))
    with status("measuring") as spinner:
        return measure(registry, lessons, local, type(docker), repeat, spinner.update)


def measure(registry: Registry, lessons: dict[str, Lesson], local: Backend, make_docker: Callable[[], Backend],
            repeat: int, progress: Progress) -> Bench:
    lesson = lessons[LESSON]
    languages = list(registry.languages.values())
    docker = make_docker()
    figures: list[Figure] = []

    def add(what: str, language: str, samples: list[float]) -> None:
        figures.append(Figure(what, language, tuple(samples)))

    for language in languages:
        progress(f"{language.title}: native, local, Docker fresh and warm ({repeat} runs each)")
        add("native", language.name, _native(language, lesson, local, repeat))
        add("local", language.name, _backend_runs(local, language, lesson, repeat, fresh=True))
        # fresh: a container created and started in each run's turn (never one started ahead)
        add("docker fresh", language.name, _backend_runs(docker, language, lesson, repeat, fresh=True))
        with docker.keep_warm():
            add("docker warm", language.name, _backend_runs(docker, language, lesson, repeat, fresh=False))
        progress(f"{language.title}: `invoke check` of the example, as a learner runs it ({repeat} checks)")
        add("check beyond the program", language.name, _checks(language, lesson, repeat))
        if language.build:
            progress(f"{language.title}: builds, cold, of a new source and from the cache ({repeat} each)")
            cold, new, hit = _builds(docker, language, lesson, repeat)
            add("docker build cold", language.name, cold)
            add("docker build new", language.name, new)
            add("docker build cached", language.name, hit)
    course = list(lessons.values())
    progress("filling the build cache")
    _fill_build_cache(docker, course, languages)
    progress("run-all on Docker, caches warm")
    wall, in_program, process = _run_all(course, languages, make_docker, progress)
    add("run-all warm", "", [wall])
    add("run-all floor", "", [in_program])
    add("run-all process floor", "", [process])
    progress("run-all on Docker, caches empty")
    with _empty_caches():
        wall, _, _ = _run_all(course, languages, make_docker, progress)
    add("run-all cold", "", [wall])
    bench = Bench(tuple(figures), (), host_facts(), repeat)
    return Bench(bench.figures, tuple(targets(bench, languages)), bench.facts, repeat)


def targets(bench: Bench, languages: list[Language]) -> list[Target]:
    found = []
    for language in languages:
        local, warm = bench.figure("local", language.name), bench.figure("docker warm", language.name)
        if language.build:
            cold, new = bench.figure("docker build cold", language.name), bench.figure("docker build new", language.name)
            found.append(Target(f"{language.title}: a cold build (no compiler warm) at most 2000 ms",
                                f"{cold.median:.0f} ms", cold.median <= 2000))
            found.append(Target(f"{language.title}: a new source built (the compiler warm) at most 600 ms",
                                f"{new.median:.0f} ms", new.median <= 600))
            ratio = warm.median / local.median
            found.append(Target(f"{language.title}: with a cache hit (no compile), a warm Docker run at most 1.3x "
                                "the local backend's run of the built program",
                                f"{ratio:.2f}x ({warm.median:.0f} / {local.median:.0f} ms)", ratio <= 1.3))
        else:
            extra = warm.median - local.median
            found.append(Target(f"{language.title}: a warm Docker run at most 60 ms more than the local backend",
                                f"{extra:+.0f} ms ({warm.median:.0f} / {local.median:.0f} ms)", extra <= 60))
        beyond = bench.figure("check beyond the program", language.name)
        found.append(Target(f"{language.title}: `invoke check` at most 500 ms beyond the program's own process "
                            "time", f"{beyond.median:.0f} ms", beyond.median <= 500))
    for what, limit, floor, of in (
            ("run-all warm", 1.15, "run-all process floor", "the process floor (per lesson the slowest "
             "language's process time, or, where the languages run one at a time, their sum)"),
            ("run-all cold", 2.0, "run-all floor", "the sum of the slowest language's in-program time per lesson")):
        wall, base = bench.figure(what).median, bench.figure(floor).median
        caches = "warm" if what.endswith("warm") else "empty"
        found.append(Target(f"run-all on Docker, caches {caches}: at most {limit}x {of}",
                            f"{wall / base:.2f}x ({wall / 1000:.1f} / {base / 1000:.1f} s)", wall / base <= limit))
    return found
