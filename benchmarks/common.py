"""Shared pieces of the benchmarks: a result row, a timer, chapter timings and the table printer."""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from coursetools import course

CHAPTER_BUDGET_S = 15.0  # every chapter executes within this many seconds (issue 21: 30 s on a 2x slower CPU)


@dataclass
class Row:
    """One measured number: what, how much, in which unit, and the goal it is held to."""

    name: str
    value: float
    unit: str
    goal: str = ""
    ok: bool | None = None  # None: no goal, only reported
    note: str = ""

    def status(self) -> str:
        return {None: "", True: "ok", False: "MISS"}[self.ok]


def goal_row(name: str, value: float, unit: str, limit: float, note: str = "") -> Row:
    """A row held to ``value <= limit``, saying by how much the goal is met or missed."""
    ok = value <= limit
    margin = (f"met, {limit - value:.3g} {unit} to spare" if ok
              else f"missed by {value - limit:.3g} {unit} ({value / limit - 1:+.0%})")
    return Row(name, value, unit, f"<= {limit:g} {unit}", ok, "; ".join(filter(None, [margin, note])))


def median_time(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1,
                clock: Callable[[], float] = time.perf_counter) -> float:
    """Median seconds of ``fn()`` over ``repeat`` calls after ``warmup`` calls, by ``clock``
    (wall-clock by default; ``time.process_time`` for this process's CPU time)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


#: Chapters already executed (and reported) by this run: ``make bench`` runs the book benchmark
#: first, which executes every chapter; the GAN, text and deployment benchmarks then do not
#: execute their chapters a second time (run alone, they still do).
_EXECUTED: set[str] = set()


@contextlib.contextmanager
def _without_frame_cache():
    saved = os.environ.pop("DGLAB_FRAME_CACHE", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["DGLAB_FRAME_CACHE"] = saved


#: The two ways a chapter is executed on a cold kernel (no frame cache): as the book build runs it
#: (every explorer frame rendered for the static page) and as a learner runs it in JupyterLab
#: (only the frames a slider reaches; see dglab/widgets.py).
MODES = {"build": True, "JupyterLab": False}
MODE_NOTES = {"build": "every explorer frame rendered, no frame cache",
              "JupyterLab": "explorer frames on demand (default frame only)"}


def _machine_workload() -> None:
    """A fixed mix of what the chapters do, on one core (a per-core speed; threads on a busy
    machine would measure the load instead): dense linear algebra and a small MLP trained by Adam."""
    import numpy as np
    import torch
    from threadpoolctl import threadpool_limits

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1):
            rng = np.random.default_rng(0)
            a = rng.standard_normal((400, 400))
            for _ in range(20):
                a = np.tanh(a @ a.T / 400)
            np.linalg.eigh(a @ a.T)
        torch.manual_seed(0)
        x = torch.randn(512, 2)
        y = (x[:, :1] * x[:, 1:] > 0).float()
        model = torch.nn.Sequential(torch.nn.Linear(2, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64),
                                    torch.nn.ReLU(), torch.nn.Linear(64, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        for _ in range(200):
            optimizer.zero_grad()
            torch.nn.functional.binary_cross_entropy_with_logits(model(x), y).backward()
            optimizer.step()
    finally:
        torch.set_num_threads(threads)


def machine_speed_row() -> Row:
    """Seconds of a fixed numpy + torch workload: divide another machine's value by this one's
    to scale every time in the table to that machine."""
    return Row("machine speed: fixed numpy + torch workload (scale times by its ratio)",
               median_time(_machine_workload, repeat=3), "s")


def slowest_cells(nb, k: int = 2) -> str:
    """The ``k`` slowest code cells of an executed notebook (nbclient records each cell's start
    and end), as ``'first line...' 7.3 s``: what a row over its budget spends its time on."""
    from datetime import datetime

    def seconds(cell) -> float:
        timing = cell.metadata.get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if not (start and end):
            return 0.0
        return (datetime.fromisoformat(end.rstrip("Z")) - datetime.fromisoformat(start.rstrip("Z"))).total_seconds()

    timed = sorted(((seconds(c), c.source.strip().splitlines()[0] if c.source.strip() else "")
                    for c in nb.cells if c.cell_type == "code"), reverse=True)[:k]
    return ", ".join(f"{line[:40]!r} {t:.1f} s" for t, line in timed if t > 0)


def chapter_rows(stems: tuple[str, ...] | None = None, modes=tuple(MODES)) -> list[Row]:
    """Execute the chapters in ``_toc.yml`` order (all, or those named by ``stems``) on a cold
    kernel, once per mode of :data:`MODES`, one row each; a chapter this run already executed is
    neither executed nor reported again."""
    rows = []
    for path in course.chapters():
        if (stems is None or path.stem in stems) and path.stem not in _EXECUTED:
            _EXECUTED.add(path.stem)
            nb = course.read_chapter(path)
            for mode in modes:
                with _without_frame_cache():  # a cold kernel renders the explorer frames itself
                    executed, seconds = course.execute(nb, static_explorers=MODES[mode])
                why = f"slowest cells: {slowest_cells(executed)}" if seconds > CHAPTER_BUDGET_S else ""
                rows.append(goal_row(f"execute {path.stem} [{mode}]", seconds, "s", CHAPTER_BUDGET_S,
                                     "; ".join(filter(None, [MODE_NOTES[mode], why]))))
    return rows


def format_table(rows: list[Row]) -> str:
    width = max([len(r.name) for r in rows] + [9])
    lines = [f"{'benchmark':<{width}}  {'measured':>10}  {'unit':<8}  {'goal':<14}  status  note"]
    lines.append("-" * len(lines[0]))
    for r in rows:
        lines.append(
            f"{r.name:<{width}}  {r.value:>10.4g}  {r.unit:<8}  {r.goal:<14}  {r.status():<6}  {r.note}"
        )
    return "\n".join(lines)
