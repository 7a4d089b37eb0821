"""Checks for the exercises of chapter 8 (naive Bayes against logistic regression)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._feedback import AnswerError, answer_array, answer_number, exercise_check

__all__ = ["check_small_sample_regime", "check_covariance_log_densities"]


@exercise_check
def check_small_sample_regime(table, naive_bayes_wins_up_to, column="naive Bayes, var_smoothing=0.1"):
    """Structured self-check: read the small-sample regime off the learner's own learning curves.

    Parameters
    ----------
    table : pandas.DataFrame
        Mean test *error* per training size (index) and estimator (columns), with the smoothed
        naive Bayes in ``column``.
    naive_bayes_wins_up_to : int
        The largest training size at which smoothed naive Bayes has the lowest error (ties count).
    column : str
        The smoothed naive Bayes column.

    Returns
    -------
    CheckResult
    """
    if not isinstance(table, pd.DataFrame) or column not in table.columns or table.shape[1] < 2:
        raise AnswerError(f"`table` should be a DataFrame with one column per estimator, including {column!r} "
                          "(the pivot of `summarize_learning_curves`).")
    errors = table.sort_index().astype(float)
    if errors.to_numpy().min() < 0 or errors.to_numpy().max() > 1:
        raise AnswerError("`table` should hold error rates between 0 and 1.")
    size = answer_number("naive_bayes_wins_up_to", naive_bayes_wins_up_to)
    if size not in errors.index:
        raise AnswerError(f"{size:g} is not a training size of the table ({list(errors.index)}).")
    others = errors.drop(columns=column).min(axis=1)
    wins = errors[column] <= others + 1e-12
    winning_sizes = list(errors.index[wins])
    if not winning_sizes:
        raise AnswerError("in your table naive Bayes never has the lowest error: did you keep "
                          "var_smoothing=0.1? With the default smoothing it loses everywhere.")
    last = max(winning_sizes)
    if np.isclose(size, last):
        later = errors.index[errors.index > last]
        crossing = f", and loses from {later[0]} on" if len(later) else ""
        return f"smoothed naive Bayes has the lowest error up to {last} examples{crossing}."
    losing = list(errors.index[errors[column] >= errors.max(axis=1) - 1e-12])
    if size in losing:
        raise AnswerError(f"at {size:g} naive Bayes has the *highest* error: the table holds errors, lower is better.")
    raise AnswerError(f"in your table naive Bayes has the lowest error at {winning_sizes}: the largest of these is the answer.")


def _log_density_full(X, mean, cov):
    chol = np.linalg.cholesky(cov)
    solved = np.linalg.solve(chol, (X - mean).T)
    return -0.5 * (solved**2).sum(axis=0) - np.log(np.diag(chol)).sum() - 0.5 * X.shape[1] * np.log(2 * np.pi)


def _log_density_independent(X, mean, var):
    return (-0.5 * (X - mean) ** 2 / var - 0.5 * np.log(2 * np.pi * var)).sum(axis=1)


@exercise_check
def check_covariance_log_densities(full_ll, naive_ll, train_images, test_images, floor=0.5):
    """Check the mean test log-densities of a full-covariance and an independent-pixel Gaussian.

    Parameters
    ----------
    full_ll, naive_ll : float
        The learner's average log-density of ``test_images`` under each model.
    train_images, test_images : arrays of shape (n, n_pixels)
        The training and test images of one digit.
    floor : float, default=0.5
        The variance added to the diagonal (and to each pixel's variance).

    Returns
    -------
    CheckResult
    """
    full_ll, naive_ll = answer_number("full_ll", full_ll), answer_number("naive_ll", naive_ll)
    train = answer_array("train_images", train_images, ndim=2)
    test = answer_array("test_images", test_images, shape=(None, train.shape[1]))
    mean = train.mean(axis=0)
    centred = train - mean
    cov = centred.T @ centred / (len(train) - 1) + floor * np.eye(train.shape[1])
    var = centred.var(axis=0, ddof=0) + floor
    full_ref = _log_density_full(test, mean, cov).mean()
    naive_ref = _log_density_independent(test, mean, var).mean()
    if not np.isclose(full_ll, full_ref, rtol=1e-4):
        raise AnswerError(f"your full-covariance log-density {full_ll:.1f} differs from the closed form "
                          f"({full_ref:.1f}); covariance np.cov(images, rowvar=False) + {floor} I, "
                          "averaged over the test images.")
    if not np.isclose(naive_ll, naive_ref, rtol=1e-4):
        slips = {
            "did you forget to add the variance floor to each pixel's variance?":
                _log_density_independent(test, mean, np.maximum(centred.var(axis=0), 1e-300)).mean()
                if np.all(centred.var(axis=0) > 0) else np.nan,
            "scipy.stats.norm takes the standard deviation: pass np.sqrt(variance + floor).":
                _log_density_independent(test, mean, var**2).mean(),
            "sum the log-densities over the pixels of an image (independence multiplies them), then average "
            "over images.": _log_density_independent(test, mean, var).mean() / train.shape[1],
        }
        for hint, value in slips.items():
            if np.isclose(naive_ll, value, rtol=1e-4):
                raise AnswerError(f"your independent-pixel log-density is off: {hint}")
        raise AnswerError(f"your independent-pixel log-density {naive_ll:.1f} differs from the closed form "
                          f"({naive_ref:.1f}).")
    return (f"both average log-densities match the closed forms; the full covariance is "
            f"{full_ll - naive_ll:.1f} nats per image more likely.")
