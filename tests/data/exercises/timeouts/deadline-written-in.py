# Wrong: the report's deadline is written in by hand (0.3), not DEADLINE: right only while they agree.
import asyncio
import os
import time

# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
# "slower" the work needs 0.9 s and the deadlines are 0.6 s, so that times written in by hand show.
NEEDS, DEADLINE = (0.9, 0.6) if os.environ.get("ROSETTA_SCENARIO") == "slower" else (0.5, 0.3)
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def work(name: str) -> None:
    try:
        await asyncio.sleep(NEEDS)
        log(f"{name}: finished")
    except asyncio.CancelledError:
        log(f"{name}: cancelled")
        raise  # swallowing CancelledError would break the timeout


async def main() -> None:
    global start
    start = time.perf_counter()

    log(f"report: started (needs {NEEDS}s, deadline {DEADLINE}s)")
    try:
        async with asyncio.timeout(0.3):  # wrong: the deadline written in by hand
            await work("report")
    except TimeoutError:  # the block's exit turned main's CancelledError into TimeoutError
        log("report: timeout, the work was stopped")

    log(f"backup: started (needs {NEEDS}s, deadline {DEADLINE}s)")
    backup = asyncio.create_task(work("backup"))  # keep a reference: the loop holds tasks weakly
    try:
        async with asyncio.timeout(DEADLINE):
            await asyncio.shield(backup)  # the timeout cancels the shield, not the task
    except TimeoutError:
        log("backup: timeout, stopped waiting but the work goes on")
    await backup
    log(f"done after {time.perf_counter() - start:.1f}s")


asyncio.run(main())
