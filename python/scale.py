# Ten thousand tasks in Python: each one is a coroutine wrapped in a Task on one event loop.
# No task holds a thread while it sleeps, so they all sleep at the same time.
import asyncio
import time

TASKS, NAP = 10_000, 0.5
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def nap(number: int) -> int:
    await asyncio.sleep(NAP)  # one entry in the loop's timer heap; the task is parked until then
    return number


async def main() -> None:
    global start
    start = time.perf_counter()
    log(f"{TASKS} tasks: started (each sleeps {NAP}s)")
    # create_task only schedules each task; their first steps run when main waits at the end of
    # the block. The group holds the references the loop does not (it keeps tasks weakly).
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(nap(n)) for n in range(TASKS)]
    answers = [task.result() for task in tasks]
    log(f"{len(answers)} tasks: finished")
    took = time.perf_counter() - start
    log(f"{TASKS} sleeps of {NAP}s overlapped: {took:.1f}s in all, not {TASKS * NAP:.1f}s")


asyncio.run(main())
