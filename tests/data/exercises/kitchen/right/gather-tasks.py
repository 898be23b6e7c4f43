# The kitchen with two tasks and gather: each task starts at once, gather waits for both.
import asyncio
import time

start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def step(name: str, verb: str, seconds: float) -> None:
    log(f"{name}: started ({verb}, {seconds}s)")
    await asyncio.sleep(seconds)  # a timer stands in for the waiting; the cook is free meanwhile
    log(f"{name}: finished")


async def make_sauce() -> None:
    await step("vegetables", "chop", 0.3)
    await step("sauce", "simmer", 0.4)  # the sauce needs the chopped vegetables


async def main() -> None:
    global start
    start = time.perf_counter()

    log("sequential dinner")
    begin = time.perf_counter()
    await step("water", "boil", 0.5)  # nothing else happens until the water boils
    await make_sauce()
    sequential = time.perf_counter() - begin
    log(f"sequential dinner ready after {sequential:.1f}s: the sum of the steps")

    log("concurrent dinner")
    begin = time.perf_counter()
    water = asyncio.create_task(step("water", "boil", 0.5))
    sauce = asyncio.create_task(make_sauce())
    await asyncio.gather(water, sauce)
    concurrent = time.perf_counter() - begin
    log(f"concurrent dinner ready after {concurrent:.1f}s: the longest chain, chop then simmer")
    log(f"cooking concurrently saved {sequential - concurrent:.1f}s")


asyncio.run(main())
