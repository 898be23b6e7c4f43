# Fire and forget in Python: nobody hears of a task that fails while nobody awaits it, until the
# task object is freed: then asyncio reports "Task exception was never retrieved", and the program
# still exits 0. CPython frees a task nobody holds at once; a task kept in a list, only with the list.
import asyncio
import time

start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def save(seconds: float, fails: bool) -> None:
    await asyncio.sleep(seconds)
    if fails:
        raise OSError("disk full")


background: set[asyncio.Task] = set()  # strong references: the event loop holds tasks only weakly


# cheat sheet: fire-and-forget
def keep(name: str, coroutine) -> None:
    log(f"{name}: started")
    task = asyncio.create_task(coroutine, name=name)
    background.add(task)
    task.add_done_callback(observe)
# end cheat sheet


def observe(task: asyncio.Task) -> None:
    background.discard(task)
    if task.cancelled():
        log(f"{task.get_name()}: cancelled")
    elif error := task.exception():  # retrieving the exception is what marks it as seen
        log(f"{task.get_name()}: failed: {error}")
    else:
        log(f"{task.get_name()}: finished")


def unobserved(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """The loop's exception handler: asyncio calls it when a failed task nobody awaited is freed."""
    log(f"unobserved: {context['future'].get_name()} failed: {context['exception']}; asyncio said "
        f"\"{context['message']}\" when the task was freed")


async def main() -> None:
    global start
    start = time.perf_counter()
    # The default handler would print "Task exception was never retrieved" and a traceback to
    # stderr; this one says it in the program's own words, at the moment asyncio reports it.
    asyncio.get_running_loop().set_exception_handler(unobserved)

    log("wrong way: start report, keep no reference, never await it")
    log("report: started")
    asyncio.create_task(save(0.2, fails=True), name="report")  # the task is dropped at once
    # Kept in a list that nobody awaits, the same failure is reported only when the list lets go.
    log("kept report: started, kept in a list that nobody awaits")
    kept = [asyncio.create_task(save(0.2, fails=True), name="kept report")]
    await asyncio.sleep(0.6)  # main goes on; at 0.2s both reports fail, and nobody awaits them
    kept.clear()  # the last reference to the kept report goes: only now is it freed, and reported

    log("right way: keep a handle on each one and observe how it ends")
    begin = time.perf_counter()
    keep("report", save(0.2, fails=True))
    keep("backup", save(0.4, fails=False))
    # cheat sheet: fire-and-forget
    await asyncio.wait(background)  # before leaving, wait for whatever still runs
    # end cheat sheet
    log(f"right way: every outcome seen after {time.perf_counter() - begin:.1f}s")


asyncio.run(main())
