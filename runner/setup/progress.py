"""Where a learner stands: the exercises passed in each language, and the next one to do."""
from __future__ import annotations

from dataclasses import dataclass

from runner.model.languages import Language, Registry
from runner.model.lesson import Lesson, exercises
from runner.setup.workspace import Workspace, what_next


@dataclass(frozen=True)
class Progress:
    """One language's exercises in course order (those with a starter in it), and those passed."""

    language: Language
    exercises: tuple[Lesson, ...]
    passed: frozenset[str]  # lesson slugs

    def __str__(self) -> str:
        return f"{len(self.passed)} of {len(self.exercises)} exercises passed in {self.language.title}"

    @property
    def next(self) -> Lesson | None:
        """The first exercise in course order not yet passed."""
        return next((lesson for lesson in self.exercises if lesson.slug not in self.passed), None)


def progress(lessons: dict[str, Lesson], language: Language, workspace: Workspace) -> Progress:
    offered = tuple(lesson for lesson in exercises(lessons).values() if lesson.starter(language).is_file())
    return Progress(language, offered,
                    frozenset(lesson.slug for lesson in offered if language.name in workspace.passes(lesson)))


@dataclass(frozen=True)
class Learner(Workspace):
    """The workspace as `invoke check` uses it: a PASS of the learner's file is kept there, and the learner told
    where they now stand."""

    def passed(self, lessons: dict[str, Lesson], lesson: Lesson, language: Language, seconds: float) -> str:
        self.record_pass(lesson, language, seconds)
        standing = progress(lessons, language, self)
        return f"{standing}" + ("; `invoke next` names the next one" if standing.next else ": all of them, well done")


def in_use(lessons: dict[str, Lesson], registry: Registry, workspace: Workspace) -> list[Language]:
    """The languages of the learner's files and passes, in any exercise."""
    used = {name for lesson in exercises(lessons).values()
            for name in {*workspace.passes(lesson), *(l.name for l in workspace.started(lesson, registry))}}
    return [language for language in registry.languages.values() if language.name in used]


def next_exercise(registry: Registry, lessons: dict[str, Lesson], lang: str | None,
                  workspace: Workspace = Workspace()) -> str:
    """`invoke next`: per language (--lang's, else those the learner uses), the exercises passed and the next
    one not yet passed, with the command that starts it (or, started already, what to do with it)."""
    languages = [registry.get(lang)] if lang else in_use(lessons, registry, workspace)
    if not languages:
        first = next(iter(exercises(lessons).values()), None)
        if first is None:
            return "this course has no exercises yet"
        return (f"no exercise started yet ({len(exercises(lessons))} in the course). The first: {first.slug} - "
                f"{first.title}\nstart it, LANG one of {', '.join(registry.names)}:\n"
                f"  invoke exercise {first.slug} --lang LANG")
    said = []
    for language in languages:
        standing = progress(lessons, language, workspace)
        lesson = standing.next
        if lesson is None:
            said.append(f"{standing}: all of them, well done")
        elif workspace.file(lesson, language).is_file():
            said.append(f"{standing}. Next: {lesson.slug} - {lesson.title} (started)\n"
                        f"{what_next(lesson, language, registry, workspace)}")
        else:
            said.append(f"{standing}. Next: {lesson.slug} - {lesson.title}\n"
                        f"start it:\n  invoke exercise {lesson.slug} --lang {language.name}")
    return "\n\n".join(said)
