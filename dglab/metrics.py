"""Distances between distributions, for judging what a generative model produces.

* :func:`frechet_distance` / :func:`frechet_distance_from_stats`: the Fréchet (2-Wasserstein)
  distance between the Gaussians fitted to two samples, computed as in the reference FID code
  of Heusel et al. (2017) with SciPy's :func:`scipy.linalg.sqrtm`.
* :class:`DigitFeatureExtractor` and :func:`digits_frechet_distance`: the same distance for 8x8
  digit images, measured in the feature space of a small classifier trained on the digits
  (the role the Inception network plays for FID on photographs, which is not available offline).
"""

from __future__ import annotations

import functools
import numbers
import warnings

import numpy as np
from scipy import linalg
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.utils.validation import check_array, check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

__all__ = [
    "frechet_distance",
    "frechet_distance_from_stats",
    "DigitFeatureExtractor",
    "default_digit_features",
    "digits_frechet_distance",
]

#: Relative residual ``||S @ S - A||_F / ||A||_F`` above which a matrix square root is not trusted.
_SQRTM_TOLERANCE = 1e-6


def _check_samples(name: str, X) -> np.ndarray:
    X = check_array(X, ensure_2d=False, ensure_all_finite=False, dtype=np.float64, input_name=name)
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_samples, n_features), got shape {X.shape}"
        )
    if X.shape[0] < 2:
        raise ValueError(
            f"{name} needs at least 2 samples to estimate a covariance, got {X.shape[0]}"
        )
    if X.shape[1] < 1:
        raise ValueError(f"{name} has no features")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return X


def _mean_and_cov(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return X.mean(axis=0), np.atleast_2d(np.cov(X, rowvar=False))


def _sqrtm_residual(root: np.ndarray, A: np.ndarray) -> float:
    scale = np.linalg.norm(A, "fro")
    return float(np.linalg.norm(root @ root - A, "fro") / scale) if scale > 0 else 0.0


def frechet_distance_from_stats(mu1, sigma1, mu2, sigma2, *, eps: float = 1e-6) -> float:
    """Fréchet distance between N(mu1, sigma1) and N(mu2, sigma2).

    The trace of the matrix square root of ``sigma1 @ sigma2`` is computed with
    :func:`scipy.linalg.sqrtm`. When that product is singular or nearly so (fewer samples than
    features, a constant feature), the square root can come out non-finite or inaccurate; then,
    as in the reference FID implementation, ``eps`` is added to the diagonal of both covariances
    and the root recomputed. "Inaccurate" means a relative residual
    ``||S @ S - A||_F / ||A||_F`` above 1e-6. Along a direction where a covariance is exactly
    singular the offset changes the result by the order of ``sqrt(eps)`` (1e-3 by default). Rounding can also leave a tiny imaginary part: it is
    dropped when the imaginary parts of the root's diagonal are all below 1e-3 (the reference
    tolerance), and a ``ValueError`` is raised otherwise.

    Parameters
    ----------
    mu1, mu2 : array-like of shape (n_features,)
        Means.
    sigma1, sigma2 : array-like of shape (n_features, n_features)
        Covariance matrices (symmetric positive semi-definite).
    eps : float
        Diagonal offset used only when the square root needs regularising.

    Returns
    -------
    float
        The distance (squared units of the features; 0 for identical statistics).

    Examples
    --------
    >>> import numpy as np
    >>> d = frechet_distance_from_stats(np.zeros(2), np.eye(2), np.ones(2), 4 * np.eye(2))
    >>> round(d, 6)  # |mu1 - mu2|^2 + sum (sqrt(1) - sqrt(4))^2 = 2 + 2
    4.0
    """
    mu1 = np.atleast_1d(np.asarray(mu1, dtype=np.float64))
    mu2 = np.atleast_1d(np.asarray(mu2, dtype=np.float64))
    sigma1 = np.atleast_2d(np.asarray(sigma1, dtype=np.float64))
    sigma2 = np.atleast_2d(np.asarray(sigma2, dtype=np.float64))
    d = mu1.shape[0]
    if mu1.ndim != 1 or mu2.shape != (d,):
        raise ValueError(f"mu1 and mu2 must be vectors of the same length, got {mu1.shape} and {mu2.shape}")
    if sigma1.shape != (d, d) or sigma2.shape != (d, d):
        raise ValueError(
            f"sigma1 and sigma2 must have shape ({d}, {d}) to match the means, "
            f"got {sigma1.shape} and {sigma2.shape}"
        )
    for name, value in [("mu1", mu1), ("mu2", mu2), ("sigma1", sigma1), ("sigma2", sigma2)]:
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} contains NaN or infinite values")
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real) or not eps > 0:
        raise ValueError(f"eps must be a positive number, got {eps!r}")

    product = sigma1 @ sigma2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # singular input: handled below
        covmean = linalg.sqrtm(product)
    if not np.all(np.isfinite(covmean)) or _sqrtm_residual(covmean, product) > _SQRTM_TOLERANCE:
        offset = eps * np.eye(d)
        product = (sigma1 + offset) @ (sigma2 + offset)
        covmean = linalg.sqrtm(product)
        if not np.all(np.isfinite(covmean)):
            raise ValueError(
                "the matrix square root of sigma1 @ sigma2 is not finite even with a diagonal "
                f"offset of {eps:g}; are the covariances positive semi-definite?"
            )
    if np.iscomplexobj(covmean):
        largest = float(np.max(np.abs(np.diagonal(covmean).imag)))
        if largest > 1e-3:
            raise ValueError(
                f"the matrix square root of sigma1 @ sigma2 has an imaginary component of "
                f"{largest:.3g} on its diagonal; the covariances are probably not positive "
                "semi-definite"
            )
        covmean = covmean.real

    diff = mu1 - mu2
    distance = diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)
    return max(float(distance), 0.0)  # rounding can leave -1e-12 for identical statistics


def frechet_distance(X1, X2, *, eps: float = 1e-6) -> float:
    """Fréchet distance between Gaussians fitted to two samples (rows are samples).

    Each sample is summarised by its mean and (unbiased) covariance, then
    :func:`frechet_distance_from_stats` compares the two Gaussians.

    Parameters
    ----------
    X1 : array-like of shape (n_samples_1, n_features)
    X2 : array-like of shape (n_samples_2, n_features)
        At least two rows each, the same number of columns, finite values.
    eps : float
        See :func:`frechet_distance_from_stats`.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(500, 3))
    >>> frechet_distance(X, X)
    0.0
    >>> round(frechet_distance(X, X + 1.0), 6)  # a shift by (1, 1, 1)
    3.0
    """
    X1 = _check_samples("X1", X1)
    X2 = _check_samples("X2", X2)
    if X1.shape[1] != X2.shape[1]:
        raise ValueError(
            f"X1 and X2 must have the same number of features, got {X1.shape[1]} and {X2.shape[1]}"
        )
    return frechet_distance_from_stats(*_mean_and_cov(X1), *_mean_and_cov(X2), eps=eps)


class DigitFeatureExtractor(TransformerMixin, BaseEstimator):
    """Features from the hidden layer of a small MLP classifier, for comparing image sets.

    ``fit(X, y)`` trains a one-hidden-layer :class:`sklearn.neural_network.MLPClassifier`
    (deterministic given ``random_state``); ``transform(X)`` returns the ReLU activations of
    its hidden layer, the representation the classifier uses to tell classes apart.

    Parameters
    ----------
    hidden : int
        Width of the hidden layer, i.e. the number of features.
    max_iter : int
        Training epochs of the classifier (Adam).
    alpha : float
        L2 penalty of the classifier.
    random_state : int or None
        Seed of the weight initialisation and of the mini-batch order.

    Attributes
    ----------
    classifier_ : MLPClassifier
        The fitted classifier (its ``score`` is the held-out accuracy check).
    n_iter_ : int
        Epochs the classifier trained for.
    n_features_in_ : int

    Examples
    --------
    >>> from dglab.data import load_digits_scaled
    >>> X, y = load_digits_scaled()
    >>> extractor = DigitFeatureExtractor(random_state=0).fit(X, y)
    >>> extractor.transform(X[:5]).shape
    (5, 64)
    """

    def __init__(self, hidden: int = 64, max_iter: int = 200, alpha: float = 1e-3, random_state=0):
        self.hidden = hidden
        self.max_iter = max_iter
        self.alpha = alpha
        self.random_state = random_state

    def fit(self, X, y):
        X, y = validate_data(self, X, y)
        self.classifier_ = MLPClassifier(
            hidden_layer_sizes=(self.hidden,), alpha=self.alpha, max_iter=self.max_iter,
            random_state=self.random_state,
        )
        # One BLAS thread: the matrices are small, so threads only add overhead (and on a busy
        # machine slow training down tenfold), and the features no longer depend on how many
        # cores the machine has. A capped number of epochs is the point, hence no warning.
        with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.classifier_.fit(X, y)
        self.n_iter_ = self.classifier_.n_iter_
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        hidden = X @ self.classifier_.coefs_[0] + self.classifier_.intercepts_[0]
        return np.maximum(hidden, 0.0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags


@functools.cache
def default_digit_features() -> DigitFeatureExtractor:
    """The feature extractor :func:`digits_frechet_distance` uses by default.

    Trained once per session (seed 0) on all 1,797 scikit-learn digits and cached, so every
    chapter measures in the same space. Its ``classifier_`` also labels generated digits.
    """
    from dglab.data import load_digits_scaled

    X, y = load_digits_scaled()
    return DigitFeatureExtractor(random_state=0).fit(X, y)


def digits_frechet_distance(X1, X2, *, extractor: DigitFeatureExtractor | None = None) -> float:
    """Fréchet distance between two sets of 8x8 digit images in a classifier's feature space.

    Parameters
    ----------
    X1, X2 : array-like of shape (n_images, 64)
        Flattened images with intensities in [0, 1] (as from
        :func:`dglab.data.load_digits_scaled`); at least two of each.
    extractor : DigitFeatureExtractor, optional
        A fitted extractor. By default one is trained once (seed 0) on all 1,797 scikit-learn
        digits and cached for the session, so every chapter measures in the same space.

    Returns
    -------
    float
    """
    X1 = _check_samples("X1", X1)
    X2 = _check_samples("X2", X2)
    for name, X in [("X1", X1), ("X2", X2)]:
        if X.shape[1] != 64:
            raise ValueError(f"{name} must hold flattened 8x8 images (64 columns), got {X.shape[1]}")
    if extractor is None:
        extractor = default_digit_features()
    return frechet_distance(extractor.transform(X1), extractor.transform(X2))
