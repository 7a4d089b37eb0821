"""KL, Wasserstein, two-sample test and k-NN precision/recall, each against an independent reference."""

import math

import numpy as np
import pytest
from scipy import integrate, stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier

from dglab.data import ring_of_gaussians
from dglab.metrics import (
    PrecisionRecall,
    _wasserstein_1d_columns,
    classifier_two_sample_test,
    gaussian_kl,
    kl_divergence,
    knn_precision_recall,
    sliced_wasserstein,
    wasserstein_1d,
)

# ------------------------------------------------------------------------------------------------
# gaussian_kl
# ------------------------------------------------------------------------------------------------

PAIRS_1D = [(0.0, 1.0, 1.0, 1.0), (0.0, 1.0, 1.0, 2.25), (-1.0, 0.25, 2.0, 4.0), (3.0, 9.0, 0.0, 1.0)]


@pytest.mark.parametrize("mu1, var1, mu2, var2", PAIRS_1D)
def test_gaussian_kl_1d_matches_numerical_integration(mu1, var1, mu2, var2):
    p, q = stats.norm(mu1, np.sqrt(var1)), stats.norm(mu2, np.sqrt(var2))
    expected, _ = integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), -np.inf, np.inf)
    assert gaussian_kl(mu1, var1, mu2, var2) == pytest.approx(expected, rel=1e-7)


def test_gaussian_kl_multivariate_matches_monte_carlo():
    rng = np.random.default_rng(0)
    d = 4
    A, B = rng.normal(size=(d, d)), rng.normal(size=(d, d))
    s1, s2 = A @ A.T + 0.5 * np.eye(d), B @ B.T + 0.5 * np.eye(d)
    mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
    p, q = stats.multivariate_normal(mu1, s1), stats.multivariate_normal(mu2, s2)
    x = p.rvs(size=400_000, random_state=1)
    log_ratio = p.logpdf(x) - q.logpdf(x)
    standard_error = log_ratio.std() / np.sqrt(len(x))
    assert gaussian_kl(mu1, s1, mu2, s2) == pytest.approx(log_ratio.mean(), abs=4 * standard_error)


def test_gaussian_kl_of_diagonal_gaussians_is_a_sum_of_1d_divergences():
    rng = np.random.default_rng(1)
    mu1, mu2 = rng.normal(size=5), rng.normal(size=5)
    v1, v2 = rng.uniform(0.2, 3, size=5), rng.uniform(0.2, 3, size=5)
    parts = [gaussian_kl(a, va, b, vb) for a, va, b, vb in zip(mu1, v1, mu2, v2, strict=True)]
    assert gaussian_kl(mu1, np.diag(v1), mu2, np.diag(v2)) == pytest.approx(sum(parts), rel=1e-12)


def test_gaussian_kl_is_zero_for_identical_gaussians_and_not_symmetric():
    s = np.array([[2.0, 0.3], [0.3, 1.0]])
    assert gaussian_kl([1, 2], s, [1, 2], s) == pytest.approx(0.0, abs=1e-12)
    forward, backward = gaussian_kl(0, 1, 0, 4), gaussian_kl(0, 4, 0, 1)
    # closed forms: 0.5 (1/4 - 1 + ln 4) and 0.5 (4 - 1 - ln 4)
    assert forward == pytest.approx(0.5 * (0.25 - 1 + np.log(4)))
    assert backward == pytest.approx(0.5 * (4 - 1 - np.log(4)))


def test_gaussian_kl_rejects_bad_input():
    with pytest.raises(ValueError, match="positive definite"):
        gaussian_kl([0, 0], np.diag([1.0, 0.0]), [0, 0], np.eye(2))
    with pytest.raises(ValueError, match="positive definite"):
        gaussian_kl(0, -1.0, 0, 1.0)
    with pytest.raises(ValueError, match="symmetric"):
        gaussian_kl([0, 0], [[1, 0.5], [0, 1]], [0, 0], np.eye(2))
    with pytest.raises(ValueError, match="same length"):
        gaussian_kl([0, 0], np.eye(2), [0, 0, 0], np.eye(3))
    with pytest.raises(ValueError, match="must have shape"):
        gaussian_kl([0, 0], np.eye(3), [0, 0], np.eye(2))
    with pytest.raises(ValueError, match="mu2 contains NaN"):
        gaussian_kl(0, 1, np.nan, 1)


# ------------------------------------------------------------------------------------------------
# kl_divergence (KDE estimate from 1-D samples)
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mu1, var1, mu2, var2", PAIRS_1D[:3])
def test_kl_estimator_is_within_5_percent_of_the_analytic_value_at_10k(mu1, var1, mu2, var2):
    rng = np.random.default_rng(2)
    p = rng.normal(mu1, np.sqrt(var1), 10_000)
    q = rng.normal(mu2, np.sqrt(var2), 10_000)
    exact = gaussian_kl(mu1, var1, mu2, var2)
    assert kl_divergence(p, q) == pytest.approx(exact, rel=0.05)


def test_kl_estimator_is_far_too_high_when_p_reaches_beyond_the_q_sample():
    # the documented limitation: beyond the q sample, its KDE decays like one narrow kernel
    rng = np.random.default_rng(2)
    p, q = rng.normal(3, 3, 10_000), rng.normal(0, 1, 10_000)
    assert kl_divergence(p, q) > 3 * gaussian_kl(3, 9, 0, 1)


def test_kl_estimator_error_shrinks_with_the_sample_size():
    exact = gaussian_kl(0, 1, 1, 2.25)
    errors = {}
    for n in (200, 10_000):
        estimates = []
        for seed in range(5):
            rng = np.random.default_rng(seed)
            estimates.append(kl_divergence(rng.normal(0, 1, n), rng.normal(1, 1.5, n)))
        errors[n] = np.mean(np.abs(np.array(estimates) - exact))
    assert errors[10_000] < errors[200] / 3


def test_kl_estimator_is_near_zero_for_one_distribution_and_accepts_a_column():
    rng = np.random.default_rng(3)
    p, q = rng.normal(size=10_000), rng.normal(size=10_000)
    assert kl_divergence(p, q) < 0.01
    assert kl_divergence(p[:, None], q) == kl_divergence(p, q)


def test_kl_estimator_bandwidth_is_passed_to_gaussian_kde():
    rng = np.random.default_rng(4)
    p, q = rng.normal(0, 1, 2000), rng.normal(1, 1, 2000)
    # very wide kernels make both densities alike: the divergence collapses towards 0
    assert kl_divergence(p, q, bandwidth=3.0) < 0.2 * kl_divergence(p, q, bandwidth="silverman")


@pytest.mark.parametrize(
    "p, q, kwargs, match",
    [
        (np.zeros((10, 2)), np.arange(10.0), {}, "1-D sample"),
        (np.array([1.0]), np.arange(10.0), {}, "at least 2 samples"),
        (np.r_[np.arange(9.0), np.nan], np.arange(10.0), {}, "NaN"),
        (np.arange(10.0), np.r_[np.arange(9.0), np.inf], {}, "q_samples contains NaN or infinite"),
        (np.ones(10), np.arange(10.0), {}, "no spread"),
        (np.arange(10.0), np.arange(10.0), {"grid_size": 4}, "grid_size"),
        (np.arange(10.0), np.arange(10.0), {"bandwidth": "wide"}, "bandwidth"),
        (np.arange(10.0), np.arange(10.0), {"bandwidth": -1.0}, "bandwidth"),
    ],
)
def test_kl_estimator_rejects_bad_input(p, q, kwargs, match):
    with pytest.raises(ValueError, match=match):
        kl_divergence(p, q, **kwargs)


# ------------------------------------------------------------------------------------------------
# Wasserstein distances
# ------------------------------------------------------------------------------------------------


def test_wasserstein_1d_equals_scipy_and_the_sorted_sample_formula():
    rng = np.random.default_rng(5)
    u, v = rng.normal(size=300), rng.exponential(size=170)
    assert wasserstein_1d(u, v) == stats.wasserstein_distance(u, v)
    a, b = rng.normal(size=250), rng.normal(1, 2, size=250)
    assert wasserstein_1d(a, b) == pytest.approx(np.mean(np.abs(np.sort(a) - np.sort(b))), rel=1e-12)


@pytest.mark.parametrize("mu", [-2.0, 0.3, 1.0])
def test_wasserstein_of_shifted_normals_is_the_shift(mu):
    rng = np.random.default_rng(6)
    u, v = rng.normal(size=20_000), rng.normal(mu, 1, size=20_000)
    assert wasserstein_1d(u, v) == pytest.approx(abs(mu), abs=0.03)
    assert sliced_wasserstein(u[:, None], v[:, None], random_state=0) == pytest.approx(abs(mu), abs=0.03)


@pytest.mark.parametrize("n, m", [(50, 50), (40, 70), (101, 37), (7, 3)])
def test_column_wise_exact_w1_equals_scipy_column_by_column(n, m):
    rng = np.random.default_rng(n + m)
    A, B = rng.normal(size=(n, 6)), rng.gamma(2.0, size=(m, 6))
    expected = [stats.wasserstein_distance(A[:, j], B[:, j]) for j in range(6)]
    np.testing.assert_allclose(_wasserstein_1d_columns(A, B), expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("n_projections", [1, 5, 50])
def test_sliced_in_one_dimension_equals_scipy(n_projections):
    rng = np.random.default_rng(7)
    X, Y = rng.normal(size=(300, 1)), rng.laplace(1.0, size=(211, 1))
    expected = stats.wasserstein_distance(X[:, 0], Y[:, 0])
    got = sliced_wasserstein(X, Y, n_projections=n_projections, random_state=3)
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("d", [2, 5])
def test_sliced_distance_of_a_translation_matches_its_closed_form(d):
    # Y = X + m exactly: every projection is shifted by theta . m, so W1 = |theta . m|, and the
    # average of |theta . m| over the sphere is |m| Gamma(d/2) / (sqrt(pi) Gamma((d+1)/2)).
    rng = np.random.default_rng(8)
    X = rng.normal(size=(200, d))
    shift = rng.normal(size=d)
    expected = np.linalg.norm(shift) * math.gamma(d / 2) / (math.sqrt(math.pi) * math.gamma((d + 1) / 2))
    got = sliced_wasserstein(X, X + shift, n_projections=20_000, random_state=0)
    assert got == pytest.approx(expected, rel=0.02)


def test_sliced_is_reproducible_symmetric_and_zero_for_identical_samples():
    rng = np.random.default_rng(9)
    X, Y = rng.normal(size=(100, 3)), rng.normal(size=(80, 3))
    assert sliced_wasserstein(X, Y, random_state=1) == sliced_wasserstein(X, Y, random_state=1)
    assert sliced_wasserstein(X, Y, random_state=1) == pytest.approx(sliced_wasserstein(Y, X, random_state=1))
    assert sliced_wasserstein(X, Y, random_state=1) != sliced_wasserstein(X, Y, random_state=2)
    assert sliced_wasserstein(X, X, random_state=1) == 0.0


@pytest.mark.parametrize(
    "X, Y, kwargs, match",
    [
        (np.zeros((10, 3)), np.zeros((10, 4)), {}, "same number of features"),
        (np.zeros((1, 3)), np.zeros((10, 3)), {}, "at least 2 samples"),
        (np.full((10, 3), np.nan), np.zeros((10, 3)), {}, "NaN"),
        (np.zeros(10), np.zeros(10), {}, "2-D array"),
        (np.zeros((10, 3)), np.zeros((10, 3)), {"n_projections": 0}, "n_projections"),
    ],
)
def test_sliced_rejects_bad_input(X, Y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sliced_wasserstein(X, Y, **kwargs)


def test_wasserstein_1d_rejects_bad_input():
    with pytest.raises(ValueError, match="1-D sample"):
        wasserstein_1d(np.zeros((5, 2)), np.zeros(5))
    with pytest.raises(ValueError, match="at least 2"):
        wasserstein_1d([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="v_samples contains NaN"):
        wasserstein_1d([1.0, 2.0], [1.0, np.nan])


# ------------------------------------------------------------------------------------------------
# classifier_two_sample_test
# ------------------------------------------------------------------------------------------------


def test_two_sample_auc_is_near_one_half_for_one_distribution():
    rng = np.random.default_rng(10)
    aucs = [classifier_two_sample_test(rng.normal(size=(400, 3)), rng.normal(size=(400, 3)),
                                       random_state=seed).auc for seed in range(5)]
    assert np.mean(aucs) == pytest.approx(0.5, abs=0.03)
    assert all(abs(a - 0.5) < 0.08 for a in aucs)


def test_two_sample_auc_goes_to_one_for_clearly_different_distributions():
    rng = np.random.default_rng(11)
    real = rng.normal(size=(400, 3))
    assert classifier_two_sample_test(real, rng.normal(2.0, 1.0, size=(400, 3)), random_state=0).auc > 0.97
    # a generator that misses half of the ring's modes cannot hide from k-NN
    X, mode = ring_of_gaussians(1600, random_state=0)
    half = X[800:][np.isin(mode[800:], [0, 1, 2, 3])]
    assert classifier_two_sample_test(X[:800], half, random_state=0).auc > 0.7


def test_two_sample_folds_match_a_hand_written_cross_validation():
    rng = np.random.default_rng(12)
    real, fake = rng.normal(size=(150, 2)), rng.normal(0.4, 1.2, size=(90, 2))
    result = classifier_two_sample_test(real, fake, classifier=LogisticRegression(), n_splits=4,
                                        random_state=5)
    X, y = np.vstack([real, fake]), np.r_[np.zeros(150), np.ones(90)]
    expected = []
    for train, test in StratifiedKFold(4, shuffle=True, random_state=5).split(X, y):
        model = LogisticRegression().fit(X[train], y[train])
        expected.append(roc_auc_score(y[test], model.predict_proba(X[test])[:, 1]))
    np.testing.assert_allclose(result.fold_aucs, expected, rtol=1e-12)
    assert result.auc == pytest.approx(np.mean(expected))
    assert result.auc_std == pytest.approx(np.std(expected, ddof=1))
    assert (result.n_real, result.n_generated) == (150, 90)


def test_a_linear_classifier_is_blind_to_what_k_nn_sees():
    # alternate modes of the ring have the same mean and covariance as the whole ring
    X, mode = ring_of_gaussians(2000, random_state=1)
    real, rest, rest_mode = X[:1000], X[1000:], mode[1000:]
    alternate = rest[rest_mode % 2 == 0]
    linear = classifier_two_sample_test(real, alternate, classifier=LogisticRegression(), random_state=0)
    knn = classifier_two_sample_test(real, alternate, classifier=KNeighborsClassifier(15), random_state=0)
    assert abs(linear.auc - 0.5) < 0.05
    assert knn.auc > 0.7


@pytest.mark.parametrize(
    "real, fake, kwargs, match",
    [
        (np.zeros((20, 2)), np.zeros((20, 3)), {}, "same number of features"),
        (np.zeros((3, 2)), np.zeros((20, 2)), {}, "at least n_splits=5"),
        (np.zeros((1, 2)), np.zeros((20, 2)), {}, "at least 2 samples"),
        (np.full((20, 2), np.nan), np.zeros((20, 2)), {}, "X_real contains NaN"),
        (np.zeros((20, 2)), np.zeros((20, 2)), {"n_splits": 1}, "n_splits"),
        (np.zeros((20, 2)), np.zeros((20, 2)), {"classifier": object()}, "classifier"),
    ],
)
def test_two_sample_test_rejects_bad_input(real, fake, kwargs, match):
    with pytest.raises(ValueError, match=match):
        classifier_two_sample_test(real, fake, **kwargs)


# ------------------------------------------------------------------------------------------------
# knn_precision_recall
# ------------------------------------------------------------------------------------------------


def _brute_force_precision_recall(real, fake, k):
    """The definition, one point at a time."""

    def radius(points, i):
        d = sorted(np.linalg.norm(points[j] - points[i]) for j in range(len(points)) if j != i)
        return d[k - 1]

    r_real = [radius(real, i) for i in range(len(real))]
    r_fake = [radius(fake, i) for i in range(len(fake))]
    precision = np.mean([any(np.linalg.norm(y - x) <= r for x, r in zip(real, r_real, strict=True))
                         for y in fake])
    recall = np.mean([any(np.linalg.norm(x - y) <= r for y, r in zip(fake, r_fake, strict=True))
                      for x in real])
    return precision, recall


@pytest.mark.parametrize("k", [1, 3, 5])
def test_precision_recall_matches_the_definition(k):
    rng = np.random.default_rng(13)
    real, fake = rng.normal(size=(60, 3)), rng.normal(0.7, 1.3, size=(45, 3))
    got = knn_precision_recall(real, fake, k=k)
    assert isinstance(got, PrecisionRecall)
    np.testing.assert_allclose(got, _brute_force_precision_recall(real, fake, k))


def test_identical_sets_have_precision_and_recall_one():
    X = np.random.default_rng(14).normal(size=(500, 5))
    assert knn_precision_recall(X, X) == (1.0, 1.0)
    assert knn_precision_recall(X, X.copy(), k=1) == (1.0, 1.0)


def test_half_the_modes_gives_high_precision_and_recall_one_half():
    X, mode = ring_of_gaussians(4000, random_state=2)
    real, rest, rest_mode = X[:2000], X[2000:], mode[2000:]
    half = rest[rest_mode < 4][:1000]
    precision, recall = knn_precision_recall(real, half)
    assert precision > 0.95
    assert recall == pytest.approx(0.5, abs=0.05)


def test_a_blurry_generator_has_recall_but_no_precision():
    X, _ = ring_of_gaussians(2000, random_state=3)
    blurry = X[1000:] + np.random.default_rng(0).normal(0, 0.5, size=(1000, 2))
    precision, recall = knn_precision_recall(X[:1000], blurry)
    assert precision < 0.3 and recall > 0.9


@pytest.mark.parametrize(
    "real, fake, kwargs, match",
    [
        (np.zeros((20, 2)), np.zeros((20, 3)), {}, "same number of features"),
        (np.zeros((3, 2)), np.zeros((20, 2)), {}, "more than k=3"),
        (np.zeros((20, 2)), np.zeros((1, 2)), {}, "at least 2 samples"),
        (np.zeros((20, 2)), np.full((20, 2), np.inf), {}, "X_generated contains NaN or infinite"),
        (np.zeros((20, 2)), np.zeros((20, 2)), {"k": 0}, "k must be"),
    ],
)
def test_precision_recall_rejects_bad_input(real, fake, kwargs, match):
    with pytest.raises(ValueError, match=match):
        knn_precision_recall(real, fake, **kwargs)
