"""Distances between distributions, for judging what a generative model produces.

* :func:`frechet_distance` / :func:`frechet_distance_from_stats`: the Fréchet (2-Wasserstein)
  distance between the Gaussians fitted to two samples, computed as in the reference FID code
  of Heusel et al. (2017) with SciPy's :func:`scipy.linalg.sqrtm`.
* :func:`digits_frechet_distance`: the same distance for 8x8 digit images, measured in the
  feature space of :class:`dglab.embedding.DigitFeatureExtractor`, a small classifier trained
  on the digits (the role the Inception network plays for FID on photographs, which is not
  available offline).
* :func:`gaussian_kl` (closed form) and :func:`kl_divergence` (a kernel density estimate from
  two 1-D samples): the Kullback-Leibler divergence.
* :func:`wasserstein_1d` (exact, SciPy) and :func:`sliced_wasserstein` (any dimension: the
  average 1-D distance over random projections).
* :func:`classifier_two_sample_test`: how well a classifier tells real from generated samples,
  as a held-out ROC-AUC (0.5 = indistinguishable).
* :func:`knn_precision_recall`: the k-nearest-neighbour precision (quality) and recall
  (diversity) of generated samples, after Kynkäänniemi et al. (2019).

Every function takes samples as rows (``(n_samples, n_features)``, or 1-D arrays where the
name says 1-D) and rejects NaN, infinities, mismatched feature counts and too few samples with
a ``ValueError`` that names the problem.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import linalg

from dglab._validation import (
    check_1d_sample as _check_1d,
)

# check_binary_scores is a validator: it lives in dglab._validation and stays importable from here
from dglab._validation import (
    check_binary_scores,
    check_finite_result,
    check_int,
    check_random_state,
    check_real,
)
from dglab._validation import (
    check_sample_matrix as _check_samples,
)
from dglab._validation import (
    check_sample_pair as _check_pair,
)

# The feature extractor is an estimator, not a metric: it lives in dglab.embedding. The two names
# stay importable from here because digits_frechet_distance uses them (and chapter 5 imports
# default_digit_features from this module).
from dglab.embedding import DigitFeatureExtractor, default_digit_features

__all__ = [
    "check_binary_scores",
    "frechet_distance",
    "frechet_distance_from_stats",
    "digits_frechet_distance",
    "gaussian_kl",
    "kl_divergence",
    "wasserstein_1d",
    "sliced_wasserstein",
    "TwoSampleTestResult",
    "classifier_two_sample_test",
    "PrecisionRecall",
    "knn_precision_recall",
]

#: Relative residual ``||S @ S - A||_F / ||A||_F`` above which a matrix square root is not trusted.
_SQRTM_TOLERANCE = 1e-6


def _mean_and_cov(X: np.ndarray, name: str = "X") -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported below, by name
        mean, cov = X.mean(axis=0), np.atleast_2d(np.cov(X, rowvar=False))
    check_finite_result(
        f"the mean and covariance of {name}", np.vstack([mean, cov]),
        cause=f"{name} has values so large that their products overflow float64; rescale both samples")
    return mean, cov


def _sqrtm_residual(root: np.ndarray, A: np.ndarray) -> float:
    scale = np.linalg.norm(A, "fro")
    return float(np.linalg.norm(root @ root - A, "fro") / scale) if scale > 0 else 0.0


def _check_gaussian_stats(mu1, sigma1, mu2, sigma2):
    """Two Gaussians' means and covariances as float arrays of matching shapes, all finite."""
    values = {"mu1": mu1, "sigma1": sigma1, "mu2": mu2, "sigma2": sigma2}
    for name, value in values.items():
        try:
            values[name] = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{name} must be an array of numbers, got {value!r}: {err}") from err
    mu1, mu2 = np.atleast_1d(values["mu1"]), np.atleast_1d(values["mu2"])
    sigma1, sigma2 = np.atleast_2d(values["sigma1"]), np.atleast_2d(values["sigma2"])
    d = mu1.shape[0]
    if d == 0:
        raise ValueError("mu1 and mu2 must have at least one entry (one per dimension), got empty means")
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
    return mu1, sigma1, mu2, sigma2


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
    mu1, sigma1, mu2, sigma2 = _check_gaussian_stats(mu1, sigma1, mu2, sigma2)
    d = mu1.shape[0]
    check_real("eps", eps, minimum=0, min_inclusive=False)

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
    return frechet_distance_from_stats(*_mean_and_cov(X1, "X1"), *_mean_and_cov(X2, "X2"), eps=eps)


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


# ------------------------------------------------------------------------------------------------
# Kullback-Leibler divergence
# ------------------------------------------------------------------------------------------------


def _cholesky(name: str, sigma: np.ndarray) -> np.ndarray:
    if not np.allclose(sigma, sigma.T, rtol=1e-10, atol=1e-12):
        raise ValueError(f"{name} must be a symmetric covariance matrix")
    try:
        return linalg.cholesky(sigma, lower=True)
    except linalg.LinAlgError:
        raise ValueError(
            f"{name} must be positive definite (a Gaussian with a singular covariance has no "
            "density, so its KL divergence is undefined)"
        ) from None


def gaussian_kl(mu1, sigma1, mu2, sigma2) -> float:
    """Kullback-Leibler divergence KL(N(mu1, sigma1) || N(mu2, sigma2)), in closed form.

    Works in any dimension; as in :func:`frechet_distance_from_stats`, ``sigma`` is a
    covariance matrix, so for scalars it is the *variance* (pass ``s**2`` for a standard
    deviation ``s``). Determinants and solves go through Cholesky factors, which also checks
    that both covariances are positive definite.

    Parameters
    ----------
    mu1, mu2 : float or array-like of shape (n_features,)
        Means.
    sigma1, sigma2 : float or array-like of shape (n_features, n_features)
        Covariance matrices (variances in 1-D), symmetric positive definite.

    Returns
    -------
    float
        The divergence in nats (>= 0, and 0 only for identical Gaussians). It is not
        symmetric: ``gaussian_kl(a, A, b, B) != gaussian_kl(b, B, a, A)`` in general.

    Examples
    --------
    >>> round(gaussian_kl(0.0, 1.0, 1.0, 1.0), 6)  # a shift by one standard deviation
    0.5
    >>> round(gaussian_kl([0, 0], [[1, 0], [0, 1]], [0, 0], [[4, 0], [0, 4]]), 4)
    0.6363
    """
    mu1, sigma1, mu2, sigma2 = _check_gaussian_stats(mu1, sigma1, mu2, sigma2)
    d = mu1.shape[0]
    L1, L2 = _cholesky("sigma1", sigma1), _cholesky("sigma2", sigma2)
    # tr(S2^-1 S1) = ||L2^-1 L1||_F^2 and the Mahalanobis term = ||L2^-1 (mu2 - mu1)||^2
    A = linalg.solve_triangular(L2, L1, lower=True)
    z = linalg.solve_triangular(L2, mu2 - mu1, lower=True)
    log_det_ratio = 2 * (np.sum(np.log(np.diag(L2))) - np.sum(np.log(np.diag(L1))))
    with np.errstate(over="ignore", invalid="ignore"):  # reported below, naming the inputs
        kl = 0.5 * (np.sum(A**2) + z @ z - d + log_det_ratio)
    check_finite_result("KL(N(mu1, sigma1) || N(mu2, sigma2))", kl, cause="the means or covariances are so far apart in scale "
                        "that the divergence overflows float64; rescale both Gaussians")
    return max(float(kl), 0.0)  # rounding can leave -1e-16 for identical Gaussians


def kl_divergence(p_samples, q_samples, *, bandwidth="scott", grid_size: int = 1024) -> float:
    """Estimate KL(p || q) from two 1-D samples with kernel density estimates.

    Each sample is smoothed into a density with :class:`scipy.stats.gaussian_kde` (Gaussian
    kernels; ``bandwidth`` is its ``bw_method``), and the integral of
    ``p(x) log(p(x) / q(x))`` is computed with the trapezoidal rule on ``grid_size`` points
    spanning both samples plus five kernel widths on either side. The densities are evaluated
    in log space (``gaussian_kde.logpdf``), so a ``q`` that is tiny where ``p`` has mass gives a
    large, finite term instead of a division by zero.

    **Bias.** The estimate is the divergence between the two *smoothed* densities. Smoothing
    widens both and makes them more alike, which pulls the estimate down; the kernel width
    shrinks like ``n ** (-1/5)`` (Scott's rule), so this bias vanishes as the samples grow (for
    two Gaussians whose ``p`` lies within the range of ``q`` it is a few per cent at 10,000
    samples each). The estimate is only as good as ``q``'s estimated density wherever ``p``
    has mass, though: beyond the last ``q`` sample the estimated density falls off like a
    single narrow kernel, far faster than most real tails, so when ``p`` reaches well beyond
    ``q`` (for instance a wide ``p`` and a narrow ``q``) the estimate can be many times too
    high. Where ``p`` has mass and ``q`` has none the true divergence is infinite and the
    estimate is a large finite number: a warning sign, not a measurement. Integrating on a grid
    avoids the extra upward bias of averaging ``log p(x_i) - log q(x_i)`` over the same points
    the density ``p`` was built from.

    Parameters
    ----------
    p_samples, q_samples : array-like of shape (n_samples,)
        Draws from ``p`` and from ``q`` (at least 2 each, not all equal, finite).
    bandwidth : {"scott", "silverman"} or float or callable, default="scott"
        Passed to :class:`scipy.stats.gaussian_kde` as ``bw_method`` (a float is the kernel's
        standard deviation as a multiple of the sample's).
    grid_size : int, default=1024
        Number of integration points (at least 16).

    Returns
    -------
    float
        The estimate in nats (>= 0).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> p, q = rng.normal(0, 1, 5000), rng.normal(1, 1, 5000)
    >>> round(kl_divergence(p, q), 2)  # the exact value is 0.5
    0.52
    """
    from scipy import stats

    p = _check_1d("p_samples", p_samples)
    q = _check_1d("q_samples", q_samples)
    grid_size = check_int("grid_size", grid_size, minimum=16)
    for name, x in [("p_samples", p), ("q_samples", q)]:
        if np.ptp(x) == 0:
            raise ValueError(f"{name} has no spread (all values equal); a density cannot be estimated")
    if not (bandwidth in ("scott", "silverman") or callable(bandwidth)):
        bandwidth = check_real("bandwidth (a number, 'scott', 'silverman' or a callable)", bandwidth,
                               minimum=0, min_inclusive=False)
    for name, x in [("p_samples", p), ("q_samples", q)]:
        with np.errstate(over="ignore", invalid="ignore"):
            spread = np.var(x)
        check_finite_result(f"the variance of {name}", spread,
                            cause=f"{name} has values so large that their squares overflow float64; "
                                  "rescale both samples")
    try:
        kde_p = stats.gaussian_kde(p, bw_method=bandwidth)
        kde_q = stats.gaussian_kde(q, bw_method=bandwidth)
    except (TypeError, ValueError) as err:
        raise ValueError(f"bandwidth {bandwidth!r} was rejected by gaussian_kde: {err}") from None
    widths = [float(np.sqrt(kde.covariance[0, 0])) for kde in (kde_p, kde_q)]
    if not all(np.isfinite(w) and w > 0 for w in widths):
        raise ValueError(f"bandwidth {bandwidth!r} gives a kernel width of {widths}; it must be positive")
    pad = 5 * max(widths)
    grid = np.linspace(min(p.min(), q.min()) - pad, max(p.max(), q.max()) + pad, grid_size)
    log_p, log_q = kde_p.logpdf(grid), kde_q.logpdf(grid)
    kl = np.trapezoid(np.exp(log_p) * (log_p - log_q), grid)
    return max(float(kl), 0.0)  # the grid integral of two near-identical densities can be -1e-6


# ------------------------------------------------------------------------------------------------
# Wasserstein distances
# ------------------------------------------------------------------------------------------------


def wasserstein_1d(u_samples, v_samples) -> float:
    """The 1-Wasserstein (earth mover's) distance between two 1-D samples.

    A checked front end to :func:`scipy.stats.wasserstein_distance`: the area between the two
    empirical cumulative distribution functions. The samples may have different sizes.

    Parameters
    ----------
    u_samples, v_samples : array-like of shape (n_samples,)
        At least 2 finite values each.

    Returns
    -------
    float
        The distance, in the units of the samples; 0 exactly when both samples have the same
        empirical distribution.

    Examples
    --------
    >>> wasserstein_1d([0.0, 1.0, 2.0], [5.0, 6.0, 7.0])  # every unit of mass moves by 5
    5.0
    """
    from scipy.stats import wasserstein_distance

    u = _check_1d("u_samples", u_samples)
    v = _check_1d("v_samples", v_samples)
    return float(wasserstein_distance(u, v))


def _wasserstein_1d_columns(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Exact 1-Wasserstein distance between the samples in each column of A and of B.

    W1 is the integral over t in (0, 1) of |F_A^-1(t) - F_B^-1(t)|. Both empirical quantile
    functions are step functions that jump at multiples of 1/n and 1/m, so on each interval
    between consecutive jumps both are constant; those intervals are the same for every column.
    """
    n, m = A.shape[0], B.shape[0]
    A, B = np.sort(A, axis=0), np.sort(B, axis=0)
    if n == m:
        return np.mean(np.abs(A - B), axis=0)
    # Left ends of the intervals, in units of 1 / (n m): exact integer arithmetic.
    cuts = np.union1d(np.arange(n, dtype=np.int64) * m, np.arange(m, dtype=np.int64) * n)
    widths = np.diff(np.append(cuts, n * m)) / (n * m)
    return widths @ np.abs(A[cuts // m] - B[cuts // n])


def sliced_wasserstein(X, Y, n_projections: int = 100, random_state=None) -> float:
    """Sliced 1-Wasserstein distance between two samples of any dimension.

    Both samples are projected onto ``n_projections`` random unit directions (drawn uniformly
    on the sphere), and the exact 1-D Wasserstein distance between the projected samples is
    averaged over the directions. In one dimension every direction is +1 or -1, so the result
    equals :func:`wasserstein_1d`. Cost: sorting the projections, about
    ``(n + m) log(n + m)`` per direction.

    Parameters
    ----------
    X : array-like of shape (n_samples_X, n_features)
    Y : array-like of shape (n_samples_Y, n_features)
        At least 2 rows each, the same number of columns, finite values.
    n_projections : int, default=100
        Number of random directions; the Monte-Carlo error of the average falls like
        ``1 / sqrt(n_projections)``.
    random_state : int, numpy RandomState or None
        Seed of the directions: the same seed gives the same directions (and the same value).

    Returns
    -------
    float
        The distance, in the units of the features.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(500, 1))
    >>> round(sliced_wasserstein(X, X + 2.0, random_state=0), 6)  # a shift by 2 in 1-D
    2.0
    """
    X, Y = _check_pair(X, Y, names=("X", "Y"))
    n_projections = check_int("n_projections", n_projections, minimum=1)
    rng = check_random_state(random_state, allow_generator=False)
    directions = rng.standard_normal((X.shape[1], n_projections))
    directions /= np.linalg.norm(directions, axis=0, keepdims=True)
    return float(np.mean(_wasserstein_1d_columns(X @ directions, Y @ directions)))


# ------------------------------------------------------------------------------------------------
# A discriminative model judges a generative one: the classifier two-sample test
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TwoSampleTestResult:
    """Outcome of :func:`classifier_two_sample_test`.

    Attributes
    ----------
    auc : float
        Mean held-out ROC-AUC over the folds (0.5: the classifier cannot tell the samples
        apart; 1: it always can).
    fold_aucs : ndarray of shape (n_splits,)
        The AUC of each held-out fold.
    n_real, n_generated : int
        Sizes of the two samples.
    """

    auc: float
    fold_aucs: np.ndarray
    n_real: int
    n_generated: int

    @property
    def auc_std(self) -> float:
        """Standard deviation of the fold AUCs (ddof=1): how much the estimate moves between folds."""
        return float(np.std(self.fold_aucs, ddof=1)) if len(self.fold_aucs) > 1 else 0.0


def _default_two_sample_classifier(n_train: int):
    from sklearn.neighbors import KNeighborsClassifier

    # k grows like sqrt(n), the usual rate for a consistent k-NN classifier (Lopez-Paz &
    # Oquab, 2017, use k-NN as one of their two classifiers). A ball tree finds exact nearest
    # neighbours like brute force (only among equally distant points, common in quantised data
    # such as pixels, may it pick others) and, at the sizes used here, avoids brute force's
    # fixed cost per query batch: tens of milliseconds per fold, see benchmarks/bench_metrics.py.
    return KNeighborsClassifier(n_neighbors=int(np.clip(round(np.sqrt(n_train)), 3, 50)),
                                algorithm="ball_tree")


def classifier_two_sample_test(
    X_real, X_generated, *, classifier=None, n_splits: int = 5, random_state=None
) -> TwoSampleTestResult:
    """Train a classifier to tell real from generated samples; report its held-out ROC-AUC.

    The two samples are stacked with labels 0 (real) and 1 (generated) and scored by stratified
    ``n_splits``-fold cross-validation (:func:`sklearn.model_selection.cross_validate` with
    ``scoring="roc_auc"``): each fold's classifier is fitted on the other folds and judged on
    samples it has not seen. If the generator were perfect, no classifier could do better than
    chance, and the AUC would be 0.5 up to noise; the better the classifier separates the two,
    the worse the generator. The AUC does not depend on the ratio of the two sample sizes, so
    they need not be equal (stratified folds keep the ratio in every fold), though equal sizes
    give the classifier the most balanced training set.

    Parameters
    ----------
    X_real : array-like of shape (n_real, n_features)
    X_generated : array-like of shape (n_generated, n_features)
        At least ``n_splits`` rows each, the same number of columns, finite values.
    classifier : scikit-learn classifier, optional
        Anything with ``predict_proba`` or ``decision_function``; it is cloned for every fold.
        The default is k-nearest neighbours (exact, with a ball tree) with ``k`` about the
        square root of the training-set size (between 3 and 50). k-NN compares raw distances, so the features should share a
        scale: standardise them first (or pass a pipeline) when they do not.
    n_splits : int, default=5
        Number of folds (>= 2).
    random_state : int or None
        Seed of the fold assignment (and of the classifier, if it takes one).

    Returns
    -------
    TwoSampleTestResult
        ``auc`` (mean over folds), ``fold_aucs``, ``auc_std`` and the sample sizes.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(400, 2))
    >>> round(classifier_two_sample_test(real, real + 3.0, random_state=0).auc, 2)
    1.0
    """
    from sklearn.base import clone, is_classifier
    from sklearn.model_selection import StratifiedKFold, cross_validate

    X_real, X_generated = _check_pair(X_real, X_generated, names=("X_real", "X_generated"))
    n_splits = check_int("n_splits", n_splits, minimum=2)
    smaller = min(len(X_real), len(X_generated))
    if smaller < n_splits:
        raise ValueError(
            f"each sample needs at least n_splits={n_splits} rows so every fold holds both kinds, "
            f"got {len(X_real)} real and {len(X_generated)} generated"
        )
    X = np.vstack([X_real, X_generated])
    y = np.r_[np.zeros(len(X_real), dtype=int), np.ones(len(X_generated), dtype=int)]
    if classifier is None:
        classifier = _default_two_sample_classifier(len(X) * (n_splits - 1) // n_splits)
    elif not (hasattr(classifier, "get_params") and is_classifier(classifier)):
        raise ValueError(f"classifier must be a scikit-learn classifier, got {classifier!r}")
    classifier = clone(classifier)
    if random_state is not None and "random_state" in classifier.get_params():
        classifier.set_params(random_state=random_state)
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    scores = cross_validate(classifier, X, y, cv=folds, scoring="roc_auc", error_score="raise")
    fold_aucs = np.asarray(scores["test_score"], dtype=float)
    return TwoSampleTestResult(float(fold_aucs.mean()), fold_aucs, len(X_real), len(X_generated))


# ------------------------------------------------------------------------------------------------
# Quality and diversity: k-nearest-neighbour precision and recall
# ------------------------------------------------------------------------------------------------


class PrecisionRecall(NamedTuple):
    """Precision (share of generated samples that look real) and recall (share of real
    samples the generator covers), as returned by :func:`knn_precision_recall`."""

    precision: float
    recall: float


def _knn_radii(X: np.ndarray, k: int) -> np.ndarray:
    from sklearn.neighbors import NearestNeighbors

    # k + 1 neighbours because each point is its own nearest neighbour (distance 0).
    distances, _ = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X)
    return distances[:, k]


def _share_inside_balls(points: np.ndarray, centres: np.ndarray, radii: np.ndarray,
                        chunk: int = 2048) -> float:
    from scipy.spatial.distance import cdist

    inside = np.empty(len(points), dtype=bool)
    for start in range(0, len(points), chunk):
        # cdist computes each distance directly, so a copy of a centre is at distance exactly 0
        distances = cdist(points[start:start + chunk], centres)
        inside[start:start + chunk] = np.any(distances <= radii, axis=1)
    return float(inside.mean())


def knn_precision_recall(X_real, X_generated, *, k: int = 3) -> PrecisionRecall:
    """Improved precision and recall of generated samples (Kynkäänniemi et al., 2019).

    Each sample set is turned into an estimate of the region its distribution covers: the union
    of balls centred on its points, each reaching that point's ``k``-th nearest neighbour in the
    same set. **Precision** is the share of generated samples inside the real region (are the
    samples realistic?); **recall** is the share of real samples inside the generated region
    (does the generator cover everything the data does?). A generator that draws perfect
    samples from half of the data's modes scores precision near 1 and recall near 0.5; a
    blurry generator that spreads over everything scores the other way round.

    Distances are Euclidean in the given feature space; for images the paper measures them in a
    pretrained network's features (compare :class:`dglab.embedding.DigitFeatureExtractor`). One outlier among
    the real samples makes a large ball that lets poor samples count as realistic; Naeem et al.
    (2020) propose density and coverage as more robust variants.

    Parameters
    ----------
    X_real : array-like of shape (n_real, n_features)
    X_generated : array-like of shape (n_generated, n_features)
        More than ``k`` rows each, the same number of columns, finite values.
    k : int, default=3
        Which neighbour sets the radius (the paper's default is 3). Larger ``k`` gives larger
        balls and higher values of both.

    Returns
    -------
    PrecisionRecall
        ``(precision, recall)``, each in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(300, 2))
    >>> knn_precision_recall(X, X)
    PrecisionRecall(precision=1.0, recall=1.0)
    """
    X_real, X_generated = _check_pair(X_real, X_generated, names=("X_real", "X_generated"))
    k = check_int("k", k, minimum=1)
    if min(len(X_real), len(X_generated)) <= k:
        raise ValueError(
            f"each sample needs more than k={k} rows to find k neighbours, "
            f"got {len(X_real)} real and {len(X_generated)} generated"
        )
    precision = _share_inside_balls(X_generated, X_real, _knn_radii(X_real, k))
    recall = _share_inside_balls(X_real, X_generated, _knn_radii(X_generated, k))
    return PrecisionRecall(precision, recall)
