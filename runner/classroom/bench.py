"""`invoke bench`'s classroom figures: how long a learner waits for a verdict, on a classroom server that the
benchmark starts on 127.0.0.1 with a database of its own (in a temporary folder), through the JSON API.

Time to verdict runs from the POST of a check to the answer that brings its verdict (a long poll, as the
learner's page waits). It is set against the program's own time: its process time in the sandbox, from the
runtime's start to its exit, which no runner can beat. A C# check has a new source each time (a comment
that no build has seen), so it is compiled, as a learner's edit is."""
from __future__ import annotations

import json
import secrets
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import uvicorn

from runner import KitError
from runner.classroom.app import MAX_WAIT, Room, create_app
from runner.classroom.checks import CheckQueue
from runner.classroom.server import bind
from runner.classroom.store import Store
from runner.model.languages import Registry
from runner.model.lesson import Lesson
from runner.run import bench as kit_bench
from runner.run.bench import Bench, Figure, Target
from runner.sandbox.backend import Backend, Progress

LESSON = "kitchen"  # 1.9 s of sleeps (2.5 s in its scenario): what a learner runs in the first exercise
CROWD = 30  # a classroom's checks at once
CROWD_WITHIN_S = 45.0
EXTRA_MS = {"csharp": 800.0}  # what the classroom may add to the program's own time (a build, for C#) ...
DEFAULT_EXTRA_MS = 400.0  # ... and for the languages that build nothing
START_WITHIN_S = 30.0


@dataclass(frozen=True)
class Checked:
    """One check as a learner sees it: its language, the seconds to its verdict, and the verdict."""

    language: str
    seconds: float
    verdict: dict
    state: dict  # the API's last answer: the times it was queued, started and finished too

    @property
    def process_ms(self) -> float:
        """The program's process time: in the longest of its scenarios, which ran side by side."""
        runs = [scenario.get("run") or {} for scenario in self.verdict.get("scenarios") or []]
        runs = runs or [self.verdict.get("run") or {}]
        return float(max(run.get("process_ms") or 0 for run in runs))


class Client:
    """The classroom's JSON API as a learner's page uses it."""

    def __init__(self, url: str, room: str):
        self.url, self.room = url, room

    def call(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
        request = urllib.request.Request(
            self.url + path, method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
        try:
            with urllib.request.urlopen(request, timeout=MAX_WAIT + 30) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            raise KitError(f"the benchmark's classroom refused {method} {path}: {error.code} "
                           f"{error.read().decode(errors='replace')[:300]}") from None

    def join(self, name: str) -> str:
        return self.call("POST", "/api/join", {"room": self.room, "name": name})["token"]

    def check(self, token: str, language: str, source: str) -> Checked:
        """Submit `source` for the lesson and wait for its verdict as the learner's page does."""
        started = time.monotonic()
        queued = self.call("POST", "/api/checks", {"lesson": LESSON, "language": language, "source": source}, token)
        while (state := self.call("GET", f"/api/checks/{queued['id']}?wait={MAX_WAIT}", token=token))["state"] != "done":
            pass
        return Checked(language, time.monotonic() - started, state["verdict"], state)


@contextmanager
def classroom(registry: Registry, lessons: dict[str, Lesson], backend: Backend) -> Iterator[Client]:
    """A classroom server in a thread of this process, on a free port of 127.0.0.1, until the block ends."""
    with tempfile.TemporaryDirectory(prefix="async-rosetta-bench-classroom-") as folder:
        store = Store(Path(folder) / "classroom.sqlite")
        room = Room("BENCH", secrets.token_urlsafe(18))
        queue = CheckQueue(store, registry, lessons, backend)
        app = create_app(room, store, queue, registry, lessons, allowed_hosts=["127.0.0.1"])
        sock = bind("127.0.0.1", 0)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="bench-classroom", daemon=True)
        thread.start()
        deadline = time.monotonic() + START_WITHIN_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise KitError(f"the benchmark's classroom server did not start within {START_WITHIN_S:g} s")
            time.sleep(0.02)
        try:
            yield Client(f"http://127.0.0.1:{sock.getsockname()[1]}", room.code)
        finally:
            server.should_exit = True  # every check is done by now: no long poll holds it up
            thread.join(MAX_WAIT + 10)
            sock.close()


def _source(lesson: Lesson, language) -> str:
    """The lesson's right program; for a language that builds, with a comment no build has seen."""
    text = lesson.example(language).read_text(encoding="utf-8")
    return text + f"// {secrets.token_hex(8)}: a new source, compiled again\n" if language.build else text


def _judged(checked: Checked) -> Checked:
    if not checked.verdict.get("passed"):
        raise KitError(f"the benchmark's {LESSON} in {checked.language} did not pass in the classroom: "
                       + "; ".join(checked.verdict.get("messages") or [])[:500])
    return checked


def measure(registry: Registry, lessons: dict[str, Lesson], backend: Backend, repeat: int, progress: Progress,
            crowd: int = CROWD) -> tuple[list[Figure], list[Target]]:
    """Time to verdict on an idle classroom (`repeat` checks per language, one at a time, after one that warms
    up), then `crowd` learners' checks at once (the languages in turn)."""
    lesson, languages = lessons[LESSON], list(registry.languages.values())
    figures: list[Figure] = []
    with classroom(registry, lessons, backend) as client:
        for language in languages:
            # A learner per language: one learner's checks, back to back, would meet the per-learner rate limit.
            token = client.join(f"bench {language.name}")
            progress(f"classroom: {LESSON} in {language.title}, {repeat} checks one at a time")
            _judged(client.check(token, language.name, _source(lesson, language)))  # images, compiler: warm
            checks = [_judged(client.check(token, language.name, _source(lesson, language))) for _ in range(repeat)]
            figures.append(Figure("classroom verdict", language.name, tuple(c.seconds * 1000 for c in checks)))
            figures.append(Figure("classroom program", language.name, tuple(c.process_ms for c in checks)))
            figures.append(Figure("classroom extra", language.name,
                                  tuple(c.seconds * 1000 - c.process_ms for c in checks)))
        progress(f"classroom: {crowd} learners join and check at once")
        tokens = [client.join(f"learner {i + 1}") for i in range(crowd)]
        started = time.monotonic()
        with ThreadPoolExecutor(crowd) as pool:
            crowded = list(pool.map(lambda i: client.check(tokens[i], languages[i % len(languages)].name,
                                                           _source(lesson, languages[i % len(languages)])),
                                    range(crowd)))
        wall = time.monotonic() - started
    figures.append(Figure("classroom crowd", "", tuple(c.seconds * 1000 for c in crowded)))
    figures.append(Figure("classroom crowd wall", "", (wall * 1000,)))
    wrong = [c for c in crowded if not c.verdict.get("passed")]
    return figures, targets(figures, languages, crowd, wall, len(wrong))


def targets(figures: list[Figure], languages, crowd: int, wall: float, wrong: int) -> list[Target]:
    found = []
    by = {(f.what, f.language): f for f in figures}
    for language in languages:
        extra, limit = by["classroom extra", language.name], EXTRA_MS.get(language.name, DEFAULT_EXTRA_MS)
        verdict, program = by["classroom verdict", language.name], by["classroom program", language.name]
        new = " with a new source (compiled)" if language.build else ""
        found.append(Target(f"classroom, {language.title}{new}: a verdict at most {limit:.0f} ms after the "
                            "program's own time (its process, start-up to exit)",
                            f"+{extra.median:.0f} ms ({verdict.median:.0f} / {program.median:.0f} ms)",
                            extra.median <= limit))
    slowest = max(by["classroom crowd", ""].samples) / 1000
    found.append(Target(f"classroom, {crowd} checks at once: every verdict right, all within {CROWD_WITHIN_S:g} s",
                        f"{wall:.1f} s (slowest {slowest:.1f} s, median "
                        f"{statistics.median(by['classroom crowd', ''].samples) / 1000:.1f} s); {wrong} wrong",
                        wall <= CROWD_WITHIN_S and wrong == 0))
    return found


def run(registry: Registry, lessons: dict[str, Lesson], repeat, status) -> Bench:
    """`invoke bench`: the kit's figures (runner/run/bench.py), then the classroom's, on the Docker backend."""
    from runner.run.commands import count

    kit = kit_bench.run(registry, lessons, repeat, status)
    _, docker = kit_bench.backends(list(registry.languages.values()))
    with status("measuring the classroom") as spinner:
        figures, found = measure(registry, lessons, docker, count(repeat, default=5), spinner.update)
    return Bench(kit.figures + tuple(figures), kit.targets + tuple(found), kit.facts, kit.repeat)
