import pytest

from runner import KitError
from runner.languages import load_registry


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
    bad.write_text("cobol:\n  title: COBOL\n  offline_from: mainframe\n")
    with pytest.raises(KitError) as caught:
        load_registry(bad)
    assert "cobol" in str(caught.value) and "offline_from" in str(caught.value)
