"""What every backend does: prepare an example (build it if need be), run it, say how it went."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, ContextManager, Protocol

from runner.languages import Language
from runner.results import RunResult, Status
from runner.services import RunningService, ServiceSpec

OUTPUT_LIMIT = 1_000_000  # bytes of stdout and stderr together, per run
Progress = Callable[[str], None]


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


class Example(Protocol):
    """An example made ready to run (copied into its sandbox and, for C#, built)."""

    build: RunResult | None  # the build's result, when the language builds

    def run(self, repeat: int) -> RunResult: ...


class Backend(Protocol):
    name: str

    def check(self, languages: list[Language], progress: Progress) -> list[str]:
        """Problems that keep these languages from running here, each with what to do."""

    def runtime_version(self, language: Language) -> str | None: ...

    def service(self, spec: ServiceSpec, image_language: Language,
                labels: dict[str, str]) -> ContextManager[RunningService]:
        """Start a service a lesson needs; examples run while it is up reach it through its env."""

    def example(self, language: Language, source: bytes, filename: str, timeout: float,
                labels: dict[str, str], service: RunningService | None = None) -> "ExampleContext": ...


class ExampleContext(Protocol):
    def __enter__(self) -> Example: ...
    def __exit__(self, *exc) -> None: ...


def _signal_name(code: int) -> str | None:
    import signal

    if code > 128:
        try:
            return signal.Signals(code - 128).name
        except ValueError:
            return None
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return None
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


def run_result(language: Language, backend: str, outcome: Outcome, timeout: float, memory_mb: int,
               build: RunResult | None, **common) -> RunResult:
    """The result of a run: the status that explains how the program ended."""
    base = dict(
        language=language.name, backend=backend, exit_code=outcome.exit_code, stdout=outcome.stdout,
        stderr=outcome.stderr, process_ms=outcome.process_ms if outcome.process_ms is not None
        else outcome.wall_ms, wall_ms=outcome.wall_ms, peak_memory_bytes=outcome.peak_memory_bytes,
        truncated=outcome.truncated,
        build_ms=build.build_ms if build else None, build_output=build.build_output if build else "",
        **common,
    )
    if outcome.truncated:
        return RunResult(status=Status.OUTPUT_LIMIT, message=(
            f"the program printed more than {OUTPUT_LIMIT // 1000} kB; it was stopped and the first "
            "part of its output is kept"), **base)
    if outcome.timed_out:
        return RunResult(status=Status.TIMEOUT, message=(
            f"the program was still running after {timeout:g}s (the lesson's timeout) and was stopped"),
            **base)
    if outcome.oom:
        return RunResult(status=Status.OOM, message=f"the program ran out of memory (limit {memory_mb} MB)",
                         **base)
    if outcome.exit_code != 0:
        signal = _signal_name(outcome.exit_code or 0)
        how = f"was killed by {signal}" if signal else f"exited with code {outcome.exit_code}"
        return RunResult(status=Status.FAILED, message=f"the program {how}", **base)
    return RunResult(status=Status.OK, **base)


def version_tuple(text: str) -> tuple[int, ...]:
    match = re.search(r"\d+(?:\.\d+)*", text or "")
    return tuple(int(p) for p in match.group(0).split(".")) if match else ()


def too_old(version: str | None, required: str | None) -> bool:
    if not required or not version:
        return False
    have, need = version_tuple(version), version_tuple(required)
    return have[: len(need)] < need
