"""Every example in a ``dglab`` docstring runs and prints what the docstring says.

The modules are found by walking the package, so a new module's examples are tested without a
hand-kept list.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import dglab


def _modules_with_examples() -> list[str]:
    names = ["dglab"] + [m.name for m in pkgutil.walk_packages(dglab.__path__, "dglab.")]
    found = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec.origin and ">>> " in Path(spec.origin).read_text(encoding="utf-8"):
            found.append(name)
    return found


MODULES = _modules_with_examples()


def test_the_walk_finds_the_modules_with_examples():
    # a walk that found nothing would make the test below pass vacuously
    assert {"dglab.linear", "dglab.metrics", "dglab.gan", "dglab.validation"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
