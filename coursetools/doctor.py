"""``python -m coursetools doctor``: is this machine ready for the course?

Each check prints one line, ``PASS`` or ``FAIL``, with what was found and, for a failure, how to
fix it; the command exits with status 1 when any check fails. The checks:

* Python's version against ``requires-python`` in ``pyproject.toml``;
* every package of ``requirements.txt`` installed at a version its specifier allows;
* the JupyterLab extensions the chapters need: ipywidgets' widget manager (live sliders) and
  jupytext (chapters are ``.md`` files that open as notebooks) and jupyterlab-myst (their MyST
  markdown, citations, admonitions and exercises render as on the website);
* the default-viewer setting that makes JupyterLab open ``.md`` chapters as notebooks (the repo
  ships it in ``jupyter/overrides.json``; ``make install`` copies it into the venv), computed the
  way JupyterLab computes it, user settings included;
* PyTorch and the device the torch chapters train on (CPU, or a CUDA GPU when present);
* that a chapter executes top to bottom (chapter 1, in a fresh kernel).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from coursetools import course

__all__ = [
    "Check",
    "check_python",
    "check_requirements",
    "check_dglab",
    "check_lab_extensions",
    "check_default_viewer",
    "check_torch",
    "check_chapter",
    "run",
    "main",
]

#: JupyterLab extensions the course needs: (what it is for, package name of the labextension).
LAB_EXTENSIONS = {
    "ipywidgets": ("@jupyter-widgets/jupyterlab-manager", "live sliders"),
    "jupytext": ("jupyterlab-jupytext", "chapters open as notebooks"),
    "myst": ("jupyterlab-myst", "MyST markdown rendered as on the website"),
}
DOCMANAGER = "@jupyterlab/docmanager-extension:plugin"
JUPYTEXT_VIEWER = "Jupytext Notebook"


@dataclass
class Check:
    """The outcome of one check: a name, whether it passed, what was found, how to fix it."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"{'PASS' if self.ok else 'FAIL'}  {self.name:<34} {self.detail}"
        if not self.ok and self.fix:
            text += f"\n      fix: {self.fix}"
        return text


# -- Python and packages ----------------------------------------------------------------------

def _requires_python(root: Path) -> str:
    import tomllib

    with open(root / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"].get("requires-python", "")


def check_python(version: str | None = None, root: Path = course.ROOT) -> Check:
    """Python's version against ``requires-python``."""
    from packaging.specifiers import SpecifierSet

    version = version or platform.python_version()
    spec = _requires_python(root)
    ok = version in SpecifierSet(spec)
    return Check("python", ok, f"{version} (the course needs {spec})",
                 "install Python 3.11 and run `make install` (it creates .venv/ with it)")


def _requirements(path: Path) -> Iterable:
    from packaging.requirements import Requirement

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            yield Requirement(line)


def check_requirements(path: Path = course.ROOT / "requirements.txt") -> list[Check]:
    """One check per requirement: installed, at a version the specifier allows."""
    from importlib.metadata import PackageNotFoundError, version

    checks = []
    for req in _requirements(path):
        spec = str(req.specifier) or "any version"
        try:
            found = version(req.name)
        except PackageNotFoundError:
            checks.append(Check(f"package {req.name}", False, f"not installed (needs {spec})",
                                "make install"))
            continue
        ok = req.specifier.contains(found, prereleases=True)
        checks.append(Check(f"package {req.name}", ok, f"{found} (needs {spec})",
                            f"pip install '{req}' (or `make install`)"))
    return checks


def check_dglab() -> Check:
    """The course package imports, from this checkout."""
    try:
        import dglab
    except Exception as exc:
        return Check("package dglab", False, f"cannot import: {exc}", "make install (pip install -e .)")
    where = Path(dglab.__file__).resolve().parent
    ok = where == course.ROOT / "dglab"
    return Check("package dglab", ok, f"{dglab.__version__} from {where}",
                 "pip install -e . from this checkout (make install)")


# -- JupyterLab -------------------------------------------------------------------------------

def _labextension_dirs() -> list[Path]:
    from jupyter_core.paths import jupyter_path

    return [Path(p) for p in jupyter_path("labextensions")]


def _disabled_lab_extensions() -> dict[str, bool]:
    from jupyter_core.paths import jupyter_config_path

    disabled: dict[str, bool] = {}
    for directory in jupyter_config_path():
        page_config = Path(directory) / "labconfig" / "page_config.json"
        if page_config.is_file():
            try:
                value = json.loads(page_config.read_text(encoding="utf-8")).get("disabledExtensions", {})
            except json.JSONDecodeError:
                continue
            if isinstance(value, list):  # older JupyterLab versions wrote a list
                value = dict.fromkeys(value, True)
            disabled.update(value)
    return disabled


def check_lab_extensions(dirs: list[Path] | None = None,
                         disabled: dict[str, bool] | None = None) -> list[Check]:
    """The widget manager, jupytext and jupyterlab-myst are installed as JupyterLab extensions and enabled."""
    dirs = _labextension_dirs() if dirs is None else dirs
    disabled = _disabled_lab_extensions() if disabled is None else disabled
    checks = []
    for name, (package, purpose) in LAB_EXTENSIONS.items():
        found = next((d / package / "package.json" for d in dirs
                      if (d / package / "package.json").is_file()), None)
        if found is None:
            checks.append(Check(f"lab extension {name}", False, f"{package} not found ({purpose})",
                                f"make install (the extension ships with the {name} Python package)"))
            continue
        meta = json.loads(found.read_text(encoding="utf-8"))
        is_disabled = any(v and (k == package or k.startswith(package + ":")) for k, v in disabled.items())
        checks.append(Check(
            f"lab extension {name}", not is_disabled,
            f"{package} {meta.get('version', '?')} {'disabled' if is_disabled else 'enabled'} ({purpose})",
            f"jupyter labextension enable {package}",
        ))
    return checks


def effective_default_viewers(app_dir: str | None = None, user_settings_dir: str | None = None) -> dict:
    """JupyterLab's effective ``defaultViewers`` (schema default, overrides.json, user settings)."""
    from jupyter_core.paths import jupyter_config_dir, jupyter_path
    from jupyterlab.commands import get_app_dir
    from jupyterlab_server.settings_utils import get_settings

    app_dir = app_dir or get_app_dir()
    user_settings_dir = user_settings_dir or os.path.join(jupyter_config_dir(), "lab", "user-settings")
    settings, _ = get_settings(
        os.path.join(app_dir, "settings"), os.path.join(app_dir, "schemas"), user_settings_dir,
        schema_name=DOCMANAGER, labextensions_path=jupyter_path("labextensions"),
    )
    default = settings["schema"]["properties"]["defaultViewers"].get("default", {})
    user = (settings.get("settings") or {}).get("defaultViewers")
    return user if user is not None else default


def check_default_viewer(app_dir: str | None = None, user_settings_dir: str | None = None) -> Check:
    """Double-clicking a chapter (``.md``) in JupyterLab opens it as a notebook."""
    try:
        viewers = effective_default_viewers(app_dir, user_settings_dir)
    except Exception as exc:  # a missing schema dir, unreadable settings, ...
        return Check("lab opens .md as notebook", False, f"could not read the settings: {exc}",
                     "make install")
    viewer = viewers.get("markdown")
    ok = viewer == JUPYTEXT_VIEWER
    return Check(
        "lab opens .md as notebook", ok,
        f"default viewer for markdown is {viewer!r}" + ("" if ok else f", not {JUPYTEXT_VIEWER!r}"),
        "make install (copies jupyter/overrides.json into .venv/share/jupyter/lab/settings/), "
        "and remove any 'defaultViewers' from your JupyterLab user settings",
    )


# -- hardware and execution -------------------------------------------------------------------

def check_torch() -> Check:
    """PyTorch imports; report the device the torch chapters use."""
    try:
        import torch

        from dglab.training import default_device
    except Exception as exc:
        return Check("torch", False, f"cannot import torch: {exc}", "make install")
    device = default_device()
    if device.type == "cuda":
        where = f"GPU {torch.cuda.get_device_name(device)}"
    else:
        where = f"CPU ({os.cpu_count()} cores; no CUDA GPU, which the course does not need)"
    return Check("torch device", True, f"torch {torch.__version__} trains on {where}")


def check_chapter(path: Path | None = None, timeout: int = 300) -> Check:
    """Execute one chapter (chapter 1 by default) top to bottom in a fresh kernel."""
    try:
        path = Path(path) if path is not None else course.chapters()[0]
        nb = course.read_chapter(path)
        _, seconds = course.execute(nb, cwd=path.parent, timeout=timeout)
    except Exception as exc:
        if getattr(exc, "ename", None):  # nbclient's CellExecutionError: the error inside the cell
            what = f"a cell raised {exc.ename}: {exc.evalue}"
        else:
            what = traceback.format_exception_only(type(exc), exc)[-1].strip().splitlines()[0]
        name = path.name if isinstance(path, Path) else "chapter 1"
        return Check(f"chapter runs ({name})", False, what[:300],
                     "run it in JupyterLab (`make lab`) to see the failing cell")
    return Check(f"chapter runs ({path.name})", True, f"executed in {seconds:.1f} s")


# -- the command ------------------------------------------------------------------------------

def default_checks(*, chapter: bool = True) -> list[Callable[[], Check | list[Check]]]:
    checks = [check_python, check_requirements, check_dglab, check_lab_extensions, check_default_viewer,
              check_torch]
    if chapter:
        checks.append(check_chapter)
    return checks


def run(checks: Iterable[Callable[[], Check | list[Check]]], out=None) -> int:
    """Run the checks, print one line each, return the exit status (0: all passed)."""
    out = out or sys.stdout
    results: list[Check] = []
    for check in checks:
        try:
            found = check()
        except Exception as exc:  # a check that crashes is a failure, not a traceback
            found = Check(getattr(check, "__name__", "check"), False, f"crashed: {exc!r}")
        for result in found if isinstance(found, list) else [found]:
            results.append(result)
            print(result.line(), file=out, flush=True)
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed"
          + (": the course is ready to run." if not failed else "."), file=out)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m coursetools doctor", description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-chapter", action="store_true", help="do not execute chapter 1")
    args = parser.parse_args(argv)
    print(f"dglab doctor ({sys.executable})")
    return run(default_checks(chapter=not args.skip_chapter))
