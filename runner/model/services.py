"""Services a lesson can ask for, such as the kit's slow API: what they are and how examples find them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from runner import ROOT


@dataclass(frozen=True)
class ServiceSpec:
    """A small server of the kit's own, written in Python's standard library, that a lesson talks to."""

    name: str
    script: Path  # a stand-alone Python file: it is copied alone into a container
    port: int  # where it listens inside its container
    env_var: str  # the variable that tells an example the service's base URL
    summary: str
    image_language: str = "python"  # Docker: the service runs in this language's image


@dataclass(frozen=True)
class RunningService:
    """A started service: the environment that points examples at it, and (Docker) the network mode
    that puts an example beside it."""

    spec: ServiceSpec
    url: str
    network: str | None = None  # e.g. "container:<the service's container>"

    @property
    def env(self) -> dict[str, str]:
        return {self.spec.env_var: self.url}


SERVICES = {
    "api": ServiceSpec("api", ROOT / "runner" / "sandbox" / "api_server.py", 8080, "API_URL",
                       "a slow HTTP API: GET /delay?ms=300 answers after 300 ms; /flaky needs retries"),
}
READY_PREFIX = "listening on "
START_TIMEOUT = 20.0
