"""The local backend, on the host's own python3, node and dotnet."""
import os
import time

import pytest

from runner.run import workflow
from runner.model.languages import load_registry
from runner.model.lessons import load_lessons
from runner.model.results import Status
from tests.conftest import make_lesson

pytestmark = pytest.mark.local


def test_kitchen_runs_everywhere_and_is_equivalent(local_backend, lessons, registry, empty_build_cache):
    report = workflow.run_lesson(lessons["kitchen"], list(registry.languages.values()), local_backend)
    assert [r.status for r in report.runs] == [Status.OK] * 3, report.diff
    assert report.equivalent, report.diff
    for run in report.runs:
        # The program's last time stamp: never before its sleeps end. How far past them a busy machine
        # lets it get is for `equivalent` to judge, within the lesson's tolerance.
        assert run.run_ms >= 1900
        assert run.process_ms >= run.run_ms
        assert run.runtime_version and run.peak_memory_bytes > 1_000_000
        assert [e.kind for e in run.events].count("finished") == 6
    csharp = report.runs_of("csharp")[0]
    assert csharp.build_ms > 0 and not csharp.build_cached and report.runs_of("python")[0].build_ms is None


def test_a_broken_example_is_caught_with_a_diff(local_backend, kit_copy, registry):
    source = kit_copy / "python" / "gather.py"
    source.write_text(source.read_text().replace("results in the order asked", "results in random order"))
    lessons = load_lessons(registry, kit_copy / "lessons")
    report = workflow.run_lesson(lessons["gather"], registry.select("python,javascript"), local_backend)
    assert [r.status for r in report.runs] == [Status.OK, Status.OK]
    assert not report.equivalent
    assert "+++ python" in report.diff and "+[0.3s] results in random order" in report.diff
    assert "javascript" not in report.diff


def test_timeout_keeps_partial_output_and_kills_the_whole_process_group(local_backend, tmp_path, registry,
                                                                         no_stray_processes):
    # The timeout leaves Python time to start and print on a busy machine; the child would wake after it.
    marker, timeout = tmp_path / "child-alive", 3
    make_lesson(tmp_path, "hang", {"python/hang.py": f"""
import subprocess, sys, time
print("[0.0s] started", flush=True)
# a child that would outlive its parent
subprocess.Popen([sys.executable, "-c", "import time, pathlib; time.sleep({timeout + 1}); pathlib.Path({str(marker)!r}).touch()"])
time.sleep(60)
"""}, extra=f"timeout: {timeout}\n")
    lesson = load_lessons(registry, tmp_path / "lessons")["hang"]
    report = workflow.run_lesson(lesson, registry.select("python"), local_backend)
    run = report.runs[0]
    assert run.status is Status.TIMEOUT and f"after {timeout}s" in run.message
    assert run.stdout == "[0.0s] started\n"
    assert run.process_ms / 1000 < timeout + 1, "stopped at the timeout, not when the program would have ended"
    time.sleep(2.5)  # past the moment the child would have written its marker
    assert not marker.exists(), "the child outlived the run"


def test_output_is_capped_and_marked(local_backend, tmp_path, registry):
    make_lesson(tmp_path, "chatty", {"python/chatty.py": "import sys\nwhile True:\n    sys.stdout.write('x' * 10000 + '\\n')\n"})
    lesson = load_lessons(registry, tmp_path / "lessons")["chatty"]
    run = workflow.run_lesson(lesson, registry.select("python"), local_backend).runs[0]
    assert run.status is Status.OUTPUT_LIMIT and run.truncated
    assert 0 < len(run.stdout) <= 1_000_000 and run.stdout.startswith("x" * 100)


def test_a_missing_example_and_a_failing_one(local_backend, tmp_path, registry):
    make_lesson(tmp_path, "crash", {"python/crash.py": "print('[0.0s] about to fail')\nraise SystemExit(3)\n"})
    lesson = load_lessons(registry, tmp_path / "lessons")["crash"]
    report = workflow.run_lesson(lesson, registry.select("python,javascript"), local_backend)
    python, javascript = report.runs
    assert python.status is Status.FAILED and python.exit_code == 3 and "code 3" in python.message
    assert javascript.status is Status.MISSING and "javascript/crash.mjs" in javascript.message
    assert not report.equivalent and "python: failed" in report.diff


def test_a_csharp_compile_error_is_build_failed(local_backend, tmp_path, registry):
    make_lesson(tmp_path, "typo", {"csharp/typo.cs": "Console.WriteLine(\"[0.0s] hi\")\n"})
    lesson = load_lessons(registry, tmp_path / "lessons")["typo"]
    run = workflow.run_lesson(lesson, registry.select("csharp"), local_backend).runs[0]
    assert run.status is Status.BUILD_FAILED
    assert "CS1002" in run.message  # "; expected"
    assert "csharp/typo.cs(1," in run.message and "/src/" not in run.message + run.build_output  # the author's file


def test_a_traceback_names_the_authors_file_not_the_sandboxs(local_backend, tmp_path, registry):
    make_lesson(tmp_path, "boom", {"python/boom.py": "print('[0.0s] hi')\nraise ValueError('burnt toast')\n",
                                   "javascript/boom.mjs": "throw new Error('burnt toast');\n"})
    lesson = load_lessons(registry, tmp_path / "lessons")["boom"]
    python, javascript = workflow.run_lesson(lesson, registry.select("python,javascript"), local_backend).runs
    assert 'File "python/boom.py", line 2' in python.stderr and "/src/" not in python.stderr
    assert "javascript/boom.mjs:1" in javascript.stderr and "/src/" not in javascript.stderr


def test_the_environment_is_minimal(local_backend, tmp_path, registry, monkeypatch):
    monkeypatch.setenv("ASYNC_ROSETTA_SECRET", "do-not-leak")
    make_lesson(tmp_path, "env", {"python/env.py": "import os\nprint(sorted(os.environ))\n"})
    lesson = load_lessons(registry, tmp_path / "lessons")["env"]
    run = workflow.run_lesson(lesson, registry.select("python"), local_backend).runs[0]
    assert run.status is Status.OK and "ASYNC_ROSETTA_SECRET" not in run.stdout
    assert "PATH" in run.stdout and "HOME" in run.stdout


def test_a_runtime_older_than_the_lesson_needs_is_skipped_with_the_reason(local_backend, tmp_path, registry):
    make_lesson(tmp_path, "future", {"python/future.py": "print('[0.0s] hi')\n",
                                     "javascript/future.mjs": "console.log('[0.0s] hi');\n"},
                extra="requires: {javascript: '99'}\n")
    lesson = load_lessons(registry, tmp_path / "lessons")["future"]
    report = workflow.run_lesson(lesson, registry.select("python,javascript"), local_backend)
    python, javascript = report.runs
    assert python.status is Status.OK
    assert javascript.status is Status.SKIPPED and "needs JavaScript 99 or newer" in javascript.message
    assert report.equivalent and report
