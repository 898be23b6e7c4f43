"""Checking a learner's exercise: static rules, a run in the examples' sandbox, the output, the time."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from runner import KitError
from runner.model import compare, crash, diagnosis
from runner.sandbox import noise
from runner.run import static_checks, workflow
from runner.sandbox.backend import Backend, Progress
from runner.model.languages import Language
from runner.model.lessons import Lesson
from runner.model.results import RunResult, Status

SLOWER_GRACE = 0.15  # seconds past the right solution's time before "slower" is said
MAX_SOURCE = 200_000  # bytes: an exercise is a page of code, not a data file


@dataclass(frozen=True)
class Verdict:
    lesson: str
    language: str
    file: str
    passed: bool
    status: str  # passed, wrong (ran but is not right yet), or how the run ended (build_failed, ...)
    messages: tuple[str, ...]
    run: RunResult | None

    def __bool__(self) -> bool:
        return self.passed

    def to_dict(self) -> dict:
        data = asdict(self)
        data["messages"] = list(self.messages)
        data["run"] = self.run.to_dict() if self.run is not None else None  # a failed run is falsy
        return data


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KitError(f"no such file: {path}") from None
    except OSError as exc:
        raise KitError(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > MAX_SOURCE:
        raise KitError(f"{path} is {len(data) // 1000} kB: an exercise is a page of code (at most "
                       f"{MAX_SOURCE // 1000} kB)")
    if not data.strip():
        raise KitError(f"{path} is empty: start from the starter (`invoke exercise ... --force` writes it again)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KitError(f"{path} is not UTF-8 text (byte {exc.start}): save it as UTF-8") from None


def _what_went_wrong(run: RunResult, language: Language, path: Path) -> list[str]:
    """What a learner is told of a run that did not end well: its status's words (runner/model/results.py), and
    the end of what it said, with the lines that name their file (runner/model/crash.py)."""
    told = run.status.told(run.message)
    if run.status.stderr:
        tail = crash.excerpt(run.stderr, path.name)
        meaning = dict(language.exit_codes).get(run.exit_code)
        told += (f" ({meaning})" if meaning else "") + (f"; it said:\n{tail}" if tail else "")
    return [told]


def judge(lesson: Lesson, language: Language, path: Path, backend: Backend,
          progress: Progress = lambda _: None) -> Verdict:
    """Whether the learner's file at `path` solves the lesson's exercise, and if not, what is wrong."""
    exercise = lesson.exercise
    if exercise is None:
        raise KitError(f"the lesson {lesson.slug!r} has no exercise")
    source = _read(path)
    examination = static_checks.examine(language, source, exercise.allow, exercise.forbid)
    static = [str(f) for f in examination.findings]
    progress(f"{lesson.slug}: running your {language.title} program")
    run = workflow.run_file(lesson, language, backend, path, progress)
    if run.status is Status.OK and (why := _late_by_load(lesson, run)):
        # Only a difference in time that the machine's load explains: the verdict comes from a second run.
        progress(f"{lesson.slug}: the machine was busy: running your program again, alone")
        again = workflow.run_file(lesson, language, backend, path, progress, alone=True)
        run = again.instead_of(run, f"in the first run {why}")
    base = dict(lesson=lesson.slug, language=language.name, file=str(path), run=run)
    if run.status is not Status.OK:
        return Verdict(passed=False, status=run.status.value,
                       messages=tuple(_what_went_wrong(run, language, path) + static) + examination.unchecked, **base)
    messages = _timing_and_output(lesson, run) + static
    seconds = (run.run_ms or 0) / 1000
    passed = not messages
    about_time = _too_slow(lesson, run) or (
        lesson.expected is not None
        and compare.time_shift(lesson.expected, run.stdout, lesson.compare, any_order=True) is not None)
    notes = list(examination.unchecked) + (
        [f"checked with a second run, alone (no other program timed, no build, meanwhile): {run.rerun}"]
        if run.rerun else []) + (
        [f"the machine was busy: its time stamps may be late ({noise.describe(run.stall_ms)})"]
        if not passed and about_time and noise.busy(run.stall_ms) else [])
    return Verdict(passed=passed, status="passed" if passed else "wrong",
                   messages=tuple(messages or [f"right: the output matches and it takes {seconds:.1f} s"]) + tuple(notes),
                   **base)


def _too_slow(lesson: Lesson, run: RunResult) -> float:
    """How many seconds past a right solution's time (and its grace) the run finished; 0 if not later."""
    seconds = (run.run_ms or 0) / 1000
    return max(0.0, seconds - lesson.exercise.seconds - max(lesson.compare.tolerance, SLOWER_GRACE))


def _timing_and_output(lesson: Lesson, run: RunResult) -> list[str]:
    """What is wrong with a run that ended well: its time, and how its output differs (runner/model/diagnosis.py)."""
    seconds = None if run.run_ms is None else run.run_ms / 1000
    return diagnosis.messages(lesson, run.stdout, seconds, bool(_too_slow(lesson, run)),
                              max(lesson.compare.tolerance, SLOWER_GRACE), run.language)


def _late_by_load(lesson: Lesson, run: RunResult) -> str:
    """Why the run's only faults are time stamps that the machine's load can have made late; "" if it
    has others (or none)."""
    if not _timing_and_output(lesson, run):
        return ""
    if lesson.expected is not None and not compare.matches(lesson.expected, run.stdout, lesson.compare)[0]:
        return workflow.late_by_load(lesson.expected, run, lesson.compare)  # covers its last time stamp too
    late = _too_slow(lesson, run)  # the output is right; only the time is long
    return (f"it finished {late:.1f} s later than allowed while {noise.describe(run.stall_ms)}"
            if noise.explains(late, 0.0, run.stall_ms, 0.0) else "")
