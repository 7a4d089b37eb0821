"""Checks for the exercises of chapter 4 (generative models: mixtures and a first GAN)."""

from __future__ import annotations

import numpy as np
from scipy.special import comb, logsumexp
from scipy.stats import multivariate_normal

from ._feedback import AnswerError, answer_array, answer_number, exercise_check

__all__ = ["check_choose_K", "check_latent_recovery", "adjusted_rand_index"]


def _log_likelihood(model, X):
    """Total log-likelihood of a fitted full-covariance mixture, from its parameters with SciPy."""
    per_component = np.column_stack([
        np.log(w) + multivariate_normal(m, c).logpdf(X)
        for w, m, c in zip(model.weights_, model.means_, model.covariances_, strict=True)
    ])
    return logsumexp(per_component, axis=1).sum()


def _bic(model, X):
    K, d = model.means_.shape
    n_parameters = (K - 1) + K * d + K * d * (d + 1) / 2  # weights, means, full covariances
    return -2 * _log_likelihood(model, X) + n_parameters * np.log(len(X))


def _check_K(name, value, valid):
    K = answer_number(name, value)
    if not float(K).is_integer() or int(K) not in valid:
        raise AnswerError(f"`{name}` should be one of the fitted K, {min(valid)} to {max(valid)}; got {value!r}.")
    return int(K)


@exercise_check
def check_choose_K(best_bic, best_heldout, fitted, X_train, X_test):
    """Check the number of components chosen by BIC and by held-out log-likelihood.

    Parameters
    ----------
    best_bic, best_heldout : int
        The learner's choices of K.
    fitted : dict of int -> fitted GaussianMixture (full covariance)
        The chapter's twelve mixtures.
    X_train, X_test : arrays of shape (n, 2)

    Returns
    -------
    CheckResult
    """
    if not isinstance(fitted, dict) or not fitted:
        raise AnswerError("`fitted` should be the chapter's dict {K: fitted GaussianMixture}.")
    k_bic = _check_K("best_bic", best_bic, fitted)
    k_heldout = _check_K("best_heldout", best_heldout, fitted)
    X_train = answer_array("X_train", X_train, ndim=2)
    X_test = answer_array("X_test", X_test, ndim=2)
    bic = {K: _bic(m, X_train) for K, m in fitted.items()}
    heldout = {K: _log_likelihood(m, X_test) for K, m in fitted.items()}
    training = {K: _log_likelihood(m, X_train) for K, m in fitted.items()}
    ref_bic, ref_heldout = min(bic, key=bic.get), max(heldout, key=heldout.get)
    if k_bic != ref_bic:
        if k_bic == max(bic, key=bic.get):
            raise AnswerError(f"K = {k_bic} has the *highest* BIC; lower BIC is better.")
        if k_bic == max(training, key=training.get):
            raise AnswerError(f"K = {k_bic} has the best *training* likelihood, which only grows with "
                              "K; BIC adds a penalty for the parameters (use `model.bic(X_train)`).")
        raise AnswerError(f"K = {k_bic} does not have the lowest BIC on the training data.")
    if k_heldout != ref_heldout:
        if k_heldout == max(training, key=training.get):
            raise AnswerError(f"K = {k_heldout} is best on the *training* points: score the held-out "
                              "ones, `model.score(X_test)`.")
        if k_heldout == min(heldout, key=heldout.get):
            raise AnswerError(f"K = {k_heldout} has the *lowest* held-out log-likelihood; higher is better.")
        raise AnswerError(f"K = {k_heldout} does not have the highest held-out log-likelihood.")
    return (f"lowest BIC at K = {k_bic} and best held-out log-likelihood at K = {k_heldout}, "
            "as recomputed from the mixtures' parameters with SciPy.")


def adjusted_rand_index(labels_a, labels_b) -> float:
    """The adjusted Rand index from the contingency table (Hubert and Arabie's formula)."""
    _, a = np.unique(labels_a, return_inverse=True)
    _, b = np.unique(labels_b, return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)
    pairs = comb(table, 2).sum()
    rows, cols = comb(table.sum(axis=1), 2).sum(), comb(table.sum(axis=0), 2).sum()
    expected = rows * cols / comb(len(a), 2)
    return float((pairs - expected) / ((rows + cols) / 2 - expected))


@exercise_check
def check_latent_recovery(ari, mixtures, X_test, mode_test):
    """Check the adjusted Rand indices between inferred components and true clusters.

    Parameters
    ----------
    ari : dict of int -> float
        The learner's index for each K (the exercise asks for 8 and 4).
    mixtures : dict of int -> fitted GaussianMixture
    X_test : array of shape (n, 2)
    mode_test : array of shape (n,)
        The true cluster of each test point.

    Returns
    -------
    CheckResult
    """
    if not isinstance(ari, dict) or not ari:
        raise AnswerError("`ari` should be a dict {K: adjusted Rand index}, e.g. {8: ..., 4: ...}.")
    X_test = answer_array("X_test", X_test, ndim=2)
    truth = answer_array("mode_test", mode_test, shape=(len(X_test),))
    lines = []
    for K, value in ari.items():
        if K not in mixtures:
            raise AnswerError(f"there is no fitted mixture with K = {K} in `mixtures`.")
        got = answer_number(f"ari[{K}]", value)
        inferred = mixtures[K].predict(X_test)
        reference = adjusted_rand_index(truth, inferred)
        if np.isclose(got, reference, atol=1e-6):
            lines.append(f"K = {K}: {got:.3f}")
            continue
        if np.isclose(got, np.mean(inferred == truth), atol=1e-6):
            raise AnswerError(f"K = {K}: that is the share of equal labels, but the component numbers "
                              "are arbitrary names; use `adjusted_rand_score(mode_test, z_hat)`.")
        raise AnswerError(f"K = {K}: your index {got:.3f} differs from the contingency-table formula "
                          f"({reference:.3f}); use the test points and `mixtures[K].predict(X_test)`.")
    return "adjusted Rand indices match the contingency-table formula: " + ", ".join(lines) + "."
