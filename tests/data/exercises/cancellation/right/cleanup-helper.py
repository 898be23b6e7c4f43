# Cancellation in Python: the cleanup is a coroutine of its own, awaited in finally; the except
# lets CancelledError go on with a bare raise.
import asyncio
import os
import time

CHUNKS, CHUNK, STOP_AT = 5, 0.4, 1.0
# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
# "slow-cleanup" removing the partial file takes 0.6 s, so a cleanup that does not wait shows.
# Leave this as it is.
CLEANUP = 0.6 if os.environ.get("ROSETTA_SCENARIO") == "slow-cleanup" else 0.2
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def write_chunk(number: int) -> None:
    await asyncio.sleep(CHUNK)
    log(f"export: chunk {number} written")


async def export() -> None:
    chunk = 0
    try:
        for chunk in range(1, CHUNKS + 1):
            await write_chunk(chunk)
        log("export: finished")
    except asyncio.CancelledError:
        log(f"export: cancelled during chunk {chunk}")
        raise
    finally:
        await remove_partial_file()


async def remove_partial_file() -> None:
    await asyncio.sleep(CLEANUP)
    log("export: cleanup done, partial file removed")


async def main() -> None:
    global start
    start = time.perf_counter()
    log(f"export: started ({CHUNKS} chunks of {CHUNK}s)")
    task = asyncio.create_task(export())
    await asyncio.sleep(STOP_AT)
    log("main: stop the export")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log("main: the export was cancelled and cleaned up")
    else:
        log("main: the export finished")


asyncio.run(main())
