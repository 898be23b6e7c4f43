"""What a sandboxed program printed, read as it runs and up to the output limit, and how it ended: its
output and what its wrapper reported in the line that starts with MARK."""
from __future__ import annotations

import threading
from typing import Callable

import docker.errors
import requests.exceptions

from runner.sandbox import noise
from runner.sandbox.backend import Outcome

MARK = "#async-rosetta#"  # starts the wrapper's report, the last line of stderr (the scripts' $MARK)
# What a warm container's wrapper prints on stdout, again and again, until the host has read it: only then
# does the program start (exec_wrapper.sh; runner/sandbox/docker/warm.py says why).
READY = f"{MARK} ready\n".encode()


class OutputReader(threading.Thread):
    """Reads a container's stdout and stderr until it ends or the output limit is passed."""

    def __init__(self, stream, limit: int, on_limit: Callable[[], None], handshake: bool = False):
        super().__init__(daemon=True)
        self.limit, self.on_limit = limit, on_limit
        self.out, self.err = bytearray(), bytearray()
        self.truncated = False
        self.stream = stream  # pairs of (stdout, stderr) chunks, either of them None
        # With `handshake`, stdout starts with READY lines (and perhaps part of one, where the engine lost
        # the first bytes): `ready` is set when one has come whole, and they are not the program's output.
        self.ready = threading.Event()
        self.handshake = handshake

    def run(self) -> None:
        try:
            for out, err in self.stream:
                for chunk, buffer in ((out, self.out), (err, self.err)):
                    if not chunk:
                        continue
                    room = self.limit - len(self.out) - len(self.err)
                    buffer += chunk[: max(room, 0)]
                    if self.handshake and buffer is self.out and not self.ready.is_set() and READY in self.out:
                        self.ready.set()
                    if len(chunk) > room and not self.truncated:
                        self.truncated = True
                        # Kill from another thread and keep draining: the engine cannot stop a
                        # container whose output nobody reads, so a kill from here would hang.
                        threading.Thread(target=self.on_limit, daemon=True).start()
        except (docker.errors.DockerException, requests.exceptions.RequestException, OSError):
            pass  # the container was killed or removed: what was read is kept

    def program_stdout(self) -> bytes:
        """What the program wrote on stdout: with a handshake, what follows the READY lines."""
        out = bytes(self.out)
        if not self.handshake:
            return out
        at = out.find(READY)
        if at < 0:
            return b""  # the program never started
        at += len(READY)
        while out.startswith(READY, at):
            at += len(READY)
        return out[at:]


def parse_mark(stderr: str) -> tuple[str, dict[str, str]]:
    """The program's own stderr, and the wrapper's report (key=value pairs) that follows it."""
    head, sep, tail = stderr.rpartition(MARK)
    if not sep:
        return stderr, {}
    values = dict(part.split("=", 1) for part in tail.split() if "=" in part)
    return (head[:-1] if head.endswith("\n") else head), values


def _number(values: dict[str, str], key: str) -> int | None:
    return int(values[key]) if values.get(key, "").isdigit() else None


def outcome_of(reader: OutputReader, exit_code: int | None, timed_out: bool, wall_ms: float,
               oom: bool = False) -> Outcome:
    """How a program ended, from what it printed and what its wrapper reported. Only the wrapper of a
    container of its own reports the peak memory: a warm container's spans every run in it."""
    stderr, mark = parse_mark(reader.err.decode("utf-8", "replace"))
    centiseconds = _number(mark, "cs")
    process_ms = centiseconds * 10 if centiseconds is not None else None
    cpu_ms = own / 1000 if (own := _number(mark, "own")) is not None else None
    return Outcome(
        exit_code=exit_code,
        stdout=reader.program_stdout().decode("utf-8", "replace"),
        stderr=stderr,
        timed_out=timed_out,
        oom=oom or bool(_number(mark, "oom")),
        truncated=reader.truncated,
        process_ms=process_ms,
        wall_ms=wall_ms,
        peak_memory_bytes=_number(mark, "peak"),
        pids_refused=_number(mark, "pidsmax") or 0,
        stall_ms=stall / 1000 if (stall := _number(mark, "stall")) is not None else None,
        cpu_ms=cpu_ms,
        other_cpu_ms=noise.others_ms(_number(mark, "work"), _number(mark, "ticks"), _number(mark, "cpus"),
                                     process_ms, cpu_ms),
    )
