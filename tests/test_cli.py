"""The invoke tasks, run as a user runs them: exit codes, JSON, messages, and no leftovers."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from runner import ROOT
from runner.model.languages import load_registry
from runner.model.results import NOT_RUN_HERE, LessonReport
from tests.test_curriculum import check_lesson


def invoke(*args, cwd=ROOT, timeout=300, env=None):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def test_list_shows_the_lessons():
    done = invoke("list")
    assert done.returncode == 0, done.stderr
    assert "kitchen" in done.stdout and "gather" in done.stdout and "timeouts" in done.stdout


def test_bad_flags_name_the_valid_choices():
    done = invoke("run-lesson", "kitchen", "--lang", "rust", "--backend", "local")
    assert done.returncode == 2 and "unknown language 'rust'" in done.stderr and "python, javascript, csharp" in done.stderr
    assert "python: Python, py, python3" in " ".join(done.stderr.split())  # every name --lang accepts
    for spelled, repeat in (("Python", "0"), ("py", "abc"), ("js", "0"), ("cs", "2.5"), ("C#", "0")):
        done = invoke("run-lesson", "kitchen", "--lang", spelled, "--repeat", repeat, "--backend", "local")
        assert done.returncode == 2, (spelled, done.stderr)  # accepted: the error is the next flag's
        assert f"--repeat takes a whole number of at least 1, got '{repeat}'" in done.stderr, (spelled, done.stderr)
        assert "Traceback" not in done.stderr  # --repeat abc was a ValueError's traceback and exit 1
    done = invoke("run-lesson", "kitchn", "--backend", "local")
    assert done.returncode == 2 and "Did you mean 'kitchen'?" in done.stderr
    done = invoke("run-lesson", "kitchen", "--repeat", "0", "--backend", "local")
    assert done.returncode == 2 and "--repeat" in done.stderr
    done = invoke("run-lesson", "kitchen", "--backend", "podman")
    assert done.returncode == 2 and "auto, docker, local" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_command_given_no_lesson_is_stopped_by_invokes_parser_as_the_readme_says():
    """invoke counts a positional argument as missing while its value is None, and eats a word as one only then:
    a default of "" would let `invoke run-lesson` reach the kit but make `invoke run-lesson kitchen` an unknown
    task. So invoke answers, with exit status 1 (README: Using it)."""
    done = invoke("run-lesson")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "'run-lesson' did not receive required positional arguments: 'lesson'" in done.stderr


def test_a_short_flag_means_one_thing_in_every_command():
    """-l was --lesson in run-lesson and --lang in run-all: invoke gives a flag the first letter free in its task."""
    from tasks import ns

    meaning: dict[str, set[str]] = {}
    for name in ns.task_names:
        for argument in ns[name].get_arguments():
            for short in (flag for flag in argument.nicknames if len(flag) == 1):
                meaning.setdefault(short, set()).add(argument.names[0])
    assert {short: longs for short, longs in meaning.items() if len(longs) > 1} == {}
    assert meaning["l"] == {"lang"} and meaning["b"] == {"backend"} and meaning["f"] == {"force"}
    done = invoke("run-lesson", "kitchen", "-l", "rust", "-b", "local")
    assert done.returncode == 2 and "unknown language 'rust'" in done.stderr


@pytest.mark.parametrize("command", ["exercise", "hint", "check"])
def test_a_lesson_without_an_exercise_is_named_as_such(command):
    done = invoke(command, "fetch", "--lang", "python")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "the lesson 'fetch' has no exercise; these have one: kitchen" in done.stderr


def test_list_names_the_lines_that_look_like_events_and_the_chains_that_name_no_task(kit_copy):
    """The output grammar does not fail silently: a line that looks like an event but draws nothing is named."""
    from tests.conftest import make_lesson

    make_lesson(kit_copy, "breakfast", {"python/breakfast.py": "print('[0.0s] toast: started')\n"},
                extra="timeline: {after: {butter & jam: toast, jam: buter}}\n",
                expected="[0.0s] toast: started\n[0.1s] Toast: Finished\n[0.1s] butter & jam: started\n")
    done = invoke("list", cwd=kit_copy, env={"COLUMNS": "250"})
    assert done.returncode == 0, done.stderr  # warnings: the lesson runs while its author writes it
    said = " ".join(done.stderr.split())
    # At its line in the file: the second of the expected block, which starts on line 7.
    assert "warning: lessons/breakfast/lesson.yaml:8: expected: '[0.1s] Toast: Finished' looks like an event " \
           "but is not read as one: write 'Toast: finished'" in said, said
    assert "timeline.after: 'jam' prints no event" in said and "timeline.after: 'buter' prints no event" in said
    assert "its tasks are butter & jam, toast" in said  # any text up to ': ' names a task


def _break_lessons(kit_copy):
    """gather's lesson.yaml is not YAML, timeouts has no lesson.md; of the others only kitchen stays, to be quick."""
    for folder in (kit_copy / "lessons").iterdir():
        if folder.is_dir() and folder.name not in ("kitchen", "gather", "timeouts"):
            shutil.rmtree(folder)
    (kit_copy / "lessons" / "cheatsheet.yaml").unlink()  # it names the lessons just removed
    (kit_copy / "lessons" / "gather" / "lesson.yaml").write_text("title: [oops\n")
    (kit_copy / "lessons" / "timeouts" / "lesson.md").unlink()


def test_invalid_lessons_are_listed_and_a_command_naming_one_fails_with_its_problems(kit_copy):
    """A broken lesson stops only what needs it (it stopped every command, whatever lesson it named, before)."""
    _break_lessons(kit_copy)
    done = invoke("list", cwd=kit_copy)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert re.search(r"gather +broken", done.stdout) and re.search(r"timeouts +broken", done.stdout)
    assert re.search(r"kitchen +The kitchen", done.stdout)
    assert "invalid lessons" in done.stderr and "gather/lesson.yaml:1: title: not valid YAML" in done.stderr
    assert "timeouts/lesson.yaml: no lesson.md" in done.stderr
    for command in (["run-lesson", "gather", "--backend", "local"], ["handout", "gather", "--format", "md"],
                    ["hint", "gather"]):
        done = invoke(*command, cwd=kit_copy)
        assert done.returncode == 2, (command, done.stderr)
        assert "invalid lessons" in done.stderr and "nothing was run (the lesson 'gather' is broken)" in done.stderr
        assert "gather/lesson.yaml:1: title: not valid YAML" in done.stderr and "timeouts" not in done.stderr
    done = invoke("render", cwd=kit_copy)
    assert done.returncode == 2 and (kit_copy / "site" / "kitchen.html").is_file()
    assert "gather, timeouts left out of the site" in done.stderr and "gather/lesson.yaml:1" in done.stderr


@pytest.mark.local
def test_invalid_lessons_are_left_out_and_the_others_run(kit_copy):
    _break_lessons(kit_copy)
    done = invoke("run-lesson", "kitchen", "--backend", "local", "--lang", "python", cwd=kit_copy)
    assert done.returncode == 0, done.stderr
    assert "left out, for problems in their lesson files: gather, timeouts" in done.stderr
    done = invoke("run-all", "--backend", "local", "--lang", "python", "--json", cwd=kit_copy)
    assert done.returncode == 2, done.stderr
    assert [report["lesson"] for report in json.loads(done.stdout)] == ["kitchen"]
    assert "invalid lessons" in done.stderr and "gather, timeouts left out; the others ran" in done.stderr
    assert "gather/lesson.yaml:1: title: not valid YAML" in done.stderr and "timeouts/lesson.yaml" in done.stderr


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
    source.write_text(source.read_text().replace("the longest chain", "the shortest chain"))
    done = invoke("run-lesson", "kitchen", "--backend", "local", "--lang", "python,javascript", "--json", cwd=kit_copy)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["equivalent"] is False and "the shortest chain" in report["diff"]


@pytest.mark.docker
def test_ctrl_c_removes_every_container(docker_backend, kit_copy, owner, no_leftovers):
    from runner.sandbox.docker.connection import connect
    from runner.sandbox.docker.labels import OWNER_LABEL
    from runner.sandbox.docker.reaper import leftovers

    proc = subprocess.Popen([sys.executable, "-m", "invoke", "run-lesson", "kitchen", "--backend", "docker"],
                            cwd=kit_copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    client = connect()
    mine = {OWNER_LABEL: owner}  # not another test's or another user's, on the same engine
    deadline = time.monotonic() + 60
    while not leftovers(client, mine)["containers"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(client, mine)["containers"], "no container started"
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
    # It runs, but the author is told what is left of the stubs; nothing is published for learners.
    assert "warning: lessons/retry-loop/lesson.yaml:3: still the stub's placeholder" in ran.stderr
    assert "python/retry-loop.py:1: still the stub's placeholder" in ran.stderr
    for command in (("render", "--out", str(kit_copy / "site")), ("handout", "retry-loop", "--format", "md")):
        refused = invoke(*command, cwd=kit_copy)
        assert refused.returncode == 2 and "placeholder(s) of `invoke new-lesson`'s stubs" in refused.stderr
        assert "lessons/retry-loop/lesson.md:3" in refused.stderr and "Traceback" not in refused.stderr
    again = invoke("new-lesson", "retry-loop", cwd=kit_copy)
    assert again.returncode == 2 and "exists already" in again.stderr
    bad = invoke("new-lesson", "Retry_Loop", cwd=kit_copy)
    assert bad.returncode == 2 and "lower-case words" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
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


@pytest.mark.docker
def test_images_offline_builds_what_is_missing_or_stale_and_nothing_else(docker_backend, kit_copy):
    """The rebuild rule of `invoke images --offline`, on a language of the test's own whose offline image is
    the base plus the recipe's label: missing, it is built; current, it is left; stale (a label that names
    another recipe), it is built again. The real images' recipes are the same rule with more parts."""
    from runner.sandbox.docker.images import image_labels
    from runner.sandbox.docker.labels import RECIPE_LABEL
    from runner.setup import offline

    client = docker_backend.client
    if not offline.base_recipe().digest == image_labels(client, offline.BASE_TAG).get(RECIPE_LABEL):
        pytest.fail(f"{offline.BASE_TAG} is missing or stale: `invoke images --offline` (./bootstrap) makes it")
    tag = "async-rosetta-test/plain:offline"
    registry_file = kit_copy / "runner" / "languages" / "registry.yaml"
    registry_file.write_text(f"""
plain:
  title: Plain
  folder: plain
  extension: .py
  lexer: python
  image: async-rosetta-test/plain:none
  offline_image: {tag}
  run: [python3, "{{source}}"]
  version: [python3, --version]
""")

    def image_id():
        try:
            return client.images.get(tag).id
        except Exception:  # docker.errors.ImageNotFound
            return None

    try:
        if image_id():
            client.images.remove(tag, force=True)
        first = invoke("images", "--offline", cwd=kit_copy)
        assert first.returncode == 0 and f"built {tag}" in first.stderr, first.stderr
        built = image_id()
        digest = offline.recipes(load_registry(registry_file).languages.values())["plain"].digest
        assert built and image_labels(client, tag)[RECIPE_LABEL] == digest
        again = invoke("images", "--offline", cwd=kit_copy)
        assert again.returncode == 0 and "the offline images are current" in again.stderr, again.stderr
        assert image_id() == built
        client.images.get(offline.BASE_TAG).tag(tag)  # an image made by another recipe under the same tag
        stale = invoke("images", "--offline", cwd=kit_copy)
        assert stale.returncode == 0 and f"built {tag}" in stale.stderr, stale.stderr
        assert image_labels(client, tag)[RECIPE_LABEL] == digest
        assert image_id() != client.images.get(offline.BASE_TAG).id
    finally:
        if image_id():
            client.images.remove(tag, force=True)


# --- what users run to look after the kit: doctor, clean, and the whole course -------------------------

NO_ENGINE = "unix:///nonexistent/async-rosetta/docker.sock"
WIDE = {"COLUMNS": "250"}  # rich's tables keep each finding on one line


def _rows(table: str) -> dict[str, list[str]]:
    """A rich table's rows by their first cell: the other cells, stripped."""
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if len(cells) >= 2 and cells[0]:
            rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.docker
@pytest.mark.local
def test_doctor_finds_everything_here_and_exits_0(docker_backend, local_backend, registry):
    done = invoke("doctor", env=WIDE)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = _rows(done.stdout)
    assert rows["Docker engine"][0] == "ok" and rows["Docker engine"][1].startswith("version ")
    for language in registry.languages.values():
        assert rows[f"{language.title} image"][0] == "ok", rows
        assert rows[f"{language.title} on this machine (local backend)"][0] == "ok", rows


def test_doctor_without_an_engine_says_how_to_start_one_and_exits_3():
    done = invoke("doctor", env={**WIDE, "DOCKER_HOST": NO_ENGINE})
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    rows = _rows(done.stdout)
    assert rows["Docker engine"] == ["missing", "start one: `./bootstrap` (root on Linux starts dockerd), or Docker "
                                                "Desktop; without it use `--backend local`"]
    for language in load_registry().languages.values():
        assert rows[f"{language.title} image"] == ["missing", "needs a Docker engine first"]


@pytest.mark.docker
def test_clean_removes_what_a_dead_owner_left_and_spares_a_live_owners(docker_backend, registry):
    """`invoke clean` after a crash: the crashed run's container and volume go; a run still going keeps its."""
    import platform
    import re
    import uuid

    from runner.sandbox.docker.labels import KIT_LABEL, OWNER_LABEL, RUN_LABEL
    from runner.sandbox.docker.reaper import leftovers, remove_leftovers

    client = docker_backend.client
    gone = subprocess.Popen(["true"])
    gone.wait()  # its pid names an owner that no longer runs
    owners = {"dead": f"{platform.node()}:{gone.pid}", "live": f"{platform.node()}:{os.getpid()}"}
    run = f"clean-test-{uuid.uuid4().hex[:8]}"
    image = docker_backend.image(registry.get("python"))
    try:
        for who, owner in owners.items():
            labels = {KIT_LABEL: "async-rosetta", RUN_LABEL: f"{run}-{who}", OWNER_LABEL: owner}
            client.api.create_volume(labels=labels)
            container = client.api.create_container(image, ["sleep", "300"], labels=labels,
                                                    host_config=client.api.create_host_config(network_mode="none"))
            client.api.start(container["Id"])
        done = invoke("clean")
        assert done.returncode == 0, done.stderr
        assert re.search(r"removed [1-9]\d* container\(s\) and [1-9]\d* volume\(s\)", done.stdout), done.stdout
        left = {who: leftovers(client, {RUN_LABEL: f"{run}-{who}"}) for who in owners}
        assert left["dead"] == {"containers": [], "volumes": []}
        assert len(left["live"]["containers"]) == 1 and len(left["live"]["volumes"]) == 1, left
    finally:
        for who in owners:
            remove_leftovers(client, {RUN_LABEL: f"{run}-{who}"})


@pytest.mark.docker
@pytest.mark.serial  # the course's times are compared within 0.1 s, its languages side by side
def test_run_all_runs_the_whole_course_as_users_do(docker_backend, kit_copy, lessons, empty_build_cache,
                                                   no_leftovers):
    """`invoke run-all` in its real mode: warm containers, the languages side by side, C# built ahead."""
    done = invoke("run-all", "--backend", "docker", "--json", cwd=kit_copy, timeout=1200)
    reports = {report["lesson"]: report for report in json.loads(done.stdout or "[]")}
    assert list(reports) == list(lessons), done.stderr
    wrong = []
    for slug, report in reports.items():  # each lesson judged as test_curriculum judges it on the local backend
        try:
            check_lesson(LessonReport.from_dict(report), lessons[slug])
        except AssertionError as exc:  # every wrong lesson, not only the first
            wrong.append(f"{slug}: {exc}")
        assert (kit_copy / "results" / "docker" / f"{slug}.json").is_file()
    assert not wrong, "\n\n".join(wrong)
    not_run = [slug for slug, report in reports.items() if report["verdict"] == NOT_RUN_HERE]  # a job took a core
    assert done.returncode == (3 if not_run else 0), done.stderr
    assert not not_run or f"error: not run here: {not_run[0]} in " in done.stderr, done.stderr
    csharp = {slug: [r for r in report["runs"] if r["language"] == "csharp" and r["status"] == "ok"]
              for slug, report in reports.items()}
    first, *later = list(reports)
    assert [r["build_cached"] for r in csharp[first]] == [False], "the first lesson's C# is built as it runs"
    ahead = {slug: [r["build_cached"] for r in csharp[slug]] for slug in later if slug not in not_run}
    assert all(cached == [True] for cached in ahead.values()), f"the later lessons' C# is built ahead: {ahead}"
