# Debugging and testing async code in Python.
import asyncio
import selectors
import time
import traceback

start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def price_or_timeout(answer) -> str:
    """The code under test: the price, or "timeout" after 10 s."""
    try:
        async with asyncio.timeout(10):
            return await answer
    except TimeoutError:
        return "timeout"


class JumpingClock(selectors.DefaultSelector):
    """The loop's selector and clock: where the loop would sleep
    until its next timer, the clock jumps there instead."""

    now = 0.0

    def select(self, timeout=None):
        if timeout is None:  # no timer at all: wait for I/O
            return super().select()
        ready = super().select(0)  # I/O ready now, no waiting
        if not ready:
            self.now += timeout
        return ready


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """asyncio.sleep, timeout and call_later all read time()."""

    def __init__(self) -> None:
        self.clock = JumpingClock()
        super().__init__(self.clock)

    def time(self) -> float:
        return self.clock.now


async def test_price_times_out() -> None:
    loop, real = asyncio.get_running_loop(), time.perf_counter()
    never = loop.create_future()  # a server that never answers
    assert await price_or_timeout(never) == "timeout"
    log(f"1. passed: timeout after {loop.time():.1f}s of virtual "
        f"time, {time.perf_counter() - real:.1f}s of real time")


async def fetch_row(row: int) -> str:
    await asyncio.sleep(0.1)  # the call stack unwinds here
    raise LookupError(f"row {row} not found")


def find_row(row: int):
    return fetch_row(row)  # not async: hands it on and is gone


async def load_customer(row: int) -> str:
    return await find_row(row)


async def handle_order(row: int) -> str:
    return await load_customer(row)


async def main() -> None:
    log("2. a query fails three awaits deep")
    try:
        await handle_order(7)
    except LookupError as error:
        tb = traceback.extract_tb(error.__traceback__)
        names = [frame.name for frame in tb]  # no files, no lines
        log(f"trace, outermost first: {', '.join(names)}")
        log(f'2. caught "{error}"; {len(names)} of 5 levels traced')


log("1. test: a 10s deadline, a silent server")
log("virtual time: a loop of the test's own that jumps to timers")
# Each test gets a loop of its own (as pytest-asyncio gives it):
with asyncio.Runner(loop_factory=VirtualTimeLoop) as runner:
    runner.run(test_price_times_out())
asyncio.run(main())
