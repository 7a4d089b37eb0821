"""Every page of the built website, over http:// and file://, with the network blocked."""

import urllib.parse

import pytest
from browsing import SCHEMES, SITE, site_pages

from coursetools import course

pytestmark = pytest.mark.browser

PAGES = site_pages()
EVERY_PAGE = [pytest.param(scheme, page, id=f"{scheme}:{page}") for scheme in SCHEMES for page in PAGES]


def test_site_is_built_with_a_page_per_chapter(site):
    assert PAGES, f"no pages under {SITE}"
    for chapter in course.toc_files():
        page = chapter.relative_to(course.ROOT).with_suffix(".html").as_posix()
        assert page in PAGES, f"{chapter.name} is in _toc.yml but {page} was not built"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_index_redirects_to_the_first_page(browser, roots, scheme):
    page = browser.new_page()
    try:
        page.goto(roots[scheme] + "index.html")
        page.wait_for_url("**/book/intro.html", timeout=10_000)
    finally:
        page.close()


@pytest.mark.parametrize(("scheme", "page"), EVERY_PAGE)
def test_no_console_errors(visits, scheme, page):
    assert visits(scheme, page).console_errors == []


@pytest.mark.parametrize(("scheme", "page"), EVERY_PAGE)
def test_no_failed_requests(visits, scheme, page):
    assert visits(scheme, page).failed_requests == []


@pytest.mark.parametrize(("scheme", "page"), EVERY_PAGE)
def test_no_request_leaves_the_site(visits, scheme, page):
    assert visits(scheme, page).external_requests == []


@pytest.mark.parametrize(("scheme", "page"), EVERY_PAGE)
def test_math_is_typeset(visits, scheme, page):
    math = visits(scheme, page).math
    assert math["untypeset"] == [], "math elements MathJax did not typeset"
    assert math["raw"] == [], "raw TeX delimiters left in the page text"
    assert math["errors"] == [], "TeX errors"
    assert math["containers"] >= math["elements"]


@pytest.mark.parametrize(("scheme", "page"), EVERY_PAGE)
def test_every_image_loads_and_is_described(visits, scheme, page):
    for image in visits(scheme, page).images:
        assert image["width"] > 0, f"image did not load: {image['src']}"
        assert image["alt"] or image["caption"], f"image without alt text or caption: {image['src']}"


@pytest.mark.parametrize(("scheme", "page"), EVERY_PAGE)
def test_every_widget_view_renders(visits, scheme, page):
    for widget in visits(scheme, page).widgets:
        assert widget["rendered"], f"widget view {widget['index']} did not render"
        assert widget["height"] > 0, f"widget view {widget['index']} rendered empty"


@pytest.mark.parametrize(("scheme", "page"), EVERY_PAGE)
def test_explorer_sliders_change_the_figure(visits, scheme, page):
    for move in visits(scheme, page).explorers:
        where = f"{move['explorer']!r}, control {move['control']!r}"
        assert move["moved"], f"{where}: the control did not move ({move['how']})"
        assert move["changed"], f"{where}: moving it did not change the displayed output"
        assert move["loaded"], f"{where}: the new frame's image did not load"


@pytest.mark.parametrize("page", PAGES)
def test_links_within_the_site_resolve(visits, roots, page):
    """Every link into the site (pages, notebooks, slides, sources) points at an existing file."""
    root = roots["file"]
    for link in visits("file", page).links:
        assert link.startswith(root), link
        target = SITE / urllib.parse.unquote(link[len(root):])
        assert target.is_file() or (target / "index.html").is_file(), f"broken link to {link}"


def test_the_book_has_explorers_and_they_were_exercised(visits):
    moves = [m for page in PAGES for m in visits("http", page).explorers]
    assert moves, "no explorer found on any page: the slider test above checked nothing"
    assert all(m["alt"] for m in moves if m["loaded"]), "explorer frames carry alt text"
