"""`invoke bench` measures what it says, on real runs: every figure of every language, the floors below the
walls, and a target for each. Whether this machine meets the targets is the benchmark's to say, not this
test's: it runs on a course of two lessons, once each, and asserts what holds on any machine."""
from __future__ import annotations

import json
import uuid
from dataclasses import replace

import pytest
from rich.console import Console

from runner.run import bench as benchmark
from runner.sandbox.docker.backend import DockerBackend
from runner.publish.bench_tables import bench_tables
from tests.test_cli import invoke

# It asserts nothing about the figures that a busy machine changes, so it may run beside other tests; its cold
# C# builds stop a compiler server of its own (C# under a name of its own), never the one other tests build in.
pytestmark = [pytest.mark.docker, pytest.mark.local]


@pytest.fixture
def own_registry(registry, docker_backend):
    """The registry with C# under a name of the test's own, and so a compiler server of its own, removed after."""
    from runner.sandbox.docker import compiler

    csharp = replace(registry.get("csharp"), name=f"csharp-{uuid.uuid4().hex[:8]}")
    yield replace(registry, languages={**{k: v for k, v in registry.languages.items() if k != "csharp"},
                                       csharp.name: csharp})
    compiler.stop_server(docker_backend.client, csharp.name, docker_backend.image_id(csharp))


def test_bench_measures_every_figure_and_names_every_target(docker_backend, local_backend, own_registry, lessons,
                                                            no_leftovers):
    registry = own_registry
    course = {benchmark.LESSON: lessons[benchmark.LESSON]}
    result = benchmark.measure(registry, course, local_backend, lambda: DockerBackend(docker_backend.client), 1,
                               lambda _: None)
    for language in registry.languages.values():
        kinds = ["native", "local", "docker fresh", "docker warm", "check beyond the program"]
        kinds += ["docker build cold", "docker build new", "docker build cached"] if language.build else []
        for kind in kinds:
            figure = result.figure(kind, language.name)
            assert figure is not None and len(figure.samples) == 1 and figure.median > 0, (kind, language.name)
        if language.build:  # a cache hit compiles nothing
            assert result.figure("docker build cached", language.name).median < \
                result.figure("docker build new", language.name).median
    warm, cold = result.figure("run-all warm").median, result.figure("run-all cold").median
    in_program, process = result.figure("run-all floor").median, result.figure("run-all process floor").median
    # The course's programs print their last line after their sleeps: each floor is at least that, and no
    # run of the course can beat the slowest process of each lesson.
    assert in_program >= sum(1000 * _last_stamp(lesson) for lesson in course.values()) - 1
    assert process >= in_program and warm >= process and cold >= in_program
    names = [target.text for target in result.targets]
    # per language, one more for the check (C# has four), then run-all warm and cold
    assert len(names) == 2 * len(registry.languages) + 2 + 2
    assert any("run-all on Docker, caches warm: at most 1.15x the process floor" in name for name in names)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["passed"] == all(target.passed for target in result.targets) and data["machine"]
    console = Console(width=200, record=True, color_system=None)
    for table in bench_tables(result, registry):
        console.print(table)
    text = console.export_text()
    assert "Targets" in text and "process floor" in text and "…" not in text


def _last_stamp(lesson) -> float:
    """The time stamp of the lesson's last expected line, in seconds."""
    last = lesson.expected.strip().splitlines()[-1]
    return float(last[1:last.index("s]")])


def test_bench_refuses_a_bad_repeat_with_status_2():
    done = invoke("bench", "--repeat", "none")
    assert done.returncode == 2 and "--repeat takes a whole number" in done.stderr and "Traceback" not in done.stderr
