"""What is present and what is missing, each missing thing with the command that fixes it."""
from __future__ import annotations

import importlib
import json
import shutil
import subprocess
from dataclasses import dataclass

from runner import ROOT
from runner.model.languages import Registry

LIBRARIES = (("invoke", "python3-invoke"), ("jinja2", "python3-jinja2"), ("yaml", "python3-yaml"),
             ("docker", "python3-docker"), ("pytest", "python3-pytest"), ("pygments", "python3-pygments"),
             ("xdist", "python3-pytest-xdist"), ("rich", "python3-rich"), ("markdown_it", "python3-markdown-it"),
             ("selenium", "python3-selenium"), ("starlette", "python3-starlette"), ("uvicorn", "python3-uvicorn"))
CLASSROOM_EDITOR = ROOT / "runner" / "classroom" / "editor"  # CodeMirror 6, bundled by ./bootstrap


@dataclass(frozen=True)
class Item:
    """One line of `invoke doctor`: a thing the kit uses, whether it is here, and the version or the fix."""

    what: str
    ok: bool
    detail: str
    optional: bool = False


def _version(command: list[str]) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[-1] if done.returncode == 0 and lines else None


def _parser(folder, registry: Registry) -> Item:
    """A language's rules' parser (runner/languages/<name>/parser/): Node, and the packages its lock file pins.
    Optional: without it `invoke check` still judges, and says which rules it left out."""
    language = registry.languages.get(folder.parent.name)
    what = f"{language.title if language else folder.parent.name} rules' parser"
    if shutil.which("node") is None:
        return Item(what, False, "`node` not found: install Node 20 or newer (the rules that need it are left out)",
                    optional=True)
    locked = json.loads((folder / "package-lock.json").read_text(encoding="utf-8")).get("packages", {})
    wrong = []
    for where, package in locked.items():
        try:
            installed = json.loads((folder / where / "package.json").read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            installed = None
        if where and installed != package.get("version"):
            wrong.append(f"{where.removeprefix('node_modules/')} {installed or 'missing'} "
                         f"(locked: {package.get('version')})")
    if wrong:
        return Item(what, False, f"{', '.join(wrong)}: `./bootstrap` (npm ci in {folder.relative_to(ROOT)})",
                    optional=True)
    return Item(what, True, ", ".join(f"{w.removeprefix('node_modules/')} {p.get('version')}"
                                      for w, p in locked.items() if w), optional=True)


def _built_parser(folder, registry: Registry) -> Item:
    """A language's rules' parser that ./bootstrap builds with the host's .NET SDK (C#'s, on Roslyn) into the
    folder's bin/: there, and newer than its source. Optional, as a parser on npm is."""
    language = registry.languages.get(folder.parent.name)
    what = f"{language.title if language else folder.parent.name} rules' parser"
    if shutil.which("dotnet") is None:
        return Item(what, False, "`dotnet` not found: install the .NET SDK (the rules that need it are left out)",
                    optional=True)
    built = [f.stat().st_mtime for f in (folder / "bin").glob("*.dll") if f.stem == "analyze"]
    sources = [f.stat().st_mtime for f in folder.iterdir() if f.suffix in (".cs", ".csproj")]
    if not built or max(sources) > built[0]:
        return Item(what, False, f"not built, or older than its source: `./bootstrap` (dotnet build in "
                                 f"{folder.relative_to(ROOT)})", optional=True)
    return Item(what, True, "built, on the .NET SDK's Roslyn", optional=True)


def check_all(registry: Registry) -> list[Item]:
    findings = []
    for module, package in LIBRARIES:
        try:
            version = getattr(importlib.import_module(module), "__version__", "present")
            findings.append(Item(f"Python library {module}", True, str(version)))
        except ImportError:
            findings.append(Item(f"Python library {module}", False,
                                    f"apt-get install {package}  (or: pip install -e .)"))
    from runner.sandbox.docker import connection
    from runner.sandbox.docker.backend import image_for

    try:
        client = connection.connect()
        findings.append(Item("Docker engine", True, f"version {connection.engine_version(client)}"))
    except connection.EngineUnavailable:
        client = None
        findings.append(Item("Docker engine", False, "start one: `./bootstrap` (root on Linux starts "
                                "dockerd), or Docker Desktop; without it use `--backend local`"))
    for language in registry.languages.values():
        what = f"{language.title} image"
        if client is None:
            findings.append(Item(what, False, "needs a Docker engine first"))
            continue
        tag = image_for(client, language)
        findings.append(Item(what, tag is not None, tag or (
            f"`invoke images` pulls {language.image}; `invoke images --offline` builds "
            f"{language.offline_image}")))
    for language in registry.languages.values():
        tool = language.run[0]
        version = _version(list(language.version)) if shutil.which(tool) else None
        findings.append(Item(f"{language.title} on this machine (local backend)", version is not None,
                                version or f"`{tool}` not found: install it for `--backend local`",
                                optional=True))
    findings += [_parser(lock.parent, registry)
                 for lock in sorted((ROOT / "runner" / "languages").glob("*/parser/package-lock.json"))]
    findings += [_built_parser(project.parent, registry)
                 for project in sorted((ROOT / "runner" / "languages").glob("*/parser/*.csproj"))]
    bundle = CLASSROOM_EDITOR / "dist" / "editor.js"
    findings.append(Item("classroom's code editor", bundle.is_file(), str(bundle.relative_to(ROOT)) if bundle.is_file()
                         else f"`./bootstrap` builds it (npm ci and esbuild in {CLASSROOM_EDITOR.relative_to(ROOT)}); "
                              "without it learners get a plain text box", optional=True))
    for tool, package, why in (("debootstrap", "debootstrap", "builds the offline base image"),
                               ("npm", "npm", "fetches Node for the offline image"),
                               ("chromium", "chromium", "prints the PDF handouts"),
                               ("chromedriver", "chromium-driver", "checks the pages in the tests"),
                               ("pdfinfo", "poppler-utils", "finds the pages of a PDF handout's lessons"),
                               ("qpdf", "qpdf", "puts the footers on a PDF handout's pages")):
        path = shutil.which(tool)
        findings.append(Item(tool, path is not None, path or f"apt-get install {package} ({why})", optional=True))
    return findings
