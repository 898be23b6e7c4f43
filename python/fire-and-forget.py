# Fire and forget in Python: a task that fails while nobody holds or awaits it fails in silence;
# asyncio reports it only when the task object is destroyed, and the program still exits 0.
import asyncio
import gc
import time

start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def save(seconds: float, fails: bool) -> None:
    await asyncio.sleep(seconds)
    if fails:
        raise OSError("disk full")


background: set[asyncio.Task] = set()  # strong references: the event loop holds tasks only weakly


def keep(name: str, coroutine) -> None:
    log(f"{name}: started")
    task = asyncio.create_task(coroutine, name=name)
    background.add(task)
    task.add_done_callback(observe)


def observe(task: asyncio.Task) -> None:
    background.discard(task)
    if task.cancelled():
        log(f"{task.get_name()}: cancelled")
    elif error := task.exception():  # retrieving the exception is what marks it as seen
        log(f"{task.get_name()}: failed: {error}")
    else:
        log(f"{task.get_name()}: finished")


async def main() -> None:
    global start
    start = time.perf_counter()
    # The default handler would print "Task exception was never retrieved" and a traceback to
    # stderr; this one keeps what it hears, so that the program can say it in its own words.
    heard = []
    asyncio.get_running_loop().set_exception_handler(lambda loop, context: heard.append(context))

    log("wrong way: start report, keep no reference, never await it")
    log("report: started")
    asyncio.create_task(save(0.2, fails=True))  # the task is dropped at once
    await asyncio.sleep(0.6)  # main goes on; at 0.2s the report fails and nobody is told
    gc.collect()  # CPython usually destroyed the task at once; this makes sure
    for context in heard:
        log(f"unobserved: report failed: {context['exception']}; asyncio said "
            f"\"{context['message']}\" when the task was destroyed")

    log("right way: keep a handle on each one and observe how it ends")
    begin = time.perf_counter()
    keep("report", save(0.2, fails=True))
    keep("backup", save(0.4, fails=False))
    await asyncio.wait(background)  # before leaving, wait for whatever still runs
    log(f"right way: every outcome seen after {time.perf_counter() - begin:.1f}s")


asyncio.run(main())
