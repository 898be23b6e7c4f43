"""The classroom (`invoke classroom`): a real server on a free port of 127.0.0.1, real checks in Docker."""
from __future__ import annotations

import json
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from runner import ROOT
from runner.sandbox.run_context import OWNER_VARIABLE
from tests.test_pages import browser  # noqa: F401 - the fixture: headless Chromium

pytestmark = pytest.mark.docker
KITCHEN_STARTER = (ROOT / "lessons" / "kitchen" / "exercise" / "starter.py").read_text()
KITCHEN_RIGHT = (ROOT / "python" / "kitchen.py").read_text()
CHECK_WITHIN = 120  # seconds for a verdict: a check waits for a slot on a machine that may be busy


@dataclass
class Answer:
    status: int
    body: dict | list | str
    headers: dict = field(default_factory=dict)


@dataclass
class Classroom:
    """`invoke classroom` in a process of its own; `call` talks to its API."""

    process: subprocess.Popen
    url: str
    secret: str
    room: str
    db: Path

    def call(self, method: str, path: str, body=None, token: str | None = None, data: bytes | None = None,
             headers: dict | None = None) -> Answer:
        sent = {"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {}),
                **(headers or {})}
        if data is None and body is not None:
            data = json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, method=method, data=data, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, raw, got = answer.status, answer.read(), dict(answer.headers)
        except urllib.error.HTTPError as error:
            status, raw, got = error.code, error.read(), dict(error.headers)
        got = {key.lower(): value for key, value in got.items()}
        parsed = json.loads(raw) if got.get("content-type", "").startswith("application/json") else raw.decode()
        return Answer(status, parsed, got)

    def join(self, name: str) -> str:
        answer = self.call("POST", "/api/join", {"room": self.room.lower(), "name": name})
        assert answer.status == 200, answer
        return answer.body["token"]

    def submit(self, token: str, lesson: str, language: str, source: str) -> int:
        answer = self.call("POST", "/api/checks", {"lesson": lesson, "language": language, "source": source}, token)
        assert answer.status == 202, answer
        return answer.body["id"]

    def verdict(self, token: str, check: int) -> dict:
        deadline = time.monotonic() + CHECK_WITHIN
        while time.monotonic() < deadline:
            answer = self.call("GET", f"/api/checks/{check}?wait=20", token=token)  # a long poll, as the page's
            assert answer.status == 200, answer
            if answer.body["state"] == "done":
                return answer.body
        pytest.fail(f"check {check} not done within {CHECK_WITHIN} s")

    def stop(self, how=signal.SIGINT) -> str:
        """Stop it (Ctrl-C by default) and return what it wrote on stderr."""
        self.process.send_signal(how)
        try:
            _, err = self.process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err


def start_classroom(db: Path, room: str = "TEST-ROOM", slots: int | None = None, own_owner: bool = False,
                    queue: str | None = None, env: dict | None = None) -> Classroom:
    """`own_owner`: what its checks start on the engine is labelled with its own process, not the test session's,
    so that what it leaves when killed can be told apart and removed. `queue`: its --queue (Redis)."""
    env = {**os.environ, **({"ASYNC_ROSETTA_SLOTS": str(slots)} if slots else {}), **(env or {})}
    if own_owner:
        env.pop(OWNER_VARIABLE, None)
    process = subprocess.Popen([sys.executable, "-m", "invoke", "classroom", "--port", "0", "--room", room,
                                "--db", str(db), *(["--queue", queue] if queue else [])], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = [process.stdout.readline() for _ in range(4)]
    if not lines[-1]:
        process.kill()
        pytest.fail("the classroom did not start: " + "".join(lines) + process.stderr.read())
    url = lines[1].split()[-1].split("/?")[0]
    assert lines[1].startswith("learners:") and url.startswith("http://127.0.0.1:"), lines
    assert lines[2].startswith("instructor:") and "/instructor#" in lines[2], lines
    return Classroom(process, url, lines[3].split()[-1], room, db)


@pytest.fixture
def classroom(tmp_path, docker_backend):
    room = start_classroom(tmp_path / "classroom.sqlite")
    yield room
    err = room.stop()
    assert "Traceback" not in err, err


def test_join_and_a_wrong_and_a_right_check_get_their_verdicts_kept_before_they_run(classroom):
    token = classroom.join("Ada")
    wrong = classroom.submit(token, "kitchen", "python", KITCHEN_STARTER)
    with sqlite3.connect(classroom.db) as db:  # on disk before it ran
        row = db.execute("SELECT source, state FROM submissions WHERE id = ?", (wrong,)).fetchone()
    assert row[0] == KITCHEN_STARTER and row[1] in ("queued", "running")
    verdict = classroom.verdict(token, wrong)["verdict"]
    assert verdict["passed"] is False and verdict["status"] == "wrong" and verdict["lesson"] == "kitchen"
    assert any("a right solution" in message for message in verdict["messages"]), verdict["messages"]
    right = classroom.verdict(token, classroom.submit(token, "kitchen", "python", KITCHEN_RIGHT))
    assert right["verdict"]["passed"] is True and right["verdict"]["status"] == "passed"
    # The program's own time, kept as the verdict gave it: 1900 ms on a quiet machine, more on a busy one.
    assert right["verdict"]["file"] == "kitchen.py" and right["run_ms"] == right["verdict"]["run"]["run_ms"] >= 1900
    assert right["verdict"]["run"]["stdout"].startswith("[0.0s] sequential dinner")
    lanes = right["timelines"]  # the learner's timeline beside a right program's
    assert [lane["task"] for lane in lanes["yours"]] == [lane["task"] for lane in lanes["right"]] != []
    progress = classroom.call("GET", "/api/progress", token=classroom.secret).body
    cell = progress["learners"][0]["cells"]["kitchen"]
    assert progress["learners"][0]["name"] == "Ada" and cell["tries"] == 2 and cell["passed"] is True
    exported = classroom.call("GET", "/api/export.json", token=classroom.secret).body
    assert [s["status"] for s in exported] == ["wrong", "passed"] and exported[1]["source"] == KITCHEN_RIGHT
    csv = classroom.call("GET", "/api/export.csv", token=classroom.secret)
    assert csv.headers["content-type"].startswith("text/csv") and ",Ada,kitchen,python,done,passed," in csv.body
    assert csv.body.splitlines()[0].startswith("id,learner,lesson")


def test_a_check_left_queued_when_the_server_stops_is_run_when_it_comes_back(tmp_path, docker_backend):
    first = start_classroom(tmp_path / "room.sqlite", slots=1)  # one check at a time: the second waits
    ada, bob = first.join("Ada"), first.join("Bob")
    running = first.submit(ada, "kitchen", "python", KITCHEN_RIGHT)
    waiting = first.submit(bob, "kitchen", "python", KITCHEN_RIGHT)
    assert first.call("GET", f"/api/checks/{waiting}", token=bob).body["position"] == 1
    err = first.stop()
    assert "Traceback" not in err, err
    with sqlite3.connect(tmp_path / "room.sqlite") as db:
        states = dict(db.execute("SELECT id, state FROM submissions"))
    assert states[running] == "done" and states[waiting] == "queued", states  # the one running ended first
    again = start_classroom(tmp_path / "room.sqlite", slots=1)
    try:
        done = again.verdict(bob, waiting)  # the token still holds: the learners are in the database
        assert done["verdict"]["passed"] is True and done["restarts"] == 1
        assert again.verdict(ada, running)["verdict"]["passed"] is True
    finally:
        assert "Traceback" not in again.stop()


def test_a_check_running_when_the_server_is_killed_is_run_again_when_it_comes_back(tmp_path, docker_backend,
                                                                                  owner, no_leftovers):
    from runner.sandbox.docker.connection import connect
    from runner.sandbox.docker.labels import OWNER_LABEL
    from runner.sandbox.docker.reaper import remove_leftovers

    first = start_classroom(tmp_path / "room.sqlite", own_owner=True)
    ada = first.join("Ada")
    check = first.submit(ada, "kitchen", "python", KITCHEN_RIGHT)
    deadline = time.monotonic() + CHECK_WITHIN
    while first.call("GET", f"/api/checks/{check}", token=ada).body["state"] != "running":
        assert time.monotonic() < deadline, "the check never started"
        time.sleep(0.05)
    first.process.kill()  # a crash: nothing of the server's own runs after this
    first.process.communicate()
    # What its check had started on the engine: `invoke clean` removes it once its owner is gone.
    remove_leftovers(connect(), {OWNER_LABEL: f"{platform.node()}:{first.process.pid}"})
    with sqlite3.connect(tmp_path / "room.sqlite") as db:
        assert db.execute("SELECT state FROM submissions WHERE id = ?", (check,)).fetchone()[0] == "running"
    again = start_classroom(tmp_path / "room.sqlite")
    try:
        done = again.verdict(ada, check)
        assert done["verdict"]["passed"] is True and done["restarts"] == 1
    finally:
        assert "Traceback" not in again.stop()


def _json_error(answer: Answer, status: int, words: str) -> None:
    assert answer.status == status, answer
    assert answer.headers["content-type"].startswith("application/json") and words in answer.body["error"], answer


def test_a_learner_sees_only_their_own_checks_and_every_bad_request_gets_a_json_error(classroom):
    ada, bob = classroom.join("Ada"), classroom.join("Bob")
    check = classroom.submit(ada, "gather", "python", (ROOT / "python" / "gather.py").read_text())
    _json_error(classroom.call("GET", f"/api/checks/{check}", token=bob), 404, f"no check {check} of yours")
    assert classroom.call("GET", f"/api/checks/{check}", token=classroom.secret).status == 200
    _json_error(classroom.call("GET", f"/api/checks/{check}"), 401, "join the room first")
    _json_error(classroom.call("GET", f"/api/checks/{check}", token="forged-" + ada[7:]), 401, "unknown")
    _json_error(classroom.call("GET", "/api/progress", token=ada), 401, "instructor's secret")
    _json_error(classroom.call("GET", "/api/export.csv"), 401, "instructor's secret")
    _json_error(classroom.call("POST", "/api/join", {"room": "NOT-IT", "name": "Eve"}), 403, "room's code")
    _json_error(classroom.call("POST", "/api/join", {"room": classroom.room, "name": "Ada"}), 409, "called 'Ada'")
    _json_error(classroom.call("POST", "/api/join", {"room": classroom.room, "name": "a\x1b[2Jb"}), 400, "control")
    _json_error(classroom.call("POST", "/api/checks", data=b"{not json", token=bob), 400, "not JSON")
    _json_error(classroom.call("POST", "/api/checks", {"lesson": "gather"}, bob), 400, "'language'")
    _json_error(classroom.call("POST", "/api/checks", {"lesson": "nope", "language": "python", "source": "x"}, bob),
                404, "no exercise 'nope'")
    _json_error(classroom.call("POST", "/api/checks", {"lesson": "gather", "language": "cobol", "source": "x"}, bob),
                400, "expected one of python, javascript, csharp")
    _json_error(classroom.call("POST", "/api/checks", data=b"{}", token=bob, headers={"content-type": "text/plain"}),
                415, "Content-Type: application/json")
    big = {"lesson": "gather", "language": "python", "source": "# " + "x" * 70_000}
    _json_error(classroom.call("POST", "/api/checks", big, bob), 413, "over 64 KB")
    _json_error(classroom.call("GET", "/api/nowhere"), 404, "no such page")
    _json_error(classroom.call("DELETE", "/api/checks"), 405, "DELETE is not allowed")
    _json_error(classroom.call("GET", "/api/checks/x'--", token=bob), 404, "a check's id is a number")
    # One check in flight per learner, then a rate limit on everything a learner asks.
    _json_error(classroom.call("POST", "/api/checks", {"lesson": "gather", "language": "python", "source": "x"}, ada),
                409, "one check or run at a time")
    flood = [classroom.call("GET", "/api/me", token=bob) for _ in range(320)]
    assert flood[0].status == 200 and flood[-1].status == 429 and [a.status for a in flood].count(429) >= 20
    _json_error(flood[-1], 429, "too many requests")
    assert int(flood[-1].headers["retry-after"]) >= 1
    assert classroom.verdict(ada, check)["verdict"]["passed"] is True
    page = classroom.call("GET", "/")
    policy = dict(part.strip().split(" ", 1) for part in page.headers["content-security-policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'self'" and "<script>" not in page.body
    assert "unsafe" not in policy["style-src"]  # only style attributes (the editor's cursor) may be inline
    assert page.headers["x-content-type-options"] == "nosniff"


def test_a_program_that_prints_markup_and_escape_sequences_gets_them_back_as_text(classroom):
    token = classroom.join("<img src=x onerror=alert(1)>")
    hostile = 'print("<script>alert(1)</script>\\x1b[2J\\x07 & done")\n'
    verdict = classroom.verdict(token, classroom.submit(token, "gather", "python", hostile))["verdict"]
    assert verdict["passed"] is False and "<script>alert(1)</script>\x1b[2J\x07 & done" in verdict["run"]["stdout"]
    progress = classroom.call("GET", "/api/progress", token=classroom.secret)
    assert progress.headers["content-type"] == "application/json"  # never read as a page (nosniff)
    assert progress.body["learners"][0]["name"] == "<img src=x onerror=alert(1)>"


def test_a_port_that_is_taken_is_a_message_not_a_traceback(tmp_path, docker_backend):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ran = subprocess.run([sys.executable, "-m", "invoke", "classroom", "--port", str(port), "--db",
                              str(tmp_path / "room.sqlite")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in ran.stderr and "--port" in ran.stderr
    assert "Traceback" not in ran.stderr


def _starter_lines_replaced(starter: str, first: str, count: int) -> tuple[int, int]:
    """Where the loop to replace starts in the starter (0-based line) and how many lines it has."""
    return starter.splitlines().index(first), count


@pytest.mark.browser
def test_a_learner_fixes_gather_in_the_browser_and_the_instructor_sees_it(classroom, browser):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(browser, CHECK_WITHIN, ignored_exceptions=[StaleElementReferenceException])
    browser.set_window_size(1280, 900)
    instructor = browser.current_window_handle
    browser.get(f"{classroom.url}/instructor#{classroom.secret}")  # open first: it must update by itself
    browser.switch_to.new_window("tab")
    learner = browser.current_window_handle
    browser.get(f"{classroom.url}/?room={classroom.room}")
    wait.until(lambda b: b.find_element(By.ID, "name").is_displayed())
    browser.find_element(By.ID, "name").send_keys("Grace <b>H</b>")
    browser.find_element(By.CSS_SELECTOR, "#join-form button").click()
    wait.until(lambda b: b.find_element(By.ID, "work").is_displayed() and b.find_elements(By.CSS_SELECTOR, ".cm-content"))
    Select(browser.find_element(By.ID, "exercise")).select_by_value("gather")
    wait.until(lambda b: "ask every station at once" in b.find_element(By.ID, "task").text)
    Select(browser.find_element(By.ID, "language")).select_by_value("javascript")
    starter = (ROOT / "lessons" / "gather" / "exercise" / "starter.mjs").read_text()
    wait.until(lambda b: "results.push(await temperature(station))" in b.find_element(By.CSS_SELECTOR, ".cm-content").text)

    verdict = lambda b: b.find_element(By.CSS_SELECTOR, "#verdict h3").text if b.find_elements(By.CSS_SELECTOR, "#verdict h3") else ""
    browser.find_element(By.ID, "check").click()
    wait.until(lambda b: verdict(b).startswith("NOT YET"))
    assert "gather in javascript" in verdict(browser)

    # The fix, typed: the loop that awaits each station in turn becomes one Promise.all.
    line, count = _starter_lines_replaced(starter, "const results = [];", 5)
    browser.find_element(By.CSS_SELECTOR, ".cm-content").click()
    keys = ActionChains(browser).key_down(Keys.CONTROL).send_keys(Keys.HOME).key_up(Keys.CONTROL)
    keys.send_keys(*[Keys.DOWN] * line, Keys.HOME)
    keys.key_down(Keys.SHIFT).send_keys(*[Keys.DOWN] * count).key_up(Keys.SHIFT)
    fix = ["for (const station of names) log(`${station}: started`);",
           "const results = await Promise.all(names.map(temperature));"]
    keys.send_keys(fix[0], Keys.ENTER, fix[1], Keys.ENTER).perform()
    typed = browser.find_element(By.CSS_SELECTOR, ".cm-content").text
    lines = starter.splitlines()
    assert typed.splitlines() == lines[:line] + fix + lines[line + count:], typed
    browser.find_element(By.ID, "check").click()
    wait.until(lambda b: verdict(b) and not b.find_element(By.ID, "check").get_attribute("disabled"))
    assert verdict(browser).startswith("PASS"), (browser.find_element(By.ID, "verdict").text, typed)
    assert "right: the output matches" in browser.find_element(By.ID, "verdict").text
    drawn = browser.find_elements(By.CSS_SELECTOR, "#verdict .timeline")
    assert len(drawn) == 2 and all(len(t.find_elements(By.CSS_SELECTOR, ".bar")) == 3 for t in drawn)

    browser.refresh()  # the learner's code is kept
    wait.until(lambda b: "Promise.all(names.map(temperature))" in b.find_element(By.CSS_SELECTOR, ".cm-content").text)
    assert Select(browser.find_element(By.ID, "language")).first_selected_option.get_attribute("value") == "javascript"

    browser.switch_to.window(instructor)  # no reload: the table polls
    cell = '#progress td[data-lesson="gather"]'
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, cell) and b.find_element(By.CSS_SELECTOR, cell).text == "✓ 2")
    assert browser.find_element(By.CSS_SELECTOR, "#progress tbody th").text == "Grace <b>H</b>"  # text, not markup
    assert not browser.find_elements(By.CSS_SELECTOR, "#progress b")
    browser.find_element(By.CSS_SELECTOR, cell).click()
    wait.until(lambda b: "Promise.all" in b.find_element(By.ID, "submission-source").text)
    problems = [e["message"] for e in browser.get_log("browser")
                if e["level"] == "SEVERE" and "/api/me" not in e["message"]]  # 401 before joining: expected
    assert problems == [], "\n".join(problems)
    browser.switch_to.window(learner)
    browser.close()
    browser.switch_to.window(instructor)


def test_bench_times_verdicts_on_a_classroom_of_its_own(docker_backend, registry, lessons, no_leftovers):
    """`invoke bench`'s classroom figures, on a course cut to one language, once and a crowd of two: what holds
    on any machine, not whether it meets the targets."""
    from dataclasses import replace

    from rich.console import Console

    from runner.classroom import bench
    from runner.publish.bench_tables import classroom_bench_table
    from runner.run.bench import Bench

    two = replace(registry, languages={"python": registry.languages["python"]})
    figures, targets = bench.measure(two, lessons, docker_backend, 1, lambda _: None, crowd=2)
    found = {(f.what, f.language): f for f in figures}
    for language in two.languages:
        verdict, program = found["classroom verdict", language], found["classroom program", language]
        assert len(verdict.samples) == 1 and program.median > 1900  # kitchen sleeps 1.9 s: its process is longer
        assert verdict.median > program.median  # no verdict before the program's end
        assert found["classroom extra", language].median == pytest.approx(verdict.median - program.median)
    assert len(found["classroom crowd", ""].samples) == 2
    assert found["classroom crowd wall", ""].median >= max(found["classroom crowd", ""].samples)
    assert [t.text.split(":")[0] for t in targets] == ["classroom, Python", "classroom, 2 checks at once"]
    assert targets[-1].measured.endswith("; 0 wrong"), targets[-1]
    console = Console(width=200, record=True, color_system=None)
    console.print(classroom_bench_table(Bench(tuple(figures), tuple(targets), {}, 1), two))
    shown = console.export_text()
    assert "The classroom: kitchen checked" in shown and "Python, idle" in shown and "2 at once" in shown


def test_a_lesson_program_edited_runs_in_the_sandbox_and_counts_as_no_check(classroom):
    ada = classroom.join("Ada")
    lesson = classroom.call("GET", "/api/lessons/gather").body
    assert [p["language"] for p in lesson["programs"]] == ["python", "javascript", "csharp"]
    assert lesson["programs"][0]["source"] == (ROOT / "python" / "gather.py").read_text()
    assert "<h1>Gather the results</h1>" in lesson["text"]
    edited = 'print("<b>edited</b> \\x1b[2J")\n'
    run = classroom.call("POST", "/api/runs", {"lesson": "gather", "language": "python", "source": edited}, ada)
    assert run.status == 202, run
    _json_error(classroom.call("POST", "/api/runs", {"lesson": "gather", "language": "python", "source": edited}, ada),
                409, "one check or run at a time")
    done = classroom.verdict(ada, run.body["id"])
    assert done["kind"] == "run" and done["verdict"]["status"] == "ok" and done["verdict"]["file"] == "gather.py"
    assert done["verdict"]["run"]["stdout"] == "<b>edited</b> \x1b[2J\n"
    assert classroom.call("GET", f"/api/runs/{run.body['id']}", token=classroom.secret).body["state"] == "done"
    broken = classroom.call("POST", "/api/runs", {"lesson": "gather", "language": "python", "source": "1/0\n"}, ada)
    failed = classroom.verdict(ada, broken.body["id"])["verdict"]
    assert failed["passed"] is False and "ZeroDivisionError" in "\n".join(failed["messages"]), failed
    progress = classroom.call("GET", "/api/progress", token=classroom.secret).body
    assert progress["learners"][0]["cells"] == {}  # runs are no tries at an exercise
    assert classroom.call("GET", "/api/export.json", token=classroom.secret).body == []
    assert classroom.call("GET", "/api/me", token=ada).body["submissions"] == []
    _json_error(classroom.call("POST", "/api/runs", {"lesson": "nope", "language": "python", "source": "x"}, ada),
                404, "no lesson 'nope'")
    _json_error(classroom.call("POST", "/api/runs", {"lesson": "gather", "language": "cobol", "source": "x"}, ada),
                400, "expected one of python, javascript, csharp")
    _json_error(classroom.call("POST", "/api/runs", {"lesson": "gather", "language": "python", "source": "x"}), 401,
                "join the room first")
    page = classroom.call("GET", "/lessons/gather")
    assert "<script>" not in page.body and "script-src 'self';" in page.headers["content-security-policy"]


@pytest.mark.browser
def test_a_learner_edits_a_lesson_program_and_runs_it_beside_the_other_languages(classroom, browser):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, CHECK_WITHIN, ignored_exceptions=[StaleElementReferenceException])
    browser.set_window_size(1400, 900)
    browser.get(f"{classroom.url}/?room={classroom.room}")
    browser.get_log("browser")  # forget what a page of an earlier test said (a classroom stopped since)
    wait.until(lambda b: b.find_element(By.ID, "name").is_displayed())
    browser.find_element(By.ID, "name").send_keys("Lin")
    browser.find_element(By.CSS_SELECTOR, "#join-form button").click()
    wait.until(lambda b: b.find_element(By.ID, "work").is_displayed())
    browser.get(f"{classroom.url}/lessons/gather")
    column = lambda b, language: b.find_element(By.CSS_SELECTOR, f'.program[data-language="{language}"]')
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".program .cm-content")) == 3)
    assert "Gather the results" in browser.find_element(By.ID, "text").text

    column(browser, "python").find_element(By.CSS_SELECTOR, ".cm-content").click()
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL) \
        .send_keys('print("<i>edited</i> in the browser")').perform()
    column(browser, "python").find_element(By.TAG_NAME, "button").click()
    column(browser, "javascript").find_element(By.TAG_NAME, "button").click()  # refused: one run at a time
    wait.until(lambda b: "<i>edited</i> in the browser" in column(b, "python").find_element(By.CLASS_NAME, "run-output").text)
    assert not column(browser, "python").find_elements(By.CSS_SELECTOR, ".run-output i")  # text, not markup
    assert "one check or run at a time" in browser.find_element(By.ID, "error").text
    column(browser, "javascript").find_element(By.TAG_NAME, "button").click()
    wait.until(lambda b: column(b, "javascript").find_elements(By.CSS_SELECTOR, ".timeline .bar"))
    assert len(column(browser, "javascript").find_elements(By.CSS_SELECTOR, ".timeline .bar")) == 3  # three stations
    assert "results in the order asked" in column(browser, "javascript").find_element(By.CLASS_NAME, "run-output").text
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"
                and "/api/me" not in e["message"] and "/api/runs" not in e["message"]]  # the 409 above: expected
    assert problems == [], "\n".join(problems)

    browser.get(f"{classroom.url}/")  # renamed, then gone: this browser keeps nothing of theirs
    wait.until(lambda b: b.find_element(By.ID, "rename").is_displayed())
    browser.find_element(By.ID, "rename").click()
    browser.find_element(By.ID, "new-name").clear()
    browser.find_element(By.ID, "new-name").send_keys("Lin Y.", Keys.ENTER)
    wait.until(lambda b: b.find_element(By.ID, "who").text == "joined as Lin Y.")
    browser.find_element(By.ID, "leave").click()
    wait.until(lambda b: b.find_element(By.ID, "join").is_displayed())
    assert browser.execute_script("return Object.keys(localStorage).filter((k) => k.includes('Lin'))") == []


def test_a_learner_renames_and_leaves(classroom):
    ada, bob = classroom.join("Ada"), classroom.join("Bob")
    assert classroom.call("POST", "/api/me/name", {"name": " Ada L. "}, ada).body == {"name": "Ada L."}
    assert classroom.call("GET", "/api/me", token=ada).body["name"] == "Ada L."
    assert [row["name"] for row in classroom.call("GET", "/api/progress", token=classroom.secret).body["learners"]] \
        == ["Ada L.", "Bob"]
    _json_error(classroom.call("POST", "/api/me/name", {"name": "Bob"}, ada), 409, "called 'Bob' already")
    _json_error(classroom.call("POST", "/api/me/name", {"name": "\x1b[2J"}, ada), 400, "control characters")
    _json_error(classroom.call("POST", "/api/me/name", {"name": "Eve"}), 401, "join the room first")
    left = classroom.call("POST", "/api/leave", data=b"", token=bob)
    assert left.status == 200 and left.body == {"left": "Bob"}
    assert 'rosetta_learner=""' in left.headers["set-cookie"] and "Max-Age=0" in left.headers["set-cookie"]
    _json_error(classroom.call("GET", "/api/me", token=bob), 401, "unknown")  # the token lets nobody in now
    assert [row["name"] for row in classroom.call("GET", "/api/progress", token=classroom.secret).body["learners"]] \
        == ["Ada L.", "Bob"]  # their work stays with the instructor
