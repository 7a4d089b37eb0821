"""What the layout and accessibility tests measure in a page (scripts run inside Chromium).

Kept apart from ``browsing.py`` (what every visit records) because these checks open each page
again at a phone width (390 px) and a desktop width (1280 px), in light and dark mode.
"""

from __future__ import annotations

import base64
import json
import struct
import urllib.parse
from pathlib import Path

from browsing import SITE

from coursetools.course import ROOT

#: (name, viewport) of the widths every layout check runs at: a phone and a laptop.
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
#: Smallest rendered size (CSS px) of the smallest text in a figure at the desktop width.
MIN_FIGURE_TEXT_PX = 9.0
#: Smallest font size (pt) the book's figures use: dglab.plots' style never goes below it.
MIN_FIGURE_FONT_PT = 9.0
AXE = SITE / "_static" / "vendor" / "axe-core" / "axe.min.js"

#: Elements of the article whose content is cut at the right or left edge: an element that hides
#: its own overflow, or one that sticks out of the article with no scroll container around it.
CLIPPED = r"""() => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main');
  if (!article) { return ['no article element']; }
  const describe = el => {
    const cls = (typeof el.className === 'string' && el.className) ? '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.') : '';
    const section = el.closest('section[id]');
    return el.tagName.toLowerCase() + cls + (section ? ' in #' + section.id : '') +
      ' "' + (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50) + '"';
  };
  // not shown: screen-reader text, closed dropdowns (a hidden solution hides its content on purpose);
  // MathJax's stretchy-glyph extenders (mjx-ext) clip a long strip of glyph by design
  const hidden = el => el.closest('.sr-only, mjx-assistive-mml, mjx-ext, details:not([open]) > :not(summary), [hidden], .visually-hidden, .toggle-hidden');
  const box = article.getBoundingClientRect();
  const clipped = [];
  for (const el of article.querySelectorAll('*')) {
    if (hidden(el)) { continue; }
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed') { continue; }
    if (style.display === 'inline') { continue; }  // overflow does not apply to inline boxes
    const rect = el.getBoundingClientRect();
    if (rect.width < 2 || rect.height < 2) { continue; }
    if (['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 2 &&
        style.textOverflow !== 'ellipsis') {
      clipped.push(describe(el) + ` hides ${el.scrollWidth - el.clientWidth}px of its content`);
      continue;
    }
    if (rect.right > box.right + 2 || rect.left < box.left - 2) {
      let scroller = false;
      for (let p = el.parentElement; p && p !== article; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll') { scroller = true; break; }
        if (o === 'hidden' || o === 'clip') { break; }  // reported above as hiding its content
      }
      if (!scroller) {
        clipped.push(describe(el) + ` sticks out of the article by ${Math.round(Math.max(rect.right - box.right, box.left - rect.left))}px`);
      }
    }
  }
  // one line per outermost offender
  return clipped.slice(0, 15);
}"""

#: Every figure image of the article: its displayed and natural widths, and its source.
FIGURES = """async () => {
  const images = Array.from(document.querySelectorAll('article img'));
  await Promise.all(images.map(img => img.complete ? null :
    new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done); })));
  return images.filter(img => img.getBoundingClientRect().width > 0).map(img => ({
    src: img.currentSrc || img.src, shown: img.getBoundingClientRect().width, natural: img.naturalWidth,
    alt: (img.getAttribute('alt') || '').slice(0, 60)}));
}"""


def png_dpi(data: bytes) -> float | None:
    """Horizontal resolution (dots per inch) stored in a PNG's pHYs chunk, or None."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    at = 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"pHYs":
            x, _, unit = struct.unpack(">IIB", data[at + 8:at + 17])
            return x * 0.0254 if unit == 1 else None
        if kind == b"IDAT":
            return None
        at += 12 + length
    return None


def image_bytes(src: str) -> bytes | None:
    """The bytes of an image of the site (a data: URI or a file under the site)."""
    if src.startswith("data:"):
        header, _, payload = src.partition(",")
        return base64.b64decode(payload) if header.endswith(";base64") else None
    path = urllib.parse.urlparse(src).path
    root = SITE.as_posix()
    if path.startswith(root):
        path = path[len(root):]
    candidate = SITE / urllib.parse.unquote(path).lstrip("/")
    return candidate.read_bytes() if candidate.is_file() else None


def figure_text_px(figure: dict) -> float | None:
    """Rendered size (CSS px) of the figure's smallest text, from its PNG density and displayed width."""
    data = image_bytes(figure["src"])
    dpi = png_dpi(data) if data else None
    if not dpi or not figure["natural"]:
        return None
    inches = figure["natural"] / dpi
    return MIN_FIGURE_FONT_PT * figure["shown"] / (inches * 72)


def axe_source() -> str:
    return Path(AXE).read_text(encoding="utf-8")


#: Every violation the accessibility tests saw, one JSON line each, appended by every xdist worker
#: and summed up by the controlling process after the run (tests/browser/conftest.py).
AXE_LOG = ROOT / "_build" / "axe-violations.jsonl"

#: axe-core's verdict on the page: every violation with its impact and the first nodes.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({rule: v.id, impact: v.impact || 'minor', help: v.help,
    nodes: v.nodes.length, where: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
}"""


def record_axe(violations: list[dict]) -> None:
    AXE_LOG.parent.mkdir(parents=True, exist_ok=True)
    with AXE_LOG.open("a", encoding="utf-8") as log:  # one short write per line: safe across workers
        for v in violations:
            log.write(json.dumps({"impact": v["impact"], "rule": v["rule"], "nodes": v["nodes"]}) + "\n")


def axe_counts() -> dict[tuple[str, str], list[int]]:
    """(impact, rule) -> [page views with the violation, nodes], from :data:`AXE_LOG`."""
    counts: dict[tuple[str, str], list[int]] = {}
    if AXE_LOG.is_file():
        for line in AXE_LOG.read_text(encoding="utf-8").splitlines():
            v = json.loads(line)
            entry = counts.setdefault((v["impact"], v["rule"]), [0, 0])
            entry[0] += 1
            entry[1] += v["nodes"]
    return counts
