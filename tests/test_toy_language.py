"""Adding a language needs only a registry entry and a folder of examples: a toy fourth one proves it."""
import shutil
from pathlib import Path

import pytest

from runner.run import workflow
from runner.model.languages import REGISTRY_FILE, load_registry
from runner.model.lessons import load_lessons
from runner.model.results import Status

TOY = Path(__file__).parent / "data" / "toy"


@pytest.fixture
def toy(kit_copy, tmp_path):
    registry_file = tmp_path / "languages.yaml"
    registry_file.write_text(REGISTRY_FILE.read_text() + "\n" + (TOY / "languages.yaml").read_text())
    shutil.copytree(TOY / "shell", kit_copy / "shell")
    for folder in REGISTRY_FILE.parent.iterdir():  # each language's files, which the registry names
        if folder.is_dir():
            shutil.copytree(folder, tmp_path / folder.name)
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
