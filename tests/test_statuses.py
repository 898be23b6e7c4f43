"""A status is one row of a table (runner/model/results.py's `Status`): the verdict, the terminal, the pages,
their CSS and the checker all read it, so that a new status is that row (and the place that decides it)."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from runner import ROOT
from runner.model.lessons import load_lessons
from runner.model.results import LessonReport, RunResult, Status, host_facts
from runner.model.store import ResultsStore
from runner.publish import terminal
from runner.publish.pages import NOT_RUN_STYLE
from runner.publish.render import TEMPLATES, render_site
from runner.run import checker, verdicts
from tests.conftest import make_lesson

CSS = (TEMPLATES / "site.css").read_text()


def _run(language: str, status: Status, stdout: str = "[0.0s] start\n") -> RunResult:
    return RunResult(language=language, backend="local", status=status, message="the run went: this way",
                     stdout=stdout if status is Status.OK else "")


def test_every_status_has_a_style_both_the_terminal_and_the_css_know_and_words_for_a_learner():
    for status in Status:
        assert status.style in terminal.STYLES, status
        assert f".status-{status.style}" in CSS, status
        assert status.meaning, status
        assert "this way" in status.told("the run went: this way") and status.told(""), status
    assert f".status-{NOT_RUN_STYLE}" in CSS  # a language with no stored result yet


def test_the_readme_lists_every_status_with_its_meaning():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Statuses", 1)[1].split("\n\n", 2)[1]
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+?) \|", table, re.M))
    assert rows == {status.value: status.meaning for status in Status}


def test_every_status_shows_in_the_terminal_and_on_the_pages(tmp_path, registry, lessons):
    chosen = dict(list(lessons.items())[:len(Status)])
    for (slug, lesson), status in zip(chosen.items(), Status):
        runs = tuple(_run(name, status) for name in registry.languages)
        report = LessonReport(lesson=slug, title=lesson.title, equivalent=False, diff="", runs=runs, backend="local",
                              host=host_facts())
        terminal.show_lesson(Console(file=io.StringIO(), width=160), report, registry)  # the outputs' panels too
        table = terminal.summary_table([report], registry)
        cells = next(column for column in table.columns if column.header == "status").cells
        assert [(cell.plain, cell.style) for cell in cells] == [(status.value, terminal.STYLES[status.style])] * 3
        ResultsStore(tmp_path / "results").save(report)
    render_site(chosen, registry, ResultsStore(tmp_path / "results").reports(), tmp_path / "site")
    index = (tmp_path / "site" / "index.html").read_text()
    for slug, status in zip(chosen, Status):
        shown = f'<span class="status status-{status.style}">{status.value}</span>'
        assert shown in index and shown in (tmp_path / "site" / f"{slug}.html").read_text(), status


def test_only_the_statuses_judged_count_in_the_verdict(tmp_path, registry):
    make_lesson(tmp_path, "judged", {"python/judged.py": "print()\n"})
    lesson = load_lessons(registry, tmp_path / "lessons")["judged"]
    for status in Status:
        other = _run("javascript", status)
        equivalent, diff, _ = verdicts.verdict(lesson, [_run("python", Status.OK), other])
        assert equivalent == bool(other) == (status is Status.OK or not status.judged), (status, diff)


def test_the_checker_tells_a_learner_each_status_in_its_words(registry):
    python = registry.languages["python"]
    for status in Status:
        (told,) = checker._what_went_wrong(_run("python", status), python, Path("mine.py"))
        assert told == status.told("the run went: this way") and "this way" in told, status
    assert checker._what_went_wrong(_run("python", Status.BUILD_FAILED), python, Path("mine.py")) == ["it does not compile: this way"]


TOY = '''
import io
from pathlib import Path
from rich.console import Console
from runner import ROOT
from runner.model.languages import load_registry
from runner.model.lessons import load_lessons
from runner.model.results import LessonReport, RunResult, Status, host_facts
from runner.model.store import ResultsStore
from runner.publish import terminal
from runner.publish.render import render_handout
from runner.run import checker, verdicts

registry = load_registry()
lessons = load_lessons(registry)
slow = Status("slow")
runs = (RunResult(language="python", backend="local", status=Status.OK, stdout="[0.0s] start\\n"),
        RunResult(language="javascript", backend="local", status=slow, message="the run took: 9 s"))
assert not verdicts.verdict(lessons["kitchen"], list(runs))[0] and not runs[1]
report = LessonReport(lesson="kitchen", title="Kitchen", equivalent=False, diff="", runs=runs, backend="local",
                      host=host_facts())
out = io.StringIO()
terminal.show_lesson(Console(file=out, width=160), report, registry)
assert "slow" in out.getvalue()
store = ResultsStore(ROOT / "results")  # the copy's
store.save(report)
assert store.reports() == {"kitchen": report}
html = render_handout([lessons["kitchen"]], registry, store.reports(), "html", booklet=False)
assert '<span class="status status-bad">slow</span>' in html
assert checker._what_went_wrong(runs[1], registry.languages["javascript"], Path("mine.mjs")) == ["it is too slow: 9 s"]
print("the toy status works")
'''


def test_a_new_status_is_one_row_of_the_table(kit_copy):
    results = kit_copy / "runner" / "model" / "results.py"
    text = results.read_text()
    row = '    ERROR = _row("error"'
    assert row in text
    results.write_text(text.replace(row, '    SLOW = _row("slow", "bad", "it ran past its time", headline="it is too slow")\n'
                                         + row, 1))
    done = subprocess.run([sys.executable, "-c", TOY], cwd=kit_copy, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(kit_copy)})
    assert done.returncode == 0 and "the toy status works" in done.stdout, done.stderr[-3000:]
    changed = [str(p.relative_to(kit_copy)) for p in (kit_copy / "runner").rglob("*") if p.is_file()
               and "__pycache__" not in p.parts
               and p.read_bytes() != (ROOT / p.relative_to(kit_copy)).read_bytes()]
    assert changed == ["runner/model/results.py"]
