# Deadlines in Python: asyncio.wait_for cancels the report when time is up, waits until it
# has stopped, and raises TimeoutError.
import asyncio
import os
import time

# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
# "slower" the work needs 0.9 s and the deadlines are 0.6 s, so that times written in by hand show.
# Leave this as it is.
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
        raise


async def main() -> None:
    global start
    start = time.perf_counter()

    log(f"report: started (needs {NEEDS}s, deadline {DEADLINE}s)")
    try:
        await asyncio.wait_for(work("report"), DEADLINE)
    except TimeoutError:
        log("report: timeout, the work was stopped")

    log(f"backup: started (needs {NEEDS}s, deadline {DEADLINE}s)")
    backup = asyncio.create_task(work("backup"))
    done, pending = await asyncio.wait({backup}, timeout=DEADLINE)
    if pending:
        log("backup: timeout, stopped waiting but the work goes on")
    await backup
    log(f"done after {time.perf_counter() - start:.1f}s")


asyncio.run(main())
