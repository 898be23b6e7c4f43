"""Shared fixtures. Docker tests skip where no engine answers, except under CI, where they fail."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from runner import ROOT
from runner.languages import load_registry
from runner.lessons import load_lessons

UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str):
    """Skip on a developer's machine; fail under CI, where every test must really run."""
    if UNDER_CI:
        pytest.fail(f"{reason} - under CI this is a failure, not a skip")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def registry():
    return load_registry()


@pytest.fixture(scope="session")
def lessons(registry):
    return load_lessons(registry)


@pytest.fixture(scope="session")
def docker_backend(registry):
    from runner import docker_engine
    from runner.docker_backend import DockerBackend

    try:
        backend = DockerBackend(docker_engine.connect())
    except docker_engine.EngineUnavailable as exc:
        unavailable(f"no Docker engine: {exc}")
    problems = backend.check(list(registry.languages.values()), lambda _: None)
    if problems:
        unavailable("; ".join(problems))
    return backend


@pytest.fixture(scope="session")
def local_backend(registry):
    from runner.local_backend import LocalBackend

    backend = LocalBackend()
    problems = backend.check(list(registry.languages.values()), lambda _: None)
    if problems:
        unavailable("; ".join(problems))
    return backend


@pytest.fixture
def kit_copy(tmp_path) -> Path:
    """A copy of the kit (tasks, package, lessons, examples) that a test may break."""
    for name in ("runner", "lessons", *(lang.folder for lang in load_registry().languages.values())):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "tasks.py", tmp_path / "tasks.py")
    return tmp_path


def make_lesson(root: Path, slug: str, examples: dict[str, str], extra: str = "", expected: str | None = None):
    """A small lesson under `root` with the given example sources, keyed by folder name."""
    folder = root / "lessons" / slug
    folder.mkdir(parents=True, exist_ok=True)
    text = f"title: {slug}\nsummary: a test lesson\nconcepts: [testing]\nnotes: {{python: n}}\n{extra}"
    if expected is not None:
        text += "expected: |\n" + "".join(f"  {line}\n" for line in expected.splitlines())
    (folder / "lesson.yaml").write_text(text)
    (folder / "lesson.md").write_text(f"# {slug}\n")
    for name, source in examples.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return folder


NOTHING = {"containers": [], "volumes": []}


@pytest.fixture(scope="session", autouse=True)
def owner():
    """One owner for everything this test session starts on the engine, in this process and in the
    `invoke` processes it starts: other sessions on the same engine then never count as leftovers."""
    from runner.workflow import OWNER_VARIABLE, owner as process_owner

    name = process_owner()  # this process: `invoke clean` spares what a session still running owns
    previous = os.environ.get(OWNER_VARIABLE)
    os.environ[OWNER_VARIABLE] = name
    yield name
    if previous is None:
        del os.environ[OWNER_VARIABLE]
    else:
        os.environ[OWNER_VARIABLE] = previous


@pytest.fixture(scope="session", autouse=True)
def session_build_cache(tmp_path_factory):
    """A build cache of the test session's own, in this process and in the `invoke` processes it starts:
    the first build of each source in a session is a real one, whatever earlier sessions kept."""
    from runner.build_cache import FOLDER_VARIABLE

    previous = os.environ.get(FOLDER_VARIABLE)
    os.environ[FOLDER_VARIABLE] = str(tmp_path_factory.mktemp("build-cache"))
    yield Path(os.environ[FOLDER_VARIABLE])
    if previous is None:
        del os.environ[FOLDER_VARIABLE]
    else:
        os.environ[FOLDER_VARIABLE] = previous


@pytest.fixture
def empty_build_cache(tmp_path, monkeypatch):
    """An empty build cache for one test: whatever it builds is built."""
    from runner.build_cache import FOLDER_VARIABLE

    monkeypatch.setenv(FOLDER_VARIABLE, str(tmp_path / "build-cache"))
    return tmp_path / "build-cache"


@pytest.fixture
def no_leftovers(owner):
    """Asserts after the test that the kit left no container or volume behind (of this test session's:
    others may use the same engine meanwhile)."""
    from runner import docker_engine
    from runner.workflow import OWNER_LABEL

    client = docker_engine.connect()
    before = docker_engine.leftovers(client, {OWNER_LABEL: owner})
    yield
    now = docker_engine.leftovers(client, {OWNER_LABEL: owner})
    found = {kind: sorted(set(names) - set(before[kind])) for kind, names in now.items()}
    assert found == NOTHING, f"left behind: {found}"


@pytest.fixture
def no_stray_processes():
    """Asserts after the test that no process of a local run outlived it (orphans included)."""
    yield
    from runner.local_backend import marked_processes

    strays = marked_processes(f"{os.getpid()}-")
    assert not strays, f"processes of local runs still alive: {[_command_line(pid) for pid in strays]}"


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return str(pid)


def processes_running(command: list[str]) -> list[int]:
    """Processes on this machine (in containers too) whose command line is exactly `command`."""
    wanted = b"\0".join(part.encode() for part in command) + b"\0"
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if (entry / "cmdline").read_bytes() == wanted:
                found.append(int(entry.name))
        except OSError:
            pass
    return found
