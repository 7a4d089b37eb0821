"""The course itself: execution time of each chapter, then a cold and a warm book build."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Row, chapter_rows, machine_speed_row
from coursetools import course


def _build(out: Path) -> float:
    jb = Path(sys.executable).with_name("jupyter-book")
    start = time.perf_counter()
    subprocess.run(
        [str(jb), "build", str(course.ROOT), "--path-output", str(out), "-W", "-n", "--keep-going", "-q"],
        check=True, stdout=subprocess.DEVNULL,
        # frames cached next to this build only: the cold build renders every explorer frame
        env={**os.environ, "PYTHONHASHSEED": "0", "DGLAB_FRAME_CACHE": str(out / "frames")},
    )
    return time.perf_counter() - start


def run() -> list[Row]:
    rows = [machine_speed_row(), *chapter_rows()]
    with tempfile.TemporaryDirectory(prefix="dglab-book-") as tmp:
        cold = _build(Path(tmp))
        warm = _build(Path(tmp))
        size = sum(f.stat().st_size for f in (Path(tmp) / "_build" / "html").rglob("*") if f.is_file())
    rows.append(Row("book build, cold (empty cache, every chapter executed)", cold, "s"))
    rows.append(Row("book build, warm (unchanged sources, cached outputs)", warm, "s"))
    rows.append(Row("built site size", size / 2**20, "MiB"))
    return rows
