"""Exercises: the workspace, hints and the checker, as a learner uses them, and every real exercise."""
import json
import re
from pathlib import Path

import pytest
import yaml

from runner import KitError
from runner.run.checker import judge
from runner.sandbox.backend import too_old
from runner.model.languages import load_registry
from runner.model.lessons import load_lessons
from tests.conftest import make_lesson, picked
from tests.test_cli import invoke

CASES = Path(__file__).parent / "data" / "exercises"
# In a case's words (tests/data/exercises/*/cases.yaml) `#.#` stands for a number the program measured,
# which a busy machine may push up: the words around it are the verdict's, and must be there.
PLACEHOLDER, MEASURED = "#.#", re.compile(r"\d+\.\d")
SOLUTION = """import asyncio, time
start = time.perf_counter()
def log(message):
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)
async def make(name, seconds):
    log(f"{name}: started")
    await asyncio.sleep(seconds)
    log(f"{name}: finished")
async def main():
    global start
    start = time.perf_counter()
    await asyncio.gather(make("toast", 0.2), make("tea", 0.3))
    log("breakfast ready")
asyncio.run(main())
"""
STARTER = SOLUTION.replace('await asyncio.gather(make("toast", 0.2), make("tea", 0.3))',
                           'await make("toast", 0.2)  # TODO: make both at once\n    await make("tea", 0.3)')
EXERCISE = """exercise:
  seconds: 0.3
  slower: breakfast is ready after the slower of the two - are your awaits one after another?
  hints:
    all: [Both can wait at the same time.]
    python: [asyncio.gather waits for several coroutines at once.]
"""
EXPECTED = "[0.0s] toast: started\n[0.0s] tea: started\n[0.2s] toast: finished\n[0.3s] tea: finished\n[0.3s] breakfast ready\n"


@pytest.fixture
def toast(kit_copy):
    folder = make_lesson(kit_copy, "toast", {"python/toast.py": SOLUTION}, extra=EXERCISE, expected=EXPECTED)
    (folder / "exercise.md").write_text("# Breakfast\nMake toast and tea at the same time.\n")
    (folder / "exercise").mkdir()
    (folder / "exercise" / "starter.py").write_text(STARTER)
    return kit_copy


def test_exercise_copies_the_starter_and_never_overwrites_a_learners_file(toast):
    done = invoke("exercise", "toast", "--lang", "python", cwd=toast)
    assert done.returncode == 0, done.stderr
    mine = toast / "workspace" / "toast" / "toast.py"
    assert mine.read_text() == STARTER
    assert "Make toast and tea" in done.stdout and "  invoke check toast  " in done.stdout  # --lang: the file's
    mine.write_text("# my work\n")
    again = invoke("exercise", "toast", "--lang", "python", cwd=toast)
    assert again.returncode == 2 and "exists already" in again.stderr and mine.read_text() == "# my work\n"
    assert invoke("exercise", "toast", "--lang", "python", "--force", cwd=toast).returncode == 0
    assert mine.read_text() == STARTER
    assert "toast" in invoke("exercise", "--list", cwd=toast).stdout
    nolang = invoke("exercise", "toast", cwd=toast)  # the language of the one file there: it exists already
    assert nolang.returncode == 2 and "exists already" in nolang.stderr and mine.read_text() == STARTER


def test_the_list_of_exercises_keeps_every_slug_apart_from_its_title(lessons):
    listed = invoke("exercise", "--list").stdout.splitlines()
    with_exercise = [lesson for lesson in lessons.values() if lesson.exercise]
    assert len(listed) == len(with_exercise)
    for line, lesson in zip(listed, with_exercise):
        slug, gap, title = line.partition("  ")
        assert (slug, title.strip()) == (lesson.slug, lesson.title), line


def test_hints_come_one_at_a_time_and_are_remembered(toast):
    said = [invoke("hint", "toast", "--lang", "python", cwd=toast).stdout.strip() for _ in range(3)]
    assert said[0] == "hint 1 of 2: Both can wait at the same time."
    assert said[1] == "hint 2 of 2: asyncio.gather waits for several coroutines at once."
    assert "that was the last hint" in said[2]


@pytest.mark.local
def test_check_explains_a_sequential_solution_and_passes_a_right_one(toast):
    assert invoke("exercise", "toast", "--lang", "python", cwd=toast).returncode == 0
    wrong = invoke("check", "toast", "--lang", "python", "--backend", "local", cwd=toast)
    assert wrong.returncode == 1
    # The measured time is the machine's (a busy one adds to it); the words around it are the kit's.
    assert "NOT YET" in wrong.stdout and holds(wrong.stdout, "it finished in #.# s; breakfast is ready after the slower")
    assert "+[0.2s] tea: started" in wrong.stdout  # the diff, in the learner's terms
    right = toast / "mine.py"
    right.write_text(SOLUTION)
    done = invoke("check", "toast", "--file", str(right), "--backend", "local", "--json", cwd=toast)
    assert done.returncode == 0, done.stdout + done.stderr
    verdict = json.loads(done.stdout)
    assert verdict["passed"] is True and verdict["status"] == "passed" and verdict["run"]["status"] == "ok"
    assert not (toast / "workspace" / "toast" / "passed.json").exists()  # --file's PASS: not the learner's progress


@pytest.mark.local
def test_check_gives_a_clear_verdict_for_broken_blocking_and_unreadable_files(toast):
    def verdict(source: bytes | str, name="mine.py"):
        path = toast / name
        path.write_bytes(source if isinstance(source, bytes) else source.encode())
        return invoke("check", "toast", "--file", str(path), "--backend", "local", "--json", cwd=toast)

    blocking = json.loads(verdict(SOLUTION.replace("await asyncio.sleep(seconds)", "time.sleep(seconds)")).stdout)
    assert not blocking["passed"] and any("line 7: time.sleep inside an async function" in m for m in blocking["messages"])
    crash = json.loads(verdict("def main(:\n    pass\n").stdout)
    assert crash["status"] == "failed" and "SyntaxError" in crash["messages"][0]
    for bad, words in ((b"\xff\xfe not text", "not UTF-8"), (b"  \n", "is empty")):
        done = verdict(bad)
        assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr
    missing = invoke("check", "toast", "--lang", "python", "--backend", "local", cwd=toast)
    assert missing.returncode == 2 and "invoke exercise toast --lang python" in missing.stderr


def test_solutions_are_written_for_instructors(toast):
    done = invoke("exercise", "--solutions", cwd=toast)
    assert done.returncode == 0, done.stderr
    assert (toast / "workspace" / "solutions" / "toast" / "toast.py").read_text() == SOLUTION


def _cases(shipped_only: bool = False, in_docker: bool = False):
    """Every exercise's cases: (lesson, language, file, the words its verdict must say; none for a reference
    solution). With `shipped_only`, only the files the kit ships: the starters and reference solutions. With
    `in_docker`, a reference solution only where the lesson needs a newer runtime than a host may have (the
    others are judged on the local backend, and run in Docker by the serial `invoke run-all`)."""
    registry = load_registry()
    lessons = load_lessons(registry)
    found = []
    for slug in picked(lessons):
        lesson = lessons[slug]
        if not lesson.exercise:
            continue
        for case in yaml.safe_load((CASES / slug / "cases.yaml").read_text()):
            if case["file"] == "starter":  # the same words for the starter in every language
                found += [(slug, lang.name, str(lesson.starter(lang)), tuple(case["says"]))
                          for lang in registry.languages.values() if lesson.starter(lang).is_file()]
            elif case["file"].startswith("starter."):  # one language's starter
                lang = next(l for l in registry.languages.values() if case["file"].endswith(l.extension))
                found.append((slug, lang.name, str(lesson.starter(lang)), tuple(case["says"])))
            elif not shipped_only:
                lang = next(l for l in registry.languages.values() if case["file"].endswith(l.extension))
                found.append((slug, lang.name, str(CASES / slug / case["file"]), tuple(case["says"])))
        found += [(slug, lang.name, str(lesson.solution(lang)), ()) for lang in registry.languages.values()
                  if not in_docker or lesson.required_version(lang.name)]
    return found


def _judge(slug, language, path, says, backend, lessons, registry, host=False):
    verdict = judge(lessons[slug], registry.get(language), Path(path), backend)
    text = "\n".join(verdict.messages)
    required = lessons[slug].required_version(language)
    if host and too_old(backend.runtime_version(registry.get(language)), required):
        # The host's runtime is older than the lesson requires: the kit says so and judges nothing here
        # (test_every_exercise_in_docker judges the file).
        assert verdict.status == "skipped" and not verdict.passed, f"{path}: {verdict.status}: {text}"
        assert f"{registry.get(language).title} {required} or newer" in text, text
        return
    if not says:  # the reference solution
        assert verdict.passed, f"{path}: {text}\n{verdict.run.stdout if verdict.run is not None else ''}"
    else:
        assert not verdict.passed, f"{path} passed"
        for words in says:
            assert holds(text, words), f"{path}: expected {words!r} in:\n{text}"


def holds(text: str, words: str) -> bool:
    """Whether the verdict's text holds these words, a measured number wherever they have `#.#`."""
    return re.search(MEASURED.pattern.join(map(re.escape, words.split(PLACEHOLDER))), text) is not None


# Every case in Docker, where learners' programs run. A verdict is the checker's, whatever ran the program: on
# the local backend the files the kit ships (starters and reference solutions) prove that it runs them as
# Docker does, and each typical wrong program is judged once, not twice. A reference solution is the lesson's
# example, which the serial `invoke run-all` runs in Docker: the checker judges it there only where the host's
# runtime may be too old for it (the local verdict is then `skipped`).
@pytest.mark.local
@pytest.mark.parametrize("slug,language,path,says", _cases(shipped_only=True))
def test_every_shipped_exercise_file_on_the_local_backend(slug, language, path, says, local_backend, lessons, registry):
    _judge(slug, language, path, says, local_backend, lessons, registry, host=True)


@pytest.mark.docker
@pytest.mark.parametrize("slug,language,path,says", _cases(in_docker=True))
def test_every_exercise_in_docker(slug, language, path, says, docker_backend, lessons, registry, no_leftovers):
    _judge(slug, language, path, says, docker_backend, lessons, registry)


def _corpus():
    """Per exercise and language: the corpus's right programs (`right/`: other idioms than the reference solution)
    and its wrong ones (`wrong/cases.yaml`: a file and the words its verdict must say)."""
    registry = load_registry()
    found = []
    for slug in picked(sorted(folder.name for folder in CASES.iterdir() if folder.is_dir())):
        wrong_cases = CASES / slug / "wrong" / "cases.yaml"
        wrong = yaml.safe_load(wrong_cases.read_text()) if wrong_cases.is_file() else []
        for lang in registry.languages.values():
            right = tuple(str(path) for path in sorted((CASES / slug / "right").glob(f"*{lang.extension}")))
            mistakes = tuple((str(CASES / slug / "wrong" / case["file"]), tuple(case["says"])) for case in wrong
                             if case["file"].endswith(lang.extension))
            if right or mistakes:
                found.append(pytest.param(slug, lang.name, right, mistakes, id=f"{slug}-{lang.name}"))
    return found


# The corpus: what able learners write. One test per exercise and language judges all its files (a Docker
# test per file would cost the suite a setup each), and reports every file judged wrongly, not the first.
# (One after another: side by side, on a busy machine, even the reruns alone came late.)
@pytest.mark.docker
@pytest.mark.parametrize("slug,language,right,wrong", _corpus())
def test_every_corpus_program_of_an_exercise_in_docker(slug, language, right, wrong, docker_backend, lessons,
                                                        registry, no_leftovers):
    faults = []
    for path, says in [(path, ()) for path in right] + list(wrong):
        verdict = judge(lessons[slug], registry.get(language), Path(path), docker_backend)
        text = "\n".join(verdict.messages)
        if not says and not verdict.passed:
            faults.append(f"{path}: a right program refused:\n{text}")
        elif says and verdict.passed:
            faults.append(f"{path}: a wrong program passed")
        elif missing := [words for words in says if not holds(text, words)]:
            faults.append(f"{path}: expected {missing!r} in:\n{text}")
    assert not faults, "\n\n".join(faults)


def test_a_lesson_without_an_exercise_is_refused(lessons, registry):
    from runner.sandbox.local import LocalBackend

    plain = next(l for l in lessons.values() if not l.exercise)
    with pytest.raises(KitError, match="has no exercise"):  # before anything runs: no toolchain needed
        judge(plain, registry.get("python"), plain.example(registry.get("python")), LocalBackend())


# Scenarios: the program learns its own from ROSETTA_SCENARIO; a hard-coded output is right in one only.
SCENARIO_PART = 'import os\nTEA = 0.5 if os.environ.get("ROSETTA_SCENARIO") == "slow-tea" else 0.3\n'
SLOW_TEA = EXPECTED.replace("[0.3s]", "[0.5s]")
SCENARIOS = EXERCISE + """  scenarios:
    slow-tea:
      what: the tea takes 0.5 s
      seconds: 0.5
      expected: |
""" + "".join(f"        {line}\n" for line in SLOW_TEA.splitlines())


@pytest.fixture
def tea(kit_copy):
    solution = SCENARIO_PART + SOLUTION.replace('make("tea", 0.3)', 'make("tea", TEA)')
    folder = make_lesson(kit_copy, "tea", {"python/tea.py": solution}, extra=SCENARIOS, expected=EXPECTED)
    (folder / "exercise.md").write_text("# Tea\nMake toast and tea at the same time.\n")
    (folder / "exercise").mkdir()
    (folder / "exercise" / "starter.py").write_text(STARTER)
    return kit_copy


@pytest.mark.local
def test_a_check_runs_every_scenario_and_reports_each_by_name(tea):
    def check(path, *more):
        done = invoke("check", "tea", "--file", str(path), "--backend", "local", "--json", *more, cwd=tea)
        return done.returncode, json.loads(done.stdout) if done.stdout.strip() else done.stderr

    code, right = check(tea / "python" / "tea.py")
    assert code == 0 and right["passed"], right
    assert [(s["name"], s["passed"], s["run"]["status"]) for s in right["scenarios"]] == [
        ("default", True, "ok"), ("slow-tea", True, "ok")]
    assert "[0.5s] tea: finished" in right["scenarios"][1]["run"]["stdout"]
    assert "in every scenario (slow-tea too)" in right["messages"][0]
    fixed = tea / "fixed.py"  # the default's times written in: right there, wrong when the tea is slower
    fixed.write_text(SOLUTION)
    code, wrong = check(fixed)
    assert code == 1 and wrong["status"] == "wrong"
    assert [(s["name"], s["passed"]) for s in wrong["scenarios"]] == [("default", True), ("slow-tea", False)]
    assert any(m.startswith("in the scenario 'slow-tea' (the tea takes 0.5 s): ") and "-[0.5s] tea: finished" in m
               for m in wrong["messages"]), wrong["messages"]
    code, one = check(fixed, "--scenario", "default")  # one scenario only
    assert code == 0 and [s["name"] for s in one["scenarios"]] == ["default"]
    code, unknown = check(fixed, "--scenario", "slow-coffee")
    assert code == 2 and "has no scenario 'slow-coffee'; its scenarios: default, slow-tea" in unknown, unknown


@pytest.mark.parametrize("scenarios,words", [
    ("    default: {what: the lesson's}\n", "lesson.yaml:12: exercise.scenarios.default: expected a name in lower-case"),
    ("    slow-tea: {expected: x}\n", "lesson.yaml:12: exercise.scenarios.slow-tea.what: expected what the scenario"),
    ("    slow-tea: {what: w, seconds: -1}\n", "lesson.yaml:12: exercise.scenarios.slow-tea.seconds: expected the"),
    ("    slow-tea: {what: w, colour: red}\n", "lesson.yaml:12: exercise.scenarios.slow-tea.colour: unknown key"),
    ("    [a, b]\n", "lesson.yaml:11: exercise.scenarios: expected a mapping of a scenario's name"),
])
def test_a_wrong_scenario_is_a_lesson_file_error_on_its_line(kit_copy, registry, scenarios, words):
    from runner.model.lessons import load_lesson

    extra = EXERCISE + "  scenarios:\n" + scenarios
    folder = make_lesson(kit_copy, "tea", {"python/tea.py": SOLUTION}, extra=extra)
    (folder / "exercise.md").write_text("# Tea\n")
    (folder / "exercise").mkdir()
    (folder / "exercise" / "starter.py").write_text(STARTER)
    lesson, problems = load_lesson(folder, registry)
    assert lesson is None and len(problems) == 1 and words in problems[0], problems
