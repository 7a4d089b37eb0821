"""deploy/kubernetes/: the single-user Dockerfile parses and matches requirements.txt; the values load.

What can be checked offline: the Dockerfile through Docker's own parser (the ``dockerfile``
package wraps BuildKit's), the helm values as YAML with the settings the hub uses locally. These
tests start nothing and run with the unit tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import dockerfile
import pytest
import yaml

from hub.cgroups import parse_bytes

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
REQUIREMENTS = (DEPLOY.parents[1] / "requirements.txt").read_text()


@pytest.fixture(scope="module")
def instructions():
    return dockerfile.parse_file(str(DEPLOY / "Dockerfile"))


def test_parser_rejects_a_broken_dockerfile():
    with pytest.raises(dockerfile.GoParseError):
        dockerfile.parse_string("FROM python:3.11-slim\nRUN <<EOF\nunterminated heredoc")
    assert [c.cmd for c in dockerfile.parse_string("FORM python\n")] == ["FORM"]  # parsed, not valid


def test_dockerfile_builds_the_course_environment(instructions):
    known = {"FROM", "ENV", "RUN", "USER", "WORKDIR", "COPY", "EXPOSE", "ENTRYPOINT", "CMD"}
    assert {c.cmd for c in instructions} <= known
    assert instructions[0].cmd == "FROM" and instructions[0].value[0].startswith("python:3.11")
    runs = " ".join(c.value[0] for c in instructions if c.cmd == "RUN")
    torch_pin = re.search(r"^torch==(\S+)", REQUIREMENTS, re.M).group(1)
    assert f"torch=={torch_pin}" in runs and "/whl/cpu" in runs  # the CPU build, same version
    assert "pip install -r requirements.txt" in runs
    assert "jupyter/overrides.json" in runs  # chapters open as notebooks, as in .venv
    copies = [c.value for c in instructions if c.cmd == "COPY"]
    assert ("requirements.txt", "pyproject.toml", "README.md", "./") in copies and (".", ".") in copies
    user = [c.value[0] for c in instructions if c.cmd == "USER"]
    assert user == ["1000"]  # never root in a learner's pod
    assert [c.value for c in instructions if c.cmd == "CMD"] == [("jupyterhub-singleuser",)]


def test_dockerignore_keeps_local_environments_out():
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {".venv", "node_modules", "_build", ".hub"} <= set(ignored)


def test_values_match_the_local_hub():
    values = yaml.safe_load((DEPLOY / "values.yaml").read_text())
    hub = values["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] == "shared-password"
    assert hub["Authenticator"]["admin_users"] == ["instructor"]
    single = values["singleuser"]
    # the same per-learner memory limit as `make hub` (HUB_MEM_LIMIT's default), enforced by the kernel
    assert parse_bytes(single["memory"]["limit"]) == parse_bytes("2G")
    assert parse_bytes(single["memory"]["guarantee"]) < parse_bytes(single["memory"]["limit"])
    assert single["cpu"]["guarantee"] <= single["cpu"]["limit"]
    assert single["defaultUrl"].startswith("/git-pull?repo=/opt/dglab-course.git&branch=main")
    assert values["cull"]["enabled"] and values["cull"]["timeout"] == 3600
    secrets = [hub["SharedPasswordAuthenticator"][k] for k in ("user_password", "admin_password")]
    assert all(s.startswith("set-with-helm-set") for s in secrets)  # no real password committed
