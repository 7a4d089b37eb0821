"""Chapter 5's training explorer on the built site: the step slider and the recipe selector swap
frames, and the explorer fits a phone (390 px) and a laptop (1280 px) without clipping."""

from __future__ import annotations

import pytest
from browsing import Visit, open_page
from layout import WIDTHS

from dglab.recipes import LAB_STEPS

pytestmark = pytest.mark.browser

PAGE = "book/05_gans.html"
TITLE = "A GAN learning the ring, step by step"

VIEW = """root => {
  const img = root.querySelector('.dglab-explorer-view img');
  return {src: img.src.length + ':' + img.src.slice(-300), alt: img.alt,
          loaded: img.complete && img.naturalWidth > 0};
}"""

#: Horizontal fit: the explorer inside the article, the image inside the explorer, no hidden overflow.
FIT = """root => {
  const article = (document.querySelector('article.bd-article') || document.querySelector('main')).getBoundingClientRect();
  const box = root.getBoundingClientRect();
  const img = root.querySelector('.dglab-explorer-view img').getBoundingClientRect();
  const controls = Array.from(root.querySelectorAll('[data-dglab-param]')).map(c => c.getBoundingClientRect());
  return {inside: box.left >= article.left - 8 && box.right <= article.right + 8,
          image_inside: img.left >= box.left - 1 && img.right <= box.right + 1,
          controls_inside: controls.every(c => c.left >= box.left - 1 && c.right <= box.right + 1),
          overflow: root.scrollWidth - root.clientWidth, image_width: img.width,
          viewport: window.innerWidth};
}"""


@pytest.fixture(scope="module", params=list(WIDTHS), ids=list(WIDTHS))
def explorer(request, browser, roots):
    viewport = WIDTHS[request.param]
    url = roots["http"] + PAGE
    context, page = open_page(browser, url, Visit(url), viewport=viewport)
    try:
        page.goto(url, wait_until="load")
        root = page.locator(".dglab-explorer", has_text=TITLE)
        assert root.count() == 1, f"{PAGE} has no explorer titled {TITLE!r}"
        root.scroll_into_view_if_needed()
        yield page, root, request.param
    finally:
        context.close()


def test_the_step_slider_changes_the_frame(explorer):
    page, root, _ = explorer
    slider = root.locator('input[type=range][data-dglab-param="step"]')
    assert int(slider.get_attribute("max")) + 1 == len(LAB_STEPS)  # one position per snapshot
    before = root.evaluate(VIEW)
    slider.focus()
    page.keyboard.press("Home")  # step 0
    page.wait_for_timeout(50)
    after = root.evaluate(VIEW)
    assert after["src"] != before["src"] and after["loaded"]
    assert "training step = 0" in after["alt"]
    slider.focus()
    page.keyboard.press("End")
    page.wait_for_timeout(50)
    assert root.evaluate(VIEW)["src"] == before["src"]  # back to the default, the last step


def test_the_recipe_selector_changes_the_frame(explorer):
    page, root, _ = explorer
    select = root.locator('select[data-dglab-param="recipe"]')
    frames = set()
    for index in range(select.locator("option").count()):
        select.select_option(index=index)
        page.wait_for_timeout(50)
        view = root.evaluate(VIEW)
        assert view["loaded"]
        assert select.locator("option").nth(index).inner_text() in view["alt"]
        frames.add(view["src"])
    assert len(frames) == 3
    select.select_option(index=0)


def test_the_explorer_fits_the_width(explorer):
    page, root, width = explorer
    fit = root.evaluate(FIT)
    assert fit["inside"] and fit["image_inside"] and fit["controls_inside"], fit
    assert fit["overflow"] <= 2, fit
    if width == "phone":  # scaled to the column, not cropped: the whole frame stays visible
        assert 300 <= fit["image_width"] <= fit["viewport"], fit
