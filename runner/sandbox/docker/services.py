"""A kit's service (a lesson's HTTP server, say) in a container with loopback only, started and removed."""
from __future__ import annotations

import time
import uuid

import docker.errors
import requests.exceptions

from runner import KitError
from runner.sandbox.docker.connection import doing
from runner.sandbox.docker.containers import SERVICE_CPU_SHARES, uninterrupted
from runner.sandbox.docker.images import image_missing


def start_service(client, image: str, script: bytes, port: int, labels: dict[str, str], ready: str,
                  wait: float) -> str:
    """Start a kit's service in a container with no network but loopback; returns its name.

    Examples reach it by joining its network namespace (`network_mode="container:<name>"`): they see
    the service on 127.0.0.1 and nothing else - no route to the host, other containers or the internet.
    """
    name = f"async-rosetta-service-{uuid.uuid4().hex[:12]}"
    with doing("starting the kit's service"):
        return _start_service(client, name, image, script, port, labels, ready, wait)


def _start_service(client, name: str, image: str, script: bytes, port: int, labels: dict[str, str],
                   ready: str, wait: float) -> str:
    try:
        # The script travels as the command's argument: no file to copy into a read-only container.
        container = client.containers.create(
            image, ["python3", "-u", "-c", script.decode("utf-8"), "--host", "127.0.0.1", "--port", str(port)],
            name=name, user="1000:1000", labels=labels, network_mode="none", read_only=True,
            tmpfs={"/tmp": "rw,nosuid,size=16m"}, cap_drop=["ALL"], security_opt=["no-new-privileges"],
            mem_limit="128m", pids_limit=64, environment={"HOME": "/tmp"}, cpu_shares=SERVICE_CPU_SHARES,
        )
        container.start()
        deadline = time.monotonic() + wait
        while ready not in container.logs().decode("utf-8", "replace"):
            container.reload()
            if container.status != "running" or time.monotonic() > deadline:
                tail = container.logs(tail=20).decode("utf-8", "replace").strip()
                raise KitError(f"the kit's service did not start within {wait:g}s "
                               f"(state {container.status}): {tail or 'no output'}")
            time.sleep(0.05)
    except docker.errors.ImageNotFound:
        stop_service(client, name)
        raise image_missing(image) from None
    except BaseException:
        stop_service(client, name)
        raise
    return name


def stop_service(client, name: str) -> None:
    with uninterrupted():
        try:
            client.containers.get(name).remove(force=True)
        except (docker.errors.NotFound, requests.exceptions.ConnectionError):
            pass
