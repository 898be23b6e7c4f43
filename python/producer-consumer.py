# Producer and consumer in Python: asyncio.Queue(maxsize) is a bounded buffer. put()
# waits while it is full, so a fast producer is held back to the pace of a slow consumer.
import asyncio
import os
import time

LOAVES, SHELF, BAKE, PACK = 4, 2, 0.1, 0.5  # loaves, shelf places, seconds per loaf to bake / pack
# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
# "five-loaves" the oven bakes five loaves, and loaves 4 and 5 both find the shelf full.
if os.environ.get("ROSETTA_SCENARIO") == "five-loaves":
    LOAVES = 5
DONE = None  # the sentinel that tells the packer the oven has finished
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def oven(shelf: asyncio.Queue) -> None:
    for loaf in range(1, LOAVES + 1):
        await asyncio.sleep(BAKE)
        if shelf.full():  # only to show the back-pressure: put() alone would wait just the same
            log(f"loaf {loaf} baked, the shelf is full ({SHELF} loaves): the oven waits")
            waiting = time.perf_counter()
            # cheat sheet: bounded-queue
            await shelf.put(loaf)
            # end cheat sheet
            log(f"loaf {loaf} on the shelf after waiting {time.perf_counter() - waiting:.1f}s")
        else:
            await shelf.put(loaf)  # room on the shelf: returns without suspending
            log(f"loaf {loaf} on the shelf")
    log("oven: finished")
    # Before 3.13 a queue cannot be closed, so a sentinel marks the end. It needs a free place
    # like any item, so this put waits (silently) until the packer takes the next loaf.
    # Python 3.13+: shelf.shutdown(), and the packer's get() raises QueueShutDown when empty.
    await shelf.put(DONE)


async def packer(shelf: asyncio.Queue) -> None:
    # cheat sheet: bounded-queue
    while (loaf := await shelf.get()) is not DONE:
    # end cheat sheet
        await asyncio.sleep(PACK)
        log(f"packed loaf {loaf}")
    log("packer: finished")


async def main() -> None:
    global start
    start = time.perf_counter()
    # cheat sheet: bounded-queue
    shelf = asyncio.Queue(maxsize=SHELF)  # maxsize=0 (the default) would be unbounded
    # end cheat sheet
    log(f"oven: started (a loaf every {BAKE}s)")
    log(f"packer: started (a loaf every {PACK}s)")
    await asyncio.gather(oven(shelf), packer(shelf))
    log(f"all {LOAVES} loaves packed after {time.perf_counter() - start:.1f}s")


asyncio.run(main())
