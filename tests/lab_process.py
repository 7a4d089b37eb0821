"""A real ``jupyter lab`` from the venv on a free loopback port, for the tests that need one.

Used by ``tests/test_lab.py`` (the server reports jupytext as the Markdown viewer) and by the
JupyterLab tests in ``tests/lab/`` (every chapter, Run All): one way to start, wait for and stop
the server.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from coursetools import course

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(tmp: Path, token: str, *, extra_args=(), timeout: float = 120):
    """Start ``jupyter lab`` serving the repository; yield its base URL; stop it on exit.

    Its runtime folder is ``tmp / "runtime"`` (a developer's running servers do not leak in) and
    its output goes to ``tmp / "server.log"``, named in the failure when it does not start.
    """
    port, log_path = free_port(), tmp / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(BIN / "jupyter-lab"), "--no-browser", f"--port={port}", "--ip=127.0.0.1",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={course.ROOT}",
             "--ServerApp.port_retries=0", "--allow-root", *extra_args],
            stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp / "runtime")},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"jupyter lab did not start; see {log_path}")
                    time.sleep(0.5)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
