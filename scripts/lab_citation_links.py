"""Write the chapters' citations so JupyterLab shows author and year, not a bibliography key.

jupyterlab-myst renders ``{cite:p}`ch3-boyd2004convex``` as the bare key ``ch3-boyd2004convex``
(it loads no bibliography). Each citation role becomes a Markdown link whose text is the
author-year citation and whose target names the role and keys:

    {cite:p}`ch3-boyd2004convex`    -> [(Boyd and Vandenberghe, 2004)](cite:p:ch3-boyd2004convex)
    {cite:t}`ch3-lecun1998efficient` -> [LeCun et al. (1998)](cite:t:ch3-lecun1998efficient)

On the website, ``coursetools.sphinxext.CitationLinks`` turns such a link back into the very
nodes the role makes, so the site renders exactly as before (text and links from the .bib).
The link text follows the site's author-year labels: one author ``Last``, two ``Last and Last``,
three or more ``Last et al.``. ``tests/test_citations.py`` checks every link's text against the
.bib, so an edited entry cannot leave a stale label in JupyterLab.

Idempotent: ``python scripts/lab_citation_links.py [book/NN_*.md ...]`` (default: every chapter).
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the course's tooling is not installed: run from any directory
from coursetools.citations import PREFIX, author_year, entries  # noqa: E402
from coursetools.rewrite import rewrite_chapters  # noqa: E402

ROLE = re.compile(r"\{cite:(?P<kind>p|t)\}`(?P<keys>[^`]+)`")
LINK = re.compile(r"\[(?P<text>[^\]]+)\]\(cite:(?P<kind>p|t):(?P<keys>[^)\s]+)\)")


@cache
def _sorting_style():
    from pybtex.plugin import find_plugin

    return find_plugin("pybtex.style.sorting", "author_year_title")()


def _site_order(keys: list[str]) -> list[str]:
    """The order the site lists several citations in: the bibliography style's sort."""
    found = entries()
    by_bare = {PREFIX.sub("", key): key for key in keys}
    ordered = _sorting_style().sort([found[bare] for bare in by_bare])
    return [by_bare[entry.key] for entry in ordered]


def link_text(kind: str, keys: str) -> str:
    names = [key.strip() for key in keys.split(",")]
    for key in names:
        author_year(key)  # an unknown key fails here, with its name
    cited = [author_year(key) for key in _site_order(names)]
    if kind == "p":
        return "(" + ", ".join(f"{who}, {year}" for who, year in cited) + ")"
    return ", ".join(f"{who} ({year})" for who, year in cited)


def convert(text: str) -> str:
    def replace(match):
        keys = ",".join(key.strip() for key in match["keys"].split(","))
        return f"[{link_text(match['kind'], keys)}](cite:{match['kind']}:{keys})"

    def refresh(match):  # a link written earlier gets the text the .bib gives now
        return f"[{link_text(match['kind'], match['keys'])}](cite:{match['kind']}:{match['keys']})"

    return LINK.sub(refresh, ROLE.sub(replace, text))


def main(argv=None) -> None:
    rewrite_chapters(convert, lambda text: f"{len(ROLE.findall(text))} citation(s)", sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
