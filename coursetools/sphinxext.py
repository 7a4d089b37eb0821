"""Sphinx extension of the course website: every chapter page offers its notebook and slides.

Registered in ``_config.yml`` (``sphinx.extra_extensions``). For each page that is a notebook
(a chapter: MyST markdown with a kernelspec, executed by myst-nb), it

* writes the executed notebook into the site, as ``_sources/<page>.ipynb`` (outputs included,
  so it opens ready to read in JupyterLab). myst-nb leaves a copy in ``_build/jupyter_execute/``,
  but when a chapter comes from the execution cache that copy has no outputs (myst-nb 1.4 writes
  the notebook it read, not the one merged with the cache), so the outputs are taken from the
  jupyter-cache the build uses;
* adds ``.ipynb`` and ``slides`` entries to the theme's download menu (sphinx-book-theme builds
  that menu from ``context["ipynb_source"]`` and ``context["header_buttons"]``);
* puts a visible "Download" line under the chapter's title, linking the same two files.

The slides themselves are written by ``python -m coursetools slides`` (``make slides``) after the
HTML build, under ``slides/`` (see :mod:`coursetools.slides`).

It also keeps the offline site lean and quiet: the third-party files in ``_static/vendor/`` are
loaded only by the pages that need them (Jupyter Book would add every ``.js``/``.css`` under
``_static/`` to every page), pages without a widget view do not load the widget manager, and
a script listed twice (sphinx-thebe's configuration, whose second copy throws) is listed once.
"""

from __future__ import annotations

import copy
import html
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from coursetools.course import notebook_download_path, slide_path

__all__ = [
    "setup", "executed_notebook", "load_executed_notebook", "is_notebook_page", "notebook_download_path",
]


def executed_notebook(app, docname: str) -> Path:
    """Where myst-nb wrote the executed copy of ``docname``."""
    config = getattr(app.env, "mystnb_config", None)
    folder = Path(config.output_folder) if config is not None else Path(app.outdir).parent / "jupyter_execute"
    return folder / f"{docname}.ipynb"


def _cache_path(app) -> Path | None:
    config = getattr(app.env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return None
    return Path(config.execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")


def load_executed_notebook(path: Path, cache_path: Path | None = None):
    """The notebook at ``path``, with the outputs of its match in the jupyter-cache (if any)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    if cache_path is not None and cache_path.is_dir():
        from jupyter_cache import get_cache

        try:
            _, nb = get_cache(str(cache_path)).merge_match_into_notebook(nb)
        except KeyError:  # not in the cache: executed in place, outputs already there
            pass
    return nb


def is_notebook_page(app, docname: str) -> bool:
    """A page built from a notebook: a kernelspec in its metadata and an executed copy on disk."""
    metadata = app.env.metadata.get(docname, {})
    return "kernelspec" in metadata and executed_notebook(app, docname).is_file()


def _relative(app, docname: str, target: str) -> str:
    from sphinx.util.osutil import relative_uri

    return relative_uri(app.builder.get_target_uri(docname), target)


def add_download_line(app, doctree, docname: str) -> None:
    """Insert "Download: notebook · slides" under the page title (HTML builders only)."""
    if app.builder.format != "html" or not is_notebook_page(app, docname):
        return
    sections = list(doctree.findall(nodes.section))
    if not sections:
        return
    notebook = html.escape(_relative(app, docname, notebook_download_path(docname)))
    slides = html.escape(_relative(app, docname, slide_path(docname)))
    name = html.escape(Path(docname).name)
    raw = (
        '<p class="dglab-downloads">Take this chapter with you: '
        f'<a class="dglab-download-notebook" href="{notebook}" download="{name}.ipynb">'
        "notebook (.ipynb)</a> · "
        f'<a class="dglab-download-slides" href="{slides}">slides</a></p>'
    )
    sections[0].insert(1, nodes.raw("", raw, format="html"))


def copy_notebook(app, pagename, templatename, context, doctree) -> None:
    """Before the theme builds its buttons: put the notebook in the site and say where it is."""
    if not is_notebook_page(app, pagename):
        return
    import nbformat

    target = Path(app.outdir) / notebook_download_path(pagename)
    target.parent.mkdir(parents=True, exist_ok=True)
    nb = load_executed_notebook(executed_notebook(app, pagename), _cache_path(app))
    nbformat.write(nb, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def add_slides_button(app, pagename, templatename, context, doctree) -> None:
    """After the theme built its download menu: add the chapter's slides to it."""
    if not is_notebook_page(app, pagename):
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].insert(
                1,
                {
                    "type": "link",
                    "url": context["pathto"](slide_path(pagename), 1),
                    "text": "slides",
                    "tooltip": "Open this chapter's slides (reveal.js)",
                    "icon": "fas fa-person-chalkboard",
                    "label": "download-slides-button",
                },
            )


#: Static files loaded only where needed (myst-nb adds the widget scripts to pages with widgets;
#: MathJax comes through ``mathjax_path``; the slides load reveal.js themselves).
PER_PAGE_ASSETS = ("vendor/", "dglab-widgets.js")


def keep_vendor_off_every_page(app, config) -> None:
    """Jupyter Book adds every .js/.css file under ``_static/`` to every page; not these."""
    def wanted(entry) -> bool:
        name = entry[0] if isinstance(entry, (tuple, list)) else entry
        return not str(name).startswith(PER_PAGE_ASSETS)

    config.html_js_files = [e for e in config.html_js_files if wanted(e)]
    config.html_css_files = [e for e in config.html_css_files if wanted(e)]


def drop_unused_widget_scripts(app, pagename, templatename, context, doctree) -> None:
    """No widget view on the page (an explorer shows its static scrubber): no widget manager.

    A notebook that displayed any ipywidget saves the widgets' state, and myst-nb then loads
    require.js and the 3.5 MB widget manager on its page. The explorers' state is not needed on
    the website, so pages whose outputs hold no widget view skip those scripts.
    """
    if "application/vnd.jupyter.widget-view+json" in context.get("body", ""):
        return
    try:
        from myst_nb.sphinx_ import NbMetadataCollector

        js_files = NbMetadataCollector.get_js_files(app.env, pagename)
    except (ImportError, KeyError, AttributeError):
        return
    for key in [k for k in js_files if k.startswith("ipywidgets")]:
        del js_files[key]


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    """Each script once: an inline script added after the builder started (sphinx-thebe's
    ``const THEBE_JS_URL = ...``) is listed twice, and the second copy throws a SyntaxError."""
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen, unique = set(), []
    for js in scripts:
        attributes = getattr(js, "attributes", {}) or {}
        key = (getattr(js, "filename", js) or "", tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


#: A citation written as a Markdown link, ``[(Boyd and Vandenberghe, 2004)](cite:p:ch3-boyd2004convex)``:
#: JupyterLab (jupyterlab-myst, which shows a ``{cite:p}`` role as its bare key) shows the link's
#: author-year text; the website renders it exactly as ``{cite:p}`` / ``{cite:t}`` would.
CITE_LINK = re.compile(r"^cite:(?P<kind>p|t):(?P<keys>[^\s]+)$")


class CitationLinks(SphinxTransform):
    """Turn ``[text](cite:p:key)`` / ``[text](cite:t:key1,key2)`` links into sphinxcontrib-bibtex
    citations, the nodes its ``{cite:p}``/``{cite:t}`` role makes (the text comes from the .bib)."""

    default_priority = 100  # at reading time, before the references are resolved

    def apply(self, **kwargs):
        from sphinxcontrib.bibtex.citation_target import parse_citation_targets
        from sphinxcontrib.bibtex.roles import CitationRef

        domain = self.env.get_domain("cite")
        for node in list(self.document.findall(addnodes.pending_xref)):
            match = CITE_LINK.match(node.get("reftarget", ""))
            if node.get("reftype") != "myst" or not match:
                continue
            kind, keys = match["kind"], match["keys"]
            cite = addnodes.pending_xref(
                node.rawsource, refdomain="cite", reftype=kind, reftarget=keys, refexplicit=False,
                refwarn=False, refdoc=self.env.docname,
            )
            cite.source, cite.line = node.source, node.line
            cite += nodes.inline(node.rawsource, keys, classes=["xref", "cite", f"cite-{kind}"])
            self.document.note_explicit_target(cite, cite)  # as the role does, for back-references
            domain.citation_refs.append(CitationRef(
                citation_ref_id=cite["ids"][0], docname=self.env.docname, line=node.line or 0,
                targets=list(parse_citation_targets(keys)),
            ))
            node.replace_self(cite)


class ReadingTime(SphinxTransform):
    """Render ``[about N minutes](reading-time:this-chapter)`` as the estimate computed from the
    page's source (:func:`coursetools.prerequisites.reading_minutes`), never a typed number:
    the link text is only what JupyterLab shows (``python -m coursetools reading-times``)."""

    default_priority = 100

    def apply(self, **kwargs):
        from coursetools.prerequisites import reading_minutes, reading_time_text

        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") != "myst" or node.get("reftarget") != "reading-time:this-chapter":
                continue
            text = reading_time_text(reading_minutes(Path(self.env.doc2path(self.env.docname))))
            node.replace_self(nodes.inline(text, text, classes=["reading-time"]))


class PrerequisiteMap(SphinxDirective):
    """``{prerequisite-map}``: the chapters' prerequisite graph, drawn from their front matter
    (:func:`coursetools.prerequisites.prerequisite_figure`) as an inline SVG, then a table of
    each chapter's prerequisites and the glossary terms it defines."""

    has_content = False

    def run(self):
        import io

        from coursetools import course, prerequisites

        root = Path(self.env.srcdir)
        for path in course.chapters(root):
            self.env.note_dependency(str(path))
        fig = prerequisites.prerequisite_figure(root)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        svg = buffer.getvalue()
        svg = svg[svg.index("<svg"):]
        alt = ("The prerequisite map: one box per chapter, an arrow from each chapter to the chapters "
               "that build on it; chapters further right need more before them.")
        svg = svg.replace("<svg ", '<svg role="img" aria-label="' + html.escape(alt) + '" ', 1)
        figure = nodes.raw("", f'<figure class="prerequisite-map">{svg}</figure>', format="html")
        rows = []
        edges = prerequisites.graph(root)
        for path in course.chapters(root):
            n = prerequisites.chapter_number(path)
            meta = prerequisites.front_matter(path)
            title = prerequisites._title(path, width=1000)
            needs = ", ".join(str(p) for p in meta["prerequisites"]) or "none"
            everything = ", ".join(str(p) for p in sorted(prerequisites.closure(n, edges))) or "none"
            rows.append((f"{n}. {title}", needs, everything, ", ".join(meta["defines"]) or "-"))
        table = nodes.table(classes=["prerequisite-table"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (30, 12, 18, 40):
            group += nodes.colspec(colwidth=width)
        head, body = nodes.thead(), nodes.tbody()
        group += head
        group += body
        for cells, parent in [(("Chapter", "Needs", "Needs, all told", "Defines"), head), *((r, body) for r in rows)]:
            row = nodes.row()
            for cell in cells:
                entry = nodes.entry()
                entry += nodes.paragraph(text=cell)
                row += entry
            parent += row
        return [figure, table]


def give_sphinx_its_numbers_back(app, env) -> list[str]:
    """Before Sphinx numbers the figures again (``env-get-updated``, priority 500), put back the
    numbers it computed on the last build: it rewrites every page whose numbers differ from what the
    environment holds, and after :func:`number_per_chapter` that is every page with a figure, on
    every build (a one-line edit rewrote all 16 chapters, ~10 s)."""
    saved = getattr(env, "dglab_sphinx_fignumbers", None)
    if saved is not None:
        env.toc_fignumbers = copy.deepcopy(saved)
    return []


def number_per_chapter(app, env) -> list[str]:
    """Figures, tables, equations and exercises numbered per chapter ("Exercise 5.2", "Fig. 9.1").

    Sphinx numbers them through the whole book when the table of contents is not numbered
    (the chapters carry their number in their title), so chapter 5 opened on "Exercise 9".
    After Sphinx has numbered them (``env-get-updated``), each page's numbers restart at 1,
    prefixed by the chapter's number (the ``NN_`` of its file name) where it has one. Returns the
    pages whose per-chapter numbers changed since the last build (they are rewritten).
    """
    previous = getattr(env, "dglab_chapter_fignumbers", None)
    env.dglab_sphinx_fignumbers = copy.deepcopy(env.toc_fignumbers)
    changed = []
    for docname, by_type in list(env.toc_fignumbers.items()):
        stem = docname.rsplit("/", 1)[-1]
        chapter = (int(stem[:2]),) if stem[:2].isdigit() and stem[2:3] == "_" else ()
        renumbered = {
            figtype: {ident: (*chapter, k) for k, (ident, _) in
                      enumerate(sorted(numbers.items(), key=lambda item: item[1]), start=1)}
            for figtype, numbers in by_type.items()
        }
        before = by_type if previous is None else previous.get(docname)
        if renumbered != before:
            changed.append(docname)
        env.toc_fignumbers[docname] = renumbered
    env.dglab_chapter_fignumbers = copy.deepcopy(env.toc_fignumbers)
    return changed


def accessible_bibliography(app, pagename, templatename, context, doctree) -> None:
    """The bibliography as a list of list items (WCAG: ``aria-required-children``).

    docutils writes ``<div role="list" class="citation-list">`` whose entries carry the
    deprecated DPUB role ``doc-biblioentry``; a list needs ``listitem`` children.
    """
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def summaries_named_by_their_text(app, pagename, templatename, context, doctree) -> None:
    """Hidden code cells' toggles are named by what they show (WCAG: ``label-content-name-mismatch``).

    myst-nb writes ``<summary aria-label="Toggle hidden content">`` around the visible text
    "Show code cell source": a speech-input user saying what they see would not match the name.
    Without the label, the summary's accessible name is its visible text.
    """
    body = context.get("body")
    if body and '<summary aria-label="Toggle hidden content">' in body:
        context["body"] = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")


def setup(app):
    # Chapters that jupyter-book executes itself publish every explorer frame (dglab/widgets.py);
    # their kernels inherit this process's environment.
    os.environ.setdefault("DGLAB_STATIC_EXPLORERS", "1")
    app.add_transform(CitationLinks)
    app.connect("html-page-context", summaries_named_by_their_text)
    app.add_transform(ReadingTime)
    app.add_directive("prerequisite-map", PrerequisiteMap)
    app.connect("env-get-updated", give_sphinx_its_numbers_back, priority=100)
    app.connect("env-get-updated", number_per_chapter, priority=900)
    app.connect("html-page-context", accessible_bibliography)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    # myst-nb adds each page's scripts at the default priority (500).
    app.connect("html-page-context", drop_unused_widget_scripts, priority=400)
    app.connect("config-inited", keep_vendor_off_every_page)
    app.connect("doctree-resolved", add_download_line)
    # sphinx-book-theme adds its header buttons at priority 501.
    app.connect("html-page-context", copy_notebook, priority=500)
    app.connect("html-page-context", add_slides_button, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
