"""What the commands that run programs do, past their flags: run-lesson and run-all, check.

tasks.py parses the flags and prints; here the flags become lessons, languages and a backend, and the
run's problems become the kit's errors (KitError: bad input; EnvironmentProblem: this machine)."""
from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager

from runner import ROOT, EnvironmentProblem, KitError
from runner.model import authoring
from runner.model.languages import Language, Registry, load_registry
from runner.model.lesson import Lesson, find_exercise, find_lesson
from runner.model.lessons import Course, InvalidLessons, load_course
from runner.model.results import NOT_RUN_HERE, LessonReport
from runner.model.store import ResultsStore
from runner.run import workflow
from runner.run.checker import Verdict, judge
from runner.run.watch import watch as watching
from runner.sandbox import choice
from runner.sandbox.backend import Progress


# The exit statuses (README: Using it): a run failed or the outputs differ; bad input; something missing or
# broken on this machine; Ctrl-C.
EXIT_FAILED, EXIT_INPUT, EXIT_ENVIRONMENT, EXIT_INTERRUPTED = 1, 2, 3, 130


def exit_for(exc: BaseException) -> tuple[str | None, int]:
    """The message and exit status of an expected failure: the kit's own errors, Ctrl-C, a closed pipe."""
    if isinstance(exc, InvalidLessons):
        return f"invalid lessons: {exc}", EXIT_INPUT
    if isinstance(exc, KitError):
        return f"error: {exc}", EXIT_ENVIRONMENT if isinstance(exc, EnvironmentProblem) else EXIT_INPUT
    if isinstance(exc, KeyboardInterrupt):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the cleanup is done: a second Ctrl-C changes nothing
        return ("interrupted: everything the run had started (containers, volumes, processes) was removed; "
                "the results of lessons that had finished are kept under results/", EXIT_INTERRUPTED)
    if isinstance(exc, BrokenPipeError):
        # The reader went away (`invoke run-all | head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return None, EXIT_FAILED
    raise exc


@dataclass(frozen=True)
class Feedback:
    """How a command talks while it works: messages, warnings, and a spinner with a line of text
    (`with status("starting") as s: s.update("...")`, as rich's Console.status)."""

    say: Progress
    warn: Progress
    status: Callable[[str], ContextManager]


def load(warn: Progress, lesson: str | None = None) -> tuple[Registry, Course, dict[str, Lesson]]:
    """The registry, the course, and the lessons a command may use: a broken lesson it names (`lesson`) is its
    error; any other is left out, with a warning."""
    registry = load_registry()
    course = load_course(registry)
    lessons = course.usable(lesson)
    if course.broken:
        warn(f"left out, for problems in their lesson files: {', '.join(course.broken)} (`invoke list` lists them)")
    return registry, course, lessons


def count(value, flag: str = "--repeat", default: int = 1) -> int:
    """A count given on the command line. (The flags default to None, not a number, so that invoke leaves a
    bad value to this message instead of failing in its parser with a traceback.)"""
    if value is None:
        return default
    try:
        repeat = int(value)
    except (TypeError, ValueError):
        repeat = 0
    if repeat < 1:
        raise KitError(f"{flag} takes a whole number of at least 1, got {value!r}")
    return repeat


def languages(registry: Registry, lang: str | None) -> list[Language]:
    """The languages --lang names (all of them when it names none)."""
    chosen = registry.select(lang)
    if not chosen:
        raise KitError(f"--lang {lang!r} names no language: expected one or more of {', '.join(registry.names)}")
    return chosen


@dataclass
class CourseRun:
    """What run-lesson or run-all gave: the reports, and what kept some from running or being saved."""

    reports: list[LessonReport]
    results_dir: Path
    backend: str
    finished: int = 0
    lost: Exception | None = None
    unsaved: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return all(self.reports)

    def raise_problems(self) -> None:
        """The engine stopped, or results could not be written, or (nothing having failed) a lesson could not run
        for want of the free cores it needs: an EnvironmentProblem saying what is kept, or what did not run."""
        if self.lost:
            saved = self.finished - len(self.unsaved)
            raise EnvironmentProblem(f"{self.lost}\nThe results of the {saved} lesson(s) that had finished are saved "
                                     f"under {ResultsStore(self.results_dir).folder_of(self.backend)}; the other "
                                     f"{len(self.reports) - self.finished} did not run.")
        if self.unsaved:
            more = f"\n(and {len(self.unsaved) - 1} more lesson(s) could not be saved)" if len(self.unsaved) > 1 else ""
            raise EnvironmentProblem(self.unsaved[0] + more)
        unmet = [f"{report.lesson} in {', '.join(r.language for r in report.unmet)}" for report in self.reports
                 if report.unmet]
        if self and unmet:
            raise EnvironmentProblem(f"not run here: {'; '.join(unmet)}, for want of free cores (each run's message "
                                     "says why); nothing that ran failed or differs")


def run_course(registry: Registry, lessons: dict[str, Lesson], slugs: list[str], lang: str | None, backend: str,
               repeat, serial: bool, results_dir: Path, feedback: Feedback) -> CourseRun:
    """Run the lessons named (all when none) in the languages named, each report saved when complete."""
    chosen = [find_lesson(lessons, s) for s in slugs] if slugs else list(lessons.values())
    picked = languages(registry, lang)
    repeat = count(repeat)
    engine = choice.ready(backend, picked, feedback.warn, feedback.say)
    outcome = CourseRun([], results_dir, engine.name)
    for lesson in chosen:
        for warning in authoring.lesson_warnings(lesson, registry):
            feedback.warn(warning)

    def save(report):
        store = ResultsStore(results_dir)
        before = store.stored(report.backend, report.lesson)
        if before and report.verdict == NOT_RUN_HERE:  # the pages keep showing what the examples did when they ran
            feedback.warn(f"{report.lesson}: not run here, so the stored run of {before.date} is kept")
            return
        try:
            store.save(report)
        except EnvironmentProblem as exc:  # a full disk, say: show what ran, then say so
            outcome.unsaved.append(str(exc))
            return
        if before and not report:  # the pages will show this run: say what it replaced, and where that is
            feedback.warn(f"{report.lesson}: this run replaced the stored good result of {before.date} on the "
                          f"{report.backend} backend (pages and handouts show the newest run); the good one is kept "
                          f"as {store.last_good(report.backend, report.lesson)}")

    with feedback.status("starting") as spinner:
        # The kit's own examples: in warm sandboxes, and side by side where the lesson measures only time.
        course = workflow.run_lessons(chosen, picked, engine, repeat, spinner.update, save, warm=True,
                                      side_by_side=not serial)
    outcome.reports, outcome.finished, outcome.lost = list(course.reports), course.finished, course.lost
    by_slug = {lesson.slug: lesson for lesson in chosen}
    for report in outcome.reports[:outcome.finished]:
        for warning in authoring.run_warnings(by_slug[report.lesson], report):
            feedback.warn(warning)
    return outcome


def check_exercise(registry: Registry, lessons: dict[str, Lesson], slug: str, lang: str | None, file: str | None,
                   backend: str, workspace, feedback: Feedback, show: Callable[[Verdict], None],
                   watch: bool = False, scenario: str | None = None) -> Verdict:
    """Check the learner's file (in `workspace`, or `file`) against the lesson's exercise, in every scenario or
    in the one named, and `show` the verdict; `watch`: again on every save, until Ctrl-C. `workspace` is
    runner/setup/progress.py's Learner (the run layer may not import setup): it finds the file and its
    language, and keeps a PASS of the learner's file, saying where the learner now stands."""
    chosen = find_exercise(lessons, slug)
    if scenario:
        chosen.scenario(scenario)  # an unknown name is refused before anything is built or run
    language = registry.language_for(lang, file) if file else workspace.language(chosen, registry, lang)
    path = Path(file) if file else workspace.file(chosen, language)
    if not file and not path.is_file():
        raise KitError(f"no {path.relative_to(ROOT)} yet: `invoke exercise {chosen.slug} --lang {language.name}` "
                       "writes it, or check any file with --file PATH")
    engine = choice.ready(backend, [language], feedback.warn, feedback.say)

    def check() -> Verdict:
        with feedback.status("checking") as spinner:
            verdict = judge(chosen, language, path, engine, spinner.update, scenario)
        show(verdict)
        engine.prepare_next(detached=True)  # for the next check, while the learner reads this one
        if verdict and not file and not scenario:  # a PASS in one scenario is not the exercise's
            feedback.say(workspace.passed(lessons, chosen, language, (verdict.run.run_ms or 0) / 1000))
        return verdict

    if not watch:
        return check()
    verdict, error = watching(path, check, feedback.say)
    feedback.say("stopped watching; the last check: " + ("PASS" if verdict else "NOT YET" if verdict is not None
                                                          else f"it could not run ({error})"))
    if error is not None:
        raise error
    return verdict
