"""dglab: the companion package of the course *Discriminative vs. Generative Models*.

Every chapter of the book imports its models, metrics, plots and explorers from here, and every
algorithm is tested against an independent reference (scikit-learn, SciPy, a closed form).
Data flows one way through the modules: data -> models -> metrics -> plots -> widgets.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import random
import sys

import numpy as np

__version__ = "0.1.0"

__all__ = ["__version__", "seed_everything"]

_MAX_SEED = 2**32 - 1  # NumPy's legacy RandomState accepts seeds in [0, 2**32 - 1]


def seed_everything(seed: int) -> int:
    """Seed Python's, NumPy's and PyTorch's global random number generators.

    Chapters call this once at the top so that running them twice prints the same numbers.
    Library code does not rely on it: estimators take an explicit ``random_state``.
    If PyTorch is not imported yet, it is not imported here (that would cost every chapter a
    second or more); its generators are seeded as soon as it is imported.

    Parameters
    ----------
    seed : int
        A non-negative integer below 2**32.

    Returns
    -------
    int
        The seed, so a cell can print what it used.

    Raises
    ------
    ValueError
        If ``seed`` is not an integer (booleans and floats included) or is out of range.

    Examples
    --------
    >>> from dglab import seed_everything
    >>> seed_everything(0)
    0
    """
    from dglab._validation import check_int

    seed = check_int("seed", seed, minimum=0, maximum=_MAX_SEED)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 (seeding the legacy global generator is the point)
    # Hash randomisation is fixed at interpreter start; this only reaches child processes.
    os.environ["PYTHONHASHSEED"] = str(seed)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)  # seeds the CPU generator and every CUDA device
    else:
        # Importing torch costs a second or more, which chapters that never use it should not
        # pay: seed its generators when (if ever) it is imported, before anyone can draw.
        _seed_torch_on_import(seed)
    return seed


class _SeedTorchOnImport(importlib.abc.MetaPathFinder):
    """Import hook: runs ``torch.manual_seed(seed)`` right after ``torch`` is first imported."""

    def __init__(self, seed: int):
        self.seed = seed

    def find_spec(self, name, path=None, target=None):
        if name != "torch":
            return None
        sys.meta_path.remove(self)  # one-shot; also lets the find_spec below skip this hook
        spec = importlib.util.find_spec("torch")
        if spec is None or spec.loader is None:
            return spec
        exec_module, seed = spec.loader.exec_module, self.seed

        def exec_and_seed(module):
            exec_module(module)
            module.manual_seed(seed)

        spec.loader.exec_module = exec_and_seed  # this spec's own loader object, nobody else's
        return spec


def _seed_torch_on_import(seed: int) -> None:
    # the latest seed wins: drop a hook left by an earlier call before adding this one
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _SeedTorchOnImport)]
    sys.meta_path.insert(0, _SeedTorchOnImport(seed))
