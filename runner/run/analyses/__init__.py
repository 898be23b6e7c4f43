"""The static rules that a regular expression cannot say, one module per language, each a table of
analyses by the name a registry entry's `analysis` gives them."""
from __future__ import annotations

# What an analysis found: per finding its line and the words for the rule's message ({1}, {2}, ...).
Found = list[tuple]


class Unavailable(Exception):
    """An analysis cannot run on this machine (its parser is missing): what is missing and what to do."""
