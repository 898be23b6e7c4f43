"""C# is compiled by Roslyn's compiler called directly (runner/languages/csharp/build.sh), as `dotnet build` would:
the same diagnostics, the same program plus the kit's module initializer, which sets up the console and
the timer before Main; a source with `#:` directives goes to `dotnet build` itself."""
from __future__ import annotations

import pytest

from runner.model import compare
from runner.run import workflow
from runner.model.lessons import load_lessons
from runner.model.results import Status
from tests.conftest import make_lesson


@pytest.fixture(params=[pytest.param("local", marks=pytest.mark.local),
                        pytest.param("docker", marks=pytest.mark.docker)])
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


@pytest.mark.slow
def test_a_source_with_directives_is_built_by_dotnet_build(local_backend, registry, tmp_path):
    run = _run(local_backend, registry, tmp_path, (
        "#:property Nullable=disable\n"
        "string name = null;  // no nullable warning: the directive turned it off\n"
        'Console.WriteLine("[0.0s] " + (name ?? "directive"));\n'))
    assert run.status is Status.OK, run.message
    assert run.stdout == "[0.0s] directive\n"
    assert "CS8600" not in run.build_output


def test_the_console_and_the_timer_are_set_up_before_main(backend, registry, tmp_path):
    """The build adds a module initializer that creates the console writer and sends one timer through the
    thread pool before Main, as Python and Node have theirs ready before a program's first line: a
    program's clock, started in Main, then no longer pays for them."""
    run = _run(backend, registry, tmp_path, (
        "var poolWork = ThreadPool.CompletedWorkItemCount;\n"
        "var before = GC.GetAllocatedBytesForCurrentThread();\n"
        'Console.Write("[0.0s] first line\\n");\n'
        "var allocated = GC.GetAllocatedBytesForCurrentThread() - before;\n"
        'Console.Write($"[0.0s] {poolWork} {allocated}\\n");\n'))
    assert run.status is Status.OK, run.message
    pool_work, allocated = map(int, run.stdout.splitlines()[1].split()[1:])
    assert pool_work >= 1  # the timer's callback ran on a pool thread before Main
    # Creating the console writer (its stream, encoder and buffers) allocates about 4 KB; a first line
    # written through a writer that already exists, under 1 KB.
    assert allocated < 2048, allocated


@pytest.mark.parametrize("slug", ["gather", "kitchen", "streams", "semaphore"])
def test_the_csharp_examples_keep_time_beside_the_other_languages(backend, registry, lessons, slug):
    """C# prints the expected time stamps when it runs side by side with Python and JavaScript, as
    `run-lesson` runs it, with no warm-up of its own before its clock starts: before the module initializer
    it printed `all 3 answers after 0.4s` in `gather` on Docker. A run that the machine's load made late is
    run again alone (runner/sandbox/noise.py); what the load does not explain fails here."""
    lesson = lessons[slug]
    report = workflow.run_lesson(lesson, list(registry.languages.values()), backend, repeat=3, warm=True,
                                 side_by_side=True)
    assert all(run.status is Status.OK for run in report.runs), [run.message for run in report.runs]
    assert report.equivalent, report.diff
    for run in report.runs_of("csharp"):
        assert not compare.diff("expected", lesson.expected, "csharp", run.stdout, lesson.compare), run.stdout


def test_a_lesson_that_measures_is_built_optimized(backend, registry, tmp_path):
    """A lesson with `measures:` gets a Release build (Lesson.built): what it measures is the runtime's
    cost, not a Debug build's, whose async state machines are classes allocated on every call. The same
    source in a lesson that measures nothing is built Debug, as `dotnet build` does; the two builds are
    two entries of the build cache (the configuration is part of the build command, and so of the key)."""
    source = (
        "using System.Diagnostics;\nusing System.Reflection;\nusing System.Runtime.CompilerServices;\n"
        "await Nap();\n"
        "var program = typeof(Program);  // the class of the top-level statements\n"
        "var jit = program.Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;\n"
        "var machines = program.GetNestedTypes(BindingFlags.NonPublic)\n"
        "    .Where(t => typeof(IAsyncStateMachine).IsAssignableFrom(t)).ToList();\n"
        'var kind = machines.All(t => t.IsValueType) ? "structs" : "classes";\n'
        'Console.Write($"[0.0s] optimized: {!jit}, {machines.Count} state machines, {kind}\\n");\n'
        "static async Task Nap() => await Task.Delay(1);\n")
    plain, measured = tmp_path / "plain", tmp_path / "measured"
    make_lesson(plain, "built", {"csharp/built.cs": source})
    make_lesson(measured, "built", {"csharp/built.cs": source}, extra="measures: [cpu]\n")
    runs = {}
    for name, root in (("plain", plain), ("measured", measured)):
        lesson = load_lessons(registry, root / "lessons")["built"]
        runs[name] = workflow.run_lesson(lesson, registry.select("csharp"), backend).runs[0]
        assert runs[name].status is Status.OK, runs[name].message
    assert runs["plain"].stdout == "[0.0s] optimized: False, 2 state machines, classes\n"
    assert runs["measured"].stdout == "[0.0s] optimized: True, 2 state machines, structs\n"
    assert not runs["measured"].build_cached  # not the Debug program from the cache
