"""JavaScript's rules, read from acorn's syntax tree by a small script run with the host's Node
(runner/languages/javascript/parser/: the script, and acorn pinned by its package-lock.json)."""
from __future__ import annotations

import functools
import json
import shutil
import subprocess

from runner import ROOT
from runner.run.analyses import Found, Unavailable

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
    try:
        done = subprocess.run([node, str(SCRIPT)], input=source, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise Unavailable("their parser took over 60 s") from None
    if done.returncode != 0:
        raise Unavailable(f"their parser failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def _analysis(name: str):
    def analysis(source: str) -> Found:
        return [tuple(item) for item in _findings(source).get(name, [])]
    return analysis


ANALYSES = {name: _analysis(name) for name in NAMES}
