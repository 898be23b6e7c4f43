# The kitchen in Python: awaiting one coroutine after another is sequential;
# handing them all to asyncio.gather runs them concurrently on one event loop.
import asyncio
import time

STEPS = [("water", "boil", 0.6), ("vegetables", "chop", 0.3), ("sauce", "simmer", 0.4)]
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def cook(name: str, seconds: float) -> None:
    time.sleep(seconds)  # the steps take time
    log(f"{name}: finished")


async def main() -> None:
    global start
    start = time.perf_counter()

    log("sequential dinner")
    begin = time.perf_counter()
    for name, verb, seconds in STEPS:
        log(f"{name}: started ({verb}, {seconds}s)")
        await cook(name, seconds)  # nothing else happens until this step is done
    sequential = time.perf_counter() - begin
    log(f"sequential dinner ready after {sequential:.1f}s: the sum of the steps")

    log("concurrent dinner")
    begin = time.perf_counter()
    for name, verb, seconds in STEPS:
        log(f"{name}: started ({verb}, {seconds}s)")
    # cook(...) only creates coroutine objects; gather schedules them all, then waits for all.
    await asyncio.gather(*(cook(name, seconds) for name, _, seconds in STEPS))
    concurrent = time.perf_counter() - begin
    log(f"concurrent dinner ready after {concurrent:.1f}s: the longest step")
    log(f"cooking concurrently saved {sequential - concurrent:.1f}s")


asyncio.run(main())
