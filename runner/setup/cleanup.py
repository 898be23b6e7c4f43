"""`invoke clean`: what crashed runs left behind (containers, volumes) and, if asked, the build cache."""
from __future__ import annotations

from runner.sandbox import build_cache
from runner.sandbox.backend import Progress
from runner.sandbox.docker import connection, reaper


def clean(cache: bool, say: Progress) -> None:
    """Remove the leftovers of runs whose owner no longer runs (those of runs still going are spared)."""
    if cache:
        say(f"removed {build_cache.clear()} build(s) from the build cache ({build_cache.folder()})")
    try:
        client = connection.connect()
    except connection.EngineUnavailable:
        if cache:
            say("no Docker engine answers: no container or volume to look for")
            return
        raise
    removed = reaper.remove_leftovers(client, spare=reaper.owner_still_running)
    say(f"removed {len(removed['containers'])} container(s) and {len(removed['volumes'])} volume(s)")
