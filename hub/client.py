"""Drive a classroom hub the way a learner's browser does: for the tests and the load test.

:class:`HubProcess` starts ``python -m hub`` on free loopback ports with a throw-away state
directory and prefixed system users, and removes everything it created afterwards (processes,
users, group, cgroups, ACL entries). :class:`Learner` logs in with the login form, gets an API
token, starts their server, pulls the chapters through nbgitpuller and executes code over the
kernel websocket, timing the first output and the last reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import grp
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

from hub import access
from hub.cgroups import MemoryCgroups
from hub.launch import COURSE_REPO_NAME, REPO, Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HubProcess:
    """A hub started for a test or a benchmark; use as a context manager, or call :meth:`cleanup`.

    ``prefix`` must start with ``dgl-``: every system user and group it creates carries it, and
    :meth:`cleanup` removes exactly those.
    """

    def __init__(self, *, prefix: str, site_dir: Path | None = None, mem_limit: str = "2G",
                 idle_timeout: int = 3600, password: str = "tulip-river-42",
                 admin_password: str = "instructor-only-admin-password-0042", log: Path | None = None,
                 room_mem_limit: str | None = None):
        if not prefix.startswith("dgl-"):
            raise ValueError("test hubs prefix their system users with 'dgl-'")
        self.prefix = prefix
        self.password = password
        self.admin_password = admin_password
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._tmp = Path(tempfile.mkdtemp(prefix=f"{prefix}hub-"))
        self._tmp.chmod(0o755)
        self.state_dir = self._tmp / "state"
        if site_dir is None:
            site_dir = self._tmp / "site"
            site_dir.mkdir()
            (site_dir / "index.html").write_text("<title>course</title><h1>The executed book</h1>\n")
        self.site_dir = site_dir
        self.log_path = log or self._tmp / "hub.log"
        self.env = dict(
            os.environ,
            HUB_PASSWORD=password, HUB_ADMIN_PASSWORD=admin_password, HUB_PORT=str(self.port),
            HUB_IP="127.0.0.1", HUB_MEM_LIMIT=mem_limit, HUB_IDLE_TIMEOUT=str(idle_timeout),
            HUB_STATE_DIR=str(self.state_dir), HUB_SITE_DIR=str(site_dir),
            HUB_USER_PREFIX=prefix, HUB_GROUP=f"{prefix}learners", PYTHONPATH=str(REPO),
        )
        if room_mem_limit is not None:
            self.env["HUB_ROOM_MEM_LIMIT"] = room_mem_limit
        self.proc: subprocess.Popen | None = None

    # --- lifecycle ---
    def start(self, timeout: float = 90) -> HubProcess:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "hub"], cwd=REPO, env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
                import urllib.request

                with contextlib.suppress(Exception):
                    with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2) as r:
                        if r.status == 200:
                            return self
            time.sleep(0.3)
        raise RuntimeError(f"hub not up after {timeout} s:\n{self.log_tail()}")

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM: the hub stops the learners' servers and its proxy, as on Ctrl-C."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None
        # A hub that crashed leaves its proxy and services running (they have sessions of their
        # own). They are found by this hub's private API address, which their command line
        # (the proxy's --error-target) or environment (JUPYTERHUB_API_URL) carries.
        with contextlib.suppress(FileNotFoundError):
            marker = f"127.0.0.1:{self.settings.hub_api_port}/hub".encode()
            for pid in _pids_mentioning(marker):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def log_tail(self, lines: int = 40) -> str:
        """The hub's last log lines, without the proxy's chatter."""
        with contextlib.suppress(OSError):
            text = self.log_path.read_text(errors="replace").splitlines()
            return "\n".join([line for line in text if "[ConfigProxy]" not in line][-lines:])
        return ""

    @property
    def settings(self) -> Settings:
        return Settings.load(self.state_dir / "private" / "settings.json")

    @property
    def cgroups(self) -> MemoryCgroups | None:
        s = self.settings
        return MemoryCgroups(Path(s.cgroup_base), s.cgroup_version) if s.cgroup_base else None

    def system_user(self, name: str) -> str:
        return self.prefix + name

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(self.system_user(name)).pw_dir)

    def cleanup(self) -> None:
        """Stop the hub, then remove every process, user, group, cgroup and ACL entry it made."""
        self.stop()
        users = [p for p in pwd.getpwall() if p.pw_name.startswith(self.prefix)]
        uids = {p.pw_uid for p in users}
        for pid in _pids_of(uids):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        settings_file = self.state_dir / "private" / "settings.json"
        if settings_file.exists():
            cg = self.cgroups
            if cg is not None:
                cg.remove_all()
        group = f"{self.prefix}learners"
        with contextlib.suppress(KeyError):
            gid = grp.getgrnam(group).gr_gid
            record = self.state_dir / "private" / "acl-granted.json"
            if record.exists():
                access.revoke_search([Path(d) for d in json.loads(record.read_text())], gid)
        # what learners' kernels left in /tmp (e.g. torch's torchinductor_<user> cache)
        for entry in Path(tempfile.gettempdir()).iterdir():
            with contextlib.suppress(OSError):
                if entry.lstat().st_uid in uids:
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink()
        for user in users:
            subprocess.run(["userdel", "--remove", user.pw_name], capture_output=True)
        with contextlib.suppress(KeyError):
            grp.getgrnam(group)
            subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> HubProcess:
        try:
            return self.start()
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, *exc) -> None:
        self.cleanup()


def _pids_mentioning(marker: bytes) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if marker in (entry / "cmdline").read_bytes() or marker in (entry / "environ").read_bytes():
                    pids.append(int(entry.name))
    return pids


def _pids_of(uids: set[int]) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid in uids:
                    pids.append(int(entry.name))
    return pids


@dataclass
class CellRun:
    """What one executed cell gave back."""

    outputs: list[dict] = field(default_factory=list)
    status: str = ""  # "ok", "error", or "died" when the kernel was killed
    first_output_s: float | None = None
    done_s: float | None = None

    @property
    def text(self) -> str:
        parts = []
        for out in self.outputs:
            if out["msg_type"] == "stream":
                parts.append(out["content"]["text"])
            elif out["msg_type"] in ("execute_result", "display_data"):
                parts.append(out["content"]["data"].get("text/plain", ""))
            elif out["msg_type"] == "error":
                parts.append(f"{out['content']['ename']}: {out['content']['evalue']}")
        return "".join(parts)


class Learner:
    """One learner's browser: a cookie jar, then an API token for the hub and their server."""

    def __init__(self, base_url: str, name: str, password: str):
        self.base = base_url.rstrip("/")
        self.name = name
        self.password = password
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=300),
        )
        self.token: str | None = None

    async def close(self) -> None:
        await self.session.close()

    async def __aenter__(self) -> Learner:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"} if self.token else {}

    def _xsrf(self) -> str:
        for cookie in self.session.cookie_jar:
            if cookie.key == "_xsrf":
                return cookie.value
        return ""

    async def login(self) -> bool:
        """Submit the login form; True when the hub let us in."""
        async with self.session.get(f"{self.base}/hub/login") as r:
            await r.read()
        data = {"username": self.name, "password": self.password, "_xsrf": self._xsrf()}
        async with self.session.post(f"{self.base}/hub/login", data=data, allow_redirects=False) as r:
            await r.read()
            return r.status == 302 and "/hub/login" not in r.headers.get("Location", "/hub/login")

    async def create_token(self) -> str:
        """An API token for this learner, requested with the login cookie (as the token page does)."""
        async with self.session.post(
            f"{self.base}/hub/api/users/{self.name}/tokens",
            json={"note": "dglab hub client", "expires_in": 3600},
            headers={"X-XSRFToken": self._xsrf(), "Referer": f"{self.base}/hub/token"},
        ) as r:
            r.raise_for_status()
            self.token = (await r.json())["token"]
        return self.token

    async def request(self, method: str, path: str, **kwargs) -> tuple[int, str]:
        async with self.session.request(method, f"{self.base}{path}", headers=self.headers,
                                        allow_redirects=False, **kwargs) as r:
            return r.status, await r.text()

    async def start_server(self, timeout: float = 240) -> float:
        """Ask the hub for this learner's server and wait until it answers; returns the seconds taken."""
        start = time.monotonic()
        status, body = await self.request("POST", f"/hub/api/users/{self.name}/server")
        if status not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"{self.name}: cannot start server ({status}): {body[:200]}")
        while time.monotonic() - start < timeout:
            status, body = await self.request("GET", f"/hub/api/users/{self.name}")
            server = json.loads(body).get("servers", {}).get("") if status == 200 else None
            if server and server.get("ready"):
                return time.monotonic() - start
            await asyncio.sleep(0.5)
        raise TimeoutError(f"{self.name}: server not ready after {timeout} s")

    async def stop_server(self) -> None:
        status, _ = await self.request("DELETE", f"/hub/api/users/{self.name}/server")
        while status in (200, 202, 204):
            s, body = await self.request("GET", f"/hub/api/users/{self.name}")
            if s != 200 or not json.loads(body).get("servers"):
                return
            await asyncio.sleep(0.3)

    async def pull(self, repo: str, branch: str = "main") -> list[dict]:
        """nbgitpuller's API: clone the chapters on the first call, merge updates later."""
        query = urlencode({"repo": repo, "branch": branch})
        events = []
        async with self.session.get(f"{self.base}/user/{self.name}/git-pull/api?{query}",
                                    headers=self.headers) as r:
            r.raise_for_status()
            async for raw in r.content:
                line = raw.decode().strip()
                if line.startswith("data:"):
                    events.append(json.loads(line[5:]))
                    if events[-1].get("phase") in ("finished", "error"):
                        break
        if not events or events[-1].get("phase") != "finished":
            raise RuntimeError(f"{self.name}: git-pull failed: {events[-3:]}")
        return events

    async def start_kernel(self, path: str = f"{COURSE_REPO_NAME}/book/kernel.ipynb") -> str:
        """A kernel whose working directory is ``path``'s folder (a session, as JupyterLab opens one)."""
        body = {"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}}
        status, text = await self.request("POST", f"/user/{self.name}/api/sessions", json=body)
        if status != 201:
            raise RuntimeError(f"{self.name}: cannot start a kernel ({status}): {text[:200]}")
        return json.loads(text)["kernel"]["id"]

    async def execute(self, kernel_id: str, cells: list[str], timeout: float = 600) -> list[CellRun]:
        """Run ``cells`` one after the other over the kernel websocket; stop at the first error or death.

        Times are seconds since the first cell was sent.
        """
        ws_url = self.base.replace("http", "ws", 1) + f"/user/{self.name}/api/kernels/{kernel_id}/channels"
        session_id = uuid.uuid4().hex
        runs: list[CellRun] = []
        async with self.session.ws_connect(ws_url, headers=self.headers, max_msg_size=0,
                                           params={"session_id": session_id}) as ws:
            start = time.monotonic()
            for code in cells:
                run = CellRun()
                runs.append(run)
                msg_id = uuid.uuid4().hex
                await ws.send_str(json.dumps(_execute_request(code, msg_id, session_id, self.name)))
                await asyncio.wait_for(self._collect(ws, msg_id, run, start), timeout)
                if run.status != "ok":
                    break
        return runs

    @staticmethod
    async def _collect(ws, msg_id: str, run: CellRun, start: float) -> None:
        """Read messages until the cell is over: its shell reply *and* the kernel idle on iopub.

        The two travel on different channels, so the reply can overtake the cell's last output.
        """
        replied = idle = False
        async for frame in ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                break
            msg = json.loads(frame.data)
            kind = msg["header"]["msg_type"]
            if kind == "status" and msg["content"].get("execution_state") in ("restarting", "dead"):
                run.status, run.done_s = "died", time.monotonic() - start
                return
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if kind in ("stream", "display_data", "execute_result", "error"):
                run.outputs.append({"msg_type": kind, "content": msg["content"]})
                if run.first_output_s is None:
                    run.first_output_s = time.monotonic() - start
            elif kind == "execute_reply":
                replied, run.status = True, msg["content"]["status"]
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
            if replied and idle:
                run.done_s = time.monotonic() - start
                return
        run.status = "died"


def _execute_request(code: str, msg_id: str, session_id: str, username: str) -> dict:
    return {
        "header": {"msg_id": msg_id, "username": username, "session": session_id,
                   "msg_type": "execute_request", "version": "5.3",
                   "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }
