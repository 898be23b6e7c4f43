"""Shared fixtures. Docker tests skip where no engine answers, except under CI, where they fail.

A test's markers say what it needs: the fixtures of a backend mark the tests that name them, and a test
that reaches a backend some other way (a parametrized `backend`, `request.getfixturevalue`) without the
marker fails, so that `-m "not docker"` (and `invoke test --quick`) never starts a container.

Under pytest-xdist each worker is a session of its own: its own owner label (see `owner`), and one build
cache shared by the workers of a run (see `session_build_cache`)."""
from __future__ import annotations

import os
import platform
import shutil
import signal
from pathlib import Path

import pytest

from runner import ROOT
from runner.model.languages import load_registry
from runner.model.lessons import load_lessons

UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# `invoke test` names a fresh folder here, so that its phases (and their workers) share one build cache.
SESSION_CACHE_VARIABLE = "ASYNC_ROSETTA_TEST_BUILD_CACHE"
# What a test needs, by the fixtures it names.
NEEDS = {"docker_backend": "docker", "no_leftovers": "docker", "local_backend": "local",
         "no_stray_processes": "local"}


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


def pytest_configure(config):
    # A suite started in the background by a shell without job control (`cmd &` in a script) inherits
    # SIGINT ignored, and so would every `invoke` it starts: the Ctrl-C tests would wait for nothing.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    """Mark each test with what its fixtures need, and a test parametrized over backends per backend; leave
    out the stress tests (minutes long) unless `invoke stress` runs them; put the longest first."""
    if not os.environ.get("ASYNC_ROSETTA_STRESS"):
        stress = [item for item in items if item.get_closest_marker("stress")]
        if stress:
            config.hook.pytest_deselected(items=stress)
            items[:] = [item for item in items if item not in stress]
    for item in items:
        needs = {NEEDS[name] for name in getattr(item, "fixturenames", ()) if name in NEEDS}
        backend = getattr(item, "callspec", None) and item.callspec.params.get("backend")
        if backend in ("docker", "local"):
            needs.add(backend)
        for need in sorted(needs):
            if item.get_closest_marker(need) is None:
                item.add_marker(need)
        if item.get_closest_marker("browser"):  # one browser at a time (pytest-xdist's loadgroup): two
            item.add_marker(pytest.mark.xdist_group("browser"))  # beside a timed lesson starved it of CPU
    # The longest tests first (the browser's, then those marked slow): started last, one of them would keep one
    # worker busy long after the other has run out of tests. The rest keep their order. A test that times a
    # program is never marked slow: at the start it would run beside the browser.
    items.sort(key=lambda item: (item.get_closest_marker("browser") is None, item.get_closest_marker("slow") is None))


def _require_marker(request, marker: str, what: str) -> None:
    if request.node.get_closest_marker(marker) is None:
        pytest.fail(f"{request.node.nodeid} uses {what} but has no `{marker}` marker: mark it "
                    f"(`pytest.param(..., marks=pytest.mark.{marker})` for one parameter), so that "
                    f"`-m 'not {marker}'` leaves it out")


@pytest.fixture
def docker_backend(request):
    """The Docker backend, for a test marked `docker`."""
    _require_marker(request, "docker", "the Docker backend")
    return request.getfixturevalue("_docker_session")


@pytest.fixture
def local_backend(request):
    """The local backend (the host's python3, node and dotnet), for a test marked `local`."""
    _require_marker(request, "local", "the local backend")
    return request.getfixturevalue("_local_session")


@pytest.fixture(scope="session")
def _docker_session(registry):
    from runner.sandbox.docker import connection
    from runner.sandbox.docker.backend import DockerBackend

    try:
        backend = DockerBackend(connection.connect())
    except connection.EngineUnavailable as exc:
        unavailable(f"no Docker engine: {exc}")
    problems = backend.problems(list(registry.languages.values()), lambda _: None)
    if problems:
        unavailable("; ".join(problems))
    return backend


@pytest.fixture(scope="session")
def _local_session(registry):
    from runner.sandbox.local import LocalBackend

    backend = LocalBackend()
    problems = backend.problems(list(registry.languages.values()), lambda _: None)
    if problems:
        unavailable("; ".join(problems))
    return backend


@pytest.fixture(scope="session")
def record(tmp_path_factory):
    """Print a line (seen with -s) and keep it in timings.txt under the session's temporary folder: times a
    test measures but does not bound, because they are the machine's, not the kit's."""
    log = tmp_path_factory.getbasetemp() / "timings.txt"

    def write(line: str) -> None:
        print(line)
        with log.open("a") as file:
            file.write(line + "\n")

    return write


@pytest.fixture
def kit_copy(tmp_path) -> Path:
    """A copy of the kit (tasks, package, lessons, examples) that a test may break."""
    for name in ("runner", "lessons", *(lang.folder for lang in load_registry().languages.values())):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "tasks.py", tmp_path / "tasks.py")
    return tmp_path


def picked(slugs):
    """The slugs that `invoke test --lesson SLUG` picked (ASYNC_ROSETTA_TEST_LESSON, runner/run/suite.py): that one,
    else all."""
    chosen = os.environ.get("ASYNC_ROSETTA_TEST_LESSON")
    return [slug for slug in slugs if slug == chosen] if chosen else list(slugs)


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
    from runner.sandbox.run_context import OWNER_VARIABLE

    # This process (an xdist worker is one), never an owner inherited from whoever started it: `invoke
    # clean` spares what a live owner has, and no_leftovers looks only at this session's.
    name = f"{platform.node()}:{os.getpid()}"
    previous = os.environ.get(OWNER_VARIABLE)
    os.environ[OWNER_VARIABLE] = name
    yield name
    if previous is None:
        del os.environ[OWNER_VARIABLE]
    else:
        os.environ[OWNER_VARIABLE] = previous


@pytest.fixture(scope="session", autouse=True)
def session_build_cache(tmp_path_factory):
    """A build cache of the test run's own, in this process and in the `invoke` processes it starts: the
    first build of each source in a run is a real one, whatever earlier runs kept. The workers of one
    xdist run share it (a build appears in it whole or not at all), and so do the phases of `invoke test`."""
    from runner.sandbox.build_cache import FOLDER_VARIABLE

    previous = os.environ.get(FOLDER_VARIABLE)
    if os.environ.get(SESSION_CACHE_VARIABLE):
        folder = Path(os.environ[SESSION_CACHE_VARIABLE])
    elif os.environ.get("PYTEST_XDIST_WORKER"):  # the workers' temporary folders share a parent: the run's
        folder = tmp_path_factory.getbasetemp().parent / "build-cache"
    else:
        folder = tmp_path_factory.mktemp("build-cache")
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[FOLDER_VARIABLE] = str(folder)
    yield Path(os.environ[FOLDER_VARIABLE])
    if previous is None:
        del os.environ[FOLDER_VARIABLE]
    else:
        os.environ[FOLDER_VARIABLE] = previous


@pytest.fixture
def empty_build_cache(tmp_path, monkeypatch):
    """An empty build cache for one test: whatever it builds is built."""
    from runner.sandbox.build_cache import FOLDER_VARIABLE

    monkeypatch.setenv(FOLDER_VARIABLE, str(tmp_path / "build-cache"))
    return tmp_path / "build-cache"


@pytest.fixture
def no_leftovers(owner, request):
    """Asserts after the test that the kit left no container or volume behind (of this test session's:
    others may use the same engine meanwhile)."""
    _require_marker(request, "docker", "the Docker engine")
    from runner.sandbox.docker.connection import connect
    from runner.sandbox.docker.labels import OWNER_LABEL
    from runner.sandbox.docker.reaper import leftovers

    client = connect()
    before = leftovers(client, {OWNER_LABEL: owner})
    yield
    now = leftovers(client, {OWNER_LABEL: owner})
    found = {kind: sorted(set(names) - set(before[kind])) for kind, names in now.items()}
    assert found == NOTHING, f"left behind: {found}"


@pytest.fixture
def no_stray_processes(request):
    """Asserts after the test that no process of a local run outlived it (orphans included)."""
    _require_marker(request, "local", "the local backend")
    yield
    from runner.sandbox.local import marked_processes

    strays = marked_processes(f"{os.getpid()}-")
    assert not strays, f"processes of local runs still alive: {[_command_line(pid) for pid in strays]}"


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return str(pid)


def processes_running(command: list[str]) -> list[int]:
    """Processes on this machine whose command line is exactly `command` (in containers too, where the
    engine runs here: see processes_in_containers)."""
    wanted = b"\0".join(part.encode() for part in command) + b"\0"
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if (entry / "cmdline").read_bytes() == wanted:
                found.append(int(entry.name))
        except OSError:
            pass
    return found


def processes_in_containers(client, command: list[str], labels: dict[str, str]) -> list[str]:
    """Processes whose command line is `command`, in the running containers with these labels, as the
    engine sees them (where it runs on another machine too, unlike this machine's /proc)."""
    import docker

    from runner.sandbox.docker.labels import KIT_LABEL

    found = []
    wanted = [KIT_LABEL] + [f"{key}={value}" for key, value in labels.items()]
    for container in client.api.containers(filters={"label": wanted}):
        try:
            top = client.api.top(container["Id"], ps_args="-eo pid,args")
        except docker.errors.APIError:  # gone meanwhile: nothing runs in it
            continue
        column = top["Titles"].index("COMMAND") if "COMMAND" in top["Titles"] else -1
        found += [f"{container['Id'][:12]}: {row[column]}" for row in top.get("Processes") or []
                  if row[column].split() == command]
    return found
