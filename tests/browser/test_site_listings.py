"""The chapters' code listings (dglab.listing.show_source cells, input removed) in the built site:
each one is on its chapter's page, visible, highlighted, and shows the object's current source."""

import re

import pytest
from browsing import SITE

from coursetools import course
from dglab.listing import show_source

pytestmark = pytest.mark.browser

CALL = re.compile(r"^show_source\(.*?\)$", re.M | re.S)


def _listing_cells(chapter):
    nb = course.read_chapter(chapter)
    for cell in nb.cells:
        if cell.cell_type == "code" and "show_source(" in cell.source:
            assert "remove-input" in cell.metadata.get("tags", []), f"{chapter.name}: a listing shows its input"
            yield eval(CALL.search(cell.source).group(0), {"show_source": show_source}).code  # noqa: S307


CHAPTERS = [p for p in course.chapters() if p.suffix == ".md" and "show_source(" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_listings_show_the_current_source(browser, http_root, chapter):
    expected = list(_listing_cells(chapter))
    page_path = chapter.relative_to(course.ROOT).with_suffix(".html").as_posix()
    assert (SITE / page_path).is_file(), f"{page_path} is not built"
    page = browser.new_page()
    try:
        page.goto(http_root + page_path)
        listings = page.locator(".dglab-listing")
        assert listings.count() == len(expected), f"{page_path}: {listings.count()} listings, expected {len(expected)}"
        for i, code in enumerate(expected):
            listing = listings.nth(i)
            listing.scroll_into_view_if_needed()
            assert listing.is_visible()
            assert listing.inner_text().rstrip("\n") == code.rstrip("\n")
            assert listing.locator("span[style]").count() > 0  # highlighted
        assert "show_source(" not in page.locator("main").inner_text()  # the input is removed
    finally:
        page.close()
