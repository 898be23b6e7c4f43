"""Verdicts under load (`invoke stress`; not part of `invoke test`: it takes several minutes).

While a bounded CPU hog keeps one core busy: a classroom of thirty `invoke check` at once (reference
solutions and typical wrong ones in all three languages), ASYNC_ROSETTA_STRESS_ROUNDS times in a row (5): no
right solution refused, no wrong one accepted; `invoke run-all` ASYNC_ROSETTA_STRESS_RUN_ALLS times (3): no
false "NOT equivalent" (a lesson that needs the free cores the hog takes says "not run", exit status 3); hostile programs that never end: each verdict within the lesson's timeout + 3 s.
Each figure is kept in the session's timings.txt and in results/stress.json.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from runner import ROOT
from runner.model.results import NOT_EQUIVALENT, NOT_RUN_HERE, LessonReport, write_atomically
from tests.test_check_hostile import CLASSROOM, LESSON, classroom, invoke_check
from tests.test_hostile import HOSTILE

pytestmark = [pytest.mark.stress, pytest.mark.docker, pytest.mark.serial]

ROUNDS = int(os.environ.get("ASYNC_ROSETTA_STRESS_ROUNDS", "5"))
RUN_ALLS = int(os.environ.get("ASYNC_ROSETTA_STRESS_RUN_ALLS", "3"))
HOG_SECONDS = 3600  # the hog ends by itself after this, whatever happens to the test session
NEVER_ENDING = ("infinite-loop", "ignore-sigterm", "sleep-forever")
LATE = 3.0  # seconds past the lesson's timeout a hostile verdict may take under load
FIGURES = ROOT / "results" / "stress.json"

HOG = f"import time\nend = time.monotonic() + {HOG_SECONDS}\nwhile time.monotonic() < end: pass\n"


@pytest.fixture(scope="module")
def cpu_hog():
    """One core kept busy for the module's length (and at most HOG_SECONDS)."""
    hog = subprocess.Popen([sys.executable, "-c", HOG])
    time.sleep(0.5)
    assert hog.poll() is None, "the CPU hog did not start"
    yield hog
    hog.kill()
    hog.wait()


@pytest.fixture(scope="module")
def figures():
    """What the module measured, saved as results/stress.json at its end."""
    found: dict[str, list] = {"classroom": [], "run_all": [], "hostile": []}
    yield found
    write_atomically(FIGURES, json.dumps({"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **found}, indent=2) + "\n")


@pytest.mark.parametrize("round_", range(1, ROUNDS + 1))
def test_a_classroom_under_load(round_, cpu_hog, docker_backend, figures, record, no_leftovers):
    room = classroom()
    seconds = [c.seconds for c in room.checks]
    figure = {"round": round_, "checks": CLASSROOM, "refused": len(room.refused), "accepted": len(room.accepted),
              "broken": len(room.broken), "reruns": room.reruns, "median_s": round(statistics.median(seconds), 1),
              "max_s": round(max(seconds), 1), "wall_s": round(room.seconds, 1)}
    figures["classroom"].append(figure)
    record(f"classroom under load, round {round_}: {json.dumps(figure)}")
    assert not room.wrong, "\n\n".join(room.wrong)


@pytest.mark.parametrize("round_", range(1, RUN_ALLS + 1))
def test_run_all_under_load(round_, cpu_hog, docker_backend, lessons, figures, record, no_leftovers):
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "invoke", "run-all", "--json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=1200)
    wall = time.monotonic() - started
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    reports = [LessonReport.from_dict(data) for data in json.loads(done.stdout)]
    differ = [f"{r.lesson}:\n{r.diff}" for r in reports if r.verdict == NOT_EQUIVALENT]
    # A lesson that needs free cores (parallelism) is not run beside the hog on a 2-core machine: said, not failed.
    not_run = [r.lesson for r in reports if r.verdict == NOT_RUN_HERE]
    figure = {"round": round_, "lessons": len(reports), "not_equivalent": len(differ), "not_run": not_run,
              "reruns": sum(len(r.reruns) for r in reports), "wall_s": round(wall, 1)}
    figures["run_all"].append(figure)
    record(f"run-all under load, round {round_}: {json.dumps(figure)}")
    assert all(lessons[slug].needs for slug in not_run), not_run
    assert done.returncode == (3 if not_run else 0) and not differ, "\n\n".join(differ) or done.stderr[-3000:]


@pytest.mark.parametrize("case", NEVER_ENDING)
def test_a_hostile_verdict_under_load_comes_in_time(case, cpu_hog, docker_backend, lessons, registry, figures,
                                                    record, no_leftovers):
    timeout = lessons[LESSON].timeout
    sources = {lang.name: HOSTILE / case / f"{case}{lang.extension}" for lang in registry.languages.values()}
    with ThreadPoolExecutor(len(sources)) as pool:
        checks = dict(zip(sources, pool.map(
            lambda item: invoke_check(LESSON, item[0], item[1], "docker", "--json"), sources.items())))
    late = []
    for language, checked in checks.items():
        assert checked.exit_code == 1 and "Traceback" not in checked.stderr, checked.stderr[-2000:]
        assert checked.verdict["status"] == "timeout", checked.verdict["messages"]
        figures["hostile"].append({"case": case, "language": language, "to_verdict_s": round(checked.to_verdict, 1)})
        record(f"{case} {language} under load: timeout after {checked.to_verdict:.1f}s")
        if checked.to_verdict > timeout + LATE:
            late.append(f"{language}: {checked.to_verdict:.1f}s")
    assert not late, f"verdicts later than {timeout:g}s + {LATE:g}s: {late}"
