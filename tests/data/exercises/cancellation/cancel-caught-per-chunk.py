# A typical wrong solution: CancelledError caught around each chunk, so the loop goes on to the next one.
import asyncio
import time

CHUNKS, CHUNK, CLEANUP, STOP_AT = 5, 0.4, 0.2, 1.0
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
            try:
                await write_chunk(chunk)
            except asyncio.CancelledError:
                log(f"export: cancelled during chunk {chunk}")
        log("export: finished")
    finally:
        # Cleanup may await: cancel() raised once, and nothing cancels this await again.
        await asyncio.sleep(CLEANUP)
        log("export: cleanup done, partial file removed")


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
