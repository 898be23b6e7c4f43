# Streams in Python: an async generator produces values as they arrive, `async for`
# consumes them. Breaking out early does NOT close the generator: wrap it in
# contextlib.aclosing so that its `finally` runs before the code after the loop.
import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator

EVERY, CLOSING, WARM = 0.2, 0.2, 22  # seconds between readings, seconds to disconnect, degrees C
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def sensor() -> AsyncGenerator[int, None]:
    log("sensor: started")  # runs at the first `async for` step, not when sensor() is called
    try:
        celsius = 18
        while True:  # an endless stream: the consumer decides when to stop
            await asyncio.sleep(EVERY)
            yield celsius
            celsius += 2
    finally:
        # aclose() raises GeneratorExit at the suspended `yield`; awaiting here is allowed, but a
        # `yield` would make aclose() raise RuntimeError.
        log(f"sensor: finally block runs, closing the connection ({CLOSING}s)")
        await asyncio.sleep(CLOSING)
        log("sensor: finished (connection closed)")


async def main() -> None:
    global start
    start = time.perf_counter()

    # Without aclosing, `break` leaves the generator suspended at its yield: its finally runs
    # only when the generator is garbage-collected (asyncio then schedules aclose() for later)
    # or when asyncio.run shuts down - long after the code below has moved on.
    # cheat sheet: async-iteration
    async with contextlib.aclosing(sensor()) as readings:
        log("stream created: no reading taken yet")
        count = 0
        async for celsius in readings:
            count += 1
            if celsius >= WARM:
                log(f"reading {count}: {celsius} C, warm enough: break")
                break
    # end cheat sheet
            log(f"reading {count}: {celsius} C")
    # Leaving the `async with` awaited readings.aclose(), so the cleanup is already done.
    log(f"after the loop: {count} readings, and the sensor is already closed")


asyncio.run(main())
