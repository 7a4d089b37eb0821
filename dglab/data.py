"""Data for the course: loaders for data scikit-learn ships and small synthetic generators.

Nothing here downloads anything: every dataset is either generated from a seed or shipped with
scikit-learn. Loaders return plain NumPy arrays ``(X, y)`` so they feed scikit-learn and PyTorch
alike.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["ring_centers", "ring_of_gaussians", "load_digits_scaled"]


def _check_int(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_real(name: str, value, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if (value <= 0) if positive else (value < 0):
        bound = "> 0" if positive else ">= 0"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return float(value)


def ring_centers(n_modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """The centres of the ring of Gaussians: ``n_modes`` points evenly spaced on a circle.

    Parameters
    ----------
    n_modes : int
        Number of centres (>= 1). Centre ``k`` sits at angle ``2 pi k / n_modes``.
    radius : float
        Radius of the circle (> 0).

    Returns
    -------
    ndarray of shape (n_modes, 2)

    Examples
    --------
    >>> ring_centers(4, radius=1.0).round(3) + 0.0
    array([[ 1.,  0.],
           [ 0.,  1.],
           [-1.,  0.],
           [ 0., -1.]])
    """
    n_modes = _check_int("n_modes", n_modes, 1)
    radius = _check_real("radius", radius, positive=True)
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    return radius * np.column_stack([np.cos(angles), np.sin(angles)])


def ring_of_gaussians(
    n_samples: int,
    n_modes: int = 8,
    radius: float = 2.0,
    std: float = 0.02,
    random_state=None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sample the classic GAN test bed: equal-weight Gaussians on a ring.

    Each sample picks one of ``n_modes`` centres (see :func:`ring_centers`) uniformly at random
    and adds isotropic Gaussian noise of standard deviation ``std``. With the defaults the modes
    are far apart (radius 2, spread 0.02), so a generator that misses one is easy to spot.

    Parameters
    ----------
    n_samples : int
        Number of points (>= 1).
    n_modes : int
        Number of Gaussians on the ring (>= 1).
    radius : float
        Radius of the ring (> 0).
    std : float
        Standard deviation of each Gaussian in each coordinate (>= 0).
    random_state : int, numpy.random.RandomState or None
        Seed or generator; an int makes the output reproducible.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The points.
    mode_index : ndarray of shape (n_samples,)
        Which centre each point was drawn around.

    Examples
    --------
    >>> X, mode = ring_of_gaussians(1000, random_state=0)
    >>> X.shape, mode.shape, sorted(set(mode.tolist())) == list(range(8))
    ((1000, 2), (1000,), True)
    """
    n_samples = _check_int("n_samples", n_samples, 1)
    std = _check_real("std", std, positive=False)
    centers = ring_centers(n_modes, radius)
    rng = check_random_state(random_state)
    mode_index = rng.randint(len(centers), size=n_samples)
    X = centers[mode_index] + std * rng.standard_normal((n_samples, 2))
    return X, mode_index


def load_digits_scaled() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 handwritten digits with pixel intensities scaled to [0, 1].

    The 1,797 images ship with scikit-learn (no download). Each row of ``X`` is one image,
    flattened row by row; the raw intensities 0..16 are divided by 16.

    Returns
    -------
    X : ndarray of shape (1797, 64), values in [0, 1]
    y : ndarray of shape (1797,), the digit 0-9

    Examples
    --------
    >>> X, y = load_digits_scaled()
    >>> X.shape, float(X.min()), float(X.max())
    ((1797, 64), 0.0, 1.0)
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.data / 16.0, digits.target.copy()
