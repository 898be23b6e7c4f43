"""Times and memory as people read them: one wording for the terminal, the pages and the handouts."""
from __future__ import annotations

from runner.model.results import Timing


def seconds(ms: float | None, unit: str = " s") -> str:
    """Milliseconds as seconds to 0.01 s, "0.60 s" (the terminal's narrow columns: `unit` "s"); "-": unknown."""
    return "-" if ms is None else f"{ms / 1000:.2f}{unit}"


def spread(t: Timing, dash: str = "-") -> str:
    """The min-max of a timing's repeats in seconds, "0.55-0.65"; "" when every repeat took the same."""
    return "" if t.min == t.max else f"{t.min / 1000:.2f}{dash}{t.max / 1000:.2f}"


def timing(t: Timing | None) -> str:
    """A timing as text: its median, then its spread, "0.60 s (0.55-0.65)"; "-": unknown."""
    if t is None:
        return "-"
    return seconds(t.median) + (f" ({spread(t)})" if spread(t) else "")


def megabytes(t: Timing | None) -> str:
    """A memory figure's median in MB (2**20 bytes), "12 MB"; "-": unknown."""
    return "-" if t is None else f"{t.median / 2**20:.0f} MB"
