"""Where the kit keeps what it may throw away: downloaded runtimes, the base file system, versions."""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    base = os.environ.get("ASYNC_ROSETTA_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "async-rosetta")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path
