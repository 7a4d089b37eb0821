"""dglab: the companion package of the course *Discriminative vs. Generative Models*.

Every chapter of the book imports its models, metrics, plots and explorers from here, and every
algorithm is tested against an independent reference (scikit-learn, SciPy, a closed form).
Data flows one way through the modules: data -> models -> metrics -> plots -> widgets.
"""

from __future__ import annotations

import os
import random

import numpy as np

__version__ = "0.1.0"

__all__ = ["__version__", "seed_everything"]

_MAX_SEED = 2**32 - 1  # NumPy's legacy RandomState accepts seeds in [0, 2**32 - 1]


def seed_everything(seed: int) -> int:
    """Seed Python's, NumPy's and PyTorch's global random number generators.

    Chapters call this once at the top so that running them twice prints the same numbers.
    Library code does not rely on it: estimators take an explicit ``random_state``.

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
    try:
        import torch
    except ImportError:  # the torch extra is optional for the scikit-learn-only chapters
        pass
    else:
        torch.manual_seed(seed)  # seeds the CPU generator and every CUDA device
    return seed
