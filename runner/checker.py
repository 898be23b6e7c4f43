"""Checking a learner's exercise: static rules, a run in the examples' sandbox, the output, the time."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from runner import KitError, compare, static_checks, workflow
from runner.backend import Backend, Progress
from runner.languages import Language
from runner.lessons import Lesson
from runner.results import RunResult, Status

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


def _how_it_ended(run: RunResult, language: Language) -> list[str]:
    if run.status is Status.BUILD_FAILED:
        return [f"it does not compile: {run.message.removeprefix('the build failed:').strip()}"]
    if run.status is Status.FAILED:
        tail = "\n".join(run.stderr.strip().splitlines()[-12:])
        meaning = dict(language.exit_codes).get(run.exit_code)
        return [f"{run.message}" + (f" ({meaning})" if meaning else "") + (f"; it said:\n{tail}" if tail else "")]
    return [run.message or f"it ended with status {run.status.value}"]


def check(lesson: Lesson, language: Language, path: Path, backend: Backend,
          progress: Progress = lambda _: None) -> Verdict:
    """Whether the learner's file at `path` solves the lesson's exercise, and if not, what is wrong."""
    exercise = lesson.exercise
    if exercise is None:
        raise KitError(f"the lesson {lesson.slug!r} has no exercise")
    source = _read(path)
    messages = [str(f) for f in static_checks.find(language.name, source, exercise.allow)]
    progress(f"{lesson.slug}: running your {language.title} program")
    run = workflow.run_file(lesson, language, backend, path, progress)
    base = dict(lesson=lesson.slug, language=language.name, file=str(path), run=run)
    if run.status is not Status.OK:
        return Verdict(passed=False, status=run.status.value, messages=tuple(_how_it_ended(run, language) + messages),
                       **base)
    seconds = (run.run_ms or 0) / 1000
    if seconds > exercise.seconds + max(lesson.compare.tolerance, SLOWER_GRACE):
        messages.insert(0, f"it finished in {seconds:.1f} s; {exercise.slower}")
    if lesson.expected is not None:
        diff = compare.diff("expected", lesson.expected, "your program", run.stdout, lesson.compare)
        if diff:
            messages.append("its output is not what a right program prints (- expected, + yours):\n" + diff)
    passed = not messages
    return Verdict(passed=passed, status="passed" if passed else "wrong",
                   messages=tuple(messages) or (f"right: the output matches and it takes {seconds:.1f} s",), **base)
