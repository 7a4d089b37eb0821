"""What each chapter needs and defines: the prerequisite map, the glossary check, reading times.

Every chapter declares, in its front matter (the jupytext YAML header),

```yaml
course:
  prerequisites: [1, 16]          # chapters to read first (numbers of their NN_ prefix)
  defines: [log-loss, logit]      # glossary terms this chapter defines
  uses: [learning rate]           # glossary terms it uses without defining them
```

From that, :func:`problems` lists every inconsistency (``tests/test_prerequisites.py`` fails on
any): a term that is not in the glossary, a term used before the chapter that defines it is
read (not among the transitive prerequisites), a ``{term}`` link not declared, a declared term
never linked, a "What you'll need" paragraph that omits a prerequisite or points to a chapter
that is not one. :func:`prerequisite_figure` draws the map; :func:`reading_minutes` estimates
how long a chapter takes a learner. The Sphinx extension renders both on the site.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from coursetools import course

#: Words a learner reads per minute (technical prose with mathematics: slower than the ~250 of fiction).
WORDS_PER_MINUTE = 200
#: Minutes a learner spends on one exercise: attempt it, check it, read the solution (the issue's
#: second-year reader needed 20-40 minutes for a derivation or a small experiment).
MINUTES_PER_EXERCISE = 25
#: Minutes to run the chapter: CONTRIBUTING's budget of 30 s per chapter, rounded up.
RUN_MINUTES = 1
#: The glossary page; its terms carry "(chapter N)" or "(glossary)" where they are defined.
GLOSSARY = "glossary.md"
#: Pseudo chapter number of terms the glossary itself defines (any chapter may use them).
GLOSSARY_CHAPTER = 0

__all__ = [
    "WORDS_PER_MINUTE",
    "MINUTES_PER_EXERCISE",
    "RUN_MINUTES",
    "chapter_number",
    "front_matter",
    "graph",
    "closure",
    "glossary",
    "term_links",
    "needs_paragraph",
    "mentioned_chapters",
    "reading_words",
    "exercise_count",
    "reading_minutes",
    "reading_time_text",
    "problems",
    "prerequisite_figure",
]


def chapter_number(path: Path) -> int:
    """The number of a chapter file, from its ``NN_`` prefix."""
    name = Path(path).name
    if not re.match(r"\d\d_", name):
        raise ValueError(f"{name} is not a chapter file (NN_slug.md)")
    return int(name[:2])


def _header(text: str) -> str:
    if not text.startswith("---"):
        return ""
    end = text.find("\n---", 3)
    return text[3:end] if end > 0 else ""


def _body(text: str) -> str:
    header = _header(text)
    return text[len(header) + 7:] if header else text


def front_matter(path: Path) -> dict:
    """The ``course:`` block of a chapter's header: prerequisites, defines, uses (lists)."""
    import yaml

    meta = yaml.safe_load(_header(Path(path).read_text(encoding="utf-8"))) or {}
    block = meta.get("course") or {}
    unknown = set(block) - {"prerequisites", "defines", "uses"}
    if unknown:
        raise ValueError(f"{Path(path).name}: unknown keys in course: {sorted(unknown)}")
    return {
        "prerequisites": [int(n) for n in block.get("prerequisites", [])],
        "defines": [str(t) for t in block.get("defines", [])],
        "uses": [str(t) for t in block.get("uses", [])],
    }


def _chapter_files(root: Path) -> dict[int, Path]:
    return {chapter_number(p): p for p in course.chapters(root)}


def graph(root: Path = course.ROOT) -> dict[int, list[int]]:
    """Chapter number -> its direct prerequisites, for every chapter in ``_toc.yml``."""
    return {n: front_matter(p)["prerequisites"] for n, p in _chapter_files(root).items()}


def closure(number: int, edges: dict[int, list[int]]) -> set[int]:
    """Every chapter ``number`` needs, directly or through another (not itself)."""
    seen: set[int] = set()
    stack = list(edges.get(number, []))
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(edges.get(n, []))
    return seen


_TERM_LINE = re.compile(r"^(?P<term>\S[^\n]*?)\s*$")
_WHERE = re.compile(r"\((?:chapter (?P<n>\d+)|(?P<g>glossary))\)\.?\s*$")


def glossary(root: Path = course.ROOT) -> dict[str, int]:
    """Glossary term -> the chapter that defines it (``GLOSSARY_CHAPTER`` for the glossary itself).

    Parsed from the ``{glossary}`` directive of ``book/glossary.md``: a term is a line that is
    not indented; its definition, indented below it, ends with "(chapter N)" or "(glossary)".
    """
    text = (root / "book" / GLOSSARY).read_text(encoding="utf-8")
    block = re.search(r"```\{glossary\}\n(.*?)\n```", text, re.S)
    if block is None:
        raise ValueError(f"{GLOSSARY} has no ```{{glossary}} block")
    terms: dict[str, int] = {}
    term, definition = None, []

    def close():
        if term is None:
            return
        where = _WHERE.search(" ".join(definition).strip())
        if where is None:
            raise ValueError(f"{GLOSSARY}: the definition of {term!r} does not end with "
                             "'(chapter N)' or '(glossary)'")
        terms[term] = int(where["n"]) if where["n"] else GLOSSARY_CHAPTER

    for line in block[1].splitlines():
        if not line.strip() or line.startswith(":"):
            continue
        if line[0].isspace():
            definition.append(line.strip())
        else:
            close()
            term, definition = line.strip(), []
    close()
    return terms


_TERM_ROLE = re.compile(r"\{term\}`(?P<text>[^`]*)`")


def term_links(text: str) -> list[str]:
    """The glossary terms a text links with ``{term}`` (``text <term>`` links to ``term``)."""
    found = []
    for match in _TERM_ROLE.finditer(text):
        inner = match["text"]
        target = re.search(r"<([^<>]+)>\s*$", inner)
        found.append((target[1] if target else inner).strip())
    return found


def needs_paragraph(text: str) -> str:
    """The chapter's "What you'll need" paragraph (up to the next blank line)."""
    match = re.search(r"^\*\*What you'll need\.\*\*(.*?)(?:\n\s*\n|\Z)", text, re.S | re.M)
    return match[1] if match else ""


def _drop_parentheses(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"\([^()]*\)", "", text)
    return text


def mentioned_chapters(paragraph: str) -> set[int]:
    """Chapters a paragraph points to: "Chapter 4", "Chapters 1 to 3", "chapters 3 and 6",
    and ``{doc}`` links to ``NN_`` pages."""
    found = {int(m) for m in re.findall(r"\{doc\}`[^`]*?<?(?:\.\./)?(?:book/)?(\d\d)_[^`]*`", paragraph)}
    plain = _drop_parentheses(re.sub(r"\{doc\}`[^`]*`", "", paragraph))
    for match in re.finditer(r"[Cc]hapters?\s+(\d+(?:\s*(?:,|and|to|or)\s*\d+)*)", plain):
        numbers = re.split(r"\s*(,|and|to|or)\s*", match[1])
        values = [int(numbers[0])]
        for sep, value in zip(numbers[1::2], numbers[2::2], strict=True):
            if sep == "to":
                values.extend(range(values[-1] + 1, int(value) + 1))
            else:
                values.append(int(value))
        found.update(values)
    return found


def _prose(text: str) -> str:
    """The markdown a learner reads: the body without code cells, directives' options and comments."""
    body = _body(text)
    # an instructor's teaching notes (the slides' speaker notes) are not the learner's reading
    body = re.sub(r":::\{admonition\} Teaching notes\n:class: [^\n]*speaker-notes.*?\n:::\n", " ", body,
                  flags=re.S)
    body = re.sub(r"```\{code-cell\}.*?\n```", " ", body, flags=re.S)
    body = re.sub(r"^:[\w-]+:.*$", " ", body, flags=re.M)
    body = re.sub(r"^%.*$", " ", body, flags=re.M)
    return body


def _shown_code(text: str) -> str:
    """The code cells a learner reads (not those whose input the site removes)."""
    cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)\n```", _body(text), flags=re.S)
    return "\n".join(c for c in cells if not re.search(r"remove-(?:cell|input)", c.split("\n\n")[0]))


def reading_words(path: Path) -> int:
    """Words a learner reads in a chapter: its prose (mathematics counted as words) and its code
    cells (reading code is part of the lesson), not the cells the site hides."""
    text = Path(path).read_text(encoding="utf-8")
    return len(re.findall(r"\S+", _prose(text))) + len(re.findall(r"\S+", _shown_code(text)))


def exercise_count(path: Path) -> int:
    """The chapter's ``{exercise}`` blocks."""
    return Path(path).read_text(encoding="utf-8").count("```{exercise}")


def reading_minutes(path: Path) -> int:
    """Estimated minutes to read and do a chapter, rounded up to 5.

    ``words / WORDS_PER_MINUTE + MINUTES_PER_EXERCISE * exercises + RUN_MINUTES``
    (:func:`reading_words`, :func:`exercise_count`).
    """
    minutes = (reading_words(path) / WORDS_PER_MINUTE + MINUTES_PER_EXERCISE * exercise_count(path)
               + RUN_MINUTES)
    return 5 * math.ceil(minutes / 5)


def reading_time_text(minutes: int) -> str:
    """``45`` -> "about 45 minutes", ``80`` -> "about 1 h 20 min"."""
    if minutes < 60:
        return f"about {minutes} minutes"
    hours, rest = divmod(minutes, 60)
    return f"about {hours} h {rest:02d} min" if rest else f"about {hours} h"


_READING_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\(reading-time:this-chapter\)")


def stated_reading_time(text: str) -> str | None:
    """The link text of the chapter's ``[about N minutes](reading-time:this-chapter)``."""
    match = _READING_LINK.search(text)
    return match["text"] if match else None


def problems(root: Path = course.ROOT) -> list[str]:
    """Every way the chapters' front matter, term links and "What you'll need" disagree."""
    terms = glossary(root)
    files = _chapter_files(root)
    edges = graph(root)
    found: list[str] = []
    definers: dict[str, int] = {}
    for n, path in files.items():
        for term in front_matter(path)["defines"]:
            if term in definers:
                found.append(f"{term!r} is defined by chapters {definers[term]} and {n}")
            definers[term] = n
    for term, where in terms.items():
        if where != GLOSSARY_CHAPTER and definers.get(term) != where:
            found.append(f"the glossary says chapter {where} defines {term!r}, "
                         f"the front matter says {definers.get(term, 'no chapter')}")
    for n, path in files.items():
        text = path.read_text(encoding="utf-8")
        meta = front_matter(path)
        name = path.name
        for p in meta["prerequisites"]:
            if p not in files:
                found.append(f"{name}: prerequisite {p} is not a chapter in _toc.yml")
        needs = closure(n, edges)
        if n in needs:
            found.append(f"{name}: its prerequisites lead back to itself")
        declared = set(meta["defines"]) | set(meta["uses"])
        for term in sorted(declared):
            if term not in terms:
                found.append(f"{name}: {term!r} is not in the glossary")
        for term in meta["uses"]:
            where = terms.get(term)
            if where not in (None, GLOSSARY_CHAPTER, n) and where not in needs:
                found.append(f"{name} uses {term!r}, defined in chapter {where}, which is not "
                             f"among its prerequisites {sorted(needs)}")
        # Sphinx matches glossary terms case-insensitively ("Naive Bayes" links "naive Bayes").
        links = {t.lower() for t in term_links(_body(text))}
        for term in sorted(links - {t.lower() for t in declared}):
            found.append(f"{name} links {{term}}`{term}` without declaring it in defines/uses")
        for term in sorted(t for t in declared if t.lower() not in links):
            found.append(f"{name} declares {term!r} but never links it with {{term}}")
        paragraph = needs_paragraph(text)
        mentioned = mentioned_chapters(paragraph)
        for p in sorted(set(meta["prerequisites"]) - mentioned):
            found.append(f"{name}: 'What you'll need' does not mention prerequisite chapter {p}")
        for p in sorted(mentioned - needs):
            found.append(f"{name}: 'What you'll need' points to chapter {p}, which is not among "
                         f"its prerequisites {sorted(needs)}")
        stated = stated_reading_time(paragraph)
        expected = reading_time_text(reading_minutes(path))
        if stated is None:
            found.append(f"{name}: 'What you'll need' has no [..](reading-time:this-chapter) link")
        elif stated != expected:
            found.append(f"{name}: reading time says {stated!r}, the estimate is {expected!r} "
                         "(run `python -m coursetools reading-times`)")
    return found


def refresh_reading_times(root: Path = course.ROOT) -> list[Path]:
    """Rewrite each chapter's reading-time link text to the current estimate (for JupyterLab;
    the site computes it at build time). Returns the files changed."""
    changed = []
    for path in course.chapters(root):
        text = path.read_text(encoding="utf-8")
        link = f"[{reading_time_text(reading_minutes(path))}](reading-time:this-chapter)"
        new = _READING_LINK.sub(lambda _match, link=link: link, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def prerequisite_figure(root: Path = course.ROOT):
    """The prerequisite map: one node per chapter, an arrow from each prerequisite to the chapter
    that needs it; chapters are placed in columns by their depth (longest chain of prerequisites)."""
    from matplotlib.figure import Figure

    files = _chapter_files(root)
    edges = graph(root)
    depth: dict[int, int] = {}

    def level(n: int, trail=()) -> int:
        if n in trail:
            raise ValueError(f"the prerequisites of chapter {n} form a cycle")
        if n not in depth:
            depth[n] = 1 + max((level(p, (*trail, n)) for p in edges.get(n, [])), default=-1)
        return depth[n]

    for n in files:
        level(n)
    columns: dict[int, list[int]] = {}
    for n in sorted(files):
        columns.setdefault(depth[n], []).append(n)
    position = {n: (d, -i + (len(col) - 1) / 2) for d, col in columns.items() for i, n in enumerate(col)}
    titles = {n: _title(p) for n, p in files.items()}
    height = max(len(c) for c in columns.values())
    fig = Figure(figsize=(1.6 * len(columns) + 0.4, 0.7 * height + 0.6), layout="constrained")
    ax = fig.add_subplot()
    boxes = {
        n: ax.text(x, y, f"{n}. {titles[n]}", ha="center", va="center", fontsize=7.5, zorder=3,
                   bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": "0.3", "lw": 0.8})
        for n, (x, y) in position.items()
    }
    for n, needs in edges.items():
        for p in needs:
            # from the right edge of the prerequisite's box to the left edge of the chapter's
            ax.annotate("", xy=(0, 0.5), xycoords=boxes[n], xytext=(1, 0.5), textcoords=boxes[p], zorder=1,
                        arrowprops={"arrowstyle": "->", "color": "0.55", "lw": 0.9,
                                    "shrinkA": 4, "shrinkB": 4, "connectionstyle": "arc3,rad=0.05"})
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.set_ylim(-height / 2 - 0.2, height / 2 + 0.2)
    ax.set_axis_off()
    return fig


def _title(path: Path, width: int = 22) -> str:
    import textwrap

    for line in _body(path.read_text(encoding="utf-8")).splitlines():
        if line.startswith("# "):
            title = re.sub(r"^#\s+\d+\.\s*", "", line).strip()
            return "\n".join(textwrap.wrap(title, width))
    return path.stem
