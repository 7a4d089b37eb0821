"""The Play button of the static explorers (a ``step`` slider): it plays, pauses, stops at the end.

Chapter 3's gradient-descent path and chapter 9's LSTM snapshots have one each (chapter 5's GAN
training explorer too, when it is built). Run after ``make book``: ``pytest tests/browser -m browser``.
"""

import pytest
from browsing import Visit, open_page, site_pages

pytestmark = pytest.mark.browser

PLAY_PAGES = [p for p in site_pages() if p.split("/")[-1][:3] in {"03_", "09_"}]


#: What a frame shows: its image and its text (not attributes the site script adds later, such as
#: the tabindex of a box that scrolls, which would make one frame look like two).
FRAME = """root => {
  const view = root.querySelector('.dglab-explorer-view');
  const img = view.querySelector('img');
  return (img ? img.alt + img.src.slice(-400) : '') + view.textContent;
}"""


def frames_seen(tab, root, count, wait_ms):
    """The distinct frames shown over ``count`` looks, ``wait_ms`` apart."""
    seen = []
    for _ in range(count):
        html = root.evaluate(FRAME)
        if not seen or seen[-1] != html:
            seen.append(html)
        tab.wait_for_timeout(wait_ms)
    return seen


@pytest.mark.parametrize("page", PLAY_PAGES)
def test_play_steps_through_frames_and_pauses(browser, roots, page):
    record = Visit(roots["http"] + page)
    context, tab = open_page(browser, record.url, record)
    try:
        tab.goto(record.url, wait_until="load")
        buttons = tab.locator("button[data-dglab-play]")
        assert buttons.count() >= 1, f"{page} has no Play button"
        button = buttons.first
        root = button.locator("xpath=ancestor::div[@data-dglab-explorer='static'][1]")
        slider = root.locator("[data-dglab-param]").nth(int(button.get_attribute("data-dglab-play")))
        button.scroll_into_view_if_needed()
        assert button.get_attribute("aria-pressed") == "false"
        assert (button.get_attribute("aria-label") or "").startswith("Play")
        start = int(slider.input_value())
        first = root.evaluate(FRAME)
        # keyboard operable: focus it and press Space
        button.focus()
        tab.keyboard.press("Space")
        assert button.get_attribute("aria-pressed") == "true"
        # two steps played (waited for, not sampled on a clock: a busy machine delays timers)
        tab.wait_for_function("([el, v]) => Number(el.value) >= v", arg=[slider.element_handle(), start + 2],
                              timeout=20000)
        assert root.evaluate(FRAME) != first, "the slider moved but the frame did not change"
        # shown value and announced value follow the slider while playing
        assert slider.get_attribute("aria-valuetext")
        tab.keyboard.press("Space")  # pause
        assert button.get_attribute("aria-pressed") == "false"
        paused_at = slider.input_value()
        assert len(frames_seen(tab, root, count=4, wait_ms=400)) == 1, "the frame changed after Pause"
        assert slider.input_value() == paused_at
        # played to the end, it stops there by itself
        top = slider.get_attribute("max")
        slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }",
                        str(int(top) - 1))
        button.click()
        tab.wait_for_function("b => b.getAttribute('aria-pressed') === 'false'", arg=button.element_handle(),
                              timeout=5000)
        assert slider.input_value() == top
    finally:
        context.close()
