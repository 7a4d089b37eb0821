"""Citations written as ``[author-year](cite:p:key)`` links (scripts/lab_citation_links.py):
JupyterLab shows the link text; the website (coursetools.sphinxext.CitationLinks) renders them
exactly as the ``{cite:p}``/``{cite:t}`` roles would, and the link text says what the site says."""

import html
import re
import shutil
import subprocess
import sys

import pytest

from coursetools import course

LINK = re.compile(r"\[(?P<text>[^\]]+)\]\(cite:(?P<kind>[pt]):(?P<keys>[^)\s]+)\)")
CONF = """
import sys
sys.path.insert(0, {root!r})
extensions = ["myst_parser", "sphinxcontrib.bibtex", "coursetools.sphinxext"]
bibtex_bibfiles = ["references.bib"]
bibtex_reference_style = "author_year"
bibtex_default_style = "plain"
"""


def _chapter_links():
    links = {}
    for path in course.chapters():
        if path.suffix == ".md":
            for match in LINK.finditer(path.read_text(encoding="utf-8")):
                links[(match["kind"], match["keys"])] = match["text"]
    return links


def _build(tmp_path, body: str, prefixes) -> str:
    shutil.copy(course.ROOT / "references.bib", tmp_path / "references.bib")
    (tmp_path / "conf.py").write_text(CONF.format(root=str(course.ROOT)), encoding="utf-8")
    bibliographies = "".join(
        f"\n```{{bibliography}}\n:filter: docname in docnames\n:keyprefix: {p}\n:labelprefix: {p}\n```\n"
        for p in sorted(prefixes))
    (tmp_path / "index.md").write_text(f"# Citations\n\n{body}\n{bibliographies}", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-n", "-W", ".", "_build"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return (tmp_path / "_build" / "index.html").read_text(encoding="utf-8")


def _paragraphs(page: str) -> list[str]:
    page = page[: page.index('class="citation-list"')]  # the paragraphs before the bibliographies
    return [re.sub(r' id="id\d+"| href="#id\d+"', "", p) for p in re.findall(r"<p>(.*?)</p>", page, re.S)]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def test_chapters_have_no_citation_roles_left():
    for path in course.chapters():
        if path.suffix == ".md":
            assert "{cite" not in path.read_text(encoding="utf-8"), f"{path.name}: run scripts/lab_citation_links.py"


@pytest.mark.slow  # a Sphinx build of every citation: 10 s alone (load 4), 15 s in the unit-test run
def test_links_render_like_roles_and_their_text_matches_the_site(tmp_path):
    links = _chapter_links()
    assert len(links) > 50
    prefixes = {re.match(r"ch\d+-", key).group(0) for _, keys in links for key in keys.split(",")}
    items = sorted(links.items())
    body = "\n\n".join(
        f"{{cite:{kind}}}`{keys}`\n\n[{text}](cite:{kind}:{keys})" for (kind, keys), text in items)
    paragraphs = _paragraphs(_build(tmp_path, body, prefixes))
    assert len(paragraphs) == 2 * len(items)
    for i, ((kind, keys), text) in enumerate(items):
        role, link = paragraphs[2 * i], paragraphs[2 * i + 1]
        assert link == role, f"cite:{kind}:{keys} renders differently from the role"
        site = _text(role)
        # the site brackets a parenthetical citation's years, JupyterLab's text uses parentheses
        expected = text.replace("(", "[").replace(")", "]")
        assert site == expected, f"{keys}: JupyterLab says {text!r}, the site {site!r}"


@pytest.mark.parametrize("kind", ["p", "t"])
def test_a_link_that_is_not_a_citation_is_left_alone(tmp_path, kind):
    page = _build(tmp_path, f"[text](https://example.org/cite:{kind}:x)", set())
    assert "https://example.org/" in page
