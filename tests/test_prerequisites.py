"""The prerequisite map: front matter, glossary links, "What you'll need" and reading times agree."""

import textwrap

import pytest

from coursetools import course
from coursetools import prerequisites as pr

HEADER = """---
jupytext:
  formats: md:myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
course:
  prerequisites: {pre}
  defines: {defines}
  uses: {uses}
---
"""


def test_the_book_has_no_prerequisite_problems():
    assert pr.problems() == []


def test_every_chapter_declares_its_front_matter():
    for path in course.chapters():
        assert "\ncourse:\n" in path.read_text(encoding="utf-8").split("\n---", 1)[0], path.name


def test_the_primer_is_an_appendix_chapter_that_chapters_2_4_5_9_link():
    primer = next(p for p in course.chapters() if p.name.startswith("16_"))
    assert "Appendix" in primer.read_text(encoding="utf-8").split("\n# ", 1)[1].splitlines()[0]
    for n in (2, 4, 5, 9):
        path = next(p for p in course.chapters() if pr.chapter_number(p) == n)
        assert 16 in pr.mentioned_chapters(pr.needs_paragraph(path.read_text(encoding="utf-8"))), path.name


def test_the_issue_wrong_pointers_are_fixed():
    edges = pr.graph()
    terms = pr.glossary()
    assert terms["cross-entropy"] == 2 and terms["softmax"] == 2
    assert {2, 3, 16} <= pr.closure(5, edges) and {2, 3, 16} <= pr.closure(9, edges)
    assert {3, 16} <= pr.closure(4, edges) and 6 in pr.closure(8, edges)
    assert terms["log-loss"] == 1  # chapter 1's summary relies on it: chapter 1 now defines it
    for word in ("nats", "EM", "PCA", "TF-IDF", "t-interval", "entropy", "mode",
                 "Jensen–Shannon divergence", "autograd", "nn.Module", "ReLU", "Adam", "detach",
                 "dropout", "embedding"):
        assert word in terms, word


def _toy_book(tmp_path, chapters: dict[str, tuple[list, list, list, str]], glossary: str):
    (tmp_path / "book").mkdir()
    toc = ["format: jb-book", "root: book/intro", "chapters:"]
    (tmp_path / "book" / "intro.md").write_text("# Intro\n", encoding="utf-8")
    for name, (pre, defines, uses, body) in chapters.items():
        header = HEADER.format(pre=pre, defines=defines, uses=uses).replace("'", "")
        (tmp_path / "book" / f"{name}.md").write_text(header + textwrap.dedent(body), encoding="utf-8")
        toc.append(f"  - file: book/{name}")
    (tmp_path / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")
    (tmp_path / "book" / "glossary.md").write_text(
        "# Glossary\n\n```{glossary}\n" + textwrap.dedent(glossary) + "```\n", encoding="utf-8")
    return tmp_path


GLOSSARY = """\
loss
  A number to minimise (chapter 1).

step
  One move downhill (chapter 2).

nats
  Natural-log units (glossary).
"""


def _chapter(title, needs, text):
    return f"# {title}\n\n**What you'll need.** {needs} Reading time: [READ](reading-time:this-chapter).\n\n{text}\n"


def _book(tmp_path, *, ch2_pre=(1,), ch2_uses=("loss",), ch2_needs="Chapter 1.", ch2_text="The {term}`loss`."):
    book = _toy_book(tmp_path, {
        "01_a": ([], ["loss"], ["nats"], _chapter("1. A", "Nothing.", "A {term}`loss` in {term}`nats`.")),
        "02_b": (list(ch2_pre), ["step"], list(ch2_uses),
                 _chapter("2. B", ch2_needs, "A {term}`step`. " + ch2_text)),
    }, GLOSSARY)
    pr.refresh_reading_times(book)
    return book


def test_a_consistent_toy_book_has_no_problems(tmp_path):
    assert pr.problems(_book(tmp_path)) == []


def test_a_term_from_a_chapter_not_among_the_prerequisites_fails(tmp_path):
    found = pr.problems(_book(tmp_path, ch2_pre=(), ch2_needs="Nothing."))
    assert any("uses 'loss', defined in chapter 1, which is not among its prerequisites" in f for f in found)


def test_a_link_to_an_undeclared_term_fails(tmp_path):
    found = pr.problems(_book(tmp_path, ch2_uses=()))
    assert any("links {term}`loss` without declaring it" in f for f in found)


def test_a_declared_term_never_linked_fails(tmp_path):
    found = pr.problems(_book(tmp_path, ch2_text="No link."))
    assert any("declares 'loss' but never links it" in f for f in found)


def test_what_you_need_must_name_the_prerequisites_and_only_them(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    found = pr.problems(_book(tmp_path / "a", ch2_needs="Python."))
    assert any("does not mention prerequisite chapter 1" in f for f in found)
    found = pr.problems(_book(tmp_path / "b", ch2_needs="Chapters 1 to 3."))
    assert any("points to chapter 3" in f for f in found)


def test_a_term_missing_from_the_glossary_fails(tmp_path):
    found = pr.problems(_book(tmp_path, ch2_uses=("loss", "gradient"), ch2_text="{term}`loss` {term}`gradient`"))
    assert any("'gradient' is not in the glossary" in f for f in found)


def test_a_stale_reading_time_fails(tmp_path):
    book = _book(tmp_path)
    path = book / "book" / "02_b.md"
    path.write_text(path.read_text(encoding="utf-8").replace("A {term}`step`.", "A {term}`step`. " + "word " * 3000),
                    encoding="utf-8")
    found = pr.problems(book)
    assert any("02_b.md: reading time says" in f for f in found)
    assert pr.refresh_reading_times(book) == [path] and pr.problems(book) == []


def test_reading_time_counts_words_exercises_and_run_time(tmp_path):
    path = tmp_path / "01_x.md"
    prose = "word " * (pr.WORDS_PER_MINUTE * 20)
    path.write_text(HEADER.format(pre=[], defines=[], uses=[]) + f"# 1. X\n\n{prose}\n\n"
                    "```{code-cell} ipython3\n:tags: [remove-cell]\n\nhidden " + "x " * 5000 + "\n```\n\n"
                    "```{exercise} One\n:label: a\nDo.\n```\n", encoding="utf-8")
    expected = 20 + pr.MINUTES_PER_EXERCISE + pr.RUN_MINUTES
    assert pr.reading_minutes(path) == 5 * -(-expected // 5)
    assert pr.reading_time_text(45) == "about 45 minutes"
    assert pr.reading_time_text(80) == "about 1 h 20 min"
    assert pr.reading_time_text(120) == "about 2 h"


@pytest.mark.parametrize(("paragraph", "expected"), [
    ("Chapter 4, the cross-entropy of chapter 2.", {2, 4}),
    ("Chapters 1 to 3 (logistic regression).", {1, 2, 3}),
    ("Chapters 3 (`LogisticRegressionGD`), 5 (the GAN) and a little statistics.", {3, 5}),
    ("Chapter 1 (discriminative models, $P(y \\mid x)$) and chapter 6.", {1, 6}),
    ("the {doc}`PyTorch primer <16_pytorch_primer>` (appendix).", {16}),
    ("Nothing beyond curiosity.", set()),
])
def test_mentioned_chapters(paragraph, expected):
    assert pr.mentioned_chapters(paragraph) == expected


def test_a_cycle_is_reported(tmp_path):
    book = _book(tmp_path)
    path = book / "book" / "01_a.md"
    path.write_text(path.read_text(encoding="utf-8").replace("prerequisites: []", "prerequisites: [2]"),
                    encoding="utf-8")
    assert any("lead back to itself" in f for f in pr.problems(book))
    with pytest.raises(ValueError, match="cycle"):
        pr.prerequisite_figure(book)


def test_the_prerequisite_figure_has_one_box_per_chapter():
    fig = pr.prerequisite_figure()
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_text()]
    assert len(texts) == len(course.chapters())
    assert any(t.startswith("16. Appendix") for t in texts)


def test_teaching_notes_do_not_count_as_the_learner_s_reading(tmp_path):
    prose = "---\ntitle: t\n---\n# 1. A chapter\n\nOne two three four five.\n"
    notes = (":::{admonition} Teaching notes\n:class: dropdown speaker-notes\n\n"
             + "word " * 400 + "\n:::\n")
    plain, noted = tmp_path / "a.md", tmp_path / "b.md"
    plain.write_text(prose, encoding="utf-8")
    noted.write_text(prose + "\n" + notes + "\n## Next\n", encoding="utf-8")
    assert pr.reading_words(noted) == pr.reading_words(plain) + 2  # only "## Next" is added
