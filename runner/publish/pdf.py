"""PDF from HTML with print CSS, through headless Chromium's print-to-PDF (Debian's `chromium`).

Chromium is driven over its DevTools pipe (`--remote-debugging-pipe`: JSON messages on file descriptors 3
and 4, no port, no WebSocket library) and prints with `Page.printToPDF`. A handout is printed twice where
its contents need page numbers: the first print says on which page each lesson starts (its named
destinations, read with poppler's `pdfinfo -dests`), the second prints them. Chromium gives a print one
footer template for every page, so the footers, which name the lesson on each page, are printed as a
document of their own and laid over the pages with qpdf (`qpdf --overlay`).
"""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Callable

from runner import EnvironmentProblem, KitError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 180
FLAGS = ("--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--remote-debugging-pipe")
# Untagged: a tagged PDF of the booklet is six times the size (a structure element per source line) and
# slower to print, and a handout is for paper.
PRINT_OPTIONS = {"preferCSSPageSize": True, "printBackground": True, "generateTaggedPDF": False}
FOOTER_CSS = """@page { size: A4; margin: 0; } body { margin: 0; font: 7pt "DejaVu Sans", sans-serif; color: #333; }
.page { height: 296.9mm; position: relative; break-after: page; overflow: hidden; }
.page:last-child { break-after: auto; }
.footer { position: absolute; left: 10mm; right: 10mm; bottom: 5mm; display: flex; justify-content: space-between;
          border-top: .3pt solid #999; padding-top: 1mm; }"""


def browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise EnvironmentProblem("PDF handouts are printed by headless Chromium, and none is installed: "
                             "`apt-get install chromium` (or run ./bootstrap); `--format html` needs nothing")


def _tool(name: str, package: str, why: str) -> str:
    path = shutil.which(name)
    if not path:
        raise EnvironmentProblem(f"PDF handouts need {name} ({why}), and it is not installed: "
                                 f"`apt-get install {package}` (or run ./bootstrap); `--format html` needs nothing")
    return path


class Chromium:
    """A headless Chromium with one page, printing HTML to PDF over the DevTools pipe (a context manager)."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="async-rosetta-pdf-"))
        self._buffer, self._id, self._deadline = b"", 0, time.monotonic() + TIMEOUT
        ours_in, theirs_out = os.pipe()  # Chromium writes to its fd 4
        theirs_in, ours_out = os.pipe()  # and reads from its fd 3

        def descriptors():
            a, b = os.dup(theirs_in), os.dup(theirs_out)  # dup first: a pipe may already be on 3 or 4
            os.dup2(a, 3)
            os.dup2(b, 4)  # dup2 makes them inheritable; Python opens every other descriptor non-inheritable

        flags = [*FLAGS, f"--user-data-dir={self.folder / 'profile'}"]
        if os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox on
        self.process = subprocess.Popen([browser(), *flags, "about:blank"], preexec_fn=descriptors, close_fds=False,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(theirs_in), os.close(theirs_out)
        self._in, self._out = ours_in, ours_out
        try:
            target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self._call("Page.enable", session=True)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self._send("Browser.close")
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        for fd in (self._in, self._out):
            try:
                os.close(fd)
            except OSError:
                pass
        self.process.stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _send(self, method: str, params: dict | None = None, session: bool = False) -> int:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        return self._id

    def _receive(self) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > self._deadline:
                raise KitError(f"Chromium did not print the PDF within {TIMEOUT}s")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                tail = "\n".join(self.process.stderr.read().decode(errors="replace").strip().splitlines()[-10:])
                raise KitError(f"Chromium could not print the PDF (it stopped, exit {self.process.wait()}):\n{tail}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def _call(self, method: str, params: dict | None = None, session: bool = False) -> dict:
        sent = self._send(method, params, session)
        while True:
            message = self._receive()
            if message.get("id") == sent:
                if "error" in message:
                    raise KitError(f"Chromium could not print the PDF: {method}: {message['error'].get('message')}")
                return message["result"]

    def print(self, html: str) -> bytes:
        """`html` printed with its own @page size and margins, backgrounds (the timelines' patterns) included."""
        source = self.folder / "handout.html"
        source.write_text(html, encoding="utf-8")
        self._call("Page.navigate", {"url": source.as_uri()}, session=True)
        while self._receive().get("method") != "Page.loadEventFired":
            pass
        printed = self._call("Page.printToPDF", PRINT_OPTIONS, session=True)
        return base64.b64decode(printed["data"])


def named_pages(pdf: Path) -> dict[str, int]:
    """The page of each named destination (an element's id that a link points to): poppler's pdfinfo -dests."""
    done = subprocess.run([_tool("pdfinfo", "poppler-utils", "to find where each lesson starts"), "-dests", str(pdf)],
                          capture_output=True, text=True, timeout=60)
    found = {}
    for line in done.stdout.splitlines():
        match = re.match(r'\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$', line)
        if match:
            found[match.group(2)] = int(match.group(1))
    return found


def page_count(pdf: Path) -> int:
    done = subprocess.run([_tool("pdfinfo", "poppler-utils", "to count the pages"), str(pdf)], capture_output=True,
                          text=True, timeout=60)
    match = re.search(r"^Pages:\s+(\d+)", done.stdout, re.M)
    if not match:
        raise KitError(f"Chromium printed a PDF that pdfinfo cannot read: {done.stderr.strip()}")
    return int(match.group(1))


@dataclass(frozen=True)
class Part:
    """A part of a printed document: the anchor (element id) it starts at and what its footers call it."""

    anchor: str
    label: str


def footers_html(labels: list[str], document: str) -> str:
    """One A4 page per footer: the part's name on the left, the document and the page number on the right."""
    total = len(labels)
    pages = "".join(f'<div class="page"><div class="footer"><span>{escape(label)}</span>'
                    f'<span>{escape(document)} · page {n} of {total}</span></div></div>'
                    for n, label in enumerate(labels, start=1))
    return f'<!doctype html><html><head><meta charset="utf-8"><style>{FOOTER_CSS}</style></head><body>{pages}</body></html>'


def html_to_pdf(html: str | Callable[[dict[str, int]], str], out: Path, document: str,
                parts: list[Part] = (), front: str = "") -> Path:
    """Print to `out` (whole or not at all), each page with a footer naming its part and its number.

    `html` is the document, or a function of the page each part starts on (empty at first) that makes it:
    such a document is printed again with the pages filled in. `front` names the pages before the first part.
    """
    qpdf = _tool("qpdf", "qpdf", "to put a footer on every page")
    out.parent.mkdir(parents=True, exist_ok=True)
    with Chromium() as chromium:
        work = chromium.folder
        starts: dict[str, int] = {}
        for _ in range(3):  # filling in page numbers may move a page break; it settles at once in practice
            text = html(starts) if callable(html) else html
            (work / "body.pdf").write_bytes(chromium.print(text))
            found = named_pages(work / "body.pdf") if parts else {}
            found = {p.anchor: found[p.anchor] for p in parts if p.anchor in found}
            if not callable(html) or found == starts:
                break
            starts = found
        total = page_count(work / "body.pdf")
        labels = []
        for page in range(1, total + 1):
            current = [p.label for p in parts if found.get(p.anchor, total + 1) <= page]
            labels.append(current[-1] if current else front or document)
        (work / "footers.pdf").write_bytes(chromium.print(footers_html(labels, document)))
        partial = out.with_name(out.name + ".partial")
        done = subprocess.run([qpdf, str(work / "body.pdf"), "--overlay", str(work / "footers.pdf"), "--", str(partial)],
                              capture_output=True, text=True, timeout=120)
        if done.returncode not in (0, 3):  # 3: warnings, the file is written
            partial.unlink(missing_ok=True)
            raise KitError(f"qpdf could not put the footers on the pages (exit {done.returncode}): {done.stderr.strip()}")
        try:
            os.replace(partial, out)
        except OSError as exc:
            raise KitError(f"cannot write {out}: {exc}") from None
    return out
