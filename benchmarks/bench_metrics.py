"""dglab.metrics: timings at the sizes chapters 6, 10 and 12 use, and the reference agreements.

    python -m benchmarks metrics

Timings are medians of CPU time (``time.process_time``) with one BLAS thread, as the chapters
run: CPU time is far less disturbed than wall-clock time when other jobs share the machine.

* ``frechet_distance`` on the ring (2-D, 1,000 per side) and on digits (64 pixels or 64
  classifier features, 899 per side);
* ``sliced_wasserstein`` at the chapter sizes, and against the obvious loop (one
  ``scipy.stats.wasserstein_distance`` call per projection, same projections);
* ``kl_divergence`` at 10,000 samples per side, ``knn_precision_recall`` and
  ``classifier_two_sample_test``, the latter with its default ball tree against brute force;
* the agreements the tests check, printed as rows: the KL estimator's error at n = 10,000
  (goal < 5 %), the closed-form KL against numerical integration and Monte Carlo, W1 and the
  sliced distance in 1-D against SciPy, the sliced distance of a translation against its closed
  form, the Fréchet distance against its diagonal closed form, two-sample AUCs, and
  precision/recall on identical sets and on half of the ring's modes.
"""

from __future__ import annotations

import math
import time

import numpy as np
from scipy import integrate, stats
from sklearn.neighbors import KNeighborsClassifier
from threadpoolctl import threadpool_limits

from benchmarks.common import Row, median_time
from dglab.data import load_digits_scaled, ring_of_gaussians
from dglab.metrics import (
    DigitFeatureExtractor,
    _default_two_sample_classifier,
    classifier_two_sample_test,
    frechet_distance,
    frechet_distance_from_stats,
    gaussian_kl,
    kl_divergence,
    knn_precision_recall,
    sliced_wasserstein,
    wasserstein_1d,
)

KL_GOAL = 0.05


def cpu_time(fn, *, repeat: int = 5, warmup: int = 1) -> float:
    """Median CPU seconds of ``fn()``."""
    return median_time(fn, repeat=repeat, warmup=warmup, clock=time.process_time)


def timings() -> list[Row]:
    ring_a, _ = ring_of_gaussians(1000, random_state=0)
    ring_b, _ = ring_of_gaussians(1000, random_state=1)
    ring_c, _ = ring_of_gaussians(700, random_state=2)
    X, y = load_digits_scaled()
    digits_a, digits_b = X[:899], X[899:1798]
    features = DigitFeatureExtractor(random_state=0).fit(X, y)
    feat_a, feat_b = features.transform(digits_a), features.transform(digits_b)
    rows = [
        Row("frechet_distance, ring 2-D, 1000 vs 1000", 1000 * cpu_time(lambda: frechet_distance(ring_a, ring_b)), "ms"),
        Row("frechet_distance, digits 64 px, 899 vs 899",
            1000 * cpu_time(lambda: frechet_distance(digits_a, digits_b)), "ms"),
        Row("frechet_distance, digit features, 899 vs 899",
            1000 * cpu_time(lambda: frechet_distance(feat_a, feat_b)), "ms"),
        Row("sliced_wasserstein, ring, 1000 vs 1000, 100 dirs",
            1000 * cpu_time(lambda: sliced_wasserstein(ring_a, ring_b, random_state=0)), "ms"),
        Row("sliced_wasserstein, ring, 1000 vs 700, 100 dirs",
            1000 * cpu_time(lambda: sliced_wasserstein(ring_a, ring_c, random_state=0)), "ms"),
        Row("sliced_wasserstein, digits 64 px, 899 vs 899",
            1000 * cpu_time(lambda: sliced_wasserstein(digits_a, digits_b, random_state=0)), "ms"),
    ]
    big_a, _ = ring_of_gaussians(20_000, random_state=3)
    big_b, _ = ring_of_gaussians(20_000, random_state=4)
    rows.append(Row("sliced_wasserstein, ring, 20k vs 20k, 50 dirs",
                    1000 * cpu_time(lambda: sliced_wasserstein(big_a, big_b, n_projections=50, random_state=0),
                                    repeat=3), "ms", note="chapter 6 explorer's reference value"))

    # the obvious loop: one SciPy call per projection, same directions
    directions = np.random.default_rng(0).standard_normal((2, 100))
    directions /= np.linalg.norm(directions, axis=0)
    pa, pc = ring_a @ directions, ring_c @ directions
    loop = cpu_time(lambda: [stats.wasserstein_distance(pa[:, j], pc[:, j]) for j in range(100)])
    ours = cpu_time(lambda: sliced_wasserstein(ring_a, ring_c, random_state=0))
    rows.append(Row("sliced: SciPy loop / dglab (1000 vs 700, 100 dirs)", loop / ours, "ratio"))

    rng = np.random.default_rng(5)
    p_sample, q_sample = rng.normal(0, 1, 10_000), rng.normal(1, 1.5, 10_000)
    rows.append(Row("kl_divergence, 10k vs 10k, 1024-point grid",
                    1000 * cpu_time(lambda: kl_divergence(p_sample, q_sample), repeat=3), "ms"))
    rows.append(Row("knn_precision_recall, ring, 1000 vs 1000",
                    1000 * cpu_time(lambda: knn_precision_recall(ring_a, ring_b)), "ms"))
    rows.append(Row("knn_precision_recall, digit features, 899 vs 899",
                    1000 * cpu_time(lambda: knn_precision_recall(feat_a, feat_b)), "ms"))

    small_a, small_b = X[:400], X[400:800]
    ball = cpu_time(lambda: classifier_two_sample_test(small_a, small_b, random_state=0))
    k = _default_two_sample_classifier(640).n_neighbors
    brute = cpu_time(lambda: classifier_two_sample_test(
        small_a, small_b, classifier=KNeighborsClassifier(k, algorithm="brute"), random_state=0))
    ball_auc = classifier_two_sample_test(small_a, small_b, random_state=0).auc
    brute_auc = classifier_two_sample_test(
        small_a, small_b, classifier=KNeighborsClassifier(k, algorithm="brute"), random_state=0).auc
    rows += [
        Row("two-sample test, digits 400 vs 400, ball tree", 1000 * ball, "ms",
            note=f"the default; AUC {ball_auc:.3f}"),
        Row("two-sample test, digits 400 vs 400, brute force", 1000 * brute, "ms",
            note=f"|AUC difference| {abs(brute_auc - ball_auc):.1e} (ties broken differently)"),
        Row("two-sample test, ring 1000 vs 1000",
            1000 * cpu_time(lambda: classifier_two_sample_test(ring_a, ring_b, random_state=0)), "ms"),
    ]
    return rows


def agreements() -> list[Row]:
    rows = []
    # KL estimator against the closed form, n = 10,000 per side
    worst = 0.0
    for mu1, var1, mu2, var2 in [(0.0, 1.0, 1.0, 1.0), (0.0, 1.0, 1.0, 2.25), (-1.0, 0.25, 2.0, 4.0)]:
        rng = np.random.default_rng(2)
        estimate = kl_divergence(rng.normal(mu1, np.sqrt(var1), 10_000), rng.normal(mu2, np.sqrt(var2), 10_000))
        error = abs(estimate / gaussian_kl(mu1, var1, mu2, var2) - 1)
        worst = max(worst, error)
        rows.append(Row(f"KL estimate error, N({mu1:g},{var1:g}) vs N({mu2:g},{var2:g}), n=10k", 100 * error, "%",
                        f"< {100 * KL_GOAL:g} %", error < KL_GOAL))
    # closed-form KL against numerical integration (1-D) and Monte Carlo (4-D)
    gaps = []
    for mu1, var1, mu2, var2 in [(0.0, 1.0, 1.0, 2.25), (-1.0, 0.25, 2.0, 4.0), (3.0, 9.0, 0.0, 1.0)]:
        p, q = stats.norm(mu1, np.sqrt(var1)), stats.norm(mu2, np.sqrt(var2))
        numeric, _ = integrate.quad(lambda x, p=p, q=q: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), -np.inf, np.inf)
        gaps.append(abs(gaussian_kl(mu1, var1, mu2, var2) / numeric - 1))
    rows.append(Row("gaussian_kl vs quad, largest relative gap", max(gaps), "ratio", "< 1e-7", max(gaps) < 1e-7))
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(4, 4)), rng.normal(size=(4, 4))
    s1, s2 = A @ A.T + 0.5 * np.eye(4), B @ B.T + 0.5 * np.eye(4)
    m1, m2 = rng.normal(size=4), rng.normal(size=4)
    p, q = stats.multivariate_normal(m1, s1), stats.multivariate_normal(m2, s2)
    x = p.rvs(size=400_000, random_state=1)
    log_ratio = p.logpdf(x) - q.logpdf(x)
    z = abs(gaussian_kl(m1, s1, m2, s2) - log_ratio.mean()) / (log_ratio.std() / np.sqrt(len(x)))
    rows.append(Row("gaussian_kl vs Monte Carlo (4-D, 400k draws)", z, "std err", "< 4", z < 4))

    # Wasserstein distances against SciPy and closed forms
    u, v = rng.normal(size=5000), rng.normal(0.7, 1, size=3000)
    reference = stats.wasserstein_distance(u, v)
    rows.append(Row("wasserstein_1d - SciPy", abs(wasserstein_1d(u, v) - reference), "abs", "< 1e-12",
                    abs(wasserstein_1d(u, v) - reference) < 1e-12))
    sliced = sliced_wasserstein(u[:, None], v[:, None], random_state=0)
    rows.append(Row("sliced_wasserstein in 1-D - SciPy", abs(sliced - reference), "abs", "< 1e-12",
                    abs(sliced - reference) < 1e-12))
    shift = np.random.default_rng(3).normal(size=5)
    X = np.random.default_rng(4).normal(size=(500, 5))
    expected = np.linalg.norm(shift) * math.gamma(2.5) / (math.sqrt(math.pi) * math.gamma(3.0))
    error = abs(sliced_wasserstein(X, X + shift, n_projections=20_000, random_state=0) / expected - 1)
    rows.append(Row("sliced, 5-D translation vs closed form (20k dirs)", 100 * error, "%", "< 2 %", error < 0.02))
    big_u, big_v = rng.normal(size=20_000), rng.normal(1.0, 1, size=20_000)
    rows.append(Row("W1(N(0,1), N(1,1)) from 20k samples", wasserstein_1d(big_u, big_v), "", "~ 1"))

    # Fréchet distance against the closed form for diagonal covariances
    mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
    a, b = rng.uniform(0.1, 3, 6), rng.uniform(0.1, 3, 6)
    closed = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)
    gap = abs(frechet_distance_from_stats(mu1, np.diag(a), mu2, np.diag(b)) / closed - 1)
    rows.append(Row("frechet_distance vs diagonal closed form", gap, "ratio", "< 1e-10", gap < 1e-10))

    # two-sample AUCs and precision/recall on the cases the tests use
    same = [classifier_two_sample_test(rng.normal(size=(400, 3)), rng.normal(size=(400, 3)),
                                       random_state=seed).auc for seed in range(100)]
    rows.append(Row("two-sample AUC, same distribution (mean of 100)", float(np.mean(same)), "AUC", "~ 0.5",
                    note=f"standard error {np.std(same, ddof=1) / np.sqrt(100):.3f}"))
    real = rng.normal(size=(400, 3))
    shifted = classifier_two_sample_test(real, rng.normal(2.0, 1.0, size=(400, 3)), random_state=0).auc
    rows.append(Row("two-sample AUC, N(0, I) vs N(2, I) in 3-D", shifted, "AUC", "-> 1"))
    ring, mode = ring_of_gaussians(4000, random_state=2)
    half = ring[2000:][mode[2000:] < 4][:1000]
    rows.append(Row("two-sample AUC, ring vs half its modes",
                    classifier_two_sample_test(ring[:1000], half, random_state=0).auc, "AUC", "~ 0.75"))
    precision, recall = knn_precision_recall(ring[:2000], half)
    identical = knn_precision_recall(ring[:1000], ring[:1000])
    rows += [
        Row("precision, recall of identical sets", identical.precision + identical.recall, "sum", "= 2",
            identical == (1.0, 1.0)),
        Row("half the ring's modes: precision", precision, "", "high", precision > 0.95),
        Row("half the ring's modes: recall", recall, "", "~ 0.5", abs(recall - 0.5) < 0.05),
    ]
    return rows


def run() -> list[Row]:
    with threadpool_limits(limits=1, user_api="blas"):
        return timings() + agreements()
