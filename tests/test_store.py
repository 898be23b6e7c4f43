"""The results folder: a report saved per lesson and backend, read back with the choice of backend."""
import json
import shutil
from pathlib import Path

import pytest

from runner import KitError
from runner.model.results import LessonReport
from runner.model.store import ResultsStore, load_report

RESULTS = Path(__file__).parent / "data" / "results"


def test_a_report_is_saved_under_its_backend_and_read_back_whole(tmp_path):
    report = load_report(RESULTS / "docker" / "kitchen.json")
    store = ResultsStore(tmp_path)
    assert store.save(report) == store.folder_of("docker") / "kitchen.json" == tmp_path / "docker" / "kitchen.json"
    assert store.reports() == {"kitchen": report} == store.reports("docker") and store.reports("local") == {}


def test_an_unreadable_results_file_is_named_with_what_to_do(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "gather.json").write_text("{not json")
    with pytest.raises(KitError, match=r"gather.json: not a results file .*`invoke run-lesson gather`"):
        ResultsStore(tmp_path).reports()


def test_auto_takes_dockers_results_where_there_are_some_else_the_local_ones(tmp_path):
    folder = tmp_path / "results"
    shutil.copytree(RESULTS, folder)
    kitchen = json.loads((folder / "docker" / "kitchen.json").read_text())
    (folder / "local").mkdir()
    for slug in ("kitchen", "gather"):  # kitchen on both backends, gather only on the local one
        local = {**kitchen, "lesson": slug, "backend": "local",
                 "runs": [{**run, "backend": "local"} for run in kitchen["runs"]]}
        (folder / "local" / f"{slug}.json").write_text(json.dumps(local))
    auto = ResultsStore(folder).reports()
    assert (auto["kitchen"].backend, auto["gather"].backend) == ("docker", "local")
    assert {slug: report.backend for slug, report in ResultsStore(folder).reports("local").items()} == {
        "kitchen": "local", "gather": "local"}
    docker = ResultsStore(folder).reports("docker")
    assert "gather" not in docker and docker["kitchen"].backend == "docker"
    with pytest.raises(KitError, match="unknown backend 'podman': expected one of auto, docker, local"):
        ResultsStore(folder).reports("podman")


def test_a_failing_run_replacing_a_good_result_keeps_the_good_one_aside(tmp_path):
    good = load_report(RESULTS / "docker" / "kitchen.json")
    failed = json.loads((RESULTS / "docker" / "kitchen.json").read_text())
    failed.update(equivalent=False, date="2031-01-01T00:00:00Z")
    failed = LessonReport.from_dict(failed)
    store = ResultsStore(tmp_path)
    store.save(good)
    store.save(failed)
    assert store.reports() == {"kitchen": failed}  # the pages show what the examples do now
    assert load_report(store.last_good("docker", "kitchen")) == good
    store.save(failed)  # a second failure keeps the good one, not the first failure
    assert load_report(store.last_good("docker", "kitchen")) == good


def test_run_lesson_says_when_its_run_replaced_a_good_result(tmp_path, registry, local_backend):
    from contextlib import contextmanager
    from types import SimpleNamespace

    from runner.model.lessons import load_lessons
    from runner.run.commands import Feedback, run_course
    from tests.conftest import make_lesson

    make_lesson(tmp_path, "toast", {"python/toast.py": "print('[0.0s] toast: started')\n"})
    lessons = load_lessons(registry, tmp_path / "lessons")
    warned = []

    @contextmanager
    def status(_):
        yield SimpleNamespace(update=lambda _: None)

    feedback = Feedback(lambda _: None, warned.append, status)
    assert run_course(registry, lessons, ["toast"], "python", "local", None, False, tmp_path / "results", feedback)
    assert not [w for w in warned if "replaced" in w]
    (tmp_path / "python" / "toast.py").write_text("raise SystemExit(3)\n")
    assert not run_course(registry, lessons, ["toast"], "python", "local", None, False, tmp_path / "results", feedback)
    replaced = [w for w in warned if "replaced" in w]
    assert len(replaced) == 1 and "toast: this run replaced the stored good result of 20" in replaced[0]
    assert str(tmp_path / "results" / "local" / "last-good" / "toast.json") in replaced[0]
