"""Hostile programs through the door a learner's code comes in by: `invoke check LESSON --file PATH`.

Every case of tests/hostile/ in every language goes to a real `invoke check kitchen --file PATH --json`
process: in Docker and, at the same time, on the local backend where test_hostile deems the case safe
there. The verdict must not pass, its run must end with the case's status (test_hostile.CASES) and say
the case's words, the program must be stopped in time (test_hostile.stopped_in_time: its process within the
case's limit plus test_hostile's GRACE; a timeout is the lesson's own: kitchen's, cut from 10 s to SHORT_TIMEOUT
in a copy of the kit for the cases that run until they are stopped), the `invoke check`
process must exit with status 1 and no traceback, within PATIENCE (else it hangs), and leave nothing
behind. Then a classroom: thirty checks at once, every verdict right. How long a whole process takes
(Python's start, the sandbox's set-up beside five others) is the machine's, not the kit's: it is
recorded (conftest's `record`: timings.txt), not asserted.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from runner import ROOT
from runner.sandbox.local import marked_processes
from runner.model.lessons import load_lessons
from runner.model.results import RunResult, Status
from tests.test_exercises import _cases as exercise_cases, holds
from tests.test_hostile import CASES, DOCKER_CASES, EXTRA_CHECKS, HOSTILE, LOCAL_CASES, Case, stopped_in_time
from tests.test_services import listener  # noqa: F401 - the fixture: a listener on this machine

# Six checks at once per case, thirty in the classroom, none of them waiting for a slot: nothing else of the
# suite's may run beside them.
pytestmark = pytest.mark.serial

LESSON = "kitchen"  # an exercise whose timeout (10 s) is every lesson's default
PATIENCE = 300  # seconds before a hung `invoke check` is killed: a C# build alone may take 180
CLASSROOM = 30
# Where a longer timeout than test_hostile's lets a case end otherwise. .NET's thread bomb leaks
# memory with every thread the pids limit refuses it (about 5-7 s to its 512 MB here): it ends `oom`, or
# `timeout` on a machine slow enough; either way the message must name the pids limit.
LONGER = {("process-bomb", "csharp"): Case(
    Status.OOM, ("ran out of memory", "limit {memory_mb} MB", "more than {pids} processes and threads", "pids limit"),
    "[0.0s] ", docker_only=True)}
SPINNING = {"infinite-loop", "ignore-sigterm"}  # busy loops: their backends take turns
# Kitchen's timeout for the cases that end only when they are stopped: the rule is the same for any timeout,
# and each such case waits for it (twice for a busy loop). `invoke stress` times the real 10 s.
SHORT_TIMEOUT = 4


@dataclass(frozen=True)
class Checked:
    """One `invoke check` process: its exit status, what it printed and how long it took."""

    language: str
    path: Path
    exit_code: int
    stdout: bytes
    stderr: str
    seconds: float  # the process's wall time
    pid: int

    @property
    def verdict(self) -> dict:
        return json.loads(self.stdout.decode("utf-8"))

    @property
    def run(self) -> RunResult:
        return RunResult.from_dict(self.verdict["run"])

    @property
    def to_verdict(self) -> float:
        """Seconds from the start of the process to its verdict, a C# build excluded (it has a limit of its own)."""
        return self.seconds - (self.run.build_ms or 0) / 1000


def invoke_check(lesson: str, language: str, path: Path, backend: str, *flags: str, root: Path = ROOT) -> Checked:
    command = [sys.executable, "-m", "invoke", "check", lesson, "--lang", language, "--file", str(path),
               "--backend", backend, *flags]
    started = time.monotonic()
    proc = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError(f"`{' '.join(command)}` was still running after {PATIENCE}s") from None
    return Checked(language, path, proc.returncode, out, err.decode("utf-8", "replace"),
                   time.monotonic() - started, proc.pid)


def _sources(case: str, registry, folder: Path, replace: dict[str, str]) -> dict[str, Path]:
    """The case's file per language; with `replace`, a copy in `folder` with it applied."""
    sources = {}
    for language in registry.languages.values():
        path = HOSTILE / case / f"{case}{language.extension}"
        if replace:
            text = path.read_text()
            for old, new in replace.items():
                text = text.replace(old, new)
            path = folder / path.name
            path.write_text(text)
        sources[language.name] = path
    return sources


def _check_everywhere(case: str, sources: dict[str, Path], backends: list[str], root: Path) -> dict[tuple[str, str], Checked]:
    """Every language at once (while C# builds, the others run), to keep the file short; the backends at
    once too, but for a case that spins on every core it has: three such programs are enough for two cores."""
    checks = {}
    for together in ([backends] if case not in SPINNING else [[backend] for backend in backends]):
        with ThreadPoolExecutor(len(sources) * len(together)) as pool:
            futures = {(backend, name): pool.submit(invoke_check, LESSON, name, path, backend, "--json", root=root)
                       for backend in together for name, path in sources.items()}
        checks.update({key: future.result() for key, future in futures.items()})
    return checks


def _words(case: Case, lesson_timeout: float, limits) -> list[str]:
    """The case's words, with the lesson's timeout where test_hostile's lessons had the case's own."""
    return [word.format(memory_mb=limits.memory_mb, pids=limits.pids)
            .replace(f"after {case.timeout:g}s", f"after {lesson_timeout:g}s") for word in case.words]


def _timing(case: str, backend: str, checked: Checked) -> str:
    try:
        run = checked.run
    except (ValueError, KeyError):  # no verdict: the assertions below say why
        return f"{case:15} {checked.language:10} {backend:6} exit status {checked.exit_code} after {checked.seconds:.1f}s"
    return (f"{case:15} {checked.language:10} {backend:6} {run.status.value:12} {checked.to_verdict:5.1f}s to the "
            f"verdict ({checked.seconds:.1f}s in all; the run itself {(run.wall_ms or 0) / 1000:.1f}s)")


def _judge(case: str, checks: dict[tuple[str, str], Checked], registry, lesson, record) -> None:
    for (backend, name), checked in checks.items():  # every time first, so that a failure shows them all
        record(_timing(case, backend, checked))
    for (backend, name), checked in checks.items():
        expected = CASES[case]
        limit = lesson.timeout if expected.status is Status.TIMEOUT else expected.timeout
        if (case, name) in LONGER and checked.run.status is LONGER[case, name].status:
            expected, limit = LONGER[case, name], lesson.timeout
        where = f"{case} in {name} on {backend}: exit status {checked.exit_code}\n{checked.stderr[-1500:]}"
        assert "Traceback" not in checked.stderr, where
        assert checked.exit_code == 1, where  # not passed; neither bad input (2) nor a broken machine (3)
        verdict, run = checked.verdict, checked.run
        said = "\n".join(verdict["messages"])
        where += f"\n{verdict['status']} / {run.status.value}: {said[:2000]}"
        assert verdict["passed"] is False, where
        assert run.status is expected.status, where
        # A run that ended well is judged on its output; any other end is the verdict's status.
        assert verdict["status"] == ("wrong" if expected.status is Status.OK else expected.status.value), where
        for word in _words(expected, lesson.timeout, registry.get(name).limits):
            assert word in said, where
        if expected.status is Status.OK:
            assert "its output is not what a right program prints" in said, where
        assert run.stdout.startswith(expected.kept), f"{where}\nprinted: {run.stdout[:300]!r}"
        if expected.status is Status.OUTPUT_LIMIT:
            assert run.truncated and 500_000 < len(run.stdout.encode()) <= 1_000_000, where
        assert stopped_in_time(run, limit), f"{where}\nthe program ran {(run.process_ms or 0) / 1000:.1f}s"
        assert marked_processes(f"{checked.pid}-") == [], f"{where}\nprocesses of the local run outlived it"
    for backend in {backend for backend, _ in checks}:
        EXTRA_CHECKS.get(case, lambda runs, backend: None)(
            {name: (checked.run, checked.to_verdict) for (where, name), checked in checks.items() if where == backend},
            backend)


# A case safe on the local backend is checked there too, beside Docker and at the same time (so it also
# carries the `local` marker: deselecting that leaves only the Docker-only cases).
EVERY_CASE = [pytest.param(case, marks=pytest.mark.local) if case in LOCAL_CASES else case for case in DOCKER_CASES]


@pytest.mark.docker
@pytest.mark.parametrize("case", EVERY_CASE)
def test_a_hostile_program_checked(case, docker_backend, registry, lessons, tmp_path, monkeypatch, request,
                                   listener, record, no_leftovers):  # noqa: F811
    root, lesson = ROOT, lessons[LESSON]
    if CASES[case].status is Status.TIMEOUT:  # it runs until stopped: in a kit whose kitchen stops it sooner
        root = request.getfixturevalue("kit_copy")
        lesson_file = root / "lessons" / LESSON / "lesson.yaml"
        lesson_file.write_text(lesson_file.read_text().replace("\ntimeout: 10\n", f"\ntimeout: {SHORT_TIMEOUT}\n"))
        lesson = load_lessons(registry, root / "lessons")[LESSON]
        assert lesson.timeout == SHORT_TIMEOUT
    backends = ["docker"]
    if case in LOCAL_CASES:
        request.getfixturevalue("local_backend")  # skips (fails under CI) where a toolchain is missing
        backends.append("local")
    monkeypatch.setenv("ASYNC_ROSETTA_SECRET", "do-not-leak")  # in the invoke processes' environment
    # Six checks at once, none of them timed for a verdict on its times: none waits for a slot (see
    # runner/sandbox/slots.py), so that the time to each verdict is the sandbox's alone.
    monkeypatch.setenv("ASYNC_ROSETTA_SLOTS", "16")
    replace = {}
    if case == "network":  # point the probe at a listener on this machine, as test_hostile does
        from runner.sandbox.docker.connection import bridge_gateway

        replace = {"172.17.0.1": bridge_gateway(docker_backend.client) or "172.17.0.1",
                   "47999": str(listener)}
    checks = _check_everywhere(case, _sources(case, registry, tmp_path, replace), backends, root)
    _judge(case, checks, registry, lesson, record)
    if case == "network":
        for (_, name), checked in checks.items():
            assert checked.run.stdout.splitlines()[1].startswith("[0.0s] connect: blocked ("), name


RAW = ("\x1b", "\x07", "\x08", "\r", "\x00", "\x7f", "\x9b")


@pytest.mark.docker
def test_a_checked_programs_controls_reach_the_terminal_only_escaped(docker_backend, no_leftovers):
    """What a learner reads after `invoke check` (its output and the diff) steers no terminal."""
    done = invoke_check(LESSON, "python", HOSTILE / "bad-output" / "bad-output.py", "docker")
    assert done.exit_code == 1 and "Traceback" not in done.stderr, done.stderr
    shown = done.stdout.decode("utf-8")
    assert [raw for raw in RAW if raw in shown] == []
    for visible in ("\\x1b[2J", "\\x1b]0;pwned\\x07", "\\x9b31m", "not UTF-8: \ufffd\ufffd\ufffd("):
        assert visible in shown  # in the program's output and in the diff against the expected output


@pytest.mark.docker
def test_a_checked_programs_controls_stay_escaped_in_the_json(docker_backend, no_leftovers):
    done = invoke_check(LESSON, "python", HOSTILE / "bad-output" / "bad-output.py", "docker", "--json")
    assert done.exit_code == 1 and "Traceback" not in done.stderr, done.stderr
    text = done.stdout.decode("utf-8")
    assert "C1 control: \x9b31m" in json.loads(text)["run"]["stdout"]  # the output is kept as text ...
    assert [raw for raw in RAW if raw in text] == []  # ... with every control character escaped by JSON


def _classroom() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Thirty learners' files: per language four reference solutions and six wrong ones, across the lessons."""
    picked = []
    for language in ("python", "javascript", "csharp"):
        mine = [case for case in exercise_cases() if case[1] == language]
        picked += [case for case in mine if not case[3]][::2][:4] + [case for case in mine if case[3]][::5][:6]
    assert len(picked) == CLASSROOM
    return picked


@dataclass(frozen=True)
class Classroom:
    """Thirty checks started at once, judged: what went wrong, in words, and the figures."""

    picked: list
    checks: list[Checked]
    refused: list[str]  # right solutions not passed
    accepted: list[str]  # wrong ones passed, or refused without their words
    broken: list[str]  # no verdict: a traceback or another exit status
    seconds: float  # wall time of the whole classroom

    @property
    def wrong(self) -> list[str]:
        return ([f"right solution refused: {r}" for r in self.refused] + [f"wrong one accepted: {a}" for a in
                self.accepted] + [f"no verdict: {b}" for b in self.broken])

    @property
    def reruns(self) -> int:
        """Checks whose verdict came from a second run, alone (runner/sandbox/noise.py)."""
        return sum(bool(c.verdict["run"] and c.verdict["run"].get("rerun")) for c in self.checks
                   if c.exit_code in (0, 1) and "Traceback" not in c.stderr)


def classroom() -> Classroom:
    """Thirty `invoke check` processes started at once on Docker, each verdict judged against its case."""
    picked = _classroom()
    started = time.monotonic()
    with ThreadPoolExecutor(len(picked)) as pool:
        checks = list(pool.map(lambda case: invoke_check(case[0], case[1], Path(case[2]), "docker", "--json"), picked))
    seconds = time.monotonic() - started
    refused, accepted, broken = [], [], []
    for (slug, language, path, says), checked in zip(picked, checks):
        name = f"{slug} {language} {Path(path).relative_to(ROOT)}"
        if "Traceback" in checked.stderr or checked.exit_code not in (0, 1):
            broken.append(f"{name}: exit status {checked.exit_code}\n{checked.stderr[-1000:]}")
            continue
        verdict = checked.verdict
        said = "\n".join(verdict["messages"])
        if checked.exit_code != (1 if says else 0) or verdict["passed"] is not (not says) \
                or not all(holds(said, words) for words in says):
            (accepted if says else refused).append(
                f"{name}: {verdict['status']} (exit status {checked.exit_code}), expected {says or 'a pass'}:\n"
                f"{said[:1500]}")
    return Classroom(picked, checks, refused, accepted, broken, seconds)


@pytest.mark.docker
def test_a_classroom_of_thirty_checks_at_once(docker_backend, tmp_path, record, no_leftovers):
    """Thirty `invoke check` processes started at once: every verdict right, nothing left behind."""
    room = classroom()
    picked, checks = room.picked, room.checks
    slowest = max(range(len(picked)), key=lambda i: checks[i].seconds)
    lines = [f"{slug:17} {language:10} {Path(path).name:24} {checked.seconds:5.1f}s exit status {checked.exit_code}"
             for (slug, language, path, _), checked in zip(picked, checks)]
    summary = (f"{CLASSROOM} checks at once: {room.seconds:.1f}s wall in all; the slowest took "
               f"{checks[slowest].seconds:.1f}s ({picked[slowest][0]} {picked[slowest][1]} "
               f"{Path(picked[slowest][2]).name}); {len(room.wrong)} verdict(s) wrong, {len(room.refused)} of them "
               f"a right solution refused; {room.reruns} judged by a second run")
    (tmp_path / "classroom.txt").write_text("\n".join(lines + [summary]) + "\n")
    record(summary)
    assert not room.wrong, f"{len(room.wrong)} of {CLASSROOM} verdicts wrong:\n\n" + "\n\n".join(room.wrong)
