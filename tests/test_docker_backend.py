"""The Docker backend: real containers, real compilers, real output."""
import pytest

from runner.run import workflow
from runner.model.lessons import load_lessons
from runner.model.results import Status
from tests.conftest import make_lesson

pytestmark = pytest.mark.docker


def test_kitchen_runs_in_three_containers_and_is_equivalent(docker_backend, lessons, registry, no_leftovers,
                                                            empty_build_cache):
    report = workflow.run_lesson(lessons["kitchen"], list(registry.languages.values()), docker_backend)
    assert [r.status for r in report.runs] == [Status.OK] * 3, report.diff
    assert report.equivalent, report.diff
    for run in report.runs:
        assert run.backend == "docker" and run.image
        # The program's last time stamp: never before its sleeps end; how far past is `equivalent`'s to judge.
        assert run.run_ms >= 1900
        assert run.process_ms >= run.run_ms
        assert run.peak_memory_bytes > 1_000_000
        assert run.runtime_version and run.runtime_version != "unknown"
    csharp = report.runs_of("csharp")[0]
    assert csharp.build_ms > 0 and not csharp.build_cached
    assert csharp.runtime_version.startswith("10.")


def test_the_sandbox_is_hardened(docker_backend, tmp_path, registry, monkeypatch, no_leftovers):
    monkeypatch.setenv("ASYNC_ROSETTA_SECRET", "do-not-leak")
    make_lesson(tmp_path, "probe", {"python/probe.py": """
import os
print("uid", os.getuid())
print("interfaces", sorted(os.listdir("/sys/class/net")))
print("secret", "ASYNC_ROSETTA_SECRET" in os.environ)
caps = [l for l in open("/proc/self/status") if l.startswith("CapEff")][0].split()[1]
print("capabilities", caps)
for path in ("/etc/probe", "/usr/probe", "/tmp/probe", "/work/probe", __file__):
    try:
        open(path, "w").write("x")
        print("writable", path)
    except OSError:
        print("read-only", path)
import resource
print("no-new-privileges", [l for l in open("/proc/self/status") if l.startswith("NoNewPrivs")][0].split()[1])
print("core files", resource.getrlimit(resource.RLIMIT_CORE))
for path in ("/tmp", "/work", "/job"):
    size = os.statvfs(path)
    print("tmpfs", path, size.f_blocks * size.f_frsize // 2**20, "MB")
"""})
    lesson = load_lessons(registry, tmp_path / "lessons")["probe"]
    run = workflow.run_lesson(lesson, registry.select("python"), docker_backend).runs[0]
    assert run.status is Status.OK, run.message + run.stderr
    lines = run.stdout.splitlines()
    assert "uid 1000" in lines
    assert "interfaces ['lo']" in lines
    assert "secret False" in lines
    assert "capabilities 0000000000000000" in lines
    assert {"read-only /etc/probe", "read-only /usr/probe", "writable /tmp/probe", "writable /work/probe",
            "read-only /job/src/probe.py"} <= set(lines)  # its own source, which travelled in its command
    assert "no-new-privileges 1" in lines  # not even a setuid binary gains a privilege
    assert "core files (0, 0)" in lines  # a crash writes no core file into /work's memory
    assert {"tmpfs /tmp 256 MB", "tmpfs /work 64 MB", "tmpfs /job 16 MB"} <= set(lines)  # small writable places


def test_timeout_is_enforced_from_the_host(docker_backend, tmp_path, registry, no_leftovers):
    make_lesson(tmp_path, "hang", {"javascript/hang.mjs": "console.log('[0.0s] started');\nsetInterval(() => {}, 1000);\n"},
                extra="timeout: 1\n")
    lesson = load_lessons(registry, tmp_path / "lessons")["hang"]
    run = workflow.run_lesson(lesson, registry.select("javascript"), docker_backend).runs[0]
    assert run.status is Status.TIMEOUT
    assert run.stdout == "[0.0s] started\n"
    # Stopped at the timeout, within the wrapper's grace (scripts.GRACE) and a second for the engine.
    assert run.process_ms / 1000 < 1 + 2


def test_memory_and_output_limits(docker_backend, tmp_path, registry, no_leftovers):
    make_lesson(tmp_path, "hungry", {"python/hungry.py": "blocks = []\nwhile True:\n    blocks.append(bytearray(50_000_000))\n"})
    make_lesson(tmp_path, "chatty", {"python/chatty.py": "while True:\n    print('y' * 10000)\n"})
    lessons = load_lessons(registry, tmp_path / "lessons")
    hungry = workflow.run_lesson(lessons["hungry"], registry.select("python"), docker_backend).runs[0]
    assert hungry.status is Status.OOM and "256 MB" in hungry.message
    chatty = workflow.run_lesson(lessons["chatty"], registry.select("python"), docker_backend).runs[0]
    assert chatty.status is Status.OUTPUT_LIMIT and chatty.truncated and chatty.stdout.startswith("y" * 100)


def test_a_csharp_compile_error_is_build_failed_with_the_compilers_message(docker_backend, tmp_path, registry,
                                                                         no_leftovers):
    make_lesson(tmp_path, "typo", {"csharp/typo.cs": "Console.WriteLine(\"[0.0s] hi\")\n"})
    lesson = load_lessons(registry, tmp_path / "lessons")["typo"]
    run = workflow.run_lesson(lesson, registry.select("csharp"), docker_backend).runs[0]
    assert run.status is Status.BUILD_FAILED and "CS1002" in run.message
    assert "csharp/typo.cs(1," in run.message and "/job/" not in run.message + run.build_output  # the author's file
    assert run.stdout == "" and run.process_ms is None


def test_a_build_runs_in_a_container_with_the_build_limits(docker_backend, tmp_path, registry, no_leftovers,
                                                           monkeypatch):
    """The C# build's container when it is not built in the compiler server (tests/test_compiler_server.py
    checks that one's), seen by the engine while it builds: the build limits of the language registry, a
    low CPU weight, and the sandbox's hardening (no network, read-only, no capabilities, no new privileges)."""
    import threading
    import uuid

    from runner.sandbox.docker.compiler import SWITCH

    monkeypatch.setenv(SWITCH, "off")
    from runner.sandbox.docker.containers import BUILD_CPU_SHARES
    from runner.sandbox.docker.labels import LESSON_LABEL, PHASE_LABEL

    source = f'// {uuid.uuid4()}: a source no cache has seen\nConsole.WriteLine("[0.0s] built");\n'
    make_lesson(tmp_path, "built", {"csharp/built.cs": source})
    lesson = load_lessons(registry, tmp_path / "lessons")["built"]
    seen, done = [], threading.Event()

    def watch():
        client = docker_backend.client
        while not done.is_set() and not seen:
            for container in client.api.containers(filters={"label": f"{PHASE_LABEL}=build"}):
                if container["Labels"].get(LESSON_LABEL) == "built":
                    try:
                        seen.append(client.api.inspect_container(container["Id"])["HostConfig"])
                    except Exception:  # docker.errors.NotFound: it ended meanwhile; the next one is looked at
                        pass
            done.wait(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        run = workflow.run_lesson(lesson, registry.select("csharp"), docker_backend).runs[0]
    finally:
        done.set()
        watcher.join()
    assert run.status is Status.OK and run.stdout == "[0.0s] built\n", run.message + run.build_output
    assert seen, "the build's container was never seen running"
    host, limits = seen[0], registry.get("csharp").build_limits
    assert host["Memory"] == limits.memory_mb * 2**20 and host["PidsLimit"] == limits.pids
    assert host["CpuShares"] == BUILD_CPU_SHARES
    assert host["NetworkMode"] == "none" and host["ReadonlyRootfs"] is True
    assert host["CapDrop"] == ["ALL"] and "no-new-privileges" in host["SecurityOpt"]
