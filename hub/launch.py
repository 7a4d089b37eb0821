"""``make hub`` / ``python -m hub``: check everything, prepare the room, then become JupyterHub.

Every check runs before anything starts or is created; each failure is one line naming the fix.
Settings come from the environment:

=====================  ==========================================================  ==============
variable               meaning                                                     default
=====================  ==========================================================  ==============
``HUB_PASSWORD``       the class password learners type (>= 8 characters)          required
``HUB_ADMIN``          the instructor's user name (the only admin)                 ``instructor``
``HUB_ADMIN_PASSWORD`` the instructor's password (>= 32 characters)                 generated once, kept in the state directory
``HUB_PORT``           the port learners connect to                                ``8000``
``HUB_IP``             the address to listen on (``""``: every interface)          ``""``
``HUB_MEM_LIMIT``      memory limit per learner (server + kernels)                 ``2G``
``HUB_ROOM_MEM_LIMIT`` memory limit of all learners together                       the machine's memory less 2 GiB
``HUB_IDLE_TIMEOUT``   seconds of inactivity after which a server is stopped       ``3600``
``HUB_STATE_DIR``      the hub's database, secrets and the chapters' repository    ``.hub/``
``HUB_SITE_DIR``       the built book served at ``/services/course/``              ``_build/html``
``HUB_USER_PREFIX``    prefix of the learners' system users                        ``dglab-``
``HUB_GROUP``          the group every learner belongs to                          ``dglab-learners``
``HUB_PROXY``          the proxy's executable                                      ``node_modules/.bin/configurable-http-proxy``
=====================  ==========================================================  ==============
"""

from __future__ import annotations

import errno
import grp
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

# stdlib only up to the checks: a wrong interpreter gets the one-line error, not an ImportError
from hub import access, cgroups

REPO = Path(__file__).resolve().parent.parent
COURSE_REPO_NAME = "dglab-course"  # the folder each learner's copy lands in
FIRST_CHAPTER = "book/01_discriminative_models.md"
# learners' names: short and lower-case, so that prefix + name is a valid system user name
USERNAME_PATTERN = r"^[a-z][a-z0-9_-]{0,19}$"
MIN_PASSWORD = 8
MIN_ADMIN_PASSWORD = 32  # what JupyterHub's SharedPasswordAuthenticator demands
_OBVIOUS = {"password", "12345678", "123456789", "qwertyui", "jupyterhub", "changeme", "dglab123"}


class SetupError(Exception):
    """A problem found before the hub starts; its message is the one line the instructor sees."""


@dataclass
class Settings:
    """Everything ``hub/jupyterhub_config.py`` needs, checked and resolved by :func:`prepare`."""

    repo: str
    venv: str
    state_dir: str
    site_dir: str
    course_repo: str
    ip: str
    port: int
    hub_api_port: int
    proxy_api_port: int
    site_port: int
    proxy: str
    class_password: str
    admin: str
    admin_password: str
    mem_limit: int
    room_mem_limit: int
    idle_timeout: int
    user_prefix: str
    group: str
    cgroup_base: str
    cgroup_version: int

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1))
        path.chmod(0o600)

    @classmethod
    def load(cls, path: Path) -> Settings:
        return cls(**json.loads(path.read_text()))

    def first_chapter_link(self, host: str) -> str:
        """The nbgitpuller link to hand out: log in, get (or update) your copy, open chapter 1."""
        query = urlencode({"repo": self.course_repo, "branch": "main",
                           "urlpath": f"lab/tree/{COURSE_REPO_NAME}/{FIRST_CHAPTER}"})
        return f"http://{host}:{self.port}/hub/user-redirect/git-pull?{query}"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def check_password(password: str | None) -> str:
    fix = "choose a class password of at least 8 characters, e.g. HUB_PASSWORD='tulip-river-42' make hub"
    if not password:
        raise SetupError(f"HUB_PASSWORD is not set: {fix}")
    if len(password) < MIN_PASSWORD or password.lower() in _OBVIOUS or len(set(password)) < 3:
        raise SetupError(f"HUB_PASSWORD is too weak (short or obvious): {fix}")
    return password


def check_admin_password(admin_password: str | None, password: str) -> None:
    """An instructor's password, when given, is long and differs from the learners' one."""
    if admin_password is None:
        return  # one is generated and kept in the state directory
    if len(admin_password) < MIN_ADMIN_PASSWORD:
        raise SetupError(f"HUB_ADMIN_PASSWORD is shorter than {MIN_ADMIN_PASSWORD} characters: make it longer, "
                         "or unset it to get a generated one")
    if admin_password == password:
        raise SetupError("HUB_ADMIN_PASSWORD equals the class password (every learner could administer "
                         "the hub): choose another, or unset it to get a generated one")


def check_port(ip: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((ip, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise SetupError(f"port {port} is in use (another hub or server?): stop it, or pick "
                                 f"another port, e.g. HUB_PORT={port + 10} make hub") from None
            raise SetupError(f"cannot listen on {ip or '*'}:{port} ({e.strerror}): set HUB_IP/HUB_PORT") from None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_venv() -> Path:
    venv = Path(sys.prefix)
    if sys.prefix == sys.base_prefix:
        raise SetupError("not running from the course's .venv: start the hub with `make hub` "
                         "(run `make book` first on a fresh clone; it creates .venv)")
    missing = [m for m in ("jupyterhub", "jupyterhub_idle_culler", "nbgitpuller", "jupyterlab")
               if not _importable(m)]
    if missing or not (venv / "bin" / "jupyterhub-singleuser").exists():
        raise SetupError(f"the course's .venv lacks {', '.join(missing) or 'jupyterhub-singleuser'}: "
                         "run `make install` (with network) once, then `make hub`")
    return venv


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def check_proxy(proxy: Path) -> Path:
    if shutil.which("node") is None:
        raise SetupError("Node.js is missing (the hub's proxy runs on it): apt-get install nodejs npm")
    if not os.access(proxy, os.X_OK):
        raise SetupError(f"the hub's proxy is missing ({proxy}): "
                         "run `make book` or `npm ci` once (with network)")
    return proxy


def ensure_group(name: str) -> int:
    """The gid of group ``name``, creating the group if needed."""
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        subprocess.run(["groupadd", name], check=True, capture_output=True, text=True)
        return grp.getgrnam(name).gr_gid


def check_site(site: Path) -> Path:
    if not (site / "index.html").is_file():
        raise SetupError(f"no built site in {site}: run `make book` first (or set HUB_SITE_DIR)")
    return site


def check_checkout(repo: Path) -> None:
    done = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "HEAD"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SetupError(f"{repo} is not a git checkout with a commit: the chapters are handed out "
                         "from git; use a `git clone` of the course")


def update_course_repo(repo: Path, bare: Path) -> None:
    """Publish the checkout's committed HEAD as branch ``main`` of the bare repository learners pull.

    Only fast-forwards: history learners already merged is never rewritten under them. A
    repository that already contains the checkout's HEAD (updated directly) is left as it is.
    """
    if not (bare / "HEAD").exists():
        subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(bare)], check=True)

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "--git-dir", str(bare), *args], capture_output=True, text=True)

    fetched = git("fetch", "--quiet", str(repo), "+HEAD:refs/checkout/head")
    if fetched.returncode != 0:
        raise SetupError(f"cannot copy the checkout into {bare}: {fetched.stderr.strip()}")
    has_main = git("rev-parse", "--verify", "--quiet", "refs/heads/main").returncode == 0
    if not has_main or git("merge-base", "--is-ancestor", "refs/heads/main", "refs/checkout/head").returncode == 0:
        git("update-ref", "refs/heads/main", "refs/checkout/head")
    elif git("merge-base", "--is-ancestor", "refs/checkout/head", "refs/heads/main").returncode != 0:
        raise SetupError(f"the checkout's history diverged from what learners pull ({bare}): "
                         "commit on top of that repository's main, or move it away to start over")
    # learners (other users) read it. git refuses to read a repository someone else owns unless
    # a *system* or global config lists it as safe; the learners' servers get this file as their
    # system config (GIT_CONFIG_SYSTEM), which still includes the machine's own.
    subprocess.run(["chmod", "-R", "a+rX", str(bare)], check=True)
    gitconfig = bare.parent / "gitconfig"
    gitconfig.write_text(f"[include]\n\tpath = /etc/gitconfig\n[safe]\n\tdirectory = {bare}\n")
    gitconfig.chmod(0o644)


def check_learners_can_run(venv: Path, gid: int, state: Path) -> list[Path]:
    """Make the interpreter, .venv and checkout reachable by the learners' group; prove it by running it.

    Returns the directories that needed an ACL entry (recorded in the state directory, so that
    ``python -m hub --revoke`` / the tests can remove them).
    """
    python = venv / "bin" / "python"
    needed = [Path(os.path.realpath(python)), Path(sys.base_prefix), venv, REPO, state]
    closed = access.closed_directories(needed)
    if closed:
        try:
            access.grant_search(closed, gid)
        except OSError as e:
            raise SetupError(f"learners cannot reach {closed[0]} and its ACL cannot be set ({e.strerror}): "
                             f"run `chmod o+x {closed[0]}` or build .venv from a system Python "
                             "(rm -rf .venv; make install PYTHON=/usr/bin/python3.11)") from None
        record = state / "private" / "acl-granted.json"
        known = json.loads(record.read_text()) if record.exists() else []
        record.write_text(json.dumps(sorted(set(known) | {str(d) for d in closed})))
    probe = subprocess.run([str(python), "-c", "import jupyterhub, nbgitpuller, dglab"],
                           user=65534, group=gid, extra_groups=[gid], cwd="/", capture_output=True,
                           text=True, env={"PATH": f"{venv}/bin:/usr/bin:/bin", "HOME": "/"})
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no output"])[-1]
        raise SetupError(f"a learner's account cannot run the course's Python ({last}): make {venv} and "
                         f"{REPO} readable by all users (chmod -R o+rX), or rebuild .venv from a system Python")
    return closed


def prepare() -> tuple[Settings, Path]:
    """Run every check, then prepare the state directory; returns the settings and their file."""
    if os.geteuid() != 0:
        raise SetupError("the hub creates a system user per learner and must run as root: sudo make hub")
    password = check_password(os.environ.get("HUB_PASSWORD"))
    check_admin_password(os.environ.get("HUB_ADMIN_PASSWORD") or None, password)
    try:
        port = int(_env("HUB_PORT", "8000"))
        mem_limit = cgroups.parse_bytes(_env("HUB_MEM_LIMIT", "2G"))
        # what the hub, its proxy and the system keep for themselves whatever the room does
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        room_limit = cgroups.parse_bytes(_env("HUB_ROOM_MEM_LIMIT", str(max(total - (2 << 30), total // 2))))
        idle_timeout = int(_env("HUB_IDLE_TIMEOUT", "3600"))
    except ValueError as e:
        raise SetupError(f"{e}: HUB_PORT and HUB_IDLE_TIMEOUT are integers, HUB_MEM_LIMIT like 2G") from None
    ip = _env("HUB_IP", "")
    admin, prefix = _env("HUB_ADMIN", "instructor"), _env("HUB_USER_PREFIX", "dglab-")
    if not re.fullmatch(USERNAME_PATTERN, admin) or not re.fullmatch(r"[a-z][a-z0-9-]{0,11}", prefix):
        raise SetupError("HUB_ADMIN must be a lower-case name of at most 20 characters (letters, digits, - or _) "
                         "and HUB_USER_PREFIX at most 12 (letters, digits, -)")
    venv = check_venv()
    proxy = check_proxy(Path(_env("HUB_PROXY", str(REPO / "node_modules" / ".bin" / "configurable-http-proxy"))))
    site = check_site(Path(_env("HUB_SITE_DIR", str(REPO / "_build" / "html"))).resolve())
    check_checkout(REPO)
    check_port(ip, port)

    # checks passed: from here on things are created
    state = Path(_env("HUB_STATE_DIR", str(REPO / ".hub"))).resolve()
    private = state / "private"
    private.mkdir(parents=True, exist_ok=True)
    state.chmod(0o755)
    private.chmod(0o700)
    group = _env("HUB_GROUP", "dglab-learners")
    gid = ensure_group(group)
    course_repo = state / COURSE_REPO_NAME
    update_course_repo(REPO, course_repo)
    check_learners_can_run(venv, gid, state)

    admin_password = os.environ.get("HUB_ADMIN_PASSWORD", "")
    stored = private / "admin_password"
    if not admin_password:
        if not stored.exists():
            stored.write_text(secrets.token_urlsafe(MIN_ADMIN_PASSWORD))
            stored.chmod(0o600)
        admin_password = stored.read_text().strip()

    memory = cgroups.find_memory_root(f"dglab-hub-{port}")
    if memory is not None:
        memory.limit_room(room_limit)
    settings = Settings(
        repo=str(REPO), venv=str(venv), state_dir=str(state), site_dir=str(site),
        course_repo=str(course_repo), ip=ip, port=port, hub_api_port=free_port(),
        proxy_api_port=free_port(), site_port=free_port(), proxy=str(proxy),
        class_password=password, admin=admin,
        admin_password=admin_password, mem_limit=mem_limit, room_mem_limit=room_limit,
        idle_timeout=idle_timeout,
        user_prefix=prefix, group=group,
        cgroup_base=str(memory.base) if memory else "", cgroup_version=memory.version if memory else 0,
    )
    settings_file = private / "settings.json"
    settings.save(settings_file)
    return settings, settings_file


def banner(s: Settings) -> str:
    host = s.ip or socket.gethostname()
    limit = (f"cgroup v{s.cgroup_version}, per learner" if s.cgroup_base
             else "RLIMIT_DATA per process: no writable memory cgroup here")
    lines = [
        f"dglab hub: http://{host}:{s.port}/  learners: any name + the class password",
        f"  instructor (admin): '{s.admin}', password in HUB_ADMIN_PASSWORD or {s.state_dir}/private/admin_password",
        f"  link to hand out:   {s.first_chapter_link(host)}",
        f"  book and slides:    http://{host}:{s.port}/services/course/",
        f"  memory limit:       {s.mem_limit / 2**30:.2f} GiB ({limit}); idle servers stop after {s.idle_timeout} s",
        f"  all learners:       {s.room_mem_limit / 2**30:.2f} GiB together" if s.cgroup_base else "",
        "  stop with Ctrl-C (learners' files stay in their home directories)",
    ]
    return "\n".join(line for line in lines if line)


def main() -> int:
    try:
        settings, settings_file = prepare()
    except SetupError as e:
        print(f"hub: {e}", file=sys.stderr)
        return 2
    print(banner(settings), flush=True)
    os.environ["DGLAB_HUB_SETTINGS"] = str(settings_file)
    os.environ["PYTHONPATH"] = settings.repo
    os.chdir(Path(settings.state_dir) / "private")
    jupyterhub = Path(settings.venv) / "bin" / "jupyterhub"
    os.execv(jupyterhub, [str(jupyterhub), "-f", str(REPO / "hub" / "jupyterhub_config.py")])
