"""coursetools.sphinxext: the pieces the site build relies on (the built pages are checked in tests/browser)."""

from types import SimpleNamespace

import nbformat
import pytest
from sphinx.builders.html._assets import _JavaScript

from coursetools import sphinxext


def test_vendor_files_are_not_added_to_every_page():
    config = SimpleNamespace(
        html_js_files=["vendor/reveal.js/dist/reveal.js", "dglab-widgets.js", "custom.js",
                       ("vendor/mathjax/tex-mml-chtml.js", {"defer": "defer"})],
        html_css_files=["vendor/reveal.js/dist/reveal.css", "custom.css"],
    )
    sphinxext.keep_vendor_off_every_page(None, config)
    assert config.html_js_files == ["custom.js"]
    assert config.html_css_files == ["custom.css"]


def test_duplicate_scripts_are_dropped_in_place():
    scripts = [
        _JavaScript(None, body='const THEBE_JS_URL = "x"'),
        _JavaScript("_static/a.js"),
        _JavaScript("", body='const THEBE_JS_URL = "x"'),
        _JavaScript("_static/a.js", defer="defer"),
        _JavaScript("_static/a.js"),
    ]
    context = {"script_files": scripts}
    sphinxext.drop_duplicate_scripts(None, "page", "page.html", context, None)
    assert context["script_files"] is scripts  # the builder's own list, edited in place
    assert [(js.filename, dict(js.attributes)) for js in scripts] == [
        (None, {"body": 'const THEBE_JS_URL = "x"'}), ("_static/a.js", {}), ("_static/a.js", {"defer": "defer"}),
    ]


def _app(tmp_path, *, notebook_page=True, cache=None):
    executed = tmp_path / "jupyter_execute"
    (executed / "book").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(1)")]
    nbformat.write(nb, executed / "book" / "01_x.ipynb")
    config = SimpleNamespace(output_folder=str(executed), execution_mode="cache",
                             execution_cache_path=str(cache or tmp_path / "no-cache"))
    metadata = {"book/01_x": {"kernelspec": {"name": "python3"}} if notebook_page else {}}
    env = SimpleNamespace(mystnb_config=config, metadata=metadata)
    return SimpleNamespace(env=env, outdir=str(tmp_path / "html"))


def test_notebook_pages_are_recognised(tmp_path):
    assert sphinxext.is_notebook_page(_app(tmp_path), "book/01_x")
    assert not sphinxext.is_notebook_page(_app(tmp_path / "b", notebook_page=False), "book/01_x")
    assert not sphinxext.is_notebook_page(_app(tmp_path / "c"), "book/intro")


def test_notebook_is_written_into_the_site_and_offered_by_the_theme(tmp_path):
    app = _app(tmp_path)
    context = {}
    sphinxext.copy_notebook(app, "book/01_x", "page.html", context, None)
    assert context["ipynb_source"] == "book/01_x.ipynb"
    written = nbformat.read(tmp_path / "html" / "_sources" / "book" / "01_x.ipynb", as_version=4)
    assert written.cells[0].source == "print(1)"
    context = {}
    sphinxext.copy_notebook(app, "book/intro", "page.html", context, None)
    assert context == {}


def test_outputs_come_from_the_execution_cache(tmp_path):
    """myst-nb's copy of a chapter read from the cache has no outputs; the download must have them."""
    from jupyter_cache import get_cache

    executed = nbformat.v4.new_notebook()
    executed.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executed.cells = [nbformat.v4.new_code_cell("print(1)", execution_count=1, outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="1\n")])]
    path = tmp_path / "executed.ipynb"
    nbformat.write(executed, path)
    cache = get_cache(str(tmp_path / "cache"))
    cache.cache_notebook_file(str(path), check_validity=False)

    bare = nbformat.v4.new_notebook()
    bare.metadata["kernelspec"] = executed.metadata["kernelspec"]
    bare.cells = [nbformat.v4.new_code_cell("print(1)")]
    nbformat.write(bare, tmp_path / "bare.ipynb")
    merged = sphinxext.load_executed_notebook(tmp_path / "bare.ipynb", tmp_path / "cache")
    assert merged.cells[0].outputs[0].text == "1\n"
    # no cache (or no match): the notebook as it is
    assert sphinxext.load_executed_notebook(tmp_path / "bare.ipynb", None).cells[0].outputs == []


def test_slides_join_the_theme_download_menu(tmp_path):
    app = _app(tmp_path)
    group = {"label": "download-buttons", "buttons": [{"label": "download-notebook-button"},
                                                       {"label": "download-source-button"}]}
    context = {"header_buttons": [group], "pathto": lambda target, resource: f"../{target}"}
    sphinxext.add_slides_button(app, "book/01_x", "page.html", context, None)
    labels = [b["label"] for b in group["buttons"]]
    assert labels == ["download-notebook-button", "download-slides-button", "download-source-button"]
    assert group["buttons"][1]["url"] == "../slides/01_x.html"


@pytest.mark.parametrize("docname", ["book/01_x", "book/sub/02_y"])
def test_download_path(docname):
    assert sphinxext.notebook_download_path(docname) == f"_sources/{docname}.ipynb"


def test_figures_and_exercises_are_numbered_per_chapter():
    from types import SimpleNamespace

    from coursetools.sphinxext import number_per_chapter

    env = SimpleNamespace(toc_fignumbers={
        "book/05_gans": {"exercise": {"ex-b": (10,), "ex-a": (9,)}, "figure": {"fig-1": (14,)}},
        "book/instructor_guide": {"table": {"t": (3,)}},
    })
    changed = number_per_chapter(None, env)
    assert env.toc_fignumbers["book/05_gans"] == {
        "exercise": {"ex-a": (5, 1), "ex-b": (5, 2)}, "figure": {"fig-1": (5, 1)}}
    assert env.toc_fignumbers["book/instructor_guide"] == {"table": {"t": (1,)}}
    assert sorted(changed) == ["book/05_gans", "book/instructor_guide"]
    assert number_per_chapter(None, env) == []  # stable on the next build


def test_bibliography_entries_are_list_items():
    from coursetools.sphinxext import accessible_bibliography

    context = {"body": '<div role="list" class="citation-list">\n'
                       '<div class="citation" id="id1" role="doc-biblioentry">x</div></div>'}
    accessible_bibliography(None, "p", "page.html", context, None)
    assert 'role="doc-biblioentry"' not in context["body"]
    assert context["body"].count('role="listitem"') == 1


def test_hidden_cell_toggles_are_named_by_their_visible_text():
    from coursetools.sphinxext import summaries_named_by_their_text

    context = {"body": '<details class="hide above-input"><summary aria-label="Toggle hidden content">\n'
                       '<p class="collapsed admonition-title">Show code cell source</p></summary></details>'}
    summaries_named_by_their_text(None, "p", "page.html", context, None)
    assert "aria-label" not in context["body"] and "<summary>" in context["body"]
    assert "Show code cell source" in context["body"]
