"""Validation tools: how well do models do on data they have not seen, and how sure are we?

:func:`learning_curves` measures held-out error against training-set size for several
estimators on the same random splits (the experiment of Ng & Jordan, 2001), and
:func:`summarize_learning_curves` reduces the repeats to a mean and an interval per point.
Both work with any scikit-learn classifier or pipeline.

For chapter 12 (validation strategies):

* :func:`cross_validation_scores` / :func:`summarize_cross_validation`: stratified k-fold
  scores per fold (through :func:`sklearn.model_selection.cross_validate`) and their
  mean ± standard deviation;
* :func:`cross_validation_spread`: how much a k-fold estimate moves from one sample of the data
  to the next, against the score the same model reaches on fresh data;
* :func:`held_out_log_likelihood`: the average log-density that an explicit generative model
  (a Gaussian mixture, naive Bayes) gives to data it was not fitted on;
* :func:`distances_to_held_out`: distances between held-out real data and generated samples,
  next to the distance between two halves of the real data (the noise floor);
* :func:`leakage_experiment`: cross-validation with a preprocessing step fitted on all the data
  (leaky) and inside the pipeline (honest), on the same folds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import ClassifierMixin, clone
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_X_y

from dglab._validation import (
    _is_int,
    _is_real,
    check_int,
    check_numeric_array,
    check_probability,
    check_random_state,
)

__all__ = [
    "learning_curves",
    "summarize_learning_curves",
    "t_interval",
    "cross_validation_scores",
    "summarize_cross_validation",
    "cross_validation_spread",
    "held_out_log_likelihood",
    "REAL_FLOOR",
    "distances_to_held_out",
    "leakage_experiment",
]

_COLUMNS = ["estimator", "train_size", "repeat", "test_error"]


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
    elif _is_real(test_size) and 0 < test_size < 1:
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
    >>> curves = learning_curves({"naive Bayes": GaussianNB()}, *load_iris(return_X_y=True),
    ...                          [10, 50], n_repeats=3, random_state=0)
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
    n_repeats = check_int("n_repeats", n_repeats, minimum=1)
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

    rng = check_random_state(random_state, allow_generator=False)
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


def t_interval(mean, sem, n, confidence: float = 0.95):
    """Student-t confidence interval of a mean: ``(low, high)`` from ``scipy.stats.t.interval``.

    ``sem`` is the standard error of the mean of ``n`` values (``n - 1`` degrees of freedom, at
    least 1); a zero ``sem`` (a single repeat, or identical values) gives ``low = high = mean``.
    """
    mean, sem = np.asarray(mean, dtype=float), np.asarray(sem, dtype=float)
    _, upper = stats.t.interval(confidence, np.maximum(np.asarray(n) - 1, 1))
    return mean - upper * sem, mean + upper * sem


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
    confidence = check_probability("confidence", confidence)
    grouped = curves.groupby(["estimator", "train_size"], observed=True, sort=True)["test_error"]
    summary = grouped.agg(mean="mean", std="std", n_repeats="count").reset_index()
    summary["std"] = summary["std"].fillna(0.0)
    summary["sem"] = summary["std"] / np.sqrt(summary["n_repeats"])
    summary["ci_low"], summary["ci_high"] = t_interval(summary["mean"], summary["sem"],
                                                       summary["n_repeats"], confidence)
    return summary[["estimator", "train_size", "mean", "std", "sem", "ci_low", "ci_high", "n_repeats"]]


# ------------------------------------------------------------------------------------------------
# Chapter 12: k-fold summaries, the spread of an estimate, held-out likelihood, sample
# distances next to the real-vs-real floor, and leakage
# ------------------------------------------------------------------------------------------------


def _check_n_splits(n_splits) -> int:
    return check_int("n_splits", n_splits, minimum=2)


def _check_stratifiable(y, n_splits: int) -> np.ndarray:
    """Class labels that stratified n_splits-fold cross-validation can split."""
    check_classification_targets(y)
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError(f"y must contain at least 2 classes, got only {classes.tolist()}")
    if counts.min() < n_splits:
        raise ValueError(
            f"every class needs at least n_splits={n_splits} samples so each fold can hold one; "
            f"class {classes.tolist()[np.argmin(counts)]!r} has {counts.min()}"
        )
    return classes


def _stratified_folds(n_splits: int, n_repeats: int, random_state):
    from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold

    if n_repeats == 1:
        return StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    return RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=random_state)


def cross_validation_scores(
    estimator,
    X,
    y,
    *,
    scoring="accuracy",
    n_splits: int = 5,
    n_repeats: int = 1,
    random_state=None,
) -> pd.DataFrame:
    """Stratified k-fold cross-validation scores, one row per held-out fold.

    The folds come from :class:`sklearn.model_selection.StratifiedKFold` (shuffled, seeded by
    ``random_state``), or :class:`~sklearn.model_selection.RepeatedStratifiedKFold` when
    ``n_repeats > 1``; :func:`sklearn.model_selection.cross_validate` fits a clone of the
    estimator on each training part and scores it on the held-out fold.

    Parameters
    ----------
    estimator : scikit-learn classifier or pipeline
        Put every preprocessing step inside it (a pipeline), so that it is refitted on each
        training part; see :func:`leakage_experiment` for what happens otherwise.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels; at least 2 classes, each with at least ``n_splits`` samples.
    scoring : str, list of str or dict, default="accuracy"
        scikit-learn scorer names (e.g. ``["accuracy", "roc_auc", "neg_log_loss"]``) or a dict
        of column name to scorer. Scorers are "higher is better", hence ``neg_log_loss``.
    n_splits : int, default=5
        Number of folds (>= 2).
    n_repeats : int, default=1
        Number of times the whole k-fold procedure is run with a fresh shuffle.
    random_state : int or None
        Seed of the shuffles.

    Returns
    -------
    pandas.DataFrame
        Columns ``repeat``, ``fold``, one column per scorer (the held-out score) and
        ``fit_time`` (seconds), ``n_splits * n_repeats`` rows.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.naive_bayes import GaussianNB
    >>> X, y = load_iris(return_X_y=True)
    >>> scores = cross_validation_scores(GaussianNB(), X, y, random_state=0)
    >>> scores.shape
    (5, 4)
    """
    from sklearn.model_selection import cross_validate

    n_splits = _check_n_splits(n_splits)
    n_repeats = check_int("n_repeats", n_repeats, minimum=1)
    X, y = check_X_y(X, y, accept_sparse="csr", dtype=None, ensure_2d=False, ensure_min_samples=2)
    _check_stratifiable(y, n_splits)
    if isinstance(scoring, str):
        names = [scoring]
    elif isinstance(scoring, Mapping):
        names = list(scoring)
    elif isinstance(scoring, Sequence) and scoring and all(isinstance(s, str) for s in scoring):
        names = list(scoring)
    else:
        raise ValueError(f"scoring must be a scorer name, a list of names or a dict, got {scoring!r}")
    folds = _stratified_folds(n_splits, int(n_repeats), random_state)
    result = cross_validate(estimator, X, y, cv=folds, scoring=scoring, error_score="raise")
    n = n_splits * int(n_repeats)
    table = pd.DataFrame({"repeat": np.arange(n) // n_splits, "fold": np.arange(n) % n_splits})
    for name in names:
        table[name] = result["test_score" if isinstance(scoring, str) else f"test_{name}"]
    table["fit_time"] = result["fit_time"]
    return table


def summarize_cross_validation(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean ± standard deviation of each score over the folds of :func:`cross_validation_scores`.

    Returns
    -------
    pandas.DataFrame
        One row per scorer (the index) with ``mean``, ``std`` (sample standard deviation over
        all folds, ``ddof=1``), ``n_folds`` and ``std_of_repeat_means``: the standard deviation,
        over repeats, of each repeat's k-fold mean (how much the reported number moves when only
        the shuffle changes; NaN with one repeat). The folds share training data, so ``std``
        describes fold-to-fold variation, not the uncertainty of the mean.
    """
    required = {"repeat", "fold", "fit_time"}
    if not isinstance(scores, pd.DataFrame) or not required <= set(scores.columns):
        raise ValueError("scores must be a DataFrame from cross_validation_scores")
    metrics = [c for c in scores.columns if c not in required]
    if not metrics or scores.empty:
        raise ValueError("scores has no score columns or no rows")
    rows = {}
    for metric in metrics:
        values = scores[metric].to_numpy(dtype=float)
        repeat_means = scores.groupby("repeat")[metric].mean()
        rows[metric] = {
            "mean": values.mean(),
            "std": values.std(ddof=1) if len(values) > 1 else 0.0,
            "n_folds": len(values),
            "std_of_repeat_means": repeat_means.std(ddof=1) if len(repeat_means) > 1 else np.nan,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _score(model, X, y) -> float:
    """``model.score(X, y)``; for a classifier that keeps ``ClassifierMixin.score`` (accuracy),
    the same number as ``accuracy_score`` computes it (the mean of ``predict(X) == y``) without
    its per-call checks of the targets, a third of chapter 12's 1,800 fits and scores."""
    if getattr(type(model), "score", None) is ClassifierMixin.score:
        return float(np.mean(model.predict(X) == y))
    return float(model.score(X, y))


def cross_validation_spread(
    estimator,
    X_pool,
    y_pool,
    *,
    sizes: Sequence[int],
    n_splits_values: Sequence[int] = (5,),
    n_repeats: int = 20,
    random_state=None,
) -> pd.DataFrame:
    """How much a k-fold accuracy estimate varies between datasets, against the truth.

    For each dataset size and repeat, a stratified sample of that size is drawn from a large
    pool (a stand-in for "the world"). On that sample, stratified k-fold cross-validation is run
    for every ``k`` in ``n_splits_values`` (the same sample for every ``k``, so the comparison is
    paired), and the model fitted on the whole sample is scored on the rest of the pool: the
    accuracy the cross-validation is trying to estimate.

    Parameters
    ----------
    estimator : scikit-learn classifier
        Scored with its ``score`` method (accuracy for classifiers). Fast models keep this
        cheap: every repeat fits ``sum(n_splits_values) + 1`` models per size.
    X_pool : array-like of shape (n_pool, n_features)
    y_pool : array-like of shape (n_pool,)
        The pool; every size must leave at least one sample per class for the truth.
    sizes : sequence of int
        Dataset sizes to draw.
    n_splits_values : sequence of int, default=(5,)
        Values of ``k`` (each >= 2, and each class of every sample needs ``k`` members).
    n_repeats : int, default=20
        Datasets drawn per size.
    random_state : int, numpy RandomState or None

    Returns
    -------
    pandas.DataFrame
        One row per (size, n_splits, repeat): ``size``, ``n_splits``, ``repeat``,
        ``cv_estimate`` (mean held-out accuracy over the k folds) and ``true_score`` (accuracy
        of the model fitted on the whole sample, on the rest of the pool).
    """
    from sklearn.model_selection import StratifiedKFold

    X_pool, y_pool = check_X_y(X_pool, y_pool, ensure_min_samples=2)
    check_classification_targets(y_pool)
    n_repeats = check_int("n_repeats", n_repeats, minimum=1)
    ks = [_check_n_splits(k) for k in n_splits_values]
    if not ks or len(set(ks)) != len(ks):
        raise ValueError(f"n_splits_values must be distinct integers >= 2, got {n_splits_values!r}")
    sizes = list(sizes)
    if not sizes or not all(_is_int(m) for m in sizes):
        raise ValueError(f"sizes must be a non-empty list of integers, got {sizes!r}")
    n_classes = len(np.unique(y_pool))
    for m in sizes:
        if not n_classes * max(ks) <= m <= len(y_pool) - n_classes:
            raise ValueError(
                f"size {m} must allow {max(ks)} folds per class and leave samples in the pool "
                f"(between {n_classes * max(ks)} and {len(y_pool) - n_classes})"
            )
    rng = check_random_state(random_state, allow_generator=False)
    records = []
    for m in sizes:
        for repeat in range(n_repeats):
            draw = StratifiedShuffleSplit(n_splits=1, train_size=int(m), test_size=len(y_pool) - int(m),
                                          random_state=rng.randint(np.iinfo(np.int32).max))
            sample, rest = next(draw.split(X_pool, y_pool))
            X, y = X_pool[sample], y_pool[sample]
            true_score = _score(clone(estimator).fit(X, y), X_pool[rest], y_pool[rest])
            for k in ks:
                _check_stratifiable(y, k)
                folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=rng.randint(np.iinfo(np.int32).max))
                fold_scores = [_score(clone(estimator).fit(X[tr], y[tr]), X[te], y[te])
                               for tr, te in folds.split(X, y)]
                records.append((int(m), k, repeat, float(np.mean(fold_scores)), float(true_score)))
    return pd.DataFrame.from_records(
        records, columns=["size", "n_splits", "repeat", "cv_estimate", "true_score"]
    )


def held_out_log_likelihood(estimator, X, y=None, *, n_splits: int = 5, random_state=None) -> pd.DataFrame:
    """Average log-likelihood of an explicit generative model on data it was not fitted on.

    The data is split into ``n_splits`` folds (stratified by ``y`` when it is given, plain
    shuffled folds otherwise). A clone of the model is fitted on each training part and scored
    with ``score_samples``, which must return ``log p(x)`` per row, as
    :class:`sklearn.mixture.GaussianMixture`, :class:`sklearn.neighbors.KernelDensity` and
    :class:`dglab.naive_bayes.GaussianNaiveBayes` do. For a classifier that also has
    ``predict_log_proba`` and ``y`` is given, the joint ``log p(x, y) = log p(x) + log P(y | x)``
    of the held-out pairs is reported too.

    Parameters
    ----------
    estimator : density model or generative classifier
        Fitted as ``fit(X_train, y_train)`` (``y`` is ``None`` for unsupervised models).
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,), optional
        Class labels for a generative classifier.
    n_splits : int, default=5
    random_state : int or None
        Seed of the shuffle.

    Returns
    -------
    pandas.DataFrame
        One row per fold: ``fold``, ``n_train``, ``n_test``, ``train_log_likelihood`` and
        ``test_log_likelihood`` (mean ``log p(x)`` per sample, in nats), and, for a classifier
        with ``y``, ``test_log_joint`` (mean ``log p(x, y)``). Higher is better; a training
        value far above the held-out value means the model memorises its training data.

    Examples
    --------
    >>> from sklearn.mixture import GaussianMixture
    >>> from dglab.data import ring_of_gaussians
    >>> X, _ = ring_of_gaussians(400, random_state=0)
    >>> table = held_out_log_likelihood(GaussianMixture(8, random_state=0), X, random_state=0)
    >>> table.shape
    (5, 5)
    """
    from sklearn.model_selection import KFold, StratifiedKFold

    n_splits = _check_n_splits(n_splits)
    if not (hasattr(estimator, "fit") and hasattr(estimator, "score_samples")):
        raise ValueError(
            f"estimator must have fit and score_samples (returning log p(x)), got {estimator!r}"
        )
    if y is None:
        X = check_numeric_array("X", X, ensure_min_samples=2)
        if len(X) < n_splits:
            raise ValueError(f"n_splits={n_splits} folds need at least {n_splits} samples, got {len(X)}")
        folds = KFold(n_splits=n_splits, shuffle=True, random_state=random_state).split(X)
    else:
        X, y = check_X_y(X, y, ensure_min_samples=2)
        _check_stratifiable(y, n_splits)
        folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state).split(X, y)
    records = []
    for fold, (train, test) in enumerate(folds):
        y_train = None if y is None else y[train]
        model = clone(estimator).fit(X[train], y_train)
        test_ll = model.score_samples(X[test])
        record = {
            "fold": fold,
            "n_train": len(train),
            "n_test": len(test),
            "train_log_likelihood": float(np.mean(model.score_samples(X[train]))),
            "test_log_likelihood": float(np.mean(test_ll)),
        }
        if y is not None and hasattr(model, "predict_log_proba") and hasattr(model, "classes_"):
            position = np.searchsorted(model.classes_, y[test])
            log_posterior = model.predict_log_proba(X[test])[np.arange(len(test)), position]
            record["test_log_joint"] = float(np.mean(test_ll + log_posterior))
        records.append(record)
    return pd.DataFrame.from_records(records)


#: Name of the real-vs-real comparison in the table of :func:`distances_to_held_out`.
REAL_FLOOR = "real vs real (floor)"


def distances_to_held_out(
    X_held_out,
    samples: Mapping[str, object],
    metrics: Mapping[str, object],
    *,
    n_samples: int,
    n_repeats: int = 5,
    random_state=None,
) -> pd.DataFrame:
    """Distances between held-out real data and each set of samples, next to the noise floor.

    A distance between two finite samples is never exactly zero, even when both come from the
    same distribution, and its typical size depends on the sample size. So every comparison is
    made at the same size ``n_samples`` and set against a floor: in each repeat the held-out
    data is shuffled and split into two disjoint halves A and B; the floor is
    ``metric(A, B)``, and each source is scored as ``metric(A, S)``, where ``S`` holds
    ``n_samples`` rows drawn without replacement from that source. All sources share the same
    ``A`` within a repeat (paired comparisons). A source whose distance sits on the floor cannot
    be told apart from real data by that metric at that sample size.

    Parameters
    ----------
    X_held_out : array-like of shape (n, n_features)
        Real data the generators were **not** fitted on; ``n >= 2 * n_samples``.
    samples : dict of str to array-like of shape (n_s, n_features)
        Generated samples (or any other data to compare, such as the training set) by name;
        each needs at least ``n_samples`` rows.
    metrics : dict of str to callable
        ``metric(X_real, X_other) -> float``, e.g. :func:`dglab.metrics.frechet_distance`.
    n_samples : int
        Rows per compared sample (>= 2).
    n_repeats : int, default=5
        Number of random splits and draws.
    random_state : int, numpy RandomState or None

    Returns
    -------
    pandas.DataFrame
        Long format, columns ``source`` (:data:`REAL_FLOOR` first, then the sources in the
        order given), ``metric``, ``repeat``, ``value``. Summarise with
        ``table.groupby(["source", "metric"], sort=False)["value"].agg(["mean", "std"])``.
    """
    X_held_out = check_numeric_array("X_held_out", X_held_out, ensure_min_samples=2)
    n_samples = check_int("n_samples", n_samples, minimum=2)
    n_repeats = check_int("n_repeats", n_repeats, minimum=1)
    if len(X_held_out) < 2 * n_samples:
        raise ValueError(
            f"the floor needs two disjoint halves of n_samples={n_samples} held-out rows, "
            f"but X_held_out has only {len(X_held_out)}"
        )
    if not isinstance(samples, Mapping) or not isinstance(metrics, Mapping) or not metrics:
        raise ValueError("samples and metrics must be dicts (metrics non-empty)")
    checked = {}
    for name, S in samples.items():
        if name == REAL_FLOOR:
            raise ValueError(f"{REAL_FLOOR!r} is reserved for the floor; rename that source")
        S = check_numeric_array(f"samples[{name!r}]", S)
        if S.shape[1] != X_held_out.shape[1]:
            raise ValueError(
                f"samples[{name!r}] has {S.shape[1]} features, X_held_out has {X_held_out.shape[1]}"
            )
        if len(S) < n_samples:
            raise ValueError(f"samples[{name!r}] has {len(S)} rows, fewer than n_samples={n_samples}")
        checked[name] = S
    for name, metric in metrics.items():
        if not callable(metric):
            raise ValueError(f"metrics[{name!r}] must be a function metric(X_real, X_other)")
    rng = check_random_state(random_state, allow_generator=False)
    records = []
    for repeat in range(n_repeats):
        order = rng.permutation(len(X_held_out))
        A, B = X_held_out[order[:n_samples]], X_held_out[order[n_samples:2 * n_samples]]
        others = {REAL_FLOOR: B}
        for name, S in checked.items():
            others[name] = S[rng.choice(len(S), size=n_samples, replace=False)]
        for source, S in others.items():
            for metric_name, metric in metrics.items():
                records.append((source, metric_name, repeat, float(metric(A, S))))
    table = pd.DataFrame.from_records(records, columns=["source", "metric", "repeat", "value"])
    table["source"] = pd.Categorical(table["source"], categories=[REAL_FLOOR, *checked])
    table["metric"] = pd.Categorical(table["metric"], categories=list(metrics))
    return table


def leakage_experiment(
    preprocessing,
    classifier,
    X,
    y,
    *,
    scoring: str = "accuracy",
    n_splits: int = 5,
    random_state=None,
) -> pd.DataFrame:
    """Cross-validate a classifier with a preprocessing step fitted on all data, and inside the folds.

    * **leaky**: ``preprocessing`` is fitted on the whole dataset (``fit_transform(X, y)``)
      and the classifier is cross-validated on the transformed data. Every test fold has
      already been seen by the preprocessing step (and, for a supervised step such as feature
      selection, its labels too).
    * **honest**: the pipeline ``preprocessing -> classifier`` is cross-validated, so the step is
      refitted on each training part only, exactly as it would be on new data.

    Both use the same stratified folds; the difference between the two columns is the leak's
    measured effect.

    Parameters
    ----------
    preprocessing : scikit-learn transformer
        E.g. :class:`~sklearn.preprocessing.StandardScaler` (unsupervised, usually a small leak)
        or :class:`~sklearn.feature_selection.SelectKBest` (supervised, often a large one).
    classifier : scikit-learn classifier
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    scoring : str, default="accuracy"
        A scikit-learn scorer name.
    n_splits : int, default=5
    random_state : int or None
        Seed of the folds.

    Returns
    -------
    pandas.DataFrame
        One row per fold: ``fold``, ``leaky``, ``honest`` (held-out scores).
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline

    n_splits = _check_n_splits(n_splits)
    for name, step, needed in [("preprocessing", preprocessing, "fit_transform"),
                               ("classifier", classifier, "predict")]:
        if not (hasattr(step, "fit") and hasattr(step, needed)):
            raise ValueError(f"{name} must be a scikit-learn estimator with fit and {needed}, got {step!r}")
    X, y = check_X_y(X, y, ensure_min_samples=2)
    _check_stratifiable(y, n_splits)
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    X_leaky = clone(preprocessing).fit_transform(X, y)
    leaky = cross_val_score(clone(classifier), X_leaky, y, cv=folds, scoring=scoring, error_score="raise")
    honest = cross_val_score(make_pipeline(clone(preprocessing), clone(classifier)), X, y, cv=folds,
                             scoring=scoring, error_score="raise")
    return pd.DataFrame({"fold": np.arange(n_splits), "leaky": leaky, "honest": honest})
