"""Equivalence: normalise outputs, compare them with a time tolerance, explain how they differ, read events."""
from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field

from runner.model.lessons import CompareRules
from runner.model.results import Event

STAMP = re.compile(r"^\[(\d+(?:\.\d+)?)s\] ?(.*)$")
DURATION = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)s\b")  # 0.5s, 1s: compared within the tolerance
VERBS = ("started", "finished", "cancelled", "timeout", "failed")
# A task event (README: Lessons): any task name up to the first ": ", then one of the verbs, in lower case.
EVENT = re.compile(r"^((?:(?!: ).)+?) ?: (" + "|".join(VERBS) + r")\b")
# A line that an author probably meant as an event: a name, a colon and a word like a verb.
LOOKS_LIKE_EVENT = re.compile(r"^\s*((?:(?!: ).)+?)\s*:\s*([A-Za-z-]+)")
SAME_AMOUNT = 0.05  # seconds: half the 0.1 s that examples print, so two time stamps late "by the same amount"


@dataclass(frozen=True)
class Line:
    """One output line: its time stamp, its text with durations taken out, and those durations."""

    text: str  # as printed (normalised white space)
    stamp: float | None
    template: str
    durations: tuple[float, ...]
    number: int = 0  # 1-based, in the normalised output

    @classmethod
    def parse(cls, raw: str, number: int = 0) -> "Line":
        text = raw.rstrip()
        match = STAMP.match(text)
        stamp, body = (float(match.group(1)), match.group(2)) if match else (None, text)
        durations = tuple(float(d) for d in DURATION.findall(body))
        template = DURATION.sub("#s", body)
        return cls(text, stamp, template if match is None else "[#s] " + template, durations, number)

    @property
    def times(self) -> tuple[float, ...]:
        """Its time values in reading order: the time stamp, then the durations."""
        return self.durations if self.stamp is None else (self.stamp, *self.durations)

    def same_words(self, other: "Line") -> bool:
        """The same line but for its time values."""
        return self.template == other.template and len(self.times) == len(other.times)

    def same_as(self, other: "Line", tolerance: float) -> bool:
        return self.same_words(other) and all(
            abs(a - b) <= tolerance + 1e-9 for a, b in zip(self.times, other.times))


def normalise(output: str) -> list[str]:
    """Lines without carriage returns, trailing white space or trailing blank lines."""
    lines = [line.rstrip() for line in output.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def split_declared(lines: list[str], rules: CompareRules) -> tuple[list[str], list[str]]:
    """Lines that must compare, and lines that the lesson declares may differ by design."""
    kept, declared = [], []
    for line in lines:
        (declared if any(d.matches(line) for d in rules.differ) else kept).append(line)
    return kept, declared


def compared(output: str, rules: CompareRules) -> list[Line]:
    """The lines that must compare, parsed, with their numbers in the normalised output."""
    return [Line.parse(text, number) for number, text in enumerate(normalise(output), start=1)
            if not any(d.matches(text) for d in rules.differ)]


def paired(reference: str, other: str, rules: CompareRules) -> tuple[list[Line], list[Line]]:
    """Both outputs' compared lines, `other`'s in the reference's order where same_time_as_set allows."""
    ref_lines, lines = compared(reference, rules), compared(other, rules)
    if rules.same_time_as_set:
        lines = _align_as_sets(ref_lines, lines, rules.tolerance)
    return ref_lines, lines


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
        # failing a match, the same words: a time shift pairs a line whose duration differs with its like
        hit = next((c for c in rest if c.same_as(ref, tolerance)), None) or next(
            (c for c in rest if c.same_words(ref)), None)
        if hit is not None:
            rest.remove(hit)
            ordered.append(hit)
    return ordered + rest


def matches(reference: str, other: str, rules: CompareRules) -> tuple[bool, list[str]]:
    """Whether `other` says the same as `reference`, and `other`'s lines ready for a diff.

    In the returned lines, a line equal to the reference's within the tolerance is replaced by the
    reference's line, so that a diff shows only the differences that count.
    """
    ref_lines, lines = paired(reference, other, rules)
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


@dataclass(frozen=True)
class Shift:
    """How `other` differs from `reference` when the lines are the same but for their time stamps and durations.

    Line numbers count the lines of the reference's normalised output, declared differences included.
    """

    deltas: tuple[float, ...]  # per time value compared (stamps and durations, in line order): other - reference, s
    worst: float  # the largest |delta| (0.0 when nothing differs)
    worst_at: int | None  # the line of the first delta that large; None when nothing differs
    late_from: int | None  # the line from which every line is late by one amount; None if the pattern is not that
    late_by: float | None  # that amount, seconds
    reference: tuple[str, ...] = field(default=(), repr=False)  # the reference's lines, to quote
    # The time stamps' deltas alone: lateness can only delay a stamp, while a duration computed from two
    # moments ("saved 0.7s") may shrink as well as grow.
    stamps: tuple[float, ...] = ()

    def describe(self) -> str:
        """One sentence, e.g. "every line from line 2 ('[0.2s] lima: finished') on is 0.2 s late"."""
        if self.late_from is not None:
            return f"every line from line {self._quote(self.late_from)} on is {self.late_by:g} s late"
        if self.worst_at is not None:
            return f"the time values differ by up to {self.worst:g} s, the most on line {self._quote(self.worst_at)}"
        return "the time stamps and durations are the same"

    def _quote(self, number: int) -> str:
        return f"{number} ({self.reference[number - 1]!r})" if number <= len(self.reference) else str(number)


def time_shift(reference: str, other: str, rules: CompareRules, any_order: bool = False) -> Shift | None:
    """None when the outputs differ in more than time (a line missing, extra, reordered beyond what
    same_time_as_set allows, or with other words). With `any_order`, lines are paired by their words (the
    n-th line with some words to the n-th with the same in the other output), whatever their order: lines
    made late by different amounts may come out in another order, and only their time stamps can tell."""
    ref_lines, lines = paired(reference, other, rules)
    if any_order:
        lines = _by_words(ref_lines, lines)
    if len(lines) != len(ref_lines) or not all(a.same_words(b) for a, b in zip(ref_lines, lines)):
        return None
    # rounded: 0.4 - 0.2 is 0.20000000000000004 in binary floating point
    per_line = [tuple(round(b - a, 6) for a, b in zip(ref.times, line.times)) for ref, line in zip(ref_lines, lines)]
    deltas = tuple(d for line in per_line for d in line)
    worst = max((abs(d) for d in deltas), default=0.0)
    worst_at = next((ref.number for ref, line in zip(ref_lines, per_line) if worst and worst in map(abs, line)), None)
    late_from, late_by = _late(ref_lines, per_line, rules.tolerance) or (None, None)
    stamps = tuple(line[0] for ref, line in zip(ref_lines, per_line) if ref.stamp is not None)
    return Shift(deltas, worst, worst_at, late_from, late_by, tuple(normalise(reference)), stamps)


def _by_words(reference: list[Line], lines: list[Line]) -> list[Line]:
    """`lines` in the reference's order, each paired with the reference line of the same words and count
    (what has no partner stays at the end, so that the pairing fails)."""
    waiting: dict[tuple[str, int], list[Line]] = {}
    for line in lines:
        waiting.setdefault((line.template, len(line.times)), []).append(line)
    paired = [waiting[key].pop(0) for ref in reference if (key := (ref.template, len(ref.times))) in waiting
              and waiting[key]]
    if len(paired) != len(reference) or len(lines) != len(reference):  # one missing, or one extra
        return lines
    return paired


def _late(ref_lines: list[Line], per_line: list[tuple[float, ...]], tolerance: float) -> tuple[int, float] | None:
    """The first line from which every line is late by one amount, the lines before it within the tolerance."""
    for start, (ref, deltas) in enumerate(zip(ref_lines, per_line)):
        if ref.stamp is not None and deltas[0] > SAME_AMOUNT:
            by = deltas[0]
            if all(_late_by(line, later, by, tolerance) for line, later in zip(ref_lines[start:], per_line[start:])):
                return ref.number, by
        if any(abs(d) > tolerance + 1e-9 for d in deltas):
            return None
    return None


def _late_by(line: Line, deltas: tuple[float, ...], by: float, tolerance: float) -> bool:
    """Whether the line's time stamp is `by` late, and each of its durations too or on time.

    A measured duration ("done after 0.6s") is late with its line; a designed one ("boil, 0.6s") is not.
    """
    stamp, durations = (deltas[0], deltas[1:]) if line.stamp is not None else (by, deltas)
    return abs(stamp - by) <= SAME_AMOUNT + 1e-9 and all(
        abs(d - by) <= SAME_AMOUNT + 1e-9 or abs(d) <= tolerance + 1e-9 for d in durations)


Places = dict[tuple[str, int], tuple[int, float | None]]  # a line (its template, its count) -> place, time stamp


def order_variations(outputs: list[str], rules: CompareRules) -> list[str]:
    """The lines (their text without time values, as in Line.template) whose place in the output was not the
    same in every run; [] when every run printed its lines in one order.

    A place is an order against the other lines: two lines that swap are both named, and so is a line that
    some run left out. Under same_time_as_set, two lines that each run prints at one time stamp may come in
    either order: the comparison allows that, so it passes by no luck.
    """
    runs = [_places(compared(output, rules)) for output in outputs]
    varied = set()
    for run, other in itertools.combinations(runs, 2):
        varied |= run.keys() ^ other.keys()
        common = [key for key in run if key in other]
        for a, b in itertools.combinations(common, 2):
            if (run[a][0] < run[b][0]) != (other[a][0] < other[b][0]) and not (
                    rules.same_time_as_set and _one_moment(run, a, b) and _one_moment(other, a, b)):
                varied |= {a, b}
    return list(dict.fromkeys(key[0] for run in runs for key in run if key in varied))


def _places(lines: list[Line]) -> Places:
    """Each line, told from lines like it by how many came before it, to its place and time stamp."""
    seen: dict[str, int] = {}
    places = {}
    for place, line in enumerate(lines):
        seen[line.template] = seen.get(line.template, 0) + 1
        places[line.template, seen[line.template]] = (place, line.stamp)
    return places


def _one_moment(run: Places, a: tuple[str, int], b: tuple[str, int]) -> bool:
    return run[a][1] is not None and run[a][1] == run[b][1]


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


def event_problems(output: str) -> list[str]:
    """Lines that look like task events but are not read as events (so no timeline shows them), each with
    its number and what to write instead."""
    return [f"line {number} {problem}" for number, problem in numbered_event_problems(output)]


def numbered_event_problems(output: str) -> list[tuple[int, str]]:
    """event_problems: each line's number (the output's first is 1) and what is wrong with it."""
    found = []
    for number, raw in enumerate(normalise(output), start=1):
        stamped = STAMP.match(raw)
        body = stamped.group(2) if stamped else raw
        if EVENT.match(body):
            if not stamped:
                found.append((number, f"{raw.strip()!r}: an event needs a time stamp before it, "
                                      f"e.g. '[0.1s] {body.strip()}'"))
            continue
        looks = LOOKS_LIKE_EVENT.match(body)
        word = looks.group(2) if looks else ""
        # A near miss ("canceled", "finishd"), not the verb's stem in a message ("start the report").
        near = [v for v in difflib.get_close_matches(word.lower(), VERBS, n=1, cutoff=0.8)
                if not v.startswith(word.lower())]
        if word.lower() in VERBS or near:
            verb = word.lower() if word.lower() in VERBS else near[0]
            found.append((number, f"{raw.strip()!r} looks like an event but is not read as one: write "
                                  f"'{looks.group(1)}: {verb}' (the verb one of {', '.join(VERBS)}, in lower case, "
                                  "after a colon and one space)"))
    return found


def program_time_ms(output: str) -> float | None:
    """The in-program time: the last time stamp the program printed, in milliseconds."""
    stamps = [Line.parse(t).stamp for t in normalise(output)]
    known = [s for s in stamps if s is not None]
    return round(known[-1] * 1000) if known else None
