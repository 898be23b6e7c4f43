"""The images on the engine: looked up, pulled, built, imported, saved and loaded, asked their version."""
from __future__ import annotations

import io
from pathlib import Path

import docker.errors
import requests.exceptions

from runner import EnvironmentProblem, KitError
from runner.sandbox.backend import Progress
from runner.sandbox.docker.connection import doing
from runner.sandbox.docker.labels import KIT_LABEL

NO_REGISTRY = ("Without a registry, build the images offline with `invoke images --offline`, or load "
               "them with `invoke images --load FILE`.")


class ImageMissing(EnvironmentProblem):
    pass


def image_missing(image: str) -> ImageMissing:
    return ImageMissing(f"the image {image} is not on this Docker engine: run `invoke images` (or, with no "
                        "registry, `invoke images --offline` or `invoke images --load FILE`)")


def image_id(client, tag: str) -> str | None:
    with doing(f"looking for the image {tag}"):
        try:
            return client.images.get(tag).id
        except docker.errors.ImageNotFound:
            return None


def image_labels(client, tag: str) -> dict[str, str]:
    try:
        return client.images.get(tag).labels or {}
    except docker.errors.ImageNotFound:
        return {}


def pull(client, image: str, progress: Progress) -> None:
    repo, _, tag = image.rpartition(":") if ":" in image.split("/")[-1] else (image, "", "latest")
    try:
        for event in client.api.pull(repo, tag=tag, stream=True, decode=True):
            if "error" in event:
                raise EnvironmentProblem(f"pulling {image} failed: {event['error']}. {NO_REGISTRY}")
            status = event.get("status", "")
            detail = event.get("progress", "")
            progress(f"{image}: {status} {detail}".strip())
    except (docker.errors.APIError, requests.exceptions.RequestException) as exc:
        raise EnvironmentProblem(f"cannot pull {image}: {exc}. {NO_REGISTRY}") from None


def import_rootfs(client, tar_path: Path, tag: str, changes: list[str]) -> None:
    repo, _, version = tag.rpartition(":")
    client.api.import_image(src=str(tar_path), repository=repo, tag=version, changes=changes)


def build(client, context: io.BufferedIOBase, tag: str, progress: Progress) -> None:
    """Build an image from a tar stream that holds a Dockerfile and what it copies."""
    try:
        for event in client.api.build(
            fileobj=context, custom_context=True, tag=tag, rm=True, forcerm=True, decode=True
        ):
            if "error" in event:
                raise KitError(f"building {tag} failed: {event['error'].strip()}")
            if event.get("stream", "").strip():
                progress(f"{tag}: {event['stream'].strip()}")
    except docker.errors.APIError as exc:
        raise KitError(f"building {tag} failed: {exc}") from None


def save_images(client, tags: list[str], path: Path, progress: Progress) -> None:
    """All the images in one archive, so that layers they share are stored once."""
    response = client.api._get(client.api._url("/images/get"), params={"names": tags}, stream=True)
    client.api._raise_for_status(response)
    written = 0
    with open(path, "wb") as out:
        for chunk in response.iter_content(chunk_size=1 << 20):
            out.write(chunk)
            written += len(chunk)
            progress(f"saving images: {written / 1e6:.0f} MB")


def load_images(client, path: Path, progress: Progress) -> None:
    progress(f"loading images from {path}")
    with open(path, "rb") as archive:
        client.api.load_image(archive)


def version_of(client, image: str, command: list[str], env: dict[str, str]) -> str:
    """What a runtime says its version is, run in a throw-away container."""
    with doing(f"asking {image} for its version"):
        output = client.containers.run(
            image, command, environment=env, network_mode="none", remove=True, user="1000:1000",
            labels={KIT_LABEL: "version"}, stdout=True, stderr=True,
        )
    return output.decode("utf-8", "replace").strip().splitlines()[-1]
