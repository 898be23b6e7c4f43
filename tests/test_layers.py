"""The kit's shape: runner/ is layers, and each layer imports only the layers below it.

model (what the kit knows) <- sandbox (where programs run) <- run (what a command does with them);
publish (what people read) and setup (getting a machine ready) sit beside run. Read from the source
(every import, those inside functions too), so a wrong-way import fails here before anyone reads it.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from runner import ROOT

RUNNER = ROOT / "runner"
# What each layer may import from the kit besides itself and the package root (ROOT, KitError, ...).
MAY_USE = {
    "model": set(),
    "sandbox": {"model"},
    "run": {"model", "sandbox"},
    "publish": {"model"},
    "setup": {"model", "sandbox"},
}
# Where the Docker SDK may be imported: the one home of everything that talks to an engine.
DOCKER_HOME = RUNNER / "sandbox" / "docker"
MAX_LINES = 350  # a module longer than this does more than one job


def _modules() -> list[Path]:
    return sorted(p for p in RUNNER.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports, with its line: `from runner.x import y` counts as runner.x.y too,
    since y may be a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _layer(path: Path) -> str | None:
    parts = path.relative_to(RUNNER).parts
    return parts[0] if len(parts) > 1 else None


def test_every_module_of_runner_is_in_a_layer():
    loose = [p.name for p in RUNNER.glob("*.py") if p.name != "__init__.py"]
    assert loose == [], f"modules outside the layers: {loose}; put each where it belongs ({', '.join(MAY_USE)})"
    assert {p.name for p in RUNNER.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(MAY_USE)


@pytest.mark.parametrize("layer", list(MAY_USE))
def test_a_layer_imports_only_the_layers_below_it(layer):
    wrong = []
    for path in _modules():
        if _layer(path) != layer:
            continue
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] == "runner" and len(parts) > 1 and parts[1] in MAY_USE and parts[1] != layer \
                    and parts[1] not in MAY_USE[layer]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == [], f"{layer} may use only {sorted(MAY_USE[layer]) or 'nothing of the kit'}:\n" + "\n".join(wrong)


def test_only_the_docker_sandbox_talks_to_docker():
    """The Docker SDK, and the Docker backend's own modules, are used in one place; backend-neutral code
    (the run layer) never builds a Docker concern such as a container label."""
    wrong = []
    for path in _modules():
        if path.is_relative_to(DOCKER_HOME):
            continue
        for line, module in _imports(path):
            if module == "docker" or module.startswith("docker."):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports the Docker SDK")
            elif module.startswith("runner.sandbox.docker") and _layer(path) == "run":
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == [], "\n".join(wrong)


def test_no_module_does_too_many_jobs():
    long = {str(p.relative_to(ROOT)): n for p in _modules() + [ROOT / "tasks.py"]
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > (300 if p.name == "tasks.py" else MAX_LINES)}
    assert long == {}, f"over {MAX_LINES} lines (tasks.py: 300), split by job: {long}"


def test_the_layers_import_cleanly_one_by_one():
    """Each module imports on its own (no cycle hidden by the order in which tasks.py imports them)."""
    import subprocess
    import sys

    names = [".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__") for p in _modules()]
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    for name in names:  # a fresh interpreter each, so nothing imported before helps
        done = subprocess.run([sys.executable, "-c", script, name], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, f"{name}:\n{done.stderr[-2000:]}"
