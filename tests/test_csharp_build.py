"""C# is compiled by Roslyn's compiler called directly (runner/csharp_build.sh), as `dotnet build` would:
the same diagnostics, the same program; a source with `#:` directives goes to `dotnet build` itself."""
from __future__ import annotations

import pytest

from runner import workflow
from runner.lessons import load_lessons
from runner.results import Status
from tests.conftest import make_lesson


@pytest.fixture(params=["local", "docker"])
def backend(request):
    return request.getfixturevalue(f"{request.param}_backend")


def _run(backend, registry, tmp_path, source: str):
    make_lesson(tmp_path, "built", {"csharp/built.cs": source})
    lesson = load_lessons(registry, tmp_path / "lessons")["built"]
    return workflow.run_lesson(lesson, registry.select("csharp"), backend).runs[0]


def test_warnings_are_shown_and_implicit_usings_and_nullable_are_on(backend, registry, tmp_path):
    run = _run(backend, registry, tmp_path, (
        "Task.Delay(10);  // not awaited: CS4014\n"
        "string? name = null;\n"
        "string nothing = null;  // nullable is on: CS8600\n"
        "List<int> numbers = [1, 2, 3];\n"
        'var shown = name ?? "none";\n'
        'Console.WriteLine($"[0.0s] {numbers.Sum()} {shown}");\n'))
    assert run.status is Status.OK, run.message
    assert run.stdout == "[0.0s] 6 none\n"
    assert "warning CS4014" in run.build_output and "warning CS8600" in run.build_output


def test_a_compile_error_names_the_file_line_and_code(backend, registry, tmp_path):
    run = _run(backend, registry, tmp_path, 'int x = "text";\n')
    assert run.status is Status.BUILD_FAILED
    assert "built.cs(1,9): error CS0029" in run.message


def test_the_json_source_generator_is_used_when_the_source_asks_for_it(local_backend, registry, tmp_path):
    run = _run(local_backend, registry, tmp_path, (
        "using System.Text.Json;\nusing System.Text.Json.Serialization;\n"
        'Console.WriteLine("[0.0s] " + JsonSerializer.Serialize(new City("oslo"), Cities.Default.City));\n'
        "record City(string Name);\n"
        "[JsonSerializable(typeof(City))] partial class Cities : JsonSerializerContext;\n"))
    assert run.status is Status.OK, run.message
    assert run.stdout == '[0.0s] {"Name":"oslo"}\n'


def test_a_source_with_directives_is_built_by_dotnet_build(local_backend, registry, tmp_path):
    run = _run(local_backend, registry, tmp_path, (
        "#:property Nullable=disable\n"
        "string name = null;  // no nullable warning: the directive turned it off\n"
        'Console.WriteLine("[0.0s] " + (name ?? "directive"));\n'))
    assert run.status is Status.OK, run.message
    assert run.stdout == "[0.0s] directive\n"
    assert "CS8600" not in run.build_output
