"""The classroom's check queue: submissions run in the sandbox in the order they came, a few at once.

As many checks run at once as the machine has slots for timed runs (runner/sandbox/slots.py): more would
only wait for a slot inside the sandbox, out of the queue's sight. Each check runs `invoke check`'s judge in
a thread of its own, on the learner's source written to a temporary file, and writes its verdict to the
store from that thread, so that a check that ends while the server stops is still recorded."""
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
from runner.model.languages import Registry
from runner.model.lesson import Lesson
from runner.model import crash
from runner.model.results import Status
from runner.run import workflow
from runner.run.checker import judge
from runner.sandbox import slots
from runner.sandbox.backend import Backend

log = logging.getLogger("runner.classroom")


class CheckQueue:
    """Submissions waiting (in order) and running; `start()` and `stop()` from the server's event loop."""

    def __init__(self, store: Store, registry: Registry, lessons: dict[str, Lesson], backend: Backend,
                 at_once: int | None = None):
        self.store, self.registry, self.lessons, self.backend = store, registry, lessons, backend
        self.at_once = at_once or slots.count()
        self.waiting: deque[int] = deque()
        self.running: set[int] = set()
        self._pool = ThreadPoolExecutor(self.at_once, thread_name_prefix="check-")
        self._ready: asyncio.Semaphore | None = None
        self._changed: asyncio.Condition | None = None  # notified when a check starts or ends
        self.closing = False  # the server is stopping: nobody waits for a change any more
        self._workers: list[asyncio.Task] = []

    def start(self) -> int:
        """Start the workers, with what a stopped server left queued or running first; how many that was."""
        self._ready = asyncio.Semaphore(0)
        self._changed = asyncio.Condition()
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

    def submit(self, submission_id: int) -> None:
        self._enqueue(submission_id)

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

    def position(self, submission_id: int) -> int | None:
        """1 for the next to run, 0 while running, None when not in the queue (done)."""
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
        submission = self.store.submission(submission_id)
        try:
            judged = self.outcome if submission.kind is Kind.RUN else self.verdict
            verdict = judged(submission.lesson, submission.language, submission.source)
        except Exception as exc:  # noqa: BLE001 - a bug of the kit's must not lose the submission
            log.exception("check %s failed", submission_id)
            verdict = _error(submission.lesson, submission.language, f"the classroom could not check it: {exc}")
        self.store.finish(submission_id, verdict)
        self.backend.prepare_next()  # sandboxes for the next checks, started while none of this one's is timed

    def outcome(self, slug: str, language_name: str, source: str) -> dict:
        """What a lesson's program, edited by a learner, does: one run in the sandbox as `invoke run-lesson` runs
        the example (its service too), said in the verdict's shape, judged by nothing."""
        lesson, language = self.lessons[slug], self.registry.languages[language_name]
        filename = lesson.example(language).name
        with tempfile.TemporaryDirectory(prefix="classroom-") as folder:
            path = Path(folder) / filename
            path.write_text(source, encoding="utf-8")
            run = workflow.run_file(lesson, language, self.backend, path, ())[0]
            ended_well = run.status is Status.OK
            said = crash.excerpt(run.stderr, filename) if run.status.stderr else ""  # a traceback's end, say
            told = run.status.told(run.message) + (f"; it said:\n{said}" if said else "")
            outcome = {"lesson": slug, "language": language_name, "file": filename, "passed": ended_well,
                       "status": run.status.value, "messages": [] if ended_well else [told], "run": run.to_dict()}
            return json.loads(json.dumps(outcome).replace(f"{folder}/", ""))

    def verdict(self, slug: str, language_name: str, source: str) -> dict:
        """What `invoke check --json` says of `source`, the file named as the lesson's example (gather.mjs)."""
        lesson, language = self.lessons[slug], self.registry.languages[language_name]
        filename = lesson.example(language).name
        with tempfile.TemporaryDirectory(prefix="classroom-") as folder:
            path = Path(folder) / filename
            path.write_text(source, encoding="utf-8")
            try:
                verdict = judge(lesson, language, path, self.backend).to_dict()
            except KitError as exc:  # an empty source, say: the learner's to mend
                verdict = _error(slug, language_name, str(exc))
            # The learner knows the file as gather.mjs, not as a temporary folder's: tracebacks and
            # compiler lines name it so (a temporary folder's name needs no JSON escaping).
            return json.loads(json.dumps(verdict).replace(f"{folder}/", ""))


def _error(lesson: str, language: str, message: str) -> dict:
    return {"lesson": lesson, "language": language, "file": "", "passed": False, "status": "error",
            "messages": [message], "run": None}
