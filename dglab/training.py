"""The one training loop that dglab's PyTorch models share.

A model supplies a ``step(i)`` function that performs one optimisation step and returns the
numbers worth recording (losses, D(x), ...); :func:`run_training` calls it ``n_steps`` times
under a ``tqdm.auto`` progress bar, records a :class:`History`, and stops with a clear message
the moment a recorded number stops being finite. Seeding and device choice live here too, so
every torch model in the package handles them the same way.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

__all__ = ["History", "TrainingDiverged", "run_training", "default_device", "torch_seed"]


class TrainingDiverged(FloatingPointError):
    """A recorded training metric became NaN or infinite."""


@dataclass
class History:
    """What a training run recorded: one list per metric, plus the wall-clock time."""

    metrics: dict[str, list[float]] = field(default_factory=dict)
    steps: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def __getitem__(self, name: str) -> np.ndarray:
        return np.asarray(self.metrics[name])

    def __contains__(self, name: str) -> bool:
        return name in self.metrics

    def __len__(self) -> int:
        return len(self.steps)

    def last(self, name: str) -> float:
        return self.metrics[name][-1]

    def record(self, step: int, values: Mapping[str, float]) -> None:
        self.steps.append(step)
        for key, value in values.items():
            self.metrics.setdefault(key, []).append(float(value))


def _check_positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def run_training(
    step: Callable[[int], Mapping[str, float]],
    n_steps: int,
    *,
    desc: str = "training",
    progress: bool = True,
    record_every: int = 1,
    history: History | None = None,
) -> History:
    """Call ``step(i)`` for ``i`` in ``range(n_steps)`` and record what it returns.

    Parameters
    ----------
    step : callable
        Performs one optimisation step and returns a mapping of metric name to float.
    n_steps : int
        Number of steps (a positive integer).
    desc : str
        Label of the progress bar.
    progress : bool
        Show a ``tqdm.auto`` progress bar (a widget in notebooks, text in a terminal).
    record_every : int
        Keep every ``record_every``-th step's metrics in the history (the step still runs).
    history : History, optional
        Continue an existing history (step numbers continue from its last step).

    Returns
    -------
    History

    Raises
    ------
    TrainingDiverged
        As soon as a returned metric is NaN or infinite; the message names the step and metric.
        The history up to the previous step is attached as ``error.history``.
    """
    n_steps = _check_positive_int("n_steps", n_steps)
    record_every = _check_positive_int("record_every", record_every)
    history = History() if history is None else history
    offset = history.steps[-1] + 1 if history.steps else 0
    start = time.perf_counter()
    bar = tqdm(range(n_steps), desc=desc, disable=not progress, leave=True, mininterval=0.5)
    try:
        for i in bar:
            values = step(offset + i)
            bad = {k: v for k, v in values.items() if not math.isfinite(float(v))}
            if bad:
                error = TrainingDiverged(
                    f"training diverged at step {offset + i}: "
                    + ", ".join(f"{k} = {v}" for k, v in bad.items())
                    + " (try a smaller learning rate)"
                )
                error.history = history
                raise error
            if i % record_every == 0 or i == n_steps - 1:
                history.record(offset + i, values)
            if progress and i % 50 == 0:
                bar.set_postfix({k: f"{float(v):.3f}" for k, v in values.items()}, refresh=False)
    finally:
        bar.close()
        history.seconds += time.perf_counter() - start
    return history


def default_device(device=None):
    """``torch.device`` to train on: the one asked for, else CUDA when present, else the CPU."""
    import torch

    if device is not None:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@contextlib.contextmanager
def torch_seed(seed: int | None):
    """Run a block under a fixed torch seed without disturbing the global random state.

    Parameter initialisation in ``torch.nn`` draws from the global generator; forking it makes
    ``Model(random_state=0)`` reproducible no matter what ran before.
    """
    import torch

    if seed is None:
        yield
        return
    devices = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(int(seed))
        yield
