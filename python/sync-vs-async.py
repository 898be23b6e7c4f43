# Sync vs async in Python: time.sleep blocks the one thread the event loop runs on, so the
# heartbeat task never gets a turn; asyncio.sleep hands the loop back while it waits.
import asyncio
import contextlib
import time

DOWNLOADS = [("weather", 0.2), ("news", 0.6), ("sports", 1.0)]  # name, seconds
BEAT = 0.4  # the heartbeat ticks every 0.4s, 0.2s away from every download
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


def download_blocking(name: str, seconds: float) -> None:
    time.sleep(seconds)  # holds the thread: the event loop cannot run anything else
    log(f"{name}: finished")


async def download(name: str, seconds: float) -> None:
    await asyncio.sleep(seconds)  # gives the thread back to the event loop while it waits
    log(f"{name}: finished")


async def heartbeat(phase: str) -> None:
    while True:
        await asyncio.sleep(BEAT)
        log(f"heartbeat: tick ({phase})")


async def stop(task: asyncio.Task) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task  # let the cancellation finish


async def main() -> None:
    global start
    start = time.perf_counter()

    log(f"blocking: {len(DOWNLOADS)} downloads one after the other, heartbeat every {BEAT}s")
    beat = asyncio.create_task(heartbeat("blocking"))  # scheduled, but it needs a turn to run
    begin = time.perf_counter()
    for name, seconds in DOWNLOADS:
        log(f"{name}: started")
        download_blocking(name, seconds)  # no await anywhere: main never yields
    log(f"blocking: done after {time.perf_counter() - begin:.1f}s, the sum of the downloads")
    await stop(beat)  # cancelled before it ever ran: the heartbeat printed nothing

    log(f"awaiting: {len(DOWNLOADS)} downloads at once, heartbeat every {BEAT}s")
    beat = asyncio.create_task(heartbeat("awaiting"))
    begin = time.perf_counter()
    for name, _ in DOWNLOADS:
        log(f"{name}: started")
    await asyncio.gather(*(download(name, seconds) for name, seconds in DOWNLOADS))
    log(f"awaiting: done after {time.perf_counter() - begin:.1f}s, the longest download")
    await stop(beat)


asyncio.run(main())
