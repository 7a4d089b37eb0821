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
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from dglab._validation import check_int, check_real

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




def _check_limits(limits) -> dict[str, float]:
    if limits is None:
        return {}
    if not isinstance(limits, Mapping):
        raise TypeError(f"limits must be a mapping of metric name to number, got {type(limits).__name__}")
    out = {}
    for name, limit in limits.items():
        out[name] = check_real(f"the limit of {name!r}", limit, allow_infinite=True)
    return out


def _divergence_message(step: int, bad: Mapping[str, float], limits: Mapping[str, float],
                        learning_rate) -> str:
    parts = []
    for name, value in bad.items():
        value = float(value)
        parts.append(f"{name} = {value:.4g}" + (f" (limit {limits[name]:.4g})" if math.isfinite(value) else ""))
    if learning_rate is None:
        hint = "try a smaller learning rate"
    else:
        lr = learning_rate(step) if callable(learning_rate) else learning_rate
        hint = f"the learning rate was {lr:.3g}; try a smaller one"
    return f"training diverged at step {step}: {', '.join(parts)} ({hint})"


def run_training(
    step: Callable[[int], Mapping[str, float]],
    n_steps: int,
    *,
    desc: str = "training",
    progress: bool = True,
    record_every: int = 1,
    history: History | None = None,
    limits: Mapping[str, float] | None = None,
    learning_rate: float | Callable[[int], float] | None = None,
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
    limits : dict of str to float, optional
        A metric above its limit also counts as divergence. A loss can blow up to a huge but
        finite value (Adam with a learning rate of 1e6 drives a cross-entropy to 1e7 bits, with
        gradient clipping and without a NaN), so each trainer declares a level no learning run
        reaches, e.g. a multiple of the loss of uniform guessing.
    learning_rate : float or callable, optional
        The learning rate (or ``step -> learning rate``), named in the divergence message.

    Returns
    -------
    History

    Raises
    ------
    TrainingDiverged
        As soon as a returned metric is NaN, infinite or above its limit; the message names the
        step, the metric and the learning rate. The history up to the previous step is attached
        as ``error.history``. Every trainer in dglab shares this contract.
    """
    n_steps = check_int("n_steps", n_steps, minimum=1)
    record_every = check_int("record_every", record_every, minimum=1)
    limits = _check_limits(limits)
    if not (learning_rate is None or callable(learning_rate)):
        check_real("learning_rate", learning_rate, minimum=0, min_inclusive=False)
    history = History() if history is None else history
    offset = history.steps[-1] + 1 if history.steps else 0
    start = time.perf_counter()
    bar = tqdm(range(n_steps), desc=desc, disable=not progress, leave=True, mininterval=0.5)
    try:
        for i in bar:
            values = step(offset + i)
            bad = {k: v for k, v in values.items()
                   if not math.isfinite(float(v)) or float(v) > limits.get(k, math.inf)}
            if bad:
                error = TrainingDiverged(_divergence_message(offset + i, bad, limits, learning_rate))
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
    """``torch.device`` to train on: the one asked for, else CUDA when present, else the CPU.

    Every torch model in dglab decides its device here, and every tensor it creates goes there.
    """
    import torch

    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(device)
    except (RuntimeError, TypeError) as error:
        raise ValueError(f"device must be a torch device such as 'cpu' or 'cuda', got {device!r}") from error
    if device.type == "cuda" and not torch.cuda.is_available():
        # fail here, with the reason, rather than deep inside the first tensor operation
        raise ValueError(f"device={str(device)!r} was asked for, but PyTorch sees no CUDA GPU "
                         "on this machine; use device='cpu' or leave device=None")
    return device


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
