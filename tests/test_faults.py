"""Faults and bad input, as a user meets them on the command line: no engine, an engine that goes away,
a missing image, Ctrl-C, two runs at once, a full disk, broken lessons and example files.

Each must end with a message that says what went wrong and what to do (never a traceback), keep the
results written before, and leave nothing behind."""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from runner import EnvironmentProblem
from runner.run import workflow
from runner.model.lessons import MAX_TIMEOUT, load_lessons
from runner.model.results import LessonReport, RunResult, Status
from runner.model.store import ResultsStore, load_report
from runner.sandbox.docker.labels import LESSON_LABEL, OWNER_LABEL, PHASE_LABEL
from tests.conftest import make_lesson, unavailable

NO_ENGINE = "unix:///nonexistent/async-rosetta/docker.sock"
PREVIOUS = '{"a result": "saved by an earlier run"}\n'
STOPPED = 60  # seconds by which a run is back after Ctrl-C, cleanup done: a hang, not a slow machine, if not


def invoke(*args, cwd, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def start_invoke(*args, cwd) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "invoke", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def course(root: Path, lessons: dict[str, str], extra: str = "") -> list[str]:
    """Replace the kit copy's lessons with small Python ones, in this order; their slugs are unique, so
    that their containers are told apart from those of anyone else using the engine."""
    shutil.rmtree(root / "lessons")
    slugs = []
    for order, (name, source) in enumerate(lessons.items(), 1):
        slug = f"{name}-{uuid.uuid4().hex[:6]}"
        make_lesson(root, slug, {f"python/{slug}.py": source}, extra=f"order: {order}\n{extra}")
        slugs.append(slug)
    return slugs


def previous(root: Path, backend: str, slug: str) -> Path:
    """A results file as an earlier run left it."""
    path = root / "results" / backend / f"{slug}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PREVIOUS)
    return path


def wait_for(condition, seconds: float = 60, what: str = "", proc: subprocess.Popen | None = None) -> None:
    """Until `condition()` holds; a failure at once if `proc`, which should bring it about, has ended."""
    deadline = time.monotonic() + seconds
    while not condition():
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"waiting for {what}, the run ended with exit status {proc.returncode}:\n"
                                 f"{err[-2000:]}{out[-1000:]}")
        assert time.monotonic() < deadline, f"waited {seconds:g}s for {what}"
        time.sleep(0.05)


def said(done) -> str:
    """What a run said on stderr, with rich's line wrapping undone."""
    return " ".join(done.stderr.split())


def no_traceback(done) -> None:
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr


# --- the Docker engine -------------------------------------------------------------------------------

def test_no_engine_says_start_one_or_use_the_local_backend(kit_copy):
    saved = previous(kit_copy, "docker", "kitchen")
    done = invoke("run-lesson", "kitchen", "--backend", "docker", cwd=kit_copy, env={"DOCKER_HOST": NO_ENGINE})
    assert done.returncode == 3, done.stderr
    assert f"no Docker engine answers at {NO_ENGINE} (no such file)" in said(done)
    assert "Error while fetching" not in done.stderr and "FileNotFoundError" not in done.stderr
    assert "`dockerd &`" in done.stderr and "--backend local" in done.stderr
    no_traceback(done)
    assert saved.read_text() == PREVIOUS


@pytest.mark.local
def test_no_engine_with_backend_auto_runs_locally_with_a_warning(kit_copy):
    done = invoke("run-lesson", "kitchen", "--lang", "python", "--json", cwd=kit_copy,
                  env={"DOCKER_HOST": NO_ENGINE})
    assert done.returncode == 0, done.stderr
    assert (f"no Docker engine answers at {NO_ENGINE} (no such file), so the examples run on this machine's own "
            "toolchains (trusted code only): Python 3.") in said(done)
    assert "FileNotFoundError" not in done.stderr and "(no Docker engine answers" not in said(done)
    assert json.loads(done.stdout)["backend"] == "local"


# Runs invoke with the Docker client made to fail as a stopped engine does (connection refused), from
# the start of the second program run in a warm container (run-all runs the second lesson then): the third
# exec started, as each run starts two (its wrapper, then the word that lets the program begin).
ENGINE_STOPS = """
import sys
import requests
from runner.sandbox.docker import connection

connect = connection.connect


def failing_connect():
    client = connect()
    send, state = client.api.send, {"runs": 0, "gone": False}

    def send_or_fail(request, **kwargs):
        path = request.path_url.split("?")[0]
        state["runs"] += "/exec/" in path and path.endswith("/start")
        if state["runs"] >= 3:
            state["gone"] = True
        if state["gone"]:
            raise requests.exceptions.ConnectionError(ConnectionRefusedError(111, "Connection refused"))
        return send(request, **kwargs)

    client.api.send = send_or_fail
    return client


connection.connect = failing_connect
from invoke.main import program
program.run(["invoke", *sys.argv[1:]])
"""


@pytest.mark.docker
def test_the_engine_stops_in_the_middle_of_run_all(docker_backend, kit_copy, owner, no_leftovers):
    from runner.sandbox.docker.reaper import remove_leftovers

    first, second, third = course(kit_copy, {"first": "print('[0.0s] one')\n", "second": "print('[0.0s] two')\n",
                                             "third": "print('[0.0s] three')\n"})
    third_before = previous(kit_copy, "docker", third)
    done = subprocess.run([sys.executable, "-c", ENGINE_STOPS, "run-all", "--backend", "docker", "--lang", "python",
                           "--json"],
                          cwd=kit_copy, capture_output=True, text=True, timeout=300)
    try:
        assert done.returncode == 3, done.stderr
        no_traceback(done)
        for words in ("the Docker engine stopped answering while running a program", "Connection refused",
                      "Start it again", "--backend local", "`invoke clean`",
                      "The results of the 1 lesson(s) that had finished are saved", "the other 2 did not run"):
            assert words in done.stderr
        reports = {r["lesson"]: r for r in json.loads(done.stdout)}
        assert [r["status"] for r in reports[first]["runs"]] == ["ok"]
        for slug in (second, third):
            assert [(r["status"], r["message"]) for r in reports[slug]["runs"]] == [
                ("error", "not run: the Docker engine stopped answering")]
        assert load_report(kit_copy / "results" / "docker" / f"{first}.json").equivalent
        assert not (kit_copy / "results" / "docker" / f"{second}.json").exists()
        assert third_before.read_text() == PREVIOUS
    finally:
        # What the "stopped" engine could not remove (the warm container among them), as `invoke clean` would.
        remove_leftovers(docker_backend.client, {OWNER_LABEL: owner})


@pytest.mark.docker
def test_a_missing_image_says_images_offline_or_load(docker_backend, kit_copy):
    ghost = """
ghost:
  title: Ghost
  folder: ghost
  extension: .ghost
  lexer: text
  image: IMAGE
  offline_image: async-rosetta-test/ghost:offline
  run: [ghost, "{source}"]
  version: [ghost, --version]
"""
    registry_file = kit_copy / "runner" / "languages" / "registry.yaml"
    registry_file.write_text(registry_file.read_text() + ghost.replace("IMAGE", "async-rosetta-test/ghost:none"))
    done = invoke("run-lesson", "kitchen", "--lang", "ghost", "--backend", "docker", cwd=kit_copy)
    assert done.returncode == 3, done.stderr
    assert "no image for Ghost" in done.stderr and "`invoke images --offline`" in done.stderr
    assert "`invoke images --load FILE`" in done.stderr
    no_traceback(done)
    # No registry: one on this machine's loopback where nothing listens (never a machine outside).
    registry_file.write_text(ghost.replace("IMAGE", "127.0.0.1:9/async-rosetta-test/ghost:none"))
    done = invoke("images", cwd=kit_copy)
    assert done.returncode == 3, done.stderr
    assert "cannot pull 127.0.0.1:9/async-rosetta-test/ghost:none" in done.stderr
    assert "`invoke images --offline`" in done.stderr and "`invoke images --load FILE`" in done.stderr
    no_traceback(done)


# --- Ctrl-C -----------------------------------------------------------------------------------------

def _interrupt(proc: subprocess.Popen, times: int = 1) -> subprocess.CompletedProcess:
    for _ in range(times):
        proc.send_signal(signal.SIGINT)
        time.sleep(0.03)
    try:
        out, err = proc.communicate(timeout=STOPPED)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"still running {STOPPED}s after Ctrl-C:\n{err[-2000:]}") from None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _started(client, slug: str, phase: str):
    from runner.sandbox.docker.reaper import leftovers

    labels = {LESSON_LABEL: slug, PHASE_LABEL: phase}
    return lambda: leftovers(client, labels)["containers"]


def _running_in_warm(client, owner: str, at_least: int = 1):
    """Whether programs run in warm containers of this test session (run-all's examples run there)."""
    def running() -> bool:
        count = 0
        labels = {OWNER_LABEL: owner, PHASE_LABEL: "warm"}
        for container in client.api.containers(filters={"label": [f"{k}={v}" for k, v in labels.items()]}):
            for exec_id in client.api.inspect_container(container["Id"]).get("ExecIDs") or []:
                count += bool(client.api.exec_inspect(exec_id).get("Running"))
        return count >= at_least
    return running


@pytest.mark.docker
def test_ctrl_c_during_a_build_removes_everything(docker_backend, kit_copy, no_leftovers, empty_build_cache,
                                                 monkeypatch):
    from runner.sandbox.docker.compiler import SWITCH

    monkeypatch.setenv(SWITCH, "off")  # a build in a container of its own: the compiler server's lasts 0.3 s
    [slug] = course(kit_copy, {"build": ""})
    (kit_copy / "csharp" / f"{slug}.cs").write_text('Console.Write("[0.0s] built\\n");\n')
    proc = start_invoke("run-lesson", slug, "--lang", "csharp", "--backend", "docker", cwd=kit_copy)
    wait_for(_started(docker_backend.client, slug, "build"), what="the build to start", proc=proc)
    time.sleep(0.5)  # well into the build
    done = _interrupt(proc)
    assert done.returncode == 130, done.stderr
    assert "interrupted: everything the run had started" in done.stderr
    no_traceback(done)
    assert not (kit_copy / "results").exists()


@pytest.mark.docker
def test_ctrl_c_twice_during_run_all_keeps_the_finished_results(docker_backend, kit_copy, owner, no_leftovers):
    first, second, third = course(kit_copy, {
        "quick": "print('[0.0s] quick')\n",
        "slow": "import time\nprint('[0.0s] sleeping', flush=True)\ntime.sleep(30)\n",
        "never": "print('[0.0s] never run')\n"}, extra="timeout: 60\n")
    second_before = previous(kit_copy, "docker", second)
    proc = start_invoke("run-all", "--lang", "python", "--backend", "docker", cwd=kit_copy)
    wait_for(lambda: (kit_copy / "results" / "docker" / f"{first}.json").exists(), what="the first lesson's results",
             proc=proc)
    wait_for(_running_in_warm(docker_backend.client, owner), what="the second lesson to run", proc=proc)
    done = _interrupt(proc, times=2)  # an impatient user: the cleanup still finishes
    assert done.returncode == 130, done.stderr
    no_traceback(done)
    assert load_report(kit_copy / "results" / "docker" / f"{first}.json").runs[0].stdout == "[0.0s] quick\n"
    assert second_before.read_text() == PREVIOUS
    assert not (kit_copy / "results" / "docker" / f"{third}.json").exists()


# Programs that would run until the longest timeout a lesson may have (300 s): a run stopped by Ctrl-C
# ends in far less (STOPPED), however busy the machine, and one that waited for them could not.
SLEEPERS = {"python": "import time\nprint('[0.0s] sleeping', flush=True)\ntime.sleep(600)\n",
            "javascript": "console.log('[0.0s] sleeping');\nsetTimeout(() => {}, 600000);\n"}


def _side_by_side(kit_copy) -> str:
    [slug] = course(kit_copy, {"sleepers": SLEEPERS["python"]}, extra=f"timeout: {MAX_TIMEOUT:g}\n")
    (kit_copy / "javascript" / f"{slug}.mjs").write_text(SLEEPERS["javascript"])
    return slug


@pytest.mark.docker
def test_ctrl_c_while_languages_run_side_by_side_removes_everything(docker_backend, kit_copy, owner, no_leftovers):
    slug = _side_by_side(kit_copy)
    proc = start_invoke("run-lesson", slug, "--lang", "python,javascript", "--backend", "docker", cwd=kit_copy)
    wait_for(_running_in_warm(docker_backend.client, owner, at_least=2), what="both languages to run", proc=proc)
    started = time.monotonic()
    done = _interrupt(proc)
    assert done.returncode == 130, done.stderr
    assert time.monotonic() - started < STOPPED  # not the lesson's 300s: the other thread's run is stopped too
    no_traceback(done)
    assert not (kit_copy / "results").exists()


@pytest.mark.local
def test_ctrl_c_while_languages_run_side_by_side_on_the_local_backend(kit_copy):
    from runner.sandbox.local import marked_processes

    slug = _side_by_side(kit_copy)
    proc = start_invoke("run-lesson", slug, "--lang", "python,javascript", "--backend", "local", cwd=kit_copy)
    wait_for(lambda: len(marked_processes(f"{proc.pid}-")) >= 2, what="both languages to run", proc=proc)
    started = time.monotonic()
    done = _interrupt(proc)
    assert done.returncode == 130, done.stderr
    assert time.monotonic() - started < STOPPED
    no_traceback(done)
    assert marked_processes(f"{proc.pid}-") == []


@pytest.mark.local
def test_ctrl_c_on_the_local_backend_kills_the_program_and_its_children(kit_copy):
    from runner.sandbox.local import marked_processes

    [slug] = course(kit_copy, {"children": (
        "import subprocess, time\n"
        "subprocess.Popen(['sleep', '986'], start_new_session=True)\n"
        "print('[0.0s] sleeping', flush=True)\ntime.sleep(30)\n")}, extra="timeout: 60\n")
    proc = start_invoke("run-lesson", slug, "--backend", "local", cwd=kit_copy)
    wait_for(lambda: len(marked_processes(f"{proc.pid}-")) >= 2, what="the program and its child", proc=proc)
    done = _interrupt(proc)
    assert done.returncode == 130, done.stderr
    no_traceback(done)
    assert marked_processes(f"{proc.pid}-") == []


# --- two runs at once, and the results files --------------------------------------------------------

@pytest.mark.docker
def test_two_runs_of_one_lesson_at_once_both_finish_and_the_results_are_whole(docker_backend, kit_copy,
                                                                            no_leftovers):
    [slug] = course(kit_copy, {"twice": "print('[0.0s] twice')\n"})
    (kit_copy / "javascript" / f"{slug}.mjs").write_text("console.log('[0.0s] twice');\n")
    procs = [start_invoke("run-lesson", slug, "--backend", "docker", "--lang", "python,javascript", "--json",
                          cwd=kit_copy) for _ in range(2)]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], [err for _, err in outputs]
    reports = [json.loads(out) for out, _ in outputs]
    folder = kit_copy / "results" / "docker"
    assert json.loads((folder / f"{slug}.json").read_text()) in reports
    assert [p.name for p in folder.iterdir()] == [f"{slug}.json"]  # no temporary file left over


def _report(n: int, size: int) -> LessonReport:
    run = RunResult(language="python", backend="local", status=Status.OK, stdout=f"[0.0s] writer {n}\n" * size)
    return LessonReport("atomic", "atomic", True, "", (run,), "local", date=str(n))


def test_a_results_file_is_never_seen_half_written(tmp_path):
    """Writers replace the file again and again while a reader reads it: every read is a whole report."""
    reports = [_report(n, 20_000 + n * 5_000) for n in range(4)]  # 0.3 to 0.7 MB each
    ResultsStore(tmp_path).save(reports[0])
    path, stop, seen, bad = tmp_path / "local" / "atomic.json", threading.Event(), set(), []

    def write(report):
        for _ in range(15):
            ResultsStore(tmp_path).save(report)

    def read():
        while not stop.is_set():
            try:
                seen.add(load_report(path).date)
            except Exception as exc:  # noqa: BLE001 - half a file (ValueError), no file at all: every one counts
                bad.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write, args=(r,)) for r in reports]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    reader.join()
    assert not bad, bad[:3]
    assert len(seen) > 1  # the reader did see the file change under it
    assert sorted(p.name for p in path.parent.iterdir()) == ["atomic.json"]


def test_a_failed_write_keeps_the_previous_results_and_says_why(tmp_path, monkeypatch):
    ResultsStore(tmp_path).save(_report(1, 10))

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(EnvironmentProblem) as caught:
        ResultsStore(tmp_path).save(_report(2, 10))
    assert "cannot save the results of atomic" in str(caught.value)
    assert "No space left on device" in str(caught.value) and "unchanged" in str(caught.value)
    assert load_report(tmp_path / "local" / "atomic.json").date == "1"
    assert [p.name for p in (tmp_path / "local").iterdir()] == ["atomic.json"]


@pytest.mark.local
def test_a_full_disk_shows_the_run_and_says_the_results_could_not_be_saved(kit_copy):
    if os.geteuid() != 0:
        unavailable("a tiny tmpfs needs root to mount")
    [slug] = course(kit_copy, {"full": "print('[0.0s] the disk is full')\n"})
    results = kit_copy / "results"
    results.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(results)], check=True)
    try:
        saved = previous(kit_copy, "local", slug)
        with open(results / "filler", "wb", buffering=0) as filler:  # take every block that is left
            try:
                while True:
                    filler.write(b"\0" * 4096)
                    filler.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        done = invoke("run-lesson", slug, "--backend", "local", cwd=kit_copy)
        assert done.returncode == 3, done.stderr
        assert f"cannot save the results of {slug}" in done.stderr and "No space left on device" in done.stderr
        assert "The results saved there before are unchanged" in done.stderr
        no_traceback(done)
        assert "[0.0s] the disk is full" in done.stdout  # the run itself is still shown
        assert saved.read_text() == PREVIOUS
        assert sorted(p.name for p in saved.parent.iterdir()) == [saved.name]
    finally:
        subprocess.run(["umount", str(results)], check=True)


# --- bad input ----------------------------------------------------------------------------------------

def test_broken_lesson_files_are_all_listed_with_file_line_and_key_and_a_broken_lesson_does_not_run(kit_copy):
    """`invoke list` lists every problem; a command naming a broken lesson runs nothing (every command stopped at
    any broken lesson before: runner/model/lessons.py Course leaves them out)."""
    lessons = kit_copy / "lessons"
    (lessons / "gather" / "lesson.yaml").write_text("title: Gather\nsummary: [unclosed\n")
    kitchen = lessons / "kitchen" / "lesson.yaml"
    kitchen.write_text(kitchen.read_text() + "colour: blue\n")
    timeouts = lessons / "timeouts" / "lesson.yaml"
    timeouts.write_text(timeouts.read_text().replace("\ntimeout: 10\n", "\ntimeout: ten\n"))
    errors = lessons / "errors" / "lesson.yaml"
    errors.write_text(errors.read_text() + "requires: {rust: '1.80'}\n")
    for folder, extension in (("python", ".py"), ("javascript", ".mjs"), ("csharp", ".cs")):
        (kit_copy / folder / f"race{extension}").unlink()
    done = invoke("list", cwd=kit_copy)
    assert done.returncode == 2, done.stderr
    no_traceback(done)
    text = done.stderr
    assert "invalid lessons" in text
    assert "lessons/gather/lesson.yaml:2: summary: not valid YAML" in text  # where the [ is left open
    line = kitchen.read_text().splitlines().index("colour: blue") + 1
    assert f"lessons/kitchen/lesson.yaml:{line}: colour: unknown key" in text
    line = timeouts.read_text().splitlines().index("timeout: ten") + 1
    assert f"lessons/timeouts/lesson.yaml:{line}: timeout: expected seconds" in text and "got 'ten'" in text
    assert "lessons/errors/lesson.yaml:" in text and "requires.rust: unknown language" in text
    assert "lessons/race/lesson.yaml: no example in any language" in text
    done = invoke("run-lesson", "kitchen", "--backend", "docker", cwd=kit_copy)
    assert done.returncode == 2, done.stderr
    no_traceback(done)
    assert "invalid lessons" in done.stderr and "nothing was run (the lesson 'kitchen' is broken)" in done.stderr
    assert "colour: unknown key" in done.stderr and "gather/lesson.yaml" not in done.stderr
    assert not (kit_copy / "results").exists()


@pytest.mark.local
@pytest.mark.parametrize("content, words", [
    (b"", "is empty"),
    (b" \n\t\n", "is empty"),
    (b"print('caf\xe9')\n", "is not UTF-8 text (byte 10 is 0xe9): save it as UTF-8"),
    (b"# padding\n" * 110_000 + b"print('[0.0s] hi')\n", "is 1100 kB: an example is a page of code"),
], ids=["empty", "blank", "latin-1", "huge"])
def test_an_unusable_example_file_is_an_error_that_says_why(tmp_path, registry, local_backend, content, words):
    make_lesson(tmp_path, "unusable", {"python/unusable.py": "print('[0.0s] hi')\n"})
    (tmp_path / "python" / "unusable.py").write_bytes(content)
    lesson = load_lessons(registry, tmp_path / "lessons")["unusable"]
    run = workflow.run_lesson(lesson, registry.select("python"), local_backend).runs[0]
    assert run.status is Status.ERROR and run.message.startswith("not run: ") and words in run.message
    assert "python/unusable.py" in run.message


def test_a_lang_flag_that_names_no_language_names_the_choices(kit_copy):
    done = invoke("run-lesson", "kitchen", "--lang", ",", "--backend", "local", cwd=kit_copy)
    assert done.returncode == 2
    assert "--lang ',' names no language: expected one or more of python, javascript, csharp" in done.stderr
    no_traceback(done)
