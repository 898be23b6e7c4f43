"""Async Rosetta: run the same async program in several languages and prove them equivalent."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class KitError(Exception):
    """An expected failure with a message that says what went wrong and what to do next."""


class EnvironmentProblem(KitError):
    """Something this machine lacks (an engine, an image, a toolchain), not a mistake in the input."""


class ProblemList(KitError):
    """Every problem found in one input (a file, the markers of the examples), named at once; nothing was written."""

    what = "the input"  # "the cheat sheet": in the first line of the message
    hint = ""  # how to get it right, after the problems

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in {self.what} - nothing was written:\n  " + "\n  ".join(problems)
                         + (f"\n{self.hint}" if self.hint else ""))
