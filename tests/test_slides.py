"""coursetools.slides: MyST chapters rewritten for reveal.js, and decks that only load local files."""

import re

import nbformat
import pytest

from coursetools import course
from coursetools.slides import MarkdownRewriter, export, prepare, read_citations, slide_path

CITATIONS = {"ng2001discriminative": ("Ng and Jordan", "2002", "Ng and Jordan (2002). *On ...*.")}


def rewrite(text, **kwargs):
    return MarkdownRewriter(citations=CITATIONS, **kwargs).rewrite(text)


def test_slide_path():
    assert slide_path("book/01_discriminative_models") == "slides/01_discriminative_models.html"


def test_citations_become_author_year():
    assert rewrite("As {cite:t}`ng2001discriminative` show.") == "As Ng and Jordan (2002) show."
    assert rewrite("Shown {cite:p}`ng2001discriminative`.") == "Shown (Ng and Jordan, 2002)."
    assert rewrite("{cite:p}`unknown`") == "(unknown)"


def test_citations_read_from_the_course_bibliography():
    citations = read_citations(course.ROOT / "references.bib")
    assert citations["ng2001discriminative"][:2] == ("Ng and Jordan", "2002")
    assert citations["bishop2006pattern"][:2] == ("Bishop", "2006")


def test_other_roles_keep_their_text():
    assert rewrite("see {ref}`the figure <fig-x>` and {math}`x^2`") == "see the figure and $x^2$"


def test_glued_values_replace_glue_roles_as_on_the_page():
    # what myst_nb.glue("acc", "0.860", display=False) leaves in an executed notebook
    glued_cell = nbformat.v4.new_code_cell("glue(...)")
    glued_cell.outputs = [nbformat.v4.new_output(
        "display_data", data={"application/papermill.record/text/plain": "'0.860'"},
        metadata={"scrapbook": {"name": "acc", "mime_prefix": "application/papermill.record/"}})]
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title\n\nAccuracy {glue:text}`acc`, {glue:text}`missing`."),
        glued_cell,
    ])
    from coursetools.slides import glued_values

    assert glued_values(nb) == {"acc": "0.860"}
    text = prepare(nb).cells[0].source
    assert "Accuracy 0.860, missing." in text


def test_exercise_statement_kept_and_gated_solution_dropped_across_cells():
    rewriter = MarkdownRewriter()
    exercise = rewriter.rewrite("```{exercise} Thresholds\n:label: ch1-ex\n\nFind $t$.\n```")
    assert exercise == "**Exercise: Thresholds.** Find $t$."
    assert rewriter.rewrite("```{solution-start} ch1-ex\n:class: dropdown\n```\nThe answer is 0.7.") == ""
    assert rewriter.in_solution  # the code cells that follow are dropped by prepare()
    assert rewriter.rewrite("More solution.\n```{solution-end}\n```\n## Summary") == "## Summary"
    assert not rewriter.in_solution


def test_ungated_solution_and_dropdown_are_dropped():
    text = "Before.\n\n```{solution} ex\n:class: dropdown\nSecret.\n```\n\n:::{dropdown} Hint\nHidden.\n:::\nAfter."
    assert "Secret" not in rewrite(text) and "Hidden" not in rewrite(text)
    assert rewrite(text).startswith("Before.") and rewrite(text).endswith("After.")


def test_admonitions_math_and_targets():
    assert rewrite(":::{note}\nBe careful.\n:::") == "> **Note.**\n>\n> Be careful."
    assert rewrite("```{math}\na = b\n```") == "$$\na = b\n$$"
    assert rewrite("(sec-x)=\n## Title") == "## Title"


def test_literalinclude_shows_the_object_source(tmp_path):
    (tmp_path / "mod.py").write_text("import os\n\n\nclass A:\n    def f(self):\n        return 1\n\n\ndef g():\n    return 2\n")
    text = rewrite("```{literalinclude} mod.py\n:pyobject: A.f\n```", source_dir=tmp_path)
    assert text == "```python\ndef f(self):\n    return 1\n```"
    assert "def g" in rewrite("```{literalinclude} mod.py\n```", source_dir=tmp_path)


def test_plain_code_blocks_are_left_alone():
    text = "```python\n{cite:p}`ng2001discriminative`\n```"
    assert rewrite(text) == text


def test_bibliography_lists_the_cited_references():
    rewriter = MarkdownRewriter(citations=CITATIONS)
    rewriter.rewrite("As {cite:t}`ng2001discriminative` show.")
    assert rewriter.rewrite("```{bibliography}\n:filter: docname in docnames\n```") == \
        "- Ng and Jordan (2002). *On ...*."


def _chapter():
    nb = nbformat.v4.new_notebook()
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    figure = nbformat.v4.new_code_cell("fig", outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": png, "text/plain": "<Figure>"})])
    figure.metadata["mystnb"] = {"image": {"alt": "A dot."}, "figure": {"caption": "One pixel."}}
    bar = nbformat.v4.new_code_cell("train()", outputs=[
        nbformat.v4.new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "x"}, "text/plain": "100%|##| 5/5"}),
        nbformat.v4.new_output("stream", name="stderr", text="warning"),
    ])
    explorer = nbformat.v4.new_code_cell("explore(...)", outputs=[nbformat.v4.new_output(
        "display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "y"},
                              "text/html": '<div class="dglab-explorer">frames</div>', "text/plain": "E"})])
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 1. Title\n\nIntro $x$.\n\n## The idea\n\nProse."),
        nbformat.v4.new_code_cell("import dglab", outputs=[]),
        figure, bar, explorer,
        nbformat.v4.new_markdown_cell("```{solution-start} ex\n```\nWhy."),
        nbformat.v4.new_code_cell("answer = 42"),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```\n### Details\nMore."),
    ]
    nb.metadata["widgets"] = {"state": {}}
    return nb


def test_prepare_structures_slides_and_cleans_outputs():
    nb = prepare(_chapter())
    kinds = [(c.cell_type, c.metadata["slideshow"]["slide_type"], c.source[:12]) for c in nb.cells]
    assert kinds[0] == ("markdown", "slide", "# 1. Title\n\n")
    assert kinds[1] == ("markdown", "slide", "## The idea\n")
    assert ("markdown", "subslide", "### Details\n") in kinds
    assert all("answer" not in c.source for c in nb.cells)  # solution code dropped
    assert nb.metadata["title"] == "1. Title" and "widgets" not in nb.metadata
    figure, bar, explorer = (c for c in nb.cells if c.cell_type == "code" and c.source != "import dglab")
    html = figure.outputs[0].data["text/html"]
    assert 'alt="A dot."' in html and "<figcaption>One pixel.</figcaption>" in html
    assert "image/png" not in figure.outputs[0].data
    assert [set(o.get("data", {})) for o in bar.outputs] == [{"text/plain"}]  # no widget, no stderr
    assert set(explorer.outputs[0].data) == {"text/html", "text/plain"}
    assert "remove-input" in explorer.metadata["tags"]  # the slide shows the scrubber, not its code


def test_title_slide_links_back_to_the_chapter():
    nb = prepare(_chapter(), page_url="../book/01_x.html")
    assert "[Read this chapter in the book](../book/01_x.html)" in nb.cells[0].source
    assert "Read this chapter" not in prepare(_chapter()).cells[0].source


def test_exported_deck_loads_nothing_from_other_hosts():
    deck = export(prepare(_chapter()), vendor_url="../_static/vendor")
    urls = re.findall(r'(?:src|href)="([^"]+)"', deck) + re.findall(r'"(\S+\.js)"', deck)
    assert urls and not [u for u in urls if re.match(r"(https?:)?//", u)]
    for local in ("../_static/vendor/reveal.js/dist/reveal.js", "../_static/vendor/require.js",
                  "../_static/vendor/mathjax/tex-mml-chtml.js"):
        assert local in deck
    assert "import mermaid" not in deck and "jquery" not in deck.lower()
    assert 'alt="A dot."' in deck and "answer = 42" not in deck


def test_build_slides_needs_a_built_book(tmp_path):
    from coursetools.slides import build_slides

    with pytest.raises(FileNotFoundError, match="build the book first"):
        build_slides(tmp_path)


def test_an_unchanged_chapter_keeps_its_deck(tmp_path, monkeypatch):
    """Warm rebuilds: a deck is rewritten only when its executed chapter changes."""
    from coursetools import slides
    from coursetools.course import notebook_download_path
    from coursetools.slides import build_slides

    chapter = course.chapters()[-1]
    docname = chapter.relative_to(course.ROOT).with_suffix("").as_posix()
    source = tmp_path / "html" / notebook_download_path(docname)
    source.parent.mkdir(parents=True)
    source.write_bytes(course.reference_path(chapter).read_bytes())
    first, full = build_slides(tmp_path, [chapter])  # the lecture deck and the full-text deck
    assert full.name == first.name.replace(".html", "-full.html")
    deck = first.read_text(encoding="utf-8")
    assert "<!-- deck of" in deck and "reveal" in deck
    index = (tmp_path / "html" / "slides" / "index.html").read_text(encoding="utf-8")

    def no_conversion(*args, **kwargs):
        raise AssertionError("an unchanged chapter was converted again")

    with monkeypatch.context() as patch:  # the warm path reads the decks' recorded index entry
        patch.setattr(slides, "prepare", no_conversion)
        patch.setattr(slides, "curate", no_conversion)
        assert build_slides(tmp_path, [chapter]) == []  # nothing changed: nothing written
    assert first.read_text(encoding="utf-8") == deck
    assert (tmp_path / "html" / "slides" / "index.html").read_text(encoding="utf-8") == index
    nb = source.read_text(encoding="utf-8").replace('"cells": [', '"cells": [{"cell_type": "markdown", '
                                                    '"id": "new", "metadata": {}, "source": "# New"}, ', 1)
    source.write_text(nb, encoding="utf-8")
    assert build_slides(tmp_path, [chapter]) == [first, full]
    assert first.read_text(encoding="utf-8") != deck


def test_a_listing_cell_already_hiding_its_input_stays_a_valid_notebook():
    # show_source cells carry remove-input (and hide-input cells get it): never twice
    nb = _chapter()
    listing = nbformat.v4.new_code_cell("show_source('dglab.linear:sigmoid')", metadata={
        "tags": ["remove-input"]}, outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": "<pre>def sigmoid</pre>", "text/plain": "src"})])
    hidden = nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["hide-input"]})
    nb.cells[2:2] = [listing, hidden]
    prepared = prepare(nb)
    nbformat.validate(prepared)
    tags = [c.metadata.get("tags", []) for c in prepared.cells if c.cell_type == "code"]
    assert ["remove-input"] in tags and ["hide-input", "remove-input"] in tags
    assert "def sigmoid" in export(prepared, vendor_url="../_static/vendor")


def test_citations_with_the_bibliography_key_prefix_become_author_year():
    """Chapters cite ``ch5-key`` and declare ``:keyprefix: ch5-`` on their bibliography."""
    from coursetools.slides import read_citations

    rewriter = MarkdownRewriter(citations=read_citations(course.ROOT / "references.bib"))
    rewriter.scan(["## References\n\n```{bibliography}\n:filter: docname in docnames\n:keyprefix: ch5-\n```"])
    assert rewriter.rewrite("{cite:p}`ch5-ng2001discriminative`") == "(Ng and Jordan, 2002)"
    references = rewriter.rewrite("```{bibliography}\n:keyprefix: ch5-\n```")
    assert references.startswith("- Ng and Jordan (2002). *On Discriminative vs. Generative")
    assert "ch5-" not in references


def test_slide_source_listings_leave_docstrings_in_the_book():
    from coursetools.slides import _without_docstrings

    source = 'def f(x):\n    """Long text.\n\n    More.\n    """\n    return x\n'
    assert _without_docstrings(source) == "def f(x):\n    return x"


def test_long_markdown_is_split_at_paragraphs_into_slides():
    from coursetools.slides import SLIDE_LINES, _markdown_lines, _split_long_markdown

    text = "## Title\n\n" + "\n\n".join("word " * 60 for _ in range(12))
    pieces = _split_long_markdown(text)
    assert len(pieces) > 1 and all(_markdown_lines(p) <= SLIDE_LINES for p in pieces)
    assert "\n\n".join(pieces).split() == text.split()


# -- the curated lecture decks ----------------------------------------------------------------

NOTES = ":::{{admonition}} Teaching notes\n:class: dropdown speaker-notes\n\nAsk the room: {q}\n:::"


def _lecture_chapter():
    nb = _chapter()
    nb.cells[0].source = (
        "# 1. Title\n\nIntro.\n\n**What you'll learn.**\n- one thing;\n- another thing.\n\n"
        + NOTES.format(q="why?") + "\n\n## The idea\n\n" + " ".join(["A long sentence of prose."] * 40)
        + "\n\n$$\na = b\n$$\n\n" + NOTES.format(q="what is a?")
    )
    nb.cells.append(nbformat.v4.new_markdown_cell("## Summary\n\n- first point. More.\n- second point.\n\n"
                                                  + NOTES.format(q="what next?")))
    return nb


def test_speaker_notes_become_reveal_asides_and_leave_the_slide_text():
    from coursetools.slides import NOTES_OPEN

    text = rewrite(NOTES.format(q="*why* is it so?"))
    assert text.startswith(NOTES_OPEN) and text.endswith("</aside>") and "\n" not in text
    assert "<em>why</em> is it so?" in text


def test_summarize_keeps_one_screen_of_the_opening_sentences_equations_and_lists():
    from coursetools.slides import CURATED_LINES, _markdown_lines, summarize

    text = (" ".join(["A sentence about $x. y$ things."] * 30) + "\n\n$$\na = b\n$$\n\n"
            + "\n".join(f"- item {i}, {'long ' * 25}words. Second sentence of it." for i in range(9)) + "\n\n```python\nplumbing()\n```")
    body = summarize(text)
    assert _markdown_lines(body) <= CURATED_LINES
    assert body.startswith("A sentence about $x. y$ things.")  # not cut inside math
    assert "$$\na = b\n$$" in body and "- item 0, long" in body and "Second sentence" not in body
    assert "plumbing" not in body
    assert summarize("**Exercise: Thresholds.** Find $t$.\n\n**Exercise: Two.** More.") == \
        "- Exercise: Thresholds\n- Exercise: Two"


def test_curated_deck_has_one_slide_per_idea_notes_and_no_plumbing():
    from coursetools.slides import NOTES_OPEN, curate, notes_count, slide_count

    nb = curate(_lecture_chapter(), page_url="../book/01_x.html", full_url="01_x-full.html")
    sources = [c.source for c in nb.cells]
    assert all("import dglab" not in s and "answer = 42" not in s for s in sources)
    assert sources[0].startswith("# 1. Title\n\n- one thing;\n- another thing.")
    assert "[full-text slides](01_x-full.html)" in sources[0]
    assert NOTES_OPEN + "<p>Ask the room: why?</p>" in sources[0]
    summary = next(c for c in nb.cells if c.source.startswith("## Summary"))
    assert "what next?" in summary.source and summary.metadata["slideshow"]["slide_type"] == "slide"
    figure = next(c for c in nb.cells if c.cell_type == "code" and "<img" in str(c.outputs))
    assert "remove-input" in figure.metadata["tags"] and "dglab-slide-figure-full" in str(figure.outputs)
    assert slide_count(nb) == sum(c.metadata["slideshow"]["slide_type"] == "slide" for c in nb.cells)
    assert notes_count(nb) == 3
    deck = export(nb)
    assert deck.count('<aside class="notes">') == 3 and "plugin/notes/notes.js" in deck


def test_a_code_cell_can_be_tagged_onto_or_off_the_lecture_deck():
    from coursetools.slides import curate

    nb = _lecture_chapter()
    nb.cells.insert(2, nbformat.v4.new_code_cell("print(42)", metadata={"tags": ["slide-code"]}, outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="42\n")]))
    figure = next(c for c in nb.cells if c.cell_type == "code" and c.source == "fig")
    figure.metadata["tags"] = ["no-slide"]
    codes = [c for c in curate(nb).cells if c.cell_type == "code"]
    assert "print(42)" in [c.source for c in codes] and "fig" not in [c.source for c in codes]


def test_the_index_lists_both_decks_of_every_chapter():
    from coursetools.slides import _index_html, full_deck_name

    assert full_deck_name("05_gans.html") == "05_gans-full.html"
    index = _index_html([("05_gans.html", "05_gans-full.html", "5. GANs", 20, 44)])
    assert 'href="05_gans.html"' in index and 'href="05_gans-full.html"' in index
    assert "20 slides" in index and "<kbd>S</kbd> opens the speaker notes" in index


def test_the_notes_plugin_is_vendored_for_offline_use():
    """S opens the speaker view: reveal.js's notes plugin is copied into the site by make vendor."""
    makefile = (course.ROOT / "Makefile").read_text(encoding="utf-8")
    assert "cp node_modules/reveal.js/plugin/notes/notes.js _static/vendor/reveal.js/plugin/notes/" in makefile


# -- the 90-minute plans of the instructor guide name slides and exercises that exist ------------

def _headings(chapter_number: int) -> list[str]:
    (path,) = [p for p in course.chapters() if p.name.startswith(f"{chapter_number:02d}_")]
    headings, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\s*(`{3,}|~{3,})", line):
            fenced = not fenced
        elif not fenced and re.match(r"^#{1,3} \S", line):
            headings.append(line.lstrip("#").strip())
    return headings


def _exercises(chapter_number: int) -> list[str]:
    (path,) = [p for p in course.chapters() if p.name.startswith(f"{chapter_number:02d}_")]
    return re.findall(r"^[`:]{3,}\{exercise(?:-start)?\}\s*(.+?)\s*$", path.read_text(encoding="utf-8"), re.M)


def _plans() -> dict[str, list[tuple[int, int, str]]]:
    guide = (course.ROOT / "book" / "instructor_guide.md").read_text(encoding="utf-8")
    section = guide.split("### 90-minute plans, two chapters a session", 1)[1].split("\n## ", 1)[0]
    plans: dict[str, list[tuple[int, int, str]]] = {}
    title = None
    for line in section.splitlines():
        heading = re.match(r"^\*\*(Chapters? [^*]+)\*\*", line)
        if heading:
            title = heading.group(1)
            plans[title] = []
        row = re.match(r"^\| (\d+)–(\d+) \| [^|]+ \| (.+) \|$", line)
        if row and title:
            plans[title].append((int(row.group(1)), int(row.group(2)), row.group(3)))
    return plans


def test_every_chapter_has_a_90_minute_plan_that_fills_the_slot():
    plans = _plans()
    covered = {int(n) for rows in plans.values() for _, _, what in rows
               for n in re.findall(r"(?:deck|exercise) (\d+)", what)}
    # every chapter with a lecture deck (speaker notes) is taught in some plan
    taught = {int(p.name[:2]) for p in course.chapters() if "speaker-notes" in p.read_text(encoding="utf-8")}
    assert taught and taught <= covered, f"chapters without a 90-minute plan: {sorted(taught - covered)}"
    for title, rows in plans.items():
        assert rows, title
        assert rows[0][0] == 0 and rows[-1][1] == 90, f"{title}: the plan does not fill 0–90 minutes"
        for (_, end, _), (start, _, _) in zip(rows, rows[1:], strict=False):
            assert end == start, f"{title}: a gap or overlap at minute {end}"


def test_the_plans_name_slides_and_exercises_that_exist():
    for title, rows in _plans().items():
        for _, _, what in rows:
            slides = re.match(r"^deck (\d+), slides? \*(.+?)\*(?: to \*(.+?)\*)?$", what)
            exercise = re.match(r"^exercise (\d+)\.(\d+) \*(.+?)\*$", what)
            assert slides or exercise, f"{title}: cannot read {what!r}"
            if slides:
                headings = _headings(int(slides.group(1)))
                first, last = slides.group(2), slides.group(3) or slides.group(2)
                assert first in headings and last in headings, f"{title}: no slide {first!r} / {last!r}"
                assert headings.index(first) <= headings.index(last), f"{title}: {what}"
            else:
                chapter, number, name = int(exercise.group(1)), int(exercise.group(2)), exercise.group(3)
                assert _exercises(chapter)[number - 1] == name, f"{title}: {what}"


# -- the lecture decks of the built book ------------------------------------------------------

def _executed_chapters():
    from coursetools.course import notebook_download_path

    site = course.ROOT / "_build" / "html"
    for chapter in course.chapters():
        docname = chapter.relative_to(course.ROOT).with_suffix("").as_posix()
        yield chapter, site / notebook_download_path(docname)


@pytest.mark.parametrize("chapter", [pytest.param(c, id=c.stem) for c in course.chapters()])
def test_lecture_deck_size_notes_and_fit(chapter):
    """15–25 slides, notes on the title and summary slides (and most others), none over the frame."""
    from coursetools.slides import (
        NOTES_OPEN,
        SLIDE_LINES,
        _estimated_lines,
        curate,
        notes_count,
        slide_count,
    )

    source = dict(_executed_chapters())[chapter]
    if not source.is_file():
        pytest.skip("the book is not built (make book); tests/browser/test_site_slides.py checks the decks too")
    nb = curate(nbformat.read(source, as_version=4), citations=read_citations(course.ROOT / "references.bib"),
                source_dir=chapter.parent)
    slides, current = [], None
    for cell in nb.cells:
        if cell.metadata["slideshow"]["slide_type"] == "slide":
            current = []
            slides.append(current)
        current.append(cell)
    assert 15 <= slide_count(nb) == len(slides) <= 25, f"{chapter.name}: {slide_count(nb)} slides"
    assert notes_count(nb) >= 0.4 * len(slides), f"{chapter.name}: notes on {notes_count(nb)} of {len(slides)}"
    notes = [any(NOTES_OPEN in c.source for c in s if c.cell_type == "markdown") for s in slides]
    titles = [s[0].source.splitlines()[0] for s in slides]
    assert notes[0], f"{chapter.name}: no notes on the title slide"
    assert notes[titles.index("## Summary")], f"{chapter.name}: no notes on the summary slide"
    for title, cells in zip(titles, slides, strict=True):
        lines = sum(_estimated_lines(c) for c in cells)
        assert lines <= SLIDE_LINES, f"{chapter.name}, slide {title!r}: about {lines} lines"
        assert not any(c.cell_type == "code" and "import " in c.source and "remove-input" not in
                       c.metadata.get("tags", []) for c in cells), f"{chapter.name}: an import on {title!r}"
