"""Every lesson, every language: equivalent, or differing only where the lesson declares.

On the local backend here, a lesson at a time; in Docker through `invoke run-all` in its real mode (warm
containers, the languages side by side, C# built ahead: tests/test_cli.py), which judges every lesson by
`check_lesson` below, so that no lesson's Docker run is paid for twice."""
import os

import pytest

from runner.run import workflow
from runner.model.languages import load_registry
from runner.model.lessons import load_lessons
from runner.model.results import NOT_RUN_HERE, Status
from tests.conftest import picked

# A lesson that measures CPU runs alone (`serial`): another test's load beside it would be in its figures.
LESSONS = load_lessons(load_registry())
SLUGS = [pytest.param(slug, marks=pytest.mark.serial) if LESSONS[slug].runs_alone else slug
         for slug in picked(LESSONS)]


def check_lesson(report, lesson):
    """A lesson's report is right: every run ok (or skipped by the lesson's own version gate, or not run where
    the lesson needs free cores that a busy machine did not have), the outputs equivalent, and every declared
    difference still there to show."""
    for run in report.runs:
        if run.status is Status.SKIPPED:  # allowed only where the lesson gates on a runtime version
            assert lesson.required_version(run.language), f"{run.language}: {run.message}"
        elif run.status is Status.NOT_RUN:  # allowed only where the lesson needs cores: a job beside it took one
            assert lesson.needs and run.message.startswith(f"not run: needs {lesson.needs.cores} free cores; "), (
                f"{run.language}: {run.message}")
        else:
            assert run.status is Status.OK, f"{run.language}: {run.status.value} - {run.message}\n{run.stderr[-2000:]}"
    if report.unmet:  # then only what ran is compared, and never differs
        assert report.verdict == NOT_RUN_HERE, report.diff
        return
    assert report.equivalent, report.diff
    for item in report.declared_differences:  # a declared difference must still be there to show
        shown = {language: lines for language, lines in item["lines"].items()}
        assert len({tuple(lines) for lines in shown.values()}) > 1, (
            f"the lines matching {item['match']!r} are the same in every language: the declaration is stale\n{shown}")


@pytest.mark.local
@pytest.mark.parametrize("slug", SLUGS)
def test_every_lesson_is_equivalent_on_the_local_backend(slug, lessons, registry, local_backend):
    lesson = lessons[slug]
    check_lesson(workflow.run_lesson(lesson, list(registry.languages.values()), local_backend), lesson)


# In Docker every lesson is judged by tests/test_cli.py's run-all; one lesson that `invoke test --lesson SLUG`
# picked is judged here too, as run-all runs it (warm containers, the languages side by side).
if os.environ.get("ASYNC_ROSETTA_TEST_LESSON"):
    @pytest.mark.docker
    @pytest.mark.parametrize("slug", SLUGS)
    def test_every_lesson_picked_is_equivalent_in_docker(slug, lessons, registry, docker_backend, no_leftovers):
        lesson = lessons[slug]
        check_lesson(workflow.run_lesson(lesson, list(registry.languages.values()), docker_backend, warm=True,
                                         side_by_side=True), lesson)
