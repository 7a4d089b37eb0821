"""The first step every class-conditional generator of dglab shares: which class each new row is from.

:class:`dglab.naive_bayes.GaussianNaiveBayes` and the per-class mixtures of :mod:`dglab.hybrid`
sample ``(x, y)`` pairs the same way: draw (or look up) the class of each row, then draw the row
from that class's density. This module holds the first half, so that neither model imports the
other for it.
"""

from __future__ import annotations

import numpy as np

from dglab._validation import check_int

__all__ = ["draw_class_index"]


def draw_class_index(classes, class_prior, n_samples, y, rng):
    """Which class each generated row comes from, for the ``sample`` methods of dglab.

    Every class-conditional generator (:class:`~dglab.naive_bayes.GaussianNaiveBayes`, and the
    per-class mixtures of :mod:`dglab.hybrid`) first decides the class of each row, then draws the row
    from that class's density. This is the first step.

    Parameters
    ----------
    classes : ndarray of shape (n_classes,)
        The sorted class labels of the fitted model.
    class_prior : ndarray of shape (n_classes,)
        Probabilities to draw the classes with when ``y`` is None.
    n_samples : int
        Number of rows (at least 1).
    y : None, a class label, or array-like of shape (n_samples,)
        ``None`` draws the classes from ``class_prior``; one label gives every row that class.
    rng : numpy Generator or RandomState

    Returns
    -------
    n_samples : int
    index : ndarray of int, shape (n_samples,)
        Positions in ``classes``.
    """
    n_samples = check_int("n_samples", n_samples, minimum=1)
    if y is None:
        return n_samples, rng.choice(len(classes), size=n_samples, p=class_prior)
    labels = np.asarray(y)
    if labels.ndim == 0:
        labels = np.full(n_samples, labels.item(), dtype=labels.dtype)
    if labels.shape != (n_samples,):
        raise ValueError(
            f"y must be None, one class label or an array of shape ({n_samples},), "
            f"got shape {labels.shape}"
        )
    try:
        index = np.searchsorted(classes, labels).clip(0, len(classes) - 1)
        unknown = classes[index] != labels
    except TypeError:  # labels that cannot even be compared with the classes
        index, unknown = None, np.ones(n_samples, dtype=bool)
    if np.any(unknown):
        raise ValueError(
            f"unknown class {labels[unknown].tolist()[0]!r} in y; the model knows the classes "
            f"{classes.tolist()}"
        )
    return n_samples, index
