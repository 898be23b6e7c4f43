"""The results folder: a report saved per lesson and backend, read back with the choice of backend."""
import json
import shutil
from pathlib import Path

import pytest

from runner import KitError
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
