"""The reveal.js slides: one deck per chapter, each working offline."""

import urllib.parse

import pytest
from browsing import LOCAL_LINKS, MATH_STATE, SCHEMES, SITE, Visit, open_page, slide_decks

from coursetools import course
from coursetools.slides import slide_path

pytestmark = pytest.mark.browser

DECKS = slide_decks()
EVERY_DECK = [pytest.param(s, d, id=f"{s}:{d}") for s in SCHEMES for d in DECKS if not d.endswith("index.html")]


def test_a_deck_per_chapter_and_an_index(site):
    index = (SITE / "slides" / "index.html").read_text(encoding="utf-8")
    for chapter in course.chapters():
        deck = slide_path(chapter.relative_to(course.ROOT).with_suffix("").as_posix())
        assert (SITE / deck).is_file(), f"no slides for {chapter.name}: run `make slides`"
        assert f'href="{deck.split("/")[-1]}"' in index


@pytest.mark.parametrize(("scheme", "deck"), EVERY_DECK)
def test_deck_loads_offline(browser, roots, scheme, deck):
    record = Visit(roots[scheme] + deck)
    context, page = open_page(browser, record.url, record, viewport=(1280, 800))
    try:
        page.goto(record.url, wait_until="load")
        page.wait_for_selector(".reveal.ready", timeout=15_000)
        page.evaluate("async () => { if (window.MathJax && MathJax.startup) await MathJax.startup.promise; }")
        slides = page.locator(".reveal .slides section").count()
        text = page.locator(".reveal .slides").inner_text()
        math = page.evaluate(MATH_STATE)
        links = page.evaluate(LOCAL_LINKS)
        alts = page.evaluate("() => Array.from(document.images).map(i => [i.naturalWidth, i.alt])")
        if page.locator(".reveal .slides > section").count() > 1:
            page.keyboard.press("ArrowRight")  # reveal.js answers the keyboard
            page.wait_for_function("() => location.hash.startsWith('#/1')", timeout=5_000)
    finally:
        context.close()
    assert record.external_requests == []
    assert record.failed_requests == []
    assert record.console_errors == []
    assert slides >= 2
    assert math["errors"] == [] and math["raw"] == [], "math typeset, without TeX errors"
    assert all(width > 0 and alt for width, alt in alts), "every image loads and has alt text"
    for link in links:  # back to the chapter page and to the list of decks
        assert (SITE / urllib.parse.unquote(link[len(roots[scheme]):])).is_file(), f"broken link {link}"
    # MyST syntax was rewritten for the slides, solutions left in the book
    for leftover in ("{cite", "```{", "solution-start", "{bibliography}"):
        assert leftover not in text
