"""The C# compiler server (runner/sandbox/docker/compiler.py): builds in it are the builds a container of its
own makes, byte for byte, with the same diagnostics; its container is hardened and ends itself when idle;
a source that could run commands at build time never reaches it."""
import threading
import time
import uuid
from dataclasses import replace

import docker.errors
import pytest

from runner.model.languages import CompilerServer
from runner.sandbox.docker import compiler
from runner.sandbox.docker.containers import BUILD_CPU_SHARES
from runner.sandbox.docker.labels import PHASE_LABEL
from runner.sandbox.docker.scripts import INLINE_LIMIT
from runner.sandbox.run_context import RunContext

pytestmark = pytest.mark.docker

PROGRAM = 'Console.WriteLine("[0.0s] {word}");\nawait Task.Delay(10);\n'


def _build(backend, csharp, source: bytes, filename: str = "built.cs"):
    image = backend.image(csharp)
    return backend.compile(csharp, source, filename, 60, (image, RunContext(f"test-{uuid.uuid4().hex[:8]}")))


def _fresh(monkeypatch):
    monkeypatch.setenv(compiler.SWITCH, "off")


@pytest.fixture
def own_csharp(docker_backend, registry):
    """C# under a name of the test's own, so that its compiler server is the test's alone: the tests that stop
    it, or look into it, leave the server other tests build in alone. Removed after the test."""
    csharp = replace(registry.get("csharp"), name=f"csharp-{uuid.uuid4().hex[:8]}")
    docker_backend.image(csharp)
    yield csharp
    compiler.stop_server(docker_backend.client, csharp.name, docker_backend.image_id(csharp))


def _stop(backend, csharp):
    compiler.stop_server(backend.client, csharp.name, backend.image_id(csharp))


def test_a_build_in_the_server_is_the_build_of_a_container_of_its_own(docker_backend, registry, monkeypatch,
                                                                    no_leftovers):
    csharp = registry.get("csharp")
    source = PROGRAM.format(word=uuid.uuid4().hex).encode()
    wrong = b'int x = "a";\nConsole.WriteLine(x);\n'
    served, served_files = _build(docker_backend, csharp, source)
    refused, _ = _build(docker_backend, csharp, wrong, "wrong.cs")
    _fresh(monkeypatch)
    fresh, fresh_files = _build(docker_backend, csharp, source)
    refused_fresh, _ = _build(docker_backend, csharp, wrong, "wrong.cs")
    assert served.exit_code == fresh.exit_code == 0, served.stderr
    assert served_files == fresh_files  # the program, its symbols and its runtimeconfig.json, byte for byte
    said = lambda outcome: (outcome.stdout + outcome.stderr).strip()  # noqa: E731
    assert refused.exit_code == refused_fresh.exit_code == 1
    assert said(refused) == said(refused_fresh) and "/job/src/wrong.cs(1,9): error CS0029" in said(refused)


def test_builds_at_once_share_one_server_and_keep_apart(docker_backend, own_csharp, no_leftovers):
    csharp = own_csharp
    words = [uuid.uuid4().hex for _ in range(4)]
    built = {}

    def build(word):
        built[word] = _build(docker_backend, csharp, PROGRAM.format(word=word).encode())

    threads = [threading.Thread(target=build, args=(word,)) for word in words]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for word in words:
        outcome, files = built[word]
        assert outcome.exit_code == 0, outcome.stderr
        assert word.encode("utf-16-le") in files["built.dll"]  # its own program: the string is its own
        assert not any(other.encode("utf-16-le") in files["built.dll"] for other in words if other != word)
    image_id = docker_backend.image_id(csharp)
    servers = docker_backend.client.api.containers(filters={"label": f"{PHASE_LABEL}={compiler.PHASE}",
                                                            "name": compiler.server_name(csharp.name, image_id)})
    assert len(servers) <= 1  # never two (an `invoke clean` of another test may have removed it meanwhile)


def test_the_server_is_hardened_and_ends_itself_when_idle(docker_backend, registry):
    csharp = replace(registry.get("csharp"), compiler_server=CompilerServer(idle_seconds=6, fresh_exit=86))
    client, image = docker_backend.client, docker_backend.image(csharp)
    name = f"async-rosetta-compiler-test-{uuid.uuid4().hex[:8]}"
    compiler.ensure_server(client, csharp, image, name)
    try:
        host = client.api.inspect_container(name)["HostConfig"]
        limits = csharp.build_limits
        assert host["Memory"] == limits.memory_mb * 2**20 and host["PidsLimit"] == limits.pids
        assert host["CpuShares"] == BUILD_CPU_SHARES and host["NetworkMode"] == "none"
        assert host["ReadonlyRootfs"] is True and host["CapDrop"] == ["ALL"]
        assert "no-new-privileges" in host["SecurityOpt"] and host["AutoRemove"] is True
        assert client.api.inspect_container(name)["Config"]["User"] == "1000:1000"
        compiler.ensure_server(client, csharp, image, name)  # running already: the same one
        # Idle 6 s, looked at every 5 s: gone within about 11 s; 60 s allows for a busy machine.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                client.api.inspect_container(name)
            except docker.errors.NotFound:
                break
            time.sleep(1)
        else:
            raise AssertionError(f"{name} still there 60 s after it became idle")
    finally:
        try:
            client.api.remove_container(name, force=True)
        except docker.errors.NotFound:
            pass  # it ended, as it should


def test_a_server_stopped_meanwhile_is_started_again(docker_backend, own_csharp, no_leftovers):
    csharp = own_csharp
    first, _ = _build(docker_backend, csharp, PROGRAM.format(word=uuid.uuid4().hex).encode())
    _stop(docker_backend, csharp)  # as `invoke clean`, or its idle end, would
    again, files = _build(docker_backend, csharp, PROGRAM.format(word=uuid.uuid4().hex).encode())
    assert first.exit_code == again.exit_code == 0 and "built.dll" in files, again.stderr


def test_what_the_server_must_not_build_is_built_in_a_container_of_its_own(docker_backend, own_csharp):
    """A source with `#:` directives goes to `dotnet build` (MSBuild can run commands: a PreBuildEvent), and
    one too big for an argument cannot travel: the server refuses both, and the backend builds them alone."""
    csharp = own_csharp
    client, image = docker_backend.client, docker_backend.image(csharp)
    image_id = docker_backend.image_id(csharp)
    directive = b'#:property PreBuildEvent=touch /work/owned\nConsole.WriteLine("[0.0s] hi");\n'
    with pytest.raises(compiler.ServerUnavailable, match="exit code 86"):
        compiler.build(client, csharp, image, image_id, directive, "directive.cs", 60, 1_000_000)
    big = b"// " + b"x" * INLINE_LIMIT + b"\n"
    with pytest.raises(compiler.ServerUnavailable, match="too big"):
        compiler.build(client, csharp, image, image_id, big, "big.cs", 60, 1_000_000)
    name = compiler.server_name(csharp.name, image_id)
    probe = client.api.exec_create(name, ["sh", "-c", "ls /work/owned /work/jobs/*/src/directive.cs 2>&1"])["Id"]
    assert client.api.exec_start(probe).decode().count("No such file") == 2  # nothing ran; its job folder is gone


def test_builds_while_the_server_is_stopped_again_and_again_all_end_well(docker_backend, own_csharp, no_leftovers):
    """`invoke clean`, an idle end or another test may remove the server in the middle of a build: that build
    goes to a container of its own, never to a failed build."""
    csharp = own_csharp
    stop = threading.Event()

    def stopper():
        while not stop.wait(0.5):
            _stop(docker_backend, csharp)

    thread = threading.Thread(target=stopper)
    thread.start()
    try:
        built = [_build(docker_backend, csharp, PROGRAM.format(word=uuid.uuid4().hex).encode()) for _ in range(6)]
    finally:
        stop.set()
        thread.join()
    assert [outcome.exit_code for outcome, _ in built] == [0] * 6, [o.stderr for o, _ in built]
    assert all("built.dll" in files for _, files in built)
