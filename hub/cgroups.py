"""Per-learner memory limits that the kernel enforces: one memory cgroup per learner.

A learner's server and every kernel it starts live in one cgroup with a hard memory limit. A
cell that allocates more than the limit wakes the kernel's OOM killer *inside that cgroup only*:
the largest process there (the runaway kernel) is killed, the learner's server restarts the
kernel, and the hub and the other learners never notice.

Two layouts are supported:

* **cgroup v1** (a ``memory`` hierarchy, e.g. ``/sys/fs/cgroup/memory``): the learners' cgroups
  are created under the hub's own memory cgroup, so whatever limits the machine puts on the hub
  also bound the room;
* **cgroup v2** with the memory controller (systemd machines): under ``/sys/fs/cgroup/<name>``.

:func:`find_memory_root` returns ``None`` when neither is writable (an unprivileged container):
the launcher then falls back to a per-process ``RLIMIT_DATA`` and says so.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class MemoryCgroups:
    """The directory holding one cgroup per learner, and the cgroup version it belongs to."""

    base: Path
    version: int

    @property
    def _limit_file(self) -> str:
        return "memory.limit_in_bytes" if self.version == 1 else "memory.max"

    def path(self, name: str) -> Path:
        return self.base / name

    def limit_room(self, limit_bytes: int) -> None:
        """Cap all learners together: past it, the OOM killer picks among learners' processes only."""
        (self.base / self._limit_file).write_text(str(limit_bytes))

    def create(self, name: str, limit_bytes: int) -> Path:
        """Create (or reuse) the learner's cgroup with a hard limit of ``limit_bytes``."""
        group = self.path(name)
        group.mkdir(exist_ok=True)
        (group / self._limit_file).write_text(str(limit_bytes))
        if self.version == 1:
            # without swap accounting the line above is the whole limit; with it, cap swap too
            memsw = group / "memory.memsw.limit_in_bytes"
            if memsw.exists():
                memsw.write_text(str(limit_bytes))
        else:
            swap = group / "memory.swap.max"
            if swap.exists():
                swap.write_text("0")
        return group

    def procs_file(self, name: str) -> Path:
        return self.path(name) / "cgroup.procs"

    def pids(self, name: str) -> list[int]:
        try:
            return [int(p) for p in self.procs_file(name).read_text().split()]
        except FileNotFoundError:
            return []

    def peak_bytes(self, name: str) -> int:
        """Highest memory use of the learner's cgroup since it was created."""
        peak = "memory.max_usage_in_bytes" if self.version == 1 else "memory.peak"
        return int((self.path(name) / peak).read_text())

    def oom_kills(self, name: str) -> int:
        """How many processes the OOM killer has killed in the learner's cgroup."""
        events = "memory.oom_control" if self.version == 1 else "memory.events"
        for line in (self.path(name) / events).read_text().splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return 0

    def remove(self, name: str, *, timeout: float = 5.0) -> None:
        """Kill whatever still runs in the learner's cgroup (orphaned kernels), then delete it."""
        group = self.path(name)
        if not group.exists():
            return
        deadline = time.monotonic() + timeout
        while True:
            pids = self.pids(name)
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            try:
                group.rmdir()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def remove_all(self) -> None:
        """Remove every learner's cgroup, then the base directory."""
        if not self.base.exists():
            return
        for child in self.base.iterdir():
            if child.is_dir():
                self.remove(child.name)
        with contextlib.suppress(OSError):
            self.base.rmdir()


def _own_cgroup_v1(controller: str) -> str | None:
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return path
    return None


def _mount_point(fstype: str, option: str | None = None) -> Path | None:
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        sep = fields.index("-")
        if fields[sep + 1] != fstype:
            continue
        if option is None or option in fields[sep + 3].split(","):
            return Path(fields[4])
    return None


def find_memory_root(name: str) -> MemoryCgroups | None:
    """Create the directory for the learners' cgroups, ``name``, where this process may.

    Returns ``None`` when no writable memory cgroup hierarchy exists.
    """
    v1 = _mount_point("cgroup", "memory")
    own = _own_cgroup_v1("memory")
    if v1 is not None and own is not None:
        base = v1 / own.lstrip("/") / name
        with contextlib.suppress(OSError):
            base.mkdir(exist_ok=True)
            return MemoryCgroups(base, 1)
    v2 = _mount_point("cgroup2")
    if v2 is not None and "memory" in (v2 / "cgroup.controllers").read_text().split():
        base = v2 / name
        with contextlib.suppress(OSError):
            base.mkdir(exist_ok=True)
            (base / "cgroup.subtree_control").write_text("+memory")
            return MemoryCgroups(base, 2)
    return None


def parse_bytes(text: str) -> int:
    """``"2G"`` -> 2147483648; accepts K, M, G, T suffixes (powers of 1024) or plain bytes."""
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    try:
        if text and text[-1] in units:
            return int(float(text[:-1]) * units[text[-1]])
        return int(text)
    except ValueError:
        raise ValueError(f"not a memory size: {text!r} (use e.g. 2G or 1500M)") from None
