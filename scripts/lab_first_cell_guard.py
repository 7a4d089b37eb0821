"""Give every chapter a first code cell that stops a kernel without ``dglab`` with the fix.

A learner who opens a chapter in a JupyterLab whose kernel is some other Python (a system
Python, another project's venv) would otherwise meet a ``ModuleNotFoundError`` from the middle
of the imports, or later. The guard cell needs only the standard library, names the fix
(``make lab``) and stops Run All right there. The website never shows it (``remove-cell``): the
build always runs in the course's environment.

Idempotent: ``python scripts/lab_first_cell_guard.py [book/NN_*.md ...]`` (default: every chapter).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the course's tooling is not installed: run from any directory
from coursetools.rewrite import rewrite_chapters  # noqa: E402

MARKER = "# Guard: this chapter needs the course's environment"

GUARD = f'''```{{code-cell}} ipython3
:tags: [remove-cell]

{MARKER} (dglab and its pinned packages).
from importlib.util import find_spec

if find_spec("dglab") is None:
    raise ModuleNotFoundError(
        "This kernel has no dglab, so the chapter cannot run here. Close this notebook, run "
        "`make lab` in the course's folder, and open the chapter in the JupyterLab it starts."
    ) from None
```

'''


def add_guard(text: str) -> str:
    if MARKER in text:
        return text
    first = text.index("```{code-cell}")
    return text[:first] + GUARD + text[first:]


def main(argv=None) -> None:
    rewrite_chapters(add_guard, lambda text: "guard cell added", sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
