"""`invoke worker --queue URL`: an RQ worker on this machine, running the checks classrooms put on that Redis
queue in this machine's Docker engine, one at a time, each in a process of its own (RQ's work horse).

While a check runs, RQ's worker process renews the job's heartbeat every MONITOR_SECONDS; RQ 1.13 lets a
heartbeat last that long plus a fixed 60 s (Worker.get_heartbeat_ttl), so a worker killed mid-check has its job
noticed by the classroom (StartedJobRegistry.cleanup) and tried again at most about 65 s later. Ctrl-C (or
SIGTERM) is RQ's warm shutdown: the check being done ends and is sent back, then the worker stops; a second
Ctrl-C stops the check too, and the classroom tries it again once its heartbeat has lapsed."""
from __future__ import annotations

import logging
import os
import platform
import sys
import time

from redis.exceptions import RedisError
from rq import Queue as RQueue, Worker

from runner import EnvironmentProblem, KitError
from runner.classroom import jobs
from runner.model.languages import Registry
from runner.model.lesson import Lesson
from runner.sandbox import choice
from runner.sandbox.backend import Progress

MONITOR_SECONDS = 5  # RQ's job_monitoring_interval (30 by default): the heartbeat of a job being checked
IDLE_TTL = 60  # RQ's worker_ttl (420 by default): a worker killed while idle leaves the list of workers so soon
BACKENDS = ("docker",)  # learners' programs are not trusted: never the local backend
CLOCK = "%H:%M:%S"


def logged(text: str) -> None:
    """A line of the worker's log, with its time: one line however long (a log, read later, not a screen)."""
    print(f"{time.strftime(CLOCK)} {text}", file=sys.stderr, flush=True)


class ClassroomWorker(Worker):
    """RQ's worker, which says so when Ctrl-C asks it to stop (RQ's own words are at its debug level)."""

    def handle_warm_shutdown_request(self) -> None:
        logged(f"worker {self.name}: stopping once the check it is doing is done (Ctrl-C again: at once, and the "
               "classroom has the check done again in about a minute)" if self.get_current_job_id()
               else f"worker {self.name}: stopping")


def work(registry: Registry, lessons: dict[str, Lesson], url: str | None, backend: str, say: Progress,
         warn: Progress) -> None:
    """Serve the queue at `url` until Ctrl-C."""
    if not url:
        raise KitError("which queue? `invoke worker --queue URL`, with the URL of the classroom's --queue: "
                       + jobs.EXAMPLE)
    if backend not in BACKENDS:
        raise KitError(f"--backend {backend!r}: a worker runs learners' programs, which are not trusted: expected "
                       f"one of {', '.join(BACKENDS)}")
    connection = jobs.connect(url)  # no socket timeout of the kit's: RQ sets one that fits its own waits
    choice.ready(backend, list(registry.languages.values()), warn, say)  # the engine and the images, here
    jobs.serve(registry, lessons, backend, logged)
    queue = RQueue(jobs.QUEUE, connection=connection, serializer=jobs.SERIALIZER)
    worker = ClassroomWorker([queue], name=f"{platform.node()}.{os.getpid()}", connection=connection,
                             serializer=jobs.SERIALIZER, job_monitoring_interval=MONITOR_SECONDS,
                             default_worker_ttl=IDLE_TTL)
    logged(f"worker {worker.name}: runs the checks of {jobs.shown(url)} (queue {jobs.QUEUE}) in Docker on this "
           "machine, one at a time; Ctrl-C stops it")
    rq_log = logging.StreamHandler(sys.stderr)  # RQ's own lines in the same log (RQ would write warnings to stdout)
    rq_log.setFormatter(logging.Formatter("%(asctime)s worker: %(message)s", CLOCK))
    logging.getLogger("rq.worker").addHandler(rq_log)
    worker.work(logging_level="WARNING")
    try:
        connection.ping()
    except RedisError as exc:  # RQ's worker quits when its Redis stops answering
        raise EnvironmentProblem(f"the queue at {jobs.shown(url)} stopped answering ({exc}): start `invoke worker` "
                                 "again once it answers") from None
    logged(f"worker {worker.name} stopped")
