import numpy as np
import pytest
from scipy import linalg

from dglab.data import load_digits_scaled
from dglab.metrics import (
    digits_frechet_distance,
    frechet_distance,
    frechet_distance_from_stats,
)


def _reference_distance(mu1, s1, mu2, s2):
    """Independent route: tr sqrt(S1 S2) = tr sqrt(S1^1/2 S2 S1^1/2), a symmetric PSD root (eigh)."""
    w, V = np.linalg.eigh(s1)
    root1 = (V * np.sqrt(np.clip(w, 0, None))) @ V.T
    inner = root1 @ s2 @ root1
    eig = np.clip(np.linalg.eigvalsh((inner + inner.T) / 2), 0, None)
    return np.sum((mu1 - mu2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * np.sum(np.sqrt(eig))


def test_zero_for_identical_inputs():
    X = np.random.default_rng(0).normal(size=(300, 5))
    assert frechet_distance(X, X) == pytest.approx(0.0, abs=1e-9)
    mu, sigma = X.mean(0), np.cov(X, rowvar=False)
    assert frechet_distance_from_stats(mu, sigma, mu, sigma) == pytest.approx(0.0, abs=1e-9)


def test_symmetric():
    rng = np.random.default_rng(1)
    X1 = rng.normal(size=(200, 4))
    X2 = rng.normal(loc=0.5, scale=2.0, size=(150, 4)) @ rng.normal(size=(4, 4))
    assert frechet_distance(X1, X2) == pytest.approx(frechet_distance(X2, X1), rel=1e-9)


def test_closed_form_for_diagonal_covariances():
    rng = np.random.default_rng(2)
    mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
    a, b = rng.uniform(0.1, 3, size=6), rng.uniform(0.1, 3, size=6)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)
    got = frechet_distance_from_stats(mu1, np.diag(a), mu2, np.diag(b))
    assert got == pytest.approx(expected, rel=1e-10)


def test_one_feature_is_the_1d_wasserstein_distance_of_gaussians():
    # for 1-D Gaussians: (m1 - m2)^2 + (s1 - s2)^2
    got = frechet_distance_from_stats([1.0], [[4.0]], [-2.0], [[9.0]])
    assert got == pytest.approx(9.0 + 1.0)


def test_from_samples_uses_mean_and_unbiased_covariance():
    rng = np.random.default_rng(3)
    X1, X2 = rng.normal(size=(80, 3)), rng.exponential(size=(60, 3))
    expected = _reference_distance(X1.mean(0), np.cov(X1.T), X2.mean(0), np.cov(X2.T))
    assert frechet_distance(X1, X2) == pytest.approx(expected, rel=1e-8)


def test_general_covariances_match_an_independent_computation():
    rng = np.random.default_rng(4)
    A, B = rng.normal(size=(5, 5)), rng.normal(size=(5, 5))
    s1, s2 = A @ A.T + 0.1 * np.eye(5), B @ B.T
    mu1, mu2 = rng.normal(size=5), rng.normal(size=5)
    got = frechet_distance_from_stats(mu1, s1, mu2, s2)
    assert got == pytest.approx(_reference_distance(mu1, s1, mu2, s2), rel=1e-8)


def test_singular_covariances_are_handled():
    rng = np.random.default_rng(5)
    # fewer samples than features: both covariances have rank 4 out of 10
    X1, X2 = rng.normal(size=(5, 10)), rng.normal(size=(5, 10)) + 1.0
    s1, s2 = np.cov(X1.T), np.cov(X2.T)
    assert np.linalg.matrix_rank(s1) < 10
    got = frechet_distance(X1, X2)
    assert np.isfinite(got)
    expected = _reference_distance(X1.mean(0), s1, X2.mean(0), s2)
    assert got == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize("first_root", ["nan", "inaccurate"])
def test_untrustworthy_root_is_recomputed_with_the_documented_offset(monkeypatch, first_root):
    # SciPy's sqrtm copes with most singular products; force the failure the offset is for.
    import dglab.metrics

    rng = np.random.default_rng(7)
    A = rng.normal(size=(4, 4))
    s1, s2 = A @ A.T, np.diag([1.0, 2.0, 0.5, 0.0])
    calls, real_sqrtm = [], linalg.sqrtm

    def sqrtm(M):
        calls.append(M.copy())
        if len(calls) == 1:
            return np.full_like(M, np.nan) if first_root == "nan" else np.zeros_like(M)
        return real_sqrtm(M)

    monkeypatch.setattr(dglab.metrics.linalg, "sqrtm", sqrtm)
    eps = 1e-6
    got = frechet_distance_from_stats(np.zeros(4), s1, np.ones(4), s2, eps=eps)
    assert len(calls) == 2
    np.testing.assert_allclose(calls[1], (s1 + eps * np.eye(4)) @ (s2 + eps * np.eye(4)))
    # the offset moves the result by O(sqrt(eps)) along the singular direction
    expected = _reference_distance(np.zeros(4), s1, np.ones(4), s2)
    assert got == pytest.approx(expected, abs=10 * np.sqrt(eps))


def test_constant_feature_is_handled():
    rng = np.random.default_rng(6)
    X1 = np.c_[rng.normal(size=(100, 3)), np.ones(100)]
    X2 = np.c_[rng.normal(size=(100, 3)), np.zeros(100)]
    got = frechet_distance(X1, X2)
    expected = _reference_distance(X1.mean(0), np.cov(X1.T), X2.mean(0), np.cov(X2.T))
    assert got == pytest.approx(expected, rel=1e-6)


def test_large_imaginary_part_is_an_error():
    # a covariance with a negative eigenvalue is not a covariance
    bad = np.array([[1.0, 0.0], [0.0, -1.0]])
    with pytest.raises(ValueError, match="imaginary"):
        frechet_distance_from_stats(np.zeros(2), bad, np.zeros(2), np.eye(2))


@pytest.mark.parametrize(
    "X1, X2, match",
    [
        (np.zeros((10, 3)), np.zeros((10, 4)), "same number of features"),
        (np.zeros((1, 3)), np.zeros((10, 3)), "at least 2 samples"),
        (np.zeros((10, 3)), np.zeros((1, 3)), "at least 2 samples"),
        (np.full((10, 3), np.nan), np.zeros((10, 3)), "NaN"),
        (np.zeros((10, 3)), np.full((10, 3), np.inf), "NaN or infinite"),
        (np.zeros(10), np.zeros(10), "2-D array"),
    ],
)
def test_bad_samples_get_clear_errors(X1, X2, match):
    with pytest.raises(ValueError, match=match):
        frechet_distance(X1, X2)


def test_bad_statistics_get_clear_errors():
    with pytest.raises(ValueError, match="same length"):
        frechet_distance_from_stats(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match="must have shape"):
        frechet_distance_from_stats(np.zeros(2), np.eye(3), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="sigma2 contains NaN"):
        frechet_distance_from_stats(np.zeros(2), np.eye(2), np.zeros(2), np.full((2, 2), np.nan))
    with pytest.raises(ValueError, match="eps"):
        frechet_distance_from_stats(np.zeros(2), np.eye(2), np.zeros(2), np.eye(2), eps=0)


@pytest.fixture(scope="module")
def digits():
    return load_digits_scaled()


def test_digits_frechet_distance_orders_what_it_should(digits):
    X, y = digits
    rng = np.random.default_rng(0)
    order = rng.permutation(len(X))
    half1, half2 = X[order[:900]], X[order[900:]]
    floor = digits_frechet_distance(half1, half2)
    noise = rng.uniform(size=half2.shape)
    only_ones = X[y == 1]
    assert digits_frechet_distance(half1, half1) == pytest.approx(0.0, abs=1e-8)
    assert 0 < floor < digits_frechet_distance(half1, only_ones) < digits_frechet_distance(half1, noise)
    assert digits_frechet_distance(half1, half2) == pytest.approx(digits_frechet_distance(half2, half1))


def test_digits_frechet_distance_rejects_non_digits():
    with pytest.raises(ValueError, match="64 columns"):
        digits_frechet_distance(np.zeros((5, 10)), np.zeros((5, 10)))
    with pytest.raises(ValueError, match="NaN"):
        digits_frechet_distance(np.full((5, 64), np.nan), np.zeros((5, 64)))
