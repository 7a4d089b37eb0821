"""A disk cache of explorer frames, keyed by the rendering code, what it reads, and the slider values.

An explorer's frames cost ~0.1–0.3 s each to render and a chapter shows up to a few dozen; the
book build, nbval and the reference script each execute every chapter, so without a cache
every frame is rendered three times per ``make test``. With ``DGLAB_FRAME_CACHE`` set to a
directory (the Makefile sets ``_build/.dglab-frames``), a frame is rendered once and read back
whenever the same render function, reading the same data, is asked for the same values again.

The key is a hash of

* the render function's code (its bytecode, constants and names, nested functions included),
* the values it reads: its closure and the module-level names its code refers to (data
  arrays, fitted models, other functions, by their own code and values in turn),
* the slider values, the explorer's title and resolution, and
* the installed ``dglab`` sources and the versions of the libraries that draw.

A render function that reads something unhashable (an open file, a live widget) is simply not
cached. Writes go through a temporary file and an atomic rename, so parallel executions of
chapters can share one cache directory.
"""

from __future__ import annotations

import functools
import hashlib
import os
import types
from pathlib import Path

ENV = "DGLAB_FRAME_CACHE"


def cache_dir() -> Path | None:
    """The directory named by ``$DGLAB_FRAME_CACHE``, or None (no disk cache)."""
    value = os.environ.get(ENV, "").strip()
    return Path(value) if value else None


@functools.lru_cache(maxsize=1)
def _environment_digest() -> str:
    """The dglab sources and the versions of the libraries a frame depends on.

    Versions come from the installed distributions' metadata, not from importing the libraries:
    ``python -m coursetools execute`` checks this digest on every ``make book`` and importing torch
    and scikit-learn only to read their versions cost it ~3 s.
    """
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".json"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    for name in ("numpy", "matplotlib", "scikit-learn", "torch"):
        try:
            digest.update(f"{name} {version(name)}\n".encode())
        except PackageNotFoundError:  # pragma: no cover - all are dependencies
            digest.update(f"{name} missing\n".encode())
    return digest.hexdigest()


def _code_parts(code: types.CodeType) -> tuple:
    consts = tuple(_code_parts(c) if isinstance(c, types.CodeType) else repr(c) for c in code.co_consts)
    return code.co_code, consts, code.co_names, code.co_varnames


def _global_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _describe(value, seen: set[int]):
    """A picklable stand-in for ``value`` that changes whenever what it computes would."""
    if isinstance(value, types.ModuleType):
        return ("module", value.__name__)
    if isinstance(value, functools.partial):
        return ("partial", _describe(value.func, seen), _describe(value.args, seen),
                _describe(value.keywords, seen))
    if isinstance(value, (types.FunctionType, types.MethodType)):
        function = value.__func__ if isinstance(value, types.MethodType) else value
        owner = _describe(value.__self__, seen) if isinstance(value, types.MethodType) else None
        module = getattr(function, "__module__", "") or ""
        if module.startswith("dglab") or id(function) in seen:
            # dglab's own code is covered by the source digest; recursion stops at a cycle
            return ("function", module, function.__qualname__, owner)
        seen.add(id(function))
        code = function.__code__
        closure = tuple(_describe(cell.cell_contents, seen) for cell in function.__closure__ or ())
        referenced = {
            name: _describe(function.__globals__[name], seen)
            for name in sorted(_global_names(code)) if name in function.__globals__
        }
        return ("function", _code_parts(code), closure, referenced, _describe(function.__defaults__, seen),
                _describe(function.__kwdefaults__, seen), owner)
    if isinstance(value, type):
        return ("class", value.__module__, value.__qualname__)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_describe(v, seen) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((repr(k), _describe(v, seen)) for k, v in value.items()))
    if callable(value) and not hasattr(value, "__dict__") and not hasattr(value, "__getstate__"):
        return ("callable", repr(value))
    return value


def frame_key(render, values: dict, *, title: str, dpi: int) -> str | None:
    """The cache key of one frame, or None when ``render`` reads something unhashable."""
    import joblib

    try:
        described = _describe(render, set())
        return joblib.hash((_environment_digest(), described, _describe(values, set()), title, dpi),
                           hash_name="sha1")
    except Exception:  # anything joblib cannot pickle: do not cache this explorer
        return None


def load(key: str) -> str | None:
    root = cache_dir()
    if root is None or key is None:
        return None
    path = root / key[:2] / f"{key}.html"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def store(key: str, frame_html: str) -> None:
    root = cache_dir()
    if root is None or key is None:
        return
    path = root / key[:2] / f"{key}.html"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(frame_html, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a read-only or full disk costs speed, never a frame
        pass
