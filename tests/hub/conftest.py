"""Fixtures of the classroom-hub tests: one hub on free loopback ports, torn down completely.

These tests start a real JupyterHub as root, create system users named ``dgl-<random>-<name>``
and memory cgroups, and remove all of it afterwards. They run only when asked for with
``-m hub`` (the last line of ``make test``), never as part of ``pytest tests``.
"""

from __future__ import annotations

import os
import secrets

import pytest


def pytest_collection_modifyitems(config, items):
    if "hub" in (config.option.markexpr or ""):
        return
    keep = [item for item in items if item.get_closest_marker("hub") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture(scope="session")
def hub_process():
    """A running hub whose learners are limited to 1 GiB each."""
    if os.geteuid() != 0:
        pytest.skip("the hub creates system users: run the hub tests as root")
    from hub.client import HubProcess

    with HubProcess(prefix=f"dgl-{secrets.token_hex(2)}-", mem_limit="1G") as hub:
        yield hub
