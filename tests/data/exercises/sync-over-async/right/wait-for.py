# Sync over async in Python: step 2 awaits fetch() with asyncio.wait_for, a deadline of a second
# instead of a blocking wait: main is suspended, and the loop is free to run fetch().
import asyncio
import os
import time

# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
# "click-while-waiting" the answer takes 0.4 s, and at 0.7 s a click needs the loop's thread.
# Leave this part, and the click in main, as they are.
CLICK = os.environ.get("ROSETTA_SCENARIO") == "click-while-waiting"
DELAY = 0.4 if CLICK else 0.2  # seconds until the answer
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def fetch() -> int:
    await asyncio.sleep(DELAY)  # stands for I/O: only the event loop can wake it up
    return 42


def fetch_blocking(loop: asyncio.AbstractEventLoop, timeout: float) -> int:
    """Sync code that needs an async answer: hands fetch() to the loop and blocks until it is done."""
    future = asyncio.run_coroutine_threadsafe(fetch(), loop)  # meant to be called from another thread
    try:
        return future.result(timeout)  # blocks this thread - here, the loop's own
    except TimeoutError:
        future.cancel()  # fetch() never started: starting it, too, needed the loop
        raise


async def main() -> None:
    global start
    start = time.perf_counter()
    if CLICK:  # the scenario's click: it runs when the loop's thread is free
        asyncio.get_running_loop().call_later(0.7, log, "a click, handled on the same thread")

    log("1. block until the answer is there")
    began = time.perf_counter()
    try:
        fetch_blocking(asyncio.get_running_loop(), timeout=0.5)
    except TimeoutError:
        log(f"stuck after {time.perf_counter() - began:.1f}s: the answer needs the thread that is waiting for it")

    log("2. await the answer")
    began = time.perf_counter()
    answer = await asyncio.wait_for(fetch(), timeout=1.0)
    log(f"answer {answer} after {time.perf_counter() - began:.1f}s")


asyncio.run(main())
