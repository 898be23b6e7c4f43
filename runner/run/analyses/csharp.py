"""C#'s rules that need more than a pattern, read from the code with its comments and the text of its
string literals blanked out (the holes of an interpolated string stay code), so a word in a string
never triggers one. Not a parser: methods are told by their braces, which is enough to say in which
method a `.Result` is read and what that method awaited before it."""
from __future__ import annotations

import bisect
import functools
import re

from runner.run.analyses import Found

_STRING_START = re.compile(r'(\$+@?|@\$+|@)?("""+|")')
_CHAR = re.compile(r"'(?:\\.[^'\n]*|[^'\\\n])'")
NOT_METHODS = {"if", "for", "foreach", "while", "switch", "catch", "using", "lock", "fixed", "when", "else", "do",
               "try", "finally", "checked", "unchecked", "unsafe", "return", "new"}


@functools.lru_cache(maxsize=4)  # every rule reads the same blanked code
def blank(source: str) -> str:
    """The source with comments and string literals' text replaced by spaces; lines and columns kept."""
    out = list(source)

    def wipe(a: int, b: int) -> None:
        for k in range(a, min(b, len(source))):
            if out[k] != "\n":
                out[k] = " "

    def code(i: int, in_hole: bool) -> int:
        depth = 0
        while i < len(source):
            c, two = source[i], source[i:i + 2]
            if in_hole and c == "}" and depth == 0:
                return i
            if two == "//":
                end = source.find("\n", i)
                end = len(source) if end < 0 else end
                wipe(i, end)
                i = end
            elif two == "/*":
                end = source.find("*/", i + 2)
                end = len(source) if end < 0 else end + 2
                wipe(i, end)
                i = end
            elif c == "'" and (m := _CHAR.match(source, i)):
                wipe(m.start() + 1, m.end() - 1)
                i = m.end()
            elif c in '$@"' and (m := _STRING_START.match(source, i)):
                i = string(m)
            else:
                depth += {"{": 1, "}": -1}.get(c, 0)
                i += 1
        return i

    def string(m: re.Match) -> int:
        prefix, quote = m.group(1) or "", m.group(2)
        interpolated, verbatim, j = "$" in prefix, "@" in prefix, m.end()
        if len(quote) >= 3:  # a raw string literal: all of it is text
            end = source.find(quote, j)
            end = len(source) if end < 0 else end
            wipe(j, end)
            return end + len(quote)
        while j < len(source):
            c = source[j]
            if c == "\\" and not verbatim:
                wipe(j, j + 2)
                j += 2
            elif c == '"' and verbatim and source.startswith('""', j):
                wipe(j, j + 2)
                j += 2
            elif c == '"':
                return j + 1
            elif c == "\n" and not verbatim:
                return j  # unterminated: the compiler will say so
            elif interpolated and source.startswith("{{", j):
                wipe(j, j + 2)
                j += 2
            elif interpolated and c == "{":
                j = code(j + 1, True) + 1
            else:
                wipe(j, j + 1)
                j += 1
        return j

    code(0, False)
    return "".join(out)


@functools.lru_cache(maxsize=4)
def _line_starts(code: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", code)]


def _line(code: str, at: int) -> int:
    return bisect.bisect_right(_line_starts(code), at)


@functools.lru_cache(maxsize=4)
def _brackets(code: str) -> tuple[dict[int, int], dict[int, int], list[tuple[int, int]]]:
    """Every bracket's closing one (by index), every closing bracket's opening one, and the method bodies
    (from `{` to `}`, in order): one pass, so a long file costs no more than once its length."""
    pairs, stack, bodies, stop = {}, [], [], -1
    for k, c in enumerate(code):
        if c in "([{":
            stack.append(k)
        elif c in ")]}" and stack:
            pairs[stack.pop()] = k
        if c == "{":
            header = code[stop + 1:k]
            call = re.search(r"(\w+)\s*(?:<[^<>()]*>)?\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*(?:where\b[^{]*)?$", header)
            if call and call.group(1) not in NOT_METHODS and "=>" not in header and "=" not in header.split("(")[0]:
                bodies.append(k)
        if c in ";{}":
            stop = k
    return pairs, {c: o for o, c in pairs.items()}, [(k, pairs.get(k, len(code))) for k in bodies]


def _closing(code: str, at: int) -> int:
    """The index of the bracket that closes the one at `at` ((, [ or {); the end if none does."""
    return _brackets(code)[0].get(at, len(code))


def _method_start(code: str, at: int) -> int:
    """Where the body of the method (or local function) holding `at` begins; 0 in top-level statements."""
    bodies = _brackets(code)[2]
    for k in range(bisect.bisect_left(bodies, (at, 0)) - 1, -1, -1):
        opening, closing = bodies[k]
        if at < closing:
            return opening + 1  # the innermost: the nearest one that began before `at` and is still open
    return 0


def _receiver(code: str, end: int) -> str:
    """The expression just before `end` (where `.Result` begins): `t`, `tasks[0]`, `pair.Item1`, `Work()`."""
    k = end
    while k > 0:
        c = code[k - 1]
        if c in ")]":
            depth, k = 0, k
            while k > 0:
                k -= 1
                depth += {")": 1, "]": 1, "(": -1, "[": -1}.get(code[k], 0)
                if depth == 0:
                    break
        elif c.isalnum() or c in "_.?!":
            k -= 1
        else:
            break
    return code[k:end].strip().lstrip("!")


def _shown(source: str, code: str, receiver: str, end: int) -> str:
    """The receiver as the learner wrote it (its strings too), on one line and at most 50 characters."""
    if not receiver:
        return "the task"
    written = " ".join(source[end - len(receiver) - (len(code[:end]) - len(code[:end].rstrip())):end].split())
    return written if len(written) <= 50 else written[:47] + "..."


def _known_complete(code: str, start: int, at: int, receiver: str, seen: frozenset = frozenset()) -> bool:
    """Whether the task (or collection of tasks) `receiver` is known to have ended before `at`: awaited (or
    waited for with no timeout), in an awaited Task.WhenAll (or a Task.WaitAll), the winner of an awaited
    Task.WhenAny (or compared equal to it), a task that `await foreach` takes from Task.WhenEach, checked with
    IsCompleted, or an element (foreach, a lambda's parameter, an index) of a
    collection that is."""
    name = re.sub(r"\[.*\]$", "", receiver)
    if not re.fullmatch(r"[\w.]+", name) or name in seen:
        return False  # a call's result (`Work().Result`) is a task made there: not complete
    before, word = code[start:at], re.escape(name)
    # Task.WaitAll and .Wait() block (their own finding), but once they return the tasks have ended.
    for m in re.finditer(r"\bawait\s+Task\s*\.\s*WhenAll\s*\(|\bTask\s*\.\s*WaitAll\s*\(", before):
        arguments = code[start + m.end():min(_closing(code, start + m.end() - 1), at)]
        if re.search(rf"(?<![\w.]){word}\b", arguments):
            return True
    ended = (rf"\bawait\s+{word}\s*[;)]", rf"\b{word}\s*\.\s*Wait\s*\(\s*\)",
             rf"\b{word}\s*=\s*await\s+Task\s*\.\s*WhenAny\b", rf"\b{word}\s*\.\s*IsCompleted",
             # each task that `await foreach` takes from Task.WhenEach has ended
             rf"\bawait\s+foreach\s*\([^()]*?\b{word}\s+in\s+Task\s*\.\s*WhenEach\s*\(")
    if re.search("|".join(ended), before):
        return True
    # The winner of an awaited Task.WhenAny, compared equal to the task: ended where that comparison holds, in
    # `await Task.WhenAny(t, delay) == t ? t.Result : 0` or `if (winner == t) ... t.Result`, and nowhere else.
    winners = re.findall(r"\b(\w+)\s*=\s*await\s+Task\s*\.\s*WhenAny\b", before)
    won = [rf"\bawait\s+Task\s*\.\s*WhenAny\s*\([^;]*\)\s*==\s*{word}\b"]
    won += [rf"\b{w}\s*==\s*{word}\b|(?<![\w.]){word}\s*==\s*{w}\b" for w in winners]
    if any(_where_it_holds(code, start, at, comparison) for comparison in won):
        return True
    parents = [m.group(1) for m in re.finditer(rf"\bforeach\s*\([^()]*?\b{word}\s+in\s+([\w.]+)", before)]
    parents += [m.group(1) for m in re.finditer(rf"([\w.]+)\s*\.\s*\w+\s*\(\s*\(?\s*{word}\s*\)?\s*=>", before)]
    return any(_known_complete(code, start, at, parent, seen | {name}) for parent in parents)


def _where_it_holds(code: str, start: int, at: int, condition: str) -> bool:
    """Whether `at` lies where the `condition` (a pattern) is known to hold: in the body of an `if` that tests
    it (with `&&` at most beside it), or after the `?` of a conditional that tests it, in the same statement."""
    for m in re.finditer(condition, code[start:at]):
        after = re.compile(r"[^;{}?]*?\?").match(code, start + m.end())  # `... == t ? t.Result : 0`
        if after and not code[after.end():at].count(";"):
            return True
        opening = code.rfind("(", start, start + m.start())
        if opening < 0 or not re.search(r"\bif\s*\($", code[start:opening + 1]):
            continue
        close = _closing(code, opening)
        if close > at or "||" in code[opening:close]:
            continue
        body = re.compile(r"\s*").match(code, close + 1).end()
        end = _closing(code, body) if code.startswith("{", body) else code.find(";", body)
        if body <= at <= (end if end >= 0 else len(code)):
            return True
    return False


def blocking_result(source: str) -> Found:
    """`.Result` and `.GetAwaiter().GetResult()` on a task not known to have ended: they block until it does."""
    code = blank(source)
    found = []
    for m in re.finditer(r"\.\s*(Result)\b(?!\s*\()|\.\s*(GetAwaiter\s*\(\s*\)\s*\.\s*GetResult)\s*\(", code):
        receiver = _receiver(code, m.start())
        if not _known_complete(code, _method_start(code, m.start()), m.start(), receiver):
            what = "Result" if m.group(1) else "GetAwaiter().GetResult()"
            found.append((_line(code, m.start()), what, _shown(source, code, receiver, m.start())))
    return found


def blocking_wait(source: str) -> Found:
    """`.Wait(...)`, a task's or a SemaphoreSlim's: it blocks a thread."""
    code = blank(source)
    found = []
    for m in re.finditer(r"\.\s*Wait\s*\(", code):
        receiver = _receiver(code, m.start())
        shown = _shown(source, code, receiver, m.start())
        # A call's result is a task (Task.WhenAll(...)); a name may be a task or a SemaphoreSlim.
        if shown.endswith("...") or not receiver:
            instead = "`await` it"
        elif "(" in receiver:
            instead = f"`await {shown}`"
        else:
            instead = f"`await {shown}` (a task) or `await {shown}.WaitAsync()` (a SemaphoreSlim)"
        found.append((_line(code, m.start()), shown, instead))
    return found


def wait_all(source: str) -> Found:
    """Task.WaitAll and Task.WaitAny: they block a thread; WhenAll and WhenAny are what to await."""
    code = blank(source)
    instead = {"WaitAll": ("WhenAll", "every task has ended"), "WaitAny": ("WhenAny", "one of the tasks has ended")}
    return [(_line(code, m.start()), m.group(1), *instead[m.group(1)])
            for m in re.finditer(r"\bTask\s*\.\s*(WaitAll|WaitAny)\s*\(", code)]


def busy_wait(source: str) -> Found:
    """A loop that spins: an empty body, or a `while (!x.TryWrite(...))` (TryRead, TryTake, ...) that
    neither awaits nor sleeps between tries."""
    code = blank(source)
    found = []
    for m in re.finditer(r"\b(while|for)\s*\(", code):
        close = _closing(code, m.end() - 1)
        condition = " ".join(code[m.end():close].split())
        if m.group(1) == "for" and condition.replace(" ", "") != ";;":
            continue
        body = _do_body(code, m.start()) if m.group(1) == "while" else None
        if body is None:
            body = _body(code, close + 1)
        spins_on_try = re.search(r"!\s*[\w.\[\]()]*\.\s*Try\w+\s*\(", condition) and not re.search(
            r"\bawait\b|\bSleep\s*\(", body)
        # A condition that awaits (`while ((line = await reader.ReadLineAsync()) != null) {}`) does not spin.
        empty = not body.replace(";", "").replace("continue", "").strip() and not re.search(r"\bawait\b", condition)
        if empty or spins_on_try:
            shown = condition if len(condition) <= 50 else condition[:47] + "..."
            found.append((_line(code, m.start()), f"{m.group(1)} ({shown})"))
    return found


def _do_body(code: str, at: int) -> str | None:
    """The body of the `do { ... }` that the `while` at `at` ends; None if it ends none."""
    k = at - 1
    while k >= 0 and code[k].isspace():
        k -= 1
    opening = _brackets(code)[1].get(k) if k >= 0 and code[k] == "}" else None
    if opening is None or not re.search(r"\bdo\s*$", code[max(0, opening - 20):opening]):
        return None
    return code[opening + 1:k]


def _body(code: str, at: int) -> str:
    """The loop body that starts at `at` (after spaces): a block's inside, or one statement."""
    at = re.compile(r"\s*").match(code, at).end()
    if code.startswith("{", at):
        return code[at + 1:_closing(code, at)]
    end = code.find(";", at)
    return code[at:end + 1] if end >= 0 else code[at:]


def thread_sleep(source: str) -> Found:
    """Thread.Sleep: it blocks the thread. (The words in a string, `Log("no Thread.Sleep here")`, are not a call.)"""
    code = blank(source)
    return [(_line(code, m.start()),) for m in re.finditer(r"\bThread\s*\.\s*Sleep\s*\(", code)]


def async_void(source: str) -> Found:
    """An `async void` method or local function (not the words in a string)."""
    code = blank(source)
    return [(_line(code, m.start()),) for m in re.finditer(r"\basync\s+void\b", code)]


ANALYSES = {
    "csharp-blocking-result": blocking_result,
    "csharp-blocking-wait": blocking_wait,
    "csharp-wait-all": wait_all,
    "csharp-busy-wait": busy_wait,
    "csharp-thread-sleep": thread_sleep,
    "csharp-async-void": async_void,
}
