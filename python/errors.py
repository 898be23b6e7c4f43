# Errors in Python: asyncio.gather raises the first exception at once and lets the
# other tasks run on; asyncio.TaskGroup cancels them and raises an ExceptionGroup.
import asyncio
import os
import time

STEPS = [("shipping", 0.6, "no courier"), ("stock", 0.4, None), ("card", 0.2, "card declined")]
# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
# "out-of-stock" the stock check fails first, after 0.2 s, and the card is charged after 0.4 s.
if os.environ.get("ROSETTA_SCENARIO") == "out-of-stock":
    STEPS = [("shipping", 0.6, "no courier"), ("stock", 0.2, "out of stock"), ("card", 0.4, None)]
start = time.perf_counter()


class StepFailed(Exception):
    pass


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


# part: step
async def step(name: str, seconds: float, failure: str | None) -> None:
    await asyncio.sleep(seconds)  # a cancelled sibling gets CancelledError here and stops
    if failure:
        log(f"{name}: failed: {failure}")
        raise StepFailed(failure)
    log(f"{name}: finished")
# end part


async def main() -> None:
    global start
    start = time.perf_counter()

    # part: let-the-others-run
    log("order 1: let the others run")
    tasks = []
    for name, seconds, failure in STEPS:
        log(f"{name}: started")
        tasks.append(asyncio.create_task(step(name, seconds, failure)))  # references: we wait for them below
    try:
        await asyncio.gather(*tasks)
    except StepFailed as error:  # raised at the first failure; nothing was cancelled
        log(f"order 1: failed: {error}")
    # cheat sheet: every-error
    # Gathering the same tasks again with return_exceptions=True waits for all and never raises.
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    log(f"order 1: every failure: {', '.join(str(o) for o in outcomes if isinstance(o, Exception))}")
    # end cheat sheet
    # end part

    # part: stop-the-others
    log("order 2: stop the others at the first failure")
    tasks = []
    try:
        async with asyncio.TaskGroup() as group:
            for name, seconds, failure in STEPS:
                log(f"{name}: started")
                tasks.append(group.create_task(step(name, seconds, failure)))
    except* StepFailed as failures:  # an ExceptionGroup, even for a single failure
        # The group cancelled the others and waited for them; they stopped at one instant.
        for (name, _, _), task in zip(STEPS, tasks):
            if task.cancelled():
                log(f"{name}: cancelled")
        log(f"order 2: failed: {', '.join(str(e) for e in failures.exceptions)}")
    # end part


asyncio.run(main())
