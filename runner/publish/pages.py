"""What the pages show: each lesson with its examples, stored results, timelines and timings.

Built from files only (lessons, examples, results/): rendering never runs an example.
"""
from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from runner import ROOT
from runner.model.alignment import Alignment, align
from runner.model.languages import Language, Registry
from runner.model.lessons import Lesson
from runner.publish.listing import listing
from runner.publish.markup import Section, inline_html, markdown_html, sections
from runner.model.results import LessonReport, RunResult, Status, Timing
from runner.model.timeline import Lane, axis_ticks, lanes

# The page's own sections, in order (their anchors are taken before the narrative's headings).
PAGE_SECTIONS = (("programs", "The programs and what they printed"), ("verdict", "Verdict"),
                 ("timelines", "Timelines"), ("timings", "Timings and memory"), ("exercise", "Exercise"),
                 ("provenance", "Provenance"))
DIFFER = "where-they-differ"  # the narrative's section that the language notes join
NOT_RUN, NOT_RUN_STYLE = "not run yet", "quiet"  # a language with an example and no stored result


@dataclass(frozen=True)
class Column:
    """One language of one lesson: its code, its first run, its timings and its timeline."""

    language: Language
    code: str | None  # None: the lesson has no example in this language
    code_html: str
    run: RunResult | None  # the first repeat; None: not run yet
    timings: dict[str, Timing | None]
    lanes: tuple[Lane, ...]
    note: str | None

    @property
    def note_html(self) -> str:
        return inline_html(self.note) if self.note else ""

    @property
    def _status(self) -> Status | None:
        """How the run ended; None: not run yet."""
        if self.code is None:
            return Status.MISSING
        return self.run.status if self.run is not None else None

    @property
    def status(self) -> str:
        return self._status.value if self._status is not None else NOT_RUN

    @property
    def style(self) -> str:
        """Its status's style (runner/model/results.py's table): the page's class `status-<style>`."""
        return self._status.style if self._status is not None else NOT_RUN_STYLE


@dataclass(frozen=True)
class LessonPage:
    lesson: Lesson
    report: LessonReport | None
    columns: tuple[Column, ...]
    narrative_html: str
    axis_end: float
    ticks: tuple[float, ...]
    sections: tuple[Section, ...] = ()  # the narrative cut at its `##` headings
    previous: Lesson | None = None  # the lessons before and after it in course order
    next: Lesson | None = None
    exercise_title: str = ""  # the first heading of exercise.md; empty: the lesson has no exercise
    exercise_html: str = ""  # the rest of it, its headings under the page's "Exercise"
    commit: str = ""  # the kit's commit, and this lesson's files not as committed there (kit_commit)
    aligned: bool = False  # its examples mark parts (or cheat sheet pieces) that the page lines up

    @property
    def has_notes(self) -> bool:
        return any(c.note for c in self.columns)

    @property
    def notes_join(self) -> str | None:
        """The narrative section the language notes are shown in (None: they get a section of their own)."""
        return DIFFER if any(s.anchor == DIFFER for s in self.sections) else None

    @property
    def contents(self) -> list[tuple[str, str]]:
        """(anchor, title) of the page's sections, in the order the page shows them."""
        narrative = [(s.anchor, s.title) for s in self.sections if s.anchor]
        if self.has_notes and not self.notes_join:
            narrative.append((DIFFER, "Where they differ"))
        own = [(a, self.exercise_title if a == "exercise" else t) for a, t in PAGE_SECTIONS
               if a != "exercise" or self.exercise_title]
        return [*narrative, *own]

    @property
    def narrative(self) -> str:
        """lesson.md without its first heading when that only repeats the title."""
        text = self.lesson.narrative.lstrip()
        first, _, rest = text.partition("\n")
        return rest.lstrip("\n") if first.strip() == f"# {self.lesson.title}" else text

    @property
    def verdict(self) -> str:
        if self.report is None:
            return "not run yet"
        return self.report.verdict

    @property
    def command(self) -> str:
        return f"invoke run-lesson {self.lesson.slug}"

    @property
    def differences(self) -> list[dict]:
        """Declared differences that really show in this run: why, and each language's lines."""
        return self.report.differences_that_show if self.report is not None else []


def aligned_lines(alignment: Alignment, language: str) -> dict[int, dict[str, str]]:
    """The attributes that tie a listing's lines to the other languages' (runner/publish/templates/align.js):
    the groups a line is in, innermost first, and a keyboard stop on each region's first line."""
    starts = alignment.starts(language)
    return {number: {"data-align": " ".join(groups), **({"tabindex": "0"} if number in starts else {})}
            for number, groups in alignment.groups(language).items()}


def lesson_page(lesson: Lesson, registry: Registry, report: LessonReport | None,
                previous: Lesson | None = None, next: Lesson | None = None) -> LessonPage:
    columns = []
    alignment = align(lesson, registry)
    for language in registry.languages.values():
        path = lesson.example(language)
        code = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
        runs = report.runs_of(language.name) if report is not None else []
        run = runs[0] if runs else None
        columns.append(Column(
            language=language, code=code,
            code_html=listing(code, language.lexer, aligned_lines(alignment, language.name)) if code else "",
            run=run, timings=report.timings(language.name) if runs else {},
            lanes=(), note=lesson.note(language.name),
        ))
    ends = [c.run.run_ms / 1000 for c in columns if c.run is not None and c.run.run_ms]
    end = max(ends, default=1.0) or 1.0
    columns = [Column(c.language, c.code, c.code_html, c.run, c.timings,
                      lanes(c.run.events, end, lesson.after) if c.run is not None else (), c.note) for c in columns]
    page = LessonPage(lesson, report, tuple(columns), "", end, axis_ticks(end), previous=previous, next=next,
                      aligned=any(alignment.regions.values()))
    taken = {a for a, _ in PAGE_SECTIONS} | {"in-each-language"}
    parts = tuple(sections(page.narrative, taken))
    title, task = exercise_task(lesson)
    return replace(page, narrative_html="".join(s.html for s in parts), sections=parts, exercise_title=title,
                   exercise_html=markdown_html(task, taken, shift=1) if task else "",
                   commit=kit_commit([lesson], registry, lesson.folder.parent.parent))


def exercise_task(lesson: Lesson) -> tuple[str, str]:
    """The exercise's title (exercise.md's first heading) and the rest of its task; empty: none."""
    if not lesson.exercise:
        return "", ""
    text = (lesson.folder / "exercise.md").read_text(encoding="utf-8").lstrip()
    first, _, rest = text.partition("\n")
    return (first[2:].strip(), rest.lstrip("\n")) if first.startswith("# ") else ("Exercise", text)


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


@functools.lru_cache(maxsize=8)  # asked once per page: the commit does not change while the site is rendered
def _head(root: Path) -> str:
    return (_git(root, "rev-parse", "--short", "HEAD") or "").strip()


def kit_commit(lessons: list[Lesson] = (), registry: Registry | None = None, root: Path = ROOT) -> str:
    """The commit the kit is at, as the best benchmark sites state their conditions, and which of the
    lessons' files (lesson folder, examples) are not as committed there: "1155024", or "1155024, with
    changes not committed: lessons/breakfast/lesson.yaml, csharp/breakfast.cs"."""
    commit = _head(root)
    if not commit:
        return "unknown"
    files = [path for lesson in lessons for path in (
        lesson.folder, *(lesson.example(language) for language in (registry.languages.values() if registry else ())))]
    paths = [str(path.relative_to(root)) for path in files if path.is_relative_to(root)]
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *paths) if paths else ""
    changed = [line[3:] for line in (status or "").splitlines() if line[3:]]
    return f"{commit}, with changes not committed: {', '.join(changed)}" if changed else commit
