"""What an author is told that no validation error catches: the stub's placeholders still in a lesson, lines
meant as task events that are not read as events, and timeline chains naming tasks that print no event."""
from __future__ import annotations

from pathlib import Path

import yaml

from runner import ROOT, KitError
from runner.model import compare
from runner.model.languages import YAML_LOADER, Registry
from runner.model.lesson import Lesson
from runner.model.results import LessonReport

# The words of `invoke new-lesson`'s stubs (runner/setup/stubs/, runner/languages/*/stub.*) that an author
# replaces: found in a line, or (the Markdown's) as a whole line.
PLACEHOLDERS = ("Say in one sentence what this lesson shows.", "Name the ideas it teaches",
                "What a learner trips over in", "What the lesson shows, as a short story a learner can picture.",
                "a stub that runs; replace it with the lesson's example.")
PLACEHOLDER_LINES = ("- ...", "| ... | ... | ... | ... |")


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def placeholders(lesson: Lesson, registry: Registry) -> list[str]:
    """Each line of the lesson's files that still holds a placeholder of the stubs, as file:line: words."""
    files = [lesson.folder / "lesson.yaml", lesson.folder / "lesson.md",
             *(lesson.example(language) for language in registry.languages.values())]
    found = []
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # a missing example is said elsewhere
        for number, line in enumerate(lines, start=1):
            if any(words in line for words in PLACEHOLDERS) or line.strip() in PLACEHOLDER_LINES:
                found.append(f"{_shown(path)}:{number}: still the stub's placeholder: {line.strip()!r}")
    return found


def _expected_first_line(path: Path) -> int | None:
    """The number in lesson.yaml of the expected output's first line, where it is written as a block
    (`expected: |`, the usual form), so that a warning points at the file's line; else None."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    value = next((v for k, v in node.value if k.value == "expected"), None)
    if isinstance(value, yaml.ScalarNode) and value.style in ("|", ">"):
        return value.start_mark.line + 2  # the indicator's line (counted from 0), then the block's first line
    return None


def lesson_warnings(lesson: Lesson, registry: Registry) -> list[str]:
    """What the author should fix before learners see the lesson, read from its files alone."""
    where = _shown(lesson.folder / "lesson.yaml")
    found = placeholders(lesson, registry)
    if lesson.expected is not None:
        first = _expected_first_line(lesson.folder / "lesson.yaml")
        found += [f"{where}:{first + number - 1}: expected: {problem}" if first else f"{where}: expected, line {number} {problem}"
                  for number, problem in compare.numbered_event_problems(lesson.expected)]
        tasks = {event.task for event in compare.events(lesson.expected)}
        found += [f"{where}: timeline.after: {task!r} prints no event in the expected output; its tasks are "
                  f"{', '.join(sorted(tasks)) or 'none'}"
                  for pair in lesson.after for task in pair if task not in tasks]
    return found


def run_warnings(lesson: Lesson, report: LessonReport) -> list[str]:
    """Per language, the lines of its output meant as task events and not read as events (those of the
    expected output are said once, by lesson_warnings)."""
    known = set(compare.event_problems(lesson.expected)) if lesson.expected is not None else set()
    found = []
    for language in report.languages:
        run = report.runs_of(language)[0]
        found += [f"{lesson.slug}: {language}: {problem}" for problem in compare.event_problems(run.stdout)
                  if problem not in known]
    return found


def refuse_unfinished(lessons: list[Lesson], registry: Registry, what: str) -> None:
    """Stop before anything is published for learners while a lesson still holds the stubs' placeholders."""
    found = [item for lesson in lessons for item in placeholders(lesson, registry)]
    if found:
        raise KitError(f"not writing {what}: {len(found)} placeholder(s) of `invoke new-lesson`'s stubs are still "
                       "there:\n  " + "\n  ".join(found) + "\nReplace them with the lesson's own words and code "
                       "(`invoke run-lesson` runs such a lesson, with a warning).")
