"""Let the learners' group reach the course's Python and files, and nothing more.

Learners' servers run as unprivileged system users, so every directory on the way to the
interpreter, the ``.venv`` and the checkout must be searchable (``x``) by them. On most machines
it already is. Where a directory is closed (e.g. a Python installed by pyenv under ``/root``,
mode 700), :func:`grant_search` adds one POSIX ACL entry, ``group:<learners>:--x``: members of
the learners' group may pass through the directory to paths they already know, but cannot list
it or read anything the rest of the world cannot. :func:`revoke_search` takes the entry away.

The ACL is written as the ``system.posix_acl_access`` extended attribute (the format of
``acl/include/acl_ea.h``), so no ``setfacl`` binary is needed.
"""

from __future__ import annotations

import errno
import os
import stat
import struct
from pathlib import Path

_XATTR = "system.posix_acl_access"
_VERSION = 2
_UNDEFINED_ID = 0xFFFFFFFF
# tags of acl_ea.h
_USER_OBJ, _USER, _GROUP_OBJ, _GROUP, _MASK, _OTHER = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
_EXECUTE = 0x1


def _read_acl(path: Path) -> list[tuple[int, int, int]]:
    """The access ACL of ``path`` as (tag, perm, id) entries; the mode's three when it has none."""
    try:
        raw = os.getxattr(path, _XATTR)
    except OSError as e:
        if e.errno not in (errno.ENODATA, errno.ENOTSUP):
            raise
        mode = os.stat(path).st_mode
        return [(_USER_OBJ, (mode >> 6) & 7, _UNDEFINED_ID), (_GROUP_OBJ, (mode >> 3) & 7, _UNDEFINED_ID),
                (_OTHER, mode & 7, _UNDEFINED_ID)]
    (version,) = struct.unpack_from("<I", raw)
    if version != _VERSION:
        raise OSError(f"{path}: unknown POSIX ACL version {version}")
    return [struct.unpack_from("<HHI", raw, offset) for offset in range(4, len(raw), 8)]


def _write_acl(path: Path, entries: list[tuple[int, int, int]]) -> None:
    named = [e for e in entries if e[0] in (_USER, _GROUP)]
    base = [e for e in entries if e[0] in (_USER_OBJ, _GROUP_OBJ, _OTHER)]
    if not named:  # back to a plain mode: drop the attribute, put the group bits back
        try:
            os.removexattr(path, _XATTR)
        except OSError as e:
            if e.errno != errno.ENODATA:
                raise
        mode = stat.S_IMODE(os.stat(path).st_mode) & ~0o070
        group_perm = next(p for t, p, _ in base if t == _GROUP_OBJ)
        os.chmod(path, mode | (group_perm << 3))
        return
    # the mask bounds the named entries and the owning group: it must let all of them through
    mask = 0
    for tag, perm, _ in named + base:
        if tag in (_USER, _GROUP, _GROUP_OBJ):
            mask |= perm
    entries = sorted(named + base + [(_MASK, mask, _UNDEFINED_ID)], key=lambda e: (e[0], e[2]))
    raw = struct.pack("<I", _VERSION) + b"".join(struct.pack("<HHI", *e) for e in entries)
    os.setxattr(path, _XATTR, raw)


def closed_directories(paths: list[Path]) -> list[Path]:
    """Directories on the way to ``paths`` (them included, when directories) that others cannot search."""
    closed: list[Path] = []
    for path in paths:
        path = Path(os.path.realpath(path))
        chain = [*reversed(path.parents)] + ([path] if path.is_dir() else [])
        for directory in chain:
            if not os.stat(directory).st_mode & stat.S_IXOTH and directory not in closed:
                closed.append(directory)
    return closed


def grant_search(directories: list[Path], gid: int) -> None:
    """Add ``group:gid:--x`` to each directory's access ACL (idempotent)."""
    for directory in directories:
        entries = [e for e in _read_acl(directory) if e[0] != _MASK]
        rest = [e for e in entries if not (e[0] == _GROUP and e[2] == gid)]
        own = [e for e in entries if e[0] == _GROUP and e[2] == gid]
        perm = (own[0][1] if own else 0) | _EXECUTE
        _write_acl(directory, rest + [(_GROUP, perm, gid)])


def revoke_search(directories: list[Path], gid: int) -> None:
    """Remove the group's entry from each directory's access ACL (missing directories are skipped)."""
    for directory in directories:
        if not directory.exists():
            continue
        entries = [e for e in _read_acl(directory) if e[0] != _MASK]
        _write_acl(directory, [e for e in entries if not (e[0] == _GROUP and e[2] == gid)])
