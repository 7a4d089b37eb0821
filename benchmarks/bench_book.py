"""The course itself (issue 21): chapter times in two modes, then a cold and a warm ``make book``.

* a machine-speed row (a fixed numpy + torch workload) to scale every time to another machine;
* each chapter on a cold kernel, twice: as the build executes it (every explorer frame rendered,
  no frame cache) and as a learner runs it in JupyterLab (frames on demand); goal 15 s each;
* a cold build: what ``make book`` does from an empty ``_build`` (``coursetools execute`` in
  parallel, ``jupyter-book build``, ``coursetools slides``), in a copy of the course so this
  checkout's ``_build`` is untouched; goal 3 minutes;
* a warm rebuild: the same commands again with nothing changed, slides included; goal 8 s.

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

#: The phases of ``make book`` (Makefile targets html and slides), run from the course's root.
PHASES = {
    "execute": [sys.executable, "-m", "coursetools", "execute"],
    "jupyter-book": [str(Path(sys.executable).with_name("jupyter-book")), "build", ".", "-W", "-n",
                     "--keep-going", "-q"],
    "slides": [sys.executable, "-m", "coursetools", "slides"],
}


def copy_course(dest: Path, chapters: list[Path] | None = None) -> Path:
    """A fresh clone's worth of the course in ``dest`` (node_modules linked, not copied). With
    ``chapters``, the table of contents keeps only those (and the pages that are not chapters)."""
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

    def keep(entries):
        kept = []
        for entry in entries:
            if isinstance(entry, dict):
                if Path(str(entry.get("file", ""))).stem in drop:
                    continue
                entry = {k: keep(v) if k in ("chapters", "sections", "parts") else v for k, v in entry.items()}
            kept.append(entry)
        return kept

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    toc = {k: keep(v) if k in ("chapters", "parts") else v for k, v in toc.items()}
    (root / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")


def make_book(root: Path, strict: bool = True) -> dict[str, float]:
    """Run the phases of ``make book`` in ``root``; seconds per phase (and ``total``). Without
    ``strict`` warnings do not fail the build (a smoke run's cut table of contents breaks links)."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(root),
           "DGLAB_FRAME_CACHE": str(root / "_build" / ".dglab-frames")}
    env.pop(course.STATIC_EXPLORERS, None)  # set by the tools themselves, as under make
    seconds = {}
    for phase, command in PHASES.items():
        if not strict:
            command = [c for c in command if c != "-W"]
        start = time.perf_counter()
        subprocess.run(command, cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
        seconds[phase] = time.perf_counter() - start
    seconds["total"] = sum(seconds.values())
    return seconds


def _phases(seconds: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items() if k != "total")


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
        site = root / "_build" / "html"
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    rows.append(goal_row(f"make book, cold (empty _build; {which})", cold["total"], "s", COLD_BUILD_GOAL_S,
                         _phases(cold)))
    rows.append(goal_row("make book, warm (nothing changed; slides included)", warm["total"], "s",
                         WARM_BUILD_GOAL_S, _phases(warm)))
    rows.append(Row("built site size", size / 2**20, "MiB"))
    return rows
