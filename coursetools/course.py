"""The course's own files: which chapters ``_toc.yml`` lists, and reading and running them.

Used by the nbval hook in ``conftest.py``, ``scripts/make_references.py``, the benchmarks and
``python -m coursetools doctor``, the Sphinx extension and the slides. Paths are those of a
checkout of the course repository.
"""

from __future__ import annotations

import contextlib
import copy
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
REFERENCES = ROOT / "tests" / "reference"
#: Where the slides go inside the built site.
SLIDES_DIR = "slides"

__all__ = [
    "ROOT",
    "BOOK",
    "REFERENCES",
    "SLIDES_DIR",
    "slide_path",
    "notebook_download_path",
    "toc_files",
    "chapters",
    "read_chapter",
    "reference_path",
    "code_signature",
    "stale_reason",
    "execute",
    "strip_for_reference",
]


def slide_path(docname: str) -> str:
    """The deck of a chapter, relative to the site root (``book/01_x`` -> ``slides/01_x.html``)."""
    return f"{SLIDES_DIR}/{Path(docname).name}.html"


def notebook_download_path(docname: str) -> str:
    """The notebook's path inside the built site (where sphinx-book-theme expects it)."""
    return f"_sources/{docname}.ipynb"


def _walk(entries):
    for entry in entries or []:
        if "file" in entry:
            yield entry["file"]
        for key in ("chapters", "sections", "parts"):
            yield from _walk(entry.get(key))


def toc_files(root: Path = ROOT) -> list[Path]:
    """Every page ``_toc.yml`` lists, in book order, as paths to existing source files."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"], *_walk(toc.get("chapters")), *_walk(toc.get("parts"))]
    paths = []
    for name in names:
        candidates = [root / name] + [root / f"{name}{ext}" for ext in (".md", ".ipynb")]
        found = next((p for p in candidates if p.is_file()), None)
        if found is None:
            raise FileNotFoundError(f"_toc.yml lists {name!r} but no such file exists")
        paths.append(found.resolve())
    return paths


def _is_notebook(path: Path) -> bool:
    if path.suffix == ".ipynb":
        return True
    head = path.read_text(encoding="utf-8")[:600]
    return head.startswith("---") and "kernelspec:" in head


def chapters(root: Path = ROOT) -> list[Path]:
    """The pages of the book that are notebooks (MyST markdown with a kernelspec)."""
    return [p for p in toc_files(root) if _is_notebook(p)]


def read_chapter(path: Path):
    """A chapter as an ``nbformat`` notebook (through jupytext), without outputs."""
    import jupytext

    return jupytext.read(str(path))


def load_script(name: str, root: Path = ROOT):
    """Import ``scripts/<name>.py`` as a module (the scripts are not a package), e.g. to reuse the
    training recipes of a checkpoint script in its tests and benchmarks."""
    import importlib.util

    path = root / "scripts" / f"{name}.py"
    if not path.is_file():
        raise FileNotFoundError(f"no script {path}")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reference_path(chapter: Path) -> Path:
    """Where the executed reference copy of a chapter lives."""
    return REFERENCES / f"{Path(chapter).stem}.ipynb"


def code_signature(nb) -> list[tuple[str, tuple[str, ...]]]:
    """What a reference must share with its chapter: each code cell's source and tags."""
    return [
        (cell.source.strip(), tuple(cell.metadata.get("tags", ())))
        for cell in nb.cells
        if cell.cell_type == "code"
    ]


def stale_reason(chapter_nb, reference_nb) -> str | None:
    """Why a reference no longer matches its chapter's code, or ``None`` when it does."""
    ours, theirs = code_signature(chapter_nb), code_signature(reference_nb)
    if len(ours) != len(theirs):
        return f"the chapter has {len(ours)} code cells, its reference {len(theirs)}"
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        if a != b:
            what = "source" if a[0] != b[0] else "tags"
            return f"code cell {i} differs ({what})"
    return None


#: Kernels that publish or compare a chapter render every explorer frame (dglab/widgets.py).
STATIC_EXPLORERS = "DGLAB_STATIC_EXPLORERS"


@contextlib.contextmanager
def explorer_frames(static: bool = True):
    """Kernels started inside this block render every explorer frame (``static``) or only the
    frames a slider reaches (as in JupyterLab): a kernel inherits the environment it starts in."""
    saved = os.environ.get(STATIC_EXPLORERS)
    os.environ[STATIC_EXPLORERS] = "1" if static else "0"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(STATIC_EXPLORERS, None)
        else:
            os.environ[STATIC_EXPLORERS] = saved


#: How a finished chapter's kernel is stopped (nbclient's ``shutdown_kernel``): at once. A graceful
#: shutdown lets a kernel that imported torch tear its interpreter down, about 1.5 s per chapter
#: that nothing needs: the executed notebook is already complete and the kernel saves nothing.
KERNEL_SHUTDOWN = "immediate"


def execute(nb, *, cwd: Path = BOOK, timeout: int = 300, kernel_name: str = "python3",
            static_explorers: bool = True):
    """Run a notebook top to bottom with nbclient; returns ``(executed_nb, seconds)``.

    With ``static_explorers`` (the default: references, the benchmark's build rows) every explorer
    frame is rendered as the book build does; without it, only the default frames (JupyterLab).
    """
    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name=kernel_name, resources={"metadata": {"path": str(cwd)}},
        shutdown_kernel=KERNEL_SHUTDOWN,
    )
    start = time.perf_counter()
    with explorer_frames(static_explorers):
        client.execute()
    return nb, time.perf_counter() - start


_IGNORED = {"nbval-ignore-output", "nbval-skip", "remove-output"}


def strip_for_reference(nb):
    """Keep only what nbval compares: text outputs of cells whose output is checked.

    nbval does not compare images (without nbdime) nor the outputs of cells tagged
    ``nbval-ignore-output``, so dropping them keeps the references small and readable.
    """
    nb = copy.deepcopy(nb)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"  # jupytext draws random ids; fixed ones keep reference diffs quiet
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if _IGNORED & set(cell.metadata.get("tags", ())):
            cell.outputs = []
            continue
        for output in cell.outputs:
            data = output.get("data")
            if data:
                for mime in [m for m in data if m.startswith("image/")]:
                    del data[mime]
        cell.outputs = _coalesce_streams(cell.outputs)
    nb.metadata.pop("widgets", None)
    return nb


def _coalesce_streams(outputs):
    """Join consecutive stdout (or stderr) outputs: how the kernel chunks a stream is timing."""
    merged = []
    for output in outputs:
        last = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and last is not None
                and last.get("output_type") == "stream" and last.get("name") == output.get("name")):
            last["text"] += output["text"]
        else:
            merged.append(output)
    return merged
