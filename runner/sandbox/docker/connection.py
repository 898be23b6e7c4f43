"""The connection to the Docker engine: a client, and a lost engine told as what the kit was doing."""
from __future__ import annotations

import ipaddress
import re
from contextlib import contextmanager
from typing import Iterator

import docker
import docker.errors
import requests.exceptions

from runner.sandbox.backend import BackendUnavailable


class EngineUnavailable(BackendUnavailable):
    """No Docker engine answers, or the one that did stopped answering."""


def connect() -> docker.DockerClient:
    """A client for the engine that DOCKER_HOST or the default socket names."""
    try:
        client = docker.from_env(timeout=120)
        client.ping()
        return client
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise EngineUnavailable(
            f"no Docker engine answers ({exc}). Start one (Linux, as root: `dockerd &`; or Docker "
            "Desktop), or use the host's own toolchains with `--backend local`."
        ) from None


def _reason(exc: BaseException) -> str:
    """The root of a connection failure in a few words, e.g. 'Connection refused'."""
    if isinstance(exc, requests.exceptions.Timeout):
        return "it did not answer in time"
    stack = [exc]
    while stack:  # requests wraps urllib3's errors, which wrap the socket's
        item = stack.pop()
        if isinstance(item, OSError) and item.strerror:
            return item.strerror
        inner = (*getattr(item, "args", ()), getattr(item, "reason", None))
        stack += [cause for cause in inner if isinstance(cause, BaseException)]
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(exc))
    return found.group(1) if found else exc.__class__.__name__


def engine_lost(doing: str, exc: BaseException) -> EngineUnavailable:
    return EngineUnavailable(
        f"the Docker engine stopped answering while {doing} ({_reason(exc)}). Start it again (Linux, as "
        "root: `dockerd &`; or Docker Desktop) and run again, or use the host's own toolchains with "
        "`--backend local`. Containers and volumes it had started may remain: once it answers, "
        "`invoke clean` removes them.",
        summary="not run: the Docker engine stopped answering")


@contextmanager
def doing(what: str) -> Iterator[None]:
    """Turn a lost connection to the engine into EngineUnavailable, saying what the kit was doing."""
    try:
        yield
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
        raise engine_lost(what, exc) from None


def engine_version(client) -> str:
    return client.version().get("Version", "?")


def bridge_gateway(client) -> str | None:
    """This machine's address on the engine's default bridge: where a container with a network finds it."""
    with doing("looking at the bridge network"):
        try:
            configs = client.networks.get("bridge").attrs.get("IPAM", {}).get("Config") or []
        except docker.errors.NotFound:
            return None
    for config in configs:
        if config.get("Gateway"):
            return config["Gateway"]
        if config.get("Subnet"):  # the engine gives its bridge the subnet's first address
            return str(next(ipaddress.ip_network(config["Subnet"]).hosts()))
    return None
