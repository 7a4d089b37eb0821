"""Gaussian naive Bayes: a generative classifier that classifies *and* samples.

:class:`GaussianNaiveBayes` learns a class prior and, for every class, one independent Gaussian
per feature. Classification goes through Bayes' rule in log space; :meth:`GaussianNaiveBayes.sample`
draws new feature vectors from the same learned distributions, which is what makes the model
generative. Every computation is vectorised over samples, classes and features (no Python loop
over data points), and the fitted attributes match :class:`sklearn.naive_bayes.GaussianNB`.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.special import log_softmax, logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import ThreadpoolController

from dglab._validation import (
    check_classes,
    check_finite_result,
    check_random_state,
    check_real,
    validate_estimator_data,
)
from dglab.sampling import draw_class_index

__all__ = [
    "GaussianNaiveBayes", "weighted_class_statistics", "gaussian_joint_log_likelihood",
    "weighted_class_statistics_fast", "gaussian_joint_log_likelihood_fast",
]

# Rows per block when scoring: the (rows, classes, features) temporary then stays a few MB,
# small enough to live in cache, whatever the size of X.
_BLOCK_ELEMENTS = 1 << 16


class GaussianNaiveBayes(ClassifierMixin, BaseEstimator):
    """Gaussian naive Bayes classifier that can also generate new samples.

    Each class ``c`` has a prior probability and, for every feature ``j``, a Gaussian with mean
    ``theta_[c, j]`` and variance ``var_[c, j]``; features are independent given the class.

    Parameters
    ----------
    var_smoothing : float, default=1e-9
        Fraction of the largest feature variance (over all training data) added to every
        per-class variance, stored as ``epsilon_``. It keeps the Gaussians proper when a
        feature is constant within a class, e.g. a class with a single training sample,
        whose variances are all 0 before smoothing. With ``var_smoothing=0`` such data is
        rejected in :meth:`fit`.
    priors : array-like of shape (n_classes,), default=None
        Class prior probabilities, in the order of ``classes_`` (sorted labels). Must be
        non-negative and sum to 1. By default the class frequencies in the training data.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels, sorted.
    class_count_ : ndarray of shape (n_classes,)
        Number of training samples in each class.
    class_prior_ : ndarray of shape (n_classes,)
        Prior probability of each class.
    theta_ : ndarray of shape (n_classes, n_features)
        Mean of each feature within each class.
    var_ : ndarray of shape (n_classes, n_features)
        Variance of each feature within each class, plus ``epsilon_``.
    epsilon_ : float
        The absolute amount added to the variances: ``var_smoothing`` times the largest
        variance of any feature over the whole training set.
    n_features_in_ : int
        Number of features seen during :meth:`fit`.

    Notes
    -----
    A class seen only once in training, or a feature that is constant within a class, has a
    variance of exactly ``epsilon_``: its Gaussian is very narrow but finite, so predictions,
    probabilities and samples stay finite. ``epsilon_`` is 0 when ``var_smoothing=0`` or when
    every feature is constant over the whole training set; :meth:`fit` then rejects the data
    instead of dividing by zero.

    Examples
    --------
    >>> import numpy as np
    >>> from dglab.naive_bayes import GaussianNaiveBayes
    >>> X = np.array([[0.0, 1.0], [0.2, 0.8], [3.0, 3.1], [3.2, 2.9]])
    >>> model = GaussianNaiveBayes().fit(X, [0, 0, 1, 1])
    >>> model.predict([[0.1, 0.9], [3.1, 3.0]])
    array([0, 1])
    >>> X_new, y_new = model.sample(3, y=1, random_state=0)
    >>> X_new.shape, y_new
    ((3, 2), array([1, 1, 1]))
    """

    def __init__(self, var_smoothing=1e-9, priors=None):
        self.var_smoothing = var_smoothing
        self.priors = priors

    # -- fitting -----------------------------------------------------------------------------
    def fit(self, X, y):
        """Learn the class priors and the per-class feature means and variances.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training vectors; NaN and infinity are rejected.
        y : array-like of shape (n_samples,)
            Class labels; at least two distinct classes.

        Returns
        -------
        self : GaussianNaiveBayes
        """
        smoothing = self._checked_var_smoothing()
        X, y = validate_estimator_data(self, X, y, dtype=np.float64, y_numeric=False)
        self.classes_, y_index = check_classes(self, y)
        n_classes = len(self.classes_)

        with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported just below
            total_var = self._fit_statistics(X, y_index, n_classes, smoothing)
        check_finite_result(
            "the fitted means and variances", np.concatenate([self.theta_, self.var_]),
            cause="X has values so large that their squares overflow float64; rescale X "
                  "(e.g. sklearn.preprocessing.StandardScaler) before fitting")
        if np.any(self.var_ <= 0):
            c, j = np.argwhere(self.var_ <= 0)[0]
            raise ValueError(
                f"feature {j} is constant within class {self.classes_.tolist()[c]!r} and the smoothing "
                f"epsilon is 0 (var_smoothing={smoothing!r}, largest feature variance "
                f"{total_var.max():g}), so its Gaussian would have zero variance; "
                "use var_smoothing > 0 and data with at least one non-constant feature"
            )

        if self.priors is None:
            self.class_prior_ = self.class_count_ / self.class_count_.sum()
        else:
            self.class_prior_ = self._checked_priors(n_classes)
        return self

    def _fit_statistics(self, X, y_index, n_classes: int, smoothing: float) -> np.ndarray:
        """The fast path of :func:`weighted_class_statistics` for hard labels: sets
        ``class_count_``, ``theta_``, ``epsilon_`` and ``var_``; returns each feature's variance."""
        n_samples = X.shape[0]
        # A sparse one-hot membership matrix (classes x samples) turns the per-class sums into
        # one pass over X each, with no loop over classes or samples.
        membership = sparse.csr_matrix(
            (np.ones(n_samples), (y_index, np.arange(n_samples))), shape=(n_classes, n_samples)
        )
        self.class_count_ = np.bincount(y_index, minlength=n_classes).astype(np.float64)
        self.theta_ = (membership @ X) / self.class_count_[:, None]
        # Two passes (centre, then square) as np.var does: the one-pass E[x^2] - E[x]^2
        # loses all precision for features whose mean is large compared with their spread.
        squared = X - self.theta_[y_index]
        np.square(squared, out=squared)
        within = (membership @ squared) / self.class_count_[:, None]
        # Variance of each feature over all the data, from the class statistics (law of total
        # variance; every term is non-negative, so nothing cancels): saves another pass over X.
        weight = self.class_count_[:, None] / n_samples
        overall_mean = np.sum(weight * self.theta_, axis=0)
        total_var = np.sum(weight * (within + np.square(self.theta_ - overall_mean)), axis=0)
        self.epsilon_ = float(smoothing * total_var.max())
        self.var_ = within + self.epsilon_
        return total_var

    def _checked_var_smoothing(self) -> float:
        return check_real("var_smoothing", self.var_smoothing, minimum=0)

    def _checked_priors(self, n_classes: int) -> np.ndarray:
        try:
            priors = np.asarray(self.priors, dtype=np.float64)
        except (TypeError, ValueError) as err:
            raise ValueError(f"priors must be an array of numbers, got {self.priors!r}") from err
        if priors.ndim != 1 or priors.shape[0] != n_classes:
            raise ValueError(
                f"priors must have one entry per class ({n_classes} classes: "
                f"{list(self.classes_)}), got shape {priors.shape}"
            )
        if not np.all(np.isfinite(priors)):
            raise ValueError(f"priors must be finite, got {priors.tolist()}")
        if np.any(priors < 0):
            raise ValueError(f"priors must be non-negative, got {priors.tolist()}")
        if not np.isclose(priors.sum(), 1.0):
            raise ValueError(f"priors must sum to 1, got {priors.tolist()} (sum {priors.sum():.6g})")
        return priors

    # -- classifying -------------------------------------------------------------------------
    def _joint_log_likelihood(self, X) -> np.ndarray:
        """log P(x, y=c) for every row of X and every class: shape (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_estimator_data(self, X, dtype=np.float64, reset=False)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            return self._blocked_joint_log_likelihood(X)  # overflow is reported there

    def _blocked_joint_log_likelihood(self, X) -> np.ndarray:
        # a prior of exactly 0 gives log 0 = -inf, on purpose
        log_prior = np.log(self.class_prior_)
        log_normaliser = -0.5 * np.sum(np.log(2.0 * np.pi * self.var_), axis=1)
        n_samples = X.shape[0]
        jll = np.empty((n_samples, len(self.classes_)))
        block = max(1, _BLOCK_ELEMENTS // self.var_.size)
        buffer = np.empty((min(block, n_samples), *self.var_.shape))  # (rows, classes, features)
        for start in range(0, n_samples, block):  # blocks of rows bound memory, not a data loop
            rows = X[start:start + block, None, :]
            squared = buffer[: rows.shape[0]]
            np.subtract(rows, self.theta_, out=squared)
            np.square(squared, out=squared)
            squared /= self.var_
            squared.sum(axis=2, out=jll[start:start + block])
        jll *= -0.5
        jll += log_prior + log_normaliser
        if np.isnan(jll).any() or np.isneginf(jll).all(axis=1).any():
            raise ValueError("X has values so large that their distance to the class means overflows "
                             "float64; rescale X as the training data was")
        return jll

    def predict_log_proba(self, X) -> np.ndarray:
        """Log of the posterior class probabilities log P(y=c | x), shape (n_samples, n_classes)."""
        # log_softmax(a) = a - logsumexp(a), with the maximum subtracted first: stable even
        # when every joint likelihood underflows to 0 outside log space.
        return log_softmax(self._joint_log_likelihood(X), axis=1)

    def predict_proba(self, X) -> np.ndarray:
        """Posterior class probabilities P(y=c | x), shape (n_samples, n_classes)."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row of X."""
        jll = self._joint_log_likelihood(X)
        return self.classes_[np.argmax(jll, axis=1)]

    def score_samples(self, X) -> np.ndarray:
        """Log-density of each row of X under the learned model, log p(x), shape (n_samples,).

        A generative classifier knows how likely an input is at all: rows unlike the training
        data get a low score whatever class they would be assigned to.
        """
        return logsumexp(self._joint_log_likelihood(X), axis=1)

    # -- generating --------------------------------------------------------------------------
    def sample(self, n_samples, y=None, random_state=None):
        """Draw new feature vectors from the learned class-conditional Gaussians.

        Parameters
        ----------
        n_samples : int
            Number of vectors to draw (at least 1).
        y : None, a class label, or array-like of shape (n_samples,), default=None
            Which class each vector comes from. ``None`` draws the classes from
            ``class_prior_`` (so the pairs follow the learned joint distribution); a single
            label draws every vector from that class.
        random_state : int, numpy Generator/RandomState or None, default=None
            Seed or generator, for reproducible samples.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            The generated feature vectors.
        y : ndarray of shape (n_samples,)
            Their classes.
        """
        check_is_fitted(self)
        rng = check_random_state(random_state)
        n_samples, index = draw_class_index(self.classes_, self.class_prior_, n_samples, y, rng)
        noise = rng.standard_normal((n_samples, self.theta_.shape[1]))
        X_new = self.theta_[index] + np.sqrt(self.var_[index]) * noise
        return X_new, self.classes_[index]


def weighted_class_statistics(X, W):
    """Class weights, means and variances of Gaussian naive Bayes, written to be read.

    ``W[i, c]`` is how much row ``i`` belongs to class ``c``: one-hot rows for labelled data
    (then this is exactly what :meth:`GaussianNaiveBayes.fit` computes, with a faster sparse
    path), posterior probabilities in the E-step of EM (:mod:`dglab.hybrid`).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    W : ndarray of shape (n_samples, n_classes), non-negative

    Returns
    -------
    count : ndarray of shape (n_classes,)
        Total weight of each class (``n_c`` for one-hot rows).
    mean : ndarray of shape (n_classes, n_features)
    var : ndarray of shape (n_classes, n_features)
        Weighted variances (divided by the class weight, as maximum likelihood does), before
        any smoothing.
    """
    count = W.sum(axis=0)
    mean = (W.T @ X) / count[:, None]
    var = np.stack([W[:, c] @ np.square(X - mean[c]) for c in range(W.shape[1])]) / count[:, None]
    return count, mean, var


def gaussian_joint_log_likelihood(X, class_prior, mean, var):
    """log P(x, y=c) of every row and class, written to be read: shape (n_samples, n_classes).

    The same numbers as :meth:`GaussianNaiveBayes._joint_log_likelihood`, which computes them in
    cache-sized blocks of rows to bound memory.
    """
    log_gaussian = -0.5 * (np.log(2 * np.pi * var) + np.square(X[:, None, :] - mean) / var)
    with np.errstate(divide="ignore"):  # a prior of exactly 0 gives log 0 = -inf, on purpose
        return np.log(class_prior) + log_gaussian.sum(axis=2)


# --- the same computations through matrix products, for the many refits of EM -------------------
# Expanding the squares turns the per-class passes of the two functions above into a few matrix
# products, sum_j (x_j - m_j)^2 / v_j = x^2 . (1/v) - 2 x . (m/v) + sum_j m_j^2 / v_j and
# var = E_w[x^2] - mean^2: several times faster on a few thousand rows, but the expansion cancels
# where a mean is large compared with its spread (a feature nearly constant, at a value other
# than 0, within a class). The rounding error of a (class, feature) term is a few units of
# rounding of (|x| + |m|)^2 / v, at most 2 (x - m)^2 / v + 8 m^2 / v, and that of a variance
# about n units of rounding of var + mean^2; so every pair whose ratio m^2 / v exceeds
# _CANCELLATION_RATIO is computed by differences, as the readable functions do. The results
# then agree with them within 1e-12 of the larger of a joint log-likelihood and the number of
# features, and 1e-11 relative for a variance (measured: 1e-14 and 1e-13 on wine, breast
# cancer, digits and near-constant features; tests/test_naive_bayes_fast.py).
_CANCELLATION_RATIO = 100.0
_blas = None


def _one_blas_thread():
    """Limit BLAS to one thread (a context manager). The products here are small: a second
    OpenBLAS thread costs more than it saves, and on a shared machine made EM on digits 2 to 3
    times slower. The controller is built once (1.5 ms); each limit then costs about 13 us."""
    global _blas
    if _blas is None:
        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")


def weighted_class_statistics_fast(X, W):
    """:func:`weighted_class_statistics` through matrix products, for the refits of EM.

    Same arguments and results (the class weights bit for bit, the means within 1e-13 and the
    variances within 1e-11 relative): the variances come from ``E_w[x^2] - mean^2``, except
    where the squared mean is over ``_CANCELLATION_RATIO`` times the variance; those are
    computed by differences.
    """
    count = W.sum(axis=0)
    with _one_blas_thread():
        mean = (W.T @ X) / count[:, None]
        var = (W.T @ np.square(X)) / count[:, None]
    mean_squared = np.square(mean)
    var -= mean_squared
    c, j = np.nonzero(~(mean_squared <= _CANCELLATION_RATIO * var))  # also var <= 0 and NaN
    if c.size:  # these (class, feature) pairs by differences, all at once
        squared = np.square(X[:, j] - mean[c, j])
        var[c, j] = np.einsum("ip,ip->p", W[:, c], squared) / count[c]
    return count, mean, var


def gaussian_joint_log_likelihood_fast(X, class_prior, mean, var):
    """:func:`gaussian_joint_log_likelihood` through matrix products, for the E-steps of EM.

    Same arguments and result, within 1e-12 of the larger of each value and the number of
    features. Rows whose expansion overflows are computed by differences.
    """
    inverse = 1.0 / var
    scaled_mean = mean * inverse
    offset = mean * scaled_mean  # m^2 / v
    exact = ~(offset <= _CANCELLATION_RATIO)
    inverse[exact] = scaled_mean[exact] = offset[exact] = 0.0
    with np.errstate(over="ignore", invalid="ignore"), _one_blas_thread():
        distance = np.square(X) @ inverse.T - 2.0 * (X @ scaled_mean.T) + offset.sum(axis=1)
        c, j = np.nonzero(exact)  # these (class, feature) pairs by differences, all at once
        if c.size:
            terms = np.square(X[:, j] - mean[c, j]) / var[c, j]
            classes, first = np.unique(c, return_index=True)  # c is sorted: one run per class
            distance[:, classes] += np.add.reduceat(terms, first, axis=1)
        overflowed = ~np.isfinite(distance).all(axis=1)
        if overflowed.any():
            distance[overflowed] = (np.square(X[overflowed, None, :] - mean) / var).sum(axis=2)
    with np.errstate(divide="ignore"):  # a prior of exactly 0 gives log 0 = -inf, on purpose
        log_prior = np.log(class_prior)
    return log_prior - 0.5 * (np.sum(np.log(2.0 * np.pi * var), axis=1) + distance)
