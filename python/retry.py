# Retry in Python: a deadline per try (asyncio.timeout, nested in the task), a growing pause
# between tries, and task.cancel() from outside stops it all - also in the middle of a pause.
import asyncio
import json
import os
import time
import uuid
from urllib.parse import urlsplit

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8080")
TRIES, PER_TRY, BACKOFF, CANCEL_AFTER = 3, 0.4, 0.3, 1.1  # back-off: 0.3s, then 0.6s
# In the scenario "early-cancel" (ROSETTA_SCENARIO), the
# user cancels during try 2.
if os.environ.get("ROSETTA_SCENARIO") == "early-cancel":
    CANCEL_AFTER = 0.6
start = time.perf_counter()


class HTTPStatusError(Exception):
    """The server answered, but with an error status."""


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def get_json(path: str) -> dict:
    url = urlsplit(API_URL)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {url.netloc}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        response = await reader.read()  # until the server closes
    finally:
        writer.close()  # after a timeout too: the server sees it
        await writer.wait_closed()
    head, _, body = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])  # b"HTTP/1.1 503 Service Unavailable"
    if not 200 <= status < 300:
        raise HTTPStatusError(f"HTTP {status}")
    return json.loads(body)


async def get_forecast() -> dict:
    # One key for all tries: the server can tell a retry from a new request.
    path = f"/flaky?key={uuid.uuid4().hex}&ms=100"
    for attempt in range(1, TRIES + 1):
        log(f"try {attempt}: started")
        try:
            # TimeoutError here; a cancel() from outside stays CancelledError
            async with asyncio.timeout(PER_TRY):
                answer = await get_json(path)
            log(f"try {attempt}: finished")
            return answer
        except TimeoutError:
            problem = f"timeout after {PER_TRY}s"
        except HTTPStatusError as error:  # a 503 (a 404 deserves no retry)
            problem = str(error)
        if attempt < TRIES:
            delay = BACKOFF * 2 ** (attempt - 1)
            log(f"try {attempt}: failed: {problem}, next try in {delay}s")
            try:
                await asyncio.sleep(delay)
            except asyncio.CancelledError:
                log("retry: cancelled during the back-off")
                raise  # swallowed, it would start the next try
    raise RuntimeError(f"no answer in {TRIES} tries, the last one: {problem}")


async def main() -> None:
    global start
    await get_json("/health")  # a first request pays one-off costs: the clock starts after it
    start = time.perf_counter()

    log(f"1. a forecast: up to {TRIES} tries of at most {PER_TRY}s, {BACKOFF}s apart, then {2 * BACKOFF}s")
    answer = await get_forecast()
    log(f"1. the forecast, after the API counted {answer['calls']} calls with this request's key")

    log(f"2. the same again, and the user cancels after {CANCEL_AFTER}s")
    task = asyncio.create_task(get_forecast())  # keep a reference to it
    await asyncio.sleep(CANCEL_AFTER)
    log("user: cancel")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log("2. no forecast: the user cancelled it")


asyncio.run(main())
