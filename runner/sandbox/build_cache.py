"""Built programs kept between runs: an unchanged source is never compiled twice.

An entry is the build folder's files, under a key that hashes everything the build depends on: the
source and its file name, the build command, and the toolchain that ran it (an image id, or the host's
SDK version). An entry appears whole or not at all (written aside, then renamed into place), so that
two runs at once, a full disk or Ctrl-C never leave half a program behind."""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from runner.sandbox.cache import cache_dir
from runner.model.languages import Language

FOLDER_VARIABLE = "ASYNC_ROSETTA_BUILD_CACHE"  # where the cache is, if not under the kit's cache folder
MAX_ENTRY = 50_000_000  # bytes: a one-file program builds to a few kB; more is not worth keeping


def folder() -> Path:
    return Path(os.environ.get(FOLDER_VARIABLE) or cache_dir() / "builds")


def key(language: Language, source: bytes, filename: str, toolchain: str) -> str:
    digest = hashlib.sha256()
    for part in (language.name, filename, "\0".join(language.build), language.build_script, toolchain):
        digest.update(part.encode() + b"\0")
    digest.update(source)
    return digest.hexdigest()


def get(entry: str) -> dict[str, bytes] | None:
    """The files of a build (paths relative to the build folder), or None if it was never kept."""
    path = folder() / entry
    try:
        return read_folder(path) if path.is_dir() else None
    except OSError:
        return None


def put(entry: str, files: dict[str, bytes]) -> None:
    """Keep a build's files; quietly not, when the disk says no (the cache only saves time)."""
    if not files or sum(len(data) for data in files.values()) > MAX_ENTRY:
        return
    final = folder() / entry
    if final.is_dir():
        return
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        aside = Path(tempfile.mkdtemp(prefix=".new-", dir=final.parent))
        try:
            for name, data in files.items():
                target = aside / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            os.rename(aside, final)
        finally:
            shutil.rmtree(aside, ignore_errors=True)  # gone after a rename; half-written after a failure
    except OSError:
        pass  # another run kept the same build meanwhile, or the disk is full


def clear() -> int:
    """Empty the cache; the number of builds removed."""
    path = folder()
    count = sum(1 for entry in path.iterdir() if not entry.name.startswith(".")) if path.is_dir() else 0
    shutil.rmtree(path, ignore_errors=True)
    return count


def read_folder(path: Path) -> dict[str, bytes]:
    """A build folder's files, as `put` keeps them."""
    return {str(f.relative_to(path)): f.read_bytes() for f in sorted(path.rglob("*")) if f.is_file()}
