"""Checks for the exercises of chapter 12 (validation)."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from ._feedback import AnswerError, answer_array, answer_number, exercise_check

__all__ = ["check_bandwidth_choice", "kde_log_likelihood", "check_patient_groups"]


def kde_log_likelihood(X_fit, X_eval, bandwidth):
    """Mean log-density of ``X_eval`` under a Gaussian KDE on ``X_fit``, in closed form."""
    d = X_fit.shape[1]
    squared = (X_eval**2).sum(1)[:, None] + (X_fit**2).sum(1)[None, :] - 2 * X_eval @ X_fit.T
    log_kernels = -0.5 * np.maximum(squared, 0) / bandwidth**2
    normaliser = np.log(len(X_fit)) + 0.5 * d * np.log(2 * np.pi * bandwidth**2)
    return float(np.mean(logsumexp(log_kernels, axis=1) - normaliser))


@exercise_check
def check_bandwidth_choice(results, chosen, X_fit=None, X_held_out=None):
    """Check the bandwidth held-out likelihood chooses, and optionally one number in closed form.

    Parameters
    ----------
    results : dict of float -> (train_log_likelihood, held_out_log_likelihood)
        Mean log-likelihoods per image for each bandwidth.
    chosen : float
        The bandwidth the learner says held-out likelihood chooses.
    X_fit, X_held_out : arrays, optional
        One fold's training and held-out images; given, the check also recomputes that fold's
        held-out log-likelihood of ``chosen`` in closed form and prints it.

    Returns
    -------
    CheckResult
    """
    if not isinstance(results, dict) or len(results) < 2:
        raise AnswerError("`results` should be a dict {bandwidth: (train, held-out log-likelihood)}.")
    table = {}
    for h, pair in results.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise AnswerError(f"`results[{h}]` should be a pair (train, held-out).")
        table[answer_number("bandwidth", h)] = [answer_number(f"results[{h}]", v) for v in pair]
    h = answer_number("chosen", chosen)
    if h not in table:
        raise AnswerError(f"{h:g} is not one of your bandwidths {sorted(table)}.")
    best = max(table, key=lambda b: table[b][1])
    if h != best:
        if h == max(table, key=lambda b: table[b][0]):
            raise AnswerError(f"h = {h:g} has the best *training* likelihood: every training image sits on "
                              "its own spike. Choose by the held-out likelihood.")
        raise AnswerError(f"by your numbers h = {best:g} has the highest held-out likelihood.")
    extra = ""
    if X_fit is not None and X_held_out is not None:
        fit = answer_array("X_fit", X_fit, ndim=2)
        held = answer_array("X_held_out", X_held_out, shape=(None, fit.shape[1]))
        extra = f" (closed form on the given fold: {kde_log_likelihood(fit, held, h):.1f} nats per image)"
    return f"held-out likelihood chooses h = {h:g}{extra}; the training likelihood prefers the memoriser."


@exercise_check
def check_patient_groups(groups, X_twice, n_patients):
    """Check the group labels of the duplicated records: one group per patient, both copies in it.

    Parameters
    ----------
    groups : array of shape (2 * n_patients,)
        The learner's ``groups`` for ``GroupKFold``.
    X_twice : array of shape (2 * n_patients, d)
        The stacked records (originals first, then the noisy copies).
    n_patients : int

    Returns
    -------
    CheckResult
    """
    n = int(answer_number("n_patients", n_patients))
    X = answer_array("X_twice", X_twice, shape=(2 * n, None))
    g = answer_array("groups", groups, shape=(2 * n,), dtype=None)
    # a record's twin is its nearest other record; the groups must pair exactly those
    squared = (X[:n] ** 2).sum(1)[:, None] + (X[n:] ** 2).sum(1)[None, :] - 2 * X[:n] @ X[n:].T
    twins = np.argmin(squared, axis=1)
    if len(np.unique(g)) == 2 * n:
        raise AnswerError("every record is its own group, so the twins still land in different folds: "
                          "give both records of a patient the patient's index.")
    if not np.all(g[:n] == g[n:][twins]):
        raise AnswerError("some records and their noisy copies have different groups.")
    if len(np.unique(g)) != n:
        raise AnswerError(f"there should be {n} groups, one per patient; you have {len(np.unique(g))}.")
    return f"{n} groups, each holding one patient's two records."
