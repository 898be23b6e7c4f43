"""`invoke test`: the lesson an author picks with --lesson selects its judging tests and nothing else."""
import os
import subprocess
import sys

from runner import ROOT
from runner.run.suite import EXERCISE_TESTS, LESSON_ENV, LESSON_TESTS
from tests.test_cli import invoke


def test_test_lesson_collects_only_that_lessons_judging_tests():
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "--collect-only", "-k", "test_every_",
                           *LESSON_TESTS, *EXERCISE_TESTS],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, LESSON_ENV: "gather"})
    items = [line for line in done.stdout.splitlines() if "::" in line]
    assert done.returncode == 0 and items, done.stdout + done.stderr
    assert all("[gather" in item for item in items), items
    assert any("test_every_lesson_is_equivalent_on_the_local_backend[gather]" in item for item in items)
    assert any("test_every_lesson_picked_is_equivalent_in_docker[gather]" in item for item in items)
    assert any("test_every_exercise_in_docker[gather-csharp" in item for item in items)


def test_test_lesson_leaves_out_the_exercise_tests_of_a_lesson_without_an_exercise(monkeypatch, lessons):
    from runner.run import suite

    plain = next(slug for slug, lesson in lessons.items() if not lesson.exercise)
    called = []
    monkeypatch.setattr(suite.subprocess, "call", lambda command, **_: called.append(command) or 0)
    assert suite.run_tests(lesson=plain) == 0 and called
    assert all(EXERCISE_TESTS[0] not in command and LESSON_TESTS[0] in command for command in called), called


def test_test_lesson_names_the_lessons_when_it_knows_no_such_slug():
    done = invoke("test", "--lesson", "gathr")
    assert done.returncode == 2 and "unknown lesson 'gathr'. Did you mean 'gather'?" in done.stderr
    done = invoke("test", "--lesson", "gather", "--quick")
    assert done.returncode == 2 and "use one or the other" in done.stderr


def test_test_workers_must_be_a_whole_number():
    done = invoke("test", "--workers", "two", "--quick")
    assert done.returncode == 2 and "--workers 'two': expected a whole number of workers" in done.stderr
    assert "Traceback" not in done.stderr
