"""Checks for the exercises of chapter 10 (comparing the two families visually)."""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from ._feedback import AnswerError, answer_array, answer_number, exercise_check

__all__ = ["check_probability_scores", "check_correlation_gaps"]


def _roc_auc(y, p):
    # the Mann-Whitney statistic from average ranks, independent of scikit-learn's curve
    ranks = rankdata(p)
    positives = y == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return (ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def _log_loss(y, p):
    # scikit-learn's convention: probabilities of exactly 0 or 1 are clipped at machine epsilon
    eps = np.finfo(np.float64).eps
    p = np.clip(p, eps, 1 - eps)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


@exercise_check
def check_probability_scores(roc_auc, log_loss, brier, y, proba):
    """Check ROC-AUC, log-loss and Brier score of one model's probabilities.

    Parameters
    ----------
    roc_auc, log_loss, brier : float
        The learner's three scores.
    y : array of shape (n,)
        0/1 labels.
    proba : array of shape (n,)
        The probabilities of class 1.

    Returns
    -------
    CheckResult
    """
    y = answer_array("y", y, ndim=1)
    p = answer_array("proba", proba, shape=y.shape)
    got = {"ROC-AUC": answer_number("roc_auc", roc_auc), "log-loss": answer_number("log_loss", log_loss),
           "Brier": answer_number("brier", brier)}
    reference = {"ROC-AUC": _roc_auc(y, p), "log-loss": _log_loss(y, p), "Brier": np.mean((p - y) ** 2)}
    for name in reference:
        if np.isclose(got[name], reference[name], rtol=1e-6, atol=1e-9):
            continue
        if name == "ROC-AUC" and np.isclose(got[name], 1 - reference[name], atol=1e-9):
            raise AnswerError("your ROC-AUC is 1 - AUC: score with the probability of class 1, `[:, 1]`.")
        if name == "ROC-AUC" and np.isclose(got[name], _roc_auc(y, (p >= 0.5).astype(float)), atol=1e-9):
            raise AnswerError("your ROC-AUC was computed from hard 0/1 predictions; pass the probabilities.")
        if name == "log-loss" and np.isclose(got[name], reference[name] / np.log(2), rtol=1e-6):
            raise AnswerError("your log-loss is in bits (log2); scikit-learn's and the chapter's are in nats.")
        if name == "Brier" and np.isclose(got[name], np.mean((1 - p - y) ** 2), rtol=1e-6):
            raise AnswerError("your Brier score uses the probability of class 0.")
        raise AnswerError(f"your {name} {got[name]:.4f} differs from the reference {reference[name]:.4f}.")
    return ("ROC-AUC (from ranks), log-loss and Brier score match the closed forms.")


def _correlation(X):
    centred = X - X.mean(axis=0)
    scaled = centred / np.sqrt((centred**2).sum(axis=0))
    return scaled.T @ scaled


@exercise_check
def check_correlation_gaps(gaps, real, generated):
    """Check the largest and mean absolute differences between correlation matrices.

    Parameters
    ----------
    gaps : dict of str -> (float, float)
        For each generated sample, ``(largest |difference|, mean |difference|)``.
    real : array of shape (n, d)
        The held-out real data (``Z_test``).
    generated : dict of str -> array of shape (m, d)
        The generated samples, by name.

    Returns
    -------
    CheckResult
    """
    real = answer_array("real", real, ndim=2)
    if not isinstance(generated, dict) or not isinstance(gaps, dict) or set(gaps) != set(generated):
        raise AnswerError("`gaps` should be a dict with one (largest, mean) pair per generated sample, "
                          "keyed like `generated`.")
    reference_real = _correlation(real)
    for name, samples in generated.items():
        samples = answer_array(f"generated[{name!r}]", samples, shape=(None, real.shape[1]))
        pair = gaps[name]
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise AnswerError(f"`gaps[{name!r}]` should be a pair (largest, mean).")
        largest, mean = (answer_number(f"gaps[{name!r}]", v) for v in pair)
        difference = _correlation(samples) - reference_real
        if np.isclose(largest, np.abs(difference).max(), rtol=1e-6) and np.isclose(
                mean, np.abs(difference).mean(), rtol=1e-6):
            continue
        if np.isclose(largest, difference.max(), rtol=1e-6) or np.isclose(mean, difference.mean(), atol=1e-9):
            raise AnswerError(f"{name}: take the *absolute* differences before the largest and the mean.")
        cov_gap = np.abs(np.cov(samples.T) - np.cov(real.T))
        if np.isclose(largest, cov_gap.max(), rtol=1e-6):
            raise AnswerError(f"{name}: these are covariance differences; use correlations (np.corrcoef).")
        raise AnswerError(f"{name}: your gaps differ from the correlation matrices' "
                          "(np.corrcoef(X.T): features are the columns).")
    return "largest and mean absolute correlation differences match for every generated sample."
