# At most N at a time in Python: the server takes two downloads at once, and to be safe this
# program takes them one at a time. Start all four at once, and let no more than two run.
import asyncio
import os
import time

LIMIT = 2
DOWNLOADS = {"cat.jpg": 0.4, "dog.jpg": 0.6, "owl.jpg": 0.4, "fox.jpg": 0.4}  # seconds each
start = time.perf_counter()
running = 0  # one event loop, one thread: a plain counter is safe between awaits
# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in "cat-fails"
# the server resets cat.jpg's connection after 0.1 s. Leave this part as it is.
FAILS = "cat.jpg" if os.environ.get("ROSETTA_SCENARIO") == "cat-fails" else None


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def transfer(name: str, seconds: float) -> None:
    """The download's work, as the server does it."""
    if name == FAILS:
        await asyncio.sleep(0.1)
        log(f"{name}: failed: connection reset")
        raise ConnectionResetError(f"{name}: connection reset")
    await asyncio.sleep(seconds)


async def download(name: str, seconds: float) -> None:
    global running
    queued = time.perf_counter()
    try:
        # TODO: at most LIMIT downloads may be past this point at once; the others wait here.
        running += 1
        log(f"{name}: started ({running} running, waited {time.perf_counter() - queued:.1f}s)")
        try:
            await transfer(name, seconds)
        finally:
            running -= 1
        log(f"{name}: finished")
    except ConnectionError:
        pass  # transfer() has reported it; the other downloads go on


async def main() -> None:
    global start
    start = time.perf_counter()
    log(f"{len(DOWNLOADS)} downloads, at most {LIMIT} at a time")
    # TODO: one at a time never breaks the limit, but it wastes the second place.
    for name, seconds in DOWNLOADS.items():
        await download(name, seconds)
    one_by_one, all_at_once = sum(DOWNLOADS.values()), max(DOWNLOADS.values())
    log(f"all done after {time.perf_counter() - start:.1f}s "
        f"(one at a time: {one_by_one:.1f}s, all at once: {all_at_once:.1f}s)")


asyncio.run(main())
