"""`invoke classroom`: open the room (its code, the instructor's secret, the database), then serve it with uvicorn."""
from __future__ import annotations

import logging
import re
import secrets
import socket
from pathlib import Path

import uvicorn

from runner import KitError
from runner.classroom.app import EDITOR, Room, create_app
from runner.classroom.checks import CheckQueue, Queue
from runner.classroom.store import Store
from runner.model.languages import Registry
from runner.model.lesson import Lesson
from runner.sandbox import choice
from runner.sandbox.backend import Progress

ROOM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread from a projector
ROOM_PATTERN = re.compile(r"[A-Z0-9-]{3,32}")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def room_code(given: str | None, store: Store) -> str:
    """The room's code: --room's, else the one this database had, else a new random one."""
    if given is None:
        return store.setting("room", "".join(secrets.choice(ROOM_ALPHABET) for _ in range(6)))
    code = given.strip().upper()
    if not ROOM_PATTERN.fullmatch(code):
        raise KitError(f"--room {given!r}: a room code is 3 to 32 letters, digits or '-', e.g. ASYNC-1")
    store.set_setting("room", code)
    return code


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one), or the reason there can be none."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        return sock
    except (OSError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise KitError(f"cannot listen on {host}:{port}: {reason}; pick another --port (0 picks a free one) "
                       "or --host") from None


DEFAULT_PORT = 8000


def port_number(value) -> int:
    """--port's value: 0 (a free port) to 65535. (The flag defaults to None, not a number, so that invoke leaves
    a bad value to this message instead of failing in its parser with a traceback.)"""
    text = str(DEFAULT_PORT if value is None else value)
    if not text.isdigit() or int(text) > 65535:
        raise KitError(f"--port takes a port number from 1 to 65535 (0: a free one), got {value!r}")
    return int(text)


class Server(uvicorn.Server):
    """uvicorn's server, which tells the check queue when it starts to stop: a long poll then ends at once
    instead of holding the stop up (uvicorn waits for every open request)."""

    def __init__(self, config: uvicorn.Config, queue: Queue):
        super().__init__(config)
        self.queue = queue

    def handle_exit(self, sig, frame) -> None:
        self.queue.close()
        super().handle_exit(sig, frame)


def check_queue(registry: Registry, lessons: dict[str, Lesson], store: Store, code: str, queue_url: str | None,
                say: Progress, warn: Progress) -> Queue:
    """Checks in Docker (learners' programs are not trusted: never locally): this machine's engine, or with
    `queue_url` the engines of the `invoke worker` processes serving that Redis queue."""
    if queue_url is None:
        backend = choice.ready("docker", list(registry.languages.values()), warn, say)
        return CheckQueue(store, registry, lessons, backend)
    from runner.classroom.remote import RemoteQueue

    queue = RemoteQueue(store, queue_url, lessons, code)
    if not queue.workers():
        warn(f"no `invoke worker --queue {queue.url}` serves the queue yet: checks wait on it until one starts")
    return queue


def serve(registry: Registry, lessons: dict[str, Lesson], port, room: str | None, host: str, db: Path,
          queue_url: str | None, say: Progress, warn: Progress) -> None:
    """Run the classroom until Ctrl-C, its checks run here or by the workers of a queue on Redis."""
    port = port_number(port)
    store = Store(db)
    code = room_code(room, store)
    secret = store.setting("instructor", secrets.token_urlsafe(18))
    queue = check_queue(registry, lessons, store, code, queue_url, say, warn)
    if not (EDITOR / "editor.js").is_file():
        warn(f"the code editor is not built ({EDITOR / 'editor.js'}): learners get a plain text box until "
             "`./bootstrap` builds it")
    sock = bind(host, port)
    shown = socket.gethostname() if host in ("0.0.0.0", "::") else host
    address = f"http://{f'[{shown}]' if ':' in shown else shown}:{sock.getsockname()[1]}"
    app = create_app(Room(code, secret), store, queue, registry, lessons,
                     allowed_hosts=list(LOOPBACK) if host in LOOPBACK else None)
    print(f"classroom {code}: {len(lessons)} lessons, {queue.where}; records in {db}")
    print(f"learners:   {address}/?room={code}")
    print(f"instructor: {address}/instructor#{secret}")
    print(f"the instructor's secret (for the API's `Authorization: Bearer`): {secret}", flush=True)
    if host not in LOOPBACK:
        warn(f"listening on {host}: anyone who can reach this machine and knows the room code can run programs "
             "in its sandbox")
    logging.basicConfig(level=logging.WARNING, format="classroom: %(message)s")
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False, lifespan="on")
    Server(config, queue).run(sockets=[sock])
    left = sum(1 for s in store.submissions(kind=None) if s.state.value != "done")
    print(f"classroom {code} stopped" + (f"; {left} check(s) or run(s) not done {queue.left}" if left else ""),
          flush=True)
