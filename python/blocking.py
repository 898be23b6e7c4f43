# Blocking in Python: a CPU-bound call inside a coroutine holds the event loop, so no other task
# runs until it returns; asyncio.to_thread moves it to a thread and the loop keeps ticking.
import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable

TICK, STEP = 0.1, 0.5  # the ticker should tick every 0.1s; the CPU step takes 0.5s
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


def crunch(seconds: float) -> None:
    """CPU-bound work that runs for a fixed time on the clock, so it lasts as long on any machine."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        pass


async def tick(ticks: list[float]) -> None:
    while True:
        await asyncio.sleep(TICK)
        ticks.append(time.perf_counter())


async def phase(number: int, title: str, step: Callable[[], Awaitable[None]]) -> None:
    log(f"{number}. {title}")
    ticks: list[float] = []
    ticker = asyncio.create_task(tick(ticks))  # keep a reference: the loop holds tasks weakly
    log(f"ticker: started (a tick every {TICK}s)")
    await asyncio.sleep(2 * TICK)
    log(f"crunch: started ({STEP}s of CPU)")
    began = time.perf_counter()
    await step()
    log("crunch: finished")
    await asyncio.sleep(2 * TICK)  # give a late tick the chance to arrive
    ticker.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await ticker
    log("ticker: finished")
    # The longest wait for a tick once the step began. Earlier ticks do not count, so a tick due
    # at the very moment the step starts cannot change the answer.
    times = [began] + [t for t in ticks if t > began]
    silent = max(later - earlier for earlier, later in zip(times, times[1:]))
    verdict = "the ticker froze" if silent > 3 * TICK else "the ticker kept ticking"
    log(f"{number}. longest time without a tick {silent:.1f}s: {verdict}")


async def on_the_loop() -> None:
    crunch(STEP)  # a plain call: until it returns, the loop can run nothing else


async def in_a_thread() -> None:
    # The loop waits on a future while a thread of the default executor runs the step. The GIL
    # still lets only one thread run Python bytecode at a time: this keeps the loop responsive but
    # makes a step written in Python no faster (a ProcessPoolExecutor would, at the price of
    # pickling and start-up).
    # cheat sheet: offload-blocking
    await asyncio.to_thread(crunch, STEP)
    # end cheat sheet


async def main() -> None:
    global start
    start = time.perf_counter()
    await phase(1, "CPU work called straight from async code", on_the_loop)
    await phase(2, "CPU work moved to another thread", in_a_thread)


asyncio.run(main())
