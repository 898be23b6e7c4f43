# Errors: asyncio.wait(FIRST_EXCEPTION) returns when a task fails; the pending ones are
# cancelled, and waited for, before the failure is reported.
import asyncio
import os
import time

STEPS = [("shipping", 0.6, "no courier"), ("stock", 0.4, None), ("card", 0.2, "card declined")]
# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
# "out-of-stock" the stock check fails first, after 0.2 s, and the card is charged after 0.4 s.
# Leave this part as it is.
if os.environ.get("ROSETTA_SCENARIO") == "out-of-stock":
    STEPS = [("shipping", 0.6, "no courier"), ("stock", 0.2, "out of stock"), ("card", 0.4, None)]
start = time.perf_counter()


class StepFailed(Exception):
    pass


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def step(name: str, seconds: float, failure: str | None) -> None:
    await asyncio.sleep(seconds)  # a cancelled sibling gets CancelledError here and stops
    if failure:
        log(f"{name}: failed: {failure}")
        raise StepFailed(failure)
    log(f"{name}: finished")


async def main() -> None:
    global start
    start = time.perf_counter()

    log("order 1: let the others run")
    tasks = []
    for name, seconds, failure in STEPS:
        log(f"{name}: started")
        tasks.append(asyncio.create_task(step(name, seconds, failure)))  # references: we wait for them below
    try:
        await asyncio.gather(*tasks)
    except StepFailed as error:  # raised at the first failure; nothing was cancelled
        log(f"order 1: failed: {error}")
    # Gathering the same tasks again with return_exceptions=True waits for all and never raises.
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    log(f"order 1: every failure: {', '.join(str(o) for o in outcomes if isinstance(o, Exception))}")

    log("order 2: stop the others at the first failure")
    tasks = []
    for name, seconds, failure in STEPS:
        log(f"{name}: started")
        tasks.append(asyncio.create_task(step(name, seconds, failure)))
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)
    failed = [task for task in done if task.exception() is not None]
    if failed:
        error = failed[0].exception()
        for (name, _, _), task in zip(STEPS, tasks):
            if task.cancelled():
                log(f"{name}: cancelled")
        log(f"order 2: failed: {error}")  # no step outlives its order


asyncio.run(main())
