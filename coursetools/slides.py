"""Slides of every chapter (reveal.js, offline), generated from the executed chapters.

    python -m coursetools slides          # after the HTML build; `make slides` / `make book` run it

The book build writes the executed notebook of each chapter into the site (``_sources/``, see
:mod:`coursetools.sphinxext`, the same file the chapter page offers for download). Each one is turned
into two reveal.js decks by nbconvert's ``SlidesExporter``, written into the site next to an
``index.html`` that lists them:

* ``_build/html/slides/<chapter>.html``, the **lecture deck** (:func:`curate`): about one idea per
  slide, figures full-width, no code but what the chapter tags, and speaker notes (``S``) from
  the chapter's ``speaker-notes`` admonitions (on the site, collapsed "Teaching notes");
* ``_build/html/slides/<chapter>-full.html``, the **full-text deck** (:func:`prepare`), built as
  follows:

* every ``#``/``##`` heading starts a slide, ``###`` a sub-slide, and a long section continues
  on sub-slides so a slide holds about one screen;
* MyST syntax the slides cannot show is rewritten: citations become "Author (year)" from
  ``references.bib``, ``literalinclude`` shows the included code, admonitions become quotes;
  exercise statements stay, their solutions are dropped (they are in the book, in dropdowns);
* figures keep their alt text and caption; explorers keep their static scrubber; progress
  bars become text;
* reveal.js, require.js and MathJax are loaded from the site's ``_static/vendor/`` (copied
  from npm by ``make book``), so a deck makes no request to another host.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import html
import json
import re
from pathlib import Path

from coursetools import course, slides_markdown
from coursetools.course import SLIDES_DIR, slide_path

# the MyST rewriting of the full-text decks lives in its own module; its names stay importable here
from coursetools.slides_markdown import (  # noqa: F401
    _HEADING,
    _PLAIN_FENCE,
    CODE_LINES,
    NOTES_CLASS,
    NOTES_OPEN,
    MarkdownRewriter,
    _without_docstrings,
    notes_html,
    read_citations,
)

__all__ = [
    "SLIDES_DIR",
    "slide_path",
    "MarkdownRewriter",
    "prepare",
    "curate",
    "summarize",
    "notes_html",
    "slide_count",
    "notes_count",
    "full_deck_name",
    "export",
    "build_slides",
]

TEMPLATES = Path(__file__).with_name("templates")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: The slide frame: 16:9 at a projector's resolution.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
#: Lines of 20 px text that fit on one slide of SLIDE_HEIGHT under its heading.
SLIDE_LINES = 17
#: Characters of a markdown line that fit across a slide.
LINE_CHARS = 95
#: Lines of printed output, and of code, shown on a slide (the book has the rest).
OUTPUT_LINES = 10
#: Lines a figure (or an explorer) takes on a slide, caption included.
FIGURE_LINES = 15
#: Lines a lecture deck's full-width figure takes (its CSS caps it at 500 px of the 720).
FULL_FIGURE_LINES = 14


#: Lines of content a curated slide holds under its heading (one idea, readable from the back).
CURATED_LINES = 12
#: Characters of the opening paragraph a curated slide keeps (about three lines).
LEAD_CHARS = 300



# -- notebook -> slide deck -------------------------------------------------------------------

def _split_at_headings(text: str) -> list[str]:
    """Markdown split so that every heading starts a new piece (headings inside code excluded)."""
    pieces, current, in_code = [], [], False
    for line in text.splitlines():
        if _PLAIN_FENCE.match(line):
            in_code = not in_code
        if not in_code and _HEADING.match(line) and any(s.strip() for s in current):
            pieces.append("\n".join(current).strip())
            current = []
        current.append(line)
    if any(s.strip() for s in current):
        pieces.append("\n".join(current).strip())
    return pieces


def _figure_html(png: str, alt: str, caption: str) -> str:
    img = f'<img src="data:image/png;base64,{png.strip()}" alt="{html.escape(alt, quote=True)}">'
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="dglab-slide-figure">{img}{cap}</figure>'


def _clean_outputs(cell, chapter_title: str) -> None:
    tags = set(cell.metadata.get("tags", []))
    if tags & {"remove-output", "hide-output"}:
        cell.outputs = []
        return
    mystnb = cell.metadata.get("mystnb", {})
    alt = (mystnb.get("image") or {}).get("alt", "")
    caption = (mystnb.get("figure") or {}).get("caption", "")
    kept = []
    for output in cell.outputs:
        if output.output_type == "stream" and output.get("name") == "stderr":
            continue  # warnings and progress-bar text belong to the build, not the slides
        data = output.get("data")
        if data is not None:
            if WIDGET_VIEW in data:
                # explorers carry their static scrubber as text/html; progress bars have text
                del data[WIDGET_VIEW]
                if not data.keys() - {"text/plain"} and "100%" not in data.get("text/plain", ""):
                    continue
            if "image/png" in data:
                data["text/html"] = _figure_html(
                    data.pop("image/png"), alt or caption or f"Figure from {chapter_title}", caption
                )
        kept.append(output)
    cell.outputs = kept


def _markdown_lines(text: str) -> int:
    lines, in_code = 0, False
    for line in text.splitlines():
        if line.startswith(NOTES_OPEN):
            continue  # speaker notes are not on the slide
        if _PLAIN_FENCE.match(line):
            in_code = not in_code
            lines += 0.5
        elif in_code:
            lines += 0.9  # code is set smaller than prose
        elif line.startswith("#"):
            lines += 2
        elif line.strip().startswith("$$"):
            lines += 1.5
        elif line.strip():
            lines += max(1, -(-len(line) // LINE_CHARS))
        else:
            lines += 0.5
    return int(lines + 1)


def _estimated_lines(cell) -> int:
    if cell.cell_type == "markdown":
        return _markdown_lines(cell.source)
    lines = 0 if "remove-input" in cell.metadata.get("tags", []) else min(CODE_LINES, len(cell.source.splitlines())) + 1
    for output in cell.outputs:
        data = output.get("data", {})
        if "text/html" in data:
            text = "".join(data["text/html"])
            if "dglab-slide-figure-full" in text:
                lines += FULL_FIGURE_LINES
            elif "<img" in text or "dglab-explorer" in text:
                lines += FIGURE_LINES
            elif "<pre" in text:  # a listing: as long as its source (the slide scrolls it past a screen)
                lines += min(SLIDE_LINES, text.count("\n") + 1)
            else:
                lines += min(OUTPUT_LINES, text.count("<tr") + 2)
        elif "text/plain" in data:
            lines += min(OUTPUT_LINES, len("".join(data["text/plain"]).splitlines()))
        elif output.output_type == "stream":
            lines += min(OUTPUT_LINES, len("".join(output.get("text", "")).splitlines()))
    return lines


def glued_values(nb) -> dict[str, str]:
    """The text of every value an executed notebook glued with ``myst_nb.glue``, by key."""
    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                try:
                    values[name] = str(ast.literal_eval(text))  # glue stores repr(value)
                except (ValueError, SyntaxError):
                    values[name] = text
    return values


def _split_long_markdown(text: str) -> list[str]:
    """A markdown piece longer than a slide, cut at paragraph breaks (never inside code or math)."""
    if _markdown_lines(text) <= SLIDE_LINES:
        return [text]
    blocks, current, fenced = [], [], False
    for line in text.splitlines():
        if _PLAIN_FENCE.match(line) or line.strip() == "$$":
            fenced = not fenced
        if not line.strip() and not fenced and current:
            blocks.append("\n".join(current))
            current = []
        elif line.strip() or current:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    pieces, piece = [], []
    for block in blocks:
        if piece and _markdown_lines("\n\n".join([*piece, block])) > SLIDE_LINES:
            pieces.append("\n\n".join(piece))
            piece = []
        piece.append(block)
    if piece:
        pieces.append("\n\n".join(piece))
    return pieces


def _shorten(text: str, limit: int, note: str) -> str:
    lines = text.rstrip("\n").splitlines()
    if len(lines) <= limit:
        return text
    return "\n".join([*lines[: limit - 1], note]) + "\n"


def _fit_code_cell(cell) -> None:
    """A code cell's source and printed output shortened to what a slide holds (the book has all)."""
    lines = cell.source.splitlines()
    if len(lines) > CODE_LINES:
        cell.source = "\n".join([*lines[: CODE_LINES - 1], "# ... (the full cell is in the book)"])
    for output in cell.outputs:
        if output.output_type == "stream":
            output.text = _shorten("".join(output.text), OUTPUT_LINES, "... (more in the book)")
        elif "text/plain" in output.get("data", {}) and len(output.data) == 1:
            output.data["text/plain"] = _shorten("".join(output.data["text/plain"]), OUTPUT_LINES,
                                                 "... (more in the book)")


def prepare(nb, *, citations=None, source_dir: Path | None = None, page_url: str | None = None):
    """A copy of an executed chapter, ready for the slides exporter (see the module docstring).

    ``page_url``, the chapter's page relative to the deck, adds a link back to it (and to the
    list of decks) on the title slide.
    """
    import nbformat

    nb = copy.deepcopy(nb)
    rewriter = MarkdownRewriter(citations=citations, source_dir=source_dir, glued=glued_values(nb))
    rewriter.scan([c.source for c in nb.cells if c.cell_type == "markdown"])
    title = next(
        (line.lstrip("# ").strip() for c in nb.cells if c.cell_type == "markdown"
         for line in c.source.splitlines() if line.startswith("# ")),
        "this chapter",
    )
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = rewriter.rewrite(cell.source)
            for piece in _split_at_headings(text):
                for part in _split_long_markdown(piece):
                    cells.append(nbformat.v4.new_markdown_cell(part))
        elif cell.cell_type == "code":
            tags = set(cell.metadata.get("tags", []))
            if rewriter.in_solution or "remove-cell" in tags:
                continue
            _clean_outputs(cell, title)
            _fit_code_cell(cell)
            if cell.outputs and "remove-input" not in cell.metadata.get("tags", []) \
                    and _estimated_lines(cell) > SLIDE_LINES:
                # code and its output do not fit one slide together: the output follows on its own
                output = copy.deepcopy(cell)
                output.id = f"{cell.get('id', 'cell')}-output"
                output.metadata.setdefault("tags", []).append("remove-input")
                cell.outputs = []
                cells.append(cell)
                cell = output
            shows_explorer = any("dglab-explorer" in "".join(o.get("data", {}).get("text/html", ""))
                                 for o in cell.outputs)
            if (shows_explorer or tags & {"remove-input", "hide-input"}) \
                    and "remove-input" not in cell.metadata.get("tags", []):
                cell.metadata.setdefault("tags", []).append("remove-input")
            cells.append(cell)
    if page_url and cells and cells[0].cell_type == "markdown":
        cells[0].source += f"\n\n*[Read this chapter in the book]({page_url}) · [all slides](index.html)*"
    # slide structure: headings start slides; long sections continue on sub-slides
    used = 0
    for i, cell in enumerate(cells):
        heading = _HEADING.match(cell.source) if cell.cell_type == "markdown" else None
        size = _estimated_lines(cell)
        if heading and len(heading.group(1)) <= 2 or i == 0:
            kind, used = "slide", 0
        elif heading or (used and used + size > SLIDE_LINES):
            kind, used = "subslide", 0
        else:
            kind = "-"
        cell.metadata["slideshow"] = {"slide_type": kind}
        used += size
    nb.cells = cells
    nb.metadata.pop("widgets", None)  # no widget manager needed: no widget views are left
    nb.metadata["title"] = title
    return nb


# -- the curated lecture deck -----------------------------------------------------------------

def _blocks(text: str) -> list[str]:
    """Markdown cut into blocks at blank lines (never inside code or display math)."""
    blocks, current, fenced = [], [], False
    for line in text.splitlines():
        if _PLAIN_FENCE.match(line) or line.strip() == "$$":
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def _sentence_ends(text: str):
    """Where sentences end in ``text``: after ``.``/``?``/``!`` followed by a space, outside math."""
    dollars = 0
    for i, char in enumerate(text):
        if char == "$":
            dollars += 1
        elif char in ".?!" and dollars % 2 == 0 and text[i + 1 : i + 2] in {" ", ""}:
            yield i + 1


def _lead(paragraph: str, limit: int = LEAD_CHARS) -> str:
    """The opening sentences of a paragraph, at most ``limit`` characters when it can be cut."""
    text = " ".join(paragraph.split())
    if len(text) <= limit:
        return text
    ends = [i for i in _sentence_ends(text) if i <= limit]
    if ends:
        return text[: ends[-1]]
    first = next(_sentence_ends(text), len(text))
    return text[:first]  # one long sentence: kept whole (math must not be cut)


def _kind(block: str) -> str:
    first = block.lstrip()
    if first.startswith(NOTES_OPEN):
        return "notes"
    if first.startswith("$$"):
        return "math"
    if first.startswith(("```", "~~~")):
        return "code"
    if first.startswith(">"):
        return "quote"
    if first.startswith("**Exercise"):
        return "exercise"
    if re.match(r"^([-*+]|\d+\.)\s", first):
        return "list"
    if first.startswith(("*", "<", "|")) and not first.startswith("**"):
        return "other"  # captions, raw HTML, tables: the book shows them
    return "paragraph"


def summarize(text: str, budget: int = CURATED_LINES) -> str:
    """The body of a curated slide from a section's markdown: its opening sentences, its first
    display equations and lists (items shortened to their first sentence), exercise titles,
    within ``budget`` estimated lines."""
    blocks = [b for b in _blocks(text) if _kind(b) not in {"notes", "code", "quote", "other"}]
    exercises = [re.match(r"^\*\*(Exercise[^*]*)\*\*", b).group(1).rstrip(".") for b in blocks
                 if _kind(b) == "exercise"]
    if exercises:
        return "\n".join(f"- {title}" for title in exercises[:8])
    picked: list[str] = []

    def fits(candidate: str) -> bool:
        return _markdown_lines("\n\n".join([*picked, candidate])) <= budget

    paragraphs = 0
    for block in blocks:
        kind = _kind(block)
        if kind == "paragraph":
            if paragraphs >= 2:
                continue
            candidate = _lead(block, LEAD_CHARS if not paragraphs else LEAD_CHARS // 2)
            paragraphs += 1
        elif kind == "list":
            items = re.split(r"\n(?=(?:[-*+]|\d+\.)\s)", block)
            candidate = "\n".join(
                re.match(r"^((?:[-*+]|\d+\.)\s)", item).group(1) + _lead(item.split(None, 1)[1] if len(item.split(None, 1)) > 1 else "", 150)
                for item in items[:5]
            )
        elif kind == "math" and block.count("\n") <= 6:
            candidate = block
        else:
            continue
        if fits(candidate):
            picked.append(candidate)
        elif kind == "list":  # fewer items
            lines = candidate.splitlines()
            while lines and not fits("\n".join(lines)):
                lines.pop()
            if lines:
                picked.append("\n".join(lines))
    return "\n\n".join(picked)


def _notes_of(text: str) -> tuple[str, list[str]]:
    notes = [line for line in text.splitlines() if line.startswith(NOTES_OPEN)]
    rest = "\n".join(line for line in text.splitlines() if not line.startswith(NOTES_OPEN))
    return rest, notes


def _shows_figure(cell) -> bool:
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data or "dglab-explorer" in "".join(data.get("text/html", "")):
            return True
    return False


def curate(nb, *, citations=None, source_dir: Path | None = None, page_url: str | None = None,
           full_url: str | None = None):
    """The lecture deck of an executed chapter: about one slide per idea, with speaker notes.

    What the deck shows is chosen in the chapter source:

    * the title slide: the chapter's ``#`` title and its "What you'll learn" list;
    * every ``##``/``###`` section: one slide, its heading over the opening sentences, the first
      display equations and lists of the section (:func:`summarize`, at most ``CURATED_LINES``);
      a speaker-notes admonition *ends* a slide, so a section with two notes blocks gives two
      slides (the second summarises the text between them); "References" lists what was cited;
    * code cells: the ones whose output is a figure or an explorer, each on its own slide, full
      width, without their code; tag a cell ``slide`` to show another cell's output, ``slide-code``
      to show its code too, ``no-slide`` to leave a figure out. Imports and plumbing never appear;
    * speaker notes: every admonition with the class ``speaker-notes`` (on the site a collapsed
      "Teaching notes" dropdown) becomes the ``<aside class="notes">`` of the slide it closes.
    """
    import nbformat

    nb = copy.deepcopy(nb)
    rewriter = MarkdownRewriter(citations=citations, source_dir=source_dir, glued=glued_values(nb))
    rewriter.scan([c.source for c in nb.cells if c.cell_type == "markdown"])
    slides: list[dict] = []  # {"title", "text", "notes", "cell"}
    section: dict | None = None

    def open_section(title: str, level: int):
        nonlocal section
        section = {"title": title, "level": level, "text": "", "notes": [], "cell": None}
        slides.append(section)

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = rewriter.rewrite(cell.source)
            for piece in _split_at_headings(text):
                heading = _HEADING.match(piece)
                if heading and len(heading.group(1)) <= 3:
                    title, _, body = piece.partition("\n")
                    open_section(title.lstrip("#").strip(), len(heading.group(1)))
                    piece = body
                if section is None:
                    open_section("", 1)
                for line in piece.splitlines():
                    if line.startswith(NOTES_OPEN):
                        if not section["text"].strip() and section.get("after_figure"):
                            slides[-2]["notes"].append(line)  # notes right after a figure: its own
                            continue
                        section["notes"].append(line)
                        if section["text"].strip() or section["level"] == 1:
                            # the notes close this slide: what follows continues on a new one
                            open_section(section["title"], section["level"])
                            section["continued"] = True
                    else:
                        section["text"] += line + "\n"
                section["text"] += "\n"  # a cell ends its paragraph
        elif cell.cell_type == "code":
            tags = set(cell.metadata.get("tags", []))
            if rewriter.in_solution or "remove-cell" in tags or "no-slide" in tags:
                continue
            if not (tags & {"slide", "slide-code"} or _shows_figure(cell)):
                continue
            title = section["title"] if section else ""
            _clean_outputs(cell, title)
            _fit_code_cell(cell)
            for output in cell.outputs:  # the lecture deck shows its figures as large as they fit
                data = output.get("data", {})
                if "text/html" in data:
                    text = "".join(data["text/html"]).replace(
                        'class="dglab-slide-figure"', 'class="dglab-slide-figure dglab-slide-figure-full"')
                    if "dglab-explorer" in text:  # alone on its slide, under its heading
                        text = f'<div class="dglab-slide-figure-full">{text}</div>'
                    data["text/html"] = text
            if "slide-code" not in tags and "remove-input" not in cell.metadata.get("tags", []):
                cell.metadata.setdefault("tags", []).append("remove-input")
            slides.append({"title": title, "level": 2, "text": "", "notes": [], "cell": cell,
                           "continued": True})
            # later text starts a new slide
            section = {**slides[-1], "cell": None, "text": "", "notes": [], "after_figure": True}
            slides.append(section)

    cells = []
    chapter_title = next((s["title"] for s in slides if s["level"] == 1 and s["title"]), "this chapter")
    for number, slide in enumerate(slides):
        is_title = number == 0
        if slide["cell"] is None:
            if is_title:
                learn = re.search(r"\*\*What you'll learn\.\*\*\s*\n((?:[-*] .*\n?(?:  .*\n?)*)+)", slide["text"])
                body = summarize(learn.group(1)) if learn else summarize(slide["text"])
                links = [f"[Read this chapter in the book]({page_url})"] if page_url else []
                if full_url:
                    links.append(f"[full-text slides]({full_url})")
                if links:
                    links.append("[all slides](index.html)")
                    body += "\n\n*" + " · ".join(links) + "*"
            elif slide["title"] == "References":
                body = "\n".join(f"- {rewriter.lookup(k)[2]}" for k in rewriter.cited[:6])
                if not rewriter.cited:
                    continue
            else:
                body = summarize(slide["text"])
            if not body.strip() and not slide["notes"]:
                continue
            if not body.strip() and cells:  # notes with nothing to show: they go to the slide before
                last = next(c for c in reversed(cells) if c.cell_type == "markdown")
                last.source += "\n" + "\n".join(slide["notes"])
                continue
            marker = "#" if is_title else "##"
            source = f"{marker} {slide['title']}\n\n{body}".strip()
            cell = nbformat.v4.new_markdown_cell("\n".join([source, *slide["notes"]]))
        else:
            cell = slide["cell"]
            cells.append(nbformat.v4.new_markdown_cell("\n".join([f"## {slide['title']}", *slide["notes"]])))
            cells[-1].metadata["slideshow"] = {"slide_type": "slide"}
            cell.metadata["slideshow"] = {"slide_type": "-"}
            cells.append(cell)
            continue
        cell.metadata["slideshow"] = {"slide_type": "slide"}
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    nb.metadata["title"] = chapter_title
    return nb


def slide_count(nb) -> int:
    """Slides (and sub-slides) of a prepared or curated notebook."""
    return sum(c.metadata.get("slideshow", {}).get("slide_type") in {"slide", "subslide"} for c in nb.cells)


def notes_count(nb) -> int:
    """Slides of a prepared or curated notebook that carry speaker notes."""
    count, has = 0, False
    for cell in nb.cells:
        if cell.metadata.get("slideshow", {}).get("slide_type") in {"slide", "subslide"}:
            count += has
            has = False
        has = has or (cell.cell_type == "markdown" and NOTES_OPEN in cell.source)
    return count + has


def export(nb, *, vendor_url: str = "../_static/vendor") -> str:
    """The reveal.js deck of a prepared notebook, loading every script from ``vendor_url``."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    exporter = SlidesExporter(
        config=config,
        extra_template_basedirs=[str(TEMPLATES)],
        template_name="dglab_reveal",
        reveal_url_prefix=f"{vendor_url}/reveal.js",
        reveal_theme="white",
        reveal_width=str(SLIDE_WIDTH),
        reveal_height=str(SLIDE_HEIGHT),
        require_js_url=f"{vendor_url}/require.js",
        mathjax_url=f"{vendor_url}/mathjax/tex-mml-chtml.js",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    return body


_INDEX_CSS = """
:root{color-scheme:light dark;--fg:#1f2937;--bg:#fff;--muted:#4b5563;--card:#f3f4f6;--link:#1d4ed8}
@media (prefers-color-scheme:dark){:root{--fg:#e5e7eb;--bg:#111827;--muted:#cbd5e1;--card:#1f2937;--link:#93c5fd}}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);
  max-width:46em;margin:0 auto;padding:1.5em 1em;line-height:1.5}
h1{font-size:1.8em;margin:.2em 0 .4em}
p{color:var(--muted)}
a{color:var(--link)}
ol{list-style:none;padding:0;display:grid;gap:.6em;grid-template-columns:repeat(auto-fill,minmax(16em,1fr));
  counter-reset:deck}
li{counter-increment:deck;background:var(--card);border-radius:8px}
li a{display:block;padding:.8em 1em .2em;text-decoration:none;font-weight:600}
li .dglab-deck-variants{display:block;padding:0 1em .8em;font-size:.9em;color:var(--muted)}
li .dglab-deck-variants a{display:inline;padding:0;font-weight:400}
li a:hover,li a:focus-visible{text-decoration:underline}
kbd{font-family:ui-monospace,monospace;border:1px solid var(--muted);border-radius:3px;padding:0 .3em}
"""


def full_deck_name(name: str) -> str:
    """``05_gans.html`` -> ``05_gans-full.html``: the full-text deck next to the lecture deck."""
    return name.removesuffix(".html") + "-full.html"


def _index_html(decks: list[tuple[str, str, str, int, int]]) -> str:
    items = "\n".join(
        f'    <li><a href="{html.escape(name)}">{html.escape(title)}</a>'
        f'<span class="dglab-deck-variants">lecture deck, {lecture} slides · '
        f'<a class="dglab-full-deck" href="{html.escape(full)}">full text, {n_full} slides</a></span></li>'
        for name, full, title, lecture, n_full in decks
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>Slides: Discriminative vs. Generative Models</title>\n"
        f"<style>{_INDEX_CSS}</style>\n</head>\n<body>\n<main>\n"
        "<h1>Slides: Discriminative vs. Generative Models</h1>\n"
        "<p>Two reveal.js decks per chapter: a lecture deck (one idea per slide, with speaker "
        "notes) and the full text of the chapter. <kbd>&rarr;</kbd> or <kbd>Space</kbd> goes to the next "
        "slide and <kbd>&larr;</kbd> back (through every slide, in order), <kbd>Esc</kbd> shows the "
        "overview, <kbd>S</kbd> opens the speaker notes (a second window: allow pop-ups for this "
        "page), <kbd>F</kbd> goes full screen. "
        "Back to <a href=\"../index.html\">the book</a>.</p>\n"
        f"<ol>\n{items}\n</ol>\n</main>\n</body>\n</html>\n"
    )


def _tooling_digest() -> str:
    """What every deck depends on besides its chapter: this module and its markdown rewriting, its
    templates, the bibliography."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in [Path(slides_markdown.__file__), *sorted(TEMPLATES.rglob("*")), course.ROOT / "references.bib"]:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_DECK_INDEX = re.compile(r"\n<!-- deck-index (\{.*\}) -->$")


def _kept_deck_entry(target: Path, full_target: Path, stamp: str) -> dict | None:
    """The slide index's entry recorded in both decks of a chapter when both are up to date
    (made from this executed notebook by this slide code), else None. A warm rebuild reads the
    two files' tails instead of converting the notebook again."""
    texts = []
    for path in (target, full_target):
        if not path.is_file():
            return None
        text = path.read_text(encoding="utf-8")
        if not text.endswith(stamp):
            return None
        texts.append(text[: -len(stamp)])
    match = _DECK_INDEX.search(texts[0])
    return json.loads(match.group(1)) if match else None


def build_slides(build_dir: Path | None = None, chapters: list[Path] | None = None) -> list[Path]:
    """Write one deck per chapter into ``<build_dir>/html/slides/``; returns the paths of the decks
    written (a deck whose chapter, slide code and bibliography are unchanged is kept as it is)."""
    import nbformat

    build_dir = Path(build_dir or course.ROOT / "_build")
    out = build_dir / "html" / SLIDES_DIR
    if not (build_dir / "html").is_dir():
        raise FileNotFoundError(f"{build_dir / 'html'} does not exist: build the book first (make book)")
    out.mkdir(parents=True, exist_ok=True)
    citations = None  # read only when a deck must be made
    tooling = _tooling_digest()
    written, decks = [], []
    for chapter in chapters or course.chapters():
        docname = chapter.resolve().relative_to(course.ROOT).with_suffix("").as_posix()
        source = build_dir / "html" / course.notebook_download_path(docname)
        if not source.is_file():
            raise FileNotFoundError(f"no executed notebook {source}: build the book first (make book)")
        target = build_dir / "html" / slide_path(docname)
        # A deck records what it was made from; an unchanged chapter keeps its deck (warm rebuilds).
        stamp = f"\n<!-- deck of {hashlib.sha256(source.read_bytes()).hexdigest()} {tooling} -->\n"
        full_target = target.with_name(full_deck_name(target.name))
        entry = _kept_deck_entry(target, full_target, stamp)
        if entry is None:  # the chapter (or the slide code, or the .bib) changed: make both decks
            if citations is None:
                citations = read_citations(course.ROOT / "references.bib")
            executed = nbformat.read(source, as_version=4)
            curated = curate(executed, citations=citations, source_dir=chapter.parent,
                             page_url=f"../{docname}.html", full_url=full_target.name)
            full = prepare(executed, citations=citations, source_dir=chapter.parent,
                           page_url=f"../{docname}.html")
            entry = {"title": curated.metadata["title"], "slides": slide_count(curated),
                     "full_slides": slide_count(full)}
            record = f"\n<!-- deck-index {json.dumps(entry, ensure_ascii=False)} -->"
            for path, nb in ((target, curated), (full_target, full)):
                path.write_text(export(nb) + record + stamp, encoding="utf-8")
                written.append(path)
        decks.append((target.name, full_target.name, entry["title"], entry["slides"], entry["full_slides"]))
    (out / "index.html").write_text(_index_html(decks), encoding="utf-8")
    return written
