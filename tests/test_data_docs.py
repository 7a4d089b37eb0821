import re
from pydoc_data.topics import topics

import numpy as np
import pytest

from dglab.data import PYTHON_DOC_TOPIC_GROUPS, load_python_doc_paragraphs


@pytest.fixture(scope="module")
def docs():
    return load_python_doc_paragraphs()


def test_paragraphs_come_from_their_topics_and_classes(docs):
    assert docs.target_names == list(PYTHON_DOC_TOPIC_GROUPS)
    assert len(docs.data) == len(docs.target) == len(docs.topic) > 400
    assert docs.target.dtype == np.int64
    for text, label, topic in zip(docs.data, docs.target, docs.topic, strict=True):
        assert topic in PYTHON_DOC_TOPIC_GROUPS[docs.target_names[label]]
        # the paragraph is the topic's own text, with its whitespace collapsed
        assert text in " ".join(topics[topic].split())
        assert len(text.split()) >= 20
        assert "::=" not in text and not text.startswith(">>>")
        assert not re.search(r"\*{3,}|={3,}", text)  # no section titles
    assert len(set(docs.data)) == len(docs.data)


def test_every_class_is_well_represented(docs):
    counts = np.bincount(docs.target, minlength=len(docs.target_names))
    assert counts.min() >= 50
    assert str(len(docs.data)) in docs.DESCR


def test_groups_are_disjoint_and_exist():
    names = [t for group in PYTHON_DOC_TOPIC_GROUPS.values() for t in group]
    assert len(names) == len(set(names))
    assert set(names) <= set(topics)


def test_deterministic_and_min_words(docs):
    again = load_python_doc_paragraphs()
    assert again.data == docs.data
    np.testing.assert_array_equal(again.target, docs.target)
    X, y = load_python_doc_paragraphs(min_words=60, return_X_y=True)
    assert 0 < len(X) < len(docs.data)
    assert all(len(p.split()) >= 60 for p in X)
    assert set(X) <= set(docs.data)
    for bad in (0, -5, 2.5, True, "20"):
        with pytest.raises(ValueError, match="min_words must be an integer >= 1"):
            load_python_doc_paragraphs(min_words=bad)
