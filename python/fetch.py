# Fetching in Python: the standard library has no async HTTP client, so get_json speaks
# just enough HTTP/1.1 over asyncio.open_connection. Awaiting one request after another
# takes the sum of the delays; asyncio.gather takes the slowest one.
# (asyncio.to_thread(urllib.request.urlopen, url) works too, but holds one of the default
# executor's min(32, cpus + 4) threads per request; aiohttp is the third-party async client.)
import asyncio
import json
import os
import time
from urllib.parse import urlsplit

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8080")
STATIONS = {"oslo": 500, "lima": 100, "cairo": 300}  # how long the API takes to answer, in ms
start = time.perf_counter()


class HTTPStatusError(Exception):
    """The server answered, but with an error status (what aiohttp calls ClientResponseError)."""


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def get_json(path: str) -> dict:
    url = urlsplit(API_URL)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {url.netloc}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        response = await reader.read()  # Connection: close - the server ends the answer by closing
    finally:
        writer.close()
        await writer.wait_closed()
    head, _, body = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])  # b"HTTP/1.1 503 Service Unavailable"
    if not 200 <= status < 300:
        raise HTTPStatusError(f"HTTP {status}")
    return json.loads(body)


# part: fetch-a-station
async def fetch_station(station: str, ms: int) -> None:
    answer = await get_json(f"/delay?ms={ms}&name={station}")
    log(f"{station}: finished (the API says it waited {answer['ms']} ms)")
# end part


async def main() -> None:
    global start
    # Warm-up: the first request pays one-off costs (Node loads its HTTP client, .NET compiles
    # HttpClient and the JSON code), so all three start the clock after it, as after start-up.
    await get_json("/delay?ms=0&name=warm-up")
    start = time.perf_counter()

    # part: one-after-another
    log("one after another")
    for station, ms in STATIONS.items():
        log(f"{station}: started (the API needs {ms / 1000:.1f}s)")
        await fetch_station(station, ms)  # the loop idles while we wait: nothing else was started
    sequential = time.perf_counter() - start
    log(f"one after another: {len(STATIONS)} answers after {sequential:.1f}s, the sum of the delays")
    # end part

    # part: all-at-once
    log("all at once")
    for station, ms in STATIONS.items():
        log(f"{station}: started (the API needs {ms / 1000:.1f}s)")
    # Calling fetch_station only makes a coroutine; gather wraps each in a task, which sends the request.
    await asyncio.gather(*(fetch_station(station, ms) for station, ms in STATIONS.items()))
    concurrent = time.perf_counter() - start - sequential
    log(f"all at once: {len(STATIONS)} answers after {concurrent:.1f}s, the slowest request")
    # end part

    # part: an-error-status
    log("berlin: started (the API answers 503 after 0.1s)")
    try:
        await get_json("/delay?ms=100&name=berlin&status=503")
    except HTTPStatusError as error:  # our own check in get_json; urllib would raise HTTPError
        log(f"berlin: failed: {error}")
    # end part
    log(f"done after {time.perf_counter() - start:.1f}s")


asyncio.run(main())
