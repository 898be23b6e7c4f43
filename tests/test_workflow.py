"""The verdicts' own judgements: lines whose order varied between repeats, shown to the lesson's author."""
from __future__ import annotations

import io

from rich.console import Console

from runner.publish import terminal
from runner.run import verdicts
from runner.model.lessons import load_lessons
from runner.model.results import LessonReport, RunResult, Status
from tests.conftest import make_lesson

ONE = "[0.0s] start\n[0.3s] a: finished\n[0.3s] b: finished\n"
OTHER = "[0.0s] start\n[0.3s] b: finished\n[0.3s] a: finished\n"


def _runs(*outputs: str) -> list[RunResult]:
    return [RunResult(language="python", backend="local", status=Status.OK, stdout=out, repeat=i)
            for i, out in enumerate(outputs, start=1)]


def _lesson(tmp_path, registry, extra: str = ""):
    make_lesson(tmp_path, "order", {"python/order.py": "print()\n"}, extra=extra)
    return load_lessons(registry, tmp_path / "lessons")["order"]


def test_lines_that_swapped_between_repeats_are_named(tmp_path, registry):
    lesson = _lesson(tmp_path, registry)
    assert verdicts.order_varied(lesson, _runs(ONE, ONE)) == {}
    assert verdicts.order_varied(lesson, _runs(ONE, OTHER, ONE)) == {
        "python": ("[#s] a: finished", "[#s] b: finished")}


def test_lines_declared_simultaneous_may_swap(tmp_path, registry):
    lesson = _lesson(tmp_path, registry, "compare:\n  same_time_as_set: true\n")
    assert verdicts.order_varied(lesson, _runs(ONE, OTHER)) == {}


def test_the_terminal_says_which_lines_varied(tmp_path, registry):
    lesson = _lesson(tmp_path, registry)
    runs = _runs(ONE, OTHER)
    report = LessonReport(lesson="order", title="order", equivalent=True, diff="", runs=tuple(runs),
                          backend="local", order_varied=verdicts.order_varied(lesson, runs))
    out = io.StringIO()
    terminal.show_lesson(Console(file=out, width=120), report, registry)
    text = out.getvalue()
    assert "in python the order of these lines varied between the runs" in text
    assert "[#s] a: finished" in text and "[#s] b: finished" in text
    assert LessonReport.from_dict(report.to_dict()).order_varied == report.order_varied


def test_sandbox_paths_become_the_authors_file_in_what_the_kit_shows():
    from runner.model.results import RunResult, Status
    from runner.sandbox.backend import shown_paths

    result = RunResult(language="csharp", backend="docker", status=Status.BUILD_FAILED,
                       message="the build failed:\n/job/src/breakfast.cs(19,41): error CS0103: 'tost' does not exist",
                       stderr='File "/tmp/async-rosetta-k2_x/src/breakfast.cs", line 3\n'
                              "at file:///work/1a2b-1.files/src/breakfast.cs:3:7\n/job/0a1b/src/breakfast.cs:3\n"
                              "/job/src/breakfast.csx stays",
                       build_output="/job/src/breakfast.cs(19,41): error CS0103", stdout="[0.0s] /job/src/breakfast.cs")
    shown = shown_paths(result, "breakfast.cs", "csharp/breakfast.cs")
    assert shown.message.endswith("csharp/breakfast.cs(19,41): error CS0103: 'tost' does not exist")
    assert shown.stderr == ('File "csharp/breakfast.cs", line 3\nat csharp/breakfast.cs:3:7\ncsharp/breakfast.cs:3\n'
                            "/job/src/breakfast.csx stays")
    assert shown.build_output == "csharp/breakfast.cs(19,41): error CS0103"
    assert shown.stdout == result.stdout  # what the lesson compares is left as printed
