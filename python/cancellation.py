# Cancellation in Python: task.cancel() raises CancelledError inside the task at the
# await where it is suspended - no token is passed down. finally runs and may await.
import asyncio
import os
import time

CHUNKS, CHUNK, STOP_AT = 5, 0.4, 1.0
# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
# "slow-cleanup" removing the partial file takes 0.6 s, so a cleanup that does not wait shows.
CLEANUP = 0.6 if os.environ.get("ROSETTA_SCENARIO") == "slow-cleanup" else 0.2
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def write_chunk(number: int) -> None:
    await asyncio.sleep(CHUNK)  # cancel() lands here, however deep the call chain
    log(f"export: chunk {number} written")


async def export() -> None:
    chunk = 0
    try:
        for chunk in range(1, CHUNKS + 1):
            await write_chunk(chunk)  # no check needed: cancel() lands wherever the task is suspended
        log("export: finished")
    except asyncio.CancelledError:  # a BaseException: `except Exception` would not catch it
        log(f"export: cancelled during chunk {chunk}")
        raise  # swallowing it would tell the caller the export finished
    # cheat sheet: cleanup-on-cancel
    finally:
        # Cleanup may await: cancel() raised once, and nothing cancels this await again.
        await asyncio.sleep(CLEANUP)
        log("export: cleanup done, partial file removed")
    # end cheat sheet


async def main() -> None:
    global start
    start = time.perf_counter()
    log(f"export: started ({CHUNKS} chunks of {CHUNK}s)")
    # cheat sheet: cancel
    task = asyncio.create_task(export())
    # end cheat sheet
    await asyncio.sleep(STOP_AT)
    log("main: stop the export")
    # cheat sheet: cancel
    task.cancel()  # only a request: it takes effect when the task next runs
    try:
        await task  # waits for the cleanup in finally, then raises CancelledError here
    except asyncio.CancelledError:
        log("main: the export was cancelled and cleaned up")
    # end cheat sheet


asyncio.run(main())
