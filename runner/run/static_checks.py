"""Static rules that catch the classic async mistakes in a learner's file without running it."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule's id, which an exercise may `allow`
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


# --- Python: read with the ast module, so comments and strings never trigger a rule -------------

def _python(source: str) -> list[Finding]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # running it will say what is wrong, with the interpreter's own words
    coroutine_functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.AsyncFunctionDef)}
    sleep_names = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                   and node.module == "time" for alias in node.names if alias.name == "sleep"}
    findings = []

    def called(node: ast.AST) -> str | None:
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                return node.func.id
            if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
                return f"{node.func.value.id}.{node.func.attr}"
        return None

    def visit(node: ast.AST, in_async: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = isinstance(child, ast.AsyncFunctionDef) or (
                in_async and not isinstance(child, (ast.FunctionDef, ast.Lambda, ast.ClassDef)))
            name = called(child)
            if inside and in_async and (name == "time.sleep" or name in sleep_names):
                findings.append(Finding("blocking-sleep", child.lineno, (
                    "time.sleep inside an async function blocks the event loop: no other task runs while "
                    "it sleeps. Use `await asyncio.sleep(...)`.")))
            if isinstance(child, ast.Expr):
                bare = called(child.value)
                if bare in coroutine_functions or bare in ("asyncio.sleep", "asyncio.gather", "asyncio.wait_for"):
                    findings.append(Finding("unawaited-coroutine", child.lineno, (
                        f"`{bare}(...)` only makes a coroutine and drops it: it never runs. `await` it, or hand "
                        "it to asyncio.gather or asyncio.create_task.")))
            visit(child, inside)

    visit(tree, False)
    return findings


# --- JavaScript and C#: line rules on the code with its comments blanked out ------------------

_C_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


def _without_comments(source: str) -> str:
    return _C_COMMENTS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)


def _line_rules(rules: list[tuple[str, re.Pattern, Callable[[re.Match], str]]], source: str) -> list[Finding]:
    code = _without_comments(source)
    findings = []
    for rule, pattern, message in rules:
        for match in pattern.finditer(code):
            findings.append(Finding(rule, code.count("\n", 0, match.start()) + 1, message(match)))
    return findings


def _javascript(source: str) -> list[Finding]:
    code = _without_comments(source)
    names = set(re.findall(r"async\s+function\s*\*?\s*(\w+)", code))
    names |= set(re.findall(r"(?:const|let|var)\s+(\w+)\s*=\s*async\b", code))
    imported = re.search(r"import\s*\{([^}]*)\}\s*from\s*[\"']node:timers/promises[\"']", code)
    if imported:
        names |= {part.split(" as ")[-1].strip() for part in imported.group(1).split(",") if part.strip()}
    rules = [("blocking-call", re.compile(r"\b(Atomics\.wait|execSync|spawnSync|\w+Sync)\s*\("), lambda m: (
        f"`{m.group(1)}` blocks Node's only JavaScript thread: timers, I/O and promises all stop until it "
        "returns. Use the promise-based API and `await` it."))]
    if names:
        rules.append(("floating-promise", re.compile(rf"^[ \t]*({'|'.join(map(re.escape, sorted(names)))})\s*\(", re.M),
                      lambda m: (f"the promise from `{m.group(1)}(...)` is neither awaited nor kept: the program does "
                                 "not wait for it and its errors are lost. `await` it, or keep it and "
                                 "`await Promise.all([...])`.")))
    return _line_rules(rules, source)


def _csharp(source: str) -> list[Finding]:
    return _line_rules([
        ("blocking-result", re.compile(r"\.(Result\b|Wait\(|GetAwaiter\(\)\s*\.GetResult\()"), lambda m: (
            f"`.{m.group(1).rstrip('(')}{'(...)' if m.group(1).endswith('(') else ''}` blocks a thread until the "
            "task ends (and can deadlock where there is a synchronization context). In async code, `await` it.")),
        ("thread-sleep", re.compile(r"\bThread\.Sleep\s*\("), lambda m: (
            "Thread.Sleep blocks the whole thread; in async code use `await Task.Delay(...)`.")),
        ("async-void", re.compile(r"\basync\s+void\b"), lambda m: (
            "an `async void` method cannot be awaited, and an exception in it crashes the process: return Task.")),
    ], source)


RULES: dict[str, Callable[[str], list[Finding]]] = {"python": _python, "javascript": _javascript, "csharp": _csharp}


def find(language: str, source: str, allow: tuple[str, ...] = ()) -> list[Finding]:
    """The rules broken in `source`, in line order; a language without rules breaks none."""
    found = RULES.get(language, lambda _: [])(source)
    return sorted((f for f in found if f.rule not in allow), key=lambda f: (f.line, f.rule))
