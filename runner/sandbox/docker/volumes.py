"""A run's volumes: created, filled and read through containers never started, and removed."""
from __future__ import annotations

import uuid

import docker.errors
import requests.exceptions

from runner.sandbox.docker.archives import tar_files
from runner.sandbox.docker.connection import doing
from runner.sandbox.docker.containers import archive, listed, remove, remove_id, uninterrupted
from runner.sandbox.docker.images import image_missing

VOLUME_TRIES = 3  # a container of the run may be created on the volume while it is being removed


def create_volume(client, labels: dict[str, str]) -> str:
    with doing("creating a volume for an example"):
        return client.volumes.create(name=f"async-rosetta-{uuid.uuid4().hex[:12]}", labels=labels).name


def remove_volume(client, name: str) -> bool:
    """Remove a run's volume, and first any container still using it (after a failed removal, say).
    Whether it is gone: a volume that another thread of the run keeps taking into use (an abort while the
    run goes on) is left to that thread's own cleanup.

    Quiet when the engine has gone: the next call says so, and `invoke clean` removes it later."""
    with uninterrupted():
        for _ in range(VOLUME_TRIES):
            try:
                for container in listed(client, {"volume": name}):
                    remove_id(client, container["Id"])
                client.api.remove_volume(name, force=True)
                return True
            except (docker.errors.NotFound, requests.exceptions.ConnectionError):
                return True
            except docker.errors.APIError as exc:
                if exc.status_code != 409:  # 409: in use by a container created meanwhile
                    raise
        return False


def fill_volume(client, volume: str, image: str, files: dict[str, bytes], folders: tuple[str, ...],
                labels: dict[str, str]) -> None:
    """Copy files into a volume through a container that is created for it and never started, so that
    every container that runs a program can mount the volume read-only."""
    with doing("copying an example into its volume"):
        try:
            container = client.containers.create(image, ["true"], labels=labels, network_mode="none",
                                                 volumes={volume: {"bind": "/job", "mode": "rw"}})
        except docker.errors.ImageNotFound:
            raise image_missing(image) from None
        try:
            container.put_archive("/job", archive(files, folders))
        finally:
            remove(container)


def read_volume(client, volume: str, image: str, folder: str, labels: dict[str, str]) -> dict[str, bytes]:
    """The files under a folder of a volume (paths relative to it), through a container never started."""
    with doing("copying a build out of its volume"):
        container = client.containers.create(image, ["true"], labels=labels, network_mode="none",
                                             volumes={volume: {"bind": "/job", "mode": "ro"}})
        try:
            stream, _ = container.get_archive(f"/job/{folder}")
            data = b"".join(stream)
        finally:
            remove(container)
    return tar_files(data, under_top_folder=True)
