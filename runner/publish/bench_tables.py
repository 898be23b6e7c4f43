"""`invoke bench` in the terminal: its figures per language, the course and the classroom, and its targets."""
from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from runner.model.languages import Registry


def _figure_cell(figure) -> str:
    """A figure as median (min-max), or - where it was not measured."""
    return "-" if figure is None else f"{figure.median:.0f} ({min(figure.samples):.0f}-{max(figure.samples):.0f})"


def bench_tables(result, registry: Registry) -> list[Table]:
    """`invoke bench`: the figures per language, the course, the classroom, and the targets as pass/fail lines."""
    columns = ("native", "local", "docker fresh", "docker warm", "docker build cold", "docker build new",
               "docker build cached", "check beyond the program")
    per_language = Table(title=f"One run of an example, wall time in ms: median (min-max) of {result.repeat}",
                         box=box.SIMPLE_HEAVY)
    per_language.add_column("language")
    for name in columns:  # on a narrow terminal a figure wraps: never cut to "…"
        per_language.add_column(name, justify="right", overflow="fold")
    for language in registry.languages.values():
        per_language.add_row(language.title, *(_figure_cell(result.figure(name, language.name)) for name in columns))
    course = Table(title="run-all on Docker (all lessons, all languages), s", box=box.SIMPLE_HEAVY)
    for name in ("caches warm", "caches empty", "floor: the slowest language's in-program time, summed",
                 "process floor: the slowest process per lesson (all, where they run one at a time), summed"):
        course.add_column(name, justify="right")
    course.add_row(*(f"{result.figure(what).median / 1000:.1f}" for what in ("run-all warm", "run-all cold",
                                                                             "run-all floor", "run-all process floor")))
    tables = [per_language, course]
    if result.figure("classroom crowd wall") is not None:
        tables.append(classroom_bench_table(result, registry))
    targets = Table(title="Targets", box=box.SIMPLE_HEAVY)
    for name in ("", "target", "measured"):
        targets.add_column(name)
    for target in result.targets:
        targets.add_row(Text("pass", "green") if target.passed else Text("FAIL", "bold red"), target.text,
                        target.measured)
    return tables + [targets]


def classroom_bench_table(result, registry: Registry) -> Table:
    """`invoke bench`'s classroom: kitchen's time to verdict per language on an idle classroom, then a crowd."""
    table = Table(title="The classroom: kitchen checked through its API, ms: median (min-max)", box=box.SIMPLE_HEAVY)
    for name in ("", "time to verdict", "the program's process", "the classroom's extra"):
        table.add_column(name, justify="right" if name else "left")
    for language in registry.languages.values():
        table.add_row(f"{language.title}, idle", *(_figure_cell(result.figure(f"classroom {what}", language.name))
                                                   for what in ("verdict", "program", "extra")))
    crowd = result.figure("classroom crowd")
    table.add_row(f"{len(crowd.samples)} at once", _figure_cell(crowd), "", "")
    return table


def show_bench(console: Console, result, registry: Registry, as_json: bool) -> None:
    """`invoke bench`: its tables, or one JSON document."""
    if as_json:
        from runner.model.results import to_json

        print(to_json(result.to_dict()))
    else:
        for table in bench_tables(result, registry):
            console.print(table)
