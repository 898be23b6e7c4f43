"""What a request to the classroom may be: its body's size and shape, and how often a learner may ask."""
from __future__ import annotations

import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

from starlette.requests import Request

MAX_BODY = 64 * 1024  # bytes of a request body, and so of a source: an exercise is a page of code


class ApiError(Exception):
    """A request the classroom refuses: its HTTP status and what to do, sent as {"error": message}."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


@dataclass(frozen=True)
class Rate:
    """At most `count` in any `seconds`."""

    count: int
    seconds: float
    what: str


REQUESTS = Rate(300, 60, "requests")  # a page polling every second uses 60 of them
CHECKS = Rate(12, 60, "checks")  # a check takes a few seconds, and one is in flight at a time
JOINS = Rate(60, 60, "joins from one address")  # a room's worth, then a flood


@dataclass
class Limits:
    """Sliding windows per learner (and per address for joining); a request past one is refused with 429."""

    seen: dict[tuple[str, object], deque] = field(default_factory=lambda: defaultdict(deque))

    def _take(self, rate: Rate, key: object) -> None:
        now, times = time.monotonic(), self.seen[(rate.what, key)]
        while times and times[0] <= now - rate.seconds:
            times.popleft()
        if len(times) >= rate.count:
            wait = max(1, int(times[0] + rate.seconds - now + 1))
            raise ApiError(429, f"too many {rate.what}: at most {rate.count} a minute; try again in {wait} s",
                           {"retry-after": str(wait)})
        times.append(now)

    def request(self, learner_id: int) -> None:
        self._take(REQUESTS, learner_id)

    def check(self, learner_id: int) -> None:
        self._take(CHECKS, learner_id)

    def join(self, address: str) -> None:
        self._take(JOINS, address)


async def read_json(request: Request) -> dict:
    """The request's body as a JSON object, at most MAX_BODY bytes, sent as application/json (which a form of
    another site cannot send without the browser asking first)."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise ApiError(415, "send the body as JSON, with `Content-Type: application/json`")
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise ApiError(413, f"the body is over {MAX_BODY // 1024} KB: an exercise is a page of code")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise ApiError(413, f"the body is over {MAX_BODY // 1024} KB: an exercise is a page of code")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object, e.g. {\"lesson\": \"gather\", ...}")
    return data


def text_field(body: dict, key: str, longest: int) -> str:
    """A string field of the body, at most `longest` characters."""
    value = body.get(key)
    if not isinstance(value, str):
        raise ApiError(400, f"the body needs {key!r} as a string" + (f", got {type(value).__name__}" if key in body else ""))
    if len(value) > longest:
        raise ApiError(413 if longest >= MAX_BODY else 400, f"{key!r} is over {longest} characters")
    return value
