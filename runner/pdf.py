"""PDF from HTML with print CSS, through headless Chromium's print-to-PDF (Debian's `chromium`)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from runner import EnvironmentProblem, KitError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 180


def browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise EnvironmentProblem("PDF handouts are printed by headless Chromium, and none is installed: "
                             "`apt-get install chromium` (or run ./bootstrap); `--format html` needs nothing")


def html_to_pdf(html: str, out: Path) -> Path:
    """Print `html` to `out`, written whole or not at all."""
    command = browser()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="async-rosetta-pdf-") as tmp:
        source, printed = Path(tmp) / "handout.html", Path(tmp) / "handout.pdf"
        source.write_text(html, encoding="utf-8")
        flags = ["--headless", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp}/profile", f"--print-to-pdf={printed}"]
        if os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox on
        try:
            done = subprocess.run([command, *flags, source.as_uri()], capture_output=True, text=True,
                                  timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise KitError(f"Chromium did not print the PDF within {TIMEOUT}s") from None
        if done.returncode != 0 or not printed.is_file() or printed.stat().st_size == 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-10:])
            raise KitError(f"Chromium could not print the PDF (exit {done.returncode}):\n{tail}")
        try:
            shutil.move(printed, out.with_name(out.name + ".partial"))
            os.replace(out.with_name(out.name + ".partial"), out)
        except OSError as exc:
            raise KitError(f"cannot write {out}: {exc}") from None
    return out
