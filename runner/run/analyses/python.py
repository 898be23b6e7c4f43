"""Python's rules, read with the ast module: comments and strings never trigger one."""
from __future__ import annotations

import ast
import functools
import threading

from runner.run.analyses import Found

# asyncio's coroutine functions: called without await, they only make a coroutine. (asyncio.gather is not one:
# it wraps its coroutines in tasks at once, which run; see unawaited_gather.)
ASYNCIO_COROUTINES = ("asyncio.sleep", "asyncio.wait_for", "asyncio.wait", "asyncio.to_thread")


# ast.parse is not safe in threads here (CPython 3.11: "SystemError: AST constructor recursion depth
# mismatch" when two threads parse at once), and checks are judged side by side (a classroom's learners).
_PARSING = threading.Lock()


@functools.lru_cache(maxsize=8)  # every rule reads the same tree; no rule changes it
def _tree(source: str) -> ast.AST | None:
    with _PARSING:
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


def _sleeps(tree: ast.AST) -> set[str]:
    """The names time.sleep goes by in this file."""
    return {"time.sleep"} | {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                             and node.module == "time" for alias in node.names if alias.name == "sleep"}


def blocking_sleep(source: str) -> Found:
    if (tree := _tree(source)) is None:
        return []
    sleeps = _sleeps(tree)
    return [(node.lineno, "time.sleep") for node in _in_async(tree) if _called(node) in sleeps]


def unawaited_coroutine(source: str) -> Found:
    """A statement that is only a call of a coroutine function: the coroutine is made and dropped."""
    if (tree := _tree(source)) is None:
        return []
    defined = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    plain = {node.name for node in defined if isinstance(node, ast.FunctionDef)}
    coroutine_functions = {node.name for node in defined if isinstance(node, ast.AsyncFunctionDef)}
    # A method call is told by the methods of the file's classes only: `writer.close()` is StreamWriter's
    # plain close, whatever coroutine function named close the file defines.
    coroutine_methods = {node.name for cls in ast.walk(tree) if isinstance(cls, ast.ClassDef)
                         for node in cls.body if isinstance(node, ast.AsyncFunctionDef)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
            continue
        name, func = _called(node.value), node.value.func
        if name in coroutine_functions or name in ASYNCIO_COROUTINES:
            found.append((node.lineno, name))
        elif isinstance(func, ast.Attribute) and func.attr in coroutine_methods - plain \
                and not (isinstance(func.value, ast.Name) and func.value.id == "asyncio"):
            found.append((node.lineno, ast.unparse(func)))  # a method of the file's own: self.put(...)
    return found


def unawaited_gather(source: str) -> Found:
    """A statement that is only a call of asyncio.gather: its tasks run, but nothing waits for them."""
    if (tree := _tree(source)) is None:
        return []
    names = {"asyncio.gather"} | {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                                  and node.module == "asyncio" for alias in node.names if alias.name == "gather"}
    return [(node.lineno, _called(node.value)) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and _called(node.value) in names]


def _empty(body: list[ast.stmt]) -> bool:
    return all(isinstance(s, (ast.Pass, ast.Continue))
               or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)) for s in body)


def busy_wait(source: str) -> Found:
    """A `while` whose body does nothing: it spins, and in async code no other task can run to end it. (A
    condition that awaits, `while (item := await queue.get()) is not None: pass`, lets other tasks run.)"""
    if (tree := _tree(source)) is None:
        return []
    return [(node.lineno, f"while {ast.unparse(node.test)}") for node in ast.walk(tree)
            if isinstance(node, ast.While) and _empty(node.body)
            and not any(isinstance(part, ast.Await) for part in ast.walk(node.test))]


def _handed_to_threads(tree: ast.AST):
    """(line, the function given to a thread, the call that gives it): asyncio.to_thread(f),
    loop.run_in_executor(None, f), threading.Thread(target=f), executor.submit(f), functools.partial(f)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node) or (node.func.attr if isinstance(node.func, ast.Attribute) else "")
        short = name.rsplit(".", 1)[-1]
        given = None
        if short in ("to_thread", "submit") and node.args:
            given = node.args[0]
        elif short == "run_in_executor" and len(node.args) > 1:
            given = node.args[1]
        elif short == "Thread":
            given = next((k.value for k in node.keywords if k.arg == "target"), None)
        while isinstance(given, ast.Call) and _called(given) in ("partial", "functools.partial") and given.args:
            given = given.args[0]
        if given is not None:
            yield node.lineno, given, name


def blocking_in_thread(source: str) -> Found:
    """time.sleep in a function handed to a thread (or handed over itself): for exercises that forbid threads."""
    if (tree := _tree(source)) is None:
        return []
    sleeps = _sleeps(tree)
    functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    found = []
    for line, given, how in sorted(_handed_to_threads(tree), key=lambda handed: handed[0]):
        written = ast.unparse(given)
        if written in sleeps:
            found.append((line, written, written, how))
            continue
        body = given if isinstance(given, ast.Lambda) else functions.get(written)
        if body is not None:
            found += [(node.lineno, _called(node), written if body is not given else "a lambda", how)
                      for node in ast.walk(body) if _called(node) in sleeps]
    first = {}  # a sleep in a function handed to threads three times is one finding
    for finding in found:
        first.setdefault(finding[:2], finding)
    return sorted(first.values())


ANALYSES = {
    "python-blocking-sleep": blocking_sleep,
    "python-unawaited-coroutine": unawaited_coroutine,
    "python-unawaited-gather": unawaited_gather,
    "python-busy-wait": busy_wait,
    "python-blocking-in-thread": blocking_in_thread,
}
