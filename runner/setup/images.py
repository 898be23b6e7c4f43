"""The images the Docker backend runs in: pulled, built offline, saved and loaded."""
from __future__ import annotations

import time
from pathlib import Path

from runner import EnvironmentProblem, KitError
from runner.sandbox.docker import images
from runner.sandbox.docker.connection import connect
from runner.setup import offline
from runner.sandbox.backend import Progress
from runner.sandbox.docker.backend import image_for
from runner.model.languages import Language


def pull(languages: list[Language], progress: Progress) -> str:
    client = connect()
    for image in dict.fromkeys(lang.image for lang in languages):
        progress(f"pulling {image}")
        images.pull(client, image, progress)
    return "pulled: " + ", ".join(dict.fromkeys(lang.image for lang in languages))


def build_offline(languages: list[Language], progress: Progress, force: bool = False) -> str:
    client = connect()
    started = time.monotonic()
    built = offline.build_offline(client, languages, progress, force)
    if not built:
        return "the offline images are current: " + ", ".join(
            dict.fromkeys(lang.offline_image for lang in languages))
    return f"built {', '.join(built)} in {time.monotonic() - started:.0f}s"


def save(languages: list[Language], path: Path, progress: Progress) -> str:
    client = connect()
    tags = [image_for(client, lang) for lang in languages]
    missing = [lang.title for lang, tag in zip(languages, tags) if tag is None]
    if missing:
        raise EnvironmentProblem(f"nothing to save for {', '.join(missing)}: run `invoke images` or "
                                 "`invoke images --offline` first")
    tags = list(dict.fromkeys(tags))
    if any(t.startswith("async-rosetta/") for t in tags):
        tags.append(offline.BASE_TAG)
    partial = path.with_name(path.name + ".partial")
    try:
        images.save_images(client, tags, partial, progress)
        partial.replace(path)
    except OSError as exc:
        raise KitError(f"cannot write {path}: {exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return f"saved {', '.join(tags)} to {path} ({path.stat().st_size / 1e6:.0f} MB)"


def load(path: Path, progress: Progress) -> str:
    if not path.is_file():
        raise KitError(f"no such file: {path} (write one with `invoke images --save FILE`)")
    images.load_images(connect(), path, progress)
    return f"loaded the images in {path}"


def provide(languages: list[Language], progress: Progress, offline: bool = False, save_to: str | None = None,
            load_from: str | None = None, force: bool = False) -> list[str]:
    """`invoke images`: load an archive, build offline, or pull (by default); then save, if asked. What was done."""
    messages = []
    if load_from:
        messages.append(load(Path(load_from), progress))
    if offline:
        messages.append(build_offline(languages, progress, force))
    if not (load_from or offline or save_to):
        messages.append(pull(languages, progress))
    if save_to:  # what is here already: --save alone neither pulls nor builds
        messages.append(save(languages, Path(save_to), progress))
    return messages
