"""Why a learner's output is not the expected one: the shapes of the difference, named in the learner's terms.

A diagnosis is pure comparison of the lesson's expected output with the learner's, line by line, within the
lesson's tolerance. Each shape it names is true of the two outputs; where none fits it says so, and the diff
below it shows the rest."""
from __future__ import annotations

import enum
import re
from collections import Counter
from dataclasses import dataclass

from runner.model import compare
from runner.model.compare import Line
from runner.model.lessons import CompareRules, Lesson

MOST = 2  # lines quoted per shape: the first ones; the diff shows every line
TOKEN = re.compile(r"[^\s,;:()\[\]]+")  # a word or a value in a line, for results listed in one line


class Shape(str, enum.Enum):
    """A way a wrong output differs from the expected one (README: Exercises)."""

    LATE = "late"  # every line from some line on late by one amount
    WENT_ON = "went-on-after-cancel"  # a task's lines after its cancellation, or after a right program's
    NOT_CANCELLED = "not-cancelled"  # a task a right program cancels runs to its end
    ENDED_EARLY = "ended-early"  # the output stops short: the lines after its end never come
    DUPLICATED = "duplicated"  # a line a right program prints once comes more often
    FINISHING_ORDER = "finishing-order"  # results in the order their tasks finished, not the order asked
    ORDER = "order"  # the right lines in another order
    EARLY = "early"  # a line, or the whole run, sooner than a right program can be


@dataclass(frozen=True)
class Finding:
    shape: Shape
    text: str  # one sentence or two, true of the learner's output

    def __str__(self) -> str:
        return self.text


def diagnose(expected: str, output: str, rules: CompareRules, language: str = "") -> tuple[Finding, ...]:
    """The shapes recognised in how `output` differs from `expected`; () when they match or none fits."""
    if compare.matches(expected, output, rules)[0]:
        return ()
    shift = compare.time_shift(expected, output, rules)
    if shift is not None and shift.late_from is not None:
        return (Finding(Shape.LATE, f"its output is what a right program prints, but late: {shift.describe()}"),)
    ref, got = compare.paired(expected, output, rules)
    found = _cancellations(ref, got, rules.tolerance) + _ended_early(ref, got)
    found += _duplicated(ref, got, language) + _values_reordered(ref, got) + _reordered(ref, got)
    return tuple(found + _early(ref, got, rules.tolerance))


def only_repeated(expected: str, output: str, rules: CompareRules) -> bool:
    """Whether `output` is the expected lines (their words, in order) but for lines that come again: work done
    twice, and nothing else wrong in the words."""
    ref, got = compare.paired(expected, output, rules)
    seen, first = Counter(), []
    wanted = Counter(map(_words, ref))
    for line in got:
        seen[_words(line)] += 1
        if seen[_words(line)] <= wanted[_words(line)]:
            first.append(_words(line))
    return len(first) < len(got) and first == list(map(_words, ref))


def too_fast(seconds: float, right: float, grace: float) -> Finding | None:
    """The whole run sooner than a right program can be (`right` s, less `grace`), or None."""
    if seconds >= right - grace:
        return None
    return Finding(Shape.EARLY, f"it finished in {seconds:.1f} s, sooner than a right solution can (about {right:g} s): "
                                "is a wait skipped, cut short, or not awaited?")


def _quote(line: Line) -> str:
    return f"'{line.text}' (line {line.number})"


def _body(line: Line) -> str:
    match = compare.STAMP.match(line.text)
    return match.group(2) if match else line.text


def _task(line: Line) -> str | None:
    """The task a line speaks of: its words before the first ': ' ("export: chunk 1 written")."""
    name, colon, _ = _body(line).partition(": ")
    return name.strip() if colon and name.strip() else None


def _event(line: Line) -> tuple[str, str] | None:
    match = compare.EVENT.match(_body(line))
    return (match.group(1).strip(), match.group(2)) if match else None


def _words(line: Line) -> tuple[str, int]:
    return line.template, len(line.times)


def _seconds(value: float) -> str:
    return f"{round(value, 1):g} s"


def _runs(lines: list[Line], task: str) -> list[list[Line]]:
    """A task's lines, one list per run: a name that starts again ("us: started" in race 2) is another run."""
    runs: list[list[Line]] = [[]]
    for line in lines:
        if _task(line) != task:
            continue
        if _event(line) == (task, "started") and any(_event(l) == (task, "started") for l in runs[-1]):
            runs.append([])
        runs[-1].append(line)
    return runs


def _cancelled_at(run: list[Line]) -> int | None:
    return next((i for i, line in enumerate(run) if (_event(line) or ("", ""))[1] == "cancelled"), None)


def _cancellations(ref: list[Line], got: list[Line], tolerance: float) -> list[Finding]:
    """A task a right program cancels: not cancelled in `got`, cancelled late, or going on after its cancel."""
    found = []
    tasks = dict.fromkeys(e[0] for line in ref if (e := _event(line)) and e[1] == "cancelled")
    for task in tasks:
        for ref_run, run in zip(_runs(ref, task), _runs(got, task)):
            stop = _cancelled_at(ref_run)
            if stop is None or not run:
                continue
            stopped, mine = ref_run[stop], _cancelled_at(run)
            allowed = {_words(line) for line in ref_run}
            if mine is None:
                found += _not_cancelled(task, run, stopped, tolerance)
                continue
            after = {_words(line) for line in ref_run[stop + 1:]}
            went_on = [line for line in run[mine + 1:] if _words(line) not in after]
            if went_on:
                found.append(Finding(Shape.WENT_ON, (
                    f"'{task}' goes on after it was cancelled: {_quote(went_on[0])} comes after {_quote(run[mine])}, "
                    "where a right program prints nothing more of that work: is the cancellation caught and "
                    "swallowed, or does the work not hear it?")))
            elif stopped.stamp is not None and run[mine].stamp is not None \
                    and run[mine].stamp > stopped.stamp + tolerance:
                extra = [line for line in run[:mine] if _words(line) not in allowed
                         and line.stamp is not None and line.stamp > stopped.stamp + tolerance]
                found.append(Finding(Shape.WENT_ON, (
                    f"'{task}' is cancelled only at {_seconds(run[mine].stamp)} ({_quote(run[mine])}), where a right "
                    f"program cancels it at {_seconds(stopped.stamp)}"
                    + (f": its work goes on meanwhile, {_quote(extra[0])}" if extra else "")
                    + ": does what it waits on hear the cancellation?")))
    return found


def _not_cancelled(task: str, run: list[Line], stopped: Line, tolerance: float) -> list[Finding]:
    """A run of a task that a right program cancels (at `stopped`) and `run` never reports cancelled."""
    end = next((line for line in run if _event(line) == (task, "finished")), None)
    if end is not None and end.stamp is not None and stopped.stamp is not None:
        if end.stamp <= stopped.stamp + tolerance:
            return []  # it was over by the time a right program cancels it: another shape
        return [Finding(Shape.NOT_CANCELLED, (
            f"'{task}' is never cancelled: it runs on to {_quote(end)}, where a right program cancels it "
            f"at {_seconds(stopped.stamp)} ('{stopped.text}')"))]
    return [Finding(Shape.NOT_CANCELLED, (
        f"'{task}' never says it was cancelled: a right program prints '{stopped.text}' (line {stopped.number}), "
        "yours has no such line: is the cancellation caught and swallowed, or does the program end before the "
        "task hears it?"))]


def _missing(ref: list[Line], got: list[Line]) -> list[Line]:
    """The expected lines `got` has no line like (the same words), in the expected order."""
    left = Counter(_words(line) for line in got)
    missing = []
    for line in ref:
        if left[_words(line)]:
            left[_words(line)] -= 1
        else:
            missing.append(line)
    return missing


def _ended_early(ref: list[Line], got: list[Line]) -> list[Finding]:
    """Lines missing because the program ended before a right program prints them."""
    stamps = [line.stamp for line in got if line.stamp is not None]
    missing = _missing(ref, got)
    if not stamps or not missing or any(m.stamp is None or m.stamp <= stamps[-1] for m in missing):
        return []
    return [Finding(Shape.ENDED_EARLY, (
        f"its output stops at {_seconds(stamps[-1])}: {_count(len(missing))} after that, from '{missing[0].text}' "
        "on. The program ended without them: is work it started left unawaited, or cut short?"))]


def _count(lines: int) -> str:
    return "the line a right program prints never comes" if lines == 1 else \
        f"the {lines} lines a right program prints never come"


def _duplicated(ref: list[Line], got: list[Line], language: str) -> list[Finding]:
    """Lines that come more often than in a right program: work done twice."""
    expected, mine = Counter(map(_words, ref)), Counter(map(_words, got))
    tasks = Counter(_task(line) for line in ref), Counter(_task(line) for line in got)

    def more(key: tuple[str, int]) -> bool:
        # `us: finished` twice where a right program has it once and then `us: cancelled`: not cancelled, not twice
        task = _task(next(line for line in got if _words(line) == key))
        return task is None or tasks[1][task] > tasks[0][task]
    twice = [key for key in mine if expected[key] and mine[key] > expected[key] and more(key)]
    if not twice:
        return []
    texts = []
    for key in twice[:MOST]:
        at = [line.number for line in got if _words(line) == key]
        first = next(line for line in got if _words(line) == key)
        texts.append(f"'{_body(first)}' comes {len(at)} times (lines {', '.join(map(str, at))}), where a right program "
                     f"prints it {_times(expected[key])}")
    hint = (" If a LINQ query such as `Select(...)` starts it, that query runs again each time it is enumerated (by "
            "`Task.WhenAll`, by a `foreach`, ...): enumerate it once, with `.ToArray()`." if language == "csharp" else "")
    return [Finding(Shape.DUPLICATED, "; ".join(texts) + ": is that work started twice?" + hint)]


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _finish_order(got: list[Line], before: int, words: list[str], values: list[str]) -> list[Line] | None:
    """For each word, the first 'finished' line before line `before` that holds it; None unless each has one, in
    the words' order, and the words are every result of the line (`values`: its numbers) that a task finished with:
    results listed as their tasks finished."""
    finished = [line for line in got if line.number < before and (_event(line) or ("", ""))[1] == "finished"]
    if len(words) != sum(1 for line in finished if set(values) & set(TOKEN.findall(_body(line)))):
        return None
    lines = []
    for word in words:
        hit = next((line for line in finished if word in TOKEN.findall(_body(line)) and line not in lines), None)
        if hit is None:
            return None
        lines.append(hit)
    return lines if all(a.number < b.number for a, b in zip(lines, lines[1:])) else None


def _values_reordered(ref: list[Line], got: list[Line]) -> list[Finding]:
    """A line with the right values in another order: results listed as they came in."""
    found = []
    for want, mine in zip(ref, got):
        if want.template == mine.template:
            continue
        a, b = TOKEN.findall(_body(want)), TOKEN.findall(_body(mine))
        moved = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(a) != len(b) or len(moved) < 2 or sorted(a[i] for i in moved) != sorted(b[i] for i in moved):
            continue
        mine_values, right_values = [b[i] for i in moved], [a[i] for i in moved]
        order = _finish_order(got, mine.number, mine_values, [t for t in a if any(c.isdigit() for c in t)])
        if order is not None:
            tasks = ", ".join(f"{_task(line)} {value}" for line, value in zip(order, mine_values))
            found.append(Finding(Shape.FINISHING_ORDER, (
                f"{_quote(mine)} has the right results in the order their tasks finished ({tasks}), where a right "
                f"program keeps the order it asked in: {', '.join(right_values)}. Keep each result in its task's "
                "place, whenever it comes in.")))
        else:
            found.append(Finding(Shape.ORDER, (
                f"{_quote(mine)} has the right values in another order: {', '.join(mine_values)}, where a right "
                f"program has {', '.join(right_values)}")))
    return found


def _common(lines: list[Line], other: list[Line]) -> list[Line]:
    """`lines` that `other` has too (the same words; as many times as `other` has them), in their order."""
    left = Counter(map(_words, other))
    kept = []
    for line in lines:
        if left[_words(line)]:
            left[_words(line)] -= 1
            kept.append(line)
    return kept


def _reordered(ref: list[Line], got: list[Line]) -> list[Finding]:
    """Lines of both outputs (by their words) in another order: the first place where they part."""
    want_order, my_order = _common(ref, got), _common(got, ref)
    at = next((i for i, (a, b) in enumerate(zip(want_order, my_order)) if _words(a) != _words(b)), None)
    if at is None:
        return []
    want, mine = want_order[at], my_order[at]
    when = f", at {_seconds(want.stamp)}" if want.stamp is not None else ""
    same = Counter(map(_words, ref)) == Counter(map(_words, got))
    return [Finding(Shape.ORDER, (
        f"{'the right lines, in another order' if same else 'lines in another order'}: {_quote(mine)} comes before "
        f"'{_body(want)}', which a right program prints first{when}"))]


def _early(ref: list[Line], got: list[Line], tolerance: float) -> list[Finding]:
    """Lines printed sooner than a right program prints them (lines paired by their words, in order)."""
    waiting: dict[tuple[str, int], list[Line]] = {}
    for line in ref:
        waiting.setdefault(_words(line), []).append(line)
    early = []
    for mine in got:
        want = waiting.get(_words(mine)) and waiting[_words(mine)].pop(0)
        if want and want.stamp is not None and mine.stamp is not None and mine.stamp < want.stamp - tolerance - 1e-9:
            early.append((mine, want))
    if not early:
        return []
    texts = [f"{_quote(mine)} comes {_seconds(want.stamp - mine.stamp)} sooner than in a right program "
             f"(at {_seconds(want.stamp)})" for mine, want in early[:MOST]]
    more = f" (and {len(early) - MOST} more)" if len(early) > MOST else ""
    return [Finding(Shape.EARLY, "; ".join(texts) + more + ": is a wait before it skipped, cut short, or not "
                                 "awaited?")]


def _right_end(expected: str | None, right_seconds: float) -> float:
    """When a right program prints its last line at the soonest: the expected output's last time stamp (a program
    may run on silently after it, to the exercise's seconds)."""
    last = compare.program_time_ms(expected or "")
    return right_seconds if last is None else min(last / 1000, right_seconds)


def messages(lesson: Lesson, expected: str | None, right_seconds: float, output: str, seconds: float | None,
             too_slow: bool, grace: float, language: str) -> list[str]:
    """What is wrong with a run of an exercise (in one scenario: what a right program prints then, in how many
    seconds) that ended well (`seconds`: its last time stamp, None if it printed none): its time, the shapes of
    its output's difference from the expected one, and that difference (- expected, + yours); [] when it is
    right."""
    findings = diagnose(expected, output, lesson.compare, language) if expected is not None else ()
    shapes = {finding.shape for finding in findings}
    said = []
    if too_slow:  # the lesson's question points the wrong way when the time went on work done twice
        twice = Shape.DUPLICATED in shapes and only_repeated(expected, output, lesson.compare)
        said.append(f"it finished in {seconds:.1f} s; " + (
            f"a right solution finishes in about {right_seconds:g} s" if twice else lesson.exercise.slower))
    elif seconds is not None and not shapes & {Shape.EARLY, Shape.ENDED_EARLY} and (
            fast := too_fast(seconds, _right_end(expected, right_seconds), grace)):
        said.append(str(fast))
    said += map(str, findings)
    if expected is not None and Shape.LATE not in shapes:
        if diff := compare.diff("expected", expected, "your program", output, lesson.compare):
            said.append("its output is not what a right program prints" + (
                "" if findings else ", in no way the checker can name") + " (- expected, + yours):\n" + diff)
    return said
