"""Choosing a backend: Docker when an engine answers, else the host's own toolchains."""
from __future__ import annotations

from runner import EnvironmentProblem, KitError
from runner.model.languages import Language, bare_version
from runner.sandbox.backend import Backend, Progress
from runner.sandbox.local import LocalBackend

CHOICES = ("auto", "docker", "local")


def choose(name: str, warn: Progress, languages: list[Language] = ()) -> Backend:
    """The backend named; `auto` warns (through `warn`) when it falls back to the local one, naming the
    toolchains it found for `languages`."""
    if name not in CHOICES:
        raise KitError(f"unknown backend {name!r}: expected one of {', '.join(CHOICES)}")
    if name == "local":
        return LocalBackend()
    from runner.sandbox.docker import connection
    from runner.sandbox.docker.backend import DockerBackend

    try:
        return DockerBackend(connection.connect())
    except connection.EngineUnavailable as exc:
        if name == "docker":
            raise
        local = LocalBackend()
        warn(f"{exc.headline}, so the examples run on this machine's own toolchains (trusted code only): "
             f"{found_toolchains(local, languages)}. To run them in Docker, start an engine (Linux, as root: "
             "`dockerd &`; or Docker Desktop), or set DOCKER_HOST to one that runs.")
        return local


def ready(name: str, languages: list[Language], warn: Progress, progress: Progress) -> Backend:
    """The backend named, checked once: an EnvironmentProblem says what keeps these languages from running."""
    backend = choose(name, warn, languages)
    problems = backend.problems(languages, progress)
    if problems:
        raise EnvironmentProblem("\n".join(problems))
    return backend


def found_toolchains(local: LocalBackend, languages: list[Language]) -> str:
    found = []
    for language in languages:
        version = local.runtime_version(language) if not local.problems([language], lambda _: None) else None
        found.append(f"{language.title} {bare_version(version)}" if version else f"{language.title} missing")
    return ", ".join(found)
