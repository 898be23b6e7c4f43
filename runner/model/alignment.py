"""Aligned reading: which lines of a lesson's examples do the same thing, so that a page can light up, beside a
line of one program, the lines of the others that correspond to it.

The examples say it themselves, with marker comments of their own lines (runner/model/cheatsheet.py's
Markers): a part, in every language the lesson has,

    # part: concurrent             // part: concurrent
    await asyncio.gather(...)      await Promise.all([...]);
    # end part                     // end part

and the pieces of the cheat sheet, which correspond across languages already. A part may hold a piece of
the cheat sheet; the innermost region a line is in comes first among its groups.
"""
from __future__ import annotations

from dataclasses import dataclass

from runner import ProblemList
from runner.model.cheatsheet import CHEAT_SHEET, PART, Markers, find_pieces
from runner.model.languages import Registry
from runner.model.lesson import Lesson

GROUP_PREFIX = {PART: "part", CHEAT_SHEET: "sheet"}  # a group's name on the page: part-<id>, sheet-<id>


class InvalidAlignment(ProblemList):
    """A lesson's parts are wrong; the message lists every problem."""

    what = "the examples' parts"
    hint = (f"A part is marked in every language: a comment line `{PART.start.format('<id>')}`, the lines that do the "
            f"same thing, then `{PART.end}` (README: Pages and handouts).")


@dataclass(frozen=True)
class Region:
    """Lines of one example, its two marker lines included, that do what the same group does elsewhere."""

    group: str
    first: int
    last: int


@dataclass(frozen=True)
class Alignment:
    regions: dict[str, tuple[Region, ...]]  # language name -> its example's regions, in source order

    def groups(self, language: str) -> dict[int, tuple[str, ...]]:
        """Each marked line of the language's example: the groups it is in, the innermost first."""
        lines: dict[int, list[Region]] = {}
        for region in self.regions.get(language, ()):
            for number in range(region.first, region.last + 1):
                lines.setdefault(number, []).append(region)
        return {n: tuple(r.group for r in sorted(found, key=lambda r: r.last - r.first)) for n, found in lines.items()}

    def starts(self, language: str) -> set[int]:
        """The first line of each region: where the keyboard stops (one stop per region, not per line)."""
        return {region.first for region in self.regions.get(language, ())}


def _regions(text: str, where: str, markers: Markers) -> tuple[list[Region], list[str]]:
    found, problems = find_pieces(text, where, None, markers=markers)
    regions = [Region(f"{GROUP_PREFIX[markers]}-{name}", piece.first - 1, piece.last + 1)
               for name, pieces in found.items() for piece in pieces]
    return regions, problems


def align(lesson: Lesson, registry: Registry) -> Alignment:
    """The lesson's regions in each language that has an example; raises InvalidAlignment naming every part that
    is wrongly marked, or marked in some languages and not in others. (The cheat sheet's markers are judged by
    the cheat sheet.)"""
    root = lesson.folder.parent.parent
    regions: dict[str, tuple[Region, ...]] = {}
    where: dict[str, str] = {}
    problems: list[str] = []
    for language in registry.languages.values():
        example = lesson.example(language)
        if not example.is_file():
            continue
        text = example.read_text(encoding="utf-8", errors="replace")
        where[language.name] = str(example.relative_to(root)) if example.is_relative_to(root) else str(example)
        parts, wrong = _regions(text, where[language.name], PART)
        sheet, _ = _regions(text, where[language.name], CHEAT_SHEET)
        problems += wrong
        regions[language.name] = tuple(sorted(parts + sheet, key=lambda r: (r.first, -r.last)))
    if not problems:
        problems += _unmatched(regions, where)
    if problems:
        raise InvalidAlignment(problems)
    return Alignment(regions)


def _unmatched(regions: dict[str, tuple[Region, ...]], where: dict[str, str]) -> list[str]:
    """A part that one example marks and another does not: nothing to light up there."""
    marked = {name: {r.group: r.first for r in found if r.group.startswith(GROUP_PREFIX[PART] + "-")}
              for name, found in regions.items()}
    problems = []
    for group in sorted({g for groups in marked.values() for g in groups}):
        having = [f"{where[name]}:{groups[group]}" for name, groups in marked.items() if group in groups]
        for name, groups in marked.items():
            if group not in groups:
                problems.append(f"{where[name]}: no `{PART.start.format(group.split('-', 1)[1])}`, which "
                                f"{' and '.join(having)} mark{'s' if len(having) == 1 else ''}: mark the lines "
                                f"that do the same thing here too")
    return problems
