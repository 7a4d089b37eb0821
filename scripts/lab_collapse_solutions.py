"""Collapse the solutions of the chapters' exercises in JupyterLab (the website keeps its dropdowns).

A solution is written with sphinx-exercise's gated directives, ``{solution-start}`` ... code cells
and prose ... ``{solution-end}``. The website folds it into a dropdown; JupyterLab shows every
cell at once. This script gives every cell *inside* a solution the cell metadata
``jupyter.source_hidden`` (and ``outputs_hidden`` for code cells), which JupyterLab honours when it
opens the notebook: the learner sees the solution's title and a collapsed cell to click open.
Run All still executes the solution cells (harmlessly: the build and nbval execute them too).

* the ``{solution-start}`` directive is made its own markdown cell (a ``+++`` break before it, when
  the exercise's text shares its cell), and stays visible;
* code cells get ``:jupyter: {source_hidden: true, outputs_hidden: true}`` in their options;
* markdown cells get a ``+++ {"jupyter": {"source_hidden": true}}`` break; text after
  ``{solution-end}`` is split into a new, visible cell.

Idempotent: ``python scripts/lab_collapse_solutions.py [book/NN_*.md ...]`` (default: every chapter).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the course's tooling is not installed: run from any directory
from coursetools.rewrite import rewrite_chapters  # noqa: E402

HIDDEN_CODE = ":jupyter: {source_hidden: true, outputs_hidden: true}"
HIDDEN_MARKDOWN = '+++ {"jupyter": {"source_hidden": true}}'


def _cells(lines: list[str]):
    """Split a MyST notebook's body into ('code' | 'markdown', [lines]) chunks (header excluded)."""
    chunks, current, kind = [], [], "markdown"
    for line in lines:
        if kind == "markdown" and line.startswith("```{code-cell}"):
            chunks.append(("markdown", current))
            current, kind = [line], "code"
            continue
        if kind == "code":
            current.append(line)
            if line.rstrip() == "```":
                chunks.append(("code", current))
                current, kind = [], "markdown"
            continue
        if line.startswith("+++"):
            chunks.append(("markdown", current))
            current = [line]
            continue
        current.append(line)
    chunks.append((kind, current))
    return [(k, c) for k, c in chunks if c]


def _hide_code(cell: list[str]) -> list[str]:
    if any(line.startswith(":jupyter:") or line.startswith("jupyter:") for line in cell[:12]):
        return cell
    if len(cell) > 1 and cell[1].strip() == "---":  # YAML options block
        return [cell[0], cell[1], "jupyter: {source_hidden: true, outputs_hidden: true}", *cell[2:]]
    return [cell[0], HIDDEN_CODE, *cell[1:]]


def _hide_markdown(cell: list[str]) -> list[str]:
    if cell and cell[0].startswith("+++"):
        meta_text = cell[0][3:].strip()
        meta = json.loads(meta_text) if meta_text else {}
        meta.setdefault("jupyter", {})["source_hidden"] = True
        return ["+++ " + json.dumps(meta), *cell[1:]]
    if not any(line.strip() for line in cell):
        return cell
    # a markdown cell that follows a code cell starts after the blank line
    lead = 0
    while lead < len(cell) and not cell[lead].strip():
        lead += 1
    return [*cell[:lead], HIDDEN_MARKDOWN, "", *cell[lead:]]


def _split_at(cell: list[str], pattern: str, *, before: bool) -> tuple[list[str], list[str]]:
    """Split a markdown chunk before the directive matching ``pattern`` or after its closing fence."""
    for i, line in enumerate(cell):
        if re.match(pattern, line):
            if before:
                return cell[:i], cell[i:]
            j = i + 1
            while j < len(cell) and cell[j].rstrip() != "```":
                j += 1
            return cell[: j + 1], cell[j + 1:]
    raise ValueError(pattern)


def collapse(text: str) -> str:
    header_end = text.index("\n---\n", 4) + 5  # the YAML front matter stays as it is
    chunks = _cells(text[header_end:].split("\n"))
    out: list[list[str]] = []
    inside = False
    chunks.reverse()  # a stack: text after a {solution-end} is examined again as a chunk of its own
    while chunks:
        kind, cell = chunks.pop()
        if kind == "code":
            out.append(_hide_code(cell) if inside else cell)
            continue
        start = any(re.match(r"```\{solution-start\}", line) for line in cell)
        end = any(re.match(r"```\{solution-end\}", line) for line in cell)
        if start and not inside:
            before, cell = _split_at(cell, r"```\{solution-start\}", before=True)
            if any(line.strip() and not line.startswith("+++") for line in before):
                out.append([*before, "+++", ""])  # the exercise's text stays in a cell of its own
            elif before:
                out.append(before)
            head, rest = _split_at(cell, r"```\{solution-start\}", before=False)
            out.append(head)  # the solution's title stays visible
            inside = True
            if any(line.strip() for line in rest):
                chunks.append(("markdown", rest))  # the solution's prose, examined as a chunk
            elif rest:
                out.append(rest)
            continue
        if inside and end:
            solution, after = _split_at(cell, r"```\{solution-end\}", before=False)
            out.append(_hide_markdown(solution))
            if any(line.strip() for line in after):
                lead = 0
                while not after[lead].strip():
                    lead += 1
                out.append(["", "+++", ""])
                chunks.append(("markdown", after[lead:]))
            elif after:
                out.append(after)
            inside = False
            continue
        out.append(_hide_markdown(cell) if inside else cell)
    return text[:header_end] + "\n".join(line for chunk in out for line in chunk)


def main(argv=None) -> None:
    rewrite_chapters(collapse, lambda text: "solutions collapsed", sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
