"""The shell that runs in the sandboxes (the .sh files beside this module), and the files of a run that
travel as its arguments."""
from __future__ import annotations

import base64
import re
from pathlib import Path

HERE = Path(__file__).parent
INLINE_LIMIT = 96_000  # bytes of base64 per file that travel as an argument (the kernel takes 128 kB)
GRACE = 1.0  # seconds a wrapper has, after SIGTERM, to stop the program and report before it is killed too


def _script(name: str) -> str:
    """The text of a script, with each `#include NAME.sh` line replaced by that script's text."""
    text = (HERE / name).read_text(encoding="utf-8")
    return re.sub(r"^#include (\S+)\n", lambda found: _script(found.group(1)), text, flags=re.MULTILINE)


WRAPPER = _script("wrapper.sh")  # PID 1 of a fresh sandbox: runs, times and stops the program, reports
WRAPPER_WITH_FILES = _script("wrapper_with_files.sh")  # the same, after writing the files it is given
EXEC_WRAPPER = _script("exec_wrapper.sh")  # an example in a warm container
WARM_INIT = _script("warm_init.sh")  # PID 1 of a warm container
POOL_INIT = _script("pool_init.sh")  # PID 1 of a sandbox started ahead of time: wrapper_with_files.sh, later
COMPILER_INIT = _script("compiler_init.sh")  # PID 1 of a compiler server's container
COMPILER_BUILD = _script("compiler_build.sh")  # one build in it


def fits_inline(files: dict[str, bytes]) -> bool:
    """Whether files are small enough to travel as a wrapper's arguments (else they go through a volume)."""
    return all(len(data) * 4 // 3 + 4 <= INLINE_LIMIT for data in files.values()) and \
        sum(len(data) for data in files.values()) <= 8 * INLINE_LIMIT


def file_arguments(files: dict[str, bytes]) -> list[str]:
    """Files as write_files.sh takes them: pairs of path and base64 text, then `--`."""
    return [part for name, data in files.items() for part in (name, base64.b64encode(data).decode())] + ["--"]
