import pytest

from runner import KitError
from runner.model.lesson import find_lesson
from runner.model.lessons import InvalidLessons, load_course, load_lessons


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
    assert "broken/lesson.yaml:1: title: not valid YAML" in problems  # the line of the unclosed [, not the next
    assert "lonely/lesson.yaml: no lesson.md" in problems
    assert "lonely/lesson.yaml: no example in any language" in problems
    assert "compare.differ[0].match: not a regular expression" in problems
    assert "compare.tolerance: expected seconds between 0 and 5, got -1" in problems
    assert "good" not in problems
    assert "nothing was run" in str(caught.value)


@pytest.mark.parametrize("needs", ["{cores: 0}", "{cores: two}", "{cores: 1.5}", "{cores: true}", "2",
                                   "{cores: 2, memory: 1}", "{cores: 65}"])
def test_needs_takes_a_whole_number_of_cores_and_a_bad_value_is_a_lesson_file_error(tmp_path, registry, needs):
    _lesson(tmp_path, "parallel", GOOD + f"needs: {needs}\n")
    with pytest.raises(InvalidLessons) as caught:
        load_lessons(registry, tmp_path / "lessons")
    (problem,) = caught.value.problems
    assert problem.replace(str(tmp_path) + "/", "").startswith("lessons/parallel/lesson.yaml:5: needs: expected "
                                                               "mapping with cores: how many free cores"), problem
    assert "e.g. {cores: 2}" in problem


def test_a_lesson_that_needs_cores_runs_its_languages_alone(tmp_path, registry, lessons):
    _lesson(tmp_path, "plain", GOOD)
    _lesson(tmp_path, "parallel", GOOD + "needs: {cores: 2}\n")
    loaded = load_lessons(registry, tmp_path / "lessons")
    assert not loaded["plain"].needs and not loaded["plain"].runs_alone and not loaded["plain"].runs_exclusive
    assert loaded["parallel"].needs.cores == 2 and loaded["parallel"].runs_alone and loaded["parallel"].runs_exclusive
    assert lessons["parallelism"].needs.cores == 2


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


@pytest.mark.parametrize("text, where, fix", [
    ("title: T\nsummary: S\nconcepts: [a]\nnotes:\n  python: n\n  bad: [unclosed\nexpected: y\n",
     ":6: notes", "close the [ or { opened on this line"),
    ("title: T\nsummary: \"unclosed\nconcepts: [a]\n", ":2: summary", "close the quote"),
    ("title: T\nsummary S\nconcepts: [a]\n", ":2: summary", "a colon and a space after it"),
    ("title: T\n\tsummary: S\n", ":2: title", "spaces, not tabs"),
    ("title: T\nsummary: a: b\n", ":2: summary", "quote a value that holds ': '"),
])
def test_a_yaml_mistake_is_reported_at_its_line_with_its_key_and_the_fix(tmp_path, registry, text, where, fix):
    _lesson(tmp_path, "typo", text)
    [problem] = load_course(registry, tmp_path / "lessons").broken["typo"]
    assert problem.replace(f"{tmp_path}/", "").startswith(f"lessons/typo/lesson.yaml{where}: not valid YAML: ")
    assert fix in problem


def test_a_broken_lesson_is_left_out_and_only_a_command_naming_it_fails(tmp_path, registry):
    _lesson(tmp_path, "good", GOOD)
    _lesson(tmp_path, "broken", "title: [unclosed\n")
    course = load_course(registry, tmp_path / "lessons")
    assert list(course.lessons) == ["good"] and list(course.broken) == ["broken"]
    assert list(course.usable()) == list(course.usable("good")) == ["good"]
    with pytest.raises(InvalidLessons, match=r" - nothing was run \(the lesson 'broken' is broken\)") as caught:
        course.usable("broken")
    assert caught.value.problems == course.problems == course.broken["broken"]
    with pytest.raises(InvalidLessons, match=r" - broken left out; the others ran:\n  .*broken/lesson.yaml:1: "):
        course.raise_problems("{left_out} left out; the others ran")
    (tmp_path / "lessons" / "good" / "lesson.yaml").write_text("title: [unclosed\n")
    with pytest.raises(InvalidLessons, match="2 problem"):  # nothing usable: there is nothing to go on with
        load_course(registry, tmp_path / "lessons").usable()


def test_an_exercise_may_forbid_only_what_a_static_rule_looks_for(tmp_path, registry):
    assert _exercise_problems(tmp_path, registry, "{seconds: 1, forbid: [threads, goto]}") == [
        "lessons/sleepy/lesson.yaml:5: exercise.forbid: unknown 'goto'; a static rule looks for: threads"]


def test_the_exercises_that_say_no_threads_forbid_them(lessons):
    said = {slug for slug, lesson in lessons.items() if lesson.exercise
            and "no threads" in (lesson.folder / "exercise.md").read_text()}
    assert said == {slug for slug, lesson in lessons.items() if lesson.exercise and "threads" in lesson.exercise.forbid}
