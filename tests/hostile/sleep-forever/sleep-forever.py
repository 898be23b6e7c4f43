# Waits for something that never comes, using no CPU at all.
import asyncio


async def main():
    print("[0.0s] waiting forever", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
