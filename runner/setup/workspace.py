"""The learner's workspace: exercise files copied from the starters, the hints shown and the exercises
passed so far (runner/setup/progress.py says where that puts the learner in the course)."""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from runner import ROOT, KitError
from runner.model.languages import Language, Registry
from runner.model.lesson import Lesson, exercises, find_exercise
from runner.model.results import write_atomically

WORKSPACE = ROOT / "workspace"
# What `invoke exercise` may be asked instead of a lesson: invoke requires positional arguments, and a word
# such as --solutions in the lesson's place is not a declared flag, so it arrives as the "lesson".
LIST, SOLUTIONS = "--list", "--solutions"
HINTS, PASSED = "hints.json", "passed.json"  # per lesson folder: language -> hints shown; language -> its PASS


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def _records(path: Path) -> dict:
    """A workspace record (language -> what it keeps); none yet, or unreadable, is an empty one."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


@dataclass(frozen=True)
class Workspace:
    """workspace/: a folder per exercise with the learner's files (one per language) and what they did there."""

    folder: Path = WORKSPACE

    def file(self, lesson: Lesson, language: Language) -> Path:
        return self.folder / lesson.slug / lesson.example(language).name

    def started(self, lesson: Lesson, registry: Registry) -> list[Language]:
        """The languages in which the learner has a file for this lesson's exercise."""
        return [language for language in registry.languages.values() if self.file(lesson, language).is_file()]

    def language(self, lesson: Lesson, registry: Registry, lang: str | None) -> Language:
        """The language --lang names; without it, the one language of the learner's files for this lesson."""
        if lang:
            return registry.get(lang)
        found = self.started(lesson, registry)
        if len(found) == 1:
            return found[0]
        folder = _shown(self.folder / lesson.slug)
        if not found:
            raise KitError(f"which language? {folder}/ has no file of yours yet: start one with `invoke exercise "
                           f"{lesson.slug} --lang LANG`, LANG one of {', '.join(registry.names)}")
        files = ", ".join(self.file(lesson, language).name for language in found)
        choices = " or ".join(f"--lang {language.name}" for language in found)
        raise KitError(f"which language? {folder}/ has your files in {len(found)} languages ({files}): "
                       f"add {choices}")

    def lang_flag(self, lesson: Lesson, language: Language, registry: Registry) -> str:
        """' --lang NAME' where a command on this lesson needs it to know the language, else ''."""
        return "" if self.started(lesson, registry) == [language] else f" --lang {language.name}"

    def start(self, lesson: Lesson, language: Language, force: bool = False) -> Path:
        """Copy the starter into the workspace; a learner's file is never overwritten without `force`."""
        if lesson.exercise is None:
            raise KitError(f"the lesson {lesson.slug!r} has no exercise; `invoke exercise --list` shows those that do")
        starter = lesson.starter(language)
        if not starter.is_file():
            raise KitError(f"the {lesson.slug} exercise has no {language.title} starter ({starter.name})")
        target = self.file(lesson, language)
        if target.exists() and not force:
            raise KitError(f"{target} exists already and may hold your work: keep editing it, or start again with "
                           "--force (it overwrites the file)")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(starter, target)
        return target

    def hint(self, lesson: Lesson, language: Language, again: bool = False) -> tuple[int, int, str | None]:
        """The next hint not yet shown (or, `again`, the last one shown): its number, how many there are, its
        text (None: no more hints, or none shown yet). The count is remembered in the workspace."""
        if lesson.exercise is None:
            raise KitError(f"the lesson {lesson.slug!r} has no exercise")
        hints = lesson.exercise.hints_for(language.name)
        record = self.folder / lesson.slug / HINTS
        shown = _records(record)
        number = min(shown.get(language.name, 0), len(hints)) + (0 if again else 1)
        if not 0 < number <= len(hints):
            return number if again else len(hints), len(hints), None
        if not again:
            shown[language.name] = number
            write_atomically(record, json.dumps(shown, indent=1))
        return number, len(hints), hints[number - 1]

    def record_pass(self, lesson: Lesson, language: Language, seconds: float) -> None:
        """A PASS of the learner's file: kept, with its date, for progress and `invoke next`."""
        record = self.folder / lesson.slug / PASSED
        passed = _records(record)
        passed[language.name] = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                 "seconds": round(seconds, 1)}
        write_atomically(record, json.dumps(passed, indent=1))

    def passes(self, lesson: Lesson) -> set[str]:
        """The languages in which the learner's file for this exercise has passed."""
        return set(_records(self.folder / lesson.slug / PASSED))


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


def what_next(lesson: Lesson, language: Language, registry: Registry, workspace: Workspace) -> str:
    """How to go on with a started exercise: the file to edit, then a command a line (never cut by wrapping)."""
    flag = workspace.lang_flag(lesson, language, registry)
    commands = {f"invoke check {lesson.slug}{flag}": "check it",
                f"invoke check {lesson.slug}{flag} --watch": "check it again on every save (Ctrl-C stops)",
                f"invoke hint {lesson.slug}{flag}": "a hint, when you are stuck"}
    width = max(map(len, commands))
    return (f"Edit {_shown(workspace.file(lesson, language))}, then:\n" +
            "\n".join(f"  {command:{width}}  {what}" for command, what in commands.items()))


def exercise(registry: Registry, lessons: dict[str, Lesson], slug: str, lang: str | None,
             force: bool = False) -> tuple[str, str]:
    """`invoke exercise`: the exercises (LIST), every reference solution written (SOLUTIONS), or the starter
    copied into the workspace. What to tell the learner: the task (Markdown, "" for none), then what next."""
    if slug == LIST:  # slugs in a column as wide as the longest, two spaces before the titles
        chosen = exercises(lessons).values()
        width = max((len(lesson.slug) for lesson in chosen), default=0)
        return "", "\n".join(f"{lesson.slug:{width}}  {lesson.title}" for lesson in chosen)
    if slug == SOLUTIONS:
        written = write_solutions(list(exercises(lessons).values()), registry)
        return "", f"wrote {len(written)} reference solutions under {Path('workspace') / 'solutions'}"
    workspace = Workspace()
    lesson = find_exercise(lessons, slug)
    language = workspace.language(lesson, registry, lang)
    workspace.start(lesson, language, force)
    return ((lesson.folder / "exercise.md").read_text(encoding="utf-8").strip(),
            what_next(lesson, language, registry, workspace))


def hint(registry: Registry, lessons: dict[str, Lesson], slug: str, lang: str | None, again: bool = False) -> str:
    """`invoke hint`: the next hint (or, `again`, the last one shown), or, once all are shown, where a right
    answer is."""
    workspace = Workspace()
    lesson = find_exercise(lessons, slug)
    language = workspace.language(lesson, registry, lang)
    number, total, text = workspace.hint(lesson, language, again)
    flag = workspace.lang_flag(lesson, language, registry)
    if text is not None:
        return f"hint {number} of {total}{' (again)' if again else ''}: {text}"
    if again:
        return f"no hint shown yet for {lesson.slug} in {language.title}: `invoke hint {lesson.slug}{flag}` shows the first"
    return (f"that was the last hint ({total} of {total}); the lesson's example "
            f"({lesson.example(language).relative_to(ROOT)}) is one right answer (`invoke hint {lesson.slug}{flag} "
            "--again` shows the last hint again)")
