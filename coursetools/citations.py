"""Author-year labels of the course's bibliography, as the site prints them.

One author ``Last``, two ``Last and Last``, three or more ``Last et al.``; no author: the
organisation (or the title). Used by the slides (``Author (year)``) and by
``scripts/lab_citation_links.py`` (the link text JupyterLab shows).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from coursetools.course import ROOT

BIBFILE = ROOT / "references.bib"
#: Chapters cite ``ch5-key``: a bibliography directive's ``:keyprefix:`` keeps each chapter's list apart.
PREFIX = re.compile(r"^ch\d+-")


@cache
def entries(bibfile: Path = BIBFILE):
    from pybtex.database import parse_file

    return parse_file(str(bibfile)).entries


@cache  # pybtex looks its LaTeX parser up among the installed entry points on every call: slow
def plain(latex: str) -> str:
    """A .bib field's LaTeX as plain text (braces and accents resolved)."""
    from pybtex.richtext import Text

    return Text.from_latex(latex).render_as("text")


def authors_of(entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [plain(" ".join(p.prelast_names + p.last_names)) for p in people]
    if not names:
        return plain(entry.fields.get("organization", entry.fields.get("title", entry.key)))
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def author_year(key: str, bibfile: Path = BIBFILE) -> tuple[str, str]:
    """``("Boyd and Vandenberghe", "2004")`` for a (chapter-prefixed) bibliography key."""
    bare = PREFIX.sub("", key)
    found = entries(bibfile)
    if bare not in found:
        raise KeyError(f"citation key {key!r} is not in {bibfile.name}")
    return authors_of(found[bare]), found[bare].fields.get("year", "n.d.")
