"""The reveal.js slides: one deck per chapter, each working offline."""

import contextlib
import re
import urllib.parse

import pytest
from browsing import LOCAL_LINKS, MATH_STATE, SCHEMES, SITE, Visit, open_page, slide_decks

from coursetools import course
from coursetools.slides import slide_path

pytestmark = pytest.mark.browser

DECKS = slide_decks()
EVERY_DECK = [pytest.param(s, d, id=f"{s}:{d}") for s in SCHEMES for d in DECKS if not d.endswith("index.html")]


def test_a_deck_per_chapter_and_an_index(site):
    """Two decks per chapter, both on the index: the lecture deck and the full text."""
    index = (SITE / "slides" / "index.html").read_text(encoding="utf-8")
    for chapter in course.chapters():
        deck = slide_path(chapter.relative_to(course.ROOT).with_suffix("").as_posix())
        full = deck.removesuffix(".html") + "-full.html"
        for path in (deck, full):
            assert (SITE / path).is_file(), f"no slides {path} for {chapter.name}: run `make slides`"
            assert f'href="{path.split("/")[-1]}"' in index


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
            # linear navigation: the next slide may be the title's sub-slide (#/0/1) or #/1
            page.wait_for_function("() => /^#\\/(1|0\\/1)/.test(location.hash)", timeout=5_000)
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


#: Every slide of the deck, shown one after the other: the ones whose content does not fit the
#: frame (reveal.js's width x height), vertically or horizontally.
OVERFLOWING_SLIDES = """async () => {
  const {width, height} = Reveal.getConfig();
  const out = [];
  for (const slide of Reveal.getSlides()) {
    const at = Reveal.getIndices(slide);
    Reveal.slide(at.h, at.v);
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const tall = slide.scrollHeight, wide = slide.scrollWidth;
    const inner = Array.from(slide.querySelectorAll('pre, table, .jp-OutputArea-output, figure'))
      .filter(el => el.scrollWidth > el.clientWidth + 2 && !['auto', 'scroll'].includes(getComputedStyle(el).overflowX));
    if (tall > height + 2 || wide > width + 2 || inner.length) {
      const title = slide.querySelector('h1, h2, h3');
      out.push(`slide ${at.h}/${at.v} "${title ? title.textContent.trim().slice(0, 40) : ''}": ` +
               `${wide}x${tall} px in a ${width}x${height} frame` + (inner.length ? `, ${inner.length} boxes cut at the right` : ''));
    }
  }
  return out;
}"""

#: Press the right arrow until the last slide: which slides were shown.
WALK_WITH_RIGHT_ARROW = """() => ({total: Reveal.getTotalSlides(), at: Reveal.getSlidePastCount()})"""

EVERY_HTTP_DECK = [pytest.param(d, id=d) for d in DECKS if not d.endswith("index.html")]


@contextlib.contextmanager
def _open_deck(browser, roots, deck, viewport=(1280, 720)):
    """A page showing ``deck`` once reveal.js and MathJax are ready; closed on exit."""
    record = Visit(roots["http"] + deck)
    context, page = open_page(browser, record.url, record, viewport=viewport)
    try:
        page.goto(record.url, wait_until="load")
        page.wait_for_selector(".reveal.ready", timeout=15_000)
        page.evaluate("async () => { if (window.MathJax && MathJax.startup) await MathJax.startup.promise; }")
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("deck", EVERY_HTTP_DECK)
def test_every_slide_fits_the_16_9_frame(browser, roots, deck):
    """At a projector's 1280x720, no slide's content runs past the bottom or the right edge."""
    with _open_deck(browser, roots, deck) as page:
        config = page.evaluate("() => [Reveal.getConfig().width, Reveal.getConfig().height]")
        overflowing = page.evaluate(OVERFLOWING_SLIDES)
    assert config[0] * 9 == config[1] * 16, f"the slide frame is {config[0]}x{config[1]}, not 16:9"
    assert overflowing == [], "\n".join(overflowing)


@pytest.mark.parametrize("deck", EVERY_HTTP_DECK)
def test_citations_read_author_year_with_a_reference_slide(browser, roots, deck):
    with _open_deck(browser, roots, deck) as page:
        # every slide's text, shown or not (reveal.js hides the slides far from the current one)
        text = page.evaluate("""() => { const slides = document.querySelector('.reveal .slides').cloneNode(true);
          slides.querySelectorAll('script, style').forEach(e => e.remove()); return slides.textContent; }""")
    keys = sorted(set(re.findall(r"\(?\b[a-z][\w-]*\d{4}[a-z]\w*\)?", text)))
    assert keys == [], f"raw citation keys on the slides: {keys[:5]}"
    if re.search(r"\(\w[^()]*, \d{4}[a-z]?\)", text):  # the deck cites something: it lists it
        assert re.search(r"References", text), "citations but no References slide"


@pytest.mark.parametrize("deck", EVERY_HTTP_DECK)
def test_the_right_arrow_reaches_every_slide(browser, roots, deck):
    with _open_deck(browser, roots, deck) as page:
        total = page.evaluate("() => Reveal.getTotalSlides()")
        seen = {page.evaluate("() => JSON.stringify(Reveal.getIndices())")}
        for _ in range(total + 2):
            page.keyboard.press("ArrowRight")
            seen.add(page.evaluate("() => JSON.stringify(Reveal.getIndices())"))
    assert len(seen) == total, f"the right arrow showed {len(seen)} of {total} slides"


def test_the_slide_index_is_styled_and_links_every_deck(browser, roots):
    record = Visit(roots["http"] + "slides/index.html")
    context, page = open_page(browser, record.url, record, viewport=(390, 844))
    try:
        page.goto(record.url, wait_until="load")
        styled = page.evaluate("() => document.styleSheets.length")
        decks = page.locator("a[href$='.html']").count()
        wide = page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        context.close()
    assert styled >= 1 and page is not None
    assert decks >= len(EVERY_HTTP_DECK)
    assert wide <= 390, "the slide index scrolls sideways on a phone"


#: The lecture decks (one idea per slide, speaker notes), not the full-text ones.
LECTURE_DECKS = [pytest.param(d, id=d) for d in DECKS
                 if not d.endswith(("index.html", "-full.html"))]

#: For every slide: its title and whether it has speaker notes.
SLIDE_NOTES = """() => Reveal.getSlides().map(s => {
  const title = s.querySelector('h1, h2, h3');
  const notes = s.querySelector('aside.notes');
  return [title ? title.textContent.trim() : '', notes ? notes.textContent.trim() : ''];
})"""


@pytest.mark.parametrize("deck", LECTURE_DECKS)
def test_lecture_deck_has_15_to_25_slides_with_speaker_notes(browser, roots, deck):
    with _open_deck(browser, roots, deck) as page:
        total = page.evaluate("() => Reveal.getTotalSlides()")
        slides = page.evaluate(SLIDE_NOTES)
    assert 15 <= total <= 25, f"{deck}: {total} slides"
    with_notes = [title for title, notes in slides if notes]
    assert len(with_notes) >= 0.4 * total, f"{deck}: notes on {len(with_notes)} of {total} slides"
    assert slides[0][1], "the title slide has no speaker notes"
    assert [notes for title, notes in slides if title.startswith("Summary")][0], "the summary has no notes"


@pytest.mark.parametrize("deck", LECTURE_DECKS)
def test_s_opens_the_speaker_notes_without_network(browser, roots, deck):
    """S opens reveal.js's speaker view (the vendored notes plugin) with the current slide's notes."""
    record = Visit(roots["http"] + deck)
    context, page = open_page(browser, record.url, record, viewport=(1280, 720))
    try:
        page.goto(record.url, wait_until="load")
        page.wait_for_selector(".reveal.ready", timeout=15_000)
        expected = page.evaluate("() => Reveal.getCurrentSlide().querySelector('aside.notes').textContent.trim()")
        with context.expect_page(timeout=10_000) as opened:
            page.keyboard.press("s")
        speaker = opened.value
        speaker.wait_for_function(
            "() => { const v = document.querySelector('.speaker-controls-notes .value');"
            " return v && v.textContent.trim().length > 0; }", timeout=15_000)
        shown = speaker.locator(".speaker-controls-notes .value").inner_text()
        current = speaker.locator("#current-slide iframe").count()
    finally:
        context.close()
    assert " ".join(expected.split())[:60] in " ".join(shown.split())
    assert current == 1, "the speaker view shows the current slide"
    assert record.external_requests == [] and record.failed_requests == []
