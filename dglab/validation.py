"""Validation tools: how well do models do on data they have not seen, and how sure are we?

:func:`learning_curves` measures held-out error against training-set size for several
estimators on the same random splits (the experiment of Ng & Jordan, 2001), and
:func:`summarize_learning_curves` reduces the repeats to a mean and an interval per point.
Both work with any scikit-learn classifier or pipeline.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import clone
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_X_y

__all__ = ["learning_curves", "summarize_learning_curves"]

_COLUMNS = ["estimator", "train_size", "repeat", "test_error"]


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_estimators(estimators) -> dict:
    if not isinstance(estimators, Mapping) or not estimators:
        raise ValueError(
            "estimators must be a non-empty dict mapping a name to an (unfitted) estimator, "
            f"got {type(estimators).__name__}"
        )
    for name, est in estimators.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"estimator names must be non-empty strings, got {name!r}")
        if not (hasattr(est, "fit") and hasattr(est, "predict")):
            raise ValueError(f"estimator {name!r} has no fit/predict methods: {est!r}")
    return dict(estimators)


def _n_test(test_size, n_samples: int, n_classes: int) -> int:
    if _is_int(test_size):
        n_test = int(test_size)
    elif isinstance(test_size, numbers.Real) and not isinstance(test_size, bool) and 0 < test_size < 1:
        n_test = math.ceil(test_size * n_samples)  # scikit-learn rounds the test share up too
    else:
        raise ValueError(
            f"test_size must be a fraction in (0, 1) or a number of samples, got {test_size!r}"
        )
    if not n_classes <= n_test < n_samples:
        raise ValueError(
            f"the test set must hold at least one sample per class ({n_classes}) and leave "
            f"samples to train on; test_size={test_size!r} gives {n_test} of {n_samples} samples"
        )
    return n_test


def learning_curves(
    estimators: Mapping[str, object],
    X,
    y,
    train_sizes: Sequence[int],
    *,
    n_repeats: int = 20,
    test_size: float | int = 0.25,
    random_state=None,
) -> pd.DataFrame:
    """Held-out error of several classifiers against the number of training samples.

    Each repeat draws a stratified test set (``test_size``) once; for every training size ``m``
    it then draws a stratified training set of exactly ``m`` samples from the remaining pool,
    fits a fresh clone of every estimator on it and records its error rate on the test set.
    All estimators see the same training and test sets, so their curves are paired.

    Parameters
    ----------
    estimators : dict of str to estimator
        Unfitted classifiers (or pipelines) by display name; each is cloned before every fit.
    X : array-like of shape (n_samples, n_features)
        Features (finite numbers).
    y : array-like of shape (n_samples,)
        Class labels; at least two classes, each with at least two samples.
    train_sizes : sequence of int
        Training-set sizes, each at least the number of classes and at most the size of the
        pool left after the test set is held out. Duplicates are rejected.
    n_repeats : int, default=20
        Number of random test splits (and training draws) per size.
    test_size : float or int, default=0.25
        Fraction (rounded up, as in scikit-learn) or number of samples held out per repeat.
    random_state : int, numpy RandomState or None, default=None
        Seed for every split: the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        One row per (estimator, train_size, repeat) with columns ``estimator``,
        ``train_size``, ``repeat`` and ``test_error`` (misclassification rate on the test set),
        sorted by estimator (in the order given), then size, then repeat.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from dglab.validation import learning_curves
    >>> X, y = load_iris(return_X_y=True)
    >>> curves = learning_curves({"naive Bayes": GaussianNB()}, X, y, [10, 50], n_repeats=3,
    ...                          random_state=0)
    >>> curves.shape
    (6, 4)
    """
    estimators = _check_estimators(estimators)
    X, y = check_X_y(X, y, accept_sparse="csr", dtype=None, ensure_2d=False, ensure_min_samples=2)
    check_classification_targets(y)
    classes, y_index, class_counts = np.unique(y, return_inverse=True, return_counts=True)
    n_classes = len(classes)
    if n_classes < 2:
        raise ValueError(f"y must contain at least 2 classes, got only {classes.tolist()[0]!r}")
    if class_counts.min() < 2:
        raise ValueError(
            f"every class needs at least 2 samples to appear in both the training pool and the "
            f"test set; class {classes.tolist()[np.argmin(class_counts)]!r} has {class_counts.min()}"
        )
    if not _is_int(n_repeats) or n_repeats < 1:
        raise ValueError(f"n_repeats must be an integer >= 1, got {n_repeats!r}")
    n_samples = len(y)
    n_test = _n_test(test_size, n_samples, n_classes)
    n_pool = n_samples - n_test

    sizes = np.asarray(train_sizes)
    if sizes.ndim != 1 or sizes.size == 0 or not all(_is_int(m) for m in sizes.tolist()):
        raise ValueError(f"train_sizes must be a non-empty list of integers, got {train_sizes!r}")
    sizes = sizes.astype(int)
    if len(np.unique(sizes)) != len(sizes):
        raise ValueError(f"train_sizes contains duplicates: {sizes.tolist()}")
    if sizes.min() < n_classes:
        raise ValueError(
            f"every training size must be at least the number of classes ({n_classes}) so each "
            f"class can be represented; got {sizes.min()}"
        )
    if sizes.max() > n_pool:
        raise ValueError(
            f"training size {sizes.max()} is larger than the {n_pool} samples available for "
            f"training ({n_samples} samples minus {n_test} held out for testing)"
        )
    sizes = np.sort(sizes)

    rng = check_random_state(random_state)
    outer = StratifiedShuffleSplit(
        n_splits=n_repeats, test_size=n_test, random_state=rng.randint(np.iinfo(np.int32).max)
    )
    draw_seeds = rng.randint(np.iinfo(np.int32).max, size=(n_repeats, len(sizes)))

    records = []
    for repeat, (pool, test) in enumerate(outer.split(X, y_index)):
        for m, seed in zip(sizes, draw_seeds[repeat], strict=True):
            train = pool if m == n_pool else pool[_draw(y_index[pool], m, n_classes, seed)]
            for name, estimator in estimators.items():
                fitted = clone(estimator).fit(X[train], y[train])
                error = float(np.mean(fitted.predict(X[test]) != y[test]))
                records.append((name, int(m), repeat, error))

    curves = pd.DataFrame.from_records(records, columns=_COLUMNS)
    curves["estimator"] = pd.Categorical(curves["estimator"], categories=list(estimators))
    return curves.sort_values(["estimator", "train_size", "repeat"], ignore_index=True)


def _draw(pool_labels: np.ndarray, m: int, n_classes: int, seed: int) -> np.ndarray:
    """Positions of ``m`` training samples drawn from the pool, stratified when possible."""
    rest = len(pool_labels) - m
    if rest >= n_classes and np.bincount(pool_labels).min(initial=2) >= 2:
        splitter = StratifiedShuffleSplit(n_splits=1, train_size=m, test_size=rest, random_state=seed)
    else:
        # Nearly the whole pool: stratifying the few samples left out is impossible and moot.
        splitter = ShuffleSplit(n_splits=1, train_size=m, test_size=rest, random_state=seed)
    train, _ = next(splitter.split(np.zeros((len(pool_labels), 1)), pool_labels))
    return train


def summarize_learning_curves(curves: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Mean test error per estimator and training size, with its spread over repeats.

    Parameters
    ----------
    curves : pandas.DataFrame
        The output of :func:`learning_curves` (columns ``estimator``, ``train_size``,
        ``repeat``, ``test_error``).
    confidence : float, default=0.95
        Coverage of the t-interval reported in ``ci_low``/``ci_high``.

    Returns
    -------
    pandas.DataFrame
        One row per (estimator, train_size) with ``mean``, ``std`` (sample standard deviation
        over repeats), ``sem`` (standard error of the mean, ``std / sqrt(n_repeats)``),
        ``ci_low``/``ci_high`` (mean -/+ the Student-t quantile times ``sem``) and ``n_repeats``.
        The repeats share data (overlapping splits), so these intervals describe the
        variability of the procedure and are somewhat optimistic about the true error.
    """
    missing = set(_COLUMNS) - set(getattr(curves, "columns", []))
    if missing:
        raise ValueError(f"curves must be a DataFrame from learning_curves; missing columns {sorted(missing)}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    grouped = curves.groupby(["estimator", "train_size"], observed=True, sort=True)["test_error"]
    summary = grouped.agg(mean="mean", std="std", n_repeats="count").reset_index()
    summary["std"] = summary["std"].fillna(0.0)
    summary["sem"] = summary["std"] / np.sqrt(summary["n_repeats"])
    dof = np.maximum(summary["n_repeats"] - 1, 1)
    half_width = stats.t.ppf(0.5 + confidence / 2, dof) * summary["sem"]
    summary["ci_low"] = summary["mean"] - half_width
    summary["ci_high"] = summary["mean"] + half_width
    return summary[["estimator", "train_size", "mean", "std", "sem", "ci_low", "ci_high", "n_repeats"]]
