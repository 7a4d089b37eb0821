"""Checks for the exercises of chapter 3 (logistic regression from scratch)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from ._feedback import AnswerError, answer_array, answer_function, answer_number, exercise_check

__all__ = ["check_curvature_bound", "check_alpha_from_C"]


def _largest_squared_singular_value(A):
    # the largest eigenvalue of A^T A is the square of A's largest singular value (independent of eigvalsh)
    return np.linalg.svd(A, compute_uv=False)[0] ** 2


@exercise_check
def check_curvature_bound(L, X_std, alpha):
    """Check the curvature bound ``L = lambda_max(X_tilde^T X_tilde / n) / 4 + alpha``.

    Parameters
    ----------
    L : float
        The learner's bound.
    X_std : array of shape (n, d)
        The standardized training inputs (without the column of ones).
    alpha : float
        The L2 strength.

    Returns
    -------
    CheckResult
    """
    L = answer_number("L", L)
    X = answer_array("X_std", X_std, ndim=2)
    alpha = answer_number("alpha", alpha)
    n = len(X)
    X_tilde = np.c_[X, np.ones(n)]
    top = _largest_squared_singular_value(X_tilde) / n
    reference = top / 4 + alpha
    if np.isclose(L, reference, rtol=1e-6):
        return f"L = {L:.4f} matches the largest singular value of X_tilde / sqrt(n), squared, / 4 + alpha."
    slips = {
        "did you forget the column of ones (the intercept) in X_tilde?":
            _largest_squared_singular_value(X) / n / 4 + alpha,
        "p (1 - p) is at most 1/4: did you forget to divide lambda_max by 4?": top + alpha,
        "did you forget to add alpha (the penalty adds alpha to the curvature)?": top / 4,
        "did you forget to divide X_tilde^T X_tilde by n?": top * n / 4 + alpha,
        "that is 2 / L, the largest safe step, not L itself.": 2 / reference,
        "that is 1 / L, a step size, not the curvature L.": 1 / reference,
    }
    for hint, value in slips.items():
        if np.isclose(L, value, rtol=1e-6):
            raise AnswerError(f"L = {L:.4f} is not the bound ({reference:.4f}): {hint}")
    raise AnswerError(f"L = {L:.4f} is not the bound; check each of: the column of ones, the 1/n, "
                      "the 1/4 and the + alpha.")


def _our_objective_coefficients(X, y, alpha):
    """Minimise mean log-loss + alpha / 2 ||w||^2 with SciPy (not the course's estimator)."""
    d = X.shape[1]

    def objective(theta):
        z = X @ theta[:d] + theta[d]
        p = expit(z)
        loss = np.mean(np.logaddexp(0, z) - y * z) + alpha / 2 * theta[:d] @ theta[:d]
        grad = np.r_[X.T @ (p - y) / len(y) + alpha * theta[:d], np.mean(p - y)]
        return loss, grad

    return minimize(objective, np.zeros(d + 1), jac=True, method="L-BFGS-B",
                    options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10_000}).x[:d]


@exercise_check
def check_alpha_from_C(alpha_from_C):
    """Check the map from scikit-learn's ``C`` to the chapter's ``alpha``.

    Parameters
    ----------
    alpha_from_C : callable
        ``alpha_from_C(C, n) -> alpha`` such that both objectives have the same minimiser.

    Returns
    -------
    CheckResult
    """
    alpha_from_C = answer_function("alpha_from_C", alpha_from_C)
    rng = np.random.default_rng(0)
    n, d = 80, 3
    X = rng.normal(size=(n, d))
    y = (X @ np.array([1.5, -1.0, 0.5]) + rng.logistic(size=n) > 0).astype(float)
    for C in (0.01, 1.0):
        alpha = answer_number(f"alpha_from_C({C}, {n})", alpha_from_C(C, n))
        if alpha <= 0:
            raise AnswerError(f"alpha_from_C({C}, {n}) = {alpha:g}: the penalty strength must be positive.")
        sk = LogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y).coef_.ravel()
        ours = _our_objective_coefficients(X, y, alpha)
        if np.allclose(ours, sk, rtol=1e-3, atol=1e-6):
            continue
        ratio = alpha * C * n
        if np.isclose(ratio, n):
            raise AnswerError(f"alpha = 1 / C is n = {n} times too strong: scikit-learn *sums* the "
                              "losses, the chapter *averages* them; divide by n as well.")
        if np.isclose(ratio, 2) or np.isclose(ratio, 0.5):
            raise AnswerError("off by a factor of 2: both objectives write the penalty with 1/2.")
        raise AnswerError(f"with C = {C} your alpha = {alpha:g} gives coefficients {np.round(ours, 3)}, "
                          f"scikit-learn {np.round(sk, 3)}.")
    return ("your alpha gives scikit-learn's coefficients (solved with SciPy) for C = 0.01 and C = 1.")
