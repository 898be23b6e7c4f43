"""Pages and handouts, rendered from fixed results and looked at in a real browser and a real PDF."""
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from runner import ROOT
from runner.render import render_handout, render_site
from tests.conftest import UNDER_CI, unavailable

DATA = Path(__file__).parent / "data"
RESULTS = DATA / "results"
GOLDEN = DATA / "golden" / "kitchen.md"
WIDTHS = (1280, 390)


@pytest.fixture
def results(tmp_path):
    """The fixed results, plus one whose output holds markup that must show as text."""
    folder = tmp_path / "results"
    shutil.copytree(RESULTS, folder)
    gather = json.loads((folder / "docker" / "kitchen.json").read_text())
    gather["lesson"], gather["title"] = "gather", "Gather the results"
    for run in gather["runs"]:
        run["stdout"] = "[0.0s] <script>document.title='pwned'</script> & <b>not bold</b>\n"
    (folder / "docker" / "gather.json").write_text(json.dumps(gather))
    return folder


@pytest.fixture
def site(tmp_path, results, registry, lessons):
    out = tmp_path / "site"
    render_site(lessons, registry, results, out)
    return out


def test_the_site_has_an_index_and_a_page_per_lesson(site, lessons):
    assert sorted(p.name for p in site.iterdir()) == sorted(["index.html", "style.css", *(f"{s}.html" for s in lessons)])
    index = (site / "index.html").read_text()
    assert all(f'href="{slug}.html"' in index for slug in lessons)
    assert "not run yet" in index and "equivalent" in index
    assert "http://" not in index.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere


def test_lesson_pages_show_code_output_timelines_and_escape_what_programs_print(site):
    kitchen = (site / "kitchen.html").read_text()
    assert kitchen.count('<figure class="timeline">') == 3 and 'class="bar bar-finished' in kitchen
    assert "asyncio.gather" in kitchen and "Promise.all" in kitchen and "Task.WhenAll" in kitchen
    assert "[1.9s] cooking concurrently saved 0.7s" in kitchen
    gather = (site / "gather.html").read_text()
    assert "<script>" not in gather and "&lt;script&gt;document.title=" in gather
    errors = (site / "errors.html").read_text()
    assert "Differs by design" in errors and "Task.WhenAll waits for every task" in errors
    timeouts = (site / "timeouts.html").read_text()
    assert 'class="mark mark-timeout"' in timeouts and 'class="bar bar-cancelled' in timeouts
    not_run = (site / "race.html").read_text()
    assert "Not run yet" in not_run and "invoke run-lesson race" in not_run


def test_the_markdown_handout_matches_the_golden_file(results, registry, lessons):
    text = render_handout([lessons["kitchen"]], registry, RESULTS, "md", booklet=False)
    if os.environ.get("UPDATE_GOLDEN") and text != GOLDEN.read_text():
        if UNDER_CI:  # CI compares; it never rewrites what it compares with
            pytest.fail(f"UPDATE_GOLDEN is set under CI and the Markdown handout differs from {GOLDEN.name}")
        GOLDEN.write_text(text)
        pytest.skip(f"UPDATE_GOLDEN: rewrote {GOLDEN.relative_to(ROOT)}; review `git diff`, then run the test "
                    "again without UPDATE_GOLDEN")
    assert text == GOLDEN.read_text(), "the Markdown handout changed: check it, then UPDATE_GOLDEN=1 invoke test"


def test_render_shows_dockers_results_where_there_are_some_else_the_local_ones(tmp_path):
    from runner import KitError
    from runner.pages import load_results

    folder = tmp_path / "results"
    shutil.copytree(RESULTS, folder)
    kitchen = json.loads((folder / "docker" / "kitchen.json").read_text())
    (folder / "local").mkdir()
    for slug in ("kitchen", "gather"):  # kitchen on both backends, gather only on the local one
        local = {**kitchen, "lesson": slug, "backend": "local",
                 "runs": [{**run, "backend": "local"} for run in kitchen["runs"]]}
        (folder / "local" / f"{slug}.json").write_text(json.dumps(local))
    auto = load_results(folder)
    assert (auto["kitchen"].backend, auto["gather"].backend) == ("docker", "local")
    assert {slug: report.backend for slug, report in load_results(folder, "local").items()} == {
        "kitchen": "local", "gather": "local"}
    assert "gather" not in load_results(folder, "docker") and load_results(folder, "docker")["kitchen"].backend == "docker"
    with pytest.raises(KitError, match="unknown backend 'podman': expected one of auto, docker, local"):
        load_results(folder, "podman")


def _invoke(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def test_serve_previews_the_site_on_loopback(site):
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "invoke", "serve", "--port", "0", "--dir", str(site)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line, line + proc.stderr.read()
        url = line.split()[-4] if False else line[line.index("http://"):].split()[0]
        with urllib.request.urlopen(url + "kitchen.html", timeout=10) as answer:
            assert answer.status == 200 and b"The kitchen" in answer.read()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    missing = _invoke("serve", "--dir", str(site / "nowhere"))
    assert missing.returncode == 2 and "invoke render" in missing.stderr


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven through chromedriver, with its console and network logs."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        unavailable("selenium is not installed (apt-get install python3-selenium)")
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        unavailable("Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def _look(driver, url: str, width: int) -> dict:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.get_log("browser"), driver.get_log("performance")  # forget what came before
    driver.get(url)
    failed = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    return {
        "console": [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")],
        "failed": [m["params"] for m in failed if m["method"] == "Network.loadingFailed"],
        "overflow": driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"),
        "title": driver.title,
    }


@pytest.mark.browser
def test_every_page_loads_cleanly_at_desktop_and_phone_widths(browser, site):
    for page in sorted(site.glob("*.html")):
        for width in WIDTHS:
            seen = _look(browser, page.as_uri(), width)
            assert seen["console"] == [], f"{page.name} at {width}px: {seen['console']}"
            assert seen["failed"] == [], f"{page.name} at {width}px: {seen['failed']}"
            assert seen["overflow"] <= 0, f"{page.name} at {width}px scrolls sideways by {seen['overflow']}px"
            assert seen["title"] != "pwned"


@pytest.mark.browser
def test_a_lesson_page_is_not_blank_at_either_width(browser, site, tmp_path):
    from PIL import Image

    for width in WIDTHS:
        _look(browser, (site / "timeouts.html").as_uri(), width)
        shot = tmp_path / f"timeouts-{width}.png"  # kept with the test's files, for a person to look at
        assert browser.save_screenshot(str(shot))
        image = Image.open(shot).convert("RGB")
        assert image.width == width
        colours = image.getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 50, f"{shot} looks blank ({len(colours)} colours)"
        background = max(colours)[0] / (image.width * image.height)
        assert background < 0.95, f"{shot} is {background:.0%} one colour"


@pytest.mark.browser
def test_the_booklet_is_a_real_pdf_with_every_lesson_on_at_most_two_pages(results, lessons, registry, tmp_path):
    if not shutil.which("pdfinfo"):
        unavailable("pdfinfo and pdftotext are not installed (apt-get install poppler-utils)")
    booklet = tmp_path / "booklet.pdf"
    done = _invoke("handout", "--all", "--format", "pdf", "--out", str(booklet), env={"INVOKE_ROSETTA_RESULTS": str(results)})
    assert done.returncode == 0, done.stderr
    info = subprocess.run(["pdfinfo", str(booklet)], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert "A4" in info or "595.2" in info
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(booklet), "-"],
                            capture_output=True, text=True).stdout for n in range(1, pages + 1)]
    assert "Async Rosetta" in texts[0] and "Contents" in texts[1]
    starts = {}
    for number, text in enumerate(texts[2:], start=3):
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        for slug, lesson in lessons.items():
            if first == lesson.title:
                starts[slug] = number
    assert list(starts) == list(lessons), "every lesson starts a page of its own, in course order"
    ends = [*list(starts.values())[1:], pages + 1]
    for (slug, start), end in zip(starts.items(), ends):
        assert end - start <= 2, f"{slug} takes {end - start} pages"
    whole = "\n".join(texts)
    for needle in ("asyncio.run(main())", "await Promise.all", "Task.WhenAll"):
        assert needle in whole
    assert 2 + len(lessons) <= pages <= 2 + 2 * len(lessons)


@pytest.mark.browser
def test_the_exercise_worksheet_prints_every_exercise(lessons, tmp_path):
    if not shutil.which("pdftotext"):
        unavailable("pdftotext is not installed (apt-get install poppler-utils)")
    with_exercise = [lesson for lesson in lessons.values() if lesson.exercise]
    sheet = tmp_path / "worksheet.pdf"
    done = _invoke("handout", "--exercises", "--format", "pdf", "--out", str(sheet))
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True).stdout
    for lesson in with_exercise:
        assert lesson.title in text and f"invoke exercise {lesson.slug}" in text
    assert text.count("Your prediction") == len(with_exercise)
    md = _invoke("handout", "--exercises", "--format", "md", "--out", str(tmp_path / "worksheet.md"))
    assert md.returncode == 0 and (tmp_path / "worksheet.md").read_text().count("### Your prediction") == len(with_exercise)


def test_handout_names_what_it_cannot_do():
    done = _invoke("handout", "kitchn", "--format", "md")
    assert done.returncode == 2 and "Did you mean 'kitchen'?" in done.stderr
    done = _invoke("handout", "kitchen", "--format", "docx")
    assert done.returncode == 2 and "pdf, html, md" in done.stderr
