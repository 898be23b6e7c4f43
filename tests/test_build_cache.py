"""The build cache: a C# source is compiled once, on either backend; a change, a failure or a clean is not
taken from it."""
from __future__ import annotations

import subprocess
import sys

import pytest

from runner.sandbox import build_cache
from runner.run import workflow
from runner.model.lessons import load_lessons
from runner.model.results import Status
from tests.conftest import make_lesson

PROGRAM = 'await Task.Delay(100);\nConsole.WriteLine("[0.1s] built {0}");\n'


def _run(backend, registry, root, slug="cached"):
    lesson = load_lessons(registry, root / "lessons")[slug]
    return workflow.run_lesson(lesson, registry.select("csharp"), backend).runs[0]


@pytest.fixture(params=[pytest.param("local", marks=pytest.mark.local), pytest.param("docker", marks=pytest.mark.docker)])
def backend(request):
    return request.getfixturevalue(f"{request.param}_backend")


def test_an_unchanged_source_is_built_once_and_a_changed_one_again(backend, registry, tmp_path, empty_build_cache):
    make_lesson(tmp_path, "cached", {"csharp/cached.cs": PROGRAM.replace("{0}", "once")})
    first, second = _run(backend, registry, tmp_path), _run(backend, registry, tmp_path)
    assert first.status is Status.OK and second.status is Status.OK, (first.message, second.message)
    assert first.build_ms > 0 and not first.build_cached
    assert second.build_cached and second.build_ms == 0
    assert first.stdout == second.stdout == "[0.1s] built once\n"
    assert len(list(empty_build_cache.iterdir())) == 1

    (tmp_path / "csharp" / "cached.cs").write_text(PROGRAM.replace("{0}", "twice"))
    changed = _run(backend, registry, tmp_path)
    assert not changed.build_cached and changed.stdout == "[0.1s] built twice\n"
    assert len(list(empty_build_cache.iterdir())) == 2


def test_a_failed_build_is_not_kept(backend, registry, tmp_path, empty_build_cache):
    make_lesson(tmp_path, "cached", {"csharp/cached.cs": 'Console.WriteLine("[0.0s] no semicolon")\n'})
    for _ in range(2):
        run = _run(backend, registry, tmp_path)
        assert run.status is Status.BUILD_FAILED and not run.build_cached and "CS1002" in run.message
    assert not empty_build_cache.exists() or not any(empty_build_cache.iterdir())


@pytest.mark.local
def test_the_same_source_under_another_name_is_built_again(local_backend, registry, tmp_path, empty_build_cache):
    # The program's file is named after the source (cached.dll): another name is another program.
    make_lesson(tmp_path, "cached", {"csharp/cached.cs": PROGRAM.replace("{0}", "once")})
    make_lesson(tmp_path, "renamed", {"csharp/renamed.cs": PROGRAM.replace("{0}", "once")})
    assert not _run(local_backend, registry, tmp_path).build_cached
    renamed = _run(local_backend, registry, tmp_path, "renamed")
    assert renamed.status is Status.OK and not renamed.build_cached


def test_an_entry_appears_whole_or_not_at_all(tmp_path, monkeypatch):
    monkeypatch.setenv(build_cache.FOLDER_VARIABLE, str(tmp_path / "cache"))
    build_cache.put("abc", {"a.dll": b"1", "sub/b.json": b"2"})
    build_cache.put("abc", {"a.dll": b"other"})  # kept already: the first stays
    assert build_cache.get("abc") == {"a.dll": b"1", "sub/b.json": b"2"}
    assert build_cache.get("missing") is None
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["abc"]

    (tmp_path / "file").write_text("")  # a cache that cannot be written: the run goes on without keeping
    monkeypatch.setenv(build_cache.FOLDER_VARIABLE, str(tmp_path / "file" / "cache"))
    build_cache.put("def", {"a.dll": b"1"})
    assert build_cache.get("def") is None


@pytest.mark.local
def test_invoke_clean_cache_empties_it(local_backend, registry, tmp_path, empty_build_cache):
    from runner import ROOT

    make_lesson(tmp_path, "cached", {"csharp/cached.cs": PROGRAM.replace("{0}", "once")})
    _run(local_backend, registry, tmp_path)
    done = subprocess.run([sys.executable, "-m", "invoke", "clean", "--cache"], cwd=ROOT, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "removed 1 build(s) from the build cache" in done.stdout
    assert not empty_build_cache.exists()
    assert not _run(local_backend, registry, tmp_path).build_cached
