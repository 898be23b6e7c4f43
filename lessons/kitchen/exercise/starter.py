# The kitchen in Python: the sequential dinner is right; the concurrent dinner is not
# concurrent yet. Make it ready after the longest chain of steps, not after the sum of the steps.
import asyncio
import os
import time

# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
# "slow-water" the water boils for 0.9 s, longer than chopping then simmering (0.3 + 0.4 s).
# Leave this part as it is.
SLOW_WATER = os.environ.get("ROSETTA_SCENARIO") == "slow-water"
BOIL = 0.9 if SLOW_WATER else 0.5  # seconds the water takes to boil
LONGEST_CHAIN = "boil" if SLOW_WATER else "chop then simmer"  # the chain of steps that takes longest
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
    await step("water", "boil", BOIL)  # nothing else happens until the water boils
    await make_sauce()
    sequential = time.perf_counter() - begin
    log(f"sequential dinner ready after {sequential:.1f}s: the sum of the steps")

    log("concurrent dinner")
    begin = time.perf_counter()
    # TODO: the water needs nothing, so it can boil while the sauce is made: this dinner should be
    # ready after its longest chain of steps (chop, then simmer; in "slow-water", the water), not
    # after the sum of the steps.
    water = step("water", "boil", BOIL)
    sauce = make_sauce()
    await water
    await sauce
    concurrent = time.perf_counter() - begin
    log(f"concurrent dinner ready after {concurrent:.1f}s: the longest chain, {LONGEST_CHAIN}")
    log(f"cooking concurrently saved {sequential - concurrent:.1f}s")


asyncio.run(main())
