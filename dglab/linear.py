"""Logistic regression from scratch: a stable sigmoid, the loss with its gradient, and an estimator.

Chapter 2 derives the mean cross-entropy and its gradient and checks :func:`log_loss_and_gradient`
against automatic differentiation; chapter 3 trains :class:`LogisticRegressionGD` with plain
full-batch gradient descent and compares it with scikit-learn. The derivations live in the
chapters; the docstrings here say what the code computes and which conventions it follows.

Examples
--------
>>> import numpy as np
>>> from dglab.linear import LogisticRegressionGD, sigmoid
>>> sigmoid(np.array([-1e4, 0.0, 1e4]))
array([0. , 0.5, 1. ])
>>> X = np.array([[-2.0], [-1.0], [-0.5], [0.5], [1.0], [2.0]])
>>> y = np.array([0, 0, 1, 0, 1, 1])
>>> clf = LogisticRegressionGD(learning_rate=0.5).fit(X, y)
>>> clf.predict([[-3.0], [3.0]])
array([0, 1])
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted

from dglab._validation import check_classes, check_int, check_real, validate_estimator_data

__all__ = ["sigmoid", "log_loss_and_gradient", "log_loss_surface", "LogisticRegressionGD"]

#: Training stops as diverged when the loss rises on this many consecutive steps.
DIVERGENCE_PATIENCE = 5


def sigmoid(z):
    """The logistic function ``1 / (1 + exp(-z))``, computed without overflow.

    Only ``exp(-|z|)`` is ever evaluated, which lies in ``(0, 1]``, so large ``|z|`` (up to the
    float range) gives exactly 0 or 1 and no overflow warning.

    Parameters
    ----------
    z : float or array-like
        Scores (log-odds).

    Returns
    -------
    float or ndarray
        ``sigmoid(z)`` with the shape of ``z`` (a float for a scalar input).

    Examples
    --------
    >>> from dglab.linear import sigmoid
    >>> float(sigmoid(0.0)), float(sigmoid(-1e4)), float(sigmoid(1e4))
    (0.5, 0.0, 1.0)
    """
    try:
        z = np.asarray(z, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"z must hold numbers (scores), got {type(z).__name__}: {err}") from err
    if np.isnan(z).any():  # +-inf are fine (probability 1 or 0); NaN has no probability
        raise ValueError("z contains NaN; a score must be a number (infinity is allowed)")
    with np.errstate(under="ignore"):  # exp(-|z|) -> 0 for large |z| is the intended limit
        e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    out = np.where(z >= 0, 1.0, e) / (1.0 + e)
    return out[()] if out.ndim == 0 else out


def log_loss_and_gradient(w, b, X, Y, alpha=0.0):
    """Mean cross-entropy of a linear model (plus an L2 penalty) and its gradient.

    The objective is ``mean_i loss_i + alpha / 2 * ||w||^2``; the intercept ``b`` is not
    penalised. With ``n`` samples, ``alpha = 1 / (C * n)`` gives the objective of
    ``sklearn.linear_model.LogisticRegression(C=C)`` divided by ``C * n`` (same minimiser).

    Parameters
    ----------
    w : ndarray of shape (n_features,) or (n_features, n_classes)
        Weights: a vector for the binary model (sigmoid), a matrix for the multinomial one
        (softmax).
    b : float or ndarray of shape (n_classes,)
        Intercept(s).
    X : ndarray of shape (n_samples, n_features)
        Inputs.
    Y : ndarray of shape (n_samples,) or (n_samples, n_classes)
        Targets: 0/1 labels for the binary model, one-hot rows for the multinomial one.
    alpha : float, default=0.0
        Strength of the L2 penalty on ``w``.

    Returns
    -------
    loss : float
    grad_w : ndarray shaped like ``w``
    grad_b : float or ndarray shaped like ``b``
    """
    w, X, Y = (np.asarray(a, dtype=np.float64) for a in (w, X, Y))  # no copy for float arrays
    n_samples = X.shape[0]
    if X.ndim != 2 or w.shape[0] != X.shape[1] or Y.shape[0] != n_samples or w.shape[1:] != Y.shape[1:]:
        raise ValueError(
            f"shapes do not fit together: w {w.shape}, X {X.shape}, Y {Y.shape}; expected "
            "w (d,), Y (n,) for the binary model or w (d, K), Y (n, K) for the multinomial one"
        )
    Z = X @ w + b  # the one product with X in the forward pass
    if w.ndim == 1:
        # log(1 + e^z) - y z, with log(1 + e^z) = max(z, 0) + log(1 + e^-|z|): no overflow.
        e = np.exp(-np.abs(Z))
        log1p_exp = np.maximum(Z, 0.0) + np.log1p(e)
        losses = log1p_exp - Y * Z
        P = np.where(Z >= 0, 1.0, e) / (1.0 + e)  # sigmoid(Z), reusing e
    else:
        log_P = log_softmax(Z, axis=1)  # Z - logsumexp(Z), computed stably
        losses = -np.sum(Y * log_P, axis=1)
        P = np.exp(log_P)  # softmax(Z)
    residual = (P - Y) / n_samples  # d loss / d Z
    grad_w = X.T @ residual + alpha * w  # the one product with X in the backward pass
    grad_b = residual.sum(axis=0)
    loss = losses.mean() + 0.5 * alpha * np.sum(w * w)
    return float(loss), grad_w, grad_b


def log_loss_surface(x, y, w_values, b_values):
    """Mean cross-entropy of the one-feature model ``sigmoid(w x + b)`` on a grid of ``(w, b)``.

    One feature and an intercept are exactly two parameters, so this grid is the whole loss
    landscape that gradient descent walks on (chapter 3 draws its path over the contours).

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, 1)
        The one feature.
    y : array-like of shape (n_samples,)
        0/1 labels.
    w_values, b_values : array-like of shape (n_w,), (n_b,)
        Grid of weights and intercepts.

    Returns
    -------
    ndarray of shape (n_b, n_w)
        ``losses[i, j]`` is the mean cross-entropy at ``w = w_values[j], b = b_values[i]``
        (rows are intercepts, as ``matplotlib.contour`` expects for ``(w_values, b_values)``).
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    y = np.asarray(y, dtype=np.float64)
    w_values, b_values = (np.asarray(v, dtype=np.float64) for v in (w_values, b_values))
    if x.ndim != 1 or y.shape != x.shape or w_values.ndim != 1 or b_values.ndim != 1:
        raise ValueError(f"expected one feature x (n,), labels y (n,) and 1-D grids; got x {x.shape}, "
                         f"y {y.shape}, w_values {w_values.shape}, b_values {b_values.shape}")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y must hold 0/1 labels")
    for name, a in (("x", x), ("w_values", w_values), ("b_values", b_values)):
        if not np.isfinite(a).all():
            raise ValueError(f"{name} contains NaN or infinity")
    z = b_values[:, None, None] + w_values[None, :, None] * x  # (n_b, n_w, n)
    # log(1 + e^z) - y z, computed without overflow (as in log_loss_and_gradient)
    return (np.logaddexp(0.0, z) - y * z).mean(axis=2)


def _divergence(history):
    """Why a loss history shows a diverging run, or ``None`` (see LogisticRegressionGD)."""
    step = len(history) - 1
    if history[-1] > history[0]:
        return (f"the loss rose above its starting value {history[0]:.4g} "
                f"to {history[-1]:.4g} at step {step}")
    recent = history[-DIVERGENCE_PATIENCE - 1:]
    if len(recent) > DIVERGENCE_PATIENCE and all(a < b for a, b in zip(recent[:-1], recent[1:], strict=True)):
        return (f"the loss rose on {DIVERGENCE_PATIENCE} consecutive steps, "
                f"to {history[-1]:.4g} at step {step}")
    return None


class LogisticRegressionGD(ClassifierMixin, BaseEstimator):
    """Logistic regression trained by full-batch gradient descent.

    Minimises the mean cross-entropy plus ``alpha / 2 * ||W||^2`` (the intercept is not
    penalised), starting from zero weights. Two classes use the sigmoid model with one weight
    vector; three or more use the softmax (multinomial) model with one weight vector per class.

    Training stops when the largest absolute component of the gradient (weights and intercept)
    is at most ``tol``: a first-order optimality test, unlike a small change of the loss, which
    also happens when the steps are merely too short. Reaching ``max_iter`` first warns with a
    :class:`~sklearn.exceptions.ConvergenceWarning`, as scikit-learn does.

    A learning rate that is too large is caught after every step. The run counts as diverged
    when the loss (or its gradient) is no longer finite, when the loss rises above its starting
    value (gradient descent with a small enough step never does), or when it has risen on
    ``DIVERGENCE_PATIENCE`` (5) consecutive steps. Training then stops with a
    ``ConvergenceWarning`` that names the learning rate; the model keeps the last parameters
    whose loss is finite, and ``loss_history_`` ends with their loss.

    Parameters
    ----------
    learning_rate : float, default=0.1
        Step size of gradient descent (> 0).
    max_iter : int, default=1000
        Maximum number of gradient steps (>= 1).
    tol : float, default=1e-6
        Stop when ``max |gradient| <= tol`` (>= 0).
    alpha : float, default=0.0
        L2 penalty on the weights of the mean loss (>= 0). ``alpha = 1 / (C * n_samples)``
        matches scikit-learn's ``LogisticRegression(C=C)``.
    fit_intercept : bool, default=True
        Learn an intercept (bias) ``b``; otherwise ``b = 0``.
    record_path : bool, default=False
        Keep the parameters after every step in ``coef_path_`` and ``intercept_path_`` (for
        drawing the path of gradient descent; memory grows with ``max_iter``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Weights, shaped as in scikit-learn (one row for two classes).
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts.
    n_iter_ : int
        Number of gradient steps taken.
    loss_history_ : ndarray of shape (n_iter_ + 1,)
        The objective at the start and after every step that was kept.
    coef_path_ : ndarray of shape (n_iter_ + 1, *coef_.shape)
        With ``record_path=True``: the weights at the start (zeros) and after every kept step;
        the last entry equals ``coef_``.
    intercept_path_ : ndarray of shape (n_iter_ + 1, *intercept_.shape)
        With ``record_path=True``: the intercepts along the same path.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from dglab.linear import LogisticRegressionGD
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> clf = LogisticRegressionGD(learning_rate=1.0, alpha=0.01).fit(X, y)
    >>> print(f"{clf.score(X, y):.2f}, {clf.n_iter_} steps")
    0.96, 842 steps
    """

    def __init__(self, learning_rate=0.1, max_iter=1000, tol=1e-6, alpha=0.0, fit_intercept=True,
                 record_path=False):
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.record_path = record_path

    def fit(self, X, y):
        """Fit the model to ``X`` and labels ``y`` by gradient descent; returns ``self``."""
        self._check_hyperparameters()
        # Column-major: OpenBLAS then runs both products of a step, X @ w and X.T @ r, as
        # multithreaded matrix-vector products (for a row-major X it runs X.T @ r on one
        # thread, about 3x slower than X @ w on two cores).
        X, y = validate_estimator_data(self, X, y, dtype=np.float64, order="F")
        self.classes_, y_index = check_classes(self, y)
        n_classes = len(self.classes_)
        if n_classes == 2:  # sigmoid model: one weight vector, 0/1 targets
            Y = y_index.astype(np.float64)
            w, b = np.zeros(X.shape[1]), 0.0
        else:  # softmax model: one weight vector per class, one-hot targets
            Y = np.eye(n_classes)[y_index]
            w, b = np.zeros((X.shape[1], n_classes)), np.zeros(n_classes)

        lr = self.learning_rate
        loss, grad_w, grad_b = log_loss_and_gradient(w, b, X, Y, self.alpha)
        history, diverged = [loss], None
        path = [(w, b)] if self.record_path else None  # each step makes new arrays: no copies needed
        # Overflow can only come from a diverging run, which the finiteness test below catches.
        with np.errstate(over="ignore", invalid="ignore"):
            while len(history) <= self.max_iter and self._gradient_size(grad_w, grad_b) > self.tol:
                new_w = w - lr * grad_w
                new_b = b - lr * grad_b if self.fit_intercept else b
                new_loss, new_grad_w, new_grad_b = log_loss_and_gradient(new_w, new_b, X, Y, self.alpha)
                if not (np.isfinite(new_loss) and np.isfinite(new_grad_w).all()
                        and np.isfinite(new_grad_b).all()):
                    diverged = f"the loss became {new_loss} at step {len(history)}"
                    break  # keep w and b: the last parameters with a finite loss
                w, b, loss, grad_w, grad_b = new_w, new_b, new_loss, new_grad_w, new_grad_b
                history.append(loss)
                if path is not None:
                    path.append((w, b))
                diverged = _divergence(history)
                if diverged:
                    break

        self.n_iter_ = len(history) - 1
        self.loss_history_ = np.asarray(history)
        self.coef_ = np.reshape(w.T, (-1, X.shape[1])).copy()
        self.intercept_ = np.reshape(np.asarray(b, dtype=np.float64), (-1,)).copy()
        if path is not None:
            self.coef_path_ = np.stack([np.reshape(pw.T, self.coef_.shape) for pw, _ in path])
            self.intercept_path_ = np.stack([np.reshape(np.asarray(pb, dtype=np.float64), (-1,))
                                             for _, pb in path])
        else:  # a refit without recording must not keep an earlier fit's path
            for name in ("coef_path_", "intercept_path_"):
                self.__dict__.pop(name, None)
        if diverged:
            warnings.warn(
                f"Gradient descent diverged with learning_rate={lr:g}: {diverged}. Training "
                f"stopped after {self.n_iter_} steps, keeping the last parameters with a finite "
                "loss. Use a smaller learning_rate (and standardized features).",
                ConvergenceWarning, stacklevel=2,
            )
        elif self._gradient_size(grad_w, grad_b) > self.tol:
            warnings.warn(
                f"Gradient descent did not converge in max_iter={self.max_iter} steps with "
                f"learning_rate={lr:g}: the largest gradient component is "
                f"{self._gradient_size(grad_w, grad_b):.2e} > tol={self.tol:g}. Increase max_iter, "
                "tune learning_rate, or standardize the features.",
                ConvergenceWarning, stacklevel=2,
            )
        return self

    def _gradient_size(self, grad_w, grad_b):
        size = np.max(np.abs(grad_w), initial=0.0)
        return max(size, np.max(np.abs(grad_b))) if self.fit_intercept else size

    def _check_hyperparameters(self):
        check_real("learning_rate", self.learning_rate, minimum=0, min_inclusive=False)
        check_int("max_iter", self.max_iter, minimum=1)
        check_real("tol", self.tol, minimum=0)
        check_real("alpha", self.alpha, minimum=0)
        for name in ("fit_intercept", "record_path"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")

    def decision_function(self, X):
        """Scores ``X @ coef_.T + intercept_``: shape (n_samples,) for two classes, else
        (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_estimator_data(self, X, dtype=np.float64, reset=False)
        scores = X @ self.coef_.T + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes), columns in ``classes_`` order."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            # sigmoid(-s) rather than 1 - sigmoid(s): keeps precision for tiny probabilities
            return np.column_stack([sigmoid(-scores), sigmoid(scores)])
        return softmax(scores, axis=1)

    def predict(self, X):
        """The most probable class of each row of ``X``."""
        scores = self.decision_function(X)
        index = (scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_[index]
