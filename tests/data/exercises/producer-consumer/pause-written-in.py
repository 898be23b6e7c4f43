# Producer and consumer in Python, wrong: the shelf has no limit, and an oven that finds two loaves
# on it pauses for 0.2 s, the time loaf 4 waits in the lesson, instead of waiting for a free place.
import asyncio
import os
import time

LOAVES, SHELF, BAKE, PACK = 4, 2, 0.1, 0.5  # loaves, shelf places, seconds per loaf to bake / pack
# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
# "five-loaves" the oven bakes five loaves, and loaves 4 and 5 both find the shelf full.
# Leave this part as it is.
if os.environ.get("ROSETTA_SCENARIO") == "five-loaves":
    LOAVES = 5
DONE = None  # the sentinel that tells the packer the oven has finished
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def oven(shelf: asyncio.Queue) -> None:
    for loaf in range(1, LOAVES + 1):
        await asyncio.sleep(BAKE)
        if shelf.qsize() >= SHELF:
            log(f"loaf {loaf} baked, the shelf is full ({SHELF} loaves): the oven waits")
            waiting = time.perf_counter()
            await asyncio.sleep(0.2)  # the packer takes the next loaf 0.2 s later
            await shelf.put(loaf)
            log(f"loaf {loaf} on the shelf after waiting {time.perf_counter() - waiting:.1f}s")
        else:
            await shelf.put(loaf)
            log(f"loaf {loaf} on the shelf")
    log("oven: finished")
    await shelf.put(DONE)  # no more loaves: the packer stops when it takes this


async def packer(shelf: asyncio.Queue) -> None:
    while (loaf := await shelf.get()) is not DONE:
        await asyncio.sleep(PACK)
        log(f"packed loaf {loaf}")
    log("packer: finished")


async def main() -> None:
    global start
    start = time.perf_counter()
    shelf = asyncio.Queue()
    log(f"oven: started (a loaf every {BAKE}s)")
    log(f"packer: started (a loaf every {PACK}s)")
    await asyncio.gather(oven(shelf), packer(shelf))
    log(f"all {LOAVES} loaves packed after {time.perf_counter() - start:.1f}s")


asyncio.run(main())
