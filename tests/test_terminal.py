"""The terminal's view of real runs at the widths people use (80 and 160 columns): nothing in the table is
cut, the outputs stand side by side only where there is room, and what leaves the table goes below it."""
from __future__ import annotations

import re

import pytest
from rich.console import Console

from runner.model.results import LessonReport, RunResult, Status
from runner.run import workflow
from runner.publish.terminal import SIDE_BY_SIDE_WIDTH, show_all, show_lesson

# A lesson with the course's longest name beside a short one, every language, repeated (min-max ranges).
LESSONS = ("gather", "races-without-threads")




def _text(width: int, show, *args) -> str:
    console = Console(width=width, record=True, color_system=None)
    show(console, *args)
    return console.export_text()


@pytest.mark.local
def test_the_tables_are_whole_at_80_and_160_columns(local_backend, registry, lessons):
    reports = [workflow.run_lesson(lessons[slug], list(registry.languages.values()), local_backend, repeat=2)
               for slug in LESSONS]
    for width in (80, 160):
        _one_lesson(reports[0], registry, width)
        _course(reports, registry, width)


def _one_lesson(report, registry, width: int) -> None:
    text = _text(width, show_lesson, report, registry)
    table = text.split("program: as measured")[0]
    assert "…" not in table, f"a cell was cut at {width} columns:\n{text}"
    for run in report.runs:
        assert registry.languages[run.language].title in table
    assert all(len(line) <= width for line in text.splitlines())
    versions = [run.runtime_version.split()[-1].lstrip("v") for run in report.runs if run.runtime_version]
    assert versions and all(version in text for version in versions)  # in the table, or below it
    assert "equivalent" in text.split("\n")[0] + text[-200:]  # the verdict, whatever it is, in title or last line
    side_by_side = width >= SIDE_BY_SIDE_WIDTH
    # Side by side: one table row holds every language's first line; stacked: a panel per language.
    first_lines = [line for line in text.splitlines() if line.count("[0.0s] asking") == len(report.languages)]
    assert bool(first_lines) == side_by_side, text
    assert (text.count("╭") == len(report.languages)) == (not side_by_side), text


def _course(reports, registry, width: int) -> None:
    text = _text(width, show_all, reports, registry)
    table = text.split("program: as measured")[0]
    assert "…" not in table, f"a cell was cut at {width} columns:\n{text}"
    assert all(len(line) <= width for line in text.splitlines())
    # A long name may break after a hyphen, never inside a word.
    assert "races-without-threads" in table or all(part in table for part in ("races-", "without-", "threads"))
    # Whatever the verdicts (a machine busy enough may make one NOT equivalent: that is the checker's to say).
    assert re.search(rf"\d of {len(reports)} lessons ran everywhere and are equivalent", text)


def _widest(slug: str, registry) -> LessonReport:
    """A lesson whose cells are as wide as run-all's get: long statuses run again, builds timed, memory, repeats."""
    statuses = (Status.OUTPUT_LIMIT, Status.BUILD_FAILED, Status.TIMEOUT)
    runs = tuple(RunResult(language=lang, backend="docker", status=status, rerun="a busy machine", repeat=repeat,
                           run_ms=12_340.0 + repeat, process_ms=12_990.0 * repeat, build_ms=54_321.0,
                           peak_memory_bytes=987_654_321, stall_ms=2_340.0, runtime_version="Python 3.13.5")
                 for lang, status in zip(registry.languages, statuses) for repeat in (1, 2))
    return LessonReport(lesson=slug, title=slug, equivalent=False, diff="", runs=runs, backend="docker")


@pytest.mark.parametrize("width", [80, 160])
def test_run_alls_table_cuts_no_header_nor_cell_however_wide_the_cells(registry, width):
    text = _text(width, show_all, [_widest(slug, registry) for slug in LESSONS], registry)
    table = text.split("as measured by the program")[0]
    assert "…" not in table, f"a header or cell was cut at {width} columns:\n{text}"
    assert all(len(line) <= width for line in text.splitlines())
    headers = table.splitlines()[1].split()
    assert headers[:2] == ["lesson", "language" if width == 160 else "lang"], table
    for header in ("program", "process", "memory", "waited") if width == 160 else ("prog", "proc", "mem", "wait"):
        assert header in headers and f"{header}: " in text  # a short header is spelled out in the caption
    assert "output_limit" in table and "JavaScript" in table
