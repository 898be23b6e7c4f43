# A server in Python: each connection's handler is a task on the event loop. A handler that
# awaits lets the others run; one that computes holds the loop, unless a thread computes.
import asyncio
import time

SLOW, CPU, LATER = 0.6, 0.6, 0.2  # /slow awaits, /cpu computes, /fast is due 0.2s later
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


def crunch(seconds: float) -> None:
    """CPU-bound work for a fixed time: as long on any machine."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        pass


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    # Just enough HTTP/1.1 for a GET (no async HTTP server in the standard library).
    request = await reader.readuntil(b"\r\n\r\n")  # b"GET /slow HTTP/1.1\r\n...\r\n\r\n"
    path, status = request.split(b" ", 2)[1].decode(), "200 OK"
    if path == "/slow":
        await asyncio.sleep(SLOW)  # waiting: the loop serves the others meanwhile
    elif path == "/cpu":
        crunch(CPU)  # computing: the loop runs nothing else, not even a timer
    elif path == "/cpu-off-loop":
        await asyncio.to_thread(crunch, CPU)  # a thread computes; the loop is free
    elif path != "/fast":
        status = "404 Not Found"
    writer.write(f"HTTP/1.1 {status}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def get(port: int, path: str) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    response = await reader.read()  # the server ends its answer by closing
    writer.close()
    await writer.wait_closed()
    if not response.startswith(b"HTTP/1.1 200 "):
        raise RuntimeError(f"GET {path}: {response.splitlines()[0].decode()}")


async def request(port: int, name: str, path: str) -> None:
    log(f"{name}: started")
    await get(port, path)
    log(f"{name}: finished")


async def fast(port: int) -> None:
    due = time.perf_counter() + LATER
    await asyncio.sleep(LATER)  # a timer: it fires only when the loop is free
    await get(port, "/fast")
    late = max(0.0, time.perf_counter() - due)  # a timer may fire a bit early
    log(f"fast: finished {late:.1f}s after it was due")


async def main() -> None:
    global start
    # Port 0: the OS chooses a free port. The client shares the loop with the server.
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    await get(port, "/fast")  # a first request pays one-off costs: the clock starts after it
    start = time.perf_counter()
    log("server: listening on 127.0.0.1 (on a port the OS chose) and answering")
    async with server:  # closes the server at the end
        for number, other, path, what in ((1, "slow", "/slow", f"awaits {SLOW}s"),
                                         (2, "cpu", "/cpu", f"computes {CPU}s on the loop"),
                                         (3, "cpu", "/cpu-off-loop", f"computes {CPU}s off the loop")):
            log(f"{number}. {path} {what}; /fast is due {LATER}s after it")
            await asyncio.gather(request(port, other, path), fast(port))


asyncio.run(main())
