"""Static rules that catch the classic async mistakes in a learner's file without running it."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Callable

from runner import KitError
from runner.model.languages import Language, StaticRule


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule's id, which an exercise may `allow`
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


Found = list[tuple[int, str]]  # what an analysis found: (line, the name to put in the rule's message as {1})


# --- Python: read with the ast module, so comments and strings never trigger a rule -------------

def _python_tree(source: str) -> ast.AST | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None  # running it will say what is wrong, with the interpreter's own words


def _called(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            return node.func.id
        if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            return f"{node.func.value.id}.{node.func.attr}"
    return None


def _in_async(tree: ast.AST):
    """Every node inside an async function's own body (not in a plain function or class defined there)."""
    def visit(node: ast.AST, in_async: bool):
        for child in ast.iter_child_nodes(node):
            inside = isinstance(child, ast.AsyncFunctionDef) or (
                in_async and not isinstance(child, (ast.FunctionDef, ast.Lambda, ast.ClassDef)))
            if inside and in_async:
                yield child
            yield from visit(child, inside)
    return visit(tree, False)


def _python_blocking_sleep(source: str) -> Found:
    tree = _python_tree(source)
    if tree is None:
        return []
    sleep_names = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                   and node.module == "time" for alias in node.names if alias.name == "sleep"}
    return [(node.lineno, "time.sleep") for node in _in_async(tree)
            if (name := _called(node)) == "time.sleep" or name in sleep_names]


def _python_unawaited_coroutine(source: str) -> Found:
    tree = _python_tree(source)
    if tree is None:
        return []
    coroutine_functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.AsyncFunctionDef)}
    bare = [(node.lineno, _called(node.value)) for node in ast.walk(tree) if isinstance(node, ast.Expr)]
    return [(line, name) for line, name in bare
            if name in coroutine_functions or name in ("asyncio.sleep", "asyncio.gather", "asyncio.wait_for")]


# --- JavaScript and C#: line rules on the code with its comments blanked out ------------------

def _without_comments(source: str, comments: str) -> str:
    if not comments:
        return source
    return re.sub(comments, lambda m: re.sub(r"[^\n]", " ", m.group(0)), source, flags=re.S)


def _javascript_floating_promise(source: str) -> Found:
    """Calls of the file's own async functions (and the timers' promises) that nothing awaits or keeps."""
    code = _without_comments(source, r"//[^\n]*|/\*.*?\*/")
    names = set(re.findall(r"async\s+function\s*\*?\s*(\w+)", code))
    names |= set(re.findall(r"(?:const|let|var)\s+(\w+)\s*=\s*async\b", code))
    imported = re.search(r"import\s*\{([^}]*)\}\s*from\s*[\"']node:timers/promises[\"']", code)
    if imported:
        names |= {part.split(" as ")[-1].strip() for part in imported.group(1).split(",") if part.strip()}
    if not names:
        return []
    pattern = re.compile(rf"^[ \t]*({'|'.join(map(re.escape, sorted(names)))})\s*\(", re.M)
    return [(code.count("\n", 0, m.start()) + 1, m.group(1)) for m in pattern.finditer(code)]


# The rules that a pattern cannot say, by the name a registry entry's `analysis` gives them.
ANALYSES: dict[str, Callable[[str], Found]] = {
    "python-blocking-sleep": _python_blocking_sleep,
    "python-unawaited-coroutine": _python_unawaited_coroutine,
    "javascript-floating-promise": _javascript_floating_promise,
}


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
        return [Finding(rule.id, line, _message(rule, ("", name))) for line, name in analysis(source)]
    return [Finding(rule.id, code.count("\n", 0, m.start()) + 1, _message(rule, (m.group(0), *m.groups())))
            for m in re.finditer(rule.pattern, code, re.M)]


def find(language: Language, source: str, allow: tuple[str, ...] = ()) -> list[Finding]:
    """The language's static rules (its registry entry) broken in `source`, in line order."""
    code = _without_comments(source, language.comments)
    found = [finding for rule in language.static_rules if rule.id not in allow
             for finding in _apply(rule, source, code)]
    return sorted(found, key=lambda f: (f.line, f.rule))
