"""Load test of the classroom hub: ``make hub-load`` (``python -m benchmarks.hub_load [N ...]``).

For each N (default 20), a fresh hub on a free loopback port (the room's defaults: 2 GiB per
learner), then N simulated learners at once: each logs in with the login form, starts their
server, gets their copy of the chapters through nbgitpuller and executes chapter 1's code cells
through the kernel websocket. Printed per N: failures (must be 0), p50/p95 of the time to start
a server, to the first output and to the last cell's reply (both from the first cell sent),
the peak memory per learner (their cgroup's high-water mark: server + kernel) and in total, the
machine's peak memory use above its level before the run, and whether every learner finished
chapter 1 within 2 minutes. The load average before each run is printed: other work on the
machine inflates every time.

Needs root (system users, cgroups), like the hub. Not part of ``make bench``: it creates users.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pwd
import secrets
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import jupytext

from hub.client import HubProcess, Learner
from hub.launch import COURSE_REPO_NAME, FIRST_CHAPTER, REPO

BUDGET_S = 120.0  # chapter 1 must complete within 2 minutes for every learner


@dataclass
class LearnerResult:
    name: str
    spawn_s: float | None = None
    first_output_s: float | None = None
    last_cell_s: float | None = None
    login_to_done_s: float | None = None
    peak_bytes: int | None = None
    cpu_s: float | None = None  # CPU time of the learner's server and kernel (user + system)
    error: str = ""


@dataclass
class RoomResult:
    n: int
    load_before: float
    learners: list[LearnerResult] = field(default_factory=list)
    machine_peak_bytes: int = 0
    hub_peak_bytes: int = 0
    room_cap_bytes: int = 0

    @property
    def failures(self) -> int:
        return sum(1 for r in self.learners if r.error)

    @property
    def within_budget(self) -> bool:
        return self.failures == 0 and all(r.last_cell_s is not None and r.last_cell_s <= BUDGET_S
                                           for r in self.learners)


def chapter_cells(chapter: str = FIRST_CHAPTER) -> list[str]:
    notebook = jupytext.read(REPO / chapter)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def _meminfo() -> dict[str, int]:
    info = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, value = line.split(":", 1)
        info[key] = int(value.split()[0]) * 1024
    return info


def _available_bytes() -> int:
    return _meminfo()["MemAvailable"]


def used_bytes() -> int:
    info = _meminfo()
    return info["MemTotal"] - info["MemAvailable"]


class PeakSampler(threading.Thread):
    """Samples the machine's memory use every half second; ``peak`` is the highest seen."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = used_bytes()
        self._done = threading.Event()

    def run(self):
        while not self._done.wait(0.5):
            self.peak = max(self.peak, used_bytes())

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


async def one_learner(hub: HubProcess, name: str, chapter: str, cells: list[str]) -> LearnerResult:
    result = LearnerResult(name)
    start = time.monotonic()
    person = Learner(hub.url, name, hub.password)
    try:
        if not await person.login():
            raise RuntimeError("login refused")
        await person.create_token()
        result.spawn_s = await person.start_server()
        await person.pull(hub.settings.course_repo)
        kernel = await person.start_kernel(f"{COURSE_REPO_NAME}/{chapter}".replace(".md", ".ipynb"))
        runs = await person.execute(kernel, cells, timeout=600)
        failed = [r for r in runs if r.status != "ok"]
        if failed or len(runs) != len(cells):
            raise RuntimeError(f"cell {len(runs) - 1} {runs[-1].status}: {runs[-1].text[-200:]}")
        result.first_output_s = next(r.first_output_s for r in runs if r.first_output_s is not None)
        result.last_cell_s = runs[-1].done_s
        result.login_to_done_s = time.monotonic() - start
        cg = hub.cgroups
        if cg is not None:
            result.peak_bytes = cg.peak_bytes(hub.system_user(name))
        result.cpu_s = cpu_seconds(pwd.getpwnam(hub.system_user(name)).pw_uid)
    except Exception as e:  # a failure is a result: counted and shown, the others go on
        result.error = f"{type(e).__name__}: {e}"[:300]
    finally:
        await person.close()
    return result


def _processes():
    """``(proc_dir, stat_fields)`` of every live process; the fields follow the command name, so
    ``stat_fields[0]`` is the state (field 3 of ``man 5 proc``). Processes that exit while being
    read are skipped."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            yield entry, (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue


def cpu_seconds(uid: int) -> float:
    """CPU time used by the live processes of ``uid`` and their reaped children."""
    ticks = 0
    for entry, fields in _processes():
        try:
            if entry.stat().st_uid != uid:
                continue
        except OSError:
            continue
        ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _hub_tree_rss(pid: int) -> int:
    """Resident memory of the hub and its children that are not learners' (proxy, services)."""
    total = 0
    for entry, stat in _processes():
        if int(stat[3]) != pid:  # the session id
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if "VmRSS" in fields:
            total += int(fields["VmRSS"].split()[0]) * 1024
    return total


def run_room(n: int, mem_limit: str, chapter: str = FIRST_CHAPTER) -> RoomResult:
    cells = chapter_cells(chapter)
    site = REPO / "_build" / "html"
    result = RoomResult(n, os.getloadavg()[0])
    # the machine is shared: the simulated room may use what is free now, less 2 GiB, and no more
    # (past that its own learners are OOM-killed and counted as failures, nobody else's work)
    room = _available_bytes() - (2 << 30)
    result.room_cap_bytes = room
    with HubProcess(prefix=f"dgl-ld{secrets.token_hex(1)}-", mem_limit=mem_limit, room_mem_limit=str(room),
                    site_dir=site if (site / "index.html").exists() else None) as hub:
        baseline = used_bytes()
        sampler = PeakSampler()
        sampler.start()

        async def room():
            names = [f"learner{i:02d}" for i in range(1, n + 1)]
            return await asyncio.gather(*(one_learner(hub, name, chapter, cells) for name in names))

        try:
            result.learners = asyncio.run(room())
            result.hub_peak_bytes = _hub_tree_rss(hub.proc.pid)
        finally:
            result.machine_peak_bytes = sampler.stop() - baseline
    return result


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def format_rooms(rooms: list[RoomResult]) -> str:
    mib = 1 << 20
    head = (f"{'N':>3}  {'load':>5}  {'fail':>4}  {'spawn p50/p95 s':>15}  {'first output p50/p95 s':>22}  "
            f"{'last cell p50/p95 s':>19}  {'login->done max s':>17}  {'peak/learner med/max MiB':>24}  "
            f"{'total MiB (sum of learners)':>27}  {'machine +MiB':>12}  {'CPU s/learner':>13}  {'room cap GiB':>12}  "
            f"{'<= 2 min':>8}")
    lines = [head, "-" * len(head)]
    for room in rooms:
        ok = [r for r in room.learners if not r.error]
        spawn = [r.spawn_s for r in ok]
        first = [r.first_output_s for r in ok]
        last = [r.last_cell_s for r in ok]
        peaks = [r.peak_bytes / mib for r in ok if r.peak_bytes]
        done = max((r.login_to_done_s for r in ok), default=float("nan"))
        cpu = [r.cpu_s for r in ok if r.cpu_s is not None]
        lines.append(
            f"{room.n:>3}  {room.load_before:>5.1f}  {room.failures:>4}  "
            f"{_pct(spawn, 50):>7.1f}/{_pct(spawn, 95):<7.1f}  {_pct(first, 50):>11.1f}/{_pct(first, 95):<10.1f}  "
            f"{_pct(last, 50):>9.1f}/{_pct(last, 95):<9.1f}  {done:>17.1f}  "
            f"{statistics.median(peaks) if peaks else float('nan'):>11.0f}/{max(peaks, default=float('nan')):<12.0f}  "
            f"{sum(peaks):>27.0f}  {room.machine_peak_bytes / mib:>12.0f}  "
            f"{statistics.median(cpu) if cpu else float('nan'):>13.1f}  {room.room_cap_bytes / 2**30:>12.1f}  "
            f"{'yes' if room.within_budget else 'NO':>8}"
        )
    for room in rooms:
        for r in room.learners:
            if r.error:
                lines.append(f"N={room.n} {r.name}: {r.error}")
    fits = [room.n for room in rooms if room.within_budget]
    lines.append(f"largest N with every learner through the chapter within {BUDGET_S:.0f} s: "
                 f"{max(fits) if fits else 'none'} (of {[room.n for room in rooms]})")
    hub_mib = max((room.hub_peak_bytes for room in rooms), default=0) / mib
    lines.append(f"hub + proxy + services, resident memory after the run (largest N): {hub_mib:.0f} MiB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("learners", nargs="*", type=int, default=[20], help="room sizes (default: 20)")
    parser.add_argument("--mem-limit", default="2G", help="memory limit per learner (default 2G)")
    parser.add_argument("--chapter", default=FIRST_CHAPTER,
                        help=f"the chapter every learner runs (default {FIRST_CHAPTER})")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("hub-load: the hub creates system users: run as root (sudo make hub-load)", file=sys.stderr)
        return 2
    print(f"# {os.cpu_count()} CPUs, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB; "
          f"{args.chapter}: {len(chapter_cells(args.chapter))} code cells; "
          "load = 1-min load average before the run",
          flush=True)
    rooms = []
    for n in args.learners:
        rooms.append(run_room(n, args.mem_limit, args.chapter))
        print(format_rooms(rooms[-1:]).splitlines()[2], flush=True)
    print()
    print(format_rooms(rooms))
    return 0 if all(room.failures == 0 for room in rooms) else 1


if __name__ == "__main__":
    raise SystemExit(main())
