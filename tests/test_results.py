"""A lesson's report: what it says about itself, and its JSON."""
from runner.model.results import LessonReport, RunResult, Status

SHOWS = {"match": "failed", "why": "the messages differ", "lines": {"python": ["x failed"], "csharp": ["X failed"]}}
HIDDEN = {"match": "done", "why": "may differ", "lines": {"python": ["done"], "csharp": ["done"]}}


def test_only_the_declared_differences_that_show_in_the_run_are_shown():
    run = RunResult(language="python", backend="local", status=Status.OK)
    report = LessonReport("l", "l", True, "", (run,), "local", declared_differences=(SHOWS, HIDDEN))
    assert report.differences_that_show == [SHOWS]
    assert LessonReport.from_dict(report.to_dict()).differences_that_show == [SHOWS]
