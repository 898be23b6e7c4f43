"""Lessons: load every lessons/<slug>/lesson.yaml, validate it, and report all problems at once."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from runner import ROOT, KitError
from runner.model.languages import YAML_LOADER, Registry
from runner.model.exercises import DESCRIPTION as EXERCISE, parse_exercise
from runner.model.lesson import MAX_TIMEOUT, SLUG, CompareRules, DeclaredDifference, Lesson, Needs
from runner.model.services import SERVICES
from runner.model.yaml_mistakes import is_number, is_text, yaml_mistake

LESSONS_DIR = ROOT / "lessons"
DEFAULT_TIMEOUT = 10.0
MAX_CORES = 64  # needs.cores: more than a lesson could mean


class InvalidLessons(KitError):
    """One or more lesson files are wrong; the message lists every problem and what became of the command."""

    def __init__(self, problems: list[str], outcome: str = "nothing was run"):
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the lesson files - {outcome}:\n  "
            + "\n  ".join(problems)
            + "\nFix them and run again (`invoke list` checks the lessons without running anything)."
        )


@dataclass(frozen=True)
class Course:
    """The lessons that load, in course order, and the problems of each one that does not, by folder name."""

    lessons: dict[str, Lesson]
    broken: dict[str, list[str]]

    @property
    def problems(self) -> list[str]:
        return [problem for found in self.broken.values() for problem in found]

    def usable(self, named: str | None = None) -> dict[str, Lesson]:
        """The lessons a command may use: a broken lesson it names (or no lesson at all) is its error."""
        if named in self.broken:
            raise InvalidLessons(self.broken[named], f"nothing was run (the lesson {named!r} is broken)")
        if not self.lessons:
            raise InvalidLessons(self.problems)
        return self.lessons

    def raise_problems(self, outcome: str) -> None:
        """After a command over the whole course: the lessons left out are its error (bad input). `outcome`
        says what became of the command; {left_out} in it: the lessons left out."""
        if self.broken:
            raise InvalidLessons(self.problems, outcome.format(left_out=", ".join(self.broken)))


_KEYS = {
    "title": "text",
    "summary": "text",
    "concepts": "list of text",
    "timeout": f"seconds, a number above 0 and at most {MAX_TIMEOUT:g}",
    "compare": "mapping with tolerance, same_time_as_set, differ",
    "expected": "the expected output, as a block of text",
    "notes": "mapping of language to text",
    "requires": "mapping of language to a minimum runtime version",
    "order": "a number: where the lesson stands in the course",
    "service": f"the name of a service the examples talk to: one of {', '.join(SERVICES)}",
    "exercise": EXERCISE,
    "measures": "a list of what the lesson measures besides time: cpu, memory",
    "timeline": "mapping with after: {task: the task whose result it uses}",
    "needs": f"mapping with cores: how many free cores the lesson needs at once, a whole number from 1 to {MAX_CORES}",
}
MEASURES = ("cpu", "memory")
_REQUIRED = ("title", "summary", "concepts", "notes")
_COMPARE_KEYS = ("tolerance", "same_time_as_set", "differ")


def _key_lines(text: str) -> dict[str, int]:
    """Line number of each top-level key, so that a problem can point at its line."""
    try:
        node = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value}


class _Problems:
    def __init__(self, file: Path, lines: dict[str, int]):
        self.file, self.lines, self.items = file, lines, []

    def add(self, key: str | None, message: str, line: int | None = None) -> None:
        where = str(self.file.relative_to(ROOT) if self.file.is_relative_to(ROOT) else self.file)
        line = line or (self.lines.get(key.split(".")[0]) if key else None)
        where += f":{line}" if line else ""
        where += f": {key}" if key else ""
        self.items.append(f"{where}: {message}")


def _parse_compare(raw, p: _Problems) -> CompareRules:
    if raw is None:
        return CompareRules()
    if not isinstance(raw, dict):
        p.add("compare", f"expected {_KEYS['compare']}, got {type(raw).__name__}")
        return CompareRules()
    for key in sorted(set(raw) - set(_COMPARE_KEYS)):
        p.add(f"compare.{key}", f"unknown key; allowed: {', '.join(_COMPARE_KEYS)}")
    tolerance = raw.get("tolerance", 0.1)
    if not is_number(tolerance) or not 0 <= tolerance <= 5:
        p.add("compare.tolerance", f"expected seconds between 0 and 5, got {tolerance!r}")
        tolerance = 0.1
    as_set = raw.get("same_time_as_set", False)
    if not isinstance(as_set, bool):
        p.add("compare.same_time_as_set", f"expected true or false, got {as_set!r}")
        as_set = False
    differ = []
    for i, item in enumerate(raw.get("differ") or []):
        key = f"compare.differ[{i}]"
        if not isinstance(item, dict) or set(item) != {"match", "why"}:
            p.add(key, f"expected a mapping with exactly `match` (a regular expression) and `why`, got {item!r}")
            continue
        try:
            re.compile(item["match"])
        except (re.error, TypeError) as exc:
            p.add(f"{key}.match", f"not a regular expression ({exc}): {item['match']!r}")
            continue
        differ.append(DeclaredDifference(str(item["match"]), str(item["why"])))
    return CompareRules(float(tolerance), as_set, tuple(differ))


def _parse_timeline(raw, p: _Problems) -> tuple[tuple[str, str], ...]:
    """timeline.after: task -> the task it waits for, drawn as a connector between their bars."""
    if raw is None:
        return ()
    after = raw.get("after") if isinstance(raw, dict) and set(raw) <= {"after"} else None
    if not isinstance(after, dict) or not all(is_text(k) and is_text(v) for k, v in after.items()):
        p.add("timeline", f"expected {_KEYS['timeline']}, e.g. {{after: {{butter: toast}}}}, got {raw!r}")
        return ()
    return tuple((str(k).strip(), str(v).strip()) for k, v in after.items())


def _parse_needs(raw, p: _Problems) -> Needs:
    """needs.cores: how many cores the lesson's program must have free at once (a lesson about parallelism)."""
    if raw is None:
        return Needs()
    cores = raw.get("cores") if isinstance(raw, dict) and set(raw) == {"cores"} else None
    if isinstance(cores, bool) or not isinstance(cores, int) or not 1 <= cores <= MAX_CORES:
        p.add("needs", f"expected {_KEYS['needs']}, e.g. {{cores: 2}}, got {raw!r}")
        return Needs()
    return Needs(cores=cores)


def _parse_language_map(raw, key: str, registry: Registry, p: _Problems) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        p.add(key, f"expected {_KEYS[key]}, got {type(raw).__name__}")
        return ()
    pairs = []
    for lang, value in raw.items():
        if lang not in registry.languages:
            p.add(f"{key}.{lang}", f"unknown language; expected one of {', '.join(registry.names)}")
        elif not is_text(str(value) if value is not None else ""):
            p.add(f"{key}.{lang}", "expected text, got nothing")
        else:
            pairs.append((lang, str(value).strip()))
    return tuple(pairs)


def load_lesson(folder: Path, registry: Registry) -> tuple[Lesson | None, list[str]]:
    """One lesson and the problems found in it (the lesson is None when it cannot be used)."""
    file = folder / "lesson.yaml"
    slug = folder.name
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [f"{folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}: no lesson.yaml"]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{file}: cannot read: {exc}"]
    p = _Problems(file, _key_lines(text))
    try:
        raw = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        message, key, line = yaml_mistake(exc, text)
        p.add(key, message, line)
        return None, p.items
    if not isinstance(raw, dict):
        p.add(None, "expected a mapping of keys (title, summary, ...) at the top level")
        return None, p.items
    if not SLUG.match(slug):
        p.add(None, f"folder name {slug!r} is not a valid lesson slug (lower-case words joined by '-')")
    for key in sorted(set(raw) - set(_KEYS)):
        close = difflib.get_close_matches(key, list(_KEYS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        p.add(key, f"unknown key{hint}; allowed: {', '.join(_KEYS)}")
    for key in _REQUIRED:
        if key not in raw:
            p.add(key, f"missing; expected {_KEYS[key]}")
    for key in ("title", "summary"):
        if key in raw and not is_text(raw[key]):
            p.add(key, f"expected {_KEYS[key]}, got {raw[key]!r}")
    concepts = raw.get("concepts") or []
    if not isinstance(concepts, list) or not all(is_text(c) for c in concepts):
        p.add("concepts", f"expected {_KEYS['concepts']}, got {concepts!r}")
        concepts = []
    timeout = raw.get("timeout", DEFAULT_TIMEOUT)
    if not is_number(timeout) or not 0 < timeout <= MAX_TIMEOUT:
        p.add("timeout", f"expected {_KEYS['timeout']}, got {timeout!r}")
        timeout = DEFAULT_TIMEOUT
    expected = raw.get("expected")
    if expected is not None and not is_text(expected):
        p.add("expected", f"expected {_KEYS['expected']}, got {expected!r}")
        expected = None
    compare = _parse_compare(raw.get("compare"), p)
    notes = _parse_language_map(raw.get("notes"), "notes", registry, p)
    requires = _parse_language_map(raw.get("requires"), "requires", registry, p)
    for lang, version in requires:
        if not re.fullmatch(r"\d+(\.\d+){0,2}", version):
            p.add(f"requires.{lang}", f"expected a version such as 24 or 3.12, got {version!r}")
    order = raw.get("order", 1000)
    if not is_number(order):
        p.add("order", f"expected {_KEYS['order']}, got {order!r}")
        order = 1000
    service = raw.get("service")
    if service is not None and service not in SERVICES:
        p.add("service", f"expected {_KEYS['service']}, got {service!r}")
        service = None
    exercise = parse_exercise(raw.get("exercise"), folder, registry, p, text)
    measures = raw.get("measures", [])
    if not isinstance(measures, list) or any(m not in MEASURES for m in measures):
        p.add("measures", f"expected {_KEYS['measures']}, got {measures!r}")
        measures = []
    after = _parse_timeline(raw.get("timeline"), p)
    needs = _parse_needs(raw.get("needs"), p)
    narrative_file = folder / "lesson.md"
    narrative = narrative_file.read_text(encoding="utf-8") if narrative_file.is_file() else ""
    if not narrative.strip():
        p.add(None, "no lesson.md narrative beside lesson.yaml (write what the lesson shows)")
    root = folder.parent.parent
    if not any(lang.example_path(slug, root).is_file() for lang in registry.languages.values()):
        wanted = ", ".join(str(lang.example_path(slug, root).relative_to(root)) for lang in registry.languages.values())
        p.add(None, f"no example in any language; expected at least one of {wanted}")
    if p.items:
        return None, p.items
    lesson = Lesson(
        slug=slug,
        title=raw["title"].strip(),
        summary=" ".join(raw["summary"].split()),
        concepts=tuple(str(c) for c in concepts),
        timeout=float(timeout),
        compare=compare,
        expected=expected,
        notes=notes,
        requires=requires,
        narrative=narrative,
        folder=folder,
        order=float(order),
        service=service,
        exercise=exercise,
        measures=tuple(measures),
        after=after,
        needs=needs,
    )
    return lesson, []


def load_course(registry: Registry, lessons_dir: Path = LESSONS_DIR) -> Course:
    """Every lesson that loads, in course order, beside the problems of every one that does not."""
    lessons, broken = {}, {}
    folders = sorted(p for p in lessons_dir.iterdir() if p.is_dir()) if lessons_dir.is_dir() else []
    for folder in folders:
        lesson, found = load_lesson(folder, registry)
        if found:
            broken[folder.name] = found
        elif lesson:
            lessons[lesson.slug] = lesson
    if not folders:
        raise KitError(f"no lessons found in {lessons_dir}: each lesson is a folder with a lesson.yaml")
    return Course(dict(sorted(lessons.items(), key=lambda item: (item[1].order, item[0]))), broken)


def load_lessons(registry: Registry, lessons_dir: Path = LESSONS_DIR) -> dict[str, Lesson]:
    """Every lesson, in course order; raises InvalidLessons listing every problem in every file."""
    course = load_course(registry, lessons_dir)
    if course.broken:
        raise InvalidLessons(course.problems)
    return course.lessons
