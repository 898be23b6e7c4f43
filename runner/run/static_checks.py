"""Static rules that catch the classic async mistakes in a learner's file without running it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from runner import KitError
from runner.model.languages import Language, StaticRule
from runner.run.analyses import Found, Unavailable, csharp, javascript, python


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule's id, which an exercise may `allow`
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Examination:
    """What the rules found, and the rules that could not look (why, and what to do), which fail nothing."""

    findings: tuple[Finding, ...]
    unchecked: tuple[str, ...] = ()


# The rules that a pattern cannot say, by the name a registry entry's `analysis` gives them.
ANALYSES: dict[str, Callable[[str], Found]] = {**python.ANALYSES, **javascript.ANALYSES, **csharp.ANALYSES}


def without_comments(source: str, comments: str) -> str:
    if not comments:
        return source
    return re.sub(comments, lambda m: re.sub(r"[^\n]", " ", m.group(0)), source, flags=re.S)


def _message(rule: StaticRule, groups: tuple[str, ...]) -> str:
    return re.sub(r"\{(\d+)\}", lambda m: groups[int(m.group(1))] if int(m.group(1)) < len(groups) else m.group(0),
                  rule.message)


def _apply(rule: StaticRule, source: str, code: str) -> list[Finding]:
    if rule.analysis:
        try:
            analysis = ANALYSES[rule.analysis]
        except KeyError:
            raise KitError(f"static rule {rule.id!r}: unknown analysis {rule.analysis!r}; "
                           f"expected one of {', '.join(ANALYSES)}") from None
        return [Finding(rule.id, line, _message(rule, ("", *map(str, words)))) for line, *words in analysis(source)]
    return [Finding(rule.id, code.count("\n", 0, m.start()) + 1, _message(rule, (m.group(0), *m.groups())))
            for m in re.finditer(rule.pattern, code, re.M)]


def applies(rule: StaticRule, allow: tuple[str, ...] = (), forbid: tuple[str, ...] = ()) -> bool:
    """Whether an exercise applies the rule: not allowed by id, and, for a rule kept for exercises that
    forbid something (`when_forbidden`), forbidden there."""
    return rule.id not in allow and (not rule.when_forbidden or rule.when_forbidden in forbid)


def examine(language: Language, source: str, allow: tuple[str, ...] = (),
            forbid: tuple[str, ...] = ()) -> Examination:
    """The language's static rules (its registry entry) broken in `source`, in line order."""
    code = without_comments(source, language.comments)
    found, unchecked = [], {}
    for rule in language.static_rules:
        if not applies(rule, allow, forbid):
            continue
        try:
            found += _apply(rule, source, code)
        except Unavailable as exc:
            unchecked.setdefault(str(exc), []).append(rule.id)
    left_out = tuple(f"not checked: {language.title}'s rules {', '.join(dict.fromkeys(ids))}: {why}"
                     for why, ids in unchecked.items())
    return Examination(tuple(sorted(found, key=lambda f: (f.line, f.rule))), left_out)


def find(language: Language, source: str, allow: tuple[str, ...] = (), forbid: tuple[str, ...] = ()) -> list[Finding]:
    """Like `examine`, for callers that need every rule to look: a rule that cannot is a KitError."""
    examination = examine(language, source, allow, forbid)
    if examination.unchecked:
        raise KitError("; ".join(examination.unchecked))
    return list(examination.findings)
