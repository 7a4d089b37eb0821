"""Test time (issue 21): unit tests + nbval without the ``slow`` tests, and the ``slow`` tests alone.

The same two pytest invocations as ``make test`` (two workers, a chapter's cells on one worker),
each timed as a whole; the slowest tests of the first one (``--durations``) are listed below it so
the table says what dominates. Goal: the non-slow run within 5 minutes on two workers. The browser,
hub and JupyterLab tests are measured by their own runs (``make test``), not here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from benchmarks.common import Row, goal_row
from coursetools import course

GOAL_S = 300.0
SELECTION = "not browser and not hub and not lab"
#: The pytest invocations of the Makefile's test target (keep them in step).
RUNS = {
    "unit + nbval, not slow": f"not slow and {SELECTION}",
    "slow tests only": f"slow and {SELECTION}",
}
SHOWN = 10  # slowest tests listed under the non-slow row


def _pytest(marker: str, durations: int) -> tuple[float, str]:
    command = [sys.executable, "-m", "pytest", "tests", "book", "-m", marker, "-n", "2", "--dist", "loadfile",
               f"--durations={durations}", "-q"]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=course.ROOT, env={**os.environ, "PYTHONHASHSEED": "0"},
                            capture_output=True, text=True)
    return time.perf_counter() - start, result.stdout + ("" if result.returncode == 0 else
                                                          f"\n(pytest exit status {result.returncode})")


def slowest(output: str, n: int) -> list[tuple[float, str]]:
    """``(seconds, test)`` of the first ``n`` lines of pytest's ``--durations`` report."""
    found = re.findall(r"^(\d+\.\d+)s (?:call|setup|teardown)\s+(.+?)\s*$", output, re.M)
    return [(float(s), name) for s, name in found[:n]]


def run() -> list[Row]:
    rows = []
    for name, marker in RUNS.items():
        seconds, output = _pytest(marker, durations=40 if name.endswith("not slow") else 15)
        status = re.findall(r"^=+ (.*(?:passed|failed|error).*) =+$", output, re.M)
        note = (status[-1] if status else "no summary") + "; 2 workers"
        if "not slow" in name:
            rows.append(goal_row(f"tests: {name}", seconds, "s", GOAL_S, note))
            rows += [Row(f"  slowest: {test}", s, "s") for s, test in slowest(output, SHOWN)]
        else:
            rows.append(Row(f"tests: {name}", seconds, "s", note=note + " (reported, no goal)"))
    return rows
