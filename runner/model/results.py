"""What a run produced: statuses, one result per language run, a report per lesson, as JSON
(runner/model/store.py keeps them)."""
from __future__ import annotations

import enum
import json
import os
import platform
import re
import statistics
import tempfile
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

# JSON escapes the C0 controls (ESC among them) by itself; DEL and the C1 controls (U+0080-U+009F, which
# some terminals obey too) it leaves raw unless asked to escape everything that is not ASCII.
_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def _row(value: str, style: str, meaning: str, *, judged: bool = True, headline: str = "",
         stderr: bool = False) -> tuple:
    """One status's row of the table below, its optional columns by name."""
    return value, style, meaning, judged, headline, stderr


class Status(str, enum.Enum):
    """How a run ended. Each status is one row of this table, which everything that judges or shows a run
    reads: the verdict (`judged`), the terminal and the pages (`style`: the terminal's colour, and the CSS
    class `status-<style>`, shared by statuses that look alike), the checker (`told`). A new status is a
    row here, and the place that decides it."""

    style: str  # good, bad, broken, quiet or warn: runner/publish/terminal.py's STYLES and site.css
    meaning: str  # as README's "Statuses" says it
    judged: bool  # the run counts in the lesson's verdict: not ok, it makes the lesson not equivalent
    headline: str  # what a learner is told in place of the message's own headline (its text up to ':')
    stderr: bool  # a learner is shown what the exit code means and the end of what it printed on stderr

    def __new__(cls, value: str, style: str, meaning: str, judged: bool, headline: str, stderr: bool):
        member = str.__new__(cls, value)
        member._value_ = value
        member.style, member.meaning, member.judged, member.headline, member.stderr = (
            style, meaning, judged, headline, stderr)
        return member

    OK = _row("ok", "good", "the program ran and exited 0")
    FAILED = _row("failed", "bad", "it exited non-zero, or was killed by a signal", stderr=True)
    BUILD_FAILED = _row("build_failed", "bad", "the C# compiler rejected it", headline="it does not compile")
    TIMEOUT = _row("timeout", "bad", "it was still running at the lesson's `timeout` and was stopped")
    OOM = _row("oom", "bad", "it ran out of memory")
    OUTPUT_LIMIT = _row("output_limit", "bad", "it printed more than 1 MB (stdout and stderr together)")
    MISSING = _row("missing", "quiet", "the lesson has no example in that language", judged=False)
    SKIPPED = _row("skipped", "warn", "the runtime is older than the lesson requires", judged=False)
    NOT_RUN = _row("not_run", "warn", "the machine could not give it the free cores the lesson needs (`needs:`): "
                   "a machine with fewer cores, or one kept busy by other work; it was not started, or, when other "
                   "work took some of them while it ran again alone, its output was not judged", judged=False)
    ERROR = _row("error", "broken", "the run could not happen: the kit or its engine failed, or the example "
                 "file is unusable (empty, not UTF-8, over 1 MB, unreadable)")

    def told(self, message: str) -> str:
        """What a learner is told of a run that ended so: the run's message, in the status's own words
        where it has some."""
        if not message:
            return f"it ended with status {self.value}"
        if not self.headline:
            return message
        _, colon, rest = message.partition(":")
        return f"{self.headline}: {(rest if colon else message).strip()}"


@dataclass(frozen=True)
class Event:
    """A task event read from an output line such as `[0.3s] water: finished`."""

    time: float
    task: str
    kind: str  # started, finished, cancelled, timeout, failed
    line: int


@dataclass(frozen=True)
class RunResult:
    language: str
    backend: str
    status: Status
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    build_output: str = ""
    build_ms: float | None = None
    build_cached: bool = False  # the build came from the build cache: nothing was compiled
    run_ms: float | None = None  # in-program time: the last time stamp the program printed
    process_ms: float | None = None  # wall time of the program's process, start-up included
    wall_ms: float | None = None  # the run as the backend saw it: process plus sandbox overhead
    peak_memory_bytes: int | None = None
    stall_ms: float | None = None  # the machine's CPU wait during the run (runner/sandbox/noise.py); None: unknown
    cpu_ms: float | None = None  # the program's own CPU time, all its threads and processes; None: unknown
    other_cpu_ms: float | None = None  # CPU time the rest of the machine took during the run (noise.others_ms)
    rerun: str = ""  # why this is a second run, alone (slots.exclusive_run); empty for a first run
    runtime_version: str | None = None
    image: str | None = None
    truncated: bool = False
    message: str = ""  # why, for statuses other than ok
    events: tuple[Event, ...] = ()
    repeat: int = 1

    def __bool__(self) -> bool:
        return self.status is Status.OK or not self.status.judged

    def with_(self, **changes) -> "RunResult":
        return replace(self, **changes)

    def instead_of(self, first: "RunResult", why: str) -> "RunResult":
        """This run, made alone, as the verdict's run in place of `first` (`why`: what made it needed). The
        program is the one `first` built (this run took it from the cache): the build is `first`'s."""
        return replace(self, repeat=first.repeat, rerun=why, build_ms=first.build_ms,
                       build_cached=first.build_cached, build_output=first.build_output)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["status"] = self.status.value
        data["events"] = [asdict(e) for e in self.events]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "RunResult":
        data = dict(data)
        data["status"] = Status(data["status"])
        data["events"] = tuple(Event(**e) for e in data.get("events", ()))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Timing:
    median: float
    min: float
    max: float

    @classmethod
    def of(cls, values: list[float | None]) -> "Timing | None":
        known = [v for v in values if v is not None]
        if not known:
            return None
        return cls(statistics.median(known), min(known), max(known))


# A lesson's verdict, in the words the terminal and the pages show (the pages' class `verdict-<words>`).
EQUIVALENT, NOT_EQUIVALENT, NOT_RUN_HERE = "equivalent", "not equivalent", "not run"


@dataclass(frozen=True)
class LessonReport:
    lesson: str
    title: str
    equivalent: bool
    diff: str
    runs: tuple[RunResult, ...]
    backend: str
    declared_differences: tuple[dict, ...] = ()
    host: dict = field(default_factory=dict)
    date: str = ""
    # Per language, with --repeat: the lines whose place in the output was not the same in every run
    # (a lesson that compares equal by luck of timing).
    order_varied: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """Nothing failed and nothing differs: equivalent, or not run for want of the cores it needs."""
        return self.verdict != NOT_EQUIVALENT and all(self.runs)

    @property
    def unmet(self) -> list[RunResult]:
        """The runs not started because the machine could not give the free cores the lesson needs."""
        return [r for r in self.runs if r.status is Status.NOT_RUN]

    @property
    def verdict(self) -> str:
        """EQUIVALENT; NOT_RUN_HERE when a language could not run for want of free cores and nothing that ran
        differs or failed; else NOT_EQUIVALENT."""
        if self.equivalent and not self.unmet:
            return EQUIVALENT
        if self.unmet and not self.diff:
            return NOT_RUN_HERE
        return NOT_EQUIVALENT

    def runs_of(self, language: str) -> list[RunResult]:
        return [r for r in self.runs if r.language == language]

    @property
    def languages(self) -> list[str]:
        return list(dict.fromkeys(r.language for r in self.runs))

    def timings(self, language: str) -> dict[str, Timing | None]:
        runs = self.runs_of(language)
        return {
            "run_ms": Timing.of([r.run_ms for r in runs]),
            "process_ms": Timing.of([r.process_ms for r in runs]),
            "overhead_ms": Timing.of([r.wall_ms - r.process_ms for r in runs
                                      if r.wall_ms is not None and r.process_ms is not None]),
            "build_ms": Timing.of([r.build_ms for r in runs if not r.build_cached]),  # a cache hit built nothing
            "peak_memory_bytes": Timing.of([r.peak_memory_bytes for r in runs]),
            "stall_ms": Timing.of([r.stall_ms for r in runs]),
        }

    @property
    def differences_that_show(self) -> list[dict]:
        """The declared differences (lesson.yaml's `differ`) that really show in this run: the lines they
        match are not the same in every language."""
        return [d for d in self.declared_differences if len({tuple(v) for v in d["lines"].values()}) > 1]

    @property
    def reruns(self) -> list[RunResult]:
        """The runs that were run again alone, the machine's load having made the
        first one's time stamps late."""
        return [r for r in self.runs if r.rerun]

    def to_dict(self) -> dict:
        return {
            "lesson": self.lesson,
            "title": self.title,
            "equivalent": self.equivalent,
            "verdict": self.verdict,
            "diff": self.diff,
            "declared_differences": list(self.declared_differences),
            "backend": self.backend,
            "host": self.host,
            "date": self.date,
            "order_varied": {lang: list(lines) for lang, lines in self.order_varied.items()},
            "timings": {
                lang: {k: (asdict(t) if t else None) for k, t in self.timings(lang).items()}
                for lang in self.languages
            },
            "runs": [r.to_dict() for r in self.runs],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "LessonReport":
        return cls(
            lesson=data["lesson"],
            title=data.get("title", data["lesson"]),
            equivalent=data["equivalent"],
            diff=data.get("diff", ""),
            runs=tuple(RunResult.from_dict(r) for r in data["runs"]),
            backend=data.get("backend", ""),
            declared_differences=tuple(data.get("declared_differences", ())),
            host=data.get("host", {}),
            date=data.get("date", ""),
            order_varied={lang: tuple(lines) for lang, lines in data.get("order_varied", {}).items()},
        )


def host_facts() -> dict:
    """Where a result was measured, so that pages can state their conditions."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        memory = None
    return {
        "hostname": platform.node(),
        "system": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "memory_bytes": memory,
        "python": platform.python_version(),
    }


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def write_atomically(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file in the same folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # as an ordinary file would be, not mkstemp's 0600
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_json(data) -> str:
    """JSON that keeps a program's output as text and is safe to print to a terminal."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
