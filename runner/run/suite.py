"""`invoke test` and `invoke stress`: the test suite, run by pytest in a process of its own."""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

from runner import ROOT, KitError
from runner.model.languages import load_registry
from runner.model.lesson import find_lesson
from runner.model.lessons import load_lessons
from runner.sandbox import slots

NO_PYTEST_SELECTED = 5  # pytest's exit status when no test matched


# The tests that judge one lesson (`--lesson SLUG`): its examples on the local backend and in Docker, and its
# exercise's files (starters, reference solutions, typical wrong ones), if it has one; they read the slug
# from LESSON_ENV.
LESSON_TESTS, EXERCISE_TESTS = ["tests/test_curriculum.py"], ["tests/test_exercises.py"]
LESSON_ENV = "ASYNC_ROSETTA_TEST_LESSON"


def run_tests(k: str | None = None, x: bool = False, quick: bool = False, workers: int | str | None = None,
              lesson: str | None = None) -> int:
    """The suite's exit status: quick (no engine, toolchain or browser), or whole in two phases: what may
    share the machine (on `workers` pytest-xdist workers, by default the cores + 2: most of those tests wait for
    programs that sleep, and one worker more than the timed-run slots builds or loads a page while the others
    time their programs), then the tests marked `serial`, alone. With `lesson` (a slug), only
    the tests that judge that lesson."""
    workers = _workers(workers)
    tests = []
    if lesson:
        found = find_lesson(load_lessons(load_registry()), lesson)  # a slug the kit does not know: say which it knows
        tests = LESSON_TESTS + (EXERCISE_TESTS if found.exercise else [])
        if quick:
            raise KitError("--lesson runs the lesson's examples, which --quick leaves out: use one or the other")
        k = f"test_every_ and ({k})" if k else "test_every_"  # test_every_lesson..., test_every_exercise...: the judging ones
    base = [sys.executable, "-m", "pytest", "-q", "--durations=15"] + (["-k", k] if k else []) + (["-x"] if x else [])
    base += tests
    if quick:
        return subprocess.call(base + ["-m", "not docker and not local and not browser and not stress"], cwd=ROOT)
    if workers and importlib.util.find_spec("xdist") is None:
        print("pytest-xdist is missing (apt-get install python3-pytest-xdist): the tests run in one process")
        workers = 0
    parallel = ["-n", str(workers), "--dist", "loadgroup"] if workers else []
    # One build cache for both phases and every worker (tests/conftest.py: session_build_cache).
    cache = tempfile.mkdtemp(prefix="async-rosetta-test-builds-")
    env = {**os.environ, "ASYNC_ROSETTA_TEST_BUILD_CACHE": cache, **({LESSON_ENV: lesson} if lesson else {})}
    try:
        codes = []
        for phase in (parallel + ["-m", "not serial and not stress"], ["-m", "serial and not stress"]):
            codes.append(subprocess.call(base + phase, cwd=ROOT, env=env))
            if x and codes[-1] not in (0, NO_PYTEST_SELECTED):
                break
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    # "No test selected" is fine for one phase (-k may pick from one only), not for both.
    failed = [code for code in codes if code not in (0, NO_PYTEST_SELECTED)]
    return failed[0] if failed else (NO_PYTEST_SELECTED if set(codes) == {NO_PYTEST_SELECTED} else 0)


def _workers(given: int | str | None) -> int:
    """How many pytest-xdist workers: the number given (`--workers N`), or one more than the machine's
    timed-run slots (the cores + 2; on 2 cores, 40% of the CPU was still idle with three)."""
    if given is None:
        return slots.count() + 1
    if isinstance(given, int) or (isinstance(given, str) and given.strip().isdigit()):
        return int(given)
    raise KitError(f"--workers {given!r}: expected a whole number of workers (0: the tests run in one process)")


def run_stress(rounds: int, run_alls: int) -> int:
    """tests/test_stress.py (Docker, minutes long): its exit status; the figures go to results/stress.json."""
    env = {**os.environ, "ASYNC_ROSETTA_STRESS": "1", "ASYNC_ROSETTA_STRESS_ROUNDS": str(rounds),
           "ASYNC_ROSETTA_STRESS_RUN_ALLS": str(run_alls)}
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-s", "-m", "stress", "tests/test_stress.py"],
                           cwd=ROOT, env=env)
