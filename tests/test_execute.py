"""coursetools.execute: chapters run in parallel into the build cache, where the build finds them."""

import nbformat
import pytest
from jupyter_cache import get_cache
from myst_nb.core.config import NbParserConfig
from myst_nb.core.read import create_nb_reader
from myst_parser.config.main import MdParserConfig

from coursetools import course, execute

CHAPTER = """\
---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
# A chapter

```{code-cell} ipython3
:tags: [hide-input]
print(6 * 7)
```
"""


@pytest.mark.parametrize("chapter", course.chapters(), ids=lambda p: p.stem)
def test_the_cache_key_is_the_one_the_build_computes(chapter, tmp_path):
    """The build reads a chapter through myst-nb's Sphinx reader; ours must hash the same."""
    text = chapter.read_text(encoding="utf-8")
    md_config = MdParserConfig(enable_extensions={"colon_fence", "dollarmath", "amsmath", "deflist",
                                                  "substitution"})
    reader = create_nb_reader(str(chapter), md_config, NbParserConfig(), text)
    cache = get_cache(str(tmp_path / "cache"))
    ours = cache.create_hashed_notebook(execute.read_as_myst_nb(chapter))
    builds = cache.create_hashed_notebook(reader.read(text))
    assert ours[1] == builds[1]


def test_execute_caches_a_chapter_once_and_reports_a_failing_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(execute, "CACHE", tmp_path / "cache")
    good = tmp_path / "good.md"
    good.write_text(CHAPTER)
    assert execute.execute([good], jobs=1) == 0
    cache = get_cache(str(tmp_path / "cache"))
    record = cache.match_cache_notebook(execute.read_as_myst_nb(good))
    _, executed = cache.merge_match_into_notebook(execute.read_as_myst_nb(good))
    assert executed.cells[1].outputs[0]["text"] == "42\n"
    assert record.data["execution_seconds"] > 0
    assert execute.execute([good], jobs=1) == 0  # nothing left to run
    assert "1 of 1 chapters cached" in capsys.readouterr().out

    bad = tmp_path / "bad.md"
    bad.write_text(CHAPTER.replace("print(6 * 7)", "raise ValueError('broken cell')"))
    assert execute.execute([bad], jobs=1) == 1
    assert "bad.md FAILED" in capsys.readouterr().err
    with pytest.raises(KeyError):
        get_cache(str(tmp_path / "cache")).match_cache_notebook(execute.read_as_myst_nb(bad))
    assert isinstance(executed, nbformat.NotebookNode)


def test_a_change_to_dglab_runs_every_chapter_again(tmp_path, monkeypatch, capsys):
    """jupyter-cache keys chapters by their code cells; a dglab change must still reach the pages."""
    monkeypatch.setattr(execute, "CACHE", tmp_path / "cache")
    chapter = tmp_path / "chapter.md"
    chapter.write_text(CHAPTER)
    assert execute.execute([chapter], jobs=1) == 0
    assert not execute.library_changed(tmp_path / "cache")
    assert execute.execute([chapter], jobs=1) == 0
    assert "1 of 1 chapters cached" in capsys.readouterr().out

    monkeypatch.setattr(execute, "library_digest", lambda: "another dglab")
    assert execute.library_changed(tmp_path / "cache")
    assert execute.execute([chapter], jobs=1) == 0
    out = capsys.readouterr().out
    assert "dglab changed" in out and "0 of 1 chapters cached, 1 to run" in out
    assert not execute.library_changed(tmp_path / "cache")  # the new runs are stamped


def test_unchanged_sources_skip_the_cache_check_and_any_change_makes_it_again(tmp_path, monkeypatch, capsys):
    """A warm `make book` must not pay for reading every chapter through myst-nb (~5 s)."""
    monkeypatch.setattr(execute, "CACHE", tmp_path / "cache")
    chapter = tmp_path / "chapter.md"
    chapter.write_text(CHAPTER)
    assert execute.execute([chapter], jobs=1) == 0
    capsys.readouterr()
    checked = []
    real = execute.stale_chapters
    monkeypatch.setattr(execute, "stale_chapters", lambda cache, paths: checked.append(paths) or real(cache, paths))
    assert execute.execute([chapter], jobs=1) == 0
    assert not checked and "unchanged since the last run" in capsys.readouterr().out
    # prose only: the cache still holds the chapter (same code), but it is checked, not assumed
    chapter.write_text(CHAPTER + "\nMore prose.\n")
    assert execute.execute([chapter], jobs=1) == 0
    assert checked and "1 of 1 chapters cached, 0 to run" in capsys.readouterr().out
    # a dglab change is noticed by the fast path too
    monkeypatch.setattr(execute, "library_digest", lambda: "another dglab")
    assert execute.execute([chapter], jobs=1) == 0
    assert "dglab changed" in capsys.readouterr().out


def test_glue_does_not_compile_the_iri_grammars():
    """Every chapter calls ``myst_nb.glue``, which imports nbformat and so jsonschema. From 4.24,
    jsonschema imports rfc3987-syntax, which compiles ~35 Lark grammars: 1.2 s in every chapter's
    kernel (python-jsonschema/jsonschema#1428). requirements.txt keeps jsonschema below 4.24."""
    import subprocess
    import sys

    code = "import sys, IPython, myst_nb.ext.glue; print(sorted(m for m in sys.modules if 'rfc3987' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _atexit_marker_cell(marker) -> str:
    return f"import atexit, pathlib\natexit.register(pathlib.Path({str(marker)!r}).write_text, 'exited')"


def test_a_finished_chapter_s_kernel_is_stopped_at_once(tmp_path):
    """Nothing waits for a finished kernel to tear itself down (1.5 s with torch loaded): the
    kernel is killed, so its exit handlers never run. Control: a graceful shutdown runs them."""
    from nbclient import NotebookClient

    def notebook(marker):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_atexit_marker_cell(marker))])

    graceful = tmp_path / "graceful"
    NotebookClient(notebook(graceful), timeout=60, kernel_name="python3").execute()
    assert graceful.read_text() == "exited"  # the control: this is what the test would see

    ours = tmp_path / "course-execute"
    course.execute(notebook(ours), cwd=tmp_path, static_explorers=False)
    assert not ours.exists()


def test_the_build_s_execution_stops_each_kernel_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv(course.STATIC_EXPLORERS, "1")  # _execute sets it for its worker process
    marker = tmp_path / "build"
    chapter = tmp_path / "chapter.md"
    chapter.write_text(CHAPTER.replace("print(6 * 7)", _atexit_marker_cell(marker)))
    _, executed, seconds, error = execute._execute(str(chapter))
    assert error is None and seconds > 0
    assert not marker.exists()
