"""The learner's workspace: exercise files copied from the starters, and the hints shown so far."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from runner import ROOT, KitError
from runner.model.languages import Language, Registry
from runner.model.lesson import Lesson, exercises, find_exercise
from runner.model.results import write_atomically

WORKSPACE = ROOT / "workspace"
# What `invoke exercise` may be asked instead of a lesson: invoke requires positional arguments, and a word
# such as --solutions in the lesson's place is not a declared flag, so it arrives as the "lesson".
LIST, SOLUTIONS = "--list", "--solutions"


def learner_file(lesson: Lesson, language: Language, workspace: Path = WORKSPACE) -> Path:
    return workspace / lesson.slug / lesson.example(language).name


def start_exercise(lesson: Lesson, language: Language, force: bool = False, workspace: Path = WORKSPACE) -> Path:
    """Copy the starter into the workspace; a learner's file is never overwritten without `force`."""
    if lesson.exercise is None:
        raise KitError(f"the lesson {lesson.slug!r} has no exercise; `invoke exercise --list` shows those that do")
    starter = lesson.starter(language)
    if not starter.is_file():
        raise KitError(f"the {lesson.slug} exercise has no {language.title} starter ({starter.name})")
    target = learner_file(lesson, language, workspace)
    if target.exists() and not force:
        raise KitError(f"{target} exists already and may hold your work: keep editing it, or start again with "
                       "--force (it overwrites the file)")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(starter, target)
    return target


def next_hint(lesson: Lesson, language: Language, workspace: Path = WORKSPACE) -> tuple[int, int, str | None]:
    """The next hint not yet shown (its number, how many there are, its text), remembered in the workspace."""
    if lesson.exercise is None:
        raise KitError(f"the lesson {lesson.slug!r} has no exercise")
    hints = lesson.exercise.hints_for(language.name)
    record = workspace / lesson.slug / "hints.json"
    try:
        shown = json.loads(record.read_text())
    except (OSError, ValueError):
        shown = {}
    number = shown.get(language.name, 0) + 1
    if number > len(hints):
        return len(hints), len(hints), None
    shown[language.name] = number
    write_atomically(record, json.dumps(shown, indent=1))
    return number, len(hints), hints[number - 1]


def write_solutions(lessons: list[Lesson], registry: Registry, workspace: Path = WORKSPACE) -> list[Path]:
    """Every exercise's reference solution under workspace/solutions/, for an instructor."""
    written = []
    for lesson in lessons:
        for language in registry.languages.values():
            solution = lesson.solution(language)
            if lesson.exercise is None or not solution.is_file():
                continue
            target = workspace / "solutions" / lesson.slug / lesson.example(language).name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(solution, target)
            written.append(target)
    return written


def exercise(registry: Registry, lessons: dict[str, Lesson], slug: str, lang: str | None, force: bool = False) -> str:
    """`invoke exercise`: the exercises (LIST), every reference solution written (SOLUTIONS), or the starter
    copied into the workspace; what to tell the learner (the task, what next)."""
    if slug == LIST:  # slugs in a column as wide as the longest, two spaces before the titles
        chosen = exercises(lessons).values()
        width = max((len(lesson.slug) for lesson in chosen), default=0)
        return "\n".join(f"{lesson.slug:{width}}  {lesson.title}" for lesson in chosen)
    if slug == SOLUTIONS:
        written = write_solutions(list(exercises(lessons).values()), registry)
        return f"wrote {len(written)} reference solutions under {Path('workspace') / 'solutions'}"
    lesson, language = find_exercise(lessons, slug), registry.language_for(lang)
    target = start_exercise(lesson, language, force)
    return ((lesson.folder / "exercise.md").read_text(encoding="utf-8").strip() +
            f"\n\nEdit {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}, then check it with "
            f"`invoke check {lesson.slug} --lang {language.name}` (a hint: `invoke hint {lesson.slug} --lang "
            f"{language.name}`).")


def hint(registry: Registry, lessons: dict[str, Lesson], slug: str, lang: str | None) -> str:
    """`invoke hint`: the next hint, or, once all are shown, where a right answer is."""
    lesson, language = find_exercise(lessons, slug), registry.language_for(lang)
    number, total, text = next_hint(lesson, language)
    if text is None:
        return (f"that was the last hint ({total} of {total}); the lesson's example "
                f"({lesson.example(language).relative_to(ROOT)}) is one right answer")
    return f"hint {number} of {total}: {text}"
