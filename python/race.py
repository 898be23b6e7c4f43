# A race in Python: asyncio.wait(..., return_when=FIRST_COMPLETED) hands back the winner
# and the tasks still pending. Those losers keep running until you cancel them.
import asyncio
import time

MIRRORS = {"eu": 0.2, "us": 0.4, "asia": 0.6}  # how long each mirror takes to answer
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def download(mirror: str, seconds: float) -> str:
    await asyncio.sleep(seconds)  # cancel() raises CancelledError here, and the task ends cancelled
    log(f"{mirror}: finished")
    return mirror


async def race(number: int, cancel_losers: bool) -> None:
    began = time.perf_counter()
    log(f"race {number}: " + ("cancel the losers" if cancel_losers else "leave the losers alone"))
    tasks = []
    for mirror, seconds in MIRRORS.items():
        log(f"{mirror}: started")
        tasks.append(asyncio.create_task(download(mirror, seconds)))
    # wait() never raises and returns two sets; a task that failed would count as done too.
    # cheat sheet: first-to-finish
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    log(f"race {number}: {done.pop().result()} won")  # result() re-raises if the winner failed
    if cancel_losers:
        for task in pending:
            task.cancel()
    # end cheat sheet
    await asyncio.wait(pending)  # only to show what the losers do: nothing else waits for them
    for mirror, task in zip(MIRRORS, tasks):  # the losers stop at one instant: report them in order
        if task.cancelled():
            log(f"{mirror}: cancelled")
    log(f"race {number}: all downloads over after {time.perf_counter() - began:.1f}s")


async def main() -> None:
    global start
    start = time.perf_counter()
    await race(1, cancel_losers=False)
    await race(2, cancel_losers=True)


asyncio.run(main())
