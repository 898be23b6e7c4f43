import pytest

from runner import KitError
from runner.model.languages import load_registry


def test_registry_holds_the_three_languages(registry):
    assert registry.names == ["python", "javascript", "csharp"]
    csharp = registry.get("csharp")
    assert csharp.build and csharp.limits.pids > registry.get("python").limits.pids
    assert csharp.command(csharp.run, "/job/src/kitchen.cs", "/job/build") == ["dotnet", "/job/build/kitchen.dll"]


def test_a_wrong_language_names_the_valid_ones(registry):
    with pytest.raises(KitError, match="expected one of python, javascript, csharp; got|unknown language 'rust'"):
        registry.select("python,rust")
    assert [l.name for l in registry.select("csharp, python")] == ["csharp", "python"]


def test_a_broken_registry_is_reported_with_file_and_key(tmp_path):
    bad = tmp_path / "languages.yaml"
    bad.write_text("cobol:\n  title: COBOL\n  offline: mainframe.sh\n  out_of_memory: '(unclosed'\n"
                   "  static_rules: [{id: goto, message: no}, {id: perform, message: no, pattern: '[a-'}]\n")
    with pytest.raises(KitError) as caught:
        load_registry(bad)
    problems = str(caught.value)
    assert "cobol: missing keys" in problems and "cobol: offline: no such file" in problems
    assert "cobol: out_of_memory: not a regular expression" in problems
    assert "cobol: static_rules[0]: expected id, message and one of pattern or analysis" in problems
    assert "cobol: static_rules[1].pattern: not a regular expression" in problems


def test_a_language_says_how_its_runtime_runs_out_of_memory(registry):
    assert registry.get("python").ran_out_of_memory("Traceback ...\nMemoryError\n")
    assert registry.get("javascript").ran_out_of_memory("FATAL ERROR: JavaScript heap out of memory")
    assert registry.get("csharp").ran_out_of_memory("Unhandled exception. System.OutOfMemoryException: ...")
    assert not registry.get("python").ran_out_of_memory("ValueError: not MemoryError\n")


def test_a_lesson_that_measures_builds_its_csharp_in_release_and_the_others_in_debug(registry, lessons):
    from runner.sandbox import build_cache

    csharp = registry.get("csharp")
    release, debug = lessons["scale"].built(csharp), lessons["kitchen"].built(csharp)
    assert release.command(release.build, "/job/src/x.cs", "/job/build")[-1] == "Release"
    assert debug.command(debug.build, "/job/src/x.cs", "/job/build")[-1] == "Debug"
    assert csharp.command(csharp.build, "/job/src/x.cs", "/job/build")[-1] == "Debug"  # not configured: Debug
    # The configuration is part of the build command, and so of the build cache's key.
    keys = {build_cache.key(language, b"source", "x.cs", "toolchain") for language in (release, debug)}
    assert len(keys) == 2
    python = registry.get("python")
    assert lessons["scale"].built(python) == python  # nothing to configure where nothing is built
