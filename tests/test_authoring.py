"""What an author is told beyond validation: the stubs' placeholders, event lines not read as events."""
import pytest

from runner import KitError
from runner.model import authoring
from runner.model.lessons import load_lesson
from runner.setup.scaffold import new_lesson
from tests.conftest import make_lesson


def test_a_new_lessons_placeholders_are_named_in_every_file(tmp_path, registry):
    new_lesson("breakfast", registry, tmp_path / "lessons")
    lesson, problems = load_lesson(tmp_path / "lessons" / "breakfast", registry)
    assert problems == []  # it runs: validation lets it through...
    found = authoring.placeholders(lesson, registry)  # ...and the author is told what is left to write
    files = {item.split(":")[0] for item in found}
    assert files == {str(tmp_path / p) for p in ("lessons/breakfast/lesson.yaml", "lessons/breakfast/lesson.md",
                                                 "python/breakfast.py", "javascript/breakfast.mjs",
                                                 "csharp/breakfast.cs")}
    assert f"{tmp_path}/lessons/breakfast/lesson.yaml:3: still the stub's placeholder: " \
           "'summary: Say in one sentence what this lesson shows.'" in found
    assert any(":4: still the stub's placeholder: 'concepts: [Name the ideas it teaches]'" in f for f in found)
    with pytest.raises(KitError, match=r"not writing the site: \d+ placeholder\(s\)"):
        authoring.refuse_unfinished([lesson], registry, "the site")


def test_the_shipped_lessons_hold_no_placeholder_and_no_event_mistake(lessons, registry):
    assert [w for lesson in lessons.values() for w in authoring.lesson_warnings(lesson, registry)] == []


def test_event_mistakes_in_the_expected_output_and_unknown_chained_tasks_are_warned(tmp_path, registry):
    folder = make_lesson(tmp_path, "breakfast", {"python/breakfast.py": "print()\n"},
                         extra="timeline: {after: {butter: toast, jam: buter}}\n",
                         expected="[0.0s] toast: started\n[0.1s] Toast: Finished\n[0.1s] butter: started\n"
                                  "[0.2s] butter: finished\n")
    lesson, problems = load_lesson(folder, registry)
    assert problems == [] and lesson.after == (("butter", "toast"), ("jam", "buter"))
    warnings = authoring.lesson_warnings(lesson, registry)
    assert len(warnings) == 3, warnings
    assert "breakfast/lesson.yaml:8: expected: '[0.1s] Toast: Finished' looks like an event" in warnings[0]
    assert "timeline.after: 'jam' prints no event" in warnings[1] and "butter, toast" in warnings[1]
    assert "timeline.after: 'buter' prints no event" in warnings[2]


def test_a_bad_timeline_key_is_a_lesson_file_error(tmp_path, registry):
    folder = make_lesson(tmp_path, "breakfast", {"python/breakfast.py": "print()\n"},
                         extra="timeline: {after: [toast, butter]}\n")
    _, problems = load_lesson(folder, registry)
    assert len(problems) == 1 and "lesson.yaml:5: timeline: expected mapping with after" in problems[0]


def test_a_runs_event_mistakes_are_warned_once_per_language(tmp_path, registry):
    from runner.model.results import LessonReport, RunResult, Status

    folder = make_lesson(tmp_path, "breakfast", {"python/breakfast.py": "print()\n"})
    lesson, _ = load_lesson(folder, registry)
    bad = "[0.0s] Toast: Started\n[0.1s] butter & jam: started\n"
    runs = tuple(RunResult(language="python", backend="local", status=Status.OK, stdout=bad, repeat=i)
                 for i in (1, 2))
    report = LessonReport("breakfast", "Breakfast", True, "", runs + (
        RunResult(language="csharp", backend="local", status=Status.OK, stdout="[0.0s] toast: started\n"),), "local")
    assert authoring.run_warnings(lesson, report) == [
        "breakfast: python: line 1 '[0.0s] Toast: Started' looks like an event but is not read as one: write "
        "'Toast: started' (the verb one of started, finished, cancelled, timeout, failed, in lower case, after a "
        "colon and one space)"]
