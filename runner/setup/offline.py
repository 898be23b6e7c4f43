"""Offline images: a Debian file system made with debootstrap, plus each language's runtime.

For machines and workshop rooms that reach no container registry. The base comes from Debian's
packages (Python among them); a language whose runtime is not there has an `offline` script in its
registry entry that says what to add (Node: its binaries published on the npm registry; .NET: the
host's own SDK, copied in).
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from runner import KitError
from runner.sandbox.docker import images
from runner.sandbox.docker.labels import RECIPE_LABEL
from runner.sandbox.backend import Progress
from runner.sandbox.cache import cache_dir
from runner.model.languages import Language

SUITE = "trixie"
MIRROR = os.environ.get("ASYNC_ROSETTA_DEBIAN_MIRROR", "http://deb.debian.org/debian")
# Debian's packages in the base: Python itself, and what the .NET runtime links against.
PACKAGES = ("python3", "ca-certificates", "libicu76", "libssl3t64", "tzdata")
BASE_TAG = f"async-rosetta/base:{SUITE}"
ENV_COMMON = ("ENV LANG=C.UTF-8", "ENV PATH=/usr/local/bin:/usr/bin:/bin", "WORKDIR /work")


@dataclass(frozen=True)
class Recipe:
    """What an offline image is made of; its hash decides whether an existing image is current."""

    tag: str
    parts: tuple[str, ...]
    runtime: tuple[str, ...] = ()  # what the language's offline script says the image holds (in parts too)

    @property
    def digest(self) -> str:
        return hashlib.sha256("\n".join(self.parts).encode()).hexdigest()[:16]


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800, env=env)
    except FileNotFoundError:
        raise KitError(f"{what}: `{command[0]}` is not installed (on Debian: apt-get install {command[0]})") from None
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise KitError(f"{what} failed (`{' '.join(command)}`, exit {done.returncode}):\n{tail}")
    return done.stdout


def base_recipe() -> Recipe:
    return Recipe(BASE_TAG, (SUITE, MIRROR, *PACKAGES))


def base_rootfs(progress: Progress) -> Path:
    """The Debian file system as a tar file, made once with debootstrap and kept in the cache."""
    recipe = base_recipe()
    target = cache_dir() / f"rootfs-{SUITE}-{recipe.digest}.tar"
    if target.exists():
        return target
    if os.geteuid() != 0:
        raise KitError("building the offline base image needs root (debootstrap): run "
                       "`sudo invoke images --offline`, or pull the official images with `invoke images`")
    with tempfile.TemporaryDirectory(prefix="rootfs-", dir=cache_dir()) as tmp:
        root = Path(tmp) / "root"
        progress(f"debootstrap {SUITE} from {MIRROR} (Debian's packages: {', '.join(PACKAGES)})")
        _run(["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", SUITE, str(root), MIRROR],
             "debootstrap")
        shutil.rmtree(root / "var/cache/apt/archives", ignore_errors=True)
        (root / "var/cache/apt/archives/partial").mkdir(parents=True, exist_ok=True)
        progress("packing the base file system")
        partial = Path(tmp) / "rootfs.tar"
        _run(["tar", "--numeric-owner", "-C", str(root), "-cf", str(partial), "."], "packing the base")
        os.replace(partial, target)
    return target


def _script(language: Language, *args: str) -> list[str]:
    """Run the language's offline script (runner/languages/registry.yaml: `offline`); its lines."""
    out = _run(["sh", str(language.offline), *args], f"{language.title}'s offline recipe ({args[0]})",
               env={**os.environ, "ASYNC_ROSETTA_CACHE": str(cache_dir())})
    return [line.strip() for line in out.splitlines() if line.strip()]


def recipes(languages: list[Language]) -> dict[str, Recipe]:
    """One recipe per language that has an offline image; versions are looked up as needed. The lines every
    image's Dockerfile has are part of it, so that changing them makes every image stale."""
    base = base_recipe()
    common = (*base.parts, *ENV_COMMON)
    out = {}
    for lang in languages:
        runtime = tuple(_script(lang, "version")) if lang.offline else ()
        out[lang.name] = Recipe(lang.offline_image, (*common, *(runtime or ("debian",))), runtime)
    return out


def _steps(language: Language, recipe: Recipe) -> tuple[list[tuple[Path, str]], list[tuple[str, str]], list[str]]:
    """What the offline script adds to the image: files to copy, links to make, Dockerfile lines."""
    extra, links, lines = [], [], []
    for step in _script(language, "steps", *recipe.runtime) if language.offline else []:
        verb, _, rest = step.partition(" ")
        if verb == "copy" and " " in rest:
            host, image = rest.rsplit(" ", 1)
            extra.append((Path(host), f"rootfs{image}"))
        elif verb == "link" and " " in rest:
            at, target = rest.split(" ", 1)
            links.append((f"rootfs{at}", target))
        elif verb == "env" and "=" in rest:
            lines.append(f"ENV {rest}")
        else:
            raise KitError(f"{language.offline}: unknown step {step!r}; expected copy HOST-PATH IMAGE-PATH, "
                           "link IMAGE-PATH TARGET or env NAME=VALUE")
    return extra, links, lines


def _context(language: Language, recipe: Recipe, progress: Progress) -> Path:
    """A Docker build context: a Dockerfile that copies a rootfs/ tree over the base."""
    if language.offline:
        progress(f"{recipe.tag}: {language.offline.relative_to(language.offline.parent.parent)} steps")
    extra, links, env = _steps(language, recipe)
    lines = [f"FROM {BASE_TAG}", *ENV_COMMON, f"LABEL {RECIPE_LABEL}={recipe.digest}", *env]
    if extra or links:
        lines.append("COPY rootfs/ /")
    fd, name = tempfile.mkstemp(prefix="context-", suffix=".tar", dir=cache_dir())
    os.close(fd)
    with tarfile.open(name, "w") as tar:
        dockerfile = ("\n".join(lines) + "\n").encode()
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(dockerfile)
        tar.addfile(info, io.BytesIO(dockerfile))
        for path, arcname in extra:
            progress(f"{recipe.tag}: adding {path}")
            tar.add(path, arcname=arcname)
        for arcname, target in links:
            info = tarfile.TarInfo(arcname)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
    return Path(name)


def build_offline(client, languages: list[Language], progress: Progress, force: bool = False) -> list[str]:
    """Build every language's offline image that is missing or stale; returns the tags built."""
    wanted = recipes(languages)
    stale = {n: r for n, r in wanted.items()
             if force or images.image_labels(client, r.tag).get(RECIPE_LABEL) != r.digest}
    if not stale:
        progress("offline images are current")
        return []
    base = base_recipe()
    if force or images.image_labels(client, BASE_TAG).get(RECIPE_LABEL) != base.digest:
        rootfs = base_rootfs(progress)
        progress(f"importing {BASE_TAG}")
        images.import_rootfs(client, rootfs, BASE_TAG, [
            f"LABEL {RECIPE_LABEL}={base.digest}", "CMD [\"/bin/sh\"]"])
    built = []
    by_name = {lang.name: lang for lang in languages}
    for name, recipe in stale.items():
        if recipe.tag in built:  # languages that share an offline image build it once
            continue
        context = _context(by_name[name], recipe, progress)
        try:
            progress(f"building {recipe.tag}")
            with open(context, "rb") as stream:
                images.build(client, stream, recipe.tag, progress)
        finally:
            context.unlink(missing_ok=True)
        built.append(recipe.tag)
    return built
