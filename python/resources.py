# Resources in Python: an AsyncExitStack closes every connection entered into it, last opened
# first, and awaits each close before an error raised inside it goes on to the caller.
import asyncio
import os
import time
from contextlib import AsyncExitStack

STEP = 0.1  # opening, a query and closing take 0.1s each
start = time.perf_counter()
# The checker also runs this program in the scenario (ROSETTA_SCENARIO) "search-fails-to-open":
# opening search fails, and closing takes 0.3 s.
SEARCH_FAILS = os.environ.get("ROSETTA_SCENARIO") == "search-fails-to-open"
CLOSING = 0.3 if SEARCH_FAILS else STEP  # seconds a close takes


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


class Connection:
    """A simulated connection: entering it opens it, leaving it closes it, however the block ends."""

    def __init__(self, name: str, query_fails: bool = False, close_fails: bool = False) -> None:
        self.name, self.query_fails, self.close_fails = name, query_fails, close_fails

    async def __aenter__(self) -> "Connection":
        log(f"{self.name}: started opening")
        await asyncio.sleep(STEP)
        if SEARCH_FAILS and self.name == "search":  # then __aexit__ is never called: nothing was opened to close
            log(f"{self.name}: opening failed: connection reset")
            raise ConnectionResetError("connection reset")
        log(f"{self.name}: open")
        return self

    async def __aexit__(self, *exc_info) -> None:  # returns None, so an exception on its way out goes on
        await asyncio.sleep(CLOSING)
        if self.close_fails:
            log(f"{self.name}: closing failed: socket gone")
            raise OSError("socket gone")
        log(f"{self.name}: finished closing")

    async def query(self) -> None:
        await asyncio.sleep(STEP)
        if self.query_fails:
            log(f"{self.name}: query failed: connection reset")
            raise ConnectionResetError("connection reset")
        log(f"{self.name}: query answered")


async def main() -> None:
    global start
    start = time.perf_counter()

    log("1. open db, cache and search; the query on cache fails")
    try:
        # cheat sheet: async-cleanup
        async with AsyncExitStack() as stack:  # one block instead of three nested `async with`
            db = await stack.enter_async_context(Connection("db"))
            cache = await stack.enter_async_context(Connection("cache", query_fails=True))
            # end cheat sheet
            search = await stack.enter_async_context(Connection("search"))
            await db.query()
            await cache.query()
            await search.query()  # never runs
    except ConnectionResetError as error:  # raised only after every close has been awaited
        log(f'1. caught "{error}" after every connection had closed')

    log("2. open mail; its query fails, and then its closing fails too")
    try:
        async with Connection("mail", query_fails=True, close_fails=True) as mail:
            await mail.query()
    except OSError as error:
        # The close's error replaced the query's, which Python keeps as its __context__.
        log(f'2. caught "{error}"; the query\'s "{error.__context__}" is kept as its __context__')


asyncio.run(main())
