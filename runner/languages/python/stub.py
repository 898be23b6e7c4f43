# LESSON_TITLE in Python: a stub that runs; replace it with the lesson's example.
import asyncio
import time

start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def step(name: str, seconds: float) -> None:
    log(f"{name}: started")
    await asyncio.sleep(seconds)
    log(f"{name}: finished")


async def main() -> None:
    global start
    start = time.perf_counter()  # time stamps count from the top of main
    await step("LESSON_SLUG", 0.2)


asyncio.run(main())
