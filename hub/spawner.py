"""Each learner's server: their own system user, their own memory cgroup, the course's ``.venv``."""

from __future__ import annotations

import asyncio
import os
import pwd
import resource
import subprocess
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Integer, Unicode

from hub.cgroups import MemoryCgroups


class CourseSpawner(LocalProcessSpawner):
    """A :class:`LocalProcessSpawner` that isolates learners from each other.

    * Hub user ``alice`` runs as system user ``<user_prefix>alice`` (created on first start,
      home directory mode 700, files created mode 600), never as an account that existed before
      (a learner who calls themself ``root`` gets ``dglab-root``).
    * The server and its kernels run in the learner's memory cgroup (limit ``mem_limit``); the
      process joins it before it drops root, so nothing it allocates escapes the limit. Without
      a writable cgroup hierarchy, each process gets ``RLIMIT_DATA = mem_limit`` instead
      (weaker: per process, not per learner).
    * Stopping the server kills everything left in the cgroup (kernels whose server died).
    """

    user_prefix = Unicode("dglab-", config=True, help="Prefix of the learners' system user names.")
    learner_group = Unicode("dglab-learners", config=True,
                            help="Supplementary group of every learner (the group allowed to reach the .venv).")
    cgroup_base = Unicode("", config=True, help="Directory of the learners' memory cgroups ('' = none).")
    cgroup_version = Integer(1, config=True)
    course_dir = Unicode("dglab-course", config=True,
                         help="The learner's copy of the course, relative to their home (nbgitpuller's target).")

    @property
    def system_user(self) -> str:
        return self.user_prefix + self.user.name

    @property
    def _cgroups(self) -> MemoryCgroups | None:
        return MemoryCgroups(Path(self.cgroup_base), self.cgroup_version) if self.cgroup_base else None

    def _ensure_system_user(self) -> None:
        name = self.system_user
        try:
            pw = pwd.getpwnam(name)
        except KeyError:
            # own primary group (-U): other learners get no group access to this one's files
            subprocess.run(
                ["useradd", "--create-home", "--user-group", "--groups", self.learner_group,
                 "--shell", "/bin/bash", "--comment", f"dglab hub learner {self.user.name}", name],
                check=True, capture_output=True, text=True,
            )
            pw = pwd.getpwnam(name)
            self.log.info("Created system user %s for %s", name, self.user.name)
        os.chmod(pw.pw_dir, 0o700)

    async def start(self):
        await asyncio.to_thread(self._ensure_system_user)
        if self._cgroups is not None and self.mem_limit:
            await asyncio.to_thread(self._cgroups.create, self.system_user, int(self.mem_limit))
        return await super().start()

    async def stop(self, now=False):
        await super().stop(now=now)
        if self._cgroups is not None:
            await asyncio.to_thread(self._cgroups.remove, self.system_user)

    def make_preexec_fn(self, name):
        drop_root = super().make_preexec_fn(self.system_user)
        procs = str(self._cgroups.procs_file(self.system_user)) if self._cgroups is not None else None
        limit = int(self.mem_limit or 0)

        def preexec():
            # runs in the child between fork and exec, still as root
            if procs is not None:
                with open(procs, "w") as f:
                    f.write(str(os.getpid()))
            elif limit:
                resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
            os.umask(0o077)
            drop_root()

        return preexec

    def user_env(self, env):
        pw = pwd.getpwnam(self.system_user)
        env.update(USER=pw.pw_name, LOGNAME=pw.pw_name, HOME=pw.pw_dir, SHELL=pw.pw_shell)
        # the chapters import the course's own modules from the root of the learner's copy, as
        # `make` puts the checkout's root on PYTHONPATH
        env["PYTHONPATH"] = f"{pw.pw_dir}/{self.course_dir}"
        return env

