"""The classroom's checks as RQ jobs on Redis: what `invoke classroom --queue URL` enqueues (remote.py) and what
`invoke worker --queue URL` runs (worker.py), on any machine with its own Docker engine.

A job is plain data: the kind (a check or a run), the lesson, the language and the learner's source; its result
is the verdict as the embedded queue keeps it (checks.checked, the same code). Jobs and results are JSON in
Redis, never pickles: what a classroom reads back from Redis is data, not code to run."""
from __future__ import annotations

import sys
import time
from urllib.parse import urlsplit

from redis import Redis
from redis.exceptions import AuthenticationError, ConnectionError as RedisDown, RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisSlow
from rq import get_current_job
from rq.serializers import JSONSerializer

from runner import KitError
from runner.classroom import checks
from runner.classroom.store import Kind
from runner.model.languages import Registry
from runner.model.lesson import Lesson
from runner.model.services import START_TIMEOUT
from runner.sandbox import choice, slots
from runner.sandbox.backend import Progress

QUEUE = "async-rosetta"  # the queue's name on the Redis: every classroom's checks, served by every worker
SERIALIZER = JSONSerializer
SCHEMES = ("redis", "rediss")
EXAMPLE = "redis://HOST:6379/0 (with a password: redis://:PASSWORD@HOST:6379/0)"
MARGIN = 60  # seconds a job may take beyond the longest check: its process's start, a slow engine

_worker: dict = {}  # what `serve` gave this worker process (and the horses RQ forks from it)


def shown(url: str) -> str:
    """The URL with its password hidden, to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def _checked_url(url: str) -> None:
    """A KitError unless `url` is redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]."""
    def bad(what: str) -> KitError:
        return KitError(f"--queue {shown(url)!r}: {what}; expected {EXAMPLE}")

    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise bad(f"the scheme is {parts.scheme or 'missing'!r}, not one of {', '.join(SCHEMES)}")
    try:
        port = parts.port
    except ValueError:
        raise bad("the port is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise bad("it names no host")
    if port == 0:
        raise bad("the port is not a number from 1 to 65535")
    if not parts.path.strip("/").isdigit() and parts.path.strip("/"):
        raise bad(f"the database {parts.path.strip('/')!r} is not a number")
    if parts.query or parts.fragment:
        raise bad("it has a query or a fragment, which the kit does not read")


def connect(url: str, **options) -> Redis:
    """A connection to the Redis at `url` that answers, or a KitError saying what is wrong and what to do."""
    _checked_url(url)
    where = shown(url)
    try:
        connection = Redis.from_url(url, socket_connect_timeout=5, **options)
        connection.ping()
        return connection
    except (AuthenticationError, ResponseError) as exc:  # first: redis-py words some refusals as a lost connection
        raise KitError(f"--queue {where}: the Redis there {_refusal(str(exc))} ({exc})") from None
    except (RedisDown, RedisSlow) as exc:
        raise KitError(f"--queue {where}: no Redis answers there ({exc}); start redis-server on that machine "
                       "(reachable only by the classroom and its workers: README, Classroom) or correct the "
                       "address") from None
    except (RedisError, OSError, ValueError) as exc:
        raise KitError(f"--queue {where}: {exc}; expected {EXAMPLE}") from None


def _refusal(said: str) -> str:
    """What a Redis that answered but refused means, and what to do."""
    if "required" in said.lower():
        return "needs a password: put the one its `requirepass` sets in the URL, redis://:PASSWORD@HOST:PORT/0"
    if "WRONGPASS" in said or "invalid password" in said.lower():
        return "refused the password: put the one its `requirepass` sets in the URL, redis://:PASSWORD@HOST:PORT/0"
    if "without any password" in said or "no password" in said.lower():
        return "has no password set: leave it out of the URL, or set one with `requirepass` (README: Classroom)"
    if "DB index" in said:
        return "has no such database: the URL's /DB is a number below its `databases` (16 by default)"
    return "refused the kit: check the URL's password and database number"


def time_limit(lesson: Lesson) -> int:
    """Seconds RQ lets a check of `lesson` take: a build and a run, each within the lesson's timeout, then each
    scenario run again alone, after waiting its turn for the machine (runner/run/checker.py), a service's start."""
    scenarios = max(1, len(lesson.scenarios))
    again = scenarios * (slots.EXCLUSIVE_WAIT + 2 * lesson.timeout)
    return int(2 * lesson.timeout + again + START_TIMEOUT + MARGIN)


def serve(registry: Registry, lessons: dict[str, Lesson], backend_name: str, say: Progress) -> None:
    """What the jobs of this worker process use: the kit's registry and lessons, the engine, where to talk."""
    _worker.update(registry=registry, lessons=lessons, backend=backend_name, say=say)


def check(kind: str, lesson: str, language: str, source: str) -> dict:
    """The job: the verdict (a check) or outcome (a run) of `source`, as the embedded queue keeps it."""
    if not _worker:  # RQ's own `rq worker`: none of the kit's settings (heartbeat, engine, lessons)
        raise KitError("a classroom's checks run in `invoke worker`, not in another RQ worker")
    job, started = get_current_job(), time.monotonic()
    say, what = _worker["say"], job.description if job else f"{kind} of {lesson} in {language}"
    say(f"takes {what}")
    # A client of this process's own: RQ forks a process per job, and a connection to the engine is not
    # shared across a fork (the sandboxes started ahead do the same: runner/sandbox/docker/pool.py).
    backend = choice.choose(_worker["backend"], say)
    found = checks.checked(Kind(kind), lesson, language, source, _worker["registry"], _worker["lessons"], backend)
    backend.prepare_next(detached=True)  # for the next checks, in a child process: the verdict goes back now
    say(f"{what} -> {found.get('status')} in {time.monotonic() - started:.1f} s")
    sys.stderr.flush()  # RQ's job process ends with os._exit: nothing buffered would be written
    return found
