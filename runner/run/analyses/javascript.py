"""JavaScript's rules, read from acorn's syntax tree by a small script run with the host's Node
(runner/languages/javascript/parser/: the script, and acorn pinned by its package-lock.json)."""
from __future__ import annotations

import functools
import shutil

from runner import ROOT
from runner.run.analyses import Unavailable, analyses, parsed_by

PARSER = ROOT / "runner" / "languages" / "javascript" / "parser"
SCRIPT = PARSER / "analyze.mjs"
NAMES = ("javascript-floating-promise", "javascript-foreach-async", "javascript-blocking-call",
         "javascript-busy-wait")


@functools.lru_cache(maxsize=16)  # one Node process per file, whatever the number of rules
def _findings(source: str) -> dict[str, list]:
    node = shutil.which("node")
    if node is None:
        raise Unavailable("they need Node on this machine (`node` on PATH) to read the file")
    if not (PARSER / "node_modules" / "acorn").is_dir():
        raise Unavailable(f"their parser (acorn) is not installed: run `./bootstrap` (or `npm ci` in {PARSER})")
    return parsed_by([node, str(SCRIPT)], source)


ANALYSES = analyses(NAMES, _findings)
