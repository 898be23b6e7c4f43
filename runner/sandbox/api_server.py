"""The kit's slow API, for lessons that fetch data from a server: deterministic delays, no internet.

GET /delay?ms=300&name=oslo answers after 300 ms with {"name": "oslo", "ms": 300}; add &status=503
to answer with that status instead of 200. GET /flaky?key=k&ms=100 is a request that needs retries:
the first call with a key answers 503 after 100 ms, the second never answers (until the client gives
up and closes the connection), the third and later answer {"key": "k", "calls": n} after 100 ms.
It uses only Python's standard library and imports nothing from the kit, because it is copied alone
into a container. Run it with `python3 api_server.py --port 8080` (port 0 picks a free one); it prints `listening on <port>` once it
accepts connections.
"""
from __future__ import annotations

import argparse
import json
import select
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MAX_DELAY_MS = 10_000


class SlowApi(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real clients expect
    # Headers and body go out in two writes: with Nagle on, a reused connection waits for the
    # client's delayed ACK (about 40 ms a request) before sending the body.
    disable_nagle_algorithm = True
    flaky_calls: dict[str, int] = {}  # /flaky: calls so far, per key, for the server's lifetime
    flaky_lock = threading.Lock()  # each request runs on a thread of its own

    def do_GET(self) -> None:  # noqa: N802 - the name http.server asks for
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path == "/health":
            return self._answer(HTTPStatus.OK, {"ok": True})
        if url.path not in ("/delay", "/flaky"):
            return self._answer(HTTPStatus.NOT_FOUND, {"error": f"no such path {url.path}; try /delay?ms=300"})
        try:
            ms = int(query.get("ms", "0"))
            status = HTTPStatus(int(query.get("status", "200")))
        except ValueError:
            return self._answer(HTTPStatus.BAD_REQUEST, {"error": "ms and status take whole numbers"})
        if not 0 <= ms <= MAX_DELAY_MS:
            return self._answer(HTTPStatus.BAD_REQUEST, {"error": f"ms must be between 0 and {MAX_DELAY_MS}"})
        if url.path == "/flaky":
            return self._flaky(query.get("key", ""), ms)
        time.sleep(ms / 1000)
        self._answer(status, {"name": query.get("name", ""), "ms": ms})

    def _flaky(self, key: str, ms: int) -> None:
        """503, then no answer at all, then success: what a retrying client meets, in that order."""
        with self.flaky_lock:
            calls = self.flaky_calls[key] = self.flaky_calls.get(key, 0) + 1
        if calls == 2:
            # Hang: wait until the client gives up (its socket closes, so ours reads the end) or
            # MAX_DELAY_MS pass, then close without a word.
            select.select([self.connection], [], [], MAX_DELAY_MS / 1000)
            self.close_connection = True
            return
        time.sleep(ms / 1000)
        if calls == 1:
            return self._answer(HTTPStatus.SERVICE_UNAVAILABLE, {"error": "try again", "key": key})
        self._answer(HTTPStatus.OK, {"key": key, "calls": calls})

    def _answer(self, status: HTTPStatus, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        pass  # quiet: the lesson's output is what counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), SlowApi)
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
