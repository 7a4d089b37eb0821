"""The built website: time to first render of each chapter page, site size, external requests.

Needs the site in ``_build/html`` (``make book``; ``make bench`` builds it first). Each page is
loaded from a local HTTP server in Debian's headless Chromium, in a fresh browser context each
time (nothing cached), with every request to another host aborted and counted. The timings are
medians over ``REPEATS`` loads of first contentful paint (the first text or image on screen)
and of the load event (every script, style sheet, font and image fetched).
"""

from __future__ import annotations

import functools
import http.server
import statistics
import threading
from pathlib import Path
from urllib.parse import urlparse

from benchmarks.common import Row
from coursetools import course

SITE = course.ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPEATS = 5
FIRST_RENDER_GOAL_MS = 1000.0

TIMING = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return {fcp: fcp ? fcp.startTime : null, load: nav.loadEventEnd};
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def run() -> list[Row]:
    from playwright.sync_api import sync_playwright

    if not (SITE / "index.html").is_file():
        raise FileNotFoundError(f"{SITE} is not built: run `make book` first")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = [p.relative_to(course.ROOT).with_suffix(".html").as_posix() for p in course.toc_files()]
    decks = sorted(p.relative_to(SITE).as_posix() for p in (SITE / "slides").glob("*.html"))
    external: list[str] = []
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)

            def load(path: str) -> dict:
                context = browser.new_context(viewport={"width": 1280, "height": 900})

                def confine(route):
                    if urlparse(route.request.url).hostname not in {"127.0.0.1", "localhost", None}:
                        external.append(route.request.url)
                        route.abort()
                    else:
                        route.continue_()

                context.route("**/*", confine)
                page = context.new_page()
                page.goto(root + path, wait_until="load")
                timing = page.evaluate(TIMING)
                context.close()
                return timing

            for path in pages:
                load(path)  # warm the server and the OS file cache, not the browser
                runs = [load(path) for _ in range(REPEATS)]
                fcp = statistics.median(r["fcp"] for r in runs)
                done = statistics.median(r["load"] for r in runs)
                name = Path(path).stem
                rows.append(Row(f"site: {name} first contentful paint", fcp, "ms",
                                f"<= {FIRST_RENDER_GOAL_MS:.0f} ms", fcp <= FIRST_RENDER_GOAL_MS))
                rows.append(Row(f"site: {name} load event", done, "ms"))
            for path in decks:
                load(path)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    rows.append(Row("site: requests to other hosts (all pages and slides)", len(external), "",
                    "0", not external, "; ".join(sorted(set(external)))[:200]))
    rows.append(Row("site: total size of _build/html", _size_mib(SITE), "MiB"))
    rows.append(Row("site: of which third-party assets (_static/vendor)", _size_mib(SITE / "_static" / "vendor"), "MiB"))
    rows.append(Row("site: of which slides", _size_mib(SITE / "slides"), "MiB"))
    return rows
