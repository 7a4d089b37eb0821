"""Datasets for the course: loaders for data that ships with Python or scikit-learn.

Nothing here downloads anything: every loader builds its data from files already installed.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
from sklearn.utils import Bunch

__all__ = ["PYTHON_DOC_TOPIC_GROUPS", "load_python_doc_paragraphs"]

#: Which help topics of ``pydoc_data.topics`` make up each class of
#: :func:`load_python_doc_paragraphs`. The topics are sections of the Python Language and
#: Library References; the groups follow the reference's own chapters.
PYTHON_DOC_TOPIC_GROUPS: dict[str, tuple[str, ...]] = {
    # Language Reference, "Simple statements" and "Compound statements"
    "statements": (
        "assert", "assignment", "async", "augassign", "break", "class", "compound", "continue",
        "del", "else", "for", "function", "global", "if", "import", "nonlocal", "pass", "raise",
        "return", "try", "while", "with", "yield",
    ),
    # Language Reference, "Expressions"
    "expressions": (
        "atom-identifiers", "atom-literals", "attribute-references", "await", "binary",
        "bitwise", "booleans", "calls", "comparisons", "conversions", "dict", "exprlists", "in",
        "lambda", "lists", "operator-summary", "power", "shifting", "slicings", "subscriptions",
        "unary",
    ),
    # Language Reference, "Data model"
    "data model": (
        "attribute-access", "callable-types", "context-managers", "customization",
        "numeric-types", "objects", "sequence-types", "specialattrs", "specialnames", "types",
    ),
    # Library Reference, "Built-in Types"
    "built-in types": (
        "bltin-code-objects", "bltin-ellipsis-object", "bltin-null-object", "bltin-type-objects",
        "string-methods", "truth", "typesfunctions", "typesmapping", "typesmethods",
        "typesmodules", "typesseq", "typesseq-mutable",
    ),
}

_UNDERLINE = re.compile(r"\s*[*=\-^~]{3,}\s*")
_PLAIN_WORD = re.compile(r"[A-Za-z][a-z]*[,.;:]?")


def _prose_paragraphs(text: str, min_words: int):
    """The prose paragraphs of one help topic, each on one line with single spaces."""
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip("\n").splitlines()
        if any(_UNDERLINE.fullmatch(line) for line in lines):
            continue  # a section title and its underline
        paragraph = " ".join(block.split())
        if "::=" in paragraph or paragraph.startswith((">>>", "...")):
            continue  # a grammar rule or an interactive example
        words = paragraph.split()
        if len(words) < min_words:
            continue
        if sum(bool(_PLAIN_WORD.fullmatch(w)) for w in words) < 0.5 * len(words):
            continue  # mostly code, signatures or tables rather than sentences
        yield paragraph


def load_python_doc_paragraphs(*, min_words: int = 20, return_X_y: bool = False):
    """Paragraphs of the Python reference documentation, labelled by the part they come from.

    The text is the offline copy of the documentation that CPython ships for ``help()``
    (``pydoc_data.topics``): no download, licensed under the PSF licence. Each help topic
    listed in :data:`PYTHON_DOC_TOPIC_GROUPS` is split into paragraphs; titles, grammar
    rules, interactive examples and paragraphs that are mostly code are dropped, and so are
    paragraphs shorter than ``min_words`` words. A paragraph that appears in several topics
    (some topics include others) is kept once, and dropped if those topics belong to
    different classes. The result is deterministic for a given Python version; the
    documentation changes a little between Python releases, so the exact counts do too.

    Parameters
    ----------
    min_words : int, default=20
        Shortest paragraph kept, in whitespace-separated words (at least 1).
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    sklearn.utils.Bunch
        ``data``: list of paragraphs (str); ``target``: ndarray of int class indices;
        ``target_names``: list of the class names, in the order of
        :data:`PYTHON_DOC_TOPIC_GROUPS`; ``topic``: the help topic of each paragraph;
        ``DESCR``: a short description. With ``return_X_y=True``, ``(data, target)``.

    Examples
    --------
    >>> from dglab.data import load_python_doc_paragraphs
    >>> docs = load_python_doc_paragraphs()
    >>> docs.target_names
    ['statements', 'expressions', 'data model', 'built-in types']
    >>> len(docs.data) == len(docs.target) == len(docs.topic)
    True
    """
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 1:
        raise ValueError(f"min_words must be an integer >= 1, got {min_words!r}")
    from pydoc_data.topics import topics

    groups = list(PYTHON_DOC_TOPIC_GROUPS)
    first_topic: dict[str, str] = {}
    classes_of: dict[str, set[int]] = defaultdict(set)
    for label, group in enumerate(groups):
        for topic in sorted(PYTHON_DOC_TOPIC_GROUPS[group]):
            if topic not in topics:
                continue  # a topic missing from this Python version's help
            for paragraph in _prose_paragraphs(topics[topic], min_words):
                first_topic.setdefault(paragraph, topic)
                classes_of[paragraph].add(label)
    kept = [p for p in first_topic if len(classes_of[p]) == 1]  # dicts keep insertion order
    data = kept
    target = np.array([next(iter(classes_of[p])) for p in kept], dtype=np.int64)
    if return_X_y:
        return data, target
    counts = ", ".join(f"{g}: {int(np.sum(target == i))}" for i, g in enumerate(groups))
    descr = (
        f"{len(data)} paragraphs (at least {min_words} words) of the Python reference "
        f"documentation shipped in pydoc_data.topics, in {len(groups)} classes ({counts})."
    )
    return Bunch(
        data=data, target=target, target_names=groups,
        topic=[first_topic[p] for p in kept], DESCR=descr,
    )
