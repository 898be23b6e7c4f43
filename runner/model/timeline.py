"""Timelines: the task events a run printed, as one swimlane per task with bars and marks."""
from __future__ import annotations

from dataclasses import dataclass

from runner.model.results import Event

ENDINGS = ("finished", "cancelled", "failed")  # events that end a task's bar
MARKS = ("cancelled", "timeout", "failed")  # events drawn as a mark on the lane


@dataclass(frozen=True)
class Bar:
    start: float
    end: float
    ending: str  # finished, cancelled, failed, or running (still going when the program ended)


@dataclass(frozen=True)
class Mark:
    time: float
    kind: str


@dataclass(frozen=True)
class Link:
    """A bar that starts with another task's result (lesson.yaml's timeline.after): drawn as a connector
    from the end of that task's bar to the start of this one."""

    after: str  # the task whose result it uses
    ended: float  # when that task's bar ended
    start: float  # when this bar started
    rows: int  # how many lanes above this one that task's lane is (negative: below)


@dataclass(frozen=True)
class Lane:
    """A task's lane: one bar per run of the task (a task started again after it ended is a new bar)."""

    task: str
    bars: tuple[Bar, ...]
    marks: tuple[Mark, ...]
    links: tuple[Link, ...] = ()

    def drawn(self) -> list[tuple[Bar, bool]]:
        """Each bar, and whether it starts the moment the run before it ended: drawn with a gap between."""
        return [(bar, i > 0 and abs(self.bars[i - 1].end - bar.start) < 0.05) for i, bar in enumerate(self.bars)]


def lanes(events: tuple[Event, ...], end: float, after: tuple[tuple[str, str], ...] = ()) -> tuple[Lane, ...]:
    """One lane per task, in the order the tasks first appear; a task may run more than once. `after`
    (task -> the task whose result it uses) links each bar of a task to the bar of the other that ended last
    before it started."""
    order: list[str] = []
    bars: dict[str, list[Bar]] = {}
    marks: dict[str, list[Mark]] = {}
    open_since: dict[str, float] = {}
    for event in events:
        if event.task not in bars:
            order.append(event.task)
            bars[event.task], marks[event.task] = [], []
        if event.kind in MARKS:
            marks[event.task].append(Mark(event.time, event.kind))
        if event.kind == "started":
            open_since.setdefault(event.task, event.time)
        elif event.kind in ENDINGS:
            # An ending with no start (a task that failed at once) is a bar of no length.
            start = open_since.pop(event.task, event.time)
            bars[event.task].append(Bar(start, event.time, event.kind))
    for task, start in open_since.items():
        bars[task].append(Bar(start, max(end, start), "running"))
    made = [Lane(task, tuple(bars[task]), tuple(marks[task])) for task in order]
    return tuple(_linked(made, dict(after)))


def _linked(made: list[Lane], after: dict[str, str]) -> list[Lane]:
    """The lanes with their links: a bar is linked to the other task's last bar that ended by its start."""
    row = {lane.task: i for i, lane in enumerate(made)}
    linked = []
    for i, lane in enumerate(made):
        other = made[row[after[lane.task]]] if after.get(lane.task) in row else None
        links = []
        for bar in lane.bars if other is not None else ():
            ended = [b.end for b in other.bars if b.end <= bar.start + 0.05]
            if ended:
                links.append(Link(other.task, max(ended), bar.start, i - row[other.task]))
        linked.append(Lane(lane.task, lane.bars, lane.marks, tuple(links)))
    return linked


def axis_ticks(end: float) -> tuple[float, ...]:
    """Round time marks for an axis from 0 to `end` seconds, about five to ten of them."""
    step = next((s for s in (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0) if end / s <= 10), 120.0)
    count = int(end / step + 1e-9)
    return tuple(round(i * step, 3) for i in range(count + 1))
