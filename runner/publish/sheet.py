"""What the cheat sheet shows: a row per concept with its lesson's verdict, a cell per language with the code
its example marks (runner/model/cheatsheet.py), highlighted, numbered as in the example, linked to the lesson.

The verdicts are those of the lesson pages (runner/publish/pages.py), from the same stored results."""
from __future__ import annotations

from dataclasses import dataclass

from runner.model.cheatsheet import Cell, CheatSheet, Concept
from runner.model.languages import Language, Registry
from runner.publish.listing import GAP, block, rows
from runner.publish.markup import inline_html
from runner.publish.pages import Column, LessonPage


@dataclass(frozen=True)
class SheetCell:
    cell: Cell
    column: Column  # the lesson page's column of this language: its status from the stored run
    code_html: str

    @property
    def language(self) -> Language:
        return self.column.language


@dataclass(frozen=True)
class SheetRow:
    concept: Concept
    page: LessonPage  # the lesson the cells come from: its title, verdict and provenance
    cells: tuple[SheetCell, ...]

    @property
    def description_html(self) -> str:
        return inline_html(self.concept.description)


def cell_html(cell: Cell, lexer: str) -> str:
    """The cell's pieces as one listing, each numbered as in the example, with a gap line between them."""
    lines: list[str] = []
    for piece in cell.pieces:
        lines += ([GAP] if lines else []) + rows(piece.code, lexer, piece.first)
    return block(lines)


def sheet_rows(sheet: CheatSheet, registry: Registry, pages: dict[str, LessonPage]) -> list[SheetRow]:
    """The rows of `sheet`, each with the page of its lesson (`pages`: by slug)."""
    built = []
    for row in sheet.rows:
        page = pages[row.concept.lesson]
        columns = {c.language.name: c for c in page.columns}
        built.append(SheetRow(row.concept, page, tuple(
            SheetCell(cell, columns[cell.language], cell_html(cell, registry.get(cell.language).lexer))
            for cell in row.cells)))
    return built


def verdict_counts(rows: list[SheetRow]) -> dict[str, int]:
    """How many rows have each verdict ("equivalent", "not equivalent", "not run yet")."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.page.verdict] = counts.get(row.page.verdict, 0) + 1
    return counts
