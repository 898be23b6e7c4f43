# Starting in Python: calling an async function only creates a coroutine object. Its body runs
# when the coroutine is awaited, or - once wrapped in a task - when the creator next suspends.
import asyncio
import time

start = time.perf_counter()
in_stock = {"tea": True, "milk": True, "coffee": False}


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def brew(drink: str, seconds: float) -> None:
    log(f"order: {drink}: body starts")
    if not in_stock[drink]:
        raise LookupError(f"out of {drink}")  # raised inside the coroutine, never by the call
    await asyncio.sleep(seconds)
    log(f"{drink}: finished")


async def main() -> None:
    global start
    start = time.perf_counter()

    log("1. call brew(tea), then await it")
    tea = brew("tea", 0.3)
    log("order: main: the call returned a coroutine")
    log("order: main: awaits tea")
    await tea  # the body starts only now

    log("2. start brew(milk) without awaiting it, await it 0.1s later")
    # cheat sheet: start-a-task
    milk = asyncio.create_task(brew("milk", 0.2))  # scheduled, not started
    # end cheat sheet
    log("order: main: create_task returned a task")
    log("order: main: waits 0.1s for something else")
    # cheat sheet: start-a-task
    await asyncio.sleep(0.1)  # main suspends: the loop gives the milk task its first turn
    await milk
    # end cheat sheet

    log("3. call brew(coffee), which fails before its first await")
    coffee = brew("coffee", 0.1)
    log("order: main: the call returned, no exception yet")
    try:
        await coffee
    except LookupError as error:
        log(f"coffee: failed: {error}")


asyncio.run(main())
