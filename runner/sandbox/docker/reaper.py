"""The reaper: what the kit started on the engine and left behind (after a crash, say), found by its
labels and removed - except what belongs to a run still going."""
from __future__ import annotations

import os
import platform
from typing import Callable

from runner.sandbox.docker import pool
from runner.sandbox.docker.connection import doing
from runner.sandbox.docker.containers import listed, name_of, remove_id
from runner.sandbox.docker.labels import KIT_LABEL, OWNER_LABEL
from runner.sandbox.docker.volumes import remove_volume


def _filters(labels: dict[str, str] | None) -> dict:
    return {"label": [KIT_LABEL] + [f"{key}={value}" for key, value in (labels or {}).items()]}


def leftovers(client, labels: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Containers and volumes the kit started and did not remove (after a crash, say); only those with
    these labels, if given."""
    with doing("listing what the kit left behind"):
        return {
            "containers": [name_of(c) for c in listed(client, _filters(labels))],
            "volumes": [v["Name"] for v in client.api.volumes(filters=_filters(labels)).get("Volumes") or []],
        }


def remove_leftovers(client, labels: dict[str, str] | None = None,
                     spare: Callable[[dict[str, str]], bool] = lambda _: False) -> dict[str, list[str]]:
    """Remove what `leftovers` finds (a container first, then the volume it used), except what has labels
    that `spare` says belong to a run still going (a sandbox started ahead of time: its taker's, if taken; one
    that waits for a run is never left behind)."""
    removed = {"containers": [], "volumes": []}
    with doing("removing what the kit left behind"):
        for container in listed(client, _filters(labels)):
            if not pool.waits(container) and not spare({**(container.get("Labels") or {}), **pool.owner_of(container)}):
                remove_id(client, container["Id"])
                removed["containers"].append(name_of(container))
        for volume in client.api.volumes(filters=_filters(labels)).get("Volumes") or []:
            if not spare(volume.get("Labels") or {}) and remove_volume(client, volume["Name"]):
                removed["volumes"].append(volume["Name"])
    return removed


def owner_still_running(labels: dict[str, str]) -> bool:
    """Whether the process that owns a container or volume still runs on this machine: then it is not
    left behind but in use, and will be removed by its owner."""
    host, _, pid = labels.get(OWNER_LABEL, "").rpartition(":")
    if host != platform.node() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
