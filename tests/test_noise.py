"""The machine's noise: measured in every run, and a time-only difference it explains is run again alone."""
from __future__ import annotations

import pytest

from runner.run import checker, verdicts, workflow
from runner.sandbox import noise
from runner.model.lessons import CompareRules, load_lessons
from runner.model.results import RunResult, Status
from tests.conftest import make_lesson

RULES = CompareRules()
EXPECTED = "[0.0s] started\n[0.3s] finished\n"


def run(stdout: str, stall: float | None) -> RunResult:
    return RunResult(language="python", backend="local", status=Status.OK, stdout=stdout, stall_ms=stall)


def test_the_pressure_reading_is_a_number_where_the_kernel_keeps_one():
    reading = noise.cpu_pressure_us()
    if noise.PRESSURE.exists():
        assert isinstance(reading, int) and reading >= 0
        assert noise.stall_ms(reading, noise.cpu_pressure_us()) >= 0
    else:
        assert reading is None


@pytest.mark.parametrize("latest, earliest, stall, explained", [
    (0.2, 0.0, 100.0, True),    # a step late, and programs waited 0.1 s for a CPU
    (0.2, 0.0, 0.0, False),     # a step late on an idle machine: the program is slow
    (1.0, 0.0, 300.0, False),   # far later than the wait can account for
    (0.3, 0.0, None, True),     # nothing measured: maybe noise
    (0.0, 0.2, 5000.0, False),  # early: load never makes a program early
])
def test_what_the_load_explains(latest, earliest, stall, explained):
    assert noise.explains(latest, earliest, stall, 0.1) is explained


def test_a_late_run_on_a_busy_machine_is_put_down_to_the_load():
    late = "[0.2s] started\n[0.5s] finished\n"
    why = verdicts.late_by_load(EXPECTED, run(late, 150.0), RULES)
    assert "0.2 s late" in why and "0.15 s" in why
    assert verdicts.late_by_load(EXPECTED, run(late, 0.0), RULES) == ""


@pytest.mark.parametrize("other", [
    "[0.0s] started\n[0.0s] finished\n",       # early
    "[0.2s] started\n[0.5s] finished!\n",     # other words
    "[0.2s] started\n",                        # a line missing
])
def test_anything_but_lateness_is_never_put_down_to_the_load(other):
    assert verdicts.late_by_load(EXPECTED, run(other, 5000.0), RULES) == ""


def test_a_diff_that_is_one_shift_is_shown_as_that_one_fact(tmp_path, registry):
    make_lesson(tmp_path, "shift", {"python/shift.py": "print()\n"}, expected=EXPECTED.strip())
    lesson = load_lessons(registry, tmp_path / "lessons")["shift"]
    equivalent, text, _ = verdicts.verdict(lesson, [run("[0.0s] started\n[0.5s] finished\n", 0.0)])
    assert not equivalent
    assert "python: every line from line 2" in text and "0.2 s late" in text and "@@" not in text


# A program that is late the first time it runs, while it keeps more processes busy than there are cores
# (as a busy machine would), and on time after that. The flag file lives outside the run's folder.
LATE_ONCE = """
import os, pathlib, subprocess, sys, time
clock = time.perf_counter()
flag = pathlib.Path({flag!r})
if not flag.exists():
    flag.touch()
    spin = "import time\\nend = time.time() + 0.8\\nwhile time.time() < end: pass"
    hogs = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range((os.cpu_count() or 1) + 2)]
    time.sleep(0.2)
print(f"[{{time.perf_counter() - clock:.1f}}s] started", flush=True)
time.sleep(0.3)
print(f"[{{time.perf_counter() - clock:.1f}}s] finished", flush=True)
"""


@pytest.mark.local
@pytest.mark.serial  # it keeps more processes busy than there are cores
def test_a_run_late_while_the_machine_was_busy_is_run_again_alone(local_backend, tmp_path, registry,
                                                                   no_stray_processes):
    if noise.cpu_pressure_us() is None:
        pytest.skip("no /proc/pressure/cpu: the load cannot be measured here")
    flag = tmp_path / "ran-once"
    make_lesson(tmp_path, "late-once", {"python/late-once.py": LATE_ONCE.format(flag=str(flag))},
                expected=EXPECTED.strip())
    lesson = load_lessons(registry, tmp_path / "lessons")["late-once"]
    report = workflow.run_lesson(lesson, registry.select("python"), local_backend)
    assert flag.exists(), "the first run did not happen"
    (python,) = report.runs
    assert report.equivalent, report.diff
    assert python.rerun.startswith("in the first run its time stamps were up to"), python.rerun
    assert python.stall_ms is not None


@pytest.mark.local
@pytest.mark.serial  # it keeps more processes busy than there are cores
def test_a_learners_check_late_while_the_machine_was_busy_is_judged_by_a_second_run(
        local_backend, tmp_path, registry, no_stray_processes):
    if noise.cpu_pressure_us() is None:
        pytest.skip("no /proc/pressure/cpu: the load cannot be measured here")
    flag = tmp_path / "ran-once"
    on_time = LATE_ONCE.format(flag=str(tmp_path))  # the flag exists: the lesson's own example is on time
    folder = make_lesson(tmp_path, "late-check", {"python/late-check.py": on_time}, expected=EXPECTED.strip(), extra=(
        "exercise:\n  seconds: 0.3\n  slower: are your awaits one after another?\n"))
    (folder / "exercise.md").write_text("# do it\n")
    (folder / "exercise").mkdir()
    (folder / "exercise" / "starter.py").write_text("print('[0.0s] started')\n")
    learner = tmp_path / "mine.py"
    learner.write_text(LATE_ONCE.format(flag=str(flag)))
    lesson = load_lessons(registry, tmp_path / "lessons")["late-check"]
    verdict = checker.judge(lesson, registry.languages["python"], learner, local_backend)
    assert verdict.passed, verdict.messages
    assert any(m.startswith("checked with a second run, alone") for m in verdict.messages)


@pytest.mark.local
def test_an_early_line_is_refused_at_once_without_a_second_run(local_backend, tmp_path, registry):
    make_lesson(tmp_path, "early", {"python/early.py": "print('[0.0s] started')\nprint('[0.0s] finished')\n"},
                expected=EXPECTED.strip())
    lesson = load_lessons(registry, tmp_path / "lessons")["early"]
    report = workflow.run_lesson(lesson, registry.select("python"), local_backend)
    assert not report.equivalent and not report.reruns
    assert "-[0.3s] finished" in report.diff


@pytest.mark.docker
@pytest.mark.parametrize("warm", [False, True], ids=["fresh", "warm"])
def test_a_docker_run_reports_the_machines_cpu_wait(docker_backend, lessons, registry, warm, no_leftovers):
    report = workflow.run_lesson(lessons["gather"], registry.select("python"), docker_backend, warm=warm)
    (python,) = report.runs
    assert python.status is Status.OK, python.message
    if noise.cpu_pressure_us() is None:
        assert python.stall_ms is None
    else:
        assert python.stall_ms is not None and python.stall_ms >= 0


def test_a_duration_that_shrinks_with_a_late_stamp_is_still_put_down_to_the_load():
    expected = "[0.0s] started\n[0.6s] ready after 0.6s\n[0.6s] saved 0.7s\n"
    late = "[0.0s] started\n[0.8s] ready after 0.8s\n[0.8s] saved 0.5s\n"
    assert "0.2 s late" in verdicts.late_by_load(expected, run(late, 300.0), RULES)


def test_a_learners_output_late_by_one_amount_is_told_as_that_fact(tmp_path, registry):
    folder = make_lesson(tmp_path, "late-words", {"python/late-words.py": "print()\n"}, expected=EXPECTED.strip(),
                         extra="exercise:\n  seconds: 0.3\n  slower: are your awaits one after another?\n")
    (folder / "exercise.md").write_text("# do it\n")
    (folder / "exercise").mkdir()
    (folder / "exercise" / "starter.py").write_text("print()\n")
    lesson = load_lessons(registry, tmp_path / "lessons")["late-words"]
    late = run("[0.4s] started\n[0.7s] finished\n", 0.0).with_(run_ms=700)
    said = checker._timing_and_output(lesson, lesson.scenarios[0], late)
    assert said == ["it finished in 0.7 s; are your awaits one after another?",
                    "its output is what a right program prints, but late: every line from line 1 "
                    "('[0.0s] started') on is 0.4 s late"]


def test_with_no_expected_output_the_first_run_may_be_the_late_one():
    reference = run("[0.2s] started\n[0.5s] finished\n", 150.0)  # late itself
    assert "0.2 s late" in verdicts.late_by_load(reference.stdout, run(EXPECTED, 0.0), RULES, reference)
    assert verdicts.late_by_load(reference.stdout, run(EXPECTED, 0.0), RULES, reference.with_(stall_ms=0.0)) == ""


# gather on a machine at a load of 11: two timers fired late, to the same moment, in the other order.
GATHER = ("[0.0s] asking\n[0.1s] lima: finished\n[0.2s] cairo: finished\n[0.3s] oslo: finished\n"
          "[0.3s] all answers\n")
SWAPPED_LATE = ("[0.0s] asking\n[0.4s] cairo: finished\n[0.4s] lima: finished\n[0.4s] oslo: finished\n"
                "[0.4s] all answers\n")


def test_lines_that_changed_places_by_being_late_are_put_down_to_the_load():
    assert "0.3 s late" in verdicts.late_by_load(GATHER, run(SWAPPED_LATE, 1300.0), RULES)
    assert verdicts.late_by_load(GATHER, run(SWAPPED_LATE, 0.0), RULES) == ""  # a quiet machine: a real fault


@pytest.mark.parametrize("other", [
    # A line moved ahead of its time: early, which load never makes a line.
    "[0.0s] asking\n[0.0s] cairo: finished\n[0.1s] lima: finished\n[0.3s] oslo: finished\n[0.3s] all answers\n",
    # The same lines but one twice and one never.
    "[0.0s] asking\n[0.4s] cairo: finished\n[0.4s] cairo: finished\n[0.4s] oslo: finished\n[0.4s] all answers\n",
])
def test_a_reordering_that_lateness_cannot_make_is_never_put_down_to_the_load(other):
    assert verdicts.late_by_load(GATHER, run(other, 5000.0), RULES) == ""
