"""A lesson as the kit knows it once its lesson.yaml is read: comparison rules, exercise, examples."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from runner import KitError
from runner.model.languages import DEBUG, RELEASE, Language


@dataclass(frozen=True)
class DeclaredDifference:
    """Lines matching `match` may differ between languages by design; `why` says why."""

    match: str
    why: str

    def matches(self, line: str) -> bool:
        return re.search(self.match, line) is not None


@dataclass(frozen=True)
class CompareRules:
    tolerance: float = 0.1  # seconds: time stamps closer than this compare equal
    same_time_as_set: bool = False  # lines that both outputs print at one time stamp compare in any order
    differ: tuple[DeclaredDifference, ...] = ()


@dataclass(frozen=True)
class Needs:
    """What a lesson needs of the machine besides time (lesson.yaml's `needs`): how many cores free at once.
    Where the machine cannot give it when a language's turn comes, that language is not run (Status.NOT_RUN)."""

    cores: int = 1

    def __bool__(self) -> bool:
        """It asks for more than any machine gives a program: one core."""
        return self.cores > 1


SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # a lesson's folder, a scenario's name
MAX_TIMEOUT = 300.0  # seconds: the longest a lesson's program may run
SCENARIO_VARIABLE = "ROSETTA_SCENARIO"  # names the scenario to a learner's program (README: Exercises)
DEFAULT_SCENARIO = "default"


@dataclass(frozen=True)
class Scenario:
    """One run of an exercise: its name (in SCENARIO_VARIABLE), what it changes, and what a right program
    then prints (None: nothing is compared) in how many seconds."""

    name: str
    what: str
    expected: str | None
    seconds: float | None


@dataclass(frozen=True)
class Exercise:
    """A workshop exercise on a lesson: how fast a right solution is, hints, rules it may break."""

    seconds: float  # the in-program time of a right solution
    slower: str  # what to tell a learner whose program is slower than that
    hints: tuple[tuple[str, tuple[str, ...]], ...]  # "all" or a language -> hints, in order
    allow: tuple[str, ...] = ()  # static rules (by id) that this exercise does not apply
    forbid: tuple[str, ...] = ()  # what the task forbids (threads): turns on the rules kept for that
    # Runs besides the default one: each exercises something the task asks (a step that fails, ...).
    # A variation's expected output or seconds left out in lesson.yaml are None here: the default's.
    variations: tuple[Scenario, ...] = ()

    def hints_for(self, language: str) -> list[str]:
        by = dict(self.hints)
        return [*by.get("all", ()), *by.get(language, ())]


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    summary: str
    concepts: tuple[str, ...]
    timeout: float
    compare: CompareRules
    expected: str | None
    notes: tuple[tuple[str, str], ...]
    requires: tuple[tuple[str, str], ...]  # language -> minimum runtime version
    narrative: str
    folder: Path
    order: float = 1000.0
    service: str | None = None  # a server of the kit's own that the examples talk to (SERVICES)
    exercise: Exercise | None = None
    measures: tuple[str, ...] = ()  # what of the machine the lesson measures besides time: MEASURES
    after: tuple[tuple[str, str], ...] = ()  # timeline.after: a task -> the task whose result it uses
    needs: Needs = Needs()  # what of the machine it needs free (cores), checked before each language's run

    @property
    def runs_alone(self) -> bool:
        """Its languages run one at a time: run side by side, they would take each other's CPU."""
        return bool(self.measures or self.needs)

    @property
    def runs_exclusive(self) -> bool:
        """Each run takes the machine alone (slots.exclusive_run): no other timed program and no build
        meanwhile, since it needs cores that another program of the kit would take."""
        return bool(self.needs)

    @property
    def needs_fresh_sandbox(self) -> bool:
        """Each run in a container of its own: a warm container's memory peak spans every run in it."""
        return "memory" in self.measures

    def built(self, language: Language) -> Language:
        """The language as this lesson's examples (and a learner's file) are built: optimized (RELEASE)
        in a lesson that measures CPU or memory, since what it measures must be the runtime's and not
        a Debug build's (a C# Debug build allocates every async call's state machine on the heap);
        otherwise DEBUG, as `dotnet build` and `dotnet run` build by default."""
        return language.configured(RELEASE if self.measures else DEBUG)

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """Every run of the exercise, the default first (none for a lesson without an exercise)."""
        if self.exercise is None:
            return ()
        default = Scenario(DEFAULT_SCENARIO, "the lesson's run", self.expected, self.exercise.seconds)
        return (default, *(replace(s, expected=self.expected if s.expected is None else s.expected,
                                   seconds=self.exercise.seconds if s.seconds is None else s.seconds)
                           for s in self.exercise.variations))

    def scenario(self, name: str) -> Scenario:
        """The exercise's scenario called `name`, or an error naming the valid ones."""
        by_name = {s.name: s for s in self.scenarios}
        if name not in by_name:
            raise KitError(f"the exercise {self.slug!r} has no scenario {name!r}; its scenarios: "
                           f"{', '.join(by_name) or 'none'}")
        return by_name[name]

    def starter(self, language: Language) -> Path:
        return self.folder / "exercise" / f"starter{language.extension}"

    def solution(self, language: Language) -> Path:
        """The reference solution: exercise/solution.<ext> where there is one, else the lesson's example."""
        own = self.folder / "exercise" / f"solution{language.extension}"
        return own if own.is_file() else self.example(language)

    def example(self, language: Language) -> Path:
        return language.example_path(self.slug, self.folder.parent.parent)

    def note(self, language: str) -> str | None:
        return dict(self.notes).get(language)

    def required_version(self, language: str) -> str | None:
        return dict(self.requires).get(language)


def find_lesson(lessons: dict[str, Lesson], slug: str) -> Lesson:
    """The lesson named `slug`, or an error naming the valid ones and a near miss."""
    if slug in lessons:
        return lessons[slug]
    close = difflib.get_close_matches(slug, list(lessons), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise KitError(f"unknown lesson {slug!r}.{hint} Lessons: {', '.join(lessons)}")


def exercises(lessons: dict[str, Lesson]) -> dict[str, Lesson]:
    """The lessons that carry an exercise."""
    return {slug: lesson for slug, lesson in lessons.items() if lesson.exercise}


def find_exercise(lessons: dict[str, Lesson], slug: str) -> Lesson:
    """The lesson named `slug`, which must have an exercise."""
    with_exercise = exercises(lessons)
    if slug in lessons and slug not in with_exercise:
        raise KitError(f"the lesson {slug!r} has no exercise; these have one: {', '.join(with_exercise)}")
    return find_lesson(with_exercise, slug)
