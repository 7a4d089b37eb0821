"""Accessibility (WCAG 2.1 AA): axe-core on every page at 390 and 1280 px, light and dark; explorers by keyboard.

axe-core comes from npm (pinned in package-lock.json; ``make book`` copies it into
``_static/vendor/axe-core/``, no page loads it) and is injected into each page by the test. A
critical or serious violation fails the test; moderate and minor ones are counted and printed at
the end of the run (``pytest_terminal_summary`` in conftest.py).
"""

import pytest
from browsing import Visit, open_page, site_pages
from layout import AXE, RUN_AXE, WIDTHS, record_axe

pytestmark = pytest.mark.browser

PAGES = site_pages()
MODES = ["light", "dark"]
EVERY_VIEW = [pytest.param(p, w, m, id=f"{w}-{m}:{p}") for m in MODES for w in WIDTHS for p in PAGES]


@pytest.mark.parametrize(("page", "width", "mode"), EVERY_VIEW)
def test_no_critical_or_serious_accessibility_violation(browser, roots, page, width, mode):
    assert AXE.is_file(), f"{AXE} is missing: `make vendor` copies axe-core from node_modules"
    record = Visit(roots["http"] + page)
    context, tab = open_page(browser, record.url, record, viewport=WIDTHS[width], color_scheme=mode)
    try:
        tab.goto(record.url, wait_until="load")
        tab.evaluate("async () => { if (window.MathJax && MathJax.startup) await MathJax.startup.promise; }")
        theme = tab.evaluate("() => document.documentElement.dataset.theme")
        tab.wait_for_timeout(400)  # the site script marks scrolling boxes focusable after layout
        tab.add_script_tag(path=str(AXE))
        violations = tab.evaluate(RUN_AXE)
    finally:
        context.close()
    assert theme == mode, f"the page did not follow the reader's {mode} mode (data-theme={theme!r})"
    record_axe(violations)
    bad = [f"{v['impact']} {v['rule']} ({v['nodes']} nodes: {v['help']}): {v['where']}"
           for v in violations if v["impact"] in {"critical", "serious"}]
    assert bad == []


EXPLORER_PAGES = [p for p in PAGES if p.startswith("book/") and p.split("/")[-1][:2].isdigit()]


@pytest.mark.parametrize("page", EXPLORER_PAGES)
def test_explorers_work_with_the_keyboard_and_announce_values(browser, roots, page):
    """Tab reaches every control, arrow keys move it, the value is announced and named in the alt text."""
    record = Visit(roots["http"] + page)
    context, tab = open_page(browser, record.url, record)
    problems = []
    try:
        tab.goto(record.url, wait_until="load")
        explorers = tab.locator('.dglab-explorer[data-dglab-explorer="static"]')
        for i in range(explorers.count()):
            root = explorers.nth(i)
            controls = root.locator("[data-dglab-param]")
            first = controls.first
            first.focus()
            for j in range(controls.count()):
                control = controls.nth(j)
                name = control.get_attribute("data-dglab-param")
                if not control.evaluate("el => el === document.activeElement"):
                    problems.append(f"explorer {i}: Tab did not reach control {name!r}")
                    control.focus()
                before = control.input_value()
                tag = control.evaluate("el => el.tagName.toLowerCase()")
                key = "ArrowLeft" if tag == "input" and before == control.get_attribute("max") else "ArrowRight"
                if tag == "select" and int(before) == control.locator("option").count() - 1:
                    key = "ArrowLeft"
                tab.keyboard.press(key)
                tab.wait_for_timeout(50)
                if control.input_value() == before:
                    problems.append(f"explorer {i}: {key} did not move control {name!r}")
                if tag == "input":
                    text = control.get_attribute("aria-valuetext") or ""
                    shown = root.locator(f'output[data-dglab-output="{j}"]').inner_text()
                    if not text or text.strip() != shown.strip():
                        problems.append(f"explorer {i}: aria-valuetext {text!r} does not announce {shown!r}")
                alt = root.locator(".dglab-explorer-view img").first
                if alt.count():
                    value = (root.locator(f'output[data-dglab-output="{j}"]').inner_text() if tag == "input"
                             else control.evaluate("el => el.options[el.selectedIndex].text"))
                    if value.strip() not in (alt.get_attribute("alt") or ""):
                        problems.append(f"explorer {i}: alt text does not name {name} = {value!r}")
                tab.keyboard.press("Tab")
                # a slider's Play button comes next in the tab order (tests/browser/test_site_play.py)
                if tab.evaluate("() => document.activeElement.matches('button[data-dglab-play]')"):
                    tab.keyboard.press("Tab")
    finally:
        context.close()
    assert problems == [], "\n".join(problems[:10])
