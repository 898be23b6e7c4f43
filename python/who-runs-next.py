# Who runs next in Python: one thread and one event loop, which gets a turn only when a task
# suspends. Awaiting a coroutine that finishes without waiting does not suspend, so a timer that
# is already due waits until main really yields.
import asyncio
import time

AWAITS, STEP = 1000, 0.0002  # 1000 awaits of work that takes 0.2 ms and never waits: 0.2s in all
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def work(until: float) -> None:
    """CPU work with no await inside: awaiting it runs it like a plain call and never suspends."""
    while time.perf_counter() < until:
        pass


async def main() -> None:
    global start
    start = time.perf_counter()
    fired = asyncio.Event()

    def on_time() -> None:
        log(f"timer: fired {time.perf_counter() - due:.1f}s late")
        fired.set()

    log("main: sets a timer due at 0.0s")
    due = time.perf_counter()
    asyncio.get_running_loop().call_later(0, on_time)
    log(f"main: {AWAITS} awaits of work that never waits ({AWAITS * STEP:.1f}s of CPU in all)")
    for n in range(1, AWAITS + 1):
        await work(until=start + n * STEP)  # deadlines on the clock: 0.2s on any machine
    log(f"main: {AWAITS} awaits done; the timer {'has run' if fired.is_set() else 'has not run'}")
    log("main: one real yield")
    # sleep(0) suspends main and gives the loop a turn. The loop runs what is ready in the order it
    # became ready: main was queued at once, the due timer only when the loop next read the clock.
    await asyncio.sleep(0)
    log(f"main: back; the timer {'has run' if fired.is_set() else 'has not run yet'}")
    await fired.wait()  # a yield is not a wait: to be sure the timer has run, wait for it
    log("main: awaited the timer itself: it has run")


asyncio.run(main())
