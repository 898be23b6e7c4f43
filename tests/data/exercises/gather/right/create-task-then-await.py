# Gather by hand: create every task first (each starts running), then await them one by one in
# the order asked. Awaiting a task that has already finished returns at once.
import asyncio
import os
import time

STATIONS = {"oslo": (0.3, -3), "lima": (0.1, 19), "cairo": (0.2, 31)}  # delay, temperature
# The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
# "oslo-first" Oslo answers first, after 0.1 s, then Cairo after 0.3 s, and Lima last, after 0.5 s.
# Leave this part as it is.
if os.environ.get("ROSETTA_SCENARIO") == "oslo-first":
    STATIONS = {"oslo": (0.1, -3), "lima": (0.5, 19), "cairo": (0.3, 31)}
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


async def temperature(station: str) -> int:
    delay, celsius = STATIONS[station]
    await asyncio.sleep(delay)
    log(f"{station}: finished ({celsius} C)")
    return celsius


async def main() -> None:
    global start
    start = time.perf_counter()
    log(f"asking {len(STATIONS)} weather stations at once")
    tasks = {}
    for station in STATIONS:
        log(f"{station}: started")
        tasks[station] = asyncio.create_task(temperature(station))
    results = [await task for task in tasks.values()]
    answers = ", ".join(f"{s} {c} C" for s, c in zip(STATIONS, results))
    log(f"results in the order asked: {answers}")
    total = time.perf_counter() - start
    everything = sum(delay for delay, _ in STATIONS.values())
    log(f"all {len(results)} answers after {total:.1f}s: the slowest station, not the sum {everything:.1f}s")


asyncio.run(main())
