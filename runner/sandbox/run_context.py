"""What a run belongs to, as the run layer tells a backend: so that what the backend starts for it can be
found and stopped again (by an abort, a crash's cleanup, `invoke clean`)."""
from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field

OWNER_VARIABLE = "ASYNC_ROSETTA_OWNER"


def owner() -> str:
    """Who started a run (this machine and process), so that what runs on an engine shared by several
    users or test sessions can be told apart; OWNER_VARIABLE names it for processes started from one."""
    return os.environ.get(OWNER_VARIABLE) or f"{platform.node()}:{os.getpid()}"


@dataclass(frozen=True)
class RunContext:
    """The run an example or a service is for, the lesson and language when it has them, and its owner."""

    run_id: str
    lesson: str | None = None
    language: str | None = None
    owner: str = field(default_factory=owner)
