"""A lesson run as a chain of steps: select languages, run each, compare, report."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from runner import ROOT, KitError, compare, slots
from runner.backend import Backend, BackendUnavailable, Progress, too_old
from runner.languages import Language, load_registry
from runner.labels import (LANGUAGE_LABEL, LESSON_LABEL, OWNER_LABEL, OWNER_VARIABLE, RUN_LABEL,  # noqa: F401
                            owner, owner_still_running)
from runner.lessons import Lesson
from runner.prebuild import Prebuilder
from runner.results import LessonReport, RunResult, Status, host_facts, now
from runner.services import SERVICES, RunningService

MAX_EXAMPLE = 1_000_000  # bytes: an example is a page of code, not a data file


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
                 path: Path | None = None) -> list[RunResult]:
    """Every repeat of one language's example (or of the file at `path`, a learner's say); a missing or
    unrunnable example is a result too."""
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
        labels = {RUN_LABEL: run_id, OWNER_LABEL: owner(), LESSON_LABEL: lesson.slug,
                  LANGUAGE_LABEL: language.name}
        if language.build:
            progress(f"{lesson.slug}: building {language.title}")
        results = []
        # In the sandbox every file has the example's name, whatever it is called here.
        filename = lesson.example(language).name
        with backend.example(language, source, filename, lesson.timeout, labels, service,
                             fresh=lesson.needs_fresh_sandbox) as example:
            for i in range(1, repeat + 1):
                counter = f" ({i}/{repeat})" if repeat > 1 else ""
                with slots.timed_run(progress):
                    progress(f"{lesson.slug}: running {language.title}{counter}")
                    result = example.run(i)
                results.append(result.with_(events=compare.events(result.stdout),
                                            run_ms=compare.program_time_ms(result.stdout)))
        return results
    except BackendUnavailable:
        raise  # nothing more can run on this backend: the caller stops (see run_lessons)
    except KitError as exc:
        return [RunResult(status=Status.ERROR, message=str(exc), **base)]


def verdict(lesson: Lesson, runs: list[RunResult]) -> tuple[bool, str, list[dict]]:
    """Equivalent or not, a readable diff of what differs, and the lines that differ by design."""
    rules = lesson.compare
    judged = [r for r in runs if r.status not in (Status.MISSING, Status.SKIPPED)]
    problems = [f"{r.language}: {r.status.value} - {r.message}" for r in judged if r.status is not Status.OK]
    ok = [r for r in judged if r.status is Status.OK]
    if lesson.expected is not None:
        ref_name, reference = f"expected (lessons/{lesson.slug}/lesson.yaml)", lesson.expected
    elif ok:
        ref_name, reference = ok[0].language, ok[0].stdout
    else:
        ref_name, reference = "", ""
    diffs = []
    for run in ok:
        if run.stdout is reference:
            continue
        name = run.language + (f" (run {run.repeat})" if run.repeat > 1 else "")
        text = compare.diff(ref_name, reference, name, run.stdout, rules)
        if text:
            diffs.append(text)
    declared = []
    for rule in rules.differ:
        lines = {lang: [line for line in compare.normalise(r.stdout) if rule.matches(line)]
                 for lang, r in {r.language: r for r in ok}.items()}
        declared.append({"match": rule.match, "why": rule.why, "lines": lines})
    equivalent = not problems and not diffs and bool(ok)
    return equivalent, "\n\n".join(problems + diffs), declared


def _service(lesson: Lesson, backend: Backend, run_id: str, progress: Progress):
    """The service the lesson's examples talk to, started for the length of the lesson."""
    if lesson.service is None:
        return nullcontext()
    spec = SERVICES[lesson.service]
    progress(f"{lesson.slug}: starting the {spec.name} service")
    labels = {RUN_LABEL: run_id, OWNER_LABEL: owner(), LESSON_LABEL: lesson.slug}
    return backend.service(spec, load_registry().get(spec.image_language), labels)


def run_file(lesson: Lesson, language: Language, backend: Backend, path: Path,
             progress: Progress = lambda _: None) -> RunResult:
    """One run of a file written for the lesson (a learner's), in the same sandbox as the examples."""
    run_id = uuid.uuid4().hex[:12]
    try:
        with _service(lesson, backend, run_id, progress) as service:
            return run_language(lesson, language, backend, 1, run_id, progress, service, path)[0]
    except KitError as exc:
        return RunResult(language=language.name, backend=backend.name, status=Status.ERROR, message=str(exc))


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
        backend.abort(run_id)
        wait(futures)
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
    except BackendUnavailable:
        raise
    except KitError as exc:  # the service did not start: no example can run
        runs = [RunResult(language=lang.name, backend=backend.name, status=Status.ERROR, message=(
            f"the lesson's service {lesson.service!r} is not available: {exc}")) for lang in languages]
    equivalent, diff, declared = verdict(lesson, runs)
    return LessonReport(
        lesson=lesson.slug, title=lesson.title, equivalent=equivalent, diff=diff, runs=tuple(runs),
        backend=backend.name, declared_differences=tuple(declared), host=host_facts(), date=now(),
    )


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
        prebuilder = Prebuilder(lessons[1:], languages, backend, {OWNER_LABEL: owner()}) if len(lessons) > 1 else None
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
