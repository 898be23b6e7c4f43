"""Whether the machine can give a program the cores a lesson needs (lesson.yaml's `needs: {cores: N}`), now.

A lesson about parallelism shows two steps taking the time of one; that needs two cores that nothing else
keeps busy. How many there are is os.cpu_count(); how busy they are is read from /proc/stat twice, a short
window apart: the CPU time the whole machine spent working (any program's: other jobs, other users) over
that window, in cores. The kit's own timed programs are not among it when this is asked in an exclusive
turn (runner/sandbox/slots.py), which is where the run layer asks it. The load average (/proc/loadavg) is
only told, not used: it lags a minute behind. The cores are the kit's host's: with a remote Docker engine,
not those the programs run on.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

STAT = Path("/proc/stat")
LOADAVG = Path("/proc/loadavg")
WINDOW = 0.5  # seconds over which the machine's work is measured
SPARE = 0.5  # a core's worth of other work under this leaves the cores free enough (a quiet machine's daemons)
# Other work that took less than this many cores on average over a run left the program the cores it needed:
# a quiet machine's daemons and the kit itself take 0.01-0.03 of them over a 1 s run of `parallelism`, and a
# core taken for 0.2 s of it moves that lesson's verdict less than the tolerance of its 0.5 s steps.
SPARE_DURING = 0.2
_IDLE = (3, 4)  # the `cpu` line's idle and iowait columns: time not spent working


def cpu_times() -> tuple[int, int] | None:
    """The machine's (working, total) CPU time so far, in clock ticks, or None without /proc/stat."""
    try:
        first = STAT.read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    if not first or first[0] != "cpu":
        return None
    ticks = [int(t) for t in first[1:9]]  # user nice system idle iowait irq softirq steal (guest is in user)
    return sum(ticks) - sum(ticks[i] for i in _IDLE), sum(ticks)


def _load() -> float | None:
    try:
        return float(LOADAVG.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


@dataclass(frozen=True)
class Cores:
    """The machine's cores, and how many of them other work kept busy over the last WINDOW."""

    count: int
    busy: float | None  # cores' worth of work over the window; None: not measured (no /proc/stat)
    load: float | None  # the one-minute load average, for people

    def lacks(self, needed: int) -> str:
        """Why `needed` free cores are not there now, or "" when they are (or cannot be measured)."""
        if self.count < needed:
            return f"needs {needed} free cores; this machine has {self.count}"
        if self.busy is None or self.count - self.busy >= needed - SPARE:
            return ""
        load = f", load {self.load:.1f}" if self.load is not None else ""
        return (f"needs {needed} free cores; this machine has {self.count}, {self.busy:.1f} of them kept busy "
                f"by other work (measured over {WINDOW:g} s{load})")


def taken_during(other_cpu_ms: float | None, process_ms: float | None, needed: int) -> str:
    """Why a program that needed `needed` free cores did not have them while it ran, from the CPU time other
    work took meanwhile (runner/sandbox/noise.py's others_ms: steal included, the program's own excluded),
    or "" when it had them or that is not known."""
    if other_cpu_ms is None or not process_ms:
        return ""
    count, others = os.cpu_count() or 1, other_cpu_ms / process_ms
    if count - others >= needed - SPARE_DURING:
        return ""
    return (f"other work took {others:.2f} of this machine's {count} cores on average while it ran "
            f"({other_cpu_ms / 1000:.2f} s of CPU time in {process_ms / 1000:.2f} s)")


def measure(window: float = WINDOW) -> Cores:
    """The cores now: how many, and how busy over `window` seconds from this call."""
    count = os.cpu_count() or 1
    before = cpu_times()
    time.sleep(window)
    after = cpu_times()
    busy = None
    if before is not None and after is not None and after[1] > before[1]:
        busy = count * (after[0] - before[0]) / (after[1] - before[1])
    return Cores(count, busy, _load())
