"""Execute the book's chapters in parallel into the build's jupyter-cache, before Sphinx reads them.

``jupyter-book build`` (``execute_notebooks: cache``) executes each chapter whose code changed,
one after the other, while Sphinx reads the pages. The chapters do not depend on each other, so
this step runs the stale ones side by side first (``--jobs`` kernels at once) and stores each
executed notebook in ``_build/.jupyter_cache`` exactly as myst-nb would: the build then finds every
chapter in the cache and only renders. A chapter that raises fails this step, naming the chapter
and the cell, as the build itself would.

    python -m coursetools execute [--jobs N] [CHAPTER ...]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from coursetools import course

CACHE = course.ROOT / "_build" / ".jupyter_cache"
TIMEOUT = 180  # seconds per cell, as _config.yml's execute.timeout


def read_as_myst_nb(path: Path):
    """The chapter as myst-nb reads it during the build (same cells, same metadata: same cache key)."""
    from myst_nb.core.read import read_myst_markdown_notebook

    return read_myst_markdown_notebook(path.read_text(encoding="utf-8"), add_source_map=True, path=path)


def _execute(path: str) -> tuple[str, object, float, str | None]:
    """Run one chapter in its own kernel (in a worker process); returns the executed notebook."""
    from jupyter_cache.executors.utils import single_nb_execution

    nb = read_as_myst_nb(Path(path))
    # the published page needs every explorer frame (the kernel inherits this environment)
    os.environ[course.STATIC_EXPLORERS] = "1"
    result = single_nb_execution(nb, cwd=str(Path(path).parent), timeout=TIMEOUT,
                                 allow_errors=False, meta_override=True,
                                 shutdown_kernel=course.KERNEL_SHUTDOWN)
    return path, result.nb, result.time, result.exc_string


#: The cache records which dglab its chapters ran with: jupyter-cache keys a notebook by its code
#: cells only, so a change to dglab alone would otherwise leave stale listings and figures.
LIBRARY_STAMP = "dglab.sha256"


def library_digest() -> str:
    """A digest of dglab's sources and of the library versions that draw (as the frame cache keys)."""
    from dglab._frame_cache import _environment_digest

    return _environment_digest()


def library_changed(cache_dir: Path) -> bool:
    """True when ``cache_dir`` holds executed chapters made with another dglab than this one."""
    executed = Path(cache_dir) / "executed"
    if not executed.is_dir() or not any(executed.iterdir()):
        return False
    stamp = Path(cache_dir) / LIBRARY_STAMP
    return not stamp.is_file() or stamp.read_text(encoding="utf-8").strip() != library_digest()


#: What the last successful run found in the cache: a digest of every chapter's source and of dglab.
SOURCES_STAMP = "chapters.sha256"


def sources_digest(chapters: list[Path]) -> str:
    """A digest of the chapters' files (names and bytes) and of dglab: equal to the last successful
    run's, nothing can be stale, and the slow check (myst-nb reading every chapter, ~5 s of imports
    and parsing) is skipped."""
    import myst_nb

    digest = hashlib.sha256(f"{library_digest()} myst-nb {myst_nb.__version__}\n".encode())
    for path in chapters:
        digest.update(f"{path}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _unchanged(chapters: list[Path]) -> bool:
    stamp = Path(CACHE) / SOURCES_STAMP
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == sources_digest(chapters)


def stale_chapters(cache, chapters: list[Path]) -> list[Path]:
    """The chapters whose current code has no executed notebook in the cache."""
    stale = []
    for path in chapters:
        try:
            cache.match_cache_notebook(read_as_myst_nb(path))
        except KeyError:
            stale.append(path)
    return stale


def _expected_seconds(cache, path: Path) -> float:
    """Last recorded run time of this chapter (longest first packs the workers best)."""
    times = [r.data.get("execution_seconds") or 0.0 for r in cache.list_cache_records()
             if Path(r.uri) == path]
    return max(times, default=path.stat().st_size / 1000)


def execute(chapters: list[Path], jobs: int) -> int:
    if _unchanged(chapters):
        print(f"execute: {len(chapters)} of {len(chapters)} chapters cached (unchanged since the last run)")
        return 0
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    if library_changed(CACHE):  # outputs made by other dglab code (listings, explorers, figures)
        print("execute: dglab changed since the chapters in the cache ran: every chapter runs again")
        shutil.rmtree(CACHE, ignore_errors=True)
    cache = get_cache(str(CACHE))
    stale = stale_chapters(cache, chapters)
    print(f"execute: {len(chapters) - len(stale)} of {len(chapters)} chapters cached, "
          f"{len(stale)} to run with {jobs} kernel(s) at a time")
    if not stale:
        (Path(CACHE) / SOURCES_STAMP).write_text(sources_digest(chapters) + "\n", encoding="utf-8")
        return 0
    stale.sort(key=lambda p: _expected_seconds(cache, p), reverse=True)
    failed, start = [], time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_execute, str(path)) for path in stale]
        for future in as_completed(futures):
            path, nb, seconds, error = future.result()
            name = Path(path).name
            if error:
                failed.append(name)
                print(f"execute: {name} FAILED after {seconds:.1f} s\n{error}", file=sys.stderr)
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, path, data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True,
            )
            print(f"execute: {name} {seconds:.1f} s")
    print(f"execute: {len(stale)} chapters in {time.perf_counter() - start:.1f} s wall")
    if failed:
        print(f"execute: failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    (Path(CACHE) / LIBRARY_STAMP).write_text(library_digest() + "\n", encoding="utf-8")
    (Path(CACHE) / SOURCES_STAMP).write_text(sources_digest(chapters) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursetools execute", description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="kernels at a time (default: 2, or 1 on a one-core machine)")
    parser.add_argument("chapters", nargs="*", help="chapter files (default: every chapter of _toc.yml)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    chapters = [Path(c).resolve() for c in args.chapters] or course.chapters()
    missing = [str(c) for c in chapters if not c.is_file()]
    if missing:
        parser.error(f"no such chapter: {', '.join(missing)}")
    return execute(chapters, args.jobs)
