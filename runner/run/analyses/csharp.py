"""C#'s rules, read from Roslyn's syntax tree (the compiler the .NET SDK carries) by a small program run with
the host's `dotnet` (runner/languages/csharp/parser/: Analyze.cs, built by ./bootstrap into its bin/)."""
from __future__ import annotations

import functools
import shutil

from runner import ROOT
from runner.run.analyses import Unavailable, analyses, parsed_by

PARSER = ROOT / "runner" / "languages" / "csharp" / "parser"
PROGRAM = PARSER / "bin" / "analyze.dll"
NAMES = ("csharp-blocking-result", "csharp-blocking-wait", "csharp-wait-all", "csharp-busy-wait",
         "csharp-thread-sleep", "csharp-async-void")


def missing() -> str | None:
    """Why the rules cannot read a file here, and what to do; None when they can."""
    if shutil.which("dotnet") is None:
        return "they need the .NET SDK on this machine (`dotnet` on PATH) to read the file"
    built = PROGRAM.stat().st_mtime if PROGRAM.is_file() else None
    if built is None or any(f.stat().st_mtime > built for f in (PARSER / "Analyze.cs", PARSER / "analyze.csproj")):
        return (f"their parser (Roslyn) is not built, or older than its source: run `./bootstrap` "
                f"(or `dotnet build -c Release -o bin` in {PARSER})")
    return None


@functools.lru_cache(maxsize=16)  # one .NET process per file, whatever the number of rules
def _findings(source: str) -> dict[str, list]:
    if why := missing():
        raise Unavailable(why)
    return parsed_by([shutil.which("dotnet"), str(PROGRAM)], source)


ANALYSES = analyses(NAMES, _findings)
