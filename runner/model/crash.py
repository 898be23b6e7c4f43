"""What a crashed program said on stderr, cut to what a learner reads: its start and end, and the frames that
name their own file (a Python traceback's innermost, Node's source line with its caret, a .NET stack's `in file:line`).

The paths in it are the learner's already (runner/sandbox/backend.py `shown_paths`)."""
from __future__ import annotations

HEAD = 5  # lines from the start: Node's file:line, source line, caret and error; .NET's "Unhandled exception. ..."
TAIL = 12  # lines from the end: Python's error and the frames nearest to it
CONTEXT = 2  # lines after a frame that names the file: the source line, and a caret under it
GAP = "    ..."


def _frame(line: str) -> bool:
    """A line that names a place in some file: a traceback's `File "..."` or a stack's `at ...`."""
    text = line.strip()
    return text.startswith(("File \"", "at ")) or text.endswith(")") and " at " in text


def excerpt(stderr: str, file_name: str, tail: int = TAIL) -> str:
    """The first lines of `stderr` and its last `tail`, and between them the first and last lines that name
    `file_name` (the learner's file), each with the source lines that follow it; a gap is shown as '...'."""
    lines = stderr.strip().splitlines()
    keep = set(range(min(HEAD, len(lines)))) | set(range(max(0, len(lines) - tail), len(lines)))
    mentions = [i for i, line in enumerate(lines) if file_name and file_name in line]
    for at in dict.fromkeys(mentions[:1] + mentions[-1:]):
        keep.add(at)
        for after in range(at + 1, min(at + 1 + CONTEXT, len(lines))):
            if not lines[after].strip() or file_name in lines[after] or _frame(lines[after]):
                break
            keep.add(after)
    shown, last = [], -1
    for i in sorted(keep):
        if i > last + 1:
            shown.append(GAP)
        shown.append(lines[i])
        last = i
    return "\n".join(shown)
