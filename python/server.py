# A server in Python: asyncio.start_server runs each connection's handler as a task on the one
# event loop. A handler that awaits (/slow) leaves the loop to the others; a handler that computes
# (/cpu) holds it, and the whole program with it, until it returns - unless a thread computes.
import asyncio
import time

SLOW, CPU, LATER = 0.6, 0.6, 0.2  # /slow awaits 0.6s, /cpu computes 0.6s, /fast is due 0.2s later
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


def crunch(seconds: float) -> None:
    """CPU-bound work that runs for a fixed time on the clock, so it lasts as long on any machine."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        pass


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    # The standard library has no async HTTP server: just enough HTTP/1.1 for a GET.
    request = await reader.readuntil(b"\r\n\r\n")  # b"GET /slow HTTP/1.1\r\nHost: ...\r\n\r\n"
    path, status = request.split(b" ", 2)[1].decode(), "200 OK"
    if path == "/slow":
        await asyncio.sleep(SLOW)  # waiting: the loop serves other connections meanwhile
    elif path == "/cpu":
        crunch(CPU)  # computing: until it returns the loop runs nothing else, not even a timer
    elif path == "/cpu-off-loop":
        await asyncio.to_thread(crunch, CPU)  # a thread computes while the loop waits for it
    elif path != "/fast":
        status = "404 Not Found"
    writer.write(f"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def get(port: int, path: str) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    response = await reader.read()  # Connection: close - the server ends the answer by closing
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
    await asyncio.sleep(LATER)  # a timer: it fires only when the loop is free to run it
    await get(port, "/fast")
    late = max(0.0, time.perf_counter() - due)  # a timer may fire a little early: never "-0.0s"
    log(f"fast: finished {late:.1f}s after it was due")


async def main() -> None:
    global start
    # Port 0: the OS chooses a free port. The client below runs on the same loop as the server.
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    # The clock starts once the server has answered a first request, as a load test does: the
    # first request pays one-off costs (Node loads its HTTP client, .NET compiles its code).
    await get(port, "/fast")
    start = time.perf_counter()
    log("server: listening on 127.0.0.1 (on a port the OS chose) and answering")
    async with server:  # closes the server at the end
        for number, other, path, what in ((1, "slow", "/slow", f"awaits {SLOW}s"),
                                         (2, "cpu", "/cpu", f"computes {CPU}s on the loop"),
                                         (3, "cpu", "/cpu-off-loop", f"computes {CPU}s off the loop")):
            log(f"{number}. {path} {what}; /fast is due {LATER}s after it")
            await asyncio.gather(request(port, other, path), fast(port))


asyncio.run(main())
