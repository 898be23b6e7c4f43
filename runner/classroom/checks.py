"""The classroom's check queues: what the app asks of one, and the embedded one, which runs the checks here.

The embedded queue (`invoke classroom` with no --queue) runs submissions in the sandbox in the order they
came, a few at once: as many as the machine has slots for timed runs (runner/sandbox/slots.py), since more
would only wait for a slot inside the sandbox, out of the queue's sight. Each check runs `invoke check`'s
judge in a thread of its own, on the learner's source written to a temporary file, and writes its verdict to
the store from that thread, so that a check that ends while the server stops is still recorded. `checked` is
the one way a source becomes a verdict: the queue on Redis (remote.py) has its workers call it (jobs.py)."""
from __future__ import annotations

import asyncio
import json
import logging
import tempfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from runner import KitError
from runner.classroom.store import Kind, Store
from runner.model.languages import Language, Registry
from runner.model.lesson import Lesson
from runner.model import crash
from runner.model.results import Status
from runner.run import workflow
from runner.run.checker import judge
from runner.sandbox import slots
from runner.sandbox.backend import Backend

log = logging.getLogger("runner.classroom")


class Queue:
    """What the app asks of a check queue, wherever the checks run: start and stop with the server, take a
    submission the store holds, say its place; and answer the long polls when a check starts, ends or moves up.
    `start()`, `stop()` and `close()` are called from the server's event loop."""

    where = ""  # for the server's first line: where the checks run
    left = "are kept and run when it starts again"  # for its last: what becomes of the checks not done

    def __init__(self):
        self._changed: asyncio.Condition | None = None  # notified when a check starts or ends
        self.closing = False  # the server is stopping: nobody waits for a change any more

    def start(self) -> int:
        """Start, with what a stopped server left queued or running first; how many that was."""
        raise NotImplementedError

    async def stop(self) -> None:
        raise NotImplementedError

    async def submit(self, submission_id: int) -> None:
        """Queue a submission the store holds (written before it is queued)."""
        raise NotImplementedError

    def position(self, submission_id: int) -> int | None:
        """1 for the next to run, 0 while running, None when not in the queue (done)."""
        raise NotImplementedError

    def _begin(self) -> None:
        self._changed = asyncio.Condition()

    async def change(self, seconds: float) -> None:
        """Wait until a check starts or ends (a place in the queue, a state may have changed), at most `seconds`."""
        if self.closing:
            return
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait(), seconds)
            except asyncio.TimeoutError:
                pass

    def close(self) -> None:
        """The server is stopping (from its event loop): those waiting for a change are answered now, so that
        no open request holds the stop up."""
        self.closing = True
        if self._changed is not None:  # started
            asyncio.ensure_future(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()


class CheckQueue(Queue):
    """Submissions waiting (in order) and running in this process."""

    def __init__(self, store: Store, registry: Registry, lessons: dict[str, Lesson], backend: Backend,
                 at_once: int | None = None):
        super().__init__()
        self.store, self.registry, self.lessons, self.backend = store, registry, lessons, backend
        self.at_once = at_once or slots.count()
        self.where = f"checks in Docker, {self.at_once} at once"
        self.waiting: deque[int] = deque()
        self.running: set[int] = set()
        self._pool = ThreadPoolExecutor(self.at_once, thread_name_prefix="check-")
        self._ready: asyncio.Semaphore | None = None
        self._workers: list[asyncio.Task] = []

    def start(self) -> int:
        """Start the workers, with what a stopped server left queued or running first; how many that was."""
        self._begin()
        self._ready = asyncio.Semaphore(0)
        left = self.store.requeue_unfinished()
        for submission_id in left:
            self._enqueue(submission_id)
        self._workers = [asyncio.create_task(self._work()) for _ in range(self.at_once)]
        return len(left)

    async def stop(self) -> None:
        """Take no more from the queue: checks running end and are recorded; those waiting stay queued in the store."""
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._pool.shutdown(wait=False)

    async def submit(self, submission_id: int) -> None:
        self._enqueue(submission_id)

    def position(self, submission_id: int) -> int | None:
        if submission_id in self.running:
            return 0
        try:
            return self.waiting.index(submission_id) + 1
        except ValueError:
            return None

    def _enqueue(self, submission_id: int) -> None:
        self.waiting.append(submission_id)
        self._ready.release()

    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._ready.acquire()
            submission_id = self.waiting.popleft()
            self.running.add(submission_id)
            self.store.start(submission_id)  # before anyone is told it runs
            try:
                started = loop.run_in_executor(self._pool, self._check, submission_id)
                await self._notify()
                await asyncio.shield(started)
            finally:
                self.running.discard(submission_id)
                await self._notify()

    def _check(self, submission_id: int) -> None:
        """Run one submission and store its verdict (in a worker thread)."""
        s = self.store.submission(submission_id)
        self.store.finish(submission_id, checked(s.kind, s.lesson, s.language, s.source, self.registry, self.lessons,
                                                 self.backend))
        self.backend.prepare_next()  # sandboxes for the next checks, started while none of this one's is timed


def checked(kind: Kind, slug: str, language_name: str, source: str, registry: Registry, lessons: dict[str, Lesson],
            backend: Backend) -> dict:
    """What the classroom keeps of a learner's source: a check's verdict or a run's outcome; a lesson this kit
    lacks, or a bug of the kit's, is an error verdict, never a lost submission."""
    lesson, language = lessons.get(slug), registry.languages.get(language_name)
    if lesson is None or language is None:  # a worker with another version of the kit than the classroom's
        return error(slug, language_name, f"the kit checking it has no lesson {slug!r} in {language_name!r}: the "
                                          "classroom and its workers need the same version of the kit")
    try:
        return (outcome if kind is Kind.RUN else verdict)(lesson, language, source, backend)
    except Exception as exc:  # noqa: BLE001 - a bug of the kit's must not lose the submission
        log.exception("checking %s in %s failed", slug, language_name)
        return error(slug, language_name, f"the classroom could not check it: {exc}")


def outcome(lesson: Lesson, language: Language, source: str, backend: Backend) -> dict:
    """What a lesson's program, edited by a learner, does: one run in the sandbox as `invoke run-lesson` runs
    the example (its service too), said in the verdict's shape, judged by nothing."""
    filename = lesson.example(language).name
    with tempfile.TemporaryDirectory(prefix="classroom-") as folder:
        path = Path(folder) / filename
        path.write_text(source, encoding="utf-8")
        run = workflow.run_file(lesson, language, backend, path, ())[0]
        ended_well = run.status is Status.OK
        said = crash.excerpt(run.stderr, filename) if run.status.stderr else ""  # a traceback's end, say
        told = run.status.told(run.message) + (f"; it said:\n{said}" if said else "")
        found = {"lesson": lesson.slug, "language": language.name, "file": filename, "passed": ended_well,
                 "status": run.status.value, "messages": [] if ended_well else [told], "run": run.to_dict()}
        return json.loads(json.dumps(found).replace(f"{folder}/", ""))


def verdict(lesson: Lesson, language: Language, source: str, backend: Backend) -> dict:
    """What `invoke check --json` says of `source`, the file named as the lesson's example (gather.mjs)."""
    filename = lesson.example(language).name
    with tempfile.TemporaryDirectory(prefix="classroom-") as folder:
        path = Path(folder) / filename
        path.write_text(source, encoding="utf-8")
        try:
            found = judge(lesson, language, path, backend).to_dict()
        except KitError as exc:  # an empty source, say: the learner's to mend
            found = error(lesson.slug, language.name, str(exc))
        # The learner knows the file as gather.mjs, not as a temporary folder's: tracebacks and
        # compiler lines name it so (a temporary folder's name needs no JSON escaping).
        return json.loads(json.dumps(found).replace(f"{folder}/", ""))


def error(lesson: str, language: str, message: str) -> dict:
    """A verdict for a submission that could not be checked, and why."""
    return {"lesson": lesson, "language": language, "file": "", "passed": False, "status": "error",
            "messages": [message], "run": None}
