"""The terminal view of a run: a rich table, the outputs side by side, and the diff."""
from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from runner.languages import Registry
from runner.results import LessonReport, Status, Timing

STATUS_STYLE = {
    Status.OK: "green", Status.MISSING: "dim", Status.SKIPPED: "yellow", Status.FAILED: "red",
    Status.BUILD_FAILED: "red", Status.TIMEOUT: "red", Status.OOM: "red",
    Status.OUTPUT_LIMIT: "red", Status.ERROR: "bold red",
}
SIDE_BY_SIDE_WIDTH = 110


def _ms(t: Timing | None) -> str:
    if t is None:
        return "-"
    text = f"{t.median / 1000:.2f}s"
    return text if t.min == t.max else f"{text} ({t.min / 1000:.2f}-{t.max / 1000:.2f})"


def _mb(t: Timing | None) -> str:
    return "-" if t is None else f"{t.median / 2**20:.0f} MB"


def _verdict(report: LessonReport) -> Text:
    return Text("equivalent", "bold green") if report.equivalent else Text("NOT equivalent", "bold red")


def summary_table(reports: list[LessonReport], registry: Registry) -> Table:
    many = len(reports) > 1
    table = Table(title=None if many else f"{reports[0].title} ({reports[0].lesson}) - {reports[0].backend}")
    if many:
        table.add_column("lesson")
    for name in ("language", "status", "in-program", "process", "build", "peak memory", "runtime"):
        table.add_column(name, no_wrap=name in ("status", "runtime"))
    table.add_column("verdict")
    for report in reports:
        for i, lang in enumerate(report.languages):
            runs = report.runs_of(lang)
            worst = next((r for r in runs if r.status is not Status.OK), runs[0])
            t = report.timings(lang)
            title = registry.languages[lang].title if lang in registry.languages else lang
            row = [title, Text(worst.status.value, STATUS_STYLE[worst.status]), _ms(t["run_ms"]),
                   _ms(t["process_ms"]), _ms(t["build_ms"]), _mb(t["peak_memory_bytes"]),
                   worst.runtime_version or "-", _verdict(report) if i == 0 else ""]
            table.add_row(*([report.lesson if i == 0 else ""] if many else []), *row,
                          end_section=many and i == len(report.languages) - 1)
    return table


def outputs(report: LessonReport, registry: Registry, width: int):
    """Each language's output (first repeat), in columns when there is room, else stacked."""
    panels = []
    for lang in report.languages:
        run = report.runs_of(lang)[0]
        body = Text(run.stdout.rstrip("\n") or "(no output)")
        extra = [run.message] if run.message else []
        if run.stderr.strip():
            extra.append("stderr:\n" + run.stderr.strip()[-1500:])
        if extra:
            body.append("\n\n" + "\n".join(extra), style="red")
        title = registry.languages[lang].title if lang in registry.languages else lang
        panels.append((title, body, STATUS_STYLE[run.status]))
    if width >= SIDE_BY_SIDE_WIDTH and len(panels) > 1:
        table = Table(show_lines=False, expand=True)
        for title, _, style in panels:
            table.add_column(Text(title, style))
        table.add_row(*(body for _, body, _ in panels))
        return table
    return Group(*(Panel(body, title=escape(title), border_style=style) for title, body, style in panels))


def show_lesson(console: Console, report: LessonReport, registry: Registry) -> None:
    console.print(summary_table([report], registry))
    console.print(outputs(report, registry, console.width))
    _show_verdict(console, report)


def _show_verdict(console: Console, report: LessonReport) -> None:
    for item in report.declared_differences:
        if len({tuple(v) for v in item["lines"].values()}) > 1:
            console.print(Text(f"differs by design: {item['why']}", "yellow"))
    if report.diff:
        console.print(Text(f"{report.lesson}: what differs", "bold red"))
        console.print(Syntax(report.diff, "diff", theme="ansi_dark", background_color="default",
                             word_wrap=True))
    console.print(Text.assemble(f"{report.lesson}: ", _verdict(report)))


def show_all(console: Console, reports: list[LessonReport], registry: Registry) -> None:
    console.print(summary_table(reports, registry))
    for report in reports:
        if not report.equivalent:
            _show_verdict(console, report)
    good = sum(1 for r in reports if r)
    console.print(f"{good} of {len(reports)} lessons ran everywhere and are equivalent")
