"""A limit, for the whole machine, on programs being timed at once, and a turn with the machine alone.

A lesson's verdict compares time stamps to 0.1s: thirty learners' checks started together on two cores
would push them past that. Each timed run holds a slot - a lock on a file under the kit's cache folder,
which the system releases when its process ends, however it ends - and waits while every slot is held.
Builds take no slot (they are not timed).

A run whose time stamps the machine's load may have made late is run again in an exclusive turn: it
takes the gate (so no new timed run and no new build starts), then every slot as their holders finish.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from runner.sandbox.cache import cache_dir

SLOTS_VARIABLE = "ASYNC_ROSETTA_SLOTS"
POLL = 0.05  # seconds between looks for a free slot
EXCLUSIVE_WAIT = 120.0  # seconds an exclusive turn waits at most; then it runs as an ordinary timed run


def count() -> int:
    """How many programs may be timed at once: one more than the cores (sleep-bound examples leave
    cores idle, and a lesson's three languages run side by side), or what SLOTS_VARIABLE says."""
    value = os.environ.get(SLOTS_VARIABLE, "")
    return int(value) if value.isdigit() and int(value) > 0 else (os.cpu_count() or 1) + 1


def _folder():
    folder = cache_dir() / "slots"
    folder.mkdir(exist_ok=True)
    return folder


def _try_lock(path, how: int) -> int | None:
    """An open descriptor holding the lock, or None if another holds it."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o666)
    try:
        fcntl.flock(fd, how | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        os.close(fd)
        return None


def _gate_open() -> bool:
    """No exclusive turn is under way or waiting for its slots."""
    fd = _try_lock(_folder() / "exclusive", fcntl.LOCK_SH)
    if fd is None:
        return False
    os.close(fd)
    return True


def wait_for_gate(waiting: Callable[[str], None] = lambda _: None) -> None:
    """Wait while a program is timed alone (a build, say, starts only after it)."""
    said = False
    while not _gate_open():
        if not said:
            waiting("waiting: a program is being timed alone")
            said = True
        time.sleep(POLL)


@contextmanager
def timed_run(waiting: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Hold one of the machine's slots for a timed run; wait (and say so once) while none is free."""
    folder = _folder()
    said = False
    while True:
        if _gate_open():
            for slot in range(count()):
                fd = _try_lock(folder / str(slot), fcntl.LOCK_EX)
                if fd is None:
                    continue
                try:
                    yield
                finally:
                    os.close(fd)  # releases the lock
                return
        if not said:
            waiting(f"waiting: {count()} programs are being timed on this machine already")
            said = True
        time.sleep(POLL)


@contextmanager
def exclusive_run(waiting: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Hold the gate and every slot: no other timed program and no new build runs meanwhile. After
    EXCLUSIVE_WAIT seconds of waiting (a queue of such turns), settle for an ordinary slot."""
    folder = _folder()
    held: list[int] = []
    deadline = time.monotonic() + EXCLUSIVE_WAIT
    said = False
    try:
        wanted = ["exclusive", *(str(slot) for slot in range(count()))]
        while wanted and time.monotonic() < deadline:
            fd = _try_lock(folder / wanted[0], fcntl.LOCK_EX)
            if fd is not None:
                held.append(fd)
                wanted.pop(0)
                continue
            if not said:
                waiting("waiting to time a program again alone: until no other program is being timed")
                said = True
            time.sleep(POLL)
        if wanted:  # waited long enough: an ordinary turn, never a deadlock behind other turns
            for fd in held:
                os.close(fd)
            held = []
            with timed_run(waiting):
                yield
            return
        yield
    finally:
        for fd in held:
            os.close(fd)
