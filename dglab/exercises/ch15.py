"""Checks for the exercises of chapter 15 (further resources)."""

from __future__ import annotations

import re
from pathlib import Path

from ._feedback import AnswerError, exercise_check

__all__ = ["check_identifier_kinds", "self_check_two_regimes"]

KINDS = ("DOI", "arXiv", "URL", "ISBN", "none")


def _entries(bib_text: str) -> dict[str, set[str]]:
    """Entry key -> lower-case field names, read with a regular expression (not pybtex)."""
    entries = {}
    for match in re.finditer(r"@\w+\s*\{\s*([^,\s]+)\s*,(.*?)\n\}", bib_text, re.S):
        fields = {f.lower() for f in re.findall(r"^\s*(\w+)\s*=", match.group(2), re.M)}
        entries[match.group(1)] = fields
    return entries


def _kind(fields: set[str]) -> str:
    for kind, field in (("DOI", "doi"), ("arXiv", "eprint"), ("URL", "url"), ("ISBN", "isbn")):
        if field in fields:
            return kind
    return "none"


@exercise_check
def check_identifier_kinds(kinds, bib_path):
    """Check the entries of a .bib file grouped by the kind of identifier they carry.

    Parameters
    ----------
    kinds : dict of str -> list of str
        Entry keys by kind, one of :data:`KINDS` (an entry with several identifiers counts under
        the first of DOI, arXiv, URL, ISBN).
    bib_path : path-like
        The bibliography (``course.ROOT / "references.bib"``).

    Returns
    -------
    CheckResult
    """
    path = Path(bib_path)
    if not path.is_file():
        raise AnswerError(f"`bib_path` should be the references.bib file; {path} does not exist.")
    if not isinstance(kinds, dict) or not set(kinds) <= set(KINDS):
        raise AnswerError(f"`kinds` should be a dict whose keys are among {KINDS}.")
    reference: dict[str, set[str]] = {}
    for key, fields in _entries(path.read_text(encoding="utf-8")).items():
        reference.setdefault(_kind(fields), set()).add(key)
    got = {k: set(v) for k, v in kinds.items() if v}
    if got == reference:
        counts = ", ".join(f"{k} {len(reference.get(k, ()))}" for k in KINDS)
        return f"every entry is under the right kind ({counts})."
    listed = set().union(*got.values()) if got else set()
    every = set().union(*reference.values())
    if listed != every:
        missing, extra = sorted(every - listed), sorted(listed - every)
        raise AnswerError(f"list every entry exactly once: missing {missing[:5]}, unknown {extra[:5]}.")
    wrong = sorted(k for kind, keys in got.items() for k in keys if k not in reference.get(kind, set()))
    raise AnswerError(f"{len(wrong)} entries are under the wrong kind, e.g. {wrong[:3]}; an entry with a DOI "
                      "counts as DOI even when it also has a URL (arXiv ids are in the `eprint` field).")


_POINTS = {
    "chapter 8 tested the asymptotic part (logistic regression at least as accurate with enough data)":
        (r"\b8\b", r"asymptot|enough data|more data|large"),
    "chapter 8 tested the speed part (naive Bayes levelling off early, not clearly ahead)":
        (r"\b8\b", r"fast|quick|early|few examples|small"),
    "chapter 14 turned the trade-off into a dial (naive-Bayes rows added to an SVM)": (r"\b14\b", r"hybrid|augment|generat"),
}


@exercise_check
def self_check_two_regimes(paragraph):
    """Structured self-check of a written answer: does it cover the points a model answer makes?

    Not a grade: it lists which of the three points your paragraph mentions, so you can compare it
    with the model answer.

    Parameters
    ----------
    paragraph : str
        Your answer.

    Returns
    -------
    CheckResult
        Passed when all three points are mentioned.
    """
    if not isinstance(paragraph, str) or len(paragraph.split()) < 20:
        raise AnswerError("write a paragraph (at least 20 words) as a string.")
    text = paragraph.lower()
    missing = [point for point, patterns in _POINTS.items() if not all(re.search(p, text) for p in patterns)]
    if missing:
        raise AnswerError("your paragraph does not yet mention: " + "; ".join(missing) + ".")
    return "your paragraph mentions all three points; compare its findings with the model answer."
