# JupyterHub configuration of the classroom hub. Started by `python -m hub` (hub/launch.py), which
# checks the machine first and passes its resolved settings in DGLAB_HUB_SETTINGS.
import atexit
import os
import sys
from pathlib import Path

from hub.cgroups import MemoryCgroups
from hub.launch import COURSE_REPO_NAME, FIRST_CHAPTER, USERNAME_PATTERN, Settings

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)
s = Settings.load(Path(os.environ["DGLAB_HUB_SETTINGS"]))
private = Path(s.state_dir) / "private"

# --- the hub, its database and its proxy (configurable-http-proxy from node_modules) ---
c.JupyterHub.bind_url = f"http://{s.ip}:{s.port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{s.hub_api_port}"
c.JupyterHub.db_url = f"sqlite:///{private / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(private / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [s.proxy]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = str(private / "proxy.pid")
c.JupyterHub.log_datefmt = "%H:%M:%S"
# a room logs in at once: do not turn learners away while others spawn
c.JupyterHub.concurrent_spawn_limit = 0

# --- accounts: the class password, one admin (JupyterHub's own shared-password authenticator:
# constant-time comparison; admins must use the admin password, which is >= 32 characters) ---
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = s.class_password
c.SharedPasswordAuthenticator.admin_password = s.admin_password
c.Authenticator.admin_users = {s.admin}
c.Authenticator.allow_all = True
c.Authenticator.username_pattern = USERNAME_PATTERN

# --- each learner's server: own system user, memory cgroup, the course's .venv ---
c.JupyterHub.spawner_class = "hub.spawner.CourseSpawner"
c.CourseSpawner.user_prefix = s.user_prefix
c.CourseSpawner.learner_group = s.group
c.CourseSpawner.cgroup_base = s.cgroup_base
c.CourseSpawner.cgroup_version = s.cgroup_version or 1
c.CourseSpawner.course_dir = COURSE_REPO_NAME
c.Spawner.mem_limit = s.mem_limit
if s.cgroup_base:
    # the hub stops every server when it exits; then the (empty) cgroups go too
    atexit.register(MemoryCgroups(Path(s.cgroup_base), s.cgroup_version).remove_all)
c.Spawner.cmd = [f"{s.venv}/bin/jupyterhub-singleuser"]
c.Spawner.args = ["--ServerApp.terminals_enabled=True"]
c.Spawner.env_keep = ["LANG", "LC_ALL", "TZ"]  # not the hub's PYTHONPATH
c.Spawner.environment = {
    "PATH": f"{s.venv}/bin:/usr/local/bin:/usr/bin:/bin",
    "PYTHONHASHSEED": "0",
    # many learners share few cores: one thread per kernel avoids oversubscribing them
    "OMP_NUM_THREADS": "1",
    # the chapters' repository belongs to root; this config lets learners' git read it
    "GIT_CONFIG_SYSTEM": str(Path(s.state_dir) / "gitconfig"),
}
# the first visit clones the chapters, later visits merge updates (nbgitpuller keeps local edits)
c.Spawner.default_url = (
    f"/git-pull?repo={s.course_repo}&branch=main&urlpath=lab/tree/{COURSE_REPO_NAME}/{FIRST_CHAPTER}"
)
# thirty servers starting on two cores take a while
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

# --- services: the book and slides, and the idle culler ---
c.JupyterHub.services = [
    {
        "name": "course",
        "url": f"http://127.0.0.1:{s.site_port}",
        "command": [sys.executable, "-m", "hub.course_site", s.site_dir],
        "environment": {"PYTHONPATH": s.repo},
        "display": True,
        "info": {"description": "The executed book and the slides"},
    },
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={s.idle_timeout}",
                    f"--cull-every={max(10, min(300, s.idle_timeout // 2))}"],
    },
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
