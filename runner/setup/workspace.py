"""The learner's workspace: exercise files copied from the starters, and the hints shown so far."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from runner import ROOT, KitError
from runner.model.languages import Language, Registry
from runner.model.lessons import Lesson
from runner.model.results import write_atomically

WORKSPACE = ROOT / "workspace"


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
