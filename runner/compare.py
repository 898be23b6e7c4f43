"""Equivalence: normalise outputs, compare them with a time tolerance, explain differences, read events."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from runner.lessons import CompareRules
from runner.results import Event

STAMP = re.compile(r"^\[(\d+(?:\.\d+)?)s\] ?(.*)$")
DURATION = re.compile(r"(?<![\w.])(\d+\.\d+)s\b")
EVENT = re.compile(r"^([\w .'-]+?): (started|finished|cancelled|timeout|failed)\b")


@dataclass(frozen=True)
class Line:
    """One output line: its time stamp, its text with durations taken out, and those durations."""

    text: str  # as printed (normalised white space)
    stamp: float | None
    template: str
    durations: tuple[float, ...]

    @classmethod
    def parse(cls, raw: str) -> "Line":
        text = raw.rstrip()
        match = STAMP.match(text)
        stamp, body = (float(match.group(1)), match.group(2)) if match else (None, text)
        durations = tuple(float(d) for d in DURATION.findall(body))
        template = DURATION.sub("#s", body)
        return cls(text, stamp, template if match is None else "[#s] " + template, durations)

    def same_as(self, other: "Line", tolerance: float) -> bool:
        if self.template != other.template or (self.stamp is None) != (other.stamp is None):
            return False
        times = list(zip(self.durations, other.durations))
        if self.stamp is not None:
            times.append((self.stamp, other.stamp))
        return all(abs(a - b) <= tolerance + 1e-9 for a, b in times)


def normalise(output: str) -> list[str]:
    """Lines without carriage returns, trailing white space or trailing blank lines."""
    lines = [line.rstrip() for line in output.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def split_declared(lines: list[str], rules: CompareRules) -> tuple[list[str], list[str]]:
    """Lines that must compare, and lines that the lesson declares may differ by design."""
    compared, declared = [], []
    for line in lines:
        (declared if any(d.matches(line) for d in rules.differ) else compared).append(line)
    return compared, declared


def _align_as_sets(reference: list[Line], other: list[Line], tolerance: float) -> list[Line]:
    """Reorder `other` to follow `reference` within each stretch printed at one moment in both outputs.

    Only where the reference gives a stretch of lines one time stamp, and `other` gives the same
    stretch one time stamp too, do both say the lines happened together, so their order means
    nothing. Lines merely within the tolerance of each other keep their order: reordering those
    would call a jam that starts with the butter the same as one that waits for it to finish.
    """
    aligned, place, end = list(other), 0, min(len(reference), len(other))
    while place < end:
        moment = (reference[place].stamp, other[place].stamp)
        stop = place + 1
        while None not in moment and stop < end and (reference[stop].stamp, other[stop].stamp) == moment:
            stop += 1
        aligned[place:stop] = _follow(reference[place:stop], other[place:stop], tolerance)
        place = stop
    return aligned


def _follow(reference: list[Line], lines: list[Line], tolerance: float) -> list[Line]:
    """`lines` in the order of the reference's lines they match (else share words with), the rest after."""
    rest, ordered = list(lines), []
    for ref in reference:
        hit = next((c for c in rest if c.same_as(ref, tolerance)), None) or next(
            (c for c in rest if c.template == ref.template), None)
        if hit is not None:
            rest.remove(hit)
            ordered.append(hit)
    return ordered + rest


def matches(reference: str, other: str, rules: CompareRules) -> tuple[bool, list[str]]:
    """Whether `other` says the same as `reference`, and `other`'s lines ready for a diff.

    In the returned lines, a line equal to the reference's within the tolerance is replaced by the
    reference's line, so that a diff shows only the differences that count.
    """
    ref_lines = [Line.parse(t) for t in split_declared(normalise(reference), rules)[0]]
    lines = [Line.parse(t) for t in split_declared(normalise(other), rules)[0]]
    if rules.same_time_as_set:
        lines = _align_as_sets(ref_lines, lines, rules.tolerance)
    shown = []
    for i, line in enumerate(lines):
        ref = ref_lines[i] if i < len(ref_lines) else None
        shown.append(ref.text if ref is not None and line.same_as(ref, rules.tolerance) else line.text)
    same = len(lines) == len(ref_lines) and shown == [r.text for r in ref_lines]
    return same, shown


def diff(reference_name: str, reference: str, name: str, other: str, rules: CompareRules) -> str:
    """A unified diff of the lines that differ beyond the tolerance; empty when they match."""
    same, shown = matches(reference, other, rules)
    if same:
        return ""
    ref_lines = split_declared(normalise(reference), rules)[0]
    return "\n".join(
        difflib.unified_diff(ref_lines, shown, fromfile=reference_name, tofile=name, lineterm="", n=2)
    )


def events(output: str) -> tuple[Event, ...]:
    """Task events from lines like `[0.3s] water: finished`, for drawing timelines."""
    found = []
    for number, raw in enumerate(normalise(output), start=1):
        line = STAMP.match(raw)
        if not line:
            continue
        event = EVENT.match(line.group(2))
        if event:
            found.append(Event(float(line.group(1)), event.group(1).strip(), event.group(2), number))
    return tuple(found)


def program_time_ms(output: str) -> float | None:
    """The in-program time: the last time stamp the program printed, in milliseconds."""
    stamps = [Line.parse(t).stamp for t in normalise(output)]
    known = [s for s in stamps if s is not None]
    return round(known[-1] * 1000) if known else None
