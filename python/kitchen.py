# The kitchen in Python: awaiting one step after another is sequential; asyncio.gather lets the
# water boil while the vegetables are chopped and the sauce simmers. One cook, one thread: the
# steps overlap only because each of them waits.
import asyncio
import time

start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


# part: step
async def step(name: str, verb: str, seconds: float) -> None:
    log(f"{name}: started ({verb}, {seconds}s)")
    await asyncio.sleep(seconds)  # a timer stands in for the waiting; the cook is free meanwhile
    log(f"{name}: finished")
# end part


# part: sauce
async def make_sauce() -> None:
    await step("vegetables", "chop", 0.3)
    await step("sauce", "simmer", 0.4)  # the sauce needs the chopped vegetables
# end part


async def main() -> None:
    global start
    start = time.perf_counter()

    # part: sequential
    log("sequential dinner")
    begin = time.perf_counter()
    await step("water", "boil", 0.5)  # nothing else happens until the water boils
    await make_sauce()
    sequential = time.perf_counter() - begin
    log(f"sequential dinner ready after {sequential:.1f}s: the sum of the steps")
    # end part

    # part: concurrent
    log("concurrent dinner")
    begin = time.perf_counter()
    # step(...) and make_sauce() only create coroutine objects; gather schedules both, then waits.
    await asyncio.gather(step("water", "boil", 0.5), make_sauce())
    concurrent = time.perf_counter() - begin
    log(f"concurrent dinner ready after {concurrent:.1f}s: the longest chain, chop then simmer")
    # end part
    log(f"cooking concurrently saved {sequential - concurrent:.1f}s")


asyncio.run(main())
