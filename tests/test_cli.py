"""The invoke tasks, run as a user runs them: exit codes, JSON, messages, and no leftovers."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from runner import ROOT
from runner.languages import load_registry


def invoke(*args, cwd=ROOT, timeout=300):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def test_list_shows_the_lessons():
    done = invoke("list")
    assert done.returncode == 0, done.stderr
    assert "kitchen" in done.stdout and "gather" in done.stdout and "timeouts" in done.stdout


def test_bad_flags_name_the_valid_choices():
    done = invoke("run-lesson", "kitchen", "--lang", "rust", "--backend", "local")
    assert done.returncode == 2 and "unknown language 'rust'" in done.stderr and "python, javascript, csharp" in done.stderr
    done = invoke("run-lesson", "kitchn", "--backend", "local")
    assert done.returncode == 2 and "Did you mean 'kitchen'?" in done.stderr
    done = invoke("run-lesson", "kitchen", "--repeat", "0", "--backend", "local")
    assert done.returncode == 2 and "--repeat" in done.stderr
    done = invoke("run-lesson", "kitchen", "--backend", "podman")
    assert done.returncode == 2 and "auto, docker, local" in done.stderr
    assert "Traceback" not in done.stderr


def test_invalid_lessons_stop_everything_with_every_problem(kit_copy):
    (kit_copy / "lessons" / "gather" / "lesson.yaml").write_text("title: [oops\n")
    (kit_copy / "lessons" / "timeouts" / "lesson.md").unlink()
    done = invoke("run-lesson", "kitchen", "--backend", "local", cwd=kit_copy)
    assert done.returncode == 2
    assert "invalid lessons" in done.stderr and "gather/lesson.yaml" in done.stderr and "timeouts" in done.stderr


@pytest.mark.local
def test_run_lesson_json_on_the_local_backend(kit_copy):
    done = invoke("run-lesson", "kitchen", "--backend", "local", "--json", "--repeat", "2", cwd=kit_copy)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["lesson"] == "kitchen" and report["equivalent"] is True
    assert [r["status"] for r in report["runs"]] == ["ok"] * 6
    assert {"language", "backend", "status", "exit_code", "stdout", "stderr", "build_ms", "run_ms", "process_ms",
            "peak_memory_bytes", "runtime_version", "image", "truncated", "events"} <= set(report["runs"][0])
    assert report["timings"]["python"]["run_ms"]["median"] == pytest.approx(1900, abs=100)
    saved = json.loads((kit_copy / "results" / "local" / "kitchen.json").read_text())
    assert saved["equivalent"] is True and saved["host"]["cpus"] and saved["date"]


@pytest.mark.local
def test_a_broken_example_fails_the_run(kit_copy):
    source = kit_copy / "javascript" / "kitchen.mjs"
    source.write_text(source.read_text().replace("the longest step", "the shortest step"))
    done = invoke("run-lesson", "kitchen", "--backend", "local", "--lang", "python,javascript", "--json", cwd=kit_copy)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["equivalent"] is False and "the shortest step" in report["diff"]


@pytest.mark.docker
def test_ctrl_c_removes_every_container(docker_backend, kit_copy, no_leftovers):
    from runner import docker_engine

    proc = subprocess.Popen([sys.executable, "-m", "invoke", "run-lesson", "kitchen", "--backend", "docker"],
                            cwd=kit_copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    client = docker_engine.connect()
    deadline = time.monotonic() + 60
    while not docker_engine.leftovers(client)["containers"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert docker_engine.leftovers(client)["containers"], "no container started"
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err


@pytest.mark.local
def test_new_lesson_starts_from_stubs_that_run_and_compare_equal(kit_copy):
    done = invoke("new-lesson", "retry-loop", cwd=kit_copy)
    assert done.returncode == 0, done.stderr
    for path in ("lessons/retry-loop/lesson.yaml", "lessons/retry-loop/lesson.md", "python/retry-loop.py",
                 "javascript/retry-loop.mjs", "csharp/retry-loop.cs"):
        assert (kit_copy / path).is_file() and f"created {path}" in done.stdout
    ran = invoke("run-lesson", "retry-loop", "--backend", "local", "--json", cwd=kit_copy)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    report = json.loads(ran.stdout)
    assert report["equivalent"] is True and [r["status"] for r in report["runs"]] == ["ok"] * 3
    again = invoke("new-lesson", "retry-loop", cwd=kit_copy)
    assert again.returncode == 2 and "exists already" in again.stderr
    bad = invoke("new-lesson", "Retry_Loop", cwd=kit_copy)
    assert bad.returncode == 2 and "lower-case words" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.docker
def test_images_travel_in_one_archive(docker_backend, tmp_path):
    import tarfile

    archive = tmp_path / "images.tar"
    done = invoke("images", "--save", str(archive))
    assert done.returncode == 0, done.stderr
    with tarfile.open(archive) as tar:
        tags = {tag for entry in json.load(tar.extractfile("manifest.json")) for tag in entry["RepoTags"] or ()}
    assert {docker_backend.image(lang) for lang in load_registry().languages.values()} <= tags
    done = invoke("images", "--load", str(archive))
    assert done.returncode == 0 and "loaded the images" in done.stderr
    missing = invoke("images", "--load", str(tmp_path / "nowhere.tar"))
    assert missing.returncode == 2 and "no such file" in missing.stderr and "--save" in missing.stderr
