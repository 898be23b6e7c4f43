"""The connection to the Docker engine: a client, and a lost engine told as what the kit was doing."""
from __future__ import annotations

import ipaddress
import os
import re
from contextlib import contextmanager
from typing import Iterator

import docker
import docker.constants
import docker.errors
import requests.exceptions

from runner.sandbox.backend import BackendUnavailable


class EngineUnavailable(BackendUnavailable):
    """No Docker engine answers, or the one that did stopped answering. `headline`: where and why, in a few
    words ("no Docker engine answers at unix:///var/run/docker.sock (no such file)")."""

    def __init__(self, message: str, summary: str = "", headline: str = ""):
        super().__init__(message, summary)
        self.headline = headline or message


# A socket's failure as a person says it.
_PLAINLY = {"No such file or directory": "no such file", "Connection refused": "connection refused",
            "Permission denied": "permission denied"}


def engine_address() -> str:
    """Where the client looks for the engine: DOCKER_HOST, or the default socket."""
    return os.environ.get("DOCKER_HOST") or docker.constants.DEFAULT_UNIX_SOCKET.removeprefix("http+")


def connect() -> docker.DockerClient:
    """A client for the engine that DOCKER_HOST or the default socket names."""
    try:
        client = docker.from_env(timeout=120)
        client.ping()
        return client
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        # docker-py words the socket's error inside its own ("Error while fetching server API version: ..."):
        # the socket's is the one a person can act on.
        cause = exc.__cause__ or exc.__context__ or (exc if isinstance(exc, requests.exceptions.RequestException)
                                                     else None)
        reason = _PLAINLY.get(_reason(cause), _reason(cause)) if cause else str(exc)
        headline = f"no Docker engine answers at {engine_address()} ({reason})"
        todo = ("Let this user use it (on Linux: add it to the `docker` group, then log in again)"
                if reason == "permission denied" else
                "Start one (Linux, as root: `dockerd &`; or Docker Desktop), or set DOCKER_HOST to one that runs")
        raise EngineUnavailable(f"{headline}. {todo}; or use the host's own toolchains with `--backend local`.",
                                headline=headline) from None


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
