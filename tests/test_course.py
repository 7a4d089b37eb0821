"""The book's table of contents, its chapters and their executed references agree."""

import nbformat
import pytest

from coursetools import course

CHAPTERS = course.chapters()


def test_toc_lists_existing_pages_starting_with_the_intro():
    pages = course.toc_files()
    assert pages[0].name == "intro.md"
    assert len(pages) == len(set(pages))


def test_chapters_are_numbered_in_book_order():
    numbers = [int(p.name[:2]) for p in CHAPTERS]
    assert numbers == sorted(numbers) and numbers[0] == 1


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_has_a_fresh_reference(chapter):
    ref = course.reference_path(chapter)
    assert ref.exists(), f"missing {ref}; run `make references`"
    reason = course.stale_reason(course.read_chapter(chapter), nbformat.read(ref, as_version=4))
    assert reason is None, f"{ref.name} is stale ({reason}); run `make references`"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_seeds_and_has_two_exercises_with_solutions(chapter):
    text = chapter.read_text(encoding="utf-8")
    assert "seed_everything(" in text
    assert text.count("```{exercise}") >= 2
    assert text.count("```{solution-start}") >= text.count("```{exercise}")


def test_stale_reason_detects_changed_code_and_tags():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell("x = 1")]
    same = nbformat.v4.new_notebook()
    same.cells = [nbformat.v4.new_code_cell("x = 1\n")]
    assert course.stale_reason(nb, same) is None
    changed = nbformat.v4.new_notebook()
    changed.cells = [nbformat.v4.new_code_cell("x = 2")]
    assert "code cell 0 differs (source)" in course.stale_reason(nb, changed)
    tagged = nbformat.v4.new_notebook()
    tagged.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["nbval-ignore-output"]})]
    assert "(tags)" in course.stale_reason(nb, tagged)
    longer = nbformat.v4.new_notebook()
    longer.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("y = 2")]
    assert "2 code cells" in course.stale_reason(longer, nb) or "1 code cells" in course.stale_reason(nb, longer)


def test_strip_for_reference_drops_images_and_ignored_outputs():
    nb = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_code_cell("fig")
    shown.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "AAAA", "text/plain": "<Figure>"})]
    ignored = nbformat.v4.new_code_cell("explore()", metadata={"tags": ["nbval-ignore-output"]})
    ignored.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1.23 s")]
    nb.cells = [shown, ignored]
    stripped = course.strip_for_reference(nb)
    assert stripped.cells[0].outputs[0]["data"] == {"text/plain": "<Figure>"}
    assert stripped.cells[1].outputs == []
    assert nb.cells[0].outputs[0]["data"]["image/png"] == "AAAA"  # the input is not modified


def test_strip_for_reference_gives_fixed_cell_ids():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell("x = 1")]
    assert [c.id for c in course.strip_for_reference(nb).cells] == ["cell-0", "cell-1"]


def test_strip_for_reference_joins_chunks_of_one_stream():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1); print(2)")
    out = nbformat.v4.new_output
    cell.outputs = [out("stream", name="stdout", text="1\n"), out("stream", name="stdout", text="2\n"),
                    out("stream", name="stderr", text="w\n"), out("stream", name="stdout", text="3\n")]
    nb.cells = [cell]
    texts = [(o.name, o.text) for o in course.strip_for_reference(nb).cells[0].outputs]
    assert texts == [("stdout", "1\n2\n"), ("stderr", "w\n"), ("stdout", "3\n")]


def test_load_script_imports_a_script_by_name(tmp_path):
    module = course.load_script("make_gan_checkpoints")
    assert module.LATENT_DIMS == (1, 2, 4, 8, 16, 32) and callable(module.ring_data)
    with pytest.raises(FileNotFoundError, match="no script"):
        course.load_script("make_gan_checkpoints", root=tmp_path)
