"""Verdicts under load (`invoke stress`; not part of `invoke test`: it takes several minutes).

While a bounded CPU hog keeps one core busy: a classroom of thirty `invoke check` at once (reference
solutions and typical wrong ones in all three languages), ASYNC_ROSETTA_STRESS_ROUNDS times in a row (5): no
right solution refused, no wrong one accepted; `invoke run-all` ASYNC_ROSETTA_STRESS_RUN_ALLS times (3): no
false "NOT equivalent" (a lesson that needs the free cores the hog takes says "not run", exit status 3);
hostile programs that never end: each verdict within the lesson's timeout + 3 s; a classroom server with
thirty learners checking at once, killed and restarted in the middle: every submission back done and every
verdict right.
Each figure is kept in the session's timings.txt and in results/stress.json.
"""
from __future__ import annotations

import http.client
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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
LOAD_WITHIN = 900  # seconds for the classroom server's thirty verdicts, a restart included: then it has hung
PAGE_LOADS = 2000  # page loads at most while its checks run (one each 0.2 s)

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
    found: dict[str, list] = {"classroom": [], "run_all": [], "hostile": [], "classroom_server": []}
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
    # A lesson that needs free cores is not run beside the hog on a 2-core machine: said, not failed.
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


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def test_a_classroom_server_under_load_killed_and_restarted(docker_backend, tmp_path, figures, record, no_leftovers):
    """Thirty learners join a real `invoke classroom` on loopback and check at once (the classroom's mix of
    reference solutions and typical wrong programs in three languages) while pages are loaded; the server is
    killed (SIGKILL) once a third of the verdicts are in and started again on its database: every submission
    comes back done, run again if it was not, and every verdict is right."""
    from runner.sandbox.docker.connection import connect
    from runner.sandbox.docker.labels import OWNER_LABEL
    from runner.sandbox.docker.reaper import remove_leftovers
    from tests.test_check_hostile import _classroom
    from tests.test_classroom import start_classroom
    from tests.test_exercises import holds

    picked, db = _classroom(), tmp_path / "room.sqlite"
    servers = [start_classroom(db, own_owner=True)]  # the latest serves; a learner's request that fails retries
    tokens = [servers[0].join(f"learner {i + 1}") for i in range(len(picked))]
    done: dict[int, tuple[dict, float]] = {}
    all_done = threading.Event()
    deadline = time.monotonic() + LOAD_WITHIN

    def ask(method: str, path: str, body=None, token=None):
        while time.monotonic() < deadline:
            try:
                return servers[-1].call(method, path, body, token)
            except (OSError, http.client.HTTPException):  # the server is down: it comes back
                time.sleep(0.2)
        pytest.fail(f"no answer to {method} {path} within {LOAD_WITHIN} s")

    def learner(i: int) -> None:
        slug, language, path, _ = picked[i]
        started = time.monotonic()
        answer = ask("POST", "/api/checks", {"lesson": slug, "language": language, "source": Path(path).read_text()},
                     tokens[i])
        assert answer.status == 202, answer
        while (state := ask("GET", f"/api/checks/{answer.body['id']}?wait=20", token=tokens[i])).body["state"] != "done":
            assert state.status == 200, state
        done[i] = state.body, time.monotonic() - started

    def pages() -> list[float]:
        """Page loads while the checks run (a learner's page, its script, the exercises), at most PAGE_LOADS."""
        seconds = []
        for n in range(PAGE_LOADS):
            if all_done.is_set():
                break
            path = ("/", "/static/learner.js", "/api/exercises")[n % 3]
            try:
                started = time.monotonic()
                answer = servers[-1].call("GET", path)
                if answer.status == 200:
                    seconds.append(time.monotonic() - started)
            except (OSError, http.client.HTTPException):
                pass  # the server is being restarted
            time.sleep(0.2)
        return seconds

    started = time.monotonic()
    with ThreadPoolExecutor(len(picked) + 1) as pool:
        loads = pool.submit(pages)
        learners = [pool.submit(learner, i) for i in range(len(picked))]
        while len(done) < len(picked) // 3:
            assert time.monotonic() < deadline and not any(f.done() and f.exception() for f in learners)
            time.sleep(0.1)
        first = servers[0]
        first.process.kill()  # a crash, mid-classroom
        first.process.communicate()
        remove_leftovers(connect(), {OWNER_LABEL: f"{platform.node()}:{first.process.pid}"})
        with sqlite3.connect(db) as kept:
            unfinished = [row[0] for row in kept.execute("SELECT id FROM submissions WHERE state != 'done'")]
        servers.append(start_classroom(db, own_owner=True))
        try:
            for future in learners:
                future.result()
        finally:
            all_done.set()
            err = servers[-1].stop()
            remove_leftovers(connect(), {OWNER_LABEL: f"{platform.node()}:{servers[-1].process.pid}"})
        page_seconds = loads.result()
    wall = time.monotonic() - started
    assert "Traceback" not in err, err
    assert unfinished, "every check was done before the kill: it proved nothing"
    wrong = []
    for i, (slug, language, path, says) in enumerate(picked):
        state, _ = done[i]
        verdict, said = state["verdict"], "\n".join(state["verdict"]["messages"])
        if verdict["passed"] is not (not says) or not all(holds(said, words) for words in says):
            wrong.append(f"{slug} {language} {Path(path).name}: {verdict['status']}, expected {says or 'a pass'}:\n"
                         f"{said[:1000]}")
        if state["id"] in unfinished:
            assert state["restarts"] == 1, state  # queued again by the second server, and run
    seconds = [s for _, s in done.values()]
    figure = {"checks": len(picked), "killed_with_unfinished": len(unfinished), "wall_s": round(wall, 1),
              "to_verdict_p50_s": round(_percentile(seconds, 0.5), 1),
              "to_verdict_p95_s": round(_percentile(seconds, 0.95), 1), "to_verdict_max_s": round(max(seconds), 1),
              "page_loads": len(page_seconds), "page_load_p95_ms": round(1000 * _percentile(page_seconds, 0.95))}
    figures["classroom_server"].append(figure)
    record(f"classroom server under load, killed and restarted: {json.dumps(figure)}")
    assert not wrong, f"{len(wrong)} of {len(picked)} verdicts wrong:\n\n" + "\n\n".join(wrong)
