"""Reading a lesson.yaml's exercise: how fast a right solution is, hints, rules, and its scenarios."""
from __future__ import annotations

from pathlib import Path

import yaml

from runner.model.languages import YAML_LOADER, Registry
from runner.model.lesson import DEFAULT_SCENARIO, MAX_TIMEOUT, SLUG, Exercise, Scenario
from runner.model.yaml_mistakes import is_number, is_text

DESCRIPTION = "mapping with seconds, slower, hints, allow, forbid, scenarios"
EXERCISE_KEYS = ("seconds", "slower", "hints", "allow", "forbid", "scenarios")
SCENARIO_KEYS = ("what", "expected", "seconds")
SCENARIO_NAME = "a name in lower-case words joined by '-', other than 'default'"


def parse_exercise(raw, folder: Path, registry: Registry, p, text: str) -> Exercise | None:
    """The exercise, with every problem added to `p` (lessons._Problems); `text` is the file's, for lines."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        p.add("exercise", f"expected {DESCRIPTION}, got {type(raw).__name__}")
        return None
    for key in sorted(set(raw) - set(EXERCISE_KEYS)):
        p.add(f"exercise.{key}", f"unknown key; allowed: {', '.join(EXERCISE_KEYS)}")
    seconds = raw.get("seconds")
    if not is_number(seconds) or not 0 < seconds <= MAX_TIMEOUT:
        p.add("exercise.seconds", f"expected the in-program seconds of a right solution, got {seconds!r}")
        seconds = 1.0
    slower = raw.get("slower") or (f"a right solution finishes in about {seconds:g} s: is something waiting "
                                   "that need not, or one thing after another that could run together?")
    hints = raw.get("hints") or {}
    parsed_hints = []
    if not isinstance(hints, dict):
        p.add("exercise.hints", f"expected a mapping of `all` or a language to a list of hints, got {hints!r}")
        hints = {}
    for lang, items in hints.items():
        if lang != "all" and lang not in registry.languages:
            p.add(f"exercise.hints.{lang}", f"unknown language; expected all or one of {', '.join(registry.names)}")
        elif not isinstance(items, list) or not all(is_text(h) for h in items):
            p.add(f"exercise.hints.{lang}", f"expected a list of hints (text), got {items!r}")
        else:
            parsed_hints.append((lang, tuple(" ".join(h.split()) for h in items)))
    allow = raw.get("allow") or []
    if not isinstance(allow, list) or not all(is_text(a) for a in allow):
        p.add("exercise.allow", f"expected a list of rule ids, got {allow!r}")
        allow = []
    for rule in allow:
        if rule not in registry.rule_ids:  # the static rules are the languages' own (the registry)
            p.add("exercise.allow", f"unknown rule {rule!r}; the static rules are {', '.join(registry.rule_ids)}")
    forbid = raw.get("forbid") or []
    if not isinstance(forbid, list) or not all(is_text(f) for f in forbid):
        p.add("exercise.forbid", f"expected a list of what the task forbids, got {forbid!r}")
        forbid = []
    for thing in forbid:
        if thing not in registry.forbiddable:
            p.add("exercise.forbid", f"unknown {thing!r}; a static rule looks for: {', '.join(registry.forbiddable)}")
    if not (folder / "exercise.md").is_file():
        p.add("exercise", "no exercise.md beside lesson.yaml (write the learner's task)")
    if not any((folder / "exercise" / f"starter{lang.extension}").is_file() for lang in registry.languages.values()):
        wanted = ", ".join(f"exercise/starter{lang.extension}" for lang in registry.languages.values())
        p.add("exercise", f"no starter file in any language; expected at least one of {wanted}")
    return Exercise(float(seconds), " ".join(str(slower).split()), tuple(parsed_hints),
                    tuple(str(a) for a in allow), tuple(str(f) for f in forbid),
                    _parse_scenarios(raw.get("scenarios"), p, _scenario_lines(text)))


def _parse_scenarios(raw, p, lines: dict[str, int]) -> tuple[Scenario, ...]:
    """exercise.scenarios: a name -> what it changes, what a right program then prints, in how many seconds."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        p.add("exercise.scenarios", f"expected a mapping of a scenario's name to its {', '.join(SCENARIO_KEYS)}, "
                                    f"got {type(raw).__name__}", lines.get(""))
        return ()
    found = []
    for name, spec in raw.items():
        key, line = f"exercise.scenarios.{name}", lines.get(str(name))
        if not isinstance(name, str) or name == DEFAULT_SCENARIO or not SLUG.match(name):
            p.add(key, f"expected {SCENARIO_NAME}, got {name!r}", line)
            continue
        if not isinstance(spec, dict):
            p.add(key, f"expected a mapping with {', '.join(SCENARIO_KEYS)}, got {type(spec).__name__}", line)
            continue
        for unknown in sorted(set(spec) - set(SCENARIO_KEYS)):
            p.add(f"{key}.{unknown}", f"unknown key; allowed: {', '.join(SCENARIO_KEYS)}", line)
        what, expected, seconds = spec.get("what"), spec.get("expected"), spec.get("seconds")
        if not is_text(what):
            p.add(f"{key}.what", f"expected what the scenario changes, for the learner, got {what!r}", line)
        if expected is not None and not is_text(expected):
            p.add(f"{key}.expected", f"expected the output of a right program, as a block of text, got "
                                     f"{expected!r}", line)
        if seconds is not None and (not is_number(seconds) or not 0 < seconds <= MAX_TIMEOUT):
            p.add(f"{key}.seconds", f"expected the in-program seconds of a right solution, got {seconds!r}", line)
        if is_text(what) and (expected is None or is_text(expected)) and (seconds is None or is_number(seconds)):
            found.append(Scenario(name, " ".join(what.split()), expected,
                                  float(seconds) if seconds is not None else None))
    return tuple(found)


def _scenario_lines(text: str) -> dict[str, int]:
    """The line of each scenario's name under exercise.scenarios ("" for the key itself), 1-based."""
    try:
        node = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return {}
    for key in ("exercise", "scenarios"):
        if not isinstance(node, yaml.MappingNode):
            return {}
        found = next(((k, v) for k, v in node.value if k.value == key), None)
        if found is None:
            return {}
        holder, node = found
    lines = {"": holder.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        lines.update({k.value: k.start_mark.line + 1 for k, _ in node.value})
    return lines
