"""``pip install .`` gives a dglab that imports with its declared dependencies only.

The package is built and installed with ``pip install --no-deps --no-index --target`` (offline,
no build isolation: setuptools comes from the course environment) into an empty folder. A fresh
interpreter then imports every ``dglab`` module *from that folder*, and every ``import`` in the
installed code (lazy ones in function bodies included) must name the standard library or a
module of a declared dependency of ``pyproject.toml`` (or of one of their own requirements).
The course tooling (``coursetools``) must not be installed.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Building and installing the wheel takes 20-80 s on the course's 2-core machine.
pytestmark = pytest.mark.slow

IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
sys.path.insert(0, sys.argv[1])
import dglab
for module in pkgutil.walk_packages(dglab.__path__, "dglab."):
    importlib.import_module(module.name)
print(json.dumps({"file": dglab.__file__}))
"""


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _closure(names) -> set[str]:
    """The distributions ``names`` need, with their own requirements (extras excluded)."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requirements = metadata.requires(name) or []
        except metadata.PackageNotFoundError:  # a requirement for another platform (colorama)
            continue
        todo += [_name(r) for r in requirements if "extra ==" not in r]
    return seen


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    # build from a copy of what the sdist needs, so the checkout gets no build/ or egg-info
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "dglab", source / "dglab", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--no-index", "--no-build-isolation", "--target", str(target), str(source)],
        check=True, cwd=target,
    )
    return target


def test_the_wheel_holds_dglab_and_its_data_but_not_the_tooling(installed):
    assert (installed / "dglab" / "plots" / "__init__.py").is_file()
    assert (installed / "dglab" / "checkpoints" / "gan_checkpoints.json").is_file()
    assert not (installed / "coursetools").exists()


def _imported_top_level_names(folder: Path) -> dict[str, str]:
    """Every module an ``import`` statement in ``folder`` names (top level, function bodies
    included: the lazy imports too), mapped to one file that imports it."""
    names = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [node.module]
            else:
                continue
            for name in found:
                names.setdefault(name.split(".")[0], path.relative_to(folder).as_posix())
    return names


def test_dglab_imports_with_its_declared_dependencies_only(installed):
    # 1. every module of the installed copy imports in a fresh interpreter (no checkout on the path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING, str(installed)], env=env,
                            cwd=installed, capture_output=True, text=True, check=True)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(loaded["file"]).resolve().is_relative_to(installed.resolve())  # not the checkout

    # 2. everything its code imports is the standard library or comes with a declared dependency
    #    (what the dependencies import in turn is their business)
    declared = [_name(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]]
    assert "pyyaml" not in declared and "skops" in declared
    allowed = _closure(declared)
    owners = metadata.packages_distributions()
    imported = _imported_top_level_names(installed / "dglab")
    undeclared = {name: where for name, where in imported.items()
                  if name not in sys.stdlib_module_names and name not in ("dglab", "__future__")
                  and not {_name(d) for d in owners.get(name, [])} & allowed}
    assert not undeclared, f"dglab imports modules of undeclared distributions: {undeclared}"
    assert {"yaml", "docutils", "sphinx", "coursetools"}.isdisjoint(imported)


# Run in a fresh interpreter: every import of a top-level module outside ``allowed`` fails as if
# the module were not installed (what an empty venv with only the declared dependencies does),
# then every dglab module is imported. Optional imports inside the dependencies (pandas, torch
# probe for extras) see the same ModuleNotFoundError they handle when the extra is absent.
IMPORT_WITH_ONLY_ALLOWED = """
import importlib, importlib.abc, importlib.machinery, json, os, pkgutil, sys, sysconfig
target, allowed = sys.argv[1], set(json.loads(sys.argv[2]))
refused = set()
# the standard library's own private modules (_sysconfigdata_*, ...) are not in stdlib_module_names
stdlib = tuple(os.path.realpath(sysconfig.get_paths()[k]) + os.sep for k in ("stdlib", "platstdlib"))

def in_stdlib(name):
    spec = importlib.machinery.PathFinder.find_spec(name)
    origin = os.path.realpath(spec.origin) if spec is not None and spec.origin else ""
    return origin.startswith(stdlib) and "site-packages" not in origin

class OnlyDeclared(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in allowed or top in sys.stdlib_module_names or top in sys.builtin_module_names:
            return None
        if "." not in name and in_stdlib(name):
            return None
        refused.add(top)
        raise ModuleNotFoundError(f"No module named {name!r} (not a declared dependency)", name=name)

sys.meta_path.insert(0, OnlyDeclared())
sys.path.insert(0, target)
import dglab
for module in pkgutil.walk_packages(dglab.__path__, "dglab."):
    importlib.import_module(module.name)
print(json.dumps({"file": dglab.__file__, "refused": sorted(refused)}))
"""


def _top_level_modules(distributions: set[str]) -> set[str]:
    """The importable top-level names the given distributions provide (from their metadata)."""
    return {module for module, owners in metadata.packages_distributions().items()
            if {_name(d) for d in owners} & distributions}


def test_dglab_imports_when_only_its_declared_dependencies_exist(installed):
    declared = [_name(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]]
    allowed = _top_level_modules(_closure(declared)) | {"dglab"}
    assert {"yaml", "docutils", "sphinx", "coursetools", "jupyter_book"}.isdisjoint(allowed)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", IMPORT_WITH_ONLY_ALLOWED, str(installed),
                             json.dumps(sorted(allowed))], env=env, cwd=installed,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(loaded["file"]).resolve().is_relative_to(installed.resolve())
    # the guard really stood between dglab and the rest of the venv: something was turned away
    # (optional extras the dependencies probe for), so a test without it would pass vacuously
    assert loaded["refused"], "the import guard refused nothing: is it installed?"


def test_the_import_guard_refuses_an_undeclared_module(installed):
    # the same guard, with a package that is installed in this venv but not allowed: it must fail
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    script = IMPORT_WITH_ONLY_ALLOWED.replace("import dglab\n", "import yaml\nimport dglab\n")
    result = subprocess.run([sys.executable, "-c", script, str(installed), json.dumps(["dglab"])],
                            env=env, cwd=installed, capture_output=True, text=True)
    assert result.returncode != 0 and "not a declared dependency" in result.stderr
