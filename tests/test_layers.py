"""The kit's shape: runner/ is layers, and each layer imports only the layers below it.

model (what the kit knows) <- sandbox (where programs run) <- run (what a command does with them);
publish (what people read) and setup (getting a machine ready) sit beside run; classroom (the web app)
sits on run. Read from the source
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
    "classroom": {"model", "sandbox", "run"},  # the web app: nothing of the kit imports it (tasks.py does)
}
# Where the Docker SDK may be imported: the one home of everything that talks to an engine.
DOCKER_HOME = RUNNER / "sandbox" / "docker"
MAX_LINES = 350  # a module longer than this does more than one job
TASKS_MAX_LINES = 340  # thin tasks: flags, help and a call into runner/ (300 until `next` and `classroom`, 330
# until `worker`)


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
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > (TASKS_MAX_LINES if p.name == "tasks.py" else MAX_LINES)}
    assert long == {}, f"over {MAX_LINES} lines (tasks.py: {TASKS_MAX_LINES}), split by job: {long}"


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _import_time_graph() -> dict[str, set[str]]:
    """Which kit modules each module imports when it is itself imported (top-level imports; those inside
    functions happen later and cannot make a cycle at import time)."""
    names = {_module_name(p) for p in _modules()}
    graph = {}
    for path in _modules():
        found = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                candidates = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            found |= {name for name in candidates if name in names}
        graph[_module_name(path)] = found - {_module_name(path)}
    return graph


def test_no_module_imports_itself_round_a_cycle():
    """A cycle of top-level imports works or fails by the order in which modules happen to be imported."""
    graph, cycles, done = _import_time_graph(), [], set()

    def visit(name: str, trail: list[str]) -> None:  # depth first; a name on the trail again closes a cycle
        for other in sorted(graph.get(name, ())):
            if other in trail:
                cycles.append(" -> ".join(trail[trail.index(other):] + [other]))
            elif other not in done:
                visit(other, trail + [other])
        done.add(name)

    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)
