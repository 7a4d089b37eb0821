"""MyST markdown -> markdown nbconvert can render, for the slide decks (:mod:`coursetools.slides`).

Citations become "Author (year)" from ``references.bib``, ``literalinclude`` shows the included
code (without docstrings, at most :data:`CODE_LINES` lines), admonitions become quotes, speaker
notes become reveal.js ``<aside class="notes">``, solutions are dropped.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

#: Lines of code shown on a slide (the book has the rest).
CODE_LINES = 16

#: Speaker notes in a chapter: an admonition of this class (``:class: dropdown speaker-notes``).
NOTES_CLASS = "speaker-notes"
NOTES_OPEN = '<aside class="notes">'


def notes_html(markdown: str) -> str:
    """Speaker notes as reveal.js reads them: one ``<aside class="notes">`` line of HTML."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark").render(markdown.strip())
    return NOTES_OPEN + " ".join(body.split("\n")).strip() + "</aside>"


# -- MyST markdown -> markdown nbconvert can render -------------------------------------------

_FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*)$")
_PLAIN_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_OPTION = re.compile(r"^:[\w-]+:")
_ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<text>[^`]*)`")
_CITE_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\(cite:(?:[\w]+:)*(?P<key>[\w.-]+)\)")
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
        def link(match):  # a citation written as a link, [Ng and Jordan (2002)](cite:t:ch1-ng2001...)
            key = match["key"]
            if key not in self.cited:
                self.cited.append(key)
            return match["text"]

        text = _CITE_LINK.sub(link, text)

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
            # one block per entry, so that a long list continues on the next slide
            return "\n\n".join(f"- {entry}" for entry in entries) or None
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
        if name == "admonition" and NOTES_CLASS in options.get("class", "").split():
            return notes_html(text)
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
