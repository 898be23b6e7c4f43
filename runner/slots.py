"""A limit, for the whole machine, on programs being timed at once.

A lesson's verdict compares time stamps to 0.1s: thirty learners' checks started together on two cores
would push them past that. Each timed run holds a slot - a lock on a file under the kit's cache folder,
which the system releases when its process ends, however it ends - and waits while every slot is held.
Builds take no slot (they are not timed)."""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from runner.cache import cache_dir

SLOTS_VARIABLE = "ASYNC_ROSETTA_SLOTS"
POLL = 0.05  # seconds between looks for a free slot


def count() -> int:
    """How many programs may be timed at once: one more than the cores (sleep-bound examples leave
    cores idle, and a lesson's three languages run side by side), or what SLOTS_VARIABLE says."""
    value = os.environ.get(SLOTS_VARIABLE, "")
    return int(value) if value.isdigit() and int(value) > 0 else (os.cpu_count() or 1) + 1


@contextmanager
def timed_run(waiting: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    folder = cache_dir() / "slots"
    folder.mkdir(exist_ok=True)
    said = False
    while True:
        for slot in range(count()):
            fd = os.open(folder / str(slot), os.O_CREAT | os.O_RDWR, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
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
