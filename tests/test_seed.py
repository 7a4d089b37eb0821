import random

import numpy as np
import pytest
import torch

import dglab


def test_version_is_the_one_the_installed_metadata_reports():
    # pyproject reads the version from dglab.__version__: the metadata pip recorded for this
    # environment's install must agree with the code that is imported (a stale install fails).
    from importlib.metadata import version

    from packaging.version import Version

    assert Version(dglab.__version__) == Version(version("dglab"))


def test_seed_everything_makes_all_three_generators_repeat():
    def draw():
        return random.random(), np.random.rand(), torch.rand(1).item()  # noqa: NPY002 (the global RNG is the point)

    assert dglab.seed_everything(123) == 123
    first = draw()
    dglab.seed_everything(123)
    assert draw() == first
    dglab.seed_everything(124)
    assert draw() != first


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "0", None, True, np.float64(3.0)])
def test_seed_everything_rejects_non_integers_and_out_of_range(bad):
    with pytest.raises(ValueError, match="seed"):
        dglab.seed_everything(bad)


def test_seed_everything_accepts_numpy_integers():
    assert dglab.seed_everything(np.int64(7)) == 7


def test_seed_everything_does_not_import_torch_but_seeds_it_on_import():
    # a fresh interpreter: here torch is already imported. The chapters that never train should
    # not pay torch's import, yet a later import must draw as if torch had been seeded first.
    import subprocess
    import sys

    code = """
import sys, dglab
dglab.seed_everything(5)
dglab.seed_everything(7)  # the latest seed wins
assert "torch" not in sys.modules
import torch
first = torch.rand(3).tolist()
torch.manual_seed(7)
assert first == torch.rand(3).tolist(), first
torch.manual_seed(8)
assert first != torch.rand(3).tolist()
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
