"""Adding a language needs only data: a registry entry, a folder of its own files and a folder of examples.

A toy fourth one proves it: it runs, its static rule is found by `invoke check`'s code, its runtime's
words for running out of memory make a run `oom`, and its offline recipe goes into an image's build."""
import shutil
import tarfile
from pathlib import Path

import pytest

from runner.model.languages import REGISTRY_FILE, load_registry
from runner.model.lessons import load_lessons
from runner.model.results import Status
from runner.run import checker, static_checks, workflow
from runner.sandbox.backend import Outcome, run_result

TOY = Path(__file__).parent / "data" / "toy"


@pytest.fixture
def toy(kit_copy, tmp_path):
    languages = tmp_path / "registry"  # beside the kit's copy, whose example folders have the same names
    shutil.copytree(REGISTRY_FILE.parent, languages)  # each language's files, which the registry names
    shutil.copytree(TOY / "languages", languages, dirs_exist_ok=True)
    registry_file = languages / "registry.yaml"
    registry_file.write_text(REGISTRY_FILE.read_text() + "\n" + (TOY / "languages.yaml").read_text())
    shutil.copytree(TOY / "shell", kit_copy / "shell")
    registry = load_registry(registry_file)
    return registry, load_lessons(registry, kit_copy / "lessons")


def _check(report):
    assert [r.language for r in report.runs] == ["python", "shell"]
    assert [r.status for r in report.runs] == [Status.OK, Status.OK], report.diff
    assert report.equivalent, report.diff


@pytest.mark.local
def test_a_fourth_language_runs_locally(toy, local_backend):
    registry, lessons = toy
    assert registry.names[-1] == "shell"
    _check(workflow.run_lesson(lessons["kitchen"], registry.select("python,shell"), local_backend))


@pytest.mark.docker
def test_a_fourth_language_runs_in_docker(toy, docker_backend, no_leftovers):
    registry, lessons = toy
    _check(workflow.run_lesson(lessons["kitchen"], registry.select("python,shell"), docker_backend))


def test_its_static_rules_are_found_and_may_be_allowed(toy):
    registry, _ = toy
    shell = registry.get("shell")
    source = "# while true; do :; done in a comment is fine\nspin() { while true; do :; done; }\n"
    assert [(f.rule, f.line) for f in static_checks.find(shell, source)] == [("busy-wait", 2)]
    assert "`while true` spins a CPU" in str(static_checks.find(shell, source)[0])
    assert static_checks.find(shell, source, allow=("busy-wait",)) == []
    assert "busy-wait" in registry.rule_ids  # so an exercise may allow it


def test_its_runtime_running_out_of_memory_is_oom(toy):
    registry, _ = toy
    shell, python = registry.get("shell"), registry.get("python")
    outcome = Outcome(exit_code=2, stdout="", stderr="sh: 1: Cannot fork\n", timed_out=False, oom=False,
                      truncated=False, process_ms=5.0, wall_ms=6.0, peak_memory_bytes=None)
    assert run_result(shell, "local", outcome, 10, 256, None).status is Status.OOM
    assert run_result(python, "local", outcome, 10, 256, None).status is Status.FAILED  # the words are the shell's


def test_its_offline_recipe_goes_into_the_image(toy):
    from runner.setup import offline

    registry, _ = toy
    shell = registry.get("shell")
    recipe = offline.recipes([shell])["shell"]
    assert recipe.runtime == ("posix-sh", "1") and recipe.parts[-2:] == ("posix-sh", "1")
    context = offline._context(shell, recipe, lambda _: None)
    try:
        with tarfile.open(context) as tar:
            dockerfile = tar.extractfile("Dockerfile").read().decode()
            names = tar.getnames()
            link = tar.getmember("rootfs/usr/local/bin/posix-sh")
    finally:
        context.unlink()
    assert "ENV TOY_SHELL=posix-sh-1\nCOPY rootfs/ /" in dockerfile and "rootfs/usr/local/bin/toysh" in names
    assert link.issym() and link.linkname == "/usr/local/bin/toysh"


@pytest.mark.local
def test_check_finds_its_static_rule_in_a_learners_file(toy, local_backend, tmp_path):
    registry, lessons = toy
    learner = tmp_path / "mine.sh"
    learner.write_text((TOY / "shell" / "kitchen.sh").read_text() + "spin() { while true; do :; done; }\n")
    verdict = checker.judge(lessons["kitchen"], registry.get("shell"), learner, local_backend)
    assert not verdict and any("`while true` spins a CPU" in message for message in verdict.messages), verdict


def test_the_commands_help_names_it(toy, tmp_path):
    from runner.model.languages import spoken_names

    assert spoken_names(tmp_path / "registry" / "registry.yaml") == "python, javascript, csharp or shell"
