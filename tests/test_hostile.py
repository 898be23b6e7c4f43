"""Hostile programs (tests/hostile/<case>/, one file per language) on both backends.

Each must end with the status in CASES and a message that says what happened, keep what it printed
before, leave nothing behind (no container, volume or process), and be stopped in time: the program's
process (process_ms) lasts at most the lesson's timeout plus GRACE seconds. That is the kit's own doing;
how long a busy machine takes to start and remove a sandbox is not, so the time until the runner is back
is only bounded against a hang (HUNG). CASES is the table a checker
of single files can be pointed at.
"""
from __future__ import annotations

import io
import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from runner.run import workflow
from runner.model.lessons import load_lessons
from runner.model.results import RunResult, Status, to_json
from tests.conftest import make_lesson, processes_in_containers, processes_running
from tests.test_services import listener  # noqa: F401 - the fixture: a listener on this machine

HOSTILE = Path(__file__).parent / "hostile"
NEVER_ENDS = 4.0  # seconds: the timeout of the cases that never end (see ENDS_ITSELF below)
GRACE = 2.0  # seconds past the lesson's timeout by which the program must be stopped and seen to end
HUNG = 120.0  # seconds after its start by which the runner must be back, sandbox removed: past that it hangs


@dataclass(frozen=True)
class Case:
    status: Status
    words: tuple[str, ...]  # the message says each; {memory_mb} and {pids} are the language's limits
    kept: str  # the output starts with this: what the program printed before it was stopped
    docker_only: bool = False  # it would harm or merely probe the host itself on the local backend
    timeout: float = NEVER_ENDS  # the lesson's timeout, in seconds


# A case that ends by itself (a limit hit, a crash, a clean exit) has a lesson timeout that is only a guard, long
# enough for a program to start on a busy machine (Node took over 2 s at a load of 14); the cases that never end
# are stopped at NEVER_ENDS, which leaves a program time to start and print its first line on a busy machine
# (with 2 s, Python printed nothing before it was stopped at a load of 8).
ENDS_ITSELF = 10.0
STOPPED = (f"still running after {NEVER_ENDS:g}s", "the lesson's timeout", "was stopped")
TOO_MUCH = ("printed more than 1000 kB", "first part of its output is kept")
CASES = {
    "infinite-loop": Case(Status.TIMEOUT, STOPPED, "[0.0s] spinning forever\n"),
    "ignore-sigterm": Case(Status.TIMEOUT, STOPPED, "[0.0s] ignoring SIGTERM and spinning\n"),
    "sleep-forever": Case(Status.TIMEOUT, STOPPED, "[0.0s] waiting forever\n"),
    "process-bomb": Case(Status.TIMEOUT, STOPPED + ("more than {pids} processes and threads", "pids limit"),
                         "[0.0s] ", docker_only=True),
    "memory-bomb": Case(Status.OOM, ("ran out of memory", "limit {memory_mb} MB"), "[0.0s] allocating without end\n",
                        docker_only=True, timeout=ENDS_ITSELF),
    "output-flood": Case(Status.OUTPUT_LIMIT, TOO_MUCH, "[0.0s] flooding\nline            0 xxx", timeout=ENDS_ITSELF),
    "long-line": Case(Status.OUTPUT_LIMIT, TOO_MUCH, "[0.0s] one endless line: yyy", timeout=ENDS_ITSELF),
    "bad-output": Case(Status.OK, (), "[0.0s] plain text first\nnot UTF-8: \ufffd\ufffd\ufffd(\n",
                       timeout=ENDS_ITSELF),
    "network": Case(Status.OK, (), "[0.0s] interfaces: lo\n[0.0s] connect: blocked (", docker_only=True, timeout=5),
    "host-access": Case(Status.OK, (), "[0.0s] write /: refused\n", docker_only=True, timeout=ENDS_ITSELF),
    "environment": Case(Status.OK, (), "[0.0s] environment: ", timeout=ENDS_ITSELF),
    "orphan": Case(Status.OK, (), "[0.0s] parent: exiting; a child sleeps on\n", timeout=ENDS_ITSELF),
    "segfault": Case(Status.FAILED, ("killed by SIGSEGV", "segmentation fault"), "[0.0s] ", timeout=ENDS_ITSELF),
    "abort": Case(Status.FAILED, ("killed by SIGABRT", "aborted itself"), "[0.0s] aborting\n", timeout=ENDS_ITSELF),
}
DOCKER_CASES = list(CASES)
LOCAL_CASES = [name for name, case in CASES.items() if not case.docker_only]
# Cases that take every core they can get (or all the memory): they run alone (`serial`), after the tests
# whose time stamps another test's load would push.
HOGS = {"infinite-loop", "ignore-sigterm", "process-bomb", "memory-bomb"}


def params(cases: list[str]) -> list:
    return [pytest.param(case, marks=pytest.mark.serial) if case in HOGS else case for case in cases]


def _lesson(root: Path, case: str, registry, replace: dict[str, str] | None = None):
    """A lesson named after the case, whose examples are the case's files (with `replace` applied)."""
    examples = {}
    for language in registry.languages.values():
        source = (HOSTILE / case / f"{case}{language.extension}").read_text()
        for old, new in (replace or {}).items():
            source = source.replace(old, new)
        examples[f"{language.folder}/{case}{language.extension}"] = source
    make_lesson(root, case, examples, extra=f"timeout: {CASES[case].timeout:g}\n")
    return load_lessons(registry, root / "lessons")[case]


def _run_timed(lesson, language, backend) -> tuple[RunResult, float]:
    """One run, and the seconds from its start (the build excluded) until the runner was back."""
    started = []
    progress = lambda message: started.append(time.monotonic()) if ": running " in message else None  # noqa: E731
    result = workflow.run_language(lesson, language, backend, 1, "hostile", progress)[0]
    assert started, f"{lesson.slug} in {language.name}: no 'running' progress was seen, so nothing was timed; " \
                    f"{result.status.value} - {result.message}"
    return result, time.monotonic() - started[-1]


def _run_everywhere(lesson, registry, backend) -> dict[str, tuple[RunResult, float]]:
    """Every language at once (while C# builds, the others run), to keep the suite short."""
    languages = list(registry.languages.values())
    with ThreadPoolExecutor(len(languages)) as pool:
        futures = {lang.name: pool.submit(_run_timed, lesson, lang, backend) for lang in languages}
    return {name: future.result() for name, future in futures.items()}


def _check(case: str, registry, runs: dict[str, tuple[RunResult, float]]) -> None:
    expected = CASES[case]
    for name, (run, seconds) in runs.items():
        limits = registry.languages[name].limits
        where = f"{case} in {name}: {run.status.value} - {run.message}\n{run.stderr[-1000:]}"
        assert run.status is expected.status, where
        for word in expected.words:
            assert word.format(memory_mb=limits.memory_mb, pids=limits.pids) in run.message, where
        assert run.stdout.startswith(expected.kept), f"{where}\nprinted: {run.stdout[:300]!r}"
        assert stopped_in_time(run, expected.timeout), \
            f"{where}\nthe program ran {(run.process_ms or 0) / 1000:.1f}s: not stopped in time"
        assert seconds <= HUNG, f"{where}\nthe runner was back only after {seconds:.1f}s"
        if expected.status is Status.OUTPUT_LIMIT:
            assert run.truncated and 500_000 < len(run.stdout.encode()) <= 1_000_000, where


def stopped_in_time(run: RunResult, timeout: float, grace: float = GRACE) -> bool:
    """The program's process ended within the timeout plus `grace` (the backend falls back on its own
    wall time where the sandbox could not say)."""
    return run.process_ms is not None and run.process_ms / 1000 <= timeout + grace


def test_every_case_has_a_program_in_every_language_and_a_row_in_the_table(registry):
    folders = sorted(p.name for p in HOSTILE.iterdir() if p.is_dir())
    assert folders == sorted(CASES)
    for case in folders:
        wanted = sorted(f"{case}{lang.extension}" for lang in registry.languages.values())
        assert sorted(p.name for p in (HOSTILE / case).iterdir()) == wanted


@pytest.mark.docker
@pytest.mark.parametrize("case", params([c for c in DOCKER_CASES if c != "network"]))
def test_a_hostile_program_in_docker(case, docker_backend, registry, tmp_path, monkeypatch, no_leftovers):
    monkeypatch.setenv("ASYNC_ROSETTA_SECRET", "do-not-leak")
    runs = _run_everywhere(_lesson(tmp_path, case, registry), registry, docker_backend)
    _check(case, registry, runs)
    EXTRA_CHECKS.get(case, lambda runs, backend: None)(runs, "docker")


@pytest.mark.local
@pytest.mark.parametrize("case", params(LOCAL_CASES))
def test_a_hostile_program_on_the_local_backend(case, local_backend, registry, tmp_path, monkeypatch,
                                                no_stray_processes):
    monkeypatch.setenv("ASYNC_ROSETTA_SECRET", "do-not-leak")
    runs = _run_everywhere(_lesson(tmp_path, case, registry), registry, local_backend)
    _check(case, registry, runs)
    EXTRA_CHECKS.get(case, lambda runs, backend: None)(runs, "local")


@pytest.mark.docker
def test_the_network_is_out_of_reach_in_docker(docker_backend, registry, tmp_path, listener,  # noqa: F811
                                               no_leftovers):
    from runner.sandbox.docker.connection import bridge_gateway

    gateway = bridge_gateway(docker_backend.client) or "172.17.0.1"
    socket.create_connection((gateway, listener), timeout=2).close()  # from here the listener answers
    lesson = _lesson(tmp_path, "network", registry, {"172.17.0.1": gateway, "47999": str(listener)})
    runs = _run_everywhere(lesson, registry, docker_backend)
    _check("network", registry, runs)
    for name, (run, _) in runs.items():
        assert run.stdout.splitlines()[1].startswith("[0.0s] connect: blocked ("), f"{name}: {run.stdout}"


@pytest.mark.local
def test_bad_output_reaches_the_users_terminal_only_escaped(kit_copy):
    """End to end: what `invoke run-lesson` prints holds no escape of the program's, nor does its JSON."""
    import subprocess
    import sys

    make_lesson(kit_copy, "bad-output", {"python/bad-output.py": (HOSTILE / "bad-output" / "bad-output.py").read_text()})
    for flags in ([], ["--json"]):
        done = subprocess.run([sys.executable, "-m", "invoke", "run-lesson", "bad-output", "--backend", "local",
                               "--lang", "python", *flags], cwd=kit_copy, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
        text = done.stdout.decode("utf-8")
        for raw in ("\x1b", "\x07", "\x08", "\r", "\x00", "\x7f", "\x9b"):
            assert raw not in text, f"{raw!r} reached the terminal with {flags}"
    assert json.loads(text)["runs"][0]["stdout"].startswith("[0.0s] plain text first\nnot UTF-8: \ufffd")


def _bad_output(runs, backend) -> None:
    """Kept as text in the JSON; shown escaped, never obeyed, in the terminal."""
    from rich.console import Console

    from runner.model.languages import load_registry
    from runner.model.results import LessonReport
    from runner.publish.terminal import show_lesson

    for name, (run, _) in runs.items():
        saved = json.loads(to_json(run.to_dict()))
        assert "\x1b[2J\x1b[H\x1b]0;pwned\x07\x1b[31mred" in saved["stdout"], name
        assert "C1 control: \x9b31m" in saved["stdout"] and "\x9b" not in to_json(run.to_dict()), name
    report = LessonReport("bad-output", "bad output", True, "", tuple(run for run, _ in runs.values()), backend)
    screen = io.StringIO()
    show_lesson(Console(file=screen, force_terminal=True, width=200), report, load_registry())
    shown = screen.getvalue()
    for raw in ("\x1b[2J", "\x1b[H", "\x1b]0;", "\x07", "\x08", "\r", "\x00", "\x7f", "\x9b"):
        assert raw not in shown, f"{raw!r} reached the terminal"
    for visible in ("\\x1b[2J", "\\x1b]0;pwned\\x07", "\\r", "\\x9b31m", "not UTF-8: \ufffd\ufffd\ufffd("):
        assert visible in shown


def _host_access(runs, backend) -> None:
    for name, (run, _) in runs.items():
        lines = run.stdout.splitlines()
        for folder in ("/", "/etc", "/usr", "/job", "/job/src"):
            assert f"[0.0s] write {folder}: refused" in lines, f"{name}: {run.stdout}"
        assert "[0.0s] write /tmp: allowed" in lines and "[0.0s] write .: allowed" in lines
        processes = next(line for line in lines if line.startswith("[0.0s] processes: ")).split()[2:]
        assert "sh" in processes and len(processes) <= 3, f"{name} saw the host's processes: {processes}"
        assert "[0.0s] secret: not found" in lines, name


def _environment(runs, backend) -> None:
    for name, (run, _) in runs.items():
        names = run.stdout.splitlines()[0].split()[2:]
        assert "PATH" in names and "HOME" in names
        # The test's own environment holds both; neither may reach the program.
        assert "ASYNC_ROSETTA_SECRET" not in names and "PYTEST_CURRENT_TEST" not in names, f"{name}: {names}"
        assert run.stdout.splitlines()[1] == "[0.0s] secret: not found"


def _orphan(runs, backend) -> None:
    """Not in a sandbox the engine still runs (wherever the engine is), nor on this machine."""
    if backend == "docker":
        from runner.sandbox.docker.connection import connect
        from runner.sandbox.docker.labels import OWNER_LABEL
        from runner.sandbox.run_context import owner

        found = processes_in_containers(connect(), ["sleep", "987"], {OWNER_LABEL: owner()})
        assert found == [], f"the orphan outlived the run: {found}"
    assert processes_running(["sleep", "987"]) == [], "the orphan outlived the run"


EXTRA_CHECKS = {"bad-output": _bad_output, "host-access": _host_access, "environment": _environment,
                "orphan": _orphan}
