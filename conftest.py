"""Run the book's MyST-markdown chapters under nbval.

nbval only reads ``.ipynb`` files. This hook hands it every chapter that ``_toc.yml`` lists,
read through jupytext, with the outputs of its executed reference copy in ``tests/reference/``
attached to each code cell:

* ``pytest --nbval`` (the default, see pyproject.toml) runs every cell and compares its output
  with the reference (sanitized by ``tests/sanitize.cfg``; cells tagged ``nbval-ignore-output``
  only have to run). A reference whose code no longer matches the chapter fails with a message
  that says how to regenerate it (``make references``).
* A cell may declare ``nbval-tolerance`` in its metadata (``:nbval-tolerance: 0.01`` or ``2%`` in
  the MyST source): its printed numbers are then compared within that tolerance, the text around
  them exactly (see ``coursetools/tolerance.py``).
* ``pytest --nbval-lax book/`` only checks that every cell runs clean (no reference needed):
  the quick loop while writing a chapter.
"""

from __future__ import annotations

from collections import defaultdict

import nbformat
import pytest
from nbval.plugin import IPyNbFile, find_comment_markers, find_metadata_tags

from coursetools import course
from coursetools.tolerance import TolerantCell

collect_ignore_glob = ["tests/reference/*", "_build/*", ".venv/*", "node_modules/*"]

_CHAPTERS: set | None = None


def _chapters():
    global _CHAPTERS
    if _CHAPTERS is None:
        _CHAPTERS = {p for p in course.chapters() if p.suffix == ".md"}
    return _CHAPTERS


def pytest_collect_file(file_path, parent):
    opt = parent.config.option
    if (opt.nbval or opt.nbval_lax) and file_path.suffix == ".md":
        if file_path.resolve() in _chapters():
            return MystChapter.from_parent(parent, path=file_path)
    return None


class StaleReference(pytest.Item):
    """Fails with the reason a chapter's reference cannot be compared."""

    def __init__(self, *, reason, **kwargs):
        super().__init__(**kwargs)
        self.reason = reason

    def runtest(self):
        raise AssertionError(self.reason)

    def repr_failure(self, excinfo):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, 0, f"{self.path.name}::reference"


class MystChapter(IPyNbFile):
    """nbval's notebook collector, fed a MyST chapter plus its reference outputs."""

    def _load(self):
        nb = course.read_chapter(self.path)
        if not self.compare_outputs:  # --nbval-lax: cells only have to run
            return nb, None
        ref_path = course.reference_path(self.path)
        fix = f"regenerate it with `make references` (or scripts/make_references.py {self.path.name})"
        if not ref_path.exists():
            return nb, f"{self.path.name}: no executed reference at {ref_path}; {fix}"
        reference = nbformat.read(ref_path, as_version=4)
        reason = course.stale_reason(nb, reference)
        if reason:
            return nb, f"{self.path.name}: reference {ref_path.name} is stale: {reason}; {fix}"
        ref_cells = [c for c in reference.cells if c.cell_type == "code"]
        for cell, ref_cell in zip((c for c in nb.cells if c.cell_type == "code"), ref_cells, strict=True):
            cell.outputs = ref_cell.outputs
            cell.execution_count = ref_cell.execution_count
        return nb, None

    _problem = None

    def setup(self):
        if self._problem is None:  # a stale reference fails without starting a kernel
            # compared with references made by the build's mode: every explorer frame rendered
            with course.explorer_frames(static=True):
                super().setup()

    def collect(self):
        self.nb, problem = self._load()
        self._problem = problem
        if problem:
            yield StaleReference.from_parent(self, name="reference", reason=problem)
            return
        code_cells = (c for c in self.nb.cells if c.cell_type == "code")
        for cell_num, cell in enumerate(code_cells):
            options = defaultdict(bool, find_metadata_tags(cell.metadata))
            options.update(find_comment_markers(cell.source))
            options.setdefault("check", self.compare_outputs)
            yield TolerantCell.from_parent(
                self, name=f"Cell {cell_num}", cell_num=cell_num, cell=cell, options=options
            )

