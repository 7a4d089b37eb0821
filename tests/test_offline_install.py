"""The instructor guide's recipe for a room without internet, checked on a small subset.

The guide tells an instructor to fill a wheel cache once, online,

    python -m pip download -r requirements.txt -d wheels

and to install from it in class with

    python -m pip install --no-index --find-links wheels -r requirements.txt

The full cache weighs hundreds of megabytes (PyTorch alone), so this test runs the same two
commands on a subset: two lines copied verbatim from requirements.txt plus the course package
itself, built into a wheel, in a fresh virtual environment. It also proves that the install
really is offline: with ``--no-index`` a requirement missing from the cache fails instead of
being fetched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv

import pytest

from coursetools import course

# Small pure-Python requirements of the course, taken from requirements.txt by name.
SUBSET = ("tqdm", "threadpoolctl")


def requirement_lines(names):
    """The lines of requirements.txt (or, failing that, of pyproject.toml) that name these packages."""
    lines = (course.ROOT / "requirements.txt").read_text().splitlines()
    found = {}
    for line in lines:
        spec = line.split("#")[0].strip()
        for name in names:
            if spec.lower().startswith(name) and not spec[len(name):len(name) + 1].isalnum():
                found[name] = spec
    return [found.get(name, name) for name in names]


def run(*args, cwd=None):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=600)
    return result


@pytest.fixture(scope="module")
def wheel_cache(tmp_path_factory):
    """The instructor's step, online: `pip download` the requirements, build dglab's wheel."""
    root = tmp_path_factory.mktemp("offline")
    wheels = root / "wheels"
    requirements = root / "requirements.txt"
    requirements.write_text("\n".join(requirement_lines(SUBSET)) + "\n")
    download = run(sys.executable, "-m", "pip", "download", "-r", requirements, "-d", wheels)
    if download.returncode != 0:
        pytest.skip(f"no package index reachable to fill the wheel cache:\n{download.stderr[-800:]}")
    # dglab's own wheel, built without touching the network from a copy of the package (setuptools
    # writes build/ and *.egg-info next to the sources, which must not land in the checkout)
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(course.ROOT / name, source / name)
    shutil.copytree(course.ROOT / "dglab", source / "dglab", ignore=shutil.ignore_patterns("__pycache__"))
    build = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", wheels,
                source)
    assert build.returncode == 0, build.stderr[-2000:]
    return root, wheels, requirements


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory):
    """A new virtual environment with pip and nothing else."""
    env = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    assert python.exists()
    return python


@pytest.mark.slow
def test_the_offline_recipe_installs_from_the_wheel_cache_alone(wheel_cache, fresh_python):
    root, wheels, requirements = wheel_cache
    names = sorted(p.name for p in wheels.glob("*.whl"))
    assert any(n.startswith("dglab-") for n in names), names
    for name in SUBSET:
        assert any(n.lower().startswith(name) for n in names), (name, names)

    # The classroom step: no index at all, only the cache. --no-deps for dglab only, because the
    # subset leaves out its heavy dependencies (numpy, SciPy, torch ...); the requirements file
    # itself is installed exactly as the guide says.
    install = run(fresh_python, "-m", "pip", "install", "--no-index", "--find-links", wheels,
                  "-r", requirements)
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    own = run(fresh_python, "-m", "pip", "install", "--no-index", "--find-links", wheels, "--no-deps", "dglab")
    assert own.returncode == 0, own.stderr[-2000:]

    probe = run(fresh_python, "-c",
                "import importlib.metadata as m, tqdm, threadpoolctl; "
                "print(m.version('dglab'), m.version('tqdm'), m.version('threadpoolctl'))")
    assert probe.returncode == 0, probe.stderr
    import dglab

    assert probe.stdout.split()[0] == dglab.__version__


@pytest.mark.slow
def test_without_the_index_a_package_missing_from_the_cache_is_not_fetched(wheel_cache, fresh_python):
    _, wheels, _ = wheel_cache
    missing = run(fresh_python, "-m", "pip", "install", "--no-index", "--find-links", wheels, "six")
    assert missing.returncode != 0
    assert "No matching distribution found for six" in missing.stderr


def test_the_subset_lines_come_from_requirements_txt():
    lines = requirement_lines(SUBSET)
    text = (course.ROOT / "requirements.txt").read_text()
    assert lines[0].startswith("tqdm") and lines[0] in text
    # threadpoolctl is a dependency of scikit-learn, not a line of its own: then its bare name is used
    assert lines[1].startswith("threadpoolctl")


def test_the_guide_states_the_recipe_this_test_checks():
    guide = (course.ROOT / "book" / "instructor_guide.md").read_text()
    assert "pip download -r requirements.txt -d wheels" in guide
    assert "pip install --no-index --find-links wheels -r requirements.txt" in guide
