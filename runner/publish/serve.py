"""A local preview of the rendered site on 127.0.0.1, with the standard library's HTTP server."""
from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from runner import KitError


def serve_site(folder: Path, port: int) -> None:
    if not (folder / "index.html").is_file():
        raise KitError(f"no site in {folder}: run `invoke render` first")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise KitError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}): choose another with --port") from None
    with server:
        print(f"serving {folder} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops it)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped")
