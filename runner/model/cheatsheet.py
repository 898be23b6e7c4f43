"""The verified cheat sheet: a row per concept (lessons/cheatsheet.yaml), a cell per language, each cell the
code that the lesson's running example marks between two comments:

    # cheat sheet: wait-for-all            // cheat sheet: wait-for-all
    results = await asyncio.gather(...)    const results = await Promise.all(...);
    # end cheat sheet                      // end cheat sheet

A concept may be marked more than once in one file; its cell shows the pieces in source order. Nothing is
copied by hand, so every line on the sheet is a line of a program the kit runs. Every problem in the file
or the markers is reported at once, with its file and line.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from runner import KitError, ProblemList
from runner.model.languages import YAML_LOADER, Registry
from runner.model.lesson import Lesson

FILE_NAME = "cheatsheet.yaml"  # beside the lesson folders
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_KEYS = ("id", "title", "lesson", "description")


@dataclass(frozen=True)
class Markers:
    """One kind of marker comments: a whole-line comment (#, //, --, ; or %) that says `<word>: <name>`, the
    code, then one that says `end <word>`. The cheat sheet's mark its cells; parts (runner/model/alignment.py)
    mark the lines of a lesson's examples that do the same thing, for reading them side by side."""

    word: str

    @property
    def pattern(self) -> re.Pattern:
        return re.compile(rf"^\s*(?:#|//|--|;|%)\s*(?:(?P<end>end {self.word})|{self.word}:(?P<concept>.*?))\s*$")

    @property
    def start(self) -> str:
        return f"{self.word}: {{}}"

    @property
    def end(self) -> str:
        return f"end {self.word}"


CHEAT_SHEET, PART = Markers("cheat sheet"), Markers("part")
MARKER = CHEAT_SHEET.pattern
START, END = CHEAT_SHEET.start, CHEAT_SHEET.end


class InvalidCheatSheet(ProblemList):
    """The cheat sheet's file or its markers are wrong; the message lists every problem."""

    what = "the cheat sheet"
    hint = (f"The markers are comments of their own line: `{START.format('<concept>')}`, then the code, then `{END}` "
            "(README: The cheat sheet).")


@dataclass(frozen=True)
class Concept:
    id: str
    title: str
    lesson: str  # the slug of the lesson whose examples give the row's cells
    description: str  # one line, Markdown
    line: int  # where it is in the file, for messages


@dataclass(frozen=True)
class Piece:
    """Consecutive lines of an example: the line number of the first, and the text (indentation removed)."""

    first: int
    code: str

    @property
    def last(self) -> int:
        return self.first + self.code.count("\n") - 1


@dataclass(frozen=True)
class Cell:
    language: str
    path: str  # the example, as the kit's folders name it (python/gather.py)
    pieces: tuple[Piece, ...]

    @property
    def lines(self) -> str:
        """Where the pieces are in the example: "12-14, 20"."""
        return ", ".join(str(p.first) if p.first == p.last else f"{p.first}-{p.last}" for p in self.pieces)


@dataclass(frozen=True)
class Row:
    concept: Concept
    cells: tuple[Cell, ...]  # in the order of `CheatSheet.languages`


@dataclass(frozen=True)
class CheatSheet:
    rows: tuple[Row, ...]
    languages: tuple[str, ...]  # the languages on the sheet: each marks every concept
    left_out: tuple[str, ...]  # languages whose examples mark no concept yet
    broken: tuple[str, ...] = ()  # concepts (their titles) whose lesson is broken: off the sheet until it is fixed


def _dedent(lines: list[str]) -> str:
    indent = min((len(s) - len(s.lstrip()) for s in lines if s.strip()), default=0)
    return "".join(s[indent:] if s.strip() else "\n" for s in lines)


def read_concepts(path: Path, lessons: dict[str, Lesson], name: str) -> tuple[list[Concept], list[str]]:
    """The concepts of the cheat sheet's file (`name` in messages), in order, and the problems found in it."""
    try:
        text = path.read_text(encoding="utf-8")
        data, node = yaml.load(text, Loader=YAML_LOADER), yaml.compose(text, Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        return [], [f"{name}: cannot read it: {exc}"]
    items = data.get("concepts") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        return [], [f"{name}: expected `concepts:`, a list of mappings with {', '.join(_KEYS)}"]
    starts = next(v for k, v in node.value if k.value == "concepts").value  # the items' nodes, for their lines
    concepts, problems = [], []
    for raw, start in zip(items, starts):
        line = start.start_mark.line + 1
        if not isinstance(raw, dict):
            problems.append(f"{name}:{line}: expected a mapping with {', '.join(_KEYS)}")
            continue
        where = f"{name}:{line}: {raw.get('id', '(no id)')}"
        wrong = [f"unknown key {k!r}; allowed: {', '.join(_KEYS)}" for k in raw if k not in _KEYS]
        wrong += [f"`{k}` is missing or empty" for k in _KEYS if not str(raw.get(k) or "").strip()]
        if raw.get("id") and not ID.match(str(raw["id"])):
            wrong.append(f"id {raw['id']!r}: expected lower-case words joined by '-'")
        if raw.get("id") in {c.id for c in concepts}:
            wrong.append("the id is used twice")
        if raw.get("lesson") and raw["lesson"] not in lessons:
            close = difflib.get_close_matches(str(raw["lesson"]), list(lessons), n=1)
            wrong.append(f"unknown lesson {raw['lesson']!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        problems += [f"{where}: {w}" for w in wrong]
        if not wrong:
            concepts.append(Concept(str(raw["id"]), str(raw["title"]), str(raw["lesson"]),
                                    " ".join(str(raw["description"]).split()), line))
    return concepts, problems


def find_pieces(text: str, where: str, known: dict[str, Concept] | None,
                sheet: str = FILE_NAME, markers: Markers = CHEAT_SHEET) -> tuple[dict[str, list[Piece]], list[str]]:
    """The pieces each concept's markers enclose in one example's `text`, and the problems with the markers
    (`where` names the example in them, `sheet` the concepts' file). `known` None: any name that is lower-case
    words joined by '-' (a part's). A cheat sheet's piece holds no other marker: it is shown as it is."""
    found: dict[str, list[Piece]] = {}
    problems = []
    open_at, concept, lines = 0, "", []
    start, end, pattern, inner = markers.start, markers.end, markers.pattern, PART.pattern
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        marker = pattern.match(line)
        if not marker:
            if open_at and markers == CHEAT_SHEET and inner.match(line):
                problems.append(f"{where}:{number}: `{line.strip()}` inside `{start.format(concept)}` (line {open_at}): "
                                f"a part may hold a piece of the cheat sheet, not the other way round")
            if open_at:
                lines.append(line if line.endswith("\n") else line + "\n")
            continue
        if marker["end"]:
            if not open_at:
                problems.append(f"{where}:{number}: `{end}` with no `{start.format('...')}` open")
            elif not "".join(lines).strip():
                problems.append(f"{where}:{open_at}: `{start.format(concept)}` encloses no code")
            elif known is None or concept in known:
                found.setdefault(concept, []).append(Piece(open_at + 1, _dedent(lines)))
            open_at, lines = 0, []
            continue
        name = marker["concept"].strip()
        if open_at:
            problems.append(f"{where}:{number}: `{start.format(name)}` before the `{start.format(concept)}` of "
                            f"line {open_at} is ended (`{end}`)")
        if known is None and not ID.match(name):
            problems.append(f"{where}:{number}: {markers.word} {name!r}: expected lower-case words joined by '-'")
        elif known is not None and name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            problems.append(f"{where}:{number}: unknown concept {name!r}"
                            + (f" (did you mean {close[0]!r}?)" if close else "")
                            + f"; the concepts are those of {sheet}: {', '.join(known)}")
        open_at, concept, lines = number, name, []
    if open_at:
        problems.append(f"{where}:{open_at}: `{start.format(concept)}` is never ended: add `{end}` after its code")
    return found, problems


def load_cheatsheet(registry: Registry, lessons: dict[str, Lesson], path: Path | None = None,
                    required: bool = True) -> CheatSheet | None:
    """The cheat sheet from its file and the examples' markers; raises InvalidCheatSheet listing every problem.
    Not `required` (the site), a course without the file has no cheat sheet: None."""
    if not lessons:
        raise KitError("no lessons: the cheat sheet takes its code from the lessons' examples")
    root = next(iter(lessons.values())).folder.parent.parent
    path = path or root / "lessons" / FILE_NAME
    if not required and not path.exists():
        return None
    sheet = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    # A concept may name any lesson there is; one whose lesson is broken (left out of the course) is left
    # off the sheet, and said to be, until the lesson is fixed.
    there = {folder.name: None for folder in (root / "lessons").iterdir() if folder.is_dir()}
    concepts, problems = read_concepts(path, there, sheet)
    if problems:  # the markers are judged against the concepts: first the concepts
        raise InvalidCheatSheet(problems)
    broken = tuple(c.title for c in concepts if c.lesson not in lessons)
    concepts = [c for c in concepts if c.lesson in lessons]
    known = {c.id: c for c in concepts}
    marked: dict[tuple[str, str], Cell] = {}  # (concept, language) -> its cell
    for lesson in lessons.values():
        for language in registry.languages.values():
            example = lesson.example(language)
            if not example.is_file():
                continue
            where = str(example.relative_to(root))
            found, wrong = find_pieces(example.read_text(encoding="utf-8", errors="replace"), where, known, sheet)
            problems += wrong
            for concept, pieces in found.items():
                if known[concept].lesson != lesson.slug:
                    problems.append(f"{where}:{pieces[0].first - 1}: marks {concept!r}, which the cheat sheet takes "
                                    f"from the lesson {known[concept].lesson!r} ({sheet}:{known[concept].line})")
                else:
                    marked[(concept, language.name)] = Cell(language.name, where, tuple(pieces))
    on_sheet = tuple(name for name in registry.names if any(lang == name for _, lang in marked))
    for concept in concepts:
        for name in on_sheet:
            if (concept.id, name) not in marked:
                example = lessons[concept.lesson].example(registry.get(name))
                problems.append(f"{example.relative_to(root)}: no code marked for {concept.id!r} "
                                f"({sheet}:{concept.line}): put it between `{START.format(concept.id)}` and "
                                f"`{END}` comments" + ("" if example.is_file() else " (the file does not exist)"))
    if problems:
        raise InvalidCheatSheet(problems)
    rows = tuple(Row(c, tuple(marked[(c.id, name)] for name in on_sheet)) for c in concepts)
    return CheatSheet(rows, on_sheet, tuple(n for n in registry.names if n not in on_sheet), broken)
