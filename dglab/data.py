"""Data loaders: datasets scikit-learn ships, synthetic generators, and the offline text corpus.

Nothing here downloads anything: every loader works on a fresh install without a network.
"""

from __future__ import annotations

import hashlib
import platform
import re
from dataclasses import dataclass

__all__ = ["TextCorpus", "load_corpus"]


# --- The offline text corpus (chapter 9) -----------------------------------------------------


@dataclass(frozen=True)
class TextCorpus:
    """English prose split into a training and a held-out validation text.

    Attributes
    ----------
    train, validation : str
        The two texts; no topic appears in both.
    train_topics, validation_topics : tuple of str
        The topic names each text is made of, in the order they were joined.
    source : str
        Where the text comes from (and which Python version shipped it).
    licence : str
        The licence the text is distributed under.
    """

    train: str
    validation: str
    train_topics: tuple[str, ...]
    validation_topics: tuple[str, ...]
    source: str
    licence: str

    @property
    def fingerprint(self) -> str:
        """First 16 hex digits of the SHA-256 of both texts: identifies the exact corpus.

        Python releases edit their documentation, so a model trained on one version's corpus
        records this to tell whether it is being evaluated on the same text.
        """
        digest = hashlib.sha256()
        for text in (self.train, "\0", self.validation):
            digest.update(text.encode("utf-8"))
        return digest.hexdigest()[:16]


def load_corpus(validation_every: int = 10, validation_offset: int = 5,
                separator: str = "\n\n") -> TextCorpus:
    """The Python documentation's topic pages, split by topic into train and validation text.

    CPython ships the text of its language reference's help topics (what ``help("assert")``
    prints) in the standard-library module ``pydoc_data.topics``: about 80 pages and 460,000
    characters of technical English with some code, available on every install with no
    download.

    Many pages repeat whole sections of others (``customization`` is part of
    ``specialnames``, ``if`` of ``else``), which would let a model "predict" held-out text it
    has memorised. So the pages are first deduplicated: taken in order of topic name and cut
    into blocks at blank lines, each block is kept only where it first appears (about 20 % of
    the text goes; pages left empty are dropped). Then the page at sorted position ``i`` goes
    to the validation text when ``i % validation_every == validation_offset``, every other page
    to the training text. Splitting by page rather than by position means the validation text is
    prose on subjects the training text never covers, not a continuation of a sentence it saw.

    The text is part of the Python documentation, copyright the Python Software Foundation and
    licensed, like Python itself, under the PSF License Agreement (code examples in it are
    additionally under the Zero-Clause BSD licence; see
    https://docs.python.org/3/license.html). Its exact content varies slightly between Python
    releases; :attr:`TextCorpus.fingerprint` identifies it.

    Parameters
    ----------
    validation_every : int
        One page in every ``validation_every`` (by sorted name) is held out (at least 2).
    validation_offset : int
        Which page of each group is held out, in ``[0, validation_every)``.
    separator : str
        Put between consecutive pages.

    Returns
    -------
    TextCorpus

    Examples
    --------
    >>> from dglab.data import load_corpus
    >>> corpus = load_corpus()
    >>> len(corpus.validation) < len(corpus.train)
    True
    >>> set(corpus.train_topics) & set(corpus.validation_topics)
    set()
    """
    from pydoc_data.topics import topics  # ~450 KB of text: imported only when needed

    if isinstance(validation_every, bool) or not isinstance(validation_every, int) or validation_every < 2:
        raise ValueError(f"validation_every must be an integer >= 2, got {validation_every!r}")
    if (isinstance(validation_offset, bool) or not isinstance(validation_offset, int)
            or not 0 <= validation_offset < validation_every):
        raise ValueError(
            f"validation_offset must be an integer in [0, {validation_every}), got {validation_offset!r}"
        )
    if not isinstance(separator, str):
        raise TypeError(f"separator must be a str, got {type(separator).__name__}")
    names = sorted(topics)
    pages, seen = {}, set()
    for name in names:
        blocks = []
        for block in re.split(r"\n[ \t]*\n", topics[name].strip("\n")):
            if block.strip() and block.strip() not in seen:
                seen.add(block.strip())
                blocks.append(block)
        if blocks:
            pages[name] = "\n\n".join(blocks)
    held_out = [n for i, n in enumerate(names) if i % validation_every == validation_offset and n in pages]
    kept = [n for i, n in enumerate(names) if i % validation_every != validation_offset and n in pages]

    def join(selected):
        return separator.join(pages[n] for n in selected)

    return TextCorpus(
        train=join(kept),
        validation=join(held_out),
        train_topics=tuple(kept),
        validation_topics=tuple(held_out),
        source=f"pydoc_data.topics of Python {platform.python_version()}",
        licence="PSF License Agreement (the Python documentation's licence), "
                "https://docs.python.org/3/license.html",
    )
