"""The labels that tie what the kit starts (containers, volumes) to a run, a lesson, a language and an owner."""
from __future__ import annotations

import os
import platform

RUN_LABEL = "org.async-rosetta.run"
LESSON_LABEL = "org.async-rosetta.lesson"
LANGUAGE_LABEL = "org.async-rosetta.language"
OWNER_LABEL = "org.async-rosetta.owner"
OWNER_VARIABLE = "ASYNC_ROSETTA_OWNER"


def owner() -> str:
    """Who started a run (this machine and process), so that containers on an engine shared by several
    users or test sessions can be told apart; OWNER_VARIABLE names it for processes started from one."""
    return os.environ.get(OWNER_VARIABLE) or f"{platform.node()}:{os.getpid()}"


def owner_still_running(labels: dict[str, str]) -> bool:
    """Whether the process that owns a container or volume still runs on this machine: then it is not
    left behind but in use, and will be removed by its owner."""
    host, _, pid = labels.get(OWNER_LABEL, "").rpartition(":")
    if host != platform.node() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
