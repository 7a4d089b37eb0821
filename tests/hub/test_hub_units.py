"""The hub's building blocks on their own: memory sizes, the search-only ACL, the learner cgroups."""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from hub import access, cgroups

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (other users, cgroups)")


@pytest.mark.parametrize(("text", "expected"), [
    ("2G", 2 << 30), ("1500M", 1500 << 20), ("512k", 512 << 10), ("2GiB", 2 << 30), ("1.5G", 3 << 29),
    ("1048576", 1 << 20),
])
def test_parse_bytes(text, expected):
    assert cgroups.parse_bytes(text) == expected


@pytest.mark.parametrize("text", ["", "lots", "2X", "G"])
def test_parse_bytes_rejects_nonsense(text):
    with pytest.raises(ValueError, match="not a memory size"):
        cgroups.parse_bytes(text)


def _can_list_as(gid: int, path) -> bool:
    """Whether an unprivileged process in group ``gid`` can stat a file inside ``path``."""
    probe = subprocess.run(["stat", str(path / "inside")], user=65534, group=gid, extra_groups=[gid],
                           capture_output=True, cwd="/")
    return probe.returncode == 0


@pytest.fixture
def open_dir():
    """A directory everyone may search (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="dgl-acl-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


@root_only
def test_search_acl_opens_a_closed_directory_to_one_group_only(open_dir):
    closed = open_dir / "closed"
    closed.mkdir(mode=0o700)
    (closed / "inside").write_text("x")
    (closed / "inside").chmod(0o644)
    group, other = 64001, 64002  # gids no account uses: the ACL names numbers, not names
    assert access.closed_directories([closed / "inside"]) == [closed]
    assert not _can_list_as(group, closed)

    access.grant_search([closed], group)
    access.grant_search([closed], group)  # idempotent
    assert _can_list_as(group, closed) and not _can_list_as(other, closed)
    assert stat.S_IMODE(closed.stat().st_mode) & 0o007 == 0  # the world still cannot
    listing = subprocess.run(["ls", str(closed)], user=65534, group=group, extra_groups=[group],
                             capture_output=True, cwd="/")
    assert listing.returncode != 0  # search (x), not read (r)

    access.revoke_search([closed], group)
    assert not _can_list_as(group, closed)
    assert stat.S_IMODE(closed.stat().st_mode) == 0o700
    assert "system.posix_acl_access" not in os.listxattr(closed)


@root_only
def test_memory_cgroup_limits_and_removes():
    root = cgroups.find_memory_root(f"dglab-hub-test-{secrets.token_hex(3)}")
    if root is None:
        pytest.skip("no writable memory cgroup hierarchy on this machine")
    try:
        group = root.create("dgl-unit", 256 << 20)
        limit_file = "memory.limit_in_bytes" if root.version == 1 else "memory.max"
        assert int((group / limit_file).read_text()) == 256 << 20
        # a child that joins the cgroup and allocates past the limit is OOM-killed there
        hog = subprocess.run(
            [sys.executable, "-c", "x = []\nwhile True:\n    x.append(b'x' * (16 << 20))"],
            preexec_fn=lambda: open(root.procs_file("dgl-unit"), "w").write(str(os.getpid())),
            capture_output=True, timeout=60,
        )
        assert hog.returncode == -9
        assert root.oom_kills("dgl-unit") >= 1
        assert root.peak_bytes("dgl-unit") <= 256 << 20
    finally:
        root.remove_all()
    assert not root.base.exists()
