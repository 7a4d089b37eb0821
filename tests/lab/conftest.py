"""Fixtures of the JupyterLab tests: a real ``jupyter lab`` from the venv and headless Chromium.

The server runs on a free loopback port with token auth, its own runtime, settings and workspace
folders (so a developer's JupyterLab state does not leak in), and the app exposed to the page
(``expose_app_in_browser``) so the test can read cell models. The browser is Debian's Chromium;
every request to a host other than the loopback server is blocked. Run: ``pytest tests/lab -m lab``.
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from lab_process import running_lab

from coursetools import course

TOKEN = "dglab-lab-test"


def pytest_collection_modifyitems(config, items):
    """Run only when asked for (``-m lab``): ``make test``'s ``-m "not browser"`` step leaves them
    to their own step after the browser tests."""
    if re.search(r"(?<!not )\blab\b", config.option.markexpr or ""):
        return
    here = Path(__file__).parent
    ours = [item for item in items if here in Path(str(item.path)).parents]
    if ours:
        config.hook.pytest_deselected(items=ours)
        items[:] = [item for item in items if item not in ours]


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """``(base_url, token)`` of a JupyterLab serving the repository; stopped after the session."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    settings = tmp / "settings"
    # every cell in the DOM (no virtual scrolling), so the test sees what a scrolling reader sees
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    # no autosave: jupytext would write the notebook back into the chapter's .md (reformatted)
    docmanager = settings / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings"
    docmanager.parent.mkdir(parents=True)
    docmanager.write_text(json.dumps({"autosave": False}), encoding="utf-8")
    # no "get Jupyter news?" toast over the notebook
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text(json.dumps({"fetchNews": "false"}), encoding="utf-8")
    chapters = {p: p.read_bytes() for p in course.BOOK.glob("*.md")}
    with running_lab(tmp, TOKEN, extra_args=[
            "--LabApp.expose_app_in_browser=True", f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={tmp / 'workspaces'}"]) as base:
        yield base, TOKEN
    changed = [p.name for p, text in chapters.items() if p.read_bytes() != text]
    assert not changed, f"JupyterLab wrote into the chapters {changed} (autosave?)"


@pytest.fixture
def lab_page(browser, lab):
    """A fresh page whose network is confined to the JupyterLab server."""
    base, _ = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked: list[str] = []

    def confine(route):
        parsed = urlparse(route.request.url)
        if parsed.scheme in {"http", "https", "ws", "wss"} and parsed.hostname not in {"127.0.0.1", "localhost"}:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    context.route("**/*", confine)
    page = context.new_page()
    page.blocked = blocked
    try:
        yield page
    finally:
        context.close()
        _shut_down_kernels(base, lab[1])


def _shut_down_kernels(base: str, token: str):
    """Delete this server's sessions, so one chapter's kernel does not run beside the next."""
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{base}/api/sessions", headers=headers), timeout=30) as r:
        sessions = json.load(r)
    for session in sessions:
        request = urllib.request.Request(f"{base}/api/sessions/{session['id']}", method="DELETE", headers=headers)
        urllib.request.urlopen(request, timeout=60).close()
