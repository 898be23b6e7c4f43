# Parallelism in Python: two CPU-bound steps in two processes, each with its own interpreter and
# GIL, run side by side on two cores; on two threads (asyncio.to_thread) they take turns, because
# the GIL lets one thread at a time run Python code.
import asyncio
import math
import time
from concurrent.futures import ProcessPoolExecutor

STEP = 0.5  # one step: as many numbers as one thread can test for primes in 0.5s
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


def is_prime(n: int) -> bool:
    return n > 1 and all(n % d for d in range(2, math.isqrt(n) + 1))


def test_numbers(below: float, until: float = math.inf) -> int:
    """CPU-bound work: test 2, 3, 4, ... for primes, up to `below` or until the clock passes
    `until`. Returns the first number it did not test."""
    n = 2
    while n < below and time.perf_counter() < until:
        is_prime(n)
        n += 1
    return n


def finished(began: float) -> str:
    # Compared with one step and rounded: a little load stretches the time, not 1 step into 2.
    steps = round((time.perf_counter() - began) / STEP)
    verdict = "in parallel" if steps == 1 else "one at a time"
    return f"finished in about the time of {steps} step{'s' * (steps != 1)}: {verdict}"


async def main() -> None:
    global start
    start = time.perf_counter()
    log(f"1. one step: started (one thread tests numbers for primes for {STEP}s)")
    below = await asyncio.to_thread(test_numbers, math.inf, time.perf_counter() + STEP)
    log("1. one step: finished")

    log("2. two such steps: started, at once, off the main thread")
    began = time.perf_counter()
    # Each worker process has its own interpreter and its own GIL. Arguments and results are
    # pickled, so the function must be importable: defined at the top level of the module.
    with ProcessPoolExecutor(max_workers=2) as pool:
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(pool, test_numbers, below) for _ in range(2)))
    log(f"2. two such steps: {finished(began)}")

    log("3. the same on two threads: started, with asyncio.to_thread")
    began = time.perf_counter()
    # Both threads want to run all along, but only the one holding the GIL runs; they swap every 5ms.
    await asyncio.gather(asyncio.to_thread(test_numbers, below), asyncio.to_thread(test_numbers, below))
    log(f"3. the same on two threads: {finished(began)}")


if __name__ == "__main__":  # a worker process may import this file: it must not run main() again
    asyncio.run(main())
