"""How a lesson's runs are judged: what they are compared with, how they differ, and which differences the
machine may have caused (a load that made time stamps late, cores other work took), so that a run is made
again alone rather than refused."""
from __future__ import annotations

from runner.model import compare
from runner.model.lessons import Lesson
from runner.model.results import RunResult, Status
from runner.sandbox import cores, noise


def reference_of(lesson: Lesson, ok: list[RunResult]) -> tuple[str, str, RunResult | None]:
    """What every run is compared with: the lesson's expected output, or else the first run that ended
    well (returned too, as its own time stamps may be late)."""
    if lesson.expected is not None:
        return f"expected (lessons/{lesson.slug}/lesson.yaml)", lesson.expected, None
    if ok:
        return ok[0].language, ok[0].stdout, ok[0]
    return "", "", None


def _name(run: RunResult) -> str:
    return run.language + (f" (run {run.repeat})" if run.repeat > 1 else "")


def late_by_load(reference: str, run: RunResult, rules, reference_run: RunResult | None = None) -> str:
    """Why the run differs from `reference` only by time stamps that the machine's load during it (and
    during the reference run) can have made late, or "" when that does not explain the difference. Lines
    made late by different amounts may have changed places: that too the load explains (the verdict then
    comes from a run alone, compared as strictly as ever)."""
    shift = compare.time_shift(reference, run.stdout, rules, any_order=True)
    if shift is None or not shift.deltas:
        return ""
    stalls = [r.stall_ms for r in (run, reference_run) if r is not None]
    stall = None if None in stalls else sum(stalls)
    latest, earliest = max(0.0, *shift.deltas), max(0.0, *(-d for d in shift.stamps))
    if reference_run is not None:  # the reference may be the late one: the run then looks early
        latest, earliest = max(latest, earliest, *(-d for d in shift.deltas)), 0.0
    if not noise.explains(latest, earliest, stall, rules.tolerance):
        return ""
    return f"its time stamps were up to {latest:.1f} s late while {noise.describe(stall)}"


def crowded(lesson: Lesson, run: RunResult) -> str:
    """Why a run of a lesson that needs free cores may have had fewer: programs waited for a CPU during it,
    or other work took CPU time meanwhile (its output then differs in words too: two steps take the time of
    two), or "" when neither happened."""
    if not lesson.needs:
        return ""
    if noise.busy(run.stall_ms):
        return f"{noise.describe(run.stall_ms)}, and the lesson needs {lesson.needs.cores} free cores"
    if taken := cores.taken_during(run.other_cpu_ms, run.process_ms, lesson.needs.cores):
        return f"{taken}, and the lesson needs {lesson.needs.cores} free cores"
    return ""


def short_of_cores(lesson: Lesson, reference: str, run: RunResult) -> RunResult:
    """A second run, alone, of a lesson that needs free cores: not judged (NOT_RUN) when its output still
    differs and other work took some of those cores while it ran (a virtual machine's host, say, which no
    measure taken before the run can foresee). The program's own threads never count: a wrong program stays
    wrong."""
    if not lesson.needs or run.status is not Status.OK or compare.matches(reference, run.stdout, lesson.compare)[0]:
        return run
    taken = cores.taken_during(run.other_cpu_ms, run.process_ms, lesson.needs.cores)
    if not taken:
        return run
    return run.with_(status=Status.NOT_RUN, message=(
        f"not judged: {taken}, and the lesson needs {lesson.needs.cores} free cores; run it when the machine is "
        "quieter, or on one with more cores"))


def _difference(ref_name: str, reference: str, run: RunResult, rules) -> str:
    """How a run's output differs from the reference, for people: one sentence when every line from some
    point on is late by the same amount, else a diff; "" when they match."""
    text = compare.diff(ref_name, reference, _name(run), run.stdout, rules)
    if not text:
        return ""
    shift = compare.time_shift(reference, run.stdout, rules)
    if shift is not None and shift.late_from is not None:
        text = f"{_name(run)}: {shift.describe()}"
    if noise.busy(run.stall_ms):
        text += f"\n({_name(run)}: the machine was busy: {noise.describe(run.stall_ms)})"
    if run.rerun:
        text += f"\n({_name(run)} was run again alone (no other program timed, no build, meanwhile): {run.rerun})"
    return text


def verdict(lesson: Lesson, runs: list[RunResult]) -> tuple[bool, str, list[dict]]:
    """Equivalent or not, a readable account of what differs, and the lines that differ by design."""
    rules = lesson.compare
    judged = [r for r in runs if r.status.judged]
    problems = [f"{r.language}: {r.status.value} - {r.message}" for r in judged if r.status is not Status.OK]
    ok = [r for r in judged if r.status is Status.OK]
    ref_name, reference, _ = reference_of(lesson, ok)
    diffs = []
    for run in ok:
        if run.stdout is reference:
            continue
        text = _difference(ref_name, reference, run, rules)
        if text and lesson.needs and run.cpu_ms is not None and run.other_cpu_ms is not None and run.process_ms:
            # What the cores did: a program that had them and still took the time of two steps ran one at a time.
            text += (f"\n({_name(run)} used {run.cpu_ms / 1000:.2f} s of CPU time in {run.process_ms / 1000:.2f} s, "
                     f"{run.cpu_ms / run.process_ms:.2f} cores on average; other work took "
                     f"{run.other_cpu_ms / 1000:.2f} s meanwhile)")
        if text:
            diffs.append(text)
    declared = []
    for rule in rules.differ:
        lines = {lang: [line for line in compare.normalise(r.stdout) if rule.matches(line)]
                 for lang, r in {r.language: r for r in ok}.items()}
        declared.append({"match": rule.match, "why": rule.why, "lines": lines})
    equivalent = not problems and not diffs and bool(ok)
    return equivalent, "\n\n".join(problems + diffs), declared


def order_varied(lesson: Lesson, runs: list[RunResult]) -> dict[str, tuple[str, ...]]:
    """Per language run more than once, the lines whose order was not the same in every run."""
    found = {}
    for language in dict.fromkeys(r.language for r in runs):
        outputs = [r.stdout for r in runs if r.language == language and r.status is Status.OK]
        if len(outputs) > 1 and (lines := compare.order_variations(outputs, lesson.compare)):
            found[language] = tuple(lines)
    return found
