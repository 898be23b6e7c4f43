"""The terminal view of a run: a rich table, the outputs side by side, and the diff."""
from __future__ import annotations

import re

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from runner.model.languages import Registry, bare_version
from runner.model.results import EQUIVALENT, NOT_EQUIVALENT, NOT_RUN_HERE, LessonReport, Status, Timing
from runner.publish.figures import megabytes, seconds, spread

# A status's style (runner/model/results.py's table) as the terminal shows it; site.css styles the same names.
STYLES = {"good": "green", "bad": "red", "broken": "bold red", "quiet": "dim", "warn": "yellow"}
SIDE_BY_SIDE_WIDTH = 110
# A program's output is shown, never obeyed: characters that would steer the terminal (ESC starts
# colour, cursor, title and clipboard sequences; CR and BS overwrite; BEL rings) appear as \x1b etc.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SHOWN_LINES, SHOWN_LINE_CHARS = 200, 2000  # more is cut here, with a note; results keep all of it


def printable(text: str) -> str:
    """A program's text made safe to print: control characters (but newline and tab) as visible escapes."""
    return _CONTROLS.sub(lambda m: "\\r" if m.group() == "\r" else f"\\x{ord(m.group()):02x}",
                         text.replace("\r\n", "\n"))


def shown(text: str) -> str:
    """A program's text as the terminal shows it: escaped, and cut where it would flood the screen."""
    lines = text.split("\n")
    kept = [line if len(line) <= SHOWN_LINE_CHARS
            else f"{line[:SHOWN_LINE_CHARS]}... ({len(line) - SHOWN_LINE_CHARS} more characters)"
            for line in lines[:SHOWN_LINES]]
    if len(lines) > SHOWN_LINES:
        kept.append(f"... ({len(lines) - SHOWN_LINES} more lines: the results file and --json keep them all)")
    return printable("\n".join(kept))


def _ms(t: Timing | None, ranges: bool = True) -> str:
    """A timing in a table cell: the median, and below it the min-max of repeats if `ranges`."""
    if t is None:
        return "-"
    text, more = seconds(t.median, "s"), spread(t)
    return f"{text}\n{more}" if more and ranges else text


_VERDICT_STYLES = {EQUIVALENT: "bold green", NOT_RUN_HERE: "bold yellow", NOT_EQUIVALENT: "bold red"}


def _verdict(report: LessonReport) -> Text:
    words = report.verdict
    return Text("NOT equivalent" if words == NOT_EQUIVALENT else words, _VERDICT_STYLES[words])


def _version(text: str | None) -> str:
    """'Python 3.13.5' and 'v24.21.0' as the bare version, to keep the table narrow."""
    return bare_version(text) if text and text.split() else "-"


def summary_table(reports: list[LessonReport], registry: Registry, width: int | None = None) -> Table:
    """One row per language (and lesson); one verdict per lesson. A column with nothing to say in any row
    (memory in warm runs, say) is left out. On a terminal too narrow for the whole table (`width`), the
    versions move to the caption, then a single lesson's verdict to the title, then the min-max ranges of
    repeats go (the results keep them), then long lesson names break after a hyphen, then the headers are
    shortened (the caption spells them out), and last a cell too long (a status run again) wraps: at 80
    columns or more, nothing in a cell or a header is cut."""
    compact = 0
    while True:
        table = _summary_table(reports, registry, compact)
        if width is None or compact == _MOST_COMPACT or _needed_width(table) <= width:
            return table
        compact += 1


_MOST_COMPACT = 6
_SHORT_HEADERS = {"language": "lang", "program": "prog", "process": "proc", "memory": "mem", "waited": "wait"}


def _needed_width(table: Table) -> int:
    from rich.measure import Measurement

    console = Console(width=10_000)
    return Measurement.get(console, console.options, table).maximum


def _broken_at_hyphens(slug: str, most: int = 12) -> str:
    """A lesson's name on lines of at most `most` characters where its hyphens allow."""
    lines = [""]
    for word in slug.split("-"):
        piece = word if not lines[-1] else f"-{word}"
        if lines[-1] and len(lines[-1]) + len(piece) > most:
            lines[-1] += "-"
            lines.append(word)
        else:
            lines[-1] += piece
    return "\n".join(lines)


def _summary_table(reports: list[LessonReport], registry: Registry, compact: int) -> Table:
    many = len(reports) > 1
    numbers = ("program", "process", "build", "memory", "waited")
    names = ("lesson" if many else "verdict", "language", "status", *numbers, "version")
    rows, ends = [], []
    for report in reports:
        for i, lang in enumerate(report.languages):
            runs = report.runs_of(lang)
            worst = next((r for r in runs if r.status is not Status.OK), runs[0])
            t = report.timings(lang)
            title = registry.languages[lang].title if lang in registry.languages else lang
            lesson = _broken_at_hyphens(report.lesson) if compact >= 4 else report.lesson
            first = [lesson, _verdict(report)] if many else [_verdict(report)]
            status = Text(worst.status.value, STYLES[worst.status.style])
            if any(r.rerun for r in runs):
                status.append(", again", "yellow")
            ranges = compact < 3
            rows.append((first[i] if i < len(first) else "", title, status, _ms(t["run_ms"], ranges),
                         _ms(t["process_ms"], ranges), "cached" if worst.build_cached else _ms(t["build_ms"], ranges),
                         megabytes(t["peak_memory_bytes"]), _ms(t["stall_ms"], ranges), _version(worst.runtime_version)))
            ends.append(many and i == len(report.languages) - 1)
    shown = [i for i, name in enumerate(names) if name not in numbers or any(row[i] != "-" for row in rows)]
    versions = {}
    if compact >= 1:  # the versions below the table, once per language
        shown.remove(names.index("version"))
        versions = {row[1]: row[-1] for row in rows if row[-1] != "-"}
    title = None if many else f"{reports[0].title} ({reports[0].lesson}) - {reports[0].backend}"
    if compact >= 2 and not many:  # the verdict in the title
        shown.remove(0)
        title = Text.assemble(title, ": ", _verdict(reports[0]))
    explained = {"program": "as measured by the program", "process": "start to exit",
                 "build": "its time, or cached", "memory": "peak, in runs of a sandbox of their own",
                 "waited": "how long programs waited for a CPU during the run (a busy machine makes time "
                 "stamps late)"}
    headers = {name: _SHORT_HEADERS.get(name, name) if compact >= 5 else name for name in names}
    caption = "; ".join(f"{headers[names[i]]}: {explained[names[i]]}" for i in shown if names[i] in explained)
    if any(r.rerun for report in reports for r in report.runs):
        caption += "; again: run again alone (no other program timed, no build, meanwhile)"
    if any(run.repeat > 1 for r in reports for run in r.runs):
        caption += "; median over repeats, " + ("min-max below" if compact < 3 else "min-max in the results file")
    if versions:
        caption += "; versions: " + ", ".join(f"{language} {version}" for language, version in versions.items())
    table = Table(title=title, box=box.SIMPLE_HEAVY, pad_edge=False, collapse_padding=True, caption=caption)
    for i in shown:
        table.add_column(headers[names[i]], no_wrap=compact < _MOST_COMPACT, overflow="fold",
                         justify="right" if names[i] in numbers else "left")
    for row, end_section in zip(rows, ends):
        table.add_row(*(row[i] for i in shown), end_section=end_section)
    return table


def lessons_table(lessons, registry: Registry, broken: dict[str, list[str]] | None = None) -> Table:
    """The course at a glance: each lesson with its summary and the languages that have an example; then the
    lessons whose files are wrong (`broken`: their problems, by folder name)."""
    table = Table(title="Lessons", box=box.SIMPLE_HEAVY)
    table.add_column("lesson", no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("summary", ratio=3)
    table.add_column("examples", ratio=1)
    for lesson in lessons:
        have = [lang.title for lang in registry.languages.values() if lesson.example(lang).is_file()]
        table.add_row(lesson.slug, lesson.title, lesson.summary, ", ".join(have) or "none yet")
    for slug, problems in (broken or {}).items():
        table.add_row(slug, Text("broken", STYLES["broken"]), f"{len(problems)} problem(s) in its files: see below",
                      "-")
    return table


def outputs(report: LessonReport, registry: Registry, width: int):
    """Each language's output (first repeat), in columns when there is room, else stacked."""
    panels = []
    for lang in report.languages:
        run = report.runs_of(lang)[0]
        body = Text(shown(run.stdout.rstrip("\n")) or "(no output)", overflow="fold")  # cut nothing short
        extra = [run.message] if run.message else []
        if run.stderr.strip():
            extra.append("stderr:\n" + run.stderr.strip()[-1500:])
        if extra:
            body.append("\n\n" + printable("\n".join(extra)), style="red")
        title = registry.languages[lang].title if lang in registry.languages else lang
        panels.append((title, body, STYLES[run.status.style]))
    if width >= SIDE_BY_SIDE_WIDTH and len(panels) > 1:
        table = Table(show_lines=False, expand=True)
        for title, _, style in panels:
            table.add_column(Text(title, style))
        table.add_row(*(body for _, body, _ in panels))
        return table
    return Group(*(Panel(body, title=escape(title), border_style=style) for title, body, style in panels))


def show_lesson(console: Console, report: LessonReport, registry: Registry) -> None:
    console.print(summary_table([report], registry, console.width))
    console.print(outputs(report, registry, console.width))
    _show_lesson_verdict(console, report)


def _show_lesson_verdict(console: Console, report: LessonReport) -> None:
    """A lesson's verdict and what explains it: reruns, lines whose order varied, differences by design, the diff."""
    for run in report.reruns:
        console.print(Text(f"{report.lesson}: {run.language} was run again alone (no other program timed, no build, meanwhile): {run.rerun}",
                           "yellow"))
    for language, lines in report.order_varied.items():
        console.print(Text(f"{report.lesson}: in {language} the order of these lines varied between the runs "
                           "(the lesson compares equal only by luck of timing, unless they are declared "
                           "simultaneous):\n" + "\n".join(f"  {printable(line)}" for line in lines), "yellow"))
    for run in report.unmet:
        console.print(Text(f"{report.lesson}: {run.language}: {run.message}", "yellow"))
    for item in report.differences_that_show:
        console.print(Text(f"differs by design: {item['why']}", "yellow"))
    if report.diff:
        from rich.syntax import Syntax  # Pygments: imported where a diff is shown, not by every command

        console.print(Text(f"{report.lesson}: what differs", "bold red"))
        console.print(Syntax(shown(report.diff), "diff", theme="ansi_dark", background_color="default",
                             word_wrap=True))
    console.print(Text.assemble(f"{report.lesson}: ", _verdict(report)))


def show_all(console: Console, reports: list[LessonReport], registry: Registry) -> None:
    console.print(summary_table(reports, registry, console.width))
    for report in reports:
        if report.verdict != EQUIVALENT or report.reruns or report.order_varied:
            _show_lesson_verdict(console, report)
    good = sum(1 for r in reports if r.verdict == EQUIVALENT and all(r.runs))
    not_run = sum(1 for r in reports if r.verdict == NOT_RUN_HERE)
    also = f"; {not_run} not run: this machine lacked the free cores they need" if not_run else ""
    console.print(f"{good} of {len(reports)} lessons ran everywhere and are equivalent{also}")


def show_exercise_verdict(console: Console, verdict) -> None:
    """An exercise's verdict: pass, or each thing that is wrong; then what the program printed."""
    default = verdict.scenarios[0] if verdict.scenarios else None
    for scenario in verdict.scenarios:  # the default's output, and each other scenario's that went wrong
        if scenario is not default and (scenario.passed or scenario.run is default.run):  # (it ran in none)
            continue
        if scenario.run is not None and scenario.run.stdout.strip():
            title = "your program printed" + ("" if scenario is default else f" in the scenario {scenario.name!r}")
            console.print(Panel(Text(shown(scenario.run.stdout.rstrip("\n"))), title=title, border_style="dim"))
    style = "bold green" if verdict.passed else "bold red"
    console.print(Text(f"{'PASS' if verdict.passed else 'NOT YET'}: {verdict.lesson} in {verdict.language}", style))
    for message in verdict.messages:
        console.print(Text(f"- {printable(message)}", "green" if verdict.passed else ""))


def show_told(console: Console, task: str, then: str) -> None:
    """`invoke exercise`: the task rendered from its Markdown (headings, emphasis, code as text, not marks),
    then what to do next as plain lines (not wrapped, so a command is never cut in two)."""
    if task:
        from rich.markdown import Markdown  # markdown-it and Pygments: imported where a task is shown

        console.print(Markdown(task))
        console.print()
    console.print(then, soft_wrap=True, markup=False, highlight=False)


def consoles() -> tuple[Console, Console]:
    """The command's two screens: results to stdout, progress and messages to stderr."""
    return Console(), Console(stderr=True)


def doctor_table(findings) -> Table:
    """`invoke doctor`: each thing the kit needs, ok or missing, with its details or the fix."""
    table = Table(title="Async Rosetta doctor")
    for name in ("what", "state", "details / fix"):
        table.add_column(name)
    for item in findings:
        table.add_row(item.what, "[green]ok[/]" if item.ok else "[red]missing[/]", item.detail)
    return table


def show_course(console: Console, reports: list[LessonReport], registry: Registry, as_json: bool, one: bool) -> None:
    """run-lesson (`one`) or run-all: a lesson's tables and outputs, every lesson's table, or JSON (one
    document, or a list of them)."""
    if as_json:
        from runner.model.results import to_json

        data = [report.to_dict() for report in reports]
        print(to_json(data[0] if one else data))
    elif one:
        show_lesson(console, reports[0], registry)
    else:
        show_all(console, reports, registry)


def show_check(console: Console, verdict, as_json: bool) -> None:
    """`invoke check`: the verdict, or it as one JSON document."""
    if as_json:
        from runner.model.results import to_json

        print(to_json(verdict.to_dict()))
    else:
        show_exercise_verdict(console, verdict)
