"""Every chapter page offers the chapter as a notebook (.ipynb) and its slides."""

import urllib.request

import nbformat
import pytest

from coursetools import course

pytestmark = pytest.mark.browser

CHAPTERS = course.chapters()


def _page(chapter) -> str:
    return chapter.relative_to(course.ROOT).with_suffix(".html").as_posix()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapter_page_downloads_its_executed_notebook(browser, roots, chapter):
    page = browser.new_page()
    try:
        page.goto(roots["http"] + _page(chapter), wait_until="load")
        link = page.locator("a.dglab-download-notebook")
        assert link.count() == 1
        # the theme's download menu lists the same file
        menu = page.locator(".dropdown-download-buttons a.btn-download-notebook-button")
        assert menu.count() == 1 and menu.get_attribute("href") == link.get_attribute("href")
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == f"{chapter.stem}.ipynb"
        path = download.value.path()
        notebook = nbformat.read(path, as_version=4)
    finally:
        page.close()
    nbformat.validate(notebook)
    # the chapter's own code, executed by the build
    assert course.code_signature(notebook) == course.code_signature(course.read_chapter(chapter))
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "every code cell was executed"
    assert any(c.outputs for c in code), "the notebook carries its outputs"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapter_page_links_its_slides(browser, roots, chapter):
    page = browser.new_page()
    try:
        page.goto(roots["http"] + _page(chapter), wait_until="load")
        href = page.locator("a.dglab-download-slides").get_attribute("href")
        menu = page.locator(".dropdown-download-buttons a.btn-download-slides-button").get_attribute("href")
        url = page.evaluate("href => new URL(href, location.href).href", href)
    finally:
        page.close()
    assert href == menu
    with urllib.request.urlopen(url) as response:
        assert response.status == 200
        assert b"reveal" in response.read(4000)


def test_pages_that_are_not_chapters_offer_no_notebook(browser, roots):
    page = browser.new_page()
    try:
        page.goto(roots["http"] + "book/intro.html", wait_until="load")
        assert page.locator("a.dglab-download-notebook").count() == 0
    finally:
        page.close()
