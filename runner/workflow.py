"""A lesson run as a chain of steps: select languages, run each, compare, report."""
from __future__ import annotations

import uuid
from contextlib import nullcontext
from pathlib import Path

from runner import KitError, compare
from runner.backend import Backend, Progress, too_old
from runner.languages import Language, load_registry
from runner.lessons import Lesson
from runner.results import LessonReport, RunResult, Status, host_facts, now
from runner.services import SERVICES, RunningService

LESSON_LABEL = "org.async-rosetta.lesson"
LANGUAGE_LABEL = "org.async-rosetta.language"


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
        version = backend.runtime_version(language)
        required = lesson.required_version(language.name)
        if too_old(version, required):
            return [RunResult(status=Status.SKIPPED, runtime_version=version, message=(
                f"the lesson needs {language.title} {required} or newer; this runtime is {version}"), **base)]
        labels = {"org.async-rosetta.run": run_id, LESSON_LABEL: lesson.slug, LANGUAGE_LABEL: language.name}
        if language.build:
            progress(f"{lesson.slug}: building {language.title}")
        results = []
        # In the sandbox every file has the example's name, whatever it is called here.
        filename = lesson.example(language).name
        with backend.example(language, source, filename, lesson.timeout, labels, service) as example:
            for i in range(1, repeat + 1):
                counter = f" ({i}/{repeat})" if repeat > 1 else ""
                progress(f"{lesson.slug}: running {language.title}{counter}")
                result = example.run(i)
                results.append(result.with_(events=compare.events(result.stdout),
                                            run_ms=compare.program_time_ms(result.stdout)))
        return results
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
    labels = {"org.async-rosetta.run": run_id, LESSON_LABEL: lesson.slug}
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


def run_lesson(lesson: Lesson, languages: list[Language], backend: Backend, repeat: int = 1,
               progress: Progress = lambda _: None) -> LessonReport:
    run_id = uuid.uuid4().hex[:12]
    runs: list[RunResult] = []
    try:
        with _service(lesson, backend, run_id, progress) as service:
            for language in languages:
                runs += run_language(lesson, language, backend, repeat, run_id, progress, service)
    except KitError as exc:  # the service did not start: no example can run
        runs = [RunResult(language=lang.name, backend=backend.name, status=Status.ERROR, message=(
            f"the lesson's service {lesson.service!r} is not available: {exc}")) for lang in languages]
    equivalent, diff, declared = verdict(lesson, runs)
    return LessonReport(
        lesson=lesson.slug, title=lesson.title, equivalent=equivalent, diff=diff, runs=tuple(runs),
        backend=backend.name, declared_differences=tuple(declared), host=host_facts(), date=now(),
    )
