"""A lesson run as a chain of steps: select languages, run each, compare, report."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from runner import ROOT, KitError
from runner.model import compare
from runner.sandbox import cores, slots
from runner.sandbox.backend import Backend, BackendUnavailable, Progress, shown_paths, too_old
from runner.sandbox.run_context import RunContext
from runner.model.languages import Language, load_registry
from runner.model.lesson import SCENARIO_VARIABLE
from runner.model.lessons import Lesson
from runner.run import verdicts
from runner.run.prebuild import Prebuilder
from runner.model.results import LessonReport, RunResult, Status, host_facts, now
from runner.model.services import SERVICES, RunningService

MAX_EXAMPLE = 1_000_000  # bytes: an example is a page of code, not a data file
SCENARIOS_AT_ONCE = 2  # an exercise's scenarios side by side, at most this many (each takes a timed slot too)


def source_problem(path: Path, source: bytes) -> str | None:
    """Why a file cannot be run as an example, if it cannot: the runtimes would fail unclearly or not
    at all (Node and .NET run text that is not UTF-8 with its characters replaced)."""
    path = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    if len(source) > MAX_EXAMPLE:
        return (f"{path} is {len(source) // 1000} kB: an example is a page of code "
                f"(at most {MAX_EXAMPLE // 1000} kB)")
    if not source.strip():
        return f"{path} is empty: write the example, or start from a stub with `invoke new-lesson`"
    try:
        source.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"{path} is not UTF-8 text (byte {exc.start} is {source[exc.start]:#04x}): save it as UTF-8"
    return None


def run_language(lesson: Lesson, language: Language, backend: Backend, repeat: int, run_id: str,
                 progress: Progress, service: RunningService | None = None,
                 path: Path | None = None, alone: bool = False, scenarios: tuple[str, ...] = ()) -> list[RunResult]:
    """Every repeat of one language's example (or of the file at `path`, a learner's say), or one run in each
    of an exercise's `scenarios` instead (named to the program in SCENARIO_VARIABLE; SCENARIOS_AT_ONCE at a
    time), built once; a missing or unrunnable example is a result too, the only one. `alone`: one at a time,
    no other program timed and no build started meanwhile (slots.exclusive_run)."""
    path = path or lesson.example(language)
    base = dict(language=language.name, backend=backend.name)
    if not path.is_file():
        return [RunResult(status=Status.MISSING, message=f"no example: {path.relative_to(path.parents[1])} "
                          "does not exist", **base)]
    try:
        source = path.read_bytes()
    except OSError as exc:
        return [RunResult(status=Status.ERROR, message=f"cannot read the example {path}: {exc.strerror or exc}",
                          **base)]
    problem = source_problem(path, source)
    if problem:
        return [RunResult(status=Status.ERROR, message=f"not run: {problem}", **base)]
    try:
        version = backend.runtime_version(language)
        required = lesson.required_version(language.name)
        if too_old(version, required):
            return [RunResult(status=Status.SKIPPED, runtime_version=version, message=(
                f"the lesson needs {language.title} {required} or newer; this runtime is {version}"), **base)]
        context = RunContext(run_id, lesson.slug, language.name)
        if language.build:
            progress(f"{lesson.slug}: building {language.title}")
        # In the sandbox every file has the example's name, whatever it is called here.
        filename = lesson.example(language).name
        kit = lesson.folder.parent.parent  # in the author's words: csharp/breakfast.cs, workspace/...
        shown = str(path.relative_to(kit)) if path.is_relative_to(kit) else str(path)
        with backend.example(lesson.built(language), source, filename, lesson.timeout, context, service,
                             fresh=lesson.needs_fresh_sandbox) as example:
            example.prepare()  # a warm container starts here, outside the timed runs

            def one(i: int, scenario: str | None) -> RunResult:
                counter = f" ({scenario})" if scenario else f" ({i}/{repeat})" if repeat > 1 else ""
                with (slots.exclusive_run if alone or lesson.runs_exclusive else slots.timed_run)(progress):
                    if lesson.needs and (lacks := cores.measure().lacks(lesson.needs.cores)):
                        return RunResult(status=Status.NOT_RUN, runtime_version=version, message=(
                            f"not run: {lacks}; run it when the machine is quieter, or on one with more cores"),
                            **base)
                    progress(f"{lesson.slug}: running {language.title}{counter}")
                    result = shown_paths(example.run(i, {SCENARIO_VARIABLE: scenario} if scenario else {}),
                                         filename, shown)
                return result.with_(events=compare.events(result.stdout), run_ms=compare.program_time_ms(result.stdout))
            runs = list(enumerate(scenarios, start=1)) if scenarios else [(i, None) for i in range(1, repeat + 1)]
            if len(runs) > 1 and scenarios and not (alone or lesson.runs_alone):
                return _at_once(one, runs, backend, run_id)
            return [one(i, scenario) for i, scenario in runs]
    except BackendUnavailable:
        raise  # nothing more can run on this backend: the caller stops (see run_lessons)
    except KitError as exc:
        return [RunResult(status=Status.ERROR, message=str(exc), **base)]


def _at_once(one: Callable[[int, str | None], RunResult], runs: list[tuple[int, str | None]], backend: Backend,
             run_id: str) -> list[RunResult]:
    """`one` for every run, SCENARIOS_AT_ONCE at a time, in threads; on Ctrl-C or a failure the backend stops
    the others."""
    with ThreadPoolExecutor(SCENARIOS_AT_ONCE, thread_name_prefix="scenario-") as pool:
        futures = [pool.submit(one, *run) for run in runs]
        try:
            return [future.result() for future in futures]
        except BaseException:
            backend.abort(run_id)
            raise


def _service(lesson: Lesson, backend: Backend, run_id: str, progress: Progress):
    """The service the lesson's examples talk to, started for the length of the lesson."""
    if lesson.service is None:
        return nullcontext()
    spec = SERVICES[lesson.service]
    progress(f"{lesson.slug}: starting the {spec.name} service")
    return backend.service(spec, load_registry().get(spec.image_language), RunContext(run_id, lesson.slug))


def run_file(lesson: Lesson, language: Language, backend: Backend, path: Path, scenarios: tuple[str, ...],
             progress: Progress = lambda _: None, alone: bool = False) -> list[RunResult]:
    """A run of a file written for the lesson (a learner's) in each of the exercise's `scenarios`, in the same
    sandbox as the examples; a single result when it could not run at all. `alone`: as no other program is
    timed."""
    run_id = uuid.uuid4().hex[:12]
    try:
        with _service(lesson, backend, run_id, progress) as service:
            return run_language(lesson, language, backend, 1, run_id, progress, service, path, alone, scenarios)
    except KitError as exc:
        return [RunResult(language=language.name, backend=backend.name, status=Status.ERROR, message=str(exc))]


def _side_by_side(lesson: Lesson, languages: list[Language], backend: Backend, repeat: int, run_id: str,
                  progress: Progress, service: RunningService | None) -> list[RunResult]:
    """Every language at the same time, each in a thread of its own; results in the languages' order.

    On Ctrl-C or a failure the backend stops what the others run, and they end before this returns."""
    pool = ThreadPoolExecutor(len(languages), thread_name_prefix=f"{lesson.slug}-")
    futures = [pool.submit(run_language, lesson, language, backend, repeat, run_id, progress, service)
               for language in languages]
    try:
        return [result for future in futures for result in future.result()]
    except BaseException:
        while True:  # again until every thread has ended: a program one of them started after a sweep goes too
            backend.abort(run_id)
            if not wait(futures, timeout=1).not_done:
                break
        raise
    finally:
        pool.shutdown(wait=True)


def run_lesson(lesson: Lesson, languages: list[Language], backend: Backend, repeat: int = 1,
               progress: Progress = lambda _: None, warm: bool = False, side_by_side: bool = False) -> LessonReport:
    """Run a lesson's examples and compare them. `warm`: in the backend's warm sandboxes (the kit's own
    examples; never a learner's). `side_by_side`: the languages at the same time, unless the lesson
    measures CPU or memory (then each runs alone)."""
    run_id = uuid.uuid4().hex[:12]
    runs: list[RunResult] = []
    try:
        with backend.keep_warm() if warm else nullcontext(), _service(lesson, backend, run_id, progress) as service:
            if side_by_side and not lesson.runs_alone and len(languages) > 1:
                runs = _side_by_side(lesson, languages, backend, repeat, run_id, progress, service)
            else:
                for language in languages:
                    runs += run_language(lesson, language, backend, repeat, run_id, progress, service)
            runs = rerun_late(lesson, languages, backend, runs, run_id, progress, service)
    except BackendUnavailable:
        raise
    except KitError as exc:  # the service did not start: no example can run
        runs = [RunResult(language=lang.name, backend=backend.name, status=Status.ERROR, message=(
            f"the lesson's service {lesson.service!r} is not available: {exc}")) for lang in languages]
    equivalent, diff, declared = verdicts.verdict(lesson, runs)
    return LessonReport(
        lesson=lesson.slug, title=lesson.title, equivalent=equivalent, diff=diff, runs=tuple(runs),
        backend=backend.name, declared_differences=tuple(declared), host=host_facts(), date=now(),
        order_varied=verdicts.order_varied(lesson, runs),
    )


def rerun_late(lesson: Lesson, languages: list[Language], backend: Backend, runs: list[RunResult], run_id: str,
               progress: Progress, service: RunningService | None) -> list[RunResult]:
    """Each run whose output differs from the reference only by time stamps that the machine's load
    explains (in a lesson that needs free cores: any way, if programs waited for a CPU during it), run once
    more alone: the verdict comes from that run. Never more than one rerun per run; a difference the load
    does not explain stands at once."""
    ok = [r for r in runs if r.status is Status.OK]
    _, reference, reference_run = verdicts.reference_of(lesson, ok)
    by_name = {language.name: language for language in languages}
    late = {id(run): f"in the first run {why}" for run in ok if run is not reference_run and not run.rerun
            and not compare.matches(reference, run.stdout, lesson.compare)[0]
            and (why := verdicts.late_by_load(reference, run, lesson.compare, reference_run)
                 or verdicts.crowded(lesson, run))}
    if reference_run is not None and late:  # with no expected output, the first run is the yardstick
        late[id(reference_run)] = "the others were compared with its first run, which the load may have made late"
    settled = []
    for run in runs:
        why = late.get(id(run))
        if why:
            language = by_name[run.language]
            progress(f"{lesson.slug}: {language.title}'s time stamps may be late from the machine's load: "
                     "running it again, alone")
            again = run_language(lesson, language, backend, 1, run_id, progress, service, alone=True)[0]
            run = verdicts.short_of_cores(lesson, reference, again.instead_of(run, why))
        settled.append(run)
    return settled


def not_run(lesson: Lesson, languages: list[Language], backend: Backend,
            reason: BackendUnavailable) -> LessonReport:
    """The report of a lesson that could not run because the backend had stopped working."""
    runs = tuple(RunResult(language=lang.name, backend=backend.name, status=Status.ERROR, message=reason.summary)
                 for lang in languages)
    return LessonReport(lesson=lesson.slug, title=lesson.title, equivalent=False, diff="", runs=runs,
                        backend=backend.name, host=host_facts(), date=now())


@dataclass(frozen=True)
class Course:
    """What running several lessons gave: a report each, how many ran to the end, what stopped it."""

    reports: tuple[LessonReport, ...]
    finished: int  # the first `finished` reports ran to the end (and were saved)
    lost: BackendUnavailable | None = None  # the backend stopped working; the rest did not run


def run_lessons(lessons: list[Lesson], languages: list[Language], backend: Backend, repeat: int,
                progress: Progress, save: Callable[[LessonReport], None], warm: bool = False,
                side_by_side: bool = False) -> Course:
    """Each lesson in turn, each report saved as soon as it is complete; warm sandboxes, if asked, last
    for the whole course.

    When the backend stops working (the Docker engine goes away, say) the lesson under way and the ones
    after it are reported as not run, and not saved: the results of an earlier run stay as they were."""
    reports: list[LessonReport] = []
    with backend.keep_warm() if warm else nullcontext():
        prebuilder = Prebuilder(lessons[1:], languages, backend) if len(lessons) > 1 else None
        try:
            for i, lesson in enumerate(lessons):
                if prebuilder is not None:
                    # A lesson that measures CPU starts only when no build is left to take it.
                    prebuilder.wait_all() if lesson.runs_alone else prebuilder.wait(lesson)
                try:
                    report = run_lesson(lesson, languages, backend, repeat, progress, warm, side_by_side)
                except BackendUnavailable as lost:
                    rest = tuple(not_run(later, languages, backend, lost) for later in lessons[i:])
                    return Course(tuple(reports) + rest, len(reports), lost)
                save(report)
                reports.append(report)
        finally:
            if prebuilder is not None:
                prebuilder.stop()
    return Course(tuple(reports), len(reports))
