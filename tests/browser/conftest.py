"""Fixtures of the browser tests: the built site, a local server, Chromium, page visits.

See ``browsing.py`` for what a visit records. Run after ``make book`` (``make test`` does both):
``pytest tests/browser -m browser``.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

import pytest
from browsing import (
    IMAGES,
    LOCAL_LINKS,
    MATH_STATE,
    SITE,
    WAIT_FOR_MATH,
    WIDGET_STATE,
    WIDGET_VIEWS,
    WIDGETS_RENDERED,
    Visit,
    exercise_explorers,
    open_page,
)

# -- serving the site -------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a page closed while a file was still streaming resets the connection: not an error
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"the website is not built ({SITE} has no index.html): run `make book` first")
    return SITE


@pytest.fixture(scope="session")
def http_root(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def roots(site, http_root) -> dict[str, str]:
    return {"http": http_root, "file": site.as_uri() + "/"}


# -- the browser ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def visits(browser, roots):
    """``visit(scheme, page) -> Visit``, each page opened once per scheme and remembered."""
    cache: dict[tuple[str, str], Visit] = {}

    def visit(scheme: str, page_path: str) -> Visit:
        key = (scheme, page_path)
        if key not in cache:
            url = roots[scheme] + page_path
            record = Visit(url)
            context, page = open_page(browser, url, record)
            try:
                page.goto(url, wait_until="load")
                record.timing = page.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0];"
                    " const p = performance.getEntriesByName('first-contentful-paint')[0];"
                    " return {load: n ? n.loadEventEnd : null, fcp: p ? p.startTime : null}; }")
                page.evaluate(WAIT_FOR_MATH)
                if page.locator(WIDGET_VIEWS).count():
                    try:
                        page.wait_for_function(WIDGETS_RENDERED, arg=WIDGET_VIEWS, timeout=20_000)
                    except Exception:  # the state below says which view did not render
                        pass
                record.math = page.evaluate(MATH_STATE)
                record.images = page.evaluate(IMAGES)
                record.widgets = page.evaluate(WIDGET_STATE, WIDGET_VIEWS)
                record.links = sorted(set(page.evaluate(LOCAL_LINKS)))
                record.explorers = exercise_explorers(page)
                page.wait_for_timeout(100)  # let late console messages arrive
            finally:
                context.close()
            cache[key] = record
        return cache[key]

    return visit


def pytest_sessionstart(session):
    """A fresh violations log per run (the controlling process only, before any worker starts)."""
    from layout import AXE_LOG

    if not hasattr(session.config, "workerinput"):
        AXE_LOG.unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter):
    """After the run: the accessibility violations axe-core found, per rule and impact."""
    from layout import axe_counts

    counts = axe_counts()
    if not counts:
        return
    terminalreporter.section("axe-core violations (pages x widths x modes with the rule; nodes)")
    for (impact, rule), (pages, nodes) in sorted(counts.items()):
        terminalreporter.write_line(f"{impact:9} {rule:32} {pages:4} page views {nodes:6} nodes")
