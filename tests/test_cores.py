"""A lesson that needs free cores (`needs: {cores: N}`): the look at the machine's cores, and what a run does
where they are not there - a declared `not_run`, never a failure or a false NOT equivalent."""
import os
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

from rich.console import Console

from runner.model.lessons import load_lessons
from runner.model.results import NOT_RUN_HERE, RunResult, Status
from runner.publish.terminal import show_lesson
from runner.run import verdicts, workflow
from runner.sandbox import cores
from tests.conftest import make_lesson

COUNT = os.cpu_count() or 1


# One process that spins, and ends by itself after 60 s whatever happens to the test session (a `timeout`
# wrapper would not do: killing it leaves its child spinning).
SPIN = "import time\nend = time.monotonic() + 60\nwhile time.monotonic() < end: pass\n"


@contextmanager
def hog():
    """One core kept busy (bounded), as a job beside the kit would."""
    spinning = subprocess.Popen([sys.executable, "-c", SPIN])
    try:
        time.sleep(0.3)  # under way before anything measures
        yield
    finally:
        spinning.kill()
        spinning.wait()


@pytest.mark.parametrize("count, busy, needed, lacks", [
    (1, 0.0, 2, "needs 2 free cores; this machine has 1"),
    (2, 1.0, 2, "needs 2 free cores; this machine has 2, 1.0 of them kept busy by other work (measured over "),
    (2, 0.3, 2, ""),  # a quiet machine's daemons
    (2, None, 2, ""),  # not measured: the run goes ahead, and its CPU wait is looked at afterwards
    (4, 1.0, 2, ""),
])
def test_the_cores_lack_what_a_lesson_needs_when_too_few_or_too_busy(count, busy, needed, lacks):
    said = cores.Cores(count, busy, 1.3).lacks(needed)
    assert said.startswith(lacks) and bool(said) == bool(lacks), said
    assert not said or "load 1.3" in said or count < needed


@pytest.mark.serial  # it keeps a core busy
def test_a_core_kept_busy_is_seen():
    with hog():
        measured = cores.measure()
    assert measured.count == COUNT
    assert measured.busy is not None and 0.8 <= measured.busy <= COUNT + 0.01, measured
    assert measured.lacks(COUNT).startswith(f"needs {COUNT} free cores; this machine has {COUNT}, ")


def _lesson(tmp_path, registry, cores_needed: int):
    make_lesson(tmp_path, "two-cores", {"python/two-cores.py": "print('[0.0s] ran')\n"},
                extra=f"needs: {{cores: {cores_needed}}}\n", expected="[0.0s] ran")
    return load_lessons(registry, tmp_path / "lessons")["two-cores"]


@pytest.mark.local
def test_a_lesson_needing_more_cores_than_the_machine_has_is_not_run(tmp_path, registry, local_backend):
    report = workflow.run_lesson(_lesson(tmp_path, registry, COUNT + 1), registry.select("python"), local_backend)
    (python,) = report.runs
    assert python.status is Status.NOT_RUN and python.stdout == "", python
    assert python.message.startswith(f"not run: needs {COUNT + 1} free cores; this machine has {COUNT}; run it "), python
    assert report.verdict == NOT_RUN_HERE and report and report.diff == ""
    console = Console(width=120, record=True)
    show_lesson(console, report, registry)
    shown = console.export_text()
    assert "two-cores: not run" in shown and "not_run" in shown and "NOT equivalent" not in shown, shown
    assert "two-cores: python: not run: needs" in " ".join(shown.split())


@pytest.mark.local
@pytest.mark.serial  # it keeps a core busy
def test_a_lesson_needing_every_core_beside_a_busy_one_is_not_run_and_runs_once_it_is_free(
        tmp_path, registry, local_backend):
    lesson = _lesson(tmp_path, registry, COUNT)
    with hog():
        report = workflow.run_lesson(lesson, registry.select("python"), local_backend)
    (python,) = report.runs
    assert python.status is Status.NOT_RUN, python
    assert python.message.startswith(f"not run: needs {COUNT} free cores; this machine has {COUNT}, "), python
    assert "kept busy by other work" in python.message and report.verdict == NOT_RUN_HERE and report
    one = workflow.run_lesson(_lesson(tmp_path / "one", registry, 1), registry.select("python"), local_backend)
    assert one.runs[0].status is Status.OK and one.equivalent  # needing one core, nothing is looked at


@pytest.mark.docker
@pytest.mark.serial  # it keeps a core busy, and the lesson needs both
def test_a_lesson_that_needs_both_cores_beside_a_busy_one_says_not_run_never_not_equivalent(
        tmp_path, registry, docker_backend, no_leftovers):
    lesson = _lesson(tmp_path, registry, 2)
    with hog():
        report = workflow.run_lesson(lesson, registry.select("python"), docker_backend, warm=True, side_by_side=True)
    assert report, report.diff  # not run, or (with cores to spare) equivalent: never a failure
    if COUNT - 1 < 2:  # the hog leaves one core free
        assert report.verdict == NOT_RUN_HERE, report.diff
        assert all(r.status is Status.NOT_RUN and "needs 2 free cores" in r.message for r in report.runs), report.runs


def test_a_run_that_waited_for_a_cpu_in_a_lesson_that_needs_cores_is_run_again_whatever_differs(
        tmp_path, registry, lessons):
    waited = RunResult(language="python", backend="local", status=Status.OK, stdout="[0.0s] one at a time\n",
                       stall_ms=200.0)
    two_cores = _lesson(tmp_path, registry, 2)
    why = verdicts.crowded(two_cores, waited)
    assert why == "programs waited 0.20 s for a CPU during the run, and the lesson needs 2 free cores"
    assert verdicts.crowded(two_cores, waited.with_(stall_ms=10.0)) == ""  # the machine was quiet
    assert verdicts.crowded(lessons["kitchen"], waited) == ""  # other lessons: only lateness the load explains


@pytest.mark.parametrize("other_cpu_ms, process_ms, needed, taken", [
    (20.0, 1000.0, 2, False),  # a quiet machine's daemons and the kit: 0.02 cores
    (190.0, 1000.0, 2, False),
    (450.0, 1000.0, 2, True),  # a core taken for 0.45 s of a 1 s run
    (450.0, 1000.0, 1, False) if COUNT >= 2 else (450.0, 1000.0, 1, True),
    (None, 1000.0, 2, False),  # not measured: nothing is claimed
    (450.0, None, 2, False),
])
def test_other_work_during_a_run_takes_cores_beyond_a_fifth_of_one(other_cpu_ms, process_ms, needed, taken):
    said = cores.taken_during(other_cpu_ms, process_ms, min(needed, COUNT))
    assert bool(said) == (taken and needed <= COUNT), said
    if said:
        assert said == (f"other work took {other_cpu_ms / process_ms:.2f} of this machine's {COUNT} cores on "
                        f"average while it ran ({other_cpu_ms / 1000:.2f} s of CPU time in {process_ms / 1000:.2f} s)")


def test_a_run_alone_short_of_cores_is_not_judged_but_a_wrong_program_stays_wrong(tmp_path, registry):
    two_cores = _lesson(tmp_path, registry, COUNT)
    reference = "[0.0s] ran\n"
    had_them = RunResult(language="python", backend="docker", status=Status.OK, stdout="[0.9s] ran\n",
                         process_ms=1000.0, cpu_ms=1000.0, other_cpu_ms=30.0, rerun="in the first run ...")
    short = had_them.with_(other_cpu_ms=600.0)
    assert verdicts.short_of_cores(two_cores, reference, had_them) == had_them  # the cores were there: it differs
    assert verdicts.short_of_cores(two_cores, reference, short.with_(stdout=reference)).status is Status.OK
    not_judged = verdicts.short_of_cores(two_cores, reference, short)
    assert not_judged.status is Status.NOT_RUN and not not_judged.status.judged
    assert not_judged.message.startswith(f"not judged: other work took 0.60 of this machine's {COUNT} cores on "
                                         "average while it ran (0.60 s of CPU time in 1.00 s), and the lesson "
                                         f"needs {COUNT} free cores; run it when the machine is quieter"), not_judged
    assert verdicts.crowded(two_cores, short.with_(stall_ms=0.0)).startswith("other work took 0.60 of ")
    kitchen = load_lessons(registry)["kitchen"]
    assert verdicts.short_of_cores(kitchen, reference, short) == short  # lessons that need no cores: as ever


SPIN_ONE_SECOND = ("import time\nend = time.monotonic() + 1.0\nwhile time.monotonic() < end: pass\n"
                   "print('[1.0s] spun')\n")


def _spin(tmp_path, registry, backend, **run):
    make_lesson(tmp_path, "spin", {"python/spin.py": SPIN_ONE_SECOND}, expected="[1.0s] spun")
    report = workflow.run_lesson(load_lessons(registry, tmp_path / "lessons")["spin"], registry.select("python"),
                                 backend, **run)
    (python,) = report.runs
    assert python.status is Status.OK, python
    return python


@pytest.mark.serial  # it keeps a core busy, and measures what else the machine did
@pytest.mark.parametrize("backend_name, warm", [pytest.param("local", False, marks=pytest.mark.local),
                                                pytest.param("docker", True, marks=pytest.mark.docker),
                                                pytest.param("docker", False, marks=pytest.mark.docker)])
def test_a_run_reports_its_own_cpu_time_and_what_other_work_took_meanwhile(backend_name, warm, tmp_path, registry,
                                                                          request, no_leftovers):
    """In each kind of sandbox: the local backend's process, a warm container's exec, a container of its own."""
    backend = request.getfixturevalue(f"{backend_name}_backend")
    run = {"warm": warm}
    # Whatever else the machine runs (the suite may run beside a job that keeps a core busy), the two figures
    # together never exceed what its cores could do, and the program, spinning for 1 s, got some of a core.
    spun = _spin(tmp_path / "as-it-is", registry, backend, **run)
    assert spun.cpu_ms is not None and spun.other_cpu_ms is not None, spun
    assert 300 <= spun.cpu_ms <= spun.process_ms * 1.1 + 50, spun
    assert spun.cpu_ms + spun.other_cpu_ms <= COUNT * spun.process_ms * 1.05 + 50, spun
    with hog():
        busy = _spin(tmp_path / "busy", registry, backend, **run)
    # With a core spun by another process all along, the machine works on every core (up to 2 here: the hog and
    # the program), and what the program did not do is the other work's: never counted as the program's.
    working = min(COUNT, 2) * busy.process_ms
    assert busy.cpu_ms + busy.other_cpu_ms >= 0.85 * working, busy
    assert busy.other_cpu_ms >= 0.4 * busy.process_ms, busy
    assert 300 <= busy.cpu_ms <= busy.process_ms * 1.1 + 50, busy
