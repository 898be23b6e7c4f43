# Resources in Python: three connections, and the query on the second one fails. Every connection
# must be closed - last opened first, each close awaited - before the error is reported.
import asyncio
import os
import time

STEP = 0.1  # opening, a query and closing take 0.1s each
start = time.perf_counter()
# The checker also runs this program in the scenario (ROSETTA_SCENARIO) "search-fails-to-open":
# opening search fails, and closing takes 0.3 s. Leave this part as it is.
SEARCH_FAILS = os.environ.get("ROSETTA_SCENARIO") == "search-fails-to-open"
CLOSING = 0.3 if SEARCH_FAILS else STEP  # seconds a close takes


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


class Connection:
    """A simulated connection: open() and aclose(), or `async with`, which does both."""

    def __init__(self, name: str, query_fails: bool = False, close_fails: bool = False) -> None:
        self.name, self.query_fails, self.close_fails = name, query_fails, close_fails

    async def open(self) -> "Connection":
        log(f"{self.name}: started opening")
        await asyncio.sleep(STEP)
        if SEARCH_FAILS and self.name == "search":
            log(f"{self.name}: opening failed: connection reset")
            raise ConnectionResetError("connection reset")
        log(f"{self.name}: open")
        return self

    async def aclose(self) -> None:
        await asyncio.sleep(CLOSING)
        if self.close_fails:
            log(f"{self.name}: closing failed: socket gone")
            raise OSError("socket gone")
        log(f"{self.name}: finished closing")

    async def __aenter__(self) -> "Connection":
        return await self.open()

    async def __aexit__(self, *exc_info) -> None:  # returns None, so an exception on its way out goes on
        await self.aclose()

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
    opened = []
    try:
        for name in ("db", "cache", "search"):
            opened.append(await Connection(name, query_fails=name == "cache").open())
        db, cache, search = opened
        await db.query()
        await cache.query()
        await search.query()  # never runs
    except ConnectionResetError as error:
        log(f'1. caught "{error}" after every connection had closed')
    finally:
        for connection in opened:
            await connection.aclose()

    log("2. open mail; its query fails, and then its closing fails too")
    try:
        async with Connection("mail", query_fails=True, close_fails=True) as mail:
            await mail.query()
    except OSError as error:
        # The close's error replaced the query's, which Python keeps as its __context__.
        log(f'2. caught "{error}"; the query\'s "{error.__context__}" is kept as its __context__')


asyncio.run(main())
