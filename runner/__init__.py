"""Async Rosetta: run the same async program in several languages and prove them equivalent."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class KitError(Exception):
    """An expected failure with a message that says what went wrong and what to do next."""


class EnvironmentProblem(KitError):
    """Something this machine lacks (an engine, an image, a toolchain), not a mistake in the input."""
