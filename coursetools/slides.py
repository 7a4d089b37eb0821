"""Slides of every chapter (reveal.js, offline), generated from the executed chapters.

    python -m coursetools slides          # after the HTML build; `make slides` / `make book` run it

The book build writes the executed notebook of each chapter into the site (``_sources/``, see
:mod:`coursetools.sphinxext`, the same file the chapter page offers for download). Each one is turned
into a reveal.js deck by nbconvert's ``SlidesExporter`` and written into the site as
``_build/html/slides/<chapter>.html``, next to an ``index.html`` that lists the decks:

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
import re
import textwrap
from pathlib import Path

from coursetools import course
from coursetools.course import SLIDES_DIR, slide_path

__all__ = [
    "SLIDES_DIR",
    "slide_path",
    "MarkdownRewriter",
    "prepare",
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
CODE_LINES = 16
#: Lines a figure (or an explorer) takes on a slide, caption included.
FIGURE_LINES = 15


# -- MyST markdown -> markdown nbconvert can render -------------------------------------------

_FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*)$")
_PLAIN_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_OPTION = re.compile(r"^:[\w-]+:")
_ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<text>[^`]*)`")
_TARGET = re.compile(r"^\(\s*[\w:.-]+\s*\)=\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+\S")
_ADMONITIONS = {
    "note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
    "seealso", "admonition",
}
#: Directives whose content has no place on a slide.
_DROPPED = {
    "tableofcontents", "nb-exec-table", "solution", "glue:figure", "eval-rst",
    "raw", "toctree", "glossary", "dropdown",
}


class MarkdownRewriter:
    """Rewrites the MyST markdown of one chapter, cell by cell, keeping state across cells.

    ``in_solution`` is true between a gated ``{solution-start}`` and its ``{solution-end}``:
    markdown and code cells in between are dropped.
    """

    def __init__(self, *, citations: dict[str, tuple[str, str, str]] | None = None,
                 source_dir: Path | None = None, glued: dict[str, str] | None = None):
        self.citations = citations or {}
        self.glued = glued or {}  # myst-nb glue values of the executed chapter, by key
        self.source_dir = source_dir or Path.cwd()
        self.in_solution = False
        self.cited: list[str] = []
        #: key prefixes declared by the chapter's bibliography directives (see :meth:`lookup`)
        self.keyprefixes: list[str] = []

    def scan(self, sources: list[str]) -> None:
        """Read the ``:keyprefix:`` of the chapter's bibliography before rewriting its cells."""
        for source in sources:
            self.keyprefixes += re.findall(r"^:keyprefix:\s*(\S+)\s*$", source, re.M)

    # roles -----------------------------------------------------------------------------------
    def lookup(self, key: str) -> tuple[str, str, str]:
        """``(authors, year, full entry)`` of a citation key (the key itself if unknown).

        A chapter's ``{bibliography}`` may declare a ``:keyprefix:`` (``ch5-``), which its
        citations carry and ``references.bib`` does not: the key is looked up without it.
        """
        if key in self.citations:
            return self.citations[key]
        for prefix in self.keyprefixes:
            if prefix and key.startswith(prefix) and key[len(prefix):] in self.citations:
                return self.citations[key[len(prefix):]]
        return (key, "", key)  # unknown (the book build fails on it first): shown as written

    def _cite(self, keys: str, textual: bool) -> str:
        parts = []
        for key in (k.strip() for k in keys.split(",")):
            if key not in self.cited:
                self.cited.append(key)
            authors, year, _ = self.lookup(key)
            if textual:
                parts.append(f"{authors} ({year})" if year else authors)
            else:
                parts.append(f"{authors}, {year}" if year else authors)
        return ", ".join(parts) if textual else f"({'; '.join(parts)})"

    def roles(self, text: str) -> str:
        def replace(match):
            role, body = match["role"], match["text"]
            if role.startswith("cite"):
                return self._cite(body, textual=role in {"cite:t", "cite:ts", "cite:ct"})
            if role == "math":
                return f"${body}$"
            if role in {"glue", "glue:text"}:  # the value the chapter computed, as on the page
                return self.glued.get(body.split(":")[0].strip(), body)
            explicit = re.match(r"^(.*?)\s*<[^>]*>$", body, re.S)
            if explicit and explicit.group(1):
                return explicit.group(1)
            if role in {"numref", "ref", "eq", "prf:ref", "doc"}:
                return "the figure" if body.startswith("fig") else body.replace("-", " ")
            return body

        return _ROLE.sub(replace, text)

    # directives ------------------------------------------------------------------------------
    def _literalinclude(self, arg: str, options: dict[str, str]) -> str:
        path = (self.source_dir / arg.strip()).resolve()
        try:
            source = path.read_text(encoding="utf-8")
        except OSError:
            return f"*(code from `{arg.strip()}`)*"
        name = options.get("pyobject")
        if name:
            tree = ast.parse(source)
            node = _find_object(tree, name.split("."))
            if node is not None:
                source = ast.get_source_segment(source, node, padded=True) or source
        source = _without_docstrings(source)
        lines = textwrap.dedent(source).rstrip().splitlines()
        if len(lines) > CODE_LINES + 2:  # a slide shows the start; the book has the listing
            source = "\n".join([*lines[:CODE_LINES], "# ... (the full listing is in the book)"])
        language = options.get("language", "python" if path.suffix == ".py" else "")
        return f"```{language}\n{textwrap.dedent(source).rstrip()}\n```"

    def directive(self, name: str, arg: str, body: list[str]) -> str | None:
        """Markdown for one directive, or ``None`` to drop it."""
        options = {}
        while body and _OPTION.match(body[0].strip()):
            key, _, value = body.pop(0).strip()[1:].partition(":")
            options[key] = value.strip()
        if name == "solution-start":
            self.in_solution = True
            return None
        if name == "solution-end":
            self.in_solution = False
            return None
        if name == "bibliography":
            entries = [self.lookup(key)[2] for key in self.cited]
            return "\n".join(f"- {entry}" for entry in entries) or None
        if name in _DROPPED or name == "exercise-end":
            return None
        text = self.rewrite_lines(body).strip()
        if name in {"exercise", "exercise-start"}:
            title = self.roles(arg.strip())
            heading = f"**Exercise{': ' + title if title else ''}.**"
            return f"{heading} {text}".strip() if name == "exercise" else heading
        if name in {"math", "equation"}:
            return f"$$\n{text}\n$$"
        if name == "literalinclude":
            return self._literalinclude(arg, options)
        if name in _ADMONITIONS:
            title = arg.strip() if name == "admonition" else (arg.strip() or name.capitalize())
            quoted = "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
            return f"> **{self.roles(title)}.**\n>\n{quoted}" if title else quoted
        if name in {"figure", "image"}:
            return f"*{text}*" if text else None
        if name in {"code", "code-block", "sourcecode"}:
            return f"```{arg.strip()}\n{chr(10).join(body)}\n```"
        return text or None

    def rewrite_lines(self, lines: list[str]) -> str:
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            opened = _FENCE_OPEN.match(line)
            if opened:
                fence = opened["fence"]
                j, depth, body = i + 1, 0, []
                while j < len(lines):
                    inner = lines[j].strip()
                    if _FENCE_OPEN.match(lines[j]) and inner.startswith(fence[0]):
                        depth += 1
                    elif inner and set(inner) == {fence[0]} and len(inner) >= len(fence):
                        if depth == 0:
                            break
                        depth -= 1
                    body.append(lines[j])
                    j += 1
                replacement = self.directive(opened["name"], opened["arg"], body)
                if replacement is not None and not self.in_solution:
                    out.extend(["", replacement, ""])
                i = j + 1
                continue
            plain = _PLAIN_FENCE.match(line)
            if plain:  # an ordinary code block: copy it untouched
                j = i + 1
                while j < len(lines) and not lines[j].strip().startswith(plain.group(1)):
                    j += 1
                if not self.in_solution:
                    out.extend(lines[i : j + 1])
                i = j + 1
                continue
            if not self.in_solution and not _TARGET.match(line) and not line.startswith("% "):
                out.append(self.roles(line))
            i += 1
        return "\n".join(out)

    def rewrite(self, source: str) -> str:
        text = self.rewrite_lines(source.splitlines())
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def _without_docstrings(source: str) -> str:
    """Python source without its docstrings: on a slide the code speaks, the book has the prose."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return source
    lines = textwrap.dedent(source).splitlines()
    drop: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str) and len(node.body) > 1:
                drop.update(range(first.lineno - 1, first.end_lineno))
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def _find_object(tree, names):
    nodes = tree.body
    found = None
    for name in names:
        found = next(
            (n for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
             and n.name == name),
            None,
        )
        if found is None:
            return None
        nodes = found.body
    return found


def read_citations(bibfile: Path) -> dict[str, tuple[str, str, str]]:
    """``key -> ("Ng and Jordan", "2002", "Ng and Jordan (2002). *Title*. Venue.")`` per entry."""
    from coursetools.citations import authors_of, entries, plain

    citations = {}
    for key, entry in entries(Path(bibfile)).items():
        authors = authors_of(entry)
        year = entry.fields.get("year", "")
        title = plain(entry.fields.get("title", ""))
        venue = next((plain(entry.fields[f]) for f in ("journal", "booktitle", "publisher", "howpublished")
                      if f in entry.fields), "")
        citations[key] = (authors, year, f"{authors} ({year}). *{title}*." + (f" {venue}." if venue else ""))
    return citations


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
            lines += FIGURE_LINES if "<img" in text or "dglab-explorer" in text else min(OUTPUT_LINES, text.count("<tr") + 2)
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
li a{display:block;padding:.8em 1em;text-decoration:none;font-weight:600}
li a:hover,li a:focus-visible{text-decoration:underline}
kbd{font-family:ui-monospace,monospace;border:1px solid var(--muted);border-radius:3px;padding:0 .3em}
"""


def _index_html(decks: list[tuple[str, str]]) -> str:
    items = "\n".join(
        f'    <li><a href="{html.escape(name)}">{html.escape(title)}</a></li>' for name, title in decks
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>Slides: Discriminative vs. Generative Models</title>\n"
        f"<style>{_INDEX_CSS}</style>\n</head>\n<body>\n<main>\n"
        "<h1>Slides: Discriminative vs. Generative Models</h1>\n"
        "<p>One reveal.js deck per chapter. <kbd>&rarr;</kbd> or <kbd>Space</kbd> goes to the next "
        "slide and <kbd>&larr;</kbd> back (through every slide, in order), <kbd>Esc</kbd> shows the "
        "overview, <kbd>S</kbd> opens speaker notes, <kbd>F</kbd> goes full screen. "
        "Back to <a href=\"../index.html\">the book</a>.</p>\n"
        f"<ol>\n{items}\n</ol>\n</main>\n</body>\n</html>\n"
    )


def _tooling_digest() -> str:
    """What every deck depends on besides its chapter: this module, its templates, the bibliography."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(TEMPLATES.rglob("*")) + [course.ROOT / "references.bib"]:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_slides(build_dir: Path | None = None, chapters: list[Path] | None = None) -> list[Path]:
    """Write one deck per chapter into ``<build_dir>/html/slides/``; returns the paths of the decks
    written (a deck whose chapter, slide code and bibliography are unchanged is kept as it is)."""
    import nbformat

    build_dir = Path(build_dir or course.ROOT / "_build")
    out = build_dir / "html" / SLIDES_DIR
    if not (build_dir / "html").is_dir():
        raise FileNotFoundError(f"{build_dir / 'html'} does not exist: build the book first (make book)")
    out.mkdir(parents=True, exist_ok=True)
    citations = read_citations(course.ROOT / "references.bib")
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
        nb = prepare(nbformat.read(source, as_version=4), citations=citations, source_dir=chapter.parent,
                     page_url=f"../{docname}.html")
        if not (target.is_file() and target.read_text(encoding="utf-8").endswith(stamp)):
            target.write_text(export(nb) + stamp, encoding="utf-8")
            written.append(target)
        decks.append((target.name, nb.metadata["title"]))
    (out / "index.html").write_text(_index_html(decks), encoding="utf-8")
    return written
