"""How busy the machine was while a program ran, and whether that explains late time stamps.

The measure is the kernel's CPU pressure (PSI, /proc/pressure/cpu): the wall time during which at least one
runnable task waited for a CPU. Whenever the program waited for a CPU, some task waited, so the pressure
over the run's window bounds how far contention can have delayed any of its time stamps. It over-counts
(another task's wait counts too), which costs at most a rerun; it never under-counts, which would refuse a
right program. A kernel without PSI gives no figure (None): then any time-only difference is taken as
possibly noise.

The Docker sandbox's wrapper reads the container's own CPU pressure where cgroup v2 keeps one
(`/sys/fs/cgroup/cpu.pressure`: only its own tasks' waits, so no over-count), else the same file inside the
container (the whole machine's; with a remote engine, that machine's); the local backend reads it here.

Contention only delays: a time stamp earlier than expected is never noise.

A lesson that needs free cores (runner/sandbox/cores.py) asks more: whether other work took CPU time while
its program ran, even where nothing waited in the program's view (a virtual machine's CPU taken by its host,
"steal", is invisible to PSI). That is the machine's working time over the run, from /proc/stat, less the
program's own CPU time (others_ms).
"""
from __future__ import annotations

from pathlib import Path

PRESSURE = Path("/proc/pressure/cpu")
ROUNDING = 0.05  # seconds: a stamp printed to 0.1 s moves a whole step for a delay just past half of one
BUSY_MS = 50.0  # CPU wait worth a word to the user: a time stamp could be a step late


def cpu_pressure_us() -> int | None:
    """The machine's total CPU wait so far (`some ... total=`, microseconds), or None without PSI."""
    try:
        text = PRESSURE.read_text()
    except OSError:  # no such file, or PSI disabled at boot (the read fails with EOPNOTSUPP)
        return None
    for line in text.splitlines():
        kind, *fields = line.split()
        if kind == "some":
            totals = [f.removeprefix("total=") for f in fields if f.startswith("total=")]
            return int(totals[0]) if totals and totals[0].isdigit() else None
    return None


def stall_ms(before_us: int | None, after_us: int | None) -> float | None:
    """The CPU wait between two readings, in milliseconds."""
    if before_us is None or after_us is None or after_us < before_us:
        return None
    return (after_us - before_us) / 1000


def others_ms(work_ticks: int | None, all_ticks: int | None, cpus: int | None, wall_ms: float | None,
              own_ms: float | None) -> float | None:
    """The CPU time, in ms, that the rest of the machine (steal included) used while a program ran: the
    machine's working share of its CPU ticks over the run (`work_ticks` of `all_ticks`, on `cpus` CPUs,
    over `wall_ms`) less the program's own CPU time; None when any of them is unknown."""
    if None in (work_ticks, all_ticks, cpus, wall_ms, own_ms) or not all_ticks or not cpus:
        return None
    return max(0.0, work_ticks / all_ticks * cpus * wall_ms - own_ms)


def explains(latest: float, earliest: float, stall: float | None, tolerance: float) -> bool:
    """Whether a run's CPU wait (`stall`, ms; None: unknown) can account for its time stamps being up to
    `latest` seconds late and at most `earliest` seconds early, beyond the lesson's tolerance."""
    if earliest > tolerance + 1e-9:
        return False  # early: the program did something sooner than it should, which no load causes
    if stall is None:
        return True  # unmeasured: the run may have been delayed by any amount
    return latest <= tolerance + stall / 1000 + ROUNDING + 1e-9


def busy(stall: float | None) -> bool:
    """Whether the machine was busy enough during a run for its time stamps to be a step late."""
    return stall is not None and stall >= BUSY_MS


def describe(stall: float | None) -> str:
    """The CPU wait in words, for messages."""
    if stall is None:
        return "the machine's CPU wait is not measured here (no /proc/pressure/cpu)"
    return f"programs waited {stall / 1000:.2f} s for a CPU during the run"
