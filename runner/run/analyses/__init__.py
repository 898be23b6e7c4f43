"""The static rules that a regular expression cannot say, one module per language, each a table of
analyses by the name a registry entry's `analysis` gives them."""
from __future__ import annotations

import json
import subprocess

# What an analysis found: per finding its line and the words for the rule's message ({1}, {2}, ...).
Found = list[tuple]


class Unavailable(Exception):
    """An analysis cannot run on this machine (its parser is missing): what is missing and what to do."""


def parsed_by(command: list[str], source: str) -> dict[str, list]:
    """The findings of a language's parser script (JavaScript's with acorn, C#'s with Roslyn): `source` on its
    stdin, {"<analysis>": [[line, words...], ...]} as JSON on its stdout."""
    try:
        done = subprocess.run(command, input=source, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise Unavailable("their parser took over 60 s") from None
    if done.returncode != 0:
        raise Unavailable(f"their parser failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def analyses(names: tuple[str, ...], findings) -> dict:
    """One analysis per name, each the findings of that name in `findings(source)` (one parse per file)."""
    def analysis(name: str):
        return lambda source: [tuple(item) for item in findings(source).get(name, [])]
    return {name: analysis(name) for name in names}
