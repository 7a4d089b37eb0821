"""How long will a training run take here? Time a few of its steps and extrapolate.

A chapter that trains live says how long the run will take before it starts. A typed number
("about 25 seconds") is true only on the machine it was measured on; instead the chapter times a
few steps of the same run (on a throwaway copy, so the run itself is unchanged) and multiplies.
Training steps of a fixed-size model cost the same at every step, so a handful of them, after
one warm-up step that pays for first-call allocations, predicts the whole run well.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from dglab._validation import check_int

__all__ = ["seconds_per_step", "estimate_seconds", "describe_duration"]


def seconds_per_step(step: Callable[[int], object], n_probe: int = 5, *, warmup: int = 1) -> float:
    """Median wall-clock seconds of one call ``step(i)``, over ``n_probe`` timed calls.

    Parameters
    ----------
    step : callable
        Called as ``step(0)``, ``step(1)``, ...: the first ``warmup`` calls are not timed.
        It should act on a throwaway copy of the model (the calls do train it).
    n_probe : int, default=5
        Number of timed calls; the median ignores an occasional slow one.
    warmup : int, default=1
        Untimed calls first (first-call allocations and caches).

    Returns
    -------
    float
        Seconds per step.

    Examples
    --------
    >>> seconds_per_step(lambda i: sum(range(1000)), n_probe=3) < 1.0
    True
    """
    if not callable(step):
        raise TypeError(f"step must be callable as step(i); got {type(step).__name__}")
    n_probe = check_int("n_probe", n_probe, minimum=1)
    warmup = check_int("warmup", warmup, minimum=0)
    for i in range(warmup):
        step(i)
    times = []
    for i in range(warmup, warmup + n_probe):
        start = time.perf_counter()
        step(i)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def estimate_seconds(step: Callable[[int], object], n_steps: int, n_probe: int = 5, *,
                     warmup: int = 1) -> float:
    """Estimated seconds for ``n_steps`` calls of ``step``: ``n_steps`` times :func:`seconds_per_step`.

    Examples
    --------
    >>> estimate_seconds(lambda i: None, 100, n_probe=2) < 1.0
    True
    """
    n_steps = check_int("n_steps", n_steps, minimum=1)
    return n_steps * seconds_per_step(step, n_probe, warmup=warmup)


def describe_duration(seconds: float) -> str:
    """A duration in words, rounded as an estimate deserves: to 1 s below 10 s, 5 s below a
    minute, then to half minutes.

    Examples
    --------
    >>> describe_duration(7.4), describe_duration(23.0), describe_duration(95.0)
    ('about 7 seconds', 'about 25 seconds', 'about 1.5 minutes')
    """
    seconds = float(seconds)
    if not np.isfinite(seconds) or seconds < 0:
        raise ValueError(f"seconds must be a finite number >= 0; got {seconds!r}")
    if seconds < 1.5:
        return "about 1 second"
    if seconds < 9.5:
        return f"about {round(seconds)} seconds"
    if seconds < 57.5:
        return f"about {5 * round(seconds / 5)} seconds"
    minutes = round(seconds / 30) / 2
    return f"about {minutes:g} minute{'s' if minutes != 1 else ''}"
