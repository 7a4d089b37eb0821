"""Bad input stops `make hub` with one line naming the fix, before anything is created."""

from __future__ import annotations

import grp
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.hub
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def names(tmp_path):
    """Where a hub would put its state and which group it would create: both must stay absent."""
    return {"state": tmp_path / "state", "group": f"dgl-{secrets.token_hex(2)}-learners"}


def run_hub(names, python=sys.executable, **env):
    site = names["state"].parent / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text("<h1>book</h1>")
    base = {
        "HUB_PASSWORD": "tulip-river-42", "HUB_IP": "127.0.0.1", "HUB_PORT": str(_free_port()),
        "HUB_STATE_DIR": str(names["state"]), "HUB_SITE_DIR": str(site), "HUB_GROUP": names["group"],
        "HUB_USER_PREFIX": "dgl-never-", "PYTHONPATH": str(REPO),
    }
    full = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")} | base | env
    full = {k: v for k, v in full.items() if v is not None}
    done = subprocess.run([python, "-m", "hub"], cwd=REPO, env=full, capture_output=True, text=True,
                          timeout=120)
    return done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_refused(done, names, *words):
    assert done.returncode == 2, done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hub: "), done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert done.stdout == ""  # no banner: nothing started
    assert not names["state"].exists()
    with pytest.raises(KeyError):
        grp.getgrnam(names["group"])


def test_missing_password(names):
    assert_refused(run_hub(names, HUB_PASSWORD=None), names, "HUB_PASSWORD is not set", "HUB_PASSWORD=")


@pytest.mark.parametrize("weak", ["short", "password", "aaaaaaaaaaaa", ""])
def test_weak_password(names, weak):
    done = run_hub(names, HUB_PASSWORD=weak)
    assert_refused(done, names, "HUB_PASSWORD", "at least 8 characters")


LONG = "a-class-password-as-long-as-an-admin-one"


@pytest.mark.parametrize(("password", "admin", "problem"), [
    ("tulip-river-42", "short-admin-password", "shorter than 32"),
    (LONG, LONG, "equals the class password"),
])
def test_weak_or_shared_admin_password(names, password, admin, problem):
    assert_refused(run_hub(names, HUB_PASSWORD=password, HUB_ADMIN_PASSWORD=admin), names, problem)


def test_port_in_use(names):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_hub(names, HUB_PORT=str(port))
    assert_refused(done, names, f"port {port} is in use", "HUB_PORT=")


def test_missing_proxy(names):
    assert_refused(run_hub(names, HUB_PROXY="/nonexistent/configurable-http-proxy"), names,
                   "proxy is missing", "npm ci")


def test_missing_site(names):
    assert_refused(run_hub(names, HUB_SITE_DIR=str(names["state"].parent / "nothing")), names,
                   "no built site", "make book")


def test_not_the_course_venv(names):
    """Started by a Python outside the course's .venv (here: the interpreter the venv was made from)."""
    base_python = str(Path(sys.base_prefix) / "bin" / "python3")
    assert_refused(run_hub(names, python=base_python), names, ".venv", "make hub")


def test_missing_venv_in_make(tmp_path):
    done = subprocess.run(["make", "--no-print-directory", "hub", f"BIN={tmp_path}/.venv/bin"], cwd=REPO,
                          capture_output=True, text=True, env=dict(os.environ, HUB_PASSWORD="tulip-river-42"))
    assert done.returncode != 0
    assert done.stderr.splitlines()[0] == (f"hub: no course environment in {tmp_path}/.venv/bin: "
                                           "run `make book` first (it creates .venv)")
