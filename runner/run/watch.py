"""`invoke check --watch`: check again each time the learner saves the file, by polling it (no watcher
library: one small file, looked at four times a second, costs nothing)."""
from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Callable, TypeVar

from runner import ROOT, EnvironmentProblem, KitError

POLL = 0.25  # seconds between looks at the file
Checked = TypeVar("Checked")


def signature(path: Path) -> tuple[int, int, str] | None:
    """What tells one save of the file from another: its modification time, size and contents (None: not
    there, as for a moment while an editor saves by writing a new file and renaming it)."""
    try:
        return path.stat().st_mtime_ns, path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def changed(path: Path, since: tuple | None, poll: float = POLL) -> tuple:
    """Wait until the file is saved again: a signature other than `since` that holds for one more look, so that
    an editor that writes in steps is checked once, when it is done."""
    seen = since
    while True:
        time.sleep(poll)
        now = signature(path)
        if now is not None and now != since and now == seen:
            return now
        seen = now


def watch(path: Path, check: Callable[[], Checked], say: Callable[[str], None],
          poll: float = POLL) -> tuple[Checked | None, KitError | None]:
    """Check, then check again after every save, until Ctrl-C while waiting. The last check's verdict, or the
    kit's error that stopped it (a file empty or not UTF-8 for a moment); a machine's problem (no engine) ends
    the watch at once, and Ctrl-C during a check stops that check as it stops any run."""
    last: tuple[Checked | None, KitError | None] = (None, None)
    seen = signature(path)
    while True:
        try:
            last = (check(), None)
        except EnvironmentProblem:
            raise
        except KitError as exc:
            say(f"error: {exc}")
            last = (None, exc)
        if signature(path) != seen:  # saved again while it was being checked
            seen = signature(path)
            continue
        try:  # from the line that invites Ctrl-C on: a Ctrl-C right after it is the end of the watch too
            say(f"watching {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: save it to check "
                "again, Ctrl-C to stop")
            seen = changed(path, seen, poll)
        except KeyboardInterrupt:
            return last
        say(f"\n{time.strftime('%H:%M:%S')} {path.name} saved: checking it again")
