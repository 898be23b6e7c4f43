"""The classroom's queue on Redis (`invoke classroom --queue URL`): checks are RQ jobs that `invoke worker`
processes run, on as many machines as the room needs, each with its own Docker engine.

The submission is in the store before its job is on the queue. The server learns what became of each job by
looking at RQ every POLL seconds (RQ's success and failure callbacks run in the worker, on another machine, and
none runs for a job whose worker died), and keeps the verdict with the same store calls as the embedded queue.
A job whose worker died mid-check (its heartbeat lapsed: RQ's StartedJobRegistry.cleanup, which the server runs)
is tried once more by RQ (`Retry(max=1)`); if that fails too, the submission gets an error verdict that says so.
A job is named after the room's database and the submission, so that a server started again finds the jobs
of the submissions it left unfinished, and enqueues only those the queue no longer has."""
from __future__ import annotations

import asyncio
import logging
import secrets
import threading

from redis.exceptions import RedisError
from rq import Queue as RQueue, Retry, Worker
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.results import Result

from runner.classroom import jobs
from runner.classroom.checks import Queue, error
from runner.classroom.store import Store
from runner.model.lesson import Lesson

POLL = 0.25  # seconds between looks at the jobs: the most a verdict waits on the server once a worker has it
CLEAN_EVERY = 2.0  # seconds between looks for jobs whose worker stopped (once, whichever server looks)
KEPT = 7 * 24 * 3600  # seconds RQ keeps a result a server has not collected (a server stopped for a while)
WAITING = (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED)
CLEANING = f"async-rosetta:cleaning:{jobs.QUEUE}"  # held by the classroom looking for stopped workers' jobs
log = logging.getLogger("runner.classroom")


class RemoteQueue(Queue):
    """Submissions as jobs on the Redis at `url`; `start()` and `stop()` from the server's event loop."""

    left = "stay on the queue: the workers run them, and their verdicts are kept when it starts again"

    def __init__(self, store: Store, url: str, lessons: dict[str, Lesson], room: str):
        super().__init__()
        self.store, self.lessons, self.room, self.url = store, lessons, room, jobs.shown(url)
        self.connection = jobs.connect(url, socket_timeout=10)
        self.queue = RQueue(jobs.QUEUE, connection=self.connection, serializer=jobs.SERIALIZER)
        self.where = f"checks on the queue {self.url} ({len(self.workers())} worker(s) serving it now)"
        self.prefix = store.setting("queue_prefix", f"rosetta-{secrets.token_hex(4)}-")  # this database's jobs
        self.jobs: dict[int, str] = {}  # submission -> its job, until its verdict is kept
        self.places: dict[int, int] = {}  # submission -> its place: 0 running, 1 next, ...
        self.unsent: list[int] = []  # submissions to enqueue when the Redis answers again
        self.lost: set[int] = set()  # submissions whose job the Redis lost once (it was restarted, emptied)
        self._lock = threading.Lock()  # the watcher's thread and the event loop's submits
        self._watcher: asyncio.Task | None = None
        self._down = False

    def workers(self) -> list[Worker]:
        return Worker.all(queue=self.queue, serializer=jobs.SERIALIZER)

    def start(self) -> int:
        self._begin()
        left = self.store.requeue_unfinished()
        with self._lock:
            for submission_id in left:
                self._adopt(submission_id)
        self._watcher = asyncio.create_task(self._watch())
        return len(left)

    async def stop(self) -> None:
        """Stop watching: the workers finish the jobs on the queue, and the next start collects their verdicts."""
        if self._watcher is not None:
            self._watcher.cancel()
            await asyncio.gather(self._watcher, return_exceptions=True)

    async def submit(self, submission_id: int) -> None:
        await asyncio.to_thread(self._submit, submission_id)  # the event loop never waits for the Redis

    def _submit(self, submission_id: int) -> None:
        with self._lock:
            self._send(submission_id)
            if submission_id in self.jobs:
                try:
                    place = self.queue.get_job_position(self.jobs[submission_id])
                except RedisError:
                    place = None
                self.places[submission_id] = 1 if place is None else place + 1  # None: a worker took it already

    def position(self, submission_id: int) -> int | None:
        unsent = list(self.unsent)  # the watcher's thread may send one meanwhile
        if submission_id in unsent:
            return unsent.index(submission_id) + 1
        return self.places.get(submission_id, 1) if submission_id in self.jobs else None

    def _job_id(self, submission_id: int) -> str:
        return f"{self.prefix}{submission_id}"

    def _adopt(self, submission_id: int) -> None:
        """A submission a stopped server left unfinished: its job if the queue still has it, else a new one."""
        try:
            job = Job.fetch_many([self._job_id(submission_id)], self.connection, jobs.SERIALIZER)[0]  # None: none
        except RedisError:
            job = None
        if job is not None and job.get_status(refresh=False) is not None:
            self.jobs[submission_id] = job.id
        else:
            self._send(submission_id)

    def _send(self, submission_id: int) -> None:
        """Enqueue the submission's job; while the Redis does not answer, it waits in `unsent`."""
        s = self.store.submission(submission_id)
        try:
            self.queue.enqueue_call(
                jobs.check, kwargs={"kind": s.kind.value, "lesson": s.lesson, "language": s.language,
                                    "source": s.source}, job_id=self._job_id(submission_id), timeout=jobs.time_limit(self.lessons[s.lesson]), ttl=None,
                result_ttl=KEPT, failure_ttl=KEPT, retry=Retry(max=1),
                description=f"{s.kind.value} {submission_id} of room {self.room}: {s.lesson} in {s.language}")
        except RedisError as exc:
            self._no_answer(exc)
            if submission_id not in self.unsent:
                self.unsent.append(submission_id)
            return
        self.jobs[submission_id] = self._job_id(submission_id)
        if submission_id in self.unsent:
            self.unsent.remove(submission_id)

    async def _watch(self) -> None:
        while True:
            try:
                changed = await asyncio.to_thread(self._look)
            except RedisError as exc:
                self._no_answer(exc)
                changed = False
            except Exception:  # noqa: BLE001 - a bug of the kit's: the next look may do better, none would not
                log.exception("looking at the queue failed")
                changed = False
            if changed:
                await self._notify()
            await asyncio.sleep(POLL)

    def _no_answer(self, exc: Exception) -> None:
        if not self._down:
            log.warning("the queue at %s does not answer (%s): checks wait, and are sent when it answers",
                        self.url, exc)
        self._down = True

    def _look(self) -> bool:
        """One look at the jobs (in a thread): whether a check started, ended or moved up."""
        with self._lock:
            for submission_id in list(self.unsent):
                self._send(submission_id)
            if self.connection.set(CLEANING, 1, nx=True, px=int(CLEAN_EVERY * 1000)):
                StartedJobRegistry(queue=self.queue).cleanup()  # jobs whose worker stopped: retried, or failed
            if self._down and not self.unsent:
                log.warning("the queue at %s answers again", self.url)
                self._down = False
            submissions = list(self.jobs)
            found = Job.fetch_many([self.jobs[s] for s in submissions], self.connection, jobs.SERIALIZER)
            waiting = {job_id: place for place, job_id in enumerate(self.queue.get_job_ids(), start=1)}
            before = dict(self.places), set(self.jobs)
            for submission_id, job in zip(submissions, found):
                self._follow(submission_id, job, waiting)
            return (self.places, set(self.jobs)) != before

    def _follow(self, submission_id: int, job: Job | None, waiting: dict[str, int]) -> None:
        """Keep what became of the submission's job: started, back in the queue, done, failed, or lost."""
        status = job.get_status(refresh=False) if job is not None else None
        if status == JobStatus.STARTED:
            if self.places.get(submission_id) != 0:
                self.store.start(submission_id)
            self.places[submission_id] = 0
        elif status in WAITING:
            if self.places.get(submission_id) == 0:  # its worker stopped, and RQ queued it again
                self.store.back_to_queue(submission_id)
            self.places[submission_id] = waiting.get(job.id, 1)
        elif status == JobStatus.FINISHED:
            found = job.return_value()
            self._done(submission_id, job, found if isinstance(found, dict) else self._error(
                submission_id, f"its worker sent back no verdict ({found!r}): check it again"))
        elif status is not None:  # failed, stopped or canceled: RQ's one retry included
            self._done(submission_id, job, self._error(
                submission_id, f"the worker checking it stopped: {_why(job)}; it was tried twice: check it again"))
        elif submission_id not in self.lost:  # the Redis lost it (restarted without its data): sent again, once
            self.lost.add(submission_id)
            del self.jobs[submission_id]
            self._send(submission_id)
        else:
            self._done(submission_id, None, self._error(
                submission_id, "the queue lost it twice (its Redis was restarted without its data): check it again"))

    def _done(self, submission_id: int, job: Job | None, verdict: dict) -> None:
        self.store.finish(submission_id, verdict)
        self.jobs.pop(submission_id, None)
        self.places.pop(submission_id, None)
        if job is not None:
            Result.delete_all(job)
            job.delete()

    def _error(self, submission_id: int, message: str) -> dict:
        s = self.store.submission(submission_id)
        return error(s.lesson, s.language, message)


def _why(job: Job) -> str:
    """Why a job failed, from what RQ kept (a failed job process's reason; none when its heartbeat lapsed)."""
    result = job.latest_result()
    if result is None or result.type != Result.Type.FAILED:  # moved by StartedJobRegistry.cleanup
        return f"no heartbeat from {f'worker {job.worker_name}' if job.worker_name else 'its worker'} for over a minute"
    last = (result.exc_string or "").strip().splitlines()[-1:] or ["no reason given"]
    return last[0].rstrip("; ")  # RQ's words: "Work-horse terminated unexpectedly; waitpid returned 9 (signal 9)"
