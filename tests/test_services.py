"""Services a lesson asks for: the kit's slow API, reachable from the examples and from nowhere else."""
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer

import pytest

from runner.run import workflow
from runner.sandbox.api_server import SlowApi
from runner.model.lessons import load_lessons
from runner.model.results import Status
from tests.conftest import make_lesson

PROBE = """
import json, os, time, urllib.request
start = time.perf_counter()
with urllib.request.urlopen(os.environ["API_URL"] + "/delay?ms=300&name=probe") as answer:
    print(answer.status, json.load(answer))
print(f"waited {time.perf_counter() - start:.1f}s")
# The gateway of the container's network is an address of this machine, where the test listens.
import socket, struct
routes = [line.split() for line in open("/proc/net/route").readlines()[1:]]
gateways = [socket.inet_ntoa(struct.pack("<L", int(r[2], 16))) for r in routes if r[1] == "00000000"]
for gateway in gateways or ["172.17.0.1"]:
    try:
        socket.create_connection((gateway, HOST_PORT), timeout=2).close()
        print("host reachable")
    except OSError:
        print("host unreachable")
"""


@pytest.fixture
def listener():
    """A TCP listener on every address of this machine: the one place a probe may try to reach."""
    with socket.create_server(("0.0.0.0", 0)) as server:
        yield server.getsockname()[1]


@pytest.fixture
def probe(tmp_path, registry, listener):
    make_lesson(tmp_path, "probe", {"python/probe.py": PROBE.replace("HOST_PORT", str(listener))},
                extra="service: api\n")
    return load_lessons(registry, tmp_path / "lessons")["probe"]


def _check(run):
    assert run.status is Status.OK, run.message + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "200 {'name': 'probe', 'ms': 300}"
    # The API waited its 300 ms (never less); how much longer a busy machine took is not the kit's.
    assert lines[1].startswith("waited ") and float(lines[1][len("waited "):-1]) >= 0.3, lines[1]
    return lines


@pytest.mark.local
def test_the_api_answers_on_the_local_backend(probe, registry, local_backend):
    _check(workflow.run_lesson(probe, registry.select("python"), local_backend).runs[0])


@pytest.mark.docker
def test_the_api_is_all_an_example_reaches_in_docker(probe, registry, docker_backend, no_leftovers):
    lines = _check(workflow.run_lesson(probe, registry.select("python"), docker_backend).runs[0])
    assert lines[2:] == ["host unreachable"]


def test_an_unknown_service_is_a_lesson_problem(tmp_path, registry):
    from runner.model.lessons import InvalidLessons

    make_lesson(tmp_path, "probe", {"python/probe.py": "print(1)\n"}, extra="service: database\n")
    with pytest.raises(InvalidLessons, match=r"service: expected the name of a service .* one of api, got 'database'"):
        load_lessons(registry, tmp_path / "lessons")


@pytest.fixture
def api():
    """The kit's API in this process, on a free port of 127.0.0.1: its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowApi)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _get(url: str, timeout: float) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_flaky_answers_503_then_nothing_then_200_per_key(api):
    first = f"{api}/flaky?key=first&ms=100"
    started = time.perf_counter()
    assert _get(first, timeout=5) == (503, {"error": "try again", "key": "first"})
    assert time.perf_counter() - started >= 0.1  # it waited its 100 ms, as /delay does
    with pytest.raises(TimeoutError):  # the second call gets no answer at all
        _get(first, timeout=0.5)
    assert _get(first, timeout=5) == (200, {"key": "first", "calls": 3})
    assert _get(first, timeout=5) == (200, {"key": "first", "calls": 4})
    # Another key starts again from the first call; the hung call left the server answering.
    assert _get(f"{api}/flaky?key=second&ms=0", timeout=5) == (503, {"error": "try again", "key": "second"})
    assert _get(f"{api}/delay?ms=0&name=oslo", timeout=5) == (200, {"name": "oslo", "ms": 0})
