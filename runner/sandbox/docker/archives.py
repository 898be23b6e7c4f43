"""The files of a tar archive, as the engine hands them over (a container's folder, a build's output)."""
from __future__ import annotations

import io
import os
import tarfile


def tar_files(data: bytes, under_top_folder: bool = False) -> dict[str, bytes]:
    """Each regular file's path and bytes; with `under_top_folder`, paths relative to the archive's top
    folder (what the engine's get_archive puts first)."""
    files = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            reader = tar.extractfile(member)
            name = os.path.normpath(member.name)
            files[name.partition("/")[2] if under_top_folder else name] = reader.read() if reader else b""
    return files
