"""The local backend: the host's own toolchains in a subprocess. For trusted code only."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager, nullcontext
from pathlib import Path

from runner import KitError
from runner.sandbox import build_cache, cores, noise
from runner.sandbox.backend import OUTPUT_LIMIT, Backend, Example, Outcome, Progress, fill_env, run_result
from runner.sandbox.run_context import RunContext
from runner.model.languages import Language
from runner.model.results import RunResult
from runner.model.services import READY_PREFIX, START_TIMEOUT, RunningService, ServiceSpec

NAME = "local"
# Every process of a run carries this variable, set to "<the kit's pid>-<run id>", and passes it on to
# its children: so the kit finds and kills a run's orphans too, even those in a session of their own.
RUN_VARIABLE = "ASYNC_ROSETTA_RUN"
BUILD_NICENESS = 10
# The service's priority: about twice a program's CPU weight (each step of niceness is about 1.25 times),
# as Docker's service containers get (SERVICE_CPU_SHARES), so that a starved server does not run out a
# program's deadline. Raising a priority needs root (CAP_SYS_NICE); without it the service runs as the
# programs do.
SERVICE_NICENESS = -3


def _raise_priority() -> None:
    try:
        os.nice(SERVICE_NICENESS)
    except PermissionError:
        pass


class _Capture(threading.Thread):
    def __init__(self, pipe, budget: "_Budget"):
        super().__init__(daemon=True)
        self.pipe, self.budget, self.data = pipe, budget, bytearray()

    def run(self) -> None:
        for chunk in iter(lambda: self.pipe.read1(65536), b""):
            self.data += chunk[: self.budget.take(len(chunk))]


class _Budget:
    """Output allowed to stdout and stderr together; calls `on_exceeded` once when passed."""

    def __init__(self, limit: int, on_exceeded):
        self.left, self.on_exceeded, self.exceeded = limit, on_exceeded, False
        self.lock = threading.Lock()

    def take(self, size: int) -> int:
        with self.lock:
            granted = min(size, self.left)
            self.left -= granted
            if granted < size and not self.exceeded:
                self.exceeded = True
                self.on_exceeded()
            return granted


class _PeakMemory(threading.Thread):
    """Samples the program's high-water resident memory (Linux /proc) until it ends.

    rusage from wait4 cannot serve: it keeps the parent's high-water mark from before exec.
    """

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.path, self.peak, self.done = Path(f"/proc/{pid}/status"), None, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                found = [line for line in self.path.read_text().splitlines() if line.startswith("VmHWM:")]
            except OSError:
                return
            if not found:
                return  # a zombie: the program has ended
            self.peak = max(self.peak or 0, int(found[0].split()[1]) * 1024)
            self.done.wait(0.005)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def marked_processes(marker: str) -> list[int]:
    """Processes whose environment carries RUN_VARIABLE starting with `marker` (Linux /proc; else none)."""
    needle = f"{RUN_VARIABLE}={marker}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue  # gone already, or not ours to read
        if any(item.startswith(needle) for item in environ.split(b"\0")):
            found.append(int(entry.name))
    return found


def _kill_run(pid: int, marker: str) -> None:
    """Kill the program's process group and every process that carries the run's marker."""
    _kill_group(pid)
    for _ in range(10):  # a process may fork while its siblings are being killed
        strays = marked_processes(marker)
        if not strays:
            return
        for stray in strays:
            try:
                os.kill(stray, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.01)


def run_process(command: list[str], cwd: Path, env: dict[str, str], timeout: float,
                limit: int = OUTPUT_LIMIT, niceness: int = 0) -> Outcome:
    """Run a command in its own process group with a timeout and an output cap (and a lower CPU
    priority, with `niceness`)."""
    pressure, machine = noise.cpu_pressure_us(), cores.cpu_times()
    started = time.monotonic()
    marker = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    proc = subprocess.Popen(command, cwd=cwd, env={**env, RUN_VARIABLE: marker}, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=(lambda: os.nice(niceness)) if niceness else None)
    budget = _Budget(limit, lambda: _kill_run(proc.pid, marker))
    readers = [_Capture(proc.stdout, budget), _Capture(proc.stderr, budget)]
    for reader in readers:
        reader.start()
    peak = _PeakMemory(proc.pid)
    peak.start()
    waited: dict = {}

    def wait() -> None:
        _, status, usage = os.wait4(proc.pid, 0)
        waited.update(status=status, ended=time.monotonic(), own_ms=(usage.ru_utime + usage.ru_stime) * 1000,
                      machine=cores.cpu_times())
        peak.done.set()

    waiter = threading.Thread(target=wait, daemon=True)
    waiter.start()
    try:
        waiter.join(timeout)
        timed_out = waiter.is_alive()
        if timed_out:
            _kill_run(proc.pid, marker)
            waiter.join()
    finally:
        _kill_run(proc.pid, marker)  # children that outlived the program go with it
        if waiter.is_alive():
            waiter.join(5)
    stall = noise.stall_ms(pressure, noise.cpu_pressure_us())
    for reader in readers:
        reader.join(5)
    status = waited.get("status", 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = (waited.get("ended", time.monotonic()) - started) * 1000
    after = waited.get("machine")
    others = noise.others_ms(after[0] - machine[0], after[1] - machine[1], os.cpu_count(), elapsed,
                             waited.get("own_ms")) if machine and after else None
    return Outcome(
        exit_code=proc.returncode,
        stdout=readers[0].data.decode("utf-8", "replace"),
        stderr=readers[1].data.decode("utf-8", "replace"),
        timed_out=timed_out,
        oom=False,
        truncated=budget.exceeded,
        process_ms=elapsed,
        wall_ms=elapsed,
        peak_memory_bytes=peak.peak,
        stall_ms=stall,
        cpu_ms=waited.get("own_ms"),
        other_cpu_ms=others,
    )


class LocalBackend(Backend):
    """Runs examples with the host's python3, node and dotnet, in a temporary folder."""

    name = NAME

    def __init__(self):
        self._versions: dict[str, str | None] = {}

    def problems(self, languages: list[Language], progress: Progress) -> list[str]:
        problems = []
        for language in languages:
            for tool in dict.fromkeys(command[0] for command in (language.build, language.run) if command):
                if shutil.which(tool) is None:
                    problems.append(f"{language.title}: `{tool}` is not on PATH; install it, or use "
                                    "`--backend docker`")
        return problems

    def runtime_version(self, language: Language) -> str | None:
        if language.name not in self._versions:
            try:
                done = subprocess.run(language.version, capture_output=True, text=True, timeout=60)
                lines = (done.stdout or done.stderr).strip().splitlines()
                self._versions[language.name] = lines[-1] if lines else None
            except (OSError, subprocess.TimeoutExpired):
                self._versions[language.name] = None
        return self._versions[language.name]

    @contextmanager
    def service(self, spec: ServiceSpec, image_language: Language, context: RunContext):
        """The service as a process of the kit's own Python, on a free port of 127.0.0.1."""
        proc = subprocess.Popen([sys.executable, "-u", str(spec.script), "--host", "127.0.0.1", "--port", "0"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, start_new_session=True, preexec_fn=_raise_priority)
        try:
            first: list[str] = []
            reader = threading.Thread(target=lambda: first.append(proc.stdout.readline()), daemon=True)
            reader.start()
            reader.join(START_TIMEOUT)
            line = first[0].strip() if first else ""
            if not line.startswith(READY_PREFIX):
                raise KitError(f"the service {spec.script.name} did not start within {START_TIMEOUT:g}s: "
                               f"{line or 'no output'}")
            yield RunningService(spec, f"http://127.0.0.1:{int(line[len(READY_PREFIX):])}")
        finally:
            _kill_group(proc.pid)
            proc.wait()

    def keep_warm(self):
        return nullcontext()  # a local process has no sandbox to keep

    def abort(self, run_id: str) -> None:
        """Kill every process that a run of this kit's process started."""
        for pid in marked_processes(f"{os.getpid()}-"):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    @contextmanager
    def example(self, language: Language, source: bytes, filename: str, timeout: float,
                context: RunContext, service: RunningService | None = None, fresh: bool = False):
        with tempfile.TemporaryDirectory(prefix="async-rosetta-") as tmp:
            yield _LocalExample(self, language, source, filename, timeout, Path(tmp), service)

    def compile(self, language: Language, source: bytes, filename: str, timeout: float,
                here: "_LocalExample") -> tuple[Outcome, dict[str, bytes]]:
        """Compile in the example's folder (`here`), at a lower CPU priority, as in Docker."""
        build_dir = here.folder / "build"
        outcome = run_process(language.command(language.build, str(here.source), str(build_dir)),
                              here.folder / "work", here.env, timeout, niceness=BUILD_NICENESS)
        return outcome, build_cache.read_folder(build_dir) if outcome.ended_well else {}


class _LocalExample(Example):
    def __init__(self, backend: LocalBackend, language: Language, source: bytes, filename: str,
                 timeout: float, folder: Path, service: RunningService | None):
        self.language, self.timeout, self.folder = language, timeout, folder
        self.version = backend.runtime_version(language)
        (folder / "src").mkdir()
        (folder / "build").mkdir()
        (folder / "work").mkdir()
        self.source = folder / "src" / filename
        self.source.write_bytes(source)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "HOME": str(folder),
            "TMPDIR": str(folder),
            "LANG": "C.UTF-8",
            **fill_env(language.env, str(folder)),
            **(service.env if service else {}),
        }
        toolchain = f"{NAME}:{shutil.which(language.run[0])}:{self.version}"
        self.build, files = backend.build(language, source, filename, timeout, toolchain, self,
                                          runtime_version=self.version)
        if self.build is not None and self.build.build_cached:  # the program from the cache, into its folder
            for name, data in files.items():
                (folder / "build" / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / "build" / name).write_bytes(data)

    def prepare(self) -> None:
        """Nothing to start ahead: a local run is a process."""

    def _run(self, repeat: int, env: dict[str, str]) -> RunResult:
        command = self.language.command(self.language.run, str(self.source), str(self.folder / "build"))
        outcome = run_process(command, self.folder / "work", {**self.env, **env}, self.timeout)
        # No memory or pids limit here: the local backend is for trusted code.
        return run_result(self.language, NAME, outcome, self.timeout, None, self.build,
                          runtime_version=self.version, repeat=repeat)
