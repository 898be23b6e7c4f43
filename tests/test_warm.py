"""Warm containers and languages side by side: faster, and nothing else changes - examples cannot see each
other, the limits hold, the recorded times stay within the lesson's tolerance."""
from __future__ import annotations

import pytest

from runner.sandbox.docker import scripts, warm
from runner.sandbox.docker.output import READY, OutputReader
from runner.run import workflow
from runner.model.lessons import load_lessons
from runner.model.results import Status
from tests.conftest import make_lesson
from tests.test_hostile import stopped_in_time

# How long past its timeout a program in a warm container may take to be stopped (warm.run_warm):
# the wrapper's grace, then STOP_WAIT for every process to be killed (a fork bomb may hold every pid the
# container has, so that the kill itself waits for one), then the whole container killed, and 3 s for the
# engine's answers on a busy machine.
WARM_STOP = scripts.GRACE + warm.STOP_WAIT + 3

# Leaves a file in its working folder and in /tmp, and a child that would outlive it.
LITTERS = """\
import os, socket, subprocess
open('left-here', 'w').write('x'); open('/tmp/left-in-tmp', 'w').write('x')
subprocess.Popen(['sleep', '300'], start_new_session=True)
print('[0.0s] container', socket.gethostname())
"""
# Looks for what an earlier example left, and for any process but its own and the warm container's init
# (PID 1 and the sleep it waits for).
LOOKS = """\
import os, socket
def kits(pid):
    return pid in (1, os.getpid(), os.getppid()) or open(f'/proc/{pid}/cmdline').read() == 'sleep\\x003600\\x00'
others = [p for p in os.listdir('/proc') if p.isdigit() and not kits(int(p))]
print('[0.0s] container', socket.gethostname())
print('[0.0s] files', sorted(os.listdir('.')), sorted(os.listdir('/tmp')))
print('[0.0s] processes', [open(f'/proc/{p}/cmdline').read().replace(chr(0), ' ') for p in others])
"""


def _course(tmp_path, registry, examples: dict[str, str], extra: str = ""):
    for slug, source in examples.items():
        make_lesson(tmp_path, slug, {f"python/{slug}.py": source}, extra=extra)
    lessons = load_lessons(registry, tmp_path / "lessons")
    return [lessons[slug] for slug in examples]


def _run_all(backend, registry, lessons, **options):
    saved = []
    course = workflow.run_lessons(lessons, registry.select("python"), backend, 1, lambda _: None, saved.append,
                                  **options)
    return {report.lesson: report.runs[0] for report in course.reports}


@pytest.mark.docker
def test_examples_share_a_warm_container_but_see_nothing_of_each_other(docker_backend, registry, tmp_path,
                                                                       no_leftovers):
    lessons = _course(tmp_path, registry, {"litters": LITTERS, "looks": LOOKS})
    runs = _run_all(docker_backend, registry, lessons, warm=True)
    assert all(run.status is Status.OK for run in runs.values()), runs
    first, second = (runs[s].stdout.splitlines() for s in ("litters", "looks"))
    assert first[0] == second[0], "both ran in the same warm container"
    assert second[1] == "[0.0s] files [] []", "the working folder and /tmp are fresh"
    assert second[2] == "[0.0s] processes []", "the first example's child was killed with it"
    assert runs["looks"].peak_memory_bytes is None  # the container's peak spans both: not recorded

    fresh = _run_all(docker_backend, registry, lessons, warm=False)
    assert fresh["litters"].stdout.splitlines()[0] != fresh["looks"].stdout.splitlines()[0]
    assert fresh["looks"].peak_memory_bytes > 1_000_000


@pytest.mark.docker
def test_an_example_too_big_to_travel_with_its_run_is_copied_in(docker_backend, registry, tmp_path, no_leftovers):
    big = "# " + "x" * 300_000 + "\n" + "print('[0.0s] a big file ran')\n"  # past the exec's argument limit
    lessons = _course(tmp_path, registry, {"big": big, "small": "print('[0.0s] a small file ran')\n",
                                           "looks": LOOKS})
    runs = _run_all(docker_backend, registry, lessons, warm=True)
    assert [runs[s].stdout.splitlines()[0] for s in ("big", "small")] == [
        "[0.0s] a big file ran", "[0.0s] a small file ran"]
    assert runs["looks"].stdout.splitlines()[1:] == ["[0.0s] files [] []", "[0.0s] processes []"]


@pytest.mark.docker
@pytest.mark.parametrize("case, status, words", [
    ("import time\nprint('[0.0s] sleeping', flush=True)\ntime.sleep(60)\n", Status.TIMEOUT, "after 3s"),
    pytest.param("import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('[0.0s] busy', flush=True)\n"
                 "while True: pass\n", Status.TIMEOUT, "after 3s", marks=pytest.mark.serial),  # a core taken
    ("import sys\nwhile True: sys.stdout.write('x' * 65536)\n", Status.OUTPUT_LIMIT, "printed more than"),
    ("x = bytearray(1 << 30)\n", Status.OOM, "ran out of memory"),
    # The bomb holds every pid the container has: the kit's own stop then kills all (the wrapper too, so
    # the pids limit's refusals go unreported here, unlike in a fresh container).
    pytest.param("import os\nwhile True:\n    try: os.fork()\n    except OSError: pass\n", Status.TIMEOUT, "after 3s",
                 marks=pytest.mark.serial),
])
def test_limits_hold_in_a_warm_container_and_it_serves_the_next_example(docker_backend, registry, tmp_path,
                                                                        case, status, words, no_leftovers):
    lessons = _course(tmp_path, registry, {"hostile": case, "looks": LOOKS}, extra="timeout: 3\n")
    runs = _run_all(docker_backend, registry, lessons, warm=True)
    assert runs["hostile"].status is status and words in runs["hostile"].message, runs["hostile"]
    assert stopped_in_time(runs["hostile"], 3, WARM_STOP), runs["hostile"].process_ms
    assert runs["looks"].status is Status.OK, runs["looks"]
    assert runs["looks"].stdout.splitlines()[1:] == ["[0.0s] files [] []", "[0.0s] processes []"]


@pytest.mark.docker
def test_a_lesson_that_measures_memory_runs_in_a_fresh_container(docker_backend, registry, tmp_path,
                                                                 no_leftovers):
    lessons = _course(tmp_path, registry, {"plain": LOOKS}) + _course(
        tmp_path, registry, {"memory": LOOKS}, extra="measures: [memory]\n")
    runs = _run_all(docker_backend, registry, lessons, warm=True)
    assert runs["plain"].peak_memory_bytes is None and runs["memory"].peak_memory_bytes > 1_000_000
    assert runs["plain"].stdout.splitlines()[0] != runs["memory"].stdout.splitlines()[0]


@pytest.mark.docker
@pytest.mark.serial  # it compares times: nothing else of the suite's may run beside it
@pytest.mark.parametrize("slug", ["kitchen", "producer-consumer"])
def test_side_by_side_and_one_at_a_time_both_record_the_lessons_times(docker_backend, registry, lessons,
                                                                     slug, no_leftovers, record):
    """Both ways every language's times are the lesson's own, within its tolerance (that is what
    `equivalent` judges, against the expected output). The two runs' differences are recorded, not bounded:
    each within the tolerance of the expected allows twice that between them, and a busy machine uses it."""
    lesson = lessons[slug]
    languages = list(registry.languages.values())
    serial = workflow.run_lesson(lesson, languages, docker_backend, warm=True)
    parallel = workflow.run_lesson(lesson, languages, docker_backend, warm=True, side_by_side=True)
    assert serial.equivalent and parallel.equivalent, (serial.diff, parallel.diff)
    assert [run.language for run in serial.runs] == [run.language for run in parallel.runs]
    for one, other in zip(serial.runs, parallel.runs):
        apart = max([abs(a.time - b.time) for a, b in zip(one.events, other.events)], default=0.0)
        record(f"{slug:18} {one.language:10} run_ms one at a time {one.run_ms:.0f}, side by side {other.run_ms:.0f}; "
               f"time stamps at most {apart:.1f}s apart")


@pytest.mark.local
def test_a_lesson_that_measures_cpu_runs_its_languages_one_at_a_time(local_backend, registry, tmp_path):
    # Each waits 3 s between its two stamps: long enough that the other one's start, however slow a busy
    # machine makes it, falls within that wait when they run together.
    stamp = "import time\nprint(f'[0.0s] {time.time():.3f}')\ntime.sleep(3)\nprint(f'[3.0s] {time.time():.3f}')\n"
    node = "const t = () => (Date.now() / 1000).toFixed(3);\nconsole.log(`[0.0s] ${t()}`);\n" \
           "setTimeout(() => console.log(`[3.0s] ${t()}`), 3000);\n"
    for slug, extra in (("alone", "measures: [cpu]\n"), ("together", "")):
        make_lesson(tmp_path, slug, {f"python/{slug}.py": stamp, f"javascript/{slug}.mjs": node},
                    extra=extra + "compare: {differ: [{match: '.', why: clocks}]}\n")
    lessons = load_lessons(registry, tmp_path / "lessons")
    spans = {}
    for slug in ("alone", "together"):
        report = workflow.run_lesson(lessons[slug], registry.select("python,javascript"), local_backend,
                                     side_by_side=True)
        (py_start, py_end), (js_start, js_end) = (
            [float(line.split()[1]) for line in run.stdout.splitlines()] for run in report.runs)
        spans[slug] = (py_start, py_end, js_start, js_end)
    py_start, py_end, js_start, js_end = spans["alone"]
    assert js_start >= py_end, f"one after the other: {spans}"
    py_start, py_end, js_start, js_end = spans["together"]
    assert js_start < py_end and py_start < js_end, f"at the same time: {spans}"


@pytest.mark.docker
def test_a_program_no_exec_can_stop_is_stopped_with_its_container(docker_backend, registry, tmp_path, monkeypatch,
                                                                  no_leftovers):
    # Under a fork bomb on a busy machine not even the kit's `kill` finds a process slot: no exec can start.
    # That is what is simulated here (the one thing not real): every exec the kit sends to stop a run is lost.
    monkeypatch.setattr(warm, "_exec", lambda client, container, command: None)
    sleeper = "import socket, time\nprint('[0.0s] container', socket.gethostname(), flush=True)\ntime.sleep(60)\n"
    lessons = _course(tmp_path, registry, {"sleeper": sleeper, "looks": LOOKS}, extra="timeout: 1\n")
    runs = _run_all(docker_backend, registry, lessons, warm=True)
    stopped = runs["sleeper"]
    assert stopped.status is Status.TIMEOUT and "after 1s" in stopped.message, stopped
    assert stopped_in_time(stopped, 1, WARM_STOP), stopped.process_ms
    assert runs["looks"].status is Status.OK, runs["looks"]
    assert runs["looks"].stdout.splitlines()[0] != stopped.stdout.splitlines()[0], "a new warm container"


def test_a_warm_runs_ready_lines_are_not_its_output_even_when_the_engine_lost_the_first_bytes():
    # What an exec's stream gives when the engine joined it late: the end of a READY line, whole ones, one
    # cut across two chunks, then the program's own output.
    chunks = [(b"ady\n" + READY + READY[:5], None), (READY[5:] + b"[0.0s] one\n", None), (b"[0.1s] two\n", b"e")]
    reader = OutputReader(iter(chunks), 10_000, lambda: None, handshake=True)
    reader.run()
    assert reader.ready.is_set()
    assert reader.program_stdout() == b"[0.0s] one\n[0.1s] two\n" and bytes(reader.err) == b"e"
    never = OutputReader(iter([(b"ready\n", None)]), 10_000, lambda: None, handshake=True)
    never.run()
    assert not never.ready.is_set() and never.program_stdout() == b""
