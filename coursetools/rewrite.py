"""The command line of the scripts that rewrite chapters in place (``scripts/lab_*.py``).

Each script is one text transformation (``str -> str``, idempotent); this module gives them the
same command line: ``python scripts/NAME.py [book/NN_slug.md ...]``, by default every chapter
``_toc.yml`` lists (:func:`coursetools.course.chapters`, so a new chapter needs no other list),
writing only the files that change and printing one line for each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from coursetools import course


def markdown_chapters() -> list[Path]:
    """The chapters in book order that are MyST Markdown files (the ones these scripts edit)."""
    return [p for p in course.chapters() if p.suffix == ".md"]


def rewrite_chapters(transform: Callable[[str], str], describe: Callable[[str], str],
                     argv: Sequence[str] | None = None) -> list[Path]:
    """Apply ``transform`` to the chapters named in ``argv`` (default: every Markdown chapter).

    Parameters
    ----------
    transform : callable
        The new text of a chapter from its old text.
    describe : callable
        What changed, from the old text, for the line printed after ``"book/NN_slug.md: "``.
    argv : sequence of str, optional
        Paths given on the command line; empty or ``None`` means every chapter.

    Returns
    -------
    list of Path
        The files that were rewritten.
    """
    paths = [Path(p).resolve() for p in argv] if argv else markdown_chapters()
    changed = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        new = transform(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
            where = path.relative_to(course.ROOT) if path.is_relative_to(course.ROOT) else path
            print(f"{where}: {describe(text)}")
    return changed
