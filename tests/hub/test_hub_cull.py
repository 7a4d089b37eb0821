"""The idle culler (a hub service) stops a server nobody uses; the learner's files stay."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import time

import pytest

pytestmark = pytest.mark.hub


def test_idle_server_is_culled_and_files_stay():
    if os.geteuid() != 0:
        pytest.skip("the hub creates system users: run the hub tests as root")
    from hub.client import HubProcess, Learner

    async def idle(hub):
        async with Learner(hub.url, "idler", hub.password) as person:
            assert await person.login()
            await person.create_token()
            await person.start_server()
            (hub.home("idler") / "work.txt").write_text("kept")
            start = time.monotonic()
            while time.monotonic() - start < 90:
                _, body = await person.request("GET", "/hub/api/users/idler")
                if not json.loads(body)["servers"]:
                    return time.monotonic() - start
                await asyncio.sleep(1)
            return None

    with HubProcess(prefix=f"dgl-{secrets.token_hex(2)}-", idle_timeout=10) as hub:
        culled_after = asyncio.run(idle(hub))
        assert culled_after is not None, hub.log_tail()
        assert culled_after >= 5  # not stopped at once: idle for the timeout first
        assert (hub.home("idler") / "work.txt").read_text() == "kept"
        assert "Culling server idler" in hub.log_path.read_text()
