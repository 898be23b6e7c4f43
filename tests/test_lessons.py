import pytest

from runner import KitError
from runner.model.lessons import InvalidLessons, find_lesson, load_lessons


def test_the_kits_lessons_are_valid_and_in_course_order(lessons):
    assert list(lessons)[:1] == ["kitchen"]
    for slug in ("kitchen", "gather", "timeouts"):
        assert lessons[slug].expected and lessons[slug].narrative


def _lesson(root, slug, yaml_text, example=True, narrative=True):
    folder = root / "lessons" / slug
    folder.mkdir(parents=True)
    (folder / "lesson.yaml").write_text(yaml_text)
    if narrative:
        (folder / "lesson.md").write_text("# A lesson\n")
    if example:
        (root / "python").mkdir(exist_ok=True)
        (root / "python" / f"{slug}.py").write_text("print('[0.0s] hi')\n")


GOOD = "title: T\nsummary: S\nconcepts: [a]\nnotes: {python: n}\n"


def test_every_problem_in_every_file_is_reported_at_once(tmp_path, registry):
    _lesson(tmp_path, "good", GOOD)
    _lesson(tmp_path, "typos", "title: T\nsumary: S\nconcepts: [a]\nnotes: {rust: n}\ntimeout: soon\n")
    _lesson(tmp_path, "broken", "title: [unclosed\n")
    _lesson(tmp_path, "lonely", GOOD, example=False, narrative=False)
    _lesson(tmp_path, "badrule", GOOD + "compare: {differ: [{match: '(', why: x}], tolerance: -1}\n")
    with pytest.raises(InvalidLessons) as caught:
        load_lessons(registry, tmp_path / "lessons")
    problems = "\n".join(caught.value.problems)
    assert "lessons/typos/lesson.yaml:2: sumary: unknown key (did you mean 'summary'?)" in problems.replace(
        str(tmp_path) + "/", "")
    assert "summary: missing" in problems
    assert "notes.rust: unknown language; expected one of python, javascript, csharp" in problems
    assert "timeout: expected seconds" in problems and "'soon'" in problems
    assert "broken/lesson.yaml:2: not valid YAML" in problems
    assert "lonely/lesson.yaml: no lesson.md" in problems
    assert "lonely/lesson.yaml: no example in any language" in problems
    assert "compare.differ[0].match: not a regular expression" in problems
    assert "compare.tolerance: expected seconds between 0 and 5, got -1" in problems
    assert "good" not in problems
    assert "nothing was run" in str(caught.value)


def test_unknown_lesson_names_the_lessons_and_a_near_miss(lessons):
    with pytest.raises(KitError, match=r"unknown lesson 'kitchn'\. Did you mean 'kitchen'\?.*Lessons: kitchen"):
        find_lesson(lessons, "kitchn")


def _exercise_problems(tmp_path, registry, exercise: str) -> list[str]:
    """What loading a lesson whose exercise is `exercise` (YAML) says is wrong with it."""
    _lesson(tmp_path, "sleepy", GOOD + f"exercise: {exercise}\n")
    folder = tmp_path / "lessons" / "sleepy"
    (folder / "exercise.md").write_text("# Exercise: wake up\nNo threads.\n")
    (folder / "exercise").mkdir()
    (folder / "exercise" / "starter.py").write_text("print('[0.0s] hi')\n")
    with pytest.raises(InvalidLessons) as caught:
        load_lessons(registry, tmp_path / "lessons")
    return [problem.replace(f"{tmp_path}/", "") for problem in caught.value.problems]


def test_an_exercise_may_allow_only_the_static_rules_there_are(tmp_path, registry):
    assert _exercise_problems(tmp_path, registry, "{seconds: 1, allow: [blocking-sleep, blocking-slep]}") == [
        "lessons/sleepy/lesson.yaml:5: exercise.allow: unknown rule 'blocking-slep'; the static rules are "
        + ", ".join(registry.rule_ids)]
    assert "blocking-sleep" in registry.rule_ids and "async-void" in registry.rule_ids


def test_an_exercise_may_forbid_only_what_a_static_rule_looks_for(tmp_path, registry):
    assert _exercise_problems(tmp_path, registry, "{seconds: 1, forbid: [threads, goto]}") == [
        "lessons/sleepy/lesson.yaml:5: exercise.forbid: unknown 'goto'; a static rule looks for: threads"]


def test_the_exercises_that_say_no_threads_forbid_them(lessons):
    said = {slug for slug, lesson in lessons.items() if lesson.exercise
            and "no threads" in (lesson.folder / "exercise.md").read_text()}
    assert said == {slug for slug, lesson in lessons.items() if lesson.exercise and "threads" in lesson.exercise.forbid}
