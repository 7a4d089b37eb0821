"""Checks for the exercises of chapter 1 (discriminative models)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import confusion_matrix

from ._feedback import AnswerError, answer_array, answer_number, exercise_check

__all__ = ["THRESHOLDS", "check_threshold", "check_density"]

THRESHOLDS = (0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02)


def _costs(proba, labels, cost_miss, cost_false_alarm):
    costs = {}
    for t in THRESHOLDS:
        # the confusion matrix is scikit-learn's count, independent of the learner's masks
        tn, fp, fn, tp = confusion_matrix(labels, (proba >= t).astype(int), labels=[0, 1]).ravel()
        costs[t] = cost_miss * fn + cost_false_alarm * fp
    return costs


def _best(costs):
    return min(costs, key=costs.get)  # ties: the first (highest) threshold of the grid


@exercise_check
def check_threshold(t_best, proba_oof, y_train, proba_test=None, y_test=None):
    """Check the threshold chosen with a miss cost 20 times a false alarm's.

    Parameters
    ----------
    t_best : float
        The learner's threshold, one of :data:`THRESHOLDS`.
    proba_oof : array of shape (n_train,)
        Out-of-fold probabilities of the malignant class for the training tumours.
    y_train : array of shape (n_train,)
        Their 0/1 labels.
    proba_test, y_test : arrays, optional
        The test probabilities and labels; given, the check can tell a threshold tuned on them.

    Returns
    -------
    CheckResult
    """
    t = answer_number("t_best", t_best)
    labels = answer_array("y_train", y_train, ndim=1).astype(int)
    proba = answer_array("proba_oof", proba_oof)
    if proba.ndim == 2 and proba.shape[1] == 2:
        raise AnswerError("`proba_oof` has two columns: keep the malignant one, `[:, 1]`.")
    if proba.shape != labels.shape:
        raise AnswerError(f"`proba_oof` should have one probability per training tumour "
                          f"({labels.shape[0]}), got shape {proba.shape}.")
    if t not in THRESHOLDS:
        raise AnswerError(f"t_best = {t:g} is not one of the thresholds of the exercise {THRESHOLDS}.")
    costs = _costs(proba, labels, 20, 1)
    best = _best(costs)
    if np.isclose(t, best):
        return (f"t = {t:g} has the lowest out-of-fold cost ({costs[best]}) of the seven thresholds.")
    if proba_test is not None and y_test is not None:
        test = answer_array("proba_test", proba_test)
        test = test[:, 1] if test.ndim == 2 else test
        if np.isclose(t, _best(_costs(test, answer_array("y_test", y_test).astype(int), 20, 1))):
            raise AnswerError(f"t = {t:g} is the best threshold on the *test* set: choose it on the "
                              f"out-of-fold training probabilities, then use the test set once.")
    if np.isclose(t, _best(_costs(proba, labels, 1, 20))):
        raise AnswerError(f"t = {t:g} is what you get when a false alarm costs 20 and a miss 1: "
                          "the exercise has it the other way round.")
    accuracy = {s: np.mean((proba >= s) == (labels == 1)) for s in THRESHOLDS}
    if np.isclose(t, max(accuracy, key=accuracy.get)):
        raise AnswerError(f"t = {t:g} maximises accuracy; the exercise asks for the lowest *cost* "
                          "20 x missed + 1 x false alarms.")
    raise AnswerError(f"t = {t:g} costs {costs[t]} on the out-of-fold probabilities, but another "
                      f"threshold of the grid costs less. Count a missed malignant tumour "
                      "(label 1, p < t) as 20 and a flagged benign one as 1.")


def _gaussian_log_density(points, X):
    # closed form through a Cholesky factor, independent of scipy.stats
    mean = X.mean(axis=0)
    centred = X - mean
    cov = centred.T @ centred / (len(X) - 1)
    chol = np.linalg.cholesky(cov)
    solved = np.linalg.solve(chol, (points - mean).T)
    d = X.shape[1]
    return -0.5 * (solved**2).sum(axis=0) - np.log(np.diag(chol)).sum() - 0.5 * d * np.log(2 * np.pi)


@exercise_check
def check_density(log_densities, X_train, points):
    """Check the log-densities of a single Gaussian fitted to the training inputs.

    Parameters
    ----------
    log_densities : dict or sequence of float
        ``log p(x)`` at each of ``points``: a dict with the same names, or the values in order.
    X_train : array of shape (n_train, 2)
        The training inputs.
    points : dict of name -> array of shape (2,)
        The chapter's three points.

    Returns
    -------
    CheckResult
    """
    X = answer_array("X_train", X_train, ndim=2)
    if not isinstance(points, dict):
        raise AnswerError("`points` should be the chapter's dict of named points.")
    names = list(points)
    if isinstance(log_densities, dict):
        missing = [n for n in names if n not in log_densities]
        if missing:
            raise AnswerError(f"`log_densities` has no value for {missing}.")
        values = np.array([answer_number(f"log_densities[{n!r}]", log_densities[n]) for n in names])
    else:
        values = answer_array("log_densities", log_densities, shape=(len(names),))
    P = np.array([np.asarray(points[n], dtype=float) for n in names])
    reference = _gaussian_log_density(P, X)
    if np.allclose(values, reference, rtol=1e-3, atol=1e-3):
        far = ", ".join(n for n, v in zip(names, reference, strict=True) if v < reference.max() - 20)
        return (f"log p(x) matches the closed form at all {len(names)} points; far below the peak: {far}.")
    with np.errstate(divide="ignore"):
        if np.allclose(np.log(np.clip(values, 1e-300, None)), reference, rtol=1e-3, atol=1e-3):
            raise AnswerError("these are densities p(x), not log-densities: use `.logpdf`, not `.pdf`.")
    if np.allclose(values, _identity_log_density(P, X), rtol=1e-3, atol=1e-3):
        raise AnswerError("these log-densities ignore the covariance: pass "
                          "`cov=np.cov(X_train, rowvar=False)` (features in columns).")
    if np.allclose(values, -reference, rtol=1e-3, atol=1e-3):
        raise AnswerError("the signs are flipped: a log-density far from the data is very negative.")
    raise AnswerError("these log-densities differ from a Gaussian with the training mean and "
                      "covariance; check `np.cov(X_train, rowvar=False)` (rowvar=False: rows are samples).")


def _identity_log_density(P, X):
    d = X.shape[1]
    return -0.5 * ((P - X.mean(axis=0)) ** 2).sum(axis=1) - 0.5 * d * np.log(2 * np.pi)
