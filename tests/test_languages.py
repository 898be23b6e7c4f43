import shutil
from pathlib import Path

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


@pytest.mark.parametrize("spelled, name", [
    ("Python", "python"), ("py", "python"), ("PY", "python"), ("js", "javascript"), ("JavaScript", "javascript"),
    ("node", "javascript"), ("cs", "csharp"), ("C#", "csharp"), ("c#", "csharp"), (" csharp ", "csharp")])
def test_a_language_is_named_by_its_name_title_or_an_alias_in_any_case(registry, spelled, name):
    assert registry.get(spelled).name == name


def test_languages_named_twice_are_run_once_and_a_wrong_one_lists_every_accepted_name(registry):
    assert [language.name for language in registry.select("py,Python,C#,cs")] == ["python", "csharp"]
    with pytest.raises(KitError) as caught:
        registry.get("rust")
    assert str(caught.value) == ("unknown language 'rust': expected one of python, javascript, csharp, in any case, "
                                 "or a title or alias (python: Python, py, python3; javascript: JavaScript, js, node, "
                                 "nodejs; csharp: C#, cs, dotnet)")


def test_an_alias_that_is_not_a_word_or_names_two_languages_is_a_registry_problem(tmp_path):
    registry_file = Path(__file__).parents[1] / "runner" / "languages" / "registry.yaml"
    text = registry_file.read_text().replace("aliases: [js, node, nodejs]", "aliases: [js, py]")
    text = text.replace("aliases: [cs, dotnet]", "aliases: 'cs'")
    (tmp_path / "registry.yaml").write_text(text)
    for folder in ("python", "javascript", "csharp"):  # the files the entries name, beside the registry
        shutil.copytree(registry_file.parent / folder, tmp_path / folder)
    with pytest.raises(KitError) as caught:
        load_registry(tmp_path / "registry.yaml")
    problems = str(caught.value)
    assert "csharp: aliases: expected a list of words (such as [py, python3]), got 'cs'" in problems
    assert "aliases: 'py' names javascript and python; a name, title or alias names one language" in problems


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
