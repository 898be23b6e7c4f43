"""What every backend does: prepare an example (build it if need be), run it, say how it went."""
from __future__ import annotations

import re
import signal
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Callable, ContextManager, Mapping

from runner import EnvironmentProblem
from runner.model.languages import Language
from runner.model.results import RunResult, Status
from runner.model.services import RunningService, ServiceSpec
from runner.sandbox import build_cache, slots
from runner.sandbox.run_context import RunContext

OUTPUT_LIMIT = 1_000_000  # bytes of stdout and stderr together, per run
Progress = Callable[[str], None]
# What a learner should know about the signals that usually end a program.
SIGNAL_HINTS = {
    "SIGSEGV": "a segmentation fault: it read or wrote memory that is not its own",
    "SIGBUS": "a bus error: it touched memory that cannot be there",
    "SIGABRT": "it aborted itself, as a runtime does on a fatal error",
    "SIGFPE": "an arithmetic error such as an integer division by zero",
    "SIGKILL": "killed from outside",
}


class BackendUnavailable(EnvironmentProblem):
    """The backend itself stopped working (say, the Docker engine went away): nothing more runs on it.

    `summary` is the few words shown beside each run that could not happen."""

    def __init__(self, message: str, summary: str = ""):
        super().__init__(message)
        self.summary = summary or message


@dataclass(frozen=True)
class Outcome:
    """How one process ended, whatever ran it."""

    exit_code: int | None
    stdout: str
    stderr: str
    timed_out: bool
    oom: bool
    truncated: bool
    process_ms: float | None  # the program's own wall time
    wall_ms: float  # the program plus the backend's own overhead
    peak_memory_bytes: int | None
    pids_refused: int = 0  # new processes or threads the sandbox's pids limit refused
    stall_ms: float | None = None  # the machine's CPU wait during the run (runner/sandbox/noise.py); None: unknown
    cpu_ms: float | None = None  # the program's own CPU time, all its threads and processes; None: unknown
    other_cpu_ms: float | None = None  # CPU time other work took during the run (noise.others_ms); None: unknown

    @property
    def ended_well(self) -> bool:
        """Exited with 0, in time and within its memory (a build that did made a program)."""
        return self.exit_code == 0 and not self.timed_out and not self.oom


class Example(ABC):
    """An example made ready to run (copied into its sandbox and, for C#, built)."""

    build: RunResult | None = None  # the build's result, when the language builds

    def prepare(self) -> None:
        """Start what its first run needs (a warm container, say), so that no timed run waits for it."""

    @property
    def build_failed(self) -> bool:
        """Whether its build gave no program: then there is nothing to run."""
        return self.build is not None and self.build.status is not Status.OK

    def run(self, repeat: int, env: Mapping[str, str] | None = None) -> RunResult:
        """One run of the program, with `env` added to its environment (an exercise's scenario, say); a
        failed build stops it, and is the result of every run."""
        return self.build.with_(repeat=repeat) if self.build_failed else self._run(repeat, dict(env or {}))

    @abstractmethod
    def _run(self, repeat: int, env: dict[str, str]) -> RunResult:
        """One run of the built program, in the backend's sandbox, `env` added to its environment."""


class Backend(ABC):
    """Where examples run. It owns the build phase's steps (`build`); each backend brings its way to
    compile (`compile`), to run (`example`) and to start a service."""

    name: str

    @abstractmethod
    def problems(self, languages: list[Language], progress: Progress) -> list[str]:
        """Problems that keep these languages from running here, each with what to do."""

    @abstractmethod
    def runtime_version(self, language: Language) -> str | None: ...

    @abstractmethod
    def service(self, spec: ServiceSpec, image_language: Language,
                context: RunContext) -> ContextManager[RunningService]:
        """Start a service a lesson needs; examples run while it is up reach it through its env."""

    @abstractmethod
    def example(self, language: Language, source: bytes, filename: str, timeout: float,
                context: RunContext, service: RunningService | None = None,
                fresh: bool = False) -> ContextManager[Example]:
        """An example made ready; `fresh`: each run in a sandbox of its own even inside `keep_warm`."""

    @abstractmethod
    def keep_warm(self) -> ContextManager[None]:
        """Within the block, examples may run in sandboxes kept up between runs (faster to start)."""

    @abstractmethod
    def abort(self, run_id: str) -> None:
        """Stop everything a run has going, from another thread: its runs end at once, as failed."""

    def stop_compilers(self) -> None:
        """Stop the compilers kept warm between builds, if the backend keeps any: the next build starts one."""

    def prepare_next(self, detached: bool = False) -> None:
        """Make ready, when nothing is timed, what the next runs like the ones so far will want, if the
        backend keeps anything ready; `detached`: in a process of its own, so that this one may end now."""

    def build(self, language: Language, source: bytes, filename: str, timeout: float, toolchain: str,
              here: Any, **facts) -> tuple[RunResult | None, dict[str, bytes]]:
        """The build phase: the build's result (None when the language does not build) and the program's
        files (none after a failed build), taken from the build cache, or compiled `here` and then kept in
        it. `toolchain` names what compiles (the same toolchain always builds the same program); `facts`
        (the runtime's version, ...) go into the result."""
        if not language.build:
            return None, {}
        entry = build_cache.key(language, source, filename, toolchain)
        files = build_cache.get(entry)
        if files is not None:
            return cached_build(language, self.name, **facts), files
        limits = language.build_limits
        timeout = limits.timeout or timeout
        slots.wait_for_gate()  # a build never starts while a program is timed alone
        outcome, files = self.compile(language, source, filename, timeout, here)
        result = build_result(language, self.name, outcome, timeout, limits.memory_mb, **facts)
        if result.status is not Status.OK:
            return result, {}
        build_cache.put(entry, files)
        return result, files

    @abstractmethod
    def compile(self, language: Language, source: bytes, filename: str, timeout: float,
                here: Any) -> tuple[Outcome, dict[str, bytes]]:
        """Compile `source` `here` (where the backend's `example` builds: a folder, an image and a run...)
        at a low CPU priority: how the build ended, and the program's files if it ended well."""


def _signal_name(code: int) -> str | None:
    number = code - 128 if code > 128 else -code if code < 0 else 0
    try:
        return signal.Signals(number).name if number else None
    except ValueError:
        return None


def fill_env(env: tuple[tuple[str, str], ...], home: str) -> dict[str, str]:
    return {k: v.replace("{home}", home) for k, v in env}


def build_result(language: Language, backend: str, outcome: Outcome, timeout: float, memory_mb: int,
                 **common) -> RunResult:
    """The result of a build phase: ok, or why the build did not produce a program."""
    output = (outcome.stdout + outcome.stderr).strip()
    base = dict(language=language.name, backend=backend, exit_code=outcome.exit_code,
                build_output=output, build_ms=outcome.process_ms or outcome.wall_ms, **common)
    if outcome.timed_out:
        return RunResult(status=Status.TIMEOUT, message=f"the build took longer than {timeout:g}s", **base)
    if outcome.oom:
        return RunResult(status=Status.OOM, message=f"the build ran out of memory (limit {memory_mb} MB)", **base)
    if outcome.exit_code != 0:
        errors = [line for line in output.splitlines() if re.search(r"\berror\b", line)]
        summary = "\n".join(dict.fromkeys(errors)) or output[-2000:]
        return RunResult(status=Status.BUILD_FAILED, message=f"the build failed:\n{summary}", **base)
    return RunResult(status=Status.OK, **base)


def cached_build(language: Language, backend: str, **common) -> RunResult:
    """The result of a build phase that the build cache made unnecessary."""
    return RunResult(language=language.name, backend=backend, status=Status.OK, build_ms=0.0, build_cached=True,
                     **common)


def run_result(language: Language, backend: str, outcome: Outcome, timeout: float, memory_mb: int | None,
               build: RunResult | None, pids: int | None = None, **common) -> RunResult:
    """The result of a run: the status that explains how the program ended."""
    base = dict(
        language=language.name, backend=backend, exit_code=outcome.exit_code, stdout=outcome.stdout,
        stderr=outcome.stderr, process_ms=outcome.process_ms if outcome.process_ms is not None
        else outcome.wall_ms, wall_ms=outcome.wall_ms, peak_memory_bytes=outcome.peak_memory_bytes,
        truncated=outcome.truncated, stall_ms=outcome.stall_ms, cpu_ms=outcome.cpu_ms,
        other_cpu_ms=outcome.other_cpu_ms,
        build_ms=build.build_ms if build else None, build_output=build.build_output if build else "",
        build_cached=build.build_cached if build else False,
        **common,
    )
    status, message = _status_of_run(language, outcome, timeout, memory_mb)
    if outcome.pids_refused and pids:
        refused = (f"it tried to run more than {pids} processes and threads at once (the sandbox's pids "
                   f"limit), which refused {outcome.pids_refused} of them")
        message = f"{message}; {refused}" if message else refused
    return RunResult(status=status, message=message, **base)


def _status_of_run(language: Language, outcome: Outcome, timeout: float,
                   memory_mb: int | None) -> tuple[Status, str]:
    """The status that explains how a program ended, and the words that say why."""
    limit = f"limit {memory_mb} MB" if memory_mb else "no limit here: the machine's own memory ran short"
    if outcome.truncated:
        return Status.OUTPUT_LIMIT, (f"the program printed more than {OUTPUT_LIMIT // 1000} kB; it was "
                                     "stopped and the first part of its output is kept")
    if outcome.timed_out:
        return Status.TIMEOUT, (f"the program was still running after {timeout:g}s (the lesson's timeout) "
                                "and was stopped")
    if outcome.oom:
        return Status.OOM, f"the program ran out of memory ({limit}) and was stopped"
    # The runtime's own words (its registry entry's out_of_memory) for giving up before the kernel stopped it.
    if outcome.exit_code != 0 and language.ran_out_of_memory(outcome.stderr[-4000:]):
        return Status.OOM, f"the program ran out of memory ({limit}): its runtime gave up"
    if outcome.exit_code != 0:
        name = _signal_name(outcome.exit_code or 0)
        if name:
            hint = SIGNAL_HINTS.get(name)
            return Status.FAILED, f"the program was killed by {name}" + (f" ({hint})" if hint else "")
        return Status.FAILED, f"the program exited with code {outcome.exit_code}"
    return Status.OK, ""


def shown_paths(result: RunResult, filename: str, shown: str) -> RunResult:
    """The result as its author reads it: the example's path in the sandbox (every backend puts it at
    <a folder of its own>/src/<filename>: /job/src/, a warm container's job folder, a local temporary
    folder, or the folder a cached C# program was built in) replaced by `shown`, the file's own path, in
    the messages, the compiler's lines and the tracebacks. The output the lesson compares is left as printed."""
    sandboxed = re.compile(r"(?:file://)?(?:/[^\s/\"'()]+)*/src/" + re.escape(filename) + r"(?![\w.])")
    mapped = {name: sandboxed.sub(lambda _: shown, getattr(result, name))
              for name in ("message", "stderr", "build_output")}
    return result.with_(**mapped) if any(mapped[n] != getattr(result, n) for n in mapped) else result


def version_tuple(text: str) -> tuple[int, ...]:
    match = re.search(r"\d+(?:\.\d+)*", text or "")
    return tuple(int(p) for p in match.group(0).split(".")) if match else ()


def too_old(version: str | None, required: str | None) -> bool:
    if not required or not version:
        return False
    have, need = version_tuple(version), version_tuple(required)
    return have[: len(need)] < need
