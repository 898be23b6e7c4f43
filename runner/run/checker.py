"""Checking a learner's exercise: static rules, a run in the examples' sandbox, the output, the time."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from runner import KitError
from runner.model import compare, crash, diagnosis
from runner.sandbox import noise
from runner.run import static_checks, verdicts, workflow
from runner.sandbox.backend import Backend, Progress
from runner.model.languages import Language
from runner.model.lesson import DEFAULT_SCENARIO, Scenario
from runner.model.lessons import Lesson
from runner.model.results import RunResult, Status

SLOWER_GRACE = 0.15  # seconds past the right solution's time before "slower" is said
MAX_SOURCE = 200_000  # bytes: an exercise is a page of code, not a data file


@dataclass(frozen=True)
class ScenarioVerdict:
    """How the program did in one of the exercise's scenarios."""

    name: str
    what: str  # what the scenario changes, in the learner's terms
    passed: bool
    status: str  # as Verdict.status
    messages: tuple[str, ...]  # what is wrong; empty when it passed
    run: RunResult | None
    notes: tuple[str, ...] = ()  # how it was judged (a second run, a busy machine): not faults

    def to_dict(self) -> dict:
        return dict(name=self.name, what=self.what, passed=self.passed, status=self.status,
                    messages=list(self.messages), notes=list(self.notes),
                    run=self.run.to_dict() if self.run is not None else None)  # a failed run is falsy


@dataclass(frozen=True)
class Verdict:
    lesson: str
    language: str
    file: str
    passed: bool
    status: str  # passed, wrong (ran but is not right yet), or how the run ended (build_failed, ...)
    messages: tuple[str, ...]
    run: RunResult | None  # the default scenario's run
    scenarios: tuple[ScenarioVerdict, ...] = ()  # every scenario run, the default first

    def __bool__(self) -> bool:
        return self.passed

    def to_dict(self) -> dict:
        data = asdict(self)
        data["messages"] = list(self.messages)
        data["run"] = self.run.to_dict() if self.run is not None else None  # a failed run is falsy
        data["scenarios"] = [scenario.to_dict() for scenario in self.scenarios]
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
          progress: Progress = lambda _: None, scenario: str | None = None) -> Verdict:
    """Whether the learner's file at `path` solves the lesson's exercise, and if not, what is wrong: a run in
    every scenario of the exercise (or in the one named `scenario`), and all must pass."""
    exercise = lesson.exercise
    if exercise is None:
        raise KitError(f"the lesson {lesson.slug!r} has no exercise")
    scenarios = (lesson.scenario(scenario),) if scenario else lesson.scenarios
    source = _read(path)
    examination = static_checks.examine(language, source, exercise.allow, exercise.forbid)
    static = [str(f) for f in examination.findings]
    progress(f"{lesson.slug}: running your {language.title} program")
    runs = _settled(lesson, language, backend, path, scenarios, progress)
    judged = tuple(_judge_scenario(lesson, language, path, s, run) for s, run in zip(scenarios, runs))
    passed = all(j.passed for j in judged) and not static
    failed = next((j for j in judged if j.status not in ("passed", "wrong")), None)
    messages = _told(judged) + static or [_right(judged)]
    notes = list(dict.fromkeys(note for j in judged for note in j.notes))
    return Verdict(lesson=lesson.slug, language=language.name, file=str(path), passed=passed,
                   status="passed" if passed else failed.status if failed else "wrong",
                   messages=tuple(messages) + examination.unchecked + tuple(notes), run=runs[0], scenarios=judged)


def _settled(lesson: Lesson, language: Language, backend: Backend, path: Path, scenarios: tuple[Scenario, ...],
             progress: Progress) -> list[RunResult]:
    """A run in each scenario; one whose only faults are time stamps that the machine's load explains is run
    again alone, and the verdict comes from that run."""
    runs = workflow.run_file(lesson, language, backend, path, tuple(s.name for s in scenarios), progress)
    runs = runs * len(scenarios) if len(runs) == 1 else runs  # it could not run at all: so in every scenario
    settled = []
    for scenario, run in zip(scenarios, runs):
        if run.status is Status.OK and (why := _late_by_load(lesson, scenario, run)):
            progress(f"{lesson.slug}: the machine was busy: running your program again ({scenario.name}), alone")
            again = workflow.run_file(lesson, language, backend, path, (scenario.name,), progress, alone=True)[0]
            run = again.instead_of(run, f"in the first run {why}")
        settled.append(run)
    return settled


def _judge_scenario(lesson: Lesson, language: Language, path: Path, scenario: Scenario,
                    run: RunResult) -> ScenarioVerdict:
    """The verdict on one scenario's run: how it ended, then its time and output."""
    base = dict(name=scenario.name, what=scenario.what, run=run)
    if run.status is not Status.OK:
        return ScenarioVerdict(passed=False, status=run.status.value,
                               messages=tuple(_what_went_wrong(run, language, path)), **base)
    messages = _timing_and_output(lesson, scenario, run)
    about_time = _too_slow(lesson, scenario, run) or (
        scenario.expected is not None
        and compare.time_shift(scenario.expected, run.stdout, lesson.compare, any_order=True) is not None)
    notes = ([f"checked with a second run, alone (no other program timed, no build, meanwhile): {run.rerun}"]
             if run.rerun else []) + (
        [f"the machine was busy: its time stamps may be late ({noise.describe(run.stall_ms)})"]
        if messages and about_time and noise.busy(run.stall_ms) else [])
    return ScenarioVerdict(passed=not messages, status="wrong" if messages else "passed", messages=tuple(messages),
                           notes=tuple(notes), **base)


def _told(judged: tuple[ScenarioVerdict, ...]) -> list[str]:
    """What is wrong, each thing once: said plainly when it holds for the default scenario or for all of
    them, else with the scenarios it holds in."""
    where: dict[str, list[ScenarioVerdict]] = {}
    for verdict in judged:
        for message in verdict.messages:
            where.setdefault(message, []).append(verdict)
    return [message if len(found) == len(judged) or found[0].name == DEFAULT_SCENARIO else
            f"in the scenario {'; '.join(f'{j.name!r} ({j.what})' for j in found)}: {message}"
            for message, found in where.items()]


def _right(judged: tuple[ScenarioVerdict, ...]) -> str:
    seconds = (judged[0].run.run_ms or 0) / 1000  # the default's: the time the task speaks of
    others = [j.name for j in judged if j.name != DEFAULT_SCENARIO]
    return (f"right: the output matches and it takes {seconds:.1f} s"
            + (f", in every scenario ({', '.join(others)} too)" if others else ""))


def _too_slow(lesson: Lesson, scenario: Scenario, run: RunResult) -> float:
    """How many seconds past a right solution's time (and its grace) the run finished; 0 if not later."""
    seconds = (run.run_ms or 0) / 1000
    return max(0.0, seconds - scenario.seconds - max(lesson.compare.tolerance, SLOWER_GRACE))


def _timing_and_output(lesson: Lesson, scenario: Scenario, run: RunResult) -> list[str]:
    """What is wrong with a run that ended well in a scenario: its time, and how its output differs
    (runner/model/diagnosis.py)."""
    seconds = None if run.run_ms is None else run.run_ms / 1000
    return diagnosis.messages(lesson, scenario.expected, scenario.seconds, run.stdout, seconds,
                              bool(_too_slow(lesson, scenario, run)), max(lesson.compare.tolerance, SLOWER_GRACE),
                              run.language)


def _late_by_load(lesson: Lesson, scenario: Scenario, run: RunResult) -> str:
    """Why the run's only faults are time stamps that the machine's load can have made late; "" if it
    has others (or none)."""
    if not _timing_and_output(lesson, scenario, run):
        return ""
    if scenario.expected is not None and not compare.matches(scenario.expected, run.stdout, lesson.compare)[0]:
        return verdicts.late_by_load(scenario.expected, run, lesson.compare)  # covers its last time stamp too
    late = _too_slow(lesson, scenario, run)  # the output is right; only the time is long
    return (f"it finished {late:.1f} s later than allowed while {noise.describe(run.stall_ms)}"
            if noise.explains(late, 0.0, run.stall_ms, 0.0) else "")
