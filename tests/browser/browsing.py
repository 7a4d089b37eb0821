"""What the browser tests know about the built website (``_build/html``) and how they look at it.

The tests drive Debian's headless Chromium (``/usr/bin/chromium``, never a downloaded browser)
with Playwright. Every page is opened once per way of serving the site, over
``http://127.0.0.1`` (a local server started by the fixtures) and over ``file://``, with every
request to another host aborted and recorded. What the page did is kept in a :class:`Visit`
(console errors, failed and external requests, the state of the math, images, widgets and
explorers); the tests assert on it, one test per property, so a failure names the page, the
scheme and what went wrong.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from coursetools.course import ROOT

#: The built site (another build can be checked with DGLAB_SITE=/path/to/html).
SITE = Path(os.environ.get("DGLAB_SITE", ROOT / "_build" / "html"))
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SCHEMES = ["http", "file"]
#: Folders of the site that hold assets, not pages.
NOT_PAGES = {"_static", "_sources", "_images", "_downloads", "slides"}


def site_pages() -> list[str]:
    """Every HTML page of the built site (relative paths), redirects excluded."""
    if not SITE.is_dir():
        return []
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        relative = path.relative_to(SITE)
        if relative.parts[0] in NOT_PAGES or 'http-equiv="Refresh"' in path.read_text(encoding="utf-8")[:2000]:
            continue
        pages.append(relative.as_posix())
    return pages


def slide_decks() -> list[str]:
    return sorted(p.relative_to(SITE).as_posix() for p in (SITE / "slides").glob("*.html")) if SITE.is_dir() else []


@dataclass
class Visit:
    """What happened while a page was open."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    images: list[dict] = field(default_factory=list)
    widgets: list[dict] = field(default_factory=list)
    explorers: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    timing: dict = field(default_factory=dict)


def open_page(browser, url: str, visit: Visit, *, viewport=(1280, 900), color_scheme="light"):
    """A new page in a fresh context, network confined to the site, events recorded in ``visit``."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  color_scheme=color_scheme)

    def confine(route):
        parsed = urlparse(route.request.url)
        if parsed.scheme in {"http", "https", "ws", "wss"} and parsed.hostname not in LOCAL_HOSTS:
            visit.external_requests.append(route.request.url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    context.route("**/*", confine)
    page = context.new_page()
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.console_errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: visit.failed_requests.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: visit.failed_requests.append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400 else None)
    return context, page


WAIT_FOR_MATH = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
}"""

MATH_STATE = r"""() => {
  const math = Array.from(document.querySelectorAll('.math'));
  const skip = 'script,style,pre,code,textarea,mjx-container,.highlight,.dglab-explorer';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: n => (n.parentElement && n.parentElement.closest(skip)) ? NodeFilter.FILTER_REJECT
                                                                       : NodeFilter.FILTER_ACCEPT});
  const raw = [];
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent;
    if (/\\\(|\\\[|\$\$/.test(text)) { raw.push(text.trim().slice(0, 120)); }
  }
  return {
    elements: math.length,
    containers: document.querySelectorAll('mjx-container').length,
    untypeset: math.filter(el => !el.querySelector('mjx-container')).map(el => el.textContent.slice(0, 80)),
    errors: Array.from(document.querySelectorAll('mjx-merror')).map(el => el.textContent.slice(0, 80)),
    raw: raw,
  };
}"""

IMAGES = """async () => {
  const images = Array.from(document.images);
  await Promise.all(images.map(img => img.complete ? null :
    new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done); })));
  return images.map(img => {
    const figure = img.closest('figure');
    const caption = figure && figure.querySelector('figcaption');
    return {src: (img.getAttribute('src') || '').slice(0, 80), width: img.naturalWidth,
            alt: (img.getAttribute('alt') || '').trim(),
            caption: caption ? caption.textContent.trim() : ''};
  });
}"""

#: Every link of the page that points into the site, as an absolute URL without its #fragment.
LOCAL_LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
  .map(a => new URL(a.getAttribute('href'), location.href))
  .filter(u => u.protocol === location.protocol && u.host === location.host)
  .map(u => u.href.split('#')[0].split('?')[0])"""

WIDGET_VIEWS = 'script[type="application/vnd.jupyter.widget-view+json"]'

WIDGETS_RENDERED = """selector => Array.from(document.querySelectorAll(selector)).every(s => {
  const area = s.previousElementSibling;
  return area && area.classList.contains('widget-subarea') && area.querySelector('.jupyter-widgets');
})"""

WIDGET_STATE = """selector => Array.from(document.querySelectorAll(selector)).map((s, i) => {
  const area = s.previousElementSibling;
  const rendered = !!(area && area.classList.contains('widget-subarea') && area.querySelector('.jupyter-widgets'));
  const box = rendered ? area.getBoundingClientRect() : null;
  return {index: i, rendered: rendered, text: rendered ? area.textContent.trim().slice(0, 80) : '',
          height: box ? box.height : 0};
})"""

#: The displayed frame of one explorer: what a reader sees (image bytes, alt text, text).
EXPLORER_VIEW = """root => {
  const view = root.querySelector('.dglab-explorer-view');
  const img = view.querySelector('img');
  return {html: view.innerHTML.length + ':' + view.innerHTML.slice(-200) + (img ? img.src.slice(-400) : ''),
          alt: img ? img.alt : '', loaded: img ? (img.complete && img.naturalWidth > 0) : true};
}"""


def exercise_explorers(page) -> list[dict]:
    """Move every control of every static explorer; record whether the displayed figure changed."""
    results = []
    explorers = page.locator('.dglab-explorer[data-dglab-explorer="static"]')
    for i in range(explorers.count()):
        root = explorers.nth(i)
        root.scroll_into_view_if_needed()
        title = root.locator(".dglab-explorer-title").inner_text()
        controls = root.locator("[data-dglab-param]")
        for j in range(controls.count()):
            control = controls.nth(j)
            name = control.get_attribute("data-dglab-param")
            before = root.evaluate(EXPLORER_VIEW)
            tag = control.evaluate("el => el.tagName.toLowerCase()")
            if tag == "input":  # a range slider: move it with the keyboard, as a reader would
                value, top = int(control.input_value()), int(control.get_attribute("max"))
                control.focus()
                page.keyboard.press("ArrowLeft" if value == top else "ArrowRight")
                how = "keyboard"
            else:  # a select box of labels
                value = int(control.input_value())
                options = control.locator("option").count()
                control.select_option(index=(value + 1) % options)
                how = "select"
            page.wait_for_timeout(50)
            after = root.evaluate(EXPLORER_VIEW)
            results.append({
                "explorer": title, "control": name, "how": how,
                "moved": int(control.input_value()) != value,
                "changed": after["html"] != before["html"],
                "loaded": after["loaded"], "alt": after["alt"],
            })
    return results


