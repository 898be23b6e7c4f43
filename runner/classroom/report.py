"""What the classroom shows of its records and the course: the instructor's table, the exports, the exercises."""
from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from pathlib import Path

from markdown_it import MarkdownIt

from runner.classroom.store import Learner, State, Submission
from runner.model import compare, timeline
from runner.model.languages import Registry
from runner.model.lesson import Lesson, exercises
from runner.model.results import Event

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")  # raw HTML in exercise.md is escaped
TOP_MISTAKES = 3
TERMINAL = re.compile(r"\binvoke\s+(check|hint|exercise)\b")  # how a task says to check it in a terminal
CLASSROOM_NOTE = ("<p><strong>Check</strong> runs your program in the same sandbox as the lesson's examples and "
                  "says what is still wrong; <strong>Next hint</strong> shows one hint at a time.</p>\n")
CSV_COLUMNS = ("id", "learner", "lesson", "language", "state", "status", "passed", "queued_at", "started_at",
               "finished_at", "run_ms", "stall_ms", "restarts", "messages", "source")


def exercise_list(registry: Registry, lessons: dict[str, Lesson]) -> list[dict]:
    """The exercises in course order, each with the languages that have a starter."""
    return [{"lesson": lesson.slug, "title": lesson.title,
             "languages": [{"name": language.name, "title": language.title}
                           for language in registry.languages.values() if lesson.starter(language).is_file()]}
            for lesson in exercises(lessons).values()]


def _blocks(tokens: list) -> list[list]:
    """Markdown's top-level blocks (a paragraph, a heading, a code block, a list...), each its tokens."""
    blocks, depth = [], 0
    for token in tokens:
        if depth == 0:
            blocks.append([])
        blocks[-1].append(token)
        depth += token.nesting
    return blocks


def _in_the_classroom(task: str) -> str:
    """The task as HTML for the classroom's page: the blocks that tell how to check or get a hint in a terminal
    (`invoke check`, `invoke hint`, `invoke exercise`) left out, and a heading left with nothing under it, and
    what the page's buttons do said once instead."""
    blocks = _blocks(_MARKDOWN.parse(task))
    text = ["".join(t.content for t in block) for block in blocks]
    drop = [bool(TERMINAL.search(t)) for t in text]
    for i, block in enumerate(blocks):
        if block[0].type == "paragraph_open" and text[i].rstrip().endswith(":") and i + 1 < len(blocks) and drop[i + 1]:
            drop[i] = True  # "Check your program:" before the commands
    for i in reversed(range(len(blocks))):
        if blocks[i][0].type == "heading_open":
            section = list(itertools.takewhile(lambda j: not _heading_at_or_above(blocks[j], blocks[i]),
                                               range(i + 1, len(blocks))))
            drop[i] = drop[i] or (bool(section) and all(drop[j] for j in section))
    kept = [token for block, dropped in zip(blocks, drop) if not dropped for token in block]
    return _MARKDOWN.renderer.render(kept, _MARKDOWN.options, {}) + CLASSROOM_NOTE


def _heading_at_or_above(block: list, heading: list) -> bool:
    return block[0].type == "heading_open" and int(block[0].tag[1]) <= int(heading[0].tag[1])


def exercise_page(lesson: Lesson, registry: Registry) -> dict:
    """One exercise: its task as HTML, its starters, how many hints each language has."""
    task = (lesson.folder / "exercise.md").read_text(encoding="utf-8")
    languages = [language for language in registry.languages.values() if lesson.starter(language).is_file()]
    return {"lesson": lesson.slug, "title": lesson.title, "task": _in_the_classroom(task),
            "starters": {language.name: lesson.starter(language).read_text(encoding="utf-8") for language in languages},
            "hints": {language.name: len(lesson.exercise.hints_for(language.name)) for language in languages}}


def programs(lesson: Lesson, registry: Registry) -> dict[str, Path]:
    """The lesson's programs, by language: the examples it has."""
    return {language.name: lesson.example(language) for language in registry.languages.values()
            if lesson.example(language).is_file()}


def lesson_page(lesson: Lesson, registry: Registry) -> dict:
    """One lesson for its page: its text as HTML and each language's program."""
    text = (lesson.folder / "lesson.md").read_text(encoding="utf-8")
    return {"lesson": lesson.slug, "title": lesson.title, "text": _MARKDOWN.render(text),
            "programs": [{"language": name, "title": registry.languages[name].title, "filename": path.name,
                          "source": path.read_text(encoding="utf-8")} for name, path in programs(lesson, registry).items()]}


def _lanes(events: tuple[Event, ...], end: float, lesson: Lesson) -> list[dict]:
    return [{"task": lane.task, "bars": [{"start": b.start, "end": b.end, "ending": b.ending} for b in lane.bars],
             "marks": [{"time": m.time, "kind": m.kind} for m in lane.marks]}
            for lane in timeline.lanes(events, end, lesson.after)]


def timelines(lesson: Lesson, verdict: dict | None) -> dict | None:
    """The learner's timeline and a right program's (from the lesson's expected output), on one time axis."""
    run = (verdict or {}).get("run") or {}
    if not run.get("stdout") or lesson.expected is None:
        return None
    yours, right = compare.events(run["stdout"]), compare.events(lesson.expected)
    end = max([e.time for e in yours + right] + [0.1])
    return {"end": end, "yours": _lanes(yours, end, lesson), "right": _lanes(right, end, lesson)}


def mistake(submission: Submission) -> str:
    """What a check that did not pass says first, with its numbers blanked, so that alike mistakes count as one."""
    messages = (submission.verdict or {}).get("messages") or [submission.status or "?"]
    first = messages[0].splitlines()[0] if messages[0] else submission.status or "?"
    return re.sub(r"\d+(\.\d+)?", "#", first)[:140]


def progress(learners: list[Learner], submissions: list[Submission], lessons: dict[str, Lesson]) -> dict:
    """The instructor's table: per learner and exercise the tries, whether it passed, the latest check;
    per exercise the mistakes that show up most."""
    cells: dict[tuple[int, str], dict] = {}
    mistakes: dict[str, Counter] = {}
    for s in submissions:
        cell = cells.setdefault((s.learner_id, s.lesson), {"tries": 0, "passed": False, "languages": []})
        cell["tries"] += 1
        cell["passed"] = cell["passed"] or bool(s.passed)
        cell["latest"] = {"id": s.id, "state": s.state.value, "status": s.status, "language": s.language}
        if s.language not in cell["languages"]:
            cell["languages"].append(s.language)
        if s.state is State.DONE and not s.passed:
            mistakes.setdefault(s.lesson, Counter())[mistake(s)] += 1
    return {
        "exercises": [{"lesson": lesson.slug, "title": lesson.title} for lesson in exercises(lessons).values()],
        "learners": [{"name": learner.name, "joined_at": learner.joined_at,
                      "cells": {lesson: cell for (who, lesson), cell in cells.items() if who == learner.id}}
                     for learner in learners],
        "mistakes": {lesson: [{"mistake": text, "count": n} for text, n in counter.most_common(TOP_MISTAKES)]
                     for lesson, counter in mistakes.items()},
        "queued": sum(1 for s in submissions if s.state is State.QUEUED),
        "running": sum(1 for s in submissions if s.state is State.RUNNING),
    }


def export_json(submissions: list[Submission]) -> list[dict]:
    return [{**s.summary(), "source": s.source, "verdict": s.verdict} for s in submissions]


def _cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula (a name such as =HYPERLINK(...))."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(submissions: list[Submission]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for s in submissions:
        row = {**s.summary(), "source": s.source, "messages": "\n".join((s.verdict or {}).get("messages") or [])}
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return out.getvalue()
