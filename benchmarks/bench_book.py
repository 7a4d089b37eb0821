"""The course itself (issue 21): chapter times in two modes, then a cold and a warm ``make book``.

* a machine-speed row (a fixed numpy + torch workload) to scale every time to another machine;
* each chapter on a cold kernel, twice: as the build executes it (every explorer frame rendered,
  no frame cache) and as a learner runs it in JupyterLab (frames on demand); goal 15 s each;
* a cold build: what ``make book`` does from an empty ``_build`` (``coursetools execute`` in
  parallel, ``jupyter-book build``, ``coursetools slides``), run by ``make`` in a copy of the
  course so this checkout's ``_build`` is untouched; goal 3 minutes;
* a warm rebuild: ``make book`` again with nothing changed, slides included; goal 8 s;
* a rebuild after a prose-only edit of one chapter (reported, no goal).

Each chapter is executed twice (the two modes) and the book is built twice (cold, then warm),
plus the cold build's own execution of every chapter. ``python -m benchmarks book --chapters 01 03``
(or ``DGLAB_BENCH_CHAPTERS="01 03"``) restricts all of it to a few chapters: a smoke run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Row, chapter_rows, goal_row, machine_speed_row
from coursetools import course

COLD_BUILD_GOAL_S = 180.0
WARM_BUILD_GOAL_S = 8.0

#: Not copied into the throw-away course: build outputs, environments, version control.
_IGNORE = shutil.ignore_patterns("_build", ".venv", "node_modules", ".git", "__pycache__", ".ruff_cache",
                                 ".pytest_cache", ".ipynb_checkpoints")

#: ``make book`` in the copy, with this interpreter's environment and the web assets as they are
#: (``-o``: the install and vendor steps are not redone; the copy has no .venv of its own).
def _make_command(root: Path) -> list[str]:
    return ["make", "--no-print-directory", "-C", str(root), "book", f"BIN={Path(sys.executable).parent}",
            "-o", ".venv/.installed", "-o", "_static/vendor/.complete"]


def copy_course(dest: Path, chapters: list[Path] | None = None) -> Path:
    """A fresh clone's worth of the course in ``dest`` (node_modules linked, not copied). With
    ``chapters``, the table of contents keeps only those (and the pages that are not chapters, but
    the prerequisite map)."""
    root = dest / "course"
    shutil.copytree(course.ROOT, root, ignore=_IGNORE, symlinks=True)
    if (course.ROOT / "node_modules").exists():
        (root / "node_modules").symlink_to((course.ROOT / "node_modules").resolve())
    if chapters is not None:
        _keep_chapters(root, {c.stem for c in chapters})
    return root


def _keep_chapters(root: Path, stems: set[str]) -> None:
    import yaml

    drop = {c.stem for c in course.chapters()} - stems
    # the prerequisite map draws the arrows between every chapter: it needs them all
    drop |= {p.stem for p in course.toc_files(root) if "{prerequisite-map}" in p.read_text(encoding="utf-8")}

    def keep(entries):
        kept = []
        for entry in entries:
            if isinstance(entry, dict):
                if Path(str(entry.get("file", ""))).stem in drop:
                    continue
                entry = {k: keep(v) if k in ("chapters", "sections", "parts") else v for k, v in entry.items()}
                if any(k in entry and not entry[k] for k in ("chapters", "sections")):
                    continue  # a part left empty is malformed for the table of contents
            kept.append(entry)
        return kept

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    toc = {k: keep(v) if k in ("chapters", "parts") else v for k, v in toc.items()}
    (root / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")


def make_book(root: Path, strict: bool = True) -> float:
    """Run ``make book`` in ``root``; its wall time in seconds. Without ``strict`` warnings do not
    fail the build (a smoke run's cut table of contents breaks cross-references)."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    for name in ("PYTHONPATH", "DGLAB_FRAME_CACHE", course.STATIC_EXPLORERS):
        env.pop(name, None)  # the Makefile and the tools set these themselves
    if not strict:  # the Makefile's jupyter-book line, without -W
        makefile = root / "Makefile"
        makefile.write_text(makefile.read_text(encoding="utf-8").replace(" -W -n ", " -n "), encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(_make_command(root), env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def selected_chapters() -> list[Path] | None:
    prefixes = os.environ.get("DGLAB_BENCH_CHAPTERS", "").split()
    if not prefixes:
        return None
    return [p for p in course.chapters() if any(p.name.startswith(x) for x in prefixes)]


def run() -> list[Row]:
    chapters = selected_chapters()
    stems = None if chapters is None else tuple(c.stem for c in chapters)
    rows = [machine_speed_row(), *chapter_rows(stems)]
    which = "every chapter" if chapters is None else f"only {', '.join(stems)} (smoke run)"
    with tempfile.TemporaryDirectory(prefix="dglab-book-") as tmp:
        root = copy_course(Path(tmp), chapters)
        cold = make_book(root, strict=chapters is None)
        warm = make_book(root, strict=chapters is None)
        # a learner-visible edit that changes no code: the checks run, no chapter executes
        edited = course.chapters(root)[0]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        prose = make_book(root, strict=chapters is None)
        site = root / "_build" / "html"
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    rows.append(goal_row(f"make book, cold (empty _build; {which})", cold, "s", COLD_BUILD_GOAL_S,
                         "execute + jupyter-book + slides"))
    rows.append(goal_row("make book, warm (nothing changed; slides included)", warm, "s", WARM_BUILD_GOAL_S))
    rows.append(Row(f"make book after a prose edit of {edited.stem} (no code changed)", prose, "s",
                    note="reported: cache checks, every page rewritten, slides checked"))
    rows.append(Row("built site size", size / 2**20, "MiB"))
    return rows
