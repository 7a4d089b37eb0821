"""JupyterLab from the venv opens a chapter (.md) as a notebook: jupytext is installed and enabled,
and the repository's default-viewer override (jupyter/overrides.json, copied into the venv by
`make install`) is what a running JupyterLab server reports."""

import json
import re
import subprocess
import urllib.request

import pytest
from lab_process import BIN, running_lab

from coursetools import course
from coursetools.doctor import DOCMANAGER, JUPYTEXT_VIEWER, effective_default_viewers


def test_repository_override_makes_markdown_open_with_jupytext():
    overrides = json.loads((course.ROOT / "jupyter" / "overrides.json").read_text(encoding="utf-8"))
    viewers = overrides[DOCMANAGER]["defaultViewers"]
    assert viewers["markdown"] == viewers["myst"] == JUPYTEXT_VIEWER


def test_effective_setting_in_this_environment():
    assert effective_default_viewers()["markdown"] == JUPYTEXT_VIEWER


@pytest.mark.slow  # starts `jupyter labextension list`: over 5 s
def test_labextension_list_shows_jupytext_and_widgets_enabled():
    result = subprocess.run([str(BIN / "jupyter"), "labextension", "list"], capture_output=True,
                            text=True, check=True, timeout=120)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)  # no colours
    for package in ("jupyterlab-jupytext", "@jupyter-widgets/jupyterlab-manager"):
        assert re.search(rf"{re.escape(package)} v\S+ enabled\s+OK", listing), listing


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    token = "dglab-test-token"
    with running_lab(tmp_path_factory.mktemp("jupyterlab"), token, timeout=90) as base:
        yield base, token


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


@pytest.mark.slow  # the fixture starts a JupyterLab server: over 5 s
def test_running_lab_reports_jupytext_as_the_markdown_viewer(lab_server):
    base, token = lab_server
    plugin = json.loads(_get(f"{base}/lab/api/settings/{DOCMANAGER}?token={token}"))
    default = plugin["schema"]["properties"]["defaultViewers"]["default"]
    assert default["markdown"] == JUPYTEXT_VIEWER
    assert plugin["settings"].get("defaultViewers", default)["markdown"] == JUPYTEXT_VIEWER


@pytest.mark.slow  # shares the JupyterLab server
def test_running_lab_loads_the_jupytext_and_widget_extensions(lab_server):
    base, token = lab_server
    page = _get(f"{base}/lab/tree/book/01_discriminative_models.md?token={token}").decode("utf-8")
    config = json.loads(re.search(r'id="jupyter-config-data" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    names = {ext["name"] for ext in config["federated_extensions"]}
    assert {"jupyterlab-jupytext", "@jupyter-widgets/jupyterlab-manager"} <= names
    disabled = config.get("disabledExtensions", {})
    disabled = disabled if isinstance(disabled, list) else [k for k, v in disabled.items() if v]
    assert not [d for d in disabled if d.startswith(("jupyterlab-jupytext", "@jupyter-widgets"))]
