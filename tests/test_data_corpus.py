"""The offline text corpus: deterministic, the expected size, and no text shared between splits."""

from pydoc_data.topics import topics

import pytest

from dglab.data import TextCorpus, load_corpus


@pytest.fixture(scope="module")
def corpus() -> TextCorpus:
    return load_corpus()


def test_deterministic(corpus):
    again = load_corpus()
    assert again == corpus
    assert again.fingerprint == corpus.fingerprint
    assert len(corpus.fingerprint) == 16


def test_sizes_and_topics(corpus):
    # ~460,000 characters before deduplication; about a tenth of the pages held out.
    assert 250_000 < len(corpus.train) < 460_000
    assert 20_000 < len(corpus.validation) < 80_000
    assert 0.05 < len(corpus.validation) / (len(corpus.train) + len(corpus.validation)) < 0.2
    names = sorted(topics)
    assert corpus.validation_topics == tuple(n for n in names[5::10] if n in corpus.validation_topics)
    assert set(corpus.train_topics).isdisjoint(corpus.validation_topics)
    assert set(corpus.train_topics) | set(corpus.validation_topics) <= set(names)
    assert "PSF" in corpus.licence and "pydoc_data.topics" in corpus.source


def test_texts_are_the_pages_in_order(corpus):
    # Each held-out page starts its section of the validation text, in sorted order.
    first = corpus.validation_topics[0]
    assert corpus.validation.startswith(topics[first].strip("\n")[:200])
    positions = [corpus.validation.find(topics[n].strip("\n")[:80]) for n in corpus.validation_topics
                 if topics[n].strip("\n")[:80] in corpus.validation]
    assert positions == sorted(positions) and len(positions) >= 2


def _shingles(text: str, k: int = 60) -> set[str]:
    return {text[i:i + k] for i in range(len(text) - k)}


def test_no_text_shared_between_splits(corpus):
    # After deduplication no 60-character stretch of held-out prose (other than separators and
    # markup lines) appears verbatim in the training text.
    train = _shingles(corpus.train)
    held_out = _shingles(corpus.validation)
    shared = {s for s in held_out & train if s.strip("-=*+| \n")}
    assert len(shared) / len(held_out) < 0.02


def test_duplicate_blocks_are_removed(corpus):
    # "customization" is a section of "specialnames": it must not appear twice in the corpus.
    block = "object.__getattr__(self, name)"
    text = corpus.train + corpus.validation
    assert text.count(block) == 1


def test_other_splits(corpus):
    other = load_corpus(validation_every=4, validation_offset=0)
    assert len(other.validation) > len(corpus.validation)
    assert set(other.train_topics).isdisjoint(other.validation_topics)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"validation_every": 1}, "validation_every must be an integer >= 2"),
        ({"validation_every": 2.5}, "validation_every must be an integer >= 2"),
        ({"validation_offset": 10}, "validation_offset must be an integer >= 0 and <= 9"),
        ({"validation_offset": -1}, "validation_offset must be an integer >= 0 and <= 9"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        load_corpus(**kwargs)
