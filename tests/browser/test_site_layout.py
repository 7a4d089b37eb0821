"""The site on a phone (390 px) and a laptop (1280 px): navigation, clipping, figures, explorers.

Each page is opened once per width (light mode) and the measurements are kept; each test
asserts one property, so a failure names the page, the width and what is wrong.
"""

import pytest
from browsing import SITE, open_page, site_pages
from layout import CLIPPED, FIGURES, MIN_FIGURE_TEXT_PX, WIDTHS, figure_text_px

pytestmark = pytest.mark.browser

PAGES = site_pages()
EVERY_PAGE_AND_WIDTH = [pytest.param(p, w, id=f"{w}:{p}") for w in WIDTHS for p in PAGES]
CHAPTERS = [p for p in PAGES if p.startswith("book/") and p.split("/")[-1][:2].isdigit()]

#: Links of the chapter list (primary sidebar) that a reader can see right now.
VISIBLE_CHAPTER_LINKS = """() => Array.from(document.querySelectorAll(
    '.bd-sidebar-primary a.reference, dialog a.reference'))
  .filter(a => a.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
  .filter(a => { const r = a.getBoundingClientRect();
                 return r.width > 0 && r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight; })
  .length"""

#: Links of the page's table of contents (secondary sidebar) a reader can see right now.
VISIBLE_PAGE_TOC_LINKS = VISIBLE_CHAPTER_LINKS.replace(
    ".bd-sidebar-primary a.reference, dialog a.reference", ".bd-sidebar-secondary a, dialog .page-toc a")

VISIBLE = """selector => Array.from(document.querySelectorAll(selector))
  .filter(el => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) &&
                el.getBoundingClientRect().width > 0).length"""


@pytest.fixture(scope="module")
def looks(browser, roots):
    """``looks(page, width) -> dict`` of what the page shows at that width (measured once)."""
    cache = {}

    def look(page_path: str, width: str) -> dict:
        key = (page_path, width)
        if key in cache:
            return cache[key]
        from browsing import Visit

        record = Visit(roots["http"] + page_path)
        context, page = open_page(browser, record.url, record, viewport=WIDTHS[width])
        try:
            page.goto(record.url, wait_until="load")
            page.evaluate("async () => { if (window.MathJax && MathJax.startup) await MathJax.startup.promise; }")
            page.wait_for_timeout(200)
            result = {
                "clipped": page.evaluate(CLIPPED),
                "figures": page.evaluate(FIGURES),
                "toggles": page.evaluate(VISIBLE, ".primary-toggle"),
                "headers": page.evaluate("() => { const h = document.querySelector('#pst-header');"
                                         " return h ? h.getBoundingClientRect().height : 0; }"),
                "search_boxes": page.evaluate(VISIBLE, ".search-button-field"),
                "explorers": page.evaluate("""() => Array.from(document.querySelectorAll('.dglab-explorer'))
                    .map(e => ({width: e.getBoundingClientRect().width,
                                view: (e.querySelector('.dglab-explorer-view img') || e).getBoundingClientRect().width,
                                controls: Array.from(e.querySelectorAll('.dglab-explorer-controls label'))
                                  .map(l => l.getBoundingClientRect().right - e.getBoundingClientRect().right)}))"""),
            }
            # the chapter list: open and close it with the visible toggle, as a reader would
            toggle = page.locator(".primary-toggle:visible").first
            states = [page.evaluate(VISIBLE_CHAPTER_LINKS)]
            for _ in range(2):
                if not toggle.count():
                    break
                if states[-1] and page.locator("dialog[open]").count():
                    page.keyboard.press("Escape")  # a modal chapter list closes like any dialog
                else:
                    toggle.click()
                page.wait_for_timeout(400)
                states.append(page.evaluate(VISIBLE_CHAPTER_LINKS))
            result["chapter_list"] = states
            page_toc = page.locator(".secondary-toggle:visible, .page-toc-button:visible").first
            if width == "phone" and page_toc.count():
                page_toc.click()
                page.wait_for_timeout(400)
                result["page_toc"] = page.evaluate(VISIBLE_PAGE_TOC_LINKS)
        finally:
            context.close()
        result["console_errors"] = record.console_errors
        cache[key] = result
        return result

    return look


@pytest.mark.parametrize(("page", "width"), EVERY_PAGE_AND_WIDTH)
def test_one_header_one_search_box_one_visible_menu_button(looks, page, width):
    seen = looks(page, width)
    assert seen["headers"] == 0, f"an extra header bar ({seen['headers']:.0f} px) above the article"
    assert seen["toggles"] == 1, f"{seen['toggles']} visible chapter-list buttons"
    assert seen["search_boxes"] <= 1, f"{seen['search_boxes']} search boxes"


@pytest.mark.parametrize(("page", "width"), EVERY_PAGE_AND_WIDTH)
def test_the_menu_button_opens_and_closes_the_chapter_list(looks, page, width):
    states = looks(page, width)["chapter_list"]
    assert len(states) == 3, "no visible chapter-list button"
    before, after_one, after_two = (bool(n) for n in states)
    if width == "phone":
        assert not before, "the chapter list covers the page before the menu button is pressed"
        assert after_one, "the menu button did not open the chapter list"
        assert not after_two, "the chapter list did not close again"
    else:
        assert before, "no chapter list on the desktop"
        assert not after_one, "the menu button did not collapse the chapter list"
        assert after_two, "the menu button did not bring the chapter list back"


@pytest.mark.parametrize("page", CHAPTERS)
def test_the_contents_button_opens_the_page_toc_on_a_phone(looks, page):
    seen = looks(page, "phone")
    assert "page_toc" in seen, "no visible table-of-contents button on a phone"
    assert seen["page_toc"] > 0, "the table-of-contents button shows no section of the page"


@pytest.mark.parametrize(("page", "width"), EVERY_PAGE_AND_WIDTH)
def test_nothing_in_the_article_is_clipped(looks, page, width):
    """Equations, outputs, tables and figures fit the column or scroll inside their own box."""
    assert looks(page, width)["clipped"] == []


@pytest.mark.parametrize("page", PAGES)
def test_figure_text_is_legible_at_the_column_width(looks, page):
    """The smallest text of a figure renders at >= 9 px on a laptop (PNG density x displayed width)."""
    small = []
    for figure in looks(page, "desktop")["figures"]:
        px = figure_text_px(figure)
        if px is not None and px < MIN_FIGURE_TEXT_PX:
            small.append(f"{figure['alt'] or figure['src'][-40:]!r}: {px:.1f} px")
    assert small == []


@pytest.mark.parametrize("page", PAGES)
def test_figures_are_sharp_on_high_dpi_screens(looks, page):
    """Every figure carries at least 2 image pixels per displayed CSS pixel (a retina screen's density)."""
    soft = [f"{f['alt'] or f['src'][-40:]!r}: {f['natural'] / f['shown']:.2f}x"
            for f in looks(page, "desktop")["figures"]
            if f["src"].split("?")[0].endswith(".png") or f["src"].startswith("data:image/png")
            if f["shown"] >= 100 and f["natural"] / f["shown"] < 1.9]
    assert soft == []


@pytest.mark.parametrize("page", PAGES)
def test_explorers_use_the_phone_width(looks, page):
    """On a phone an explorer's figure fills the column and its controls stack inside the frame."""
    column = WIDTHS["phone"][0] - 32
    for explorer in looks(page, "phone")["explorers"]:
        assert explorer["view"] >= 0.85 * column, f"explorer figure {explorer['view']:.0f} px wide on a {column} px column"
        assert all(right <= 1 for right in explorer["controls"]), "a control sticks out of its explorer"


def test_layout_checks_saw_figures_and_explorers(looks):
    assert any(looks(p, "desktop")["figures"] for p in CHAPTERS), "no figure measured: the checks above saw nothing"
    assert any(looks(p, "phone")["explorers"] for p in CHAPTERS), "no explorer measured on a phone"
    assert SITE.is_dir()


SOLUTION_PAGES = [p for p in CHAPTERS if 'class="solution' in (SITE / p).read_text(encoding="utf-8")]


@pytest.mark.parametrize("page", SOLUTION_PAGES[:3])
def test_the_solution_title_link_opens_the_solution(browser, roots, page):
    """Clicking "Exercise N" in a hidden solution's title opens the solution and stays there."""
    from browsing import Visit

    record = Visit(roots["http"] + page)
    context, tab = open_page(browser, record.url, record)
    try:
        tab.goto(record.url, wait_until="load")
        title = tab.locator(".solution.dropdown .admonition-title, .solution.toggle .admonition-title").first
        link = title.locator("a").first
        assert link.count(), "no link in the solution's title"
        body = tab.locator(".solution.dropdown, .solution.toggle").first
        link.scroll_into_view_if_needed()
        top = tab.evaluate("() => scrollY")
        link.click()
        tab.wait_for_timeout(500)
        hash_after, moved = tab.evaluate("() => location.hash"), abs(tab.evaluate("() => scrollY") - top)
        opened = body.evaluate("el => !el.classList.contains('toggle-hidden') && "
                               "Array.from(el.children).filter(c => !c.classList.contains('admonition-title'))"
                               ".some(c => c.checkVisibility())")
    finally:
        context.close()
    assert hash_after == "" and moved < 50, f"the link jumped away (hash {hash_after!r}, scrolled {moved}px)"
    assert opened, "the solution did not open"
