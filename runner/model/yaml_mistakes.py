"""Where a mistake in a YAML file is, and what fixes it: the line and key a person has to change."""
from __future__ import annotations

import re

import yaml

# LibYAML notices an unclosed bracket or quote, or a key without its colon, only at the next token, often on a
# later line: the line to fix is where that construct starts (the error's context), and the fix is to close it.
_UNCLOSED = {
    "flow": "close the [ or { opened on this line, or quote the value",
    "quoted scalar": "close the quote opened on this line",
    "simple key": "write a key with a colon and a space after it (key: value)",
}
# Any other mistake it notices where it is.
_HERE = {
    "tab": "indent with spaces, not tabs",
    "alias": "quote a value that starts with * or &",
    "anchor": "quote a value that starts with * or &",
    "mapping values": "quote a value that holds ': ', or indent the key as the others at its level",
    "": "indent this line as the others at its level, and quote a value that starts with [, {, *, &, ! or %",
}


def yaml_mistake(exc: yaml.YAMLError, text: str) -> tuple[str, str | None, int | None]:
    """The message, the top-level key the mistake is under (None before the first) and its line (1-based)."""
    context, problem = getattr(exc, "context", None) or "", getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "context_mark", None)
    fix = next((fix for kind, fix in _UNCLOSED.items() if kind in context), None)
    if not (fix and mark):
        mark, fix = getattr(exc, "problem_mark", None), next(fix for kind, fix in _HERE.items() if kind in problem)
    line = mark.line + 1 if mark else None
    keys = re.findall(r"^(\w[\w-]*)", "\n".join(text.splitlines()[:line]), re.MULTILINE)
    return f"not valid YAML: {problem}: {fix}", keys[-1] if keys else None, line


def is_text(value) -> bool:
    """A value that a lesson file means as text: a string that is not blank."""
    return isinstance(value, str) and value.strip() != ""


def is_number(value) -> bool:
    """A value that a lesson file means as a number (YAML's true and false are not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)
