"""Checks for the exercises of chapter 2 (the mathematics of logistic regression)."""

from __future__ import annotations

import numpy as np
import torch

from ._feedback import AnswerError, answer_array, answer_function, answer_number, exercise_check

__all__ = ["check_hessian", "check_softmax_as_sigmoid"]


def _autograd_hessian(theta, X, y, alpha):
    """The Hessian of the penalised mean log-loss by torch autograd (the independent reference)."""
    Xt = torch.as_tensor(X, dtype=torch.float64)
    yt = torch.as_tensor(y, dtype=torch.float64)

    def loss(params):
        scores = Xt @ params[:-1] + params[-1]
        data_term = torch.nn.functional.binary_cross_entropy_with_logits(scores, yt)
        return data_term + alpha / 2 * (params[:-1] ** 2).sum()

    return torch.autograd.functional.hessian(loss, torch.as_tensor(theta, dtype=torch.float64)).numpy()


def _variants(theta, X, y, alpha):
    """Hessians of the typical slips, to recognise them in an answer."""
    X_tilde = np.c_[X, np.ones(len(X))]
    p = 1 / (1 + np.exp(-(X_tilde @ theta)))
    d = X.shape[1]
    weights_only = np.diag(np.r_[np.ones(d), 0.0])
    data = (X_tilde.T * (p * (1 - p))) @ X_tilde
    return {
        "did you forget to divide by n (the loss is a *mean* over the examples)?":
            data + alpha * weights_only,
        "did you forget the penalty alpha on the diagonal of the weight entries?": data / len(X),
        "the penalty alpha belongs to the weights only: the intercept b is not penalised.":
            data / len(X) + alpha * np.eye(d + 1),
        "the derivative of p is p (1 - p), not p: did you weight the rows by p_i alone?":
            (X_tilde.T * p) @ X_tilde / len(X) + alpha * weights_only,
        "the penalty alpha / 2 ||w||^2 contributes alpha, not alpha / 2, to the diagonal.":
            data / len(X) + alpha / 2 * weights_only,
    }


@exercise_check
def check_hessian(hessian, X, y, alpha):
    """Check a Hessian function of the penalised log-loss against torch autograd.

    Parameters
    ----------
    hessian : callable
        ``hessian(theta) -> (d + 1, d + 1) array`` with ``theta = (w_1, ..., w_d, b)``.
    X : array of shape (n, d)
        Inputs (the chapter's 2-D data).
    y : array of shape (n,)
        0/1 labels.
    alpha : float
        The L2 strength the Hessian should include.

    Returns
    -------
    CheckResult
    """
    hessian = answer_function("hessian", hessian)
    X = answer_array("X", X, ndim=2)
    y = answer_array("y", y, shape=(X.shape[0],))
    alpha = answer_number("alpha", alpha)
    rng = np.random.default_rng(0)
    d = X.shape[1]
    for trial in range(5):
        theta = rng.normal(size=d + 1)
        got = answer_array("hessian(theta)", hessian(theta))
        if got.shape != (d + 1, d + 1):
            if got.shape == (d, d):
                raise AnswerError("your Hessian is d x d: did you forget the intercept column of "
                                  "ones in X_tilde (the bias row and column)?")
            raise AnswerError(f"hessian(theta) should be a ({d + 1}, {d + 1}) matrix, got {got.shape}.")
        reference = _autograd_hessian(theta, X, y, alpha)
        if np.allclose(got, reference, rtol=1e-6, atol=1e-9):
            continue
        for hint, variant in _variants(theta, X, y, alpha).items():
            if np.allclose(got, variant, rtol=1e-6, atol=1e-9):
                raise AnswerError(f"your Hessian differs from autograd's: {hint}")
        if not np.allclose(got, got.T, atol=1e-9):
            raise AnswerError("your Hessian is not symmetric; H = X_tilde^T S X_tilde / n + ... is.")
        worst = np.unravel_index(np.argmax(np.abs(got - reference)), got.shape)
        part = "bias" if d in worst else "weight"
        raise AnswerError(f"your Hessian differs from autograd's at random theta number {trial + 1}, "
                          f"most in a {part} entry {worst}: {got[worst]:.4g} vs {reference[worst]:.4g}.")
    return "your Hessian matches torch autograd's on 5 random parameter vectors."


@exercise_check
def check_softmax_as_sigmoid(to_sigmoid):
    """Check a map from two-class softmax parameters to the equivalent sigmoid parameters.

    Parameters
    ----------
    to_sigmoid : callable
        ``to_sigmoid(W, b) -> (w, b0)`` for ``W`` of shape (d, 2) (one column per class) and
        ``b`` of shape (2,).

    Returns
    -------
    CheckResult
    """
    to_sigmoid = answer_function("to_sigmoid", to_sigmoid)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    for _ in range(5):
        W, b = rng.normal(size=(3, 2)), rng.normal(size=2)
        result = to_sigmoid(W, b)
        if not isinstance(result, tuple) or len(result) != 2:
            raise AnswerError("`to_sigmoid(W, b)` should return a pair (w, b0).")
        w = answer_array("w (returned by to_sigmoid)", result[0], shape=(3,))
        b0 = answer_number("b0 (returned by to_sigmoid)", result[1])
        # reference: class-1 probability of the softmax, by torch
        p_softmax = torch.softmax(torch.as_tensor(X @ W + b), dim=1)[:, 1].numpy()
        p_sigmoid = 1 / (1 + np.exp(-(X @ w + b0)))
        if np.allclose(p_softmax, p_sigmoid, atol=1e-10):
            continue
        if np.allclose(p_softmax, 1 - p_sigmoid, atol=1e-10):
            raise AnswerError("you get P(y = 0 | x): the sigmoid model needs w_1 - w_0 and b_1 - b_0, "
                              "not w_0 - w_1.")
        if np.allclose(w, W[:, 1] - W[:, 0]):
            raise AnswerError("the weights are right but the intercept is not: it is b_1 - b_0.")
        raise AnswerError("the sigmoid with your (w, b0) does not give the softmax's P(y = 1 | x); "
                          "divide numerator and denominator by exp(z_1).")
    return "sigmoid(x w + b0) equals the two-class softmax's P(y = 1 | x) on 5 random models."
