"""dglab.coverage: mode coverage, against a loop over samples written from the definition."""


import numpy as np
import pytest

from dglab.coverage import mode_coverage
from dglab.data import ring_centers, ring_of_gaussians

HQ_RADIUS = 0.06


def _coverage_by_loops(samples, centers, radius, min_share):
    counts = [0] * len(centers)
    good = 0
    for s in samples:
        d = [np.sqrt(np.sum((s - c) ** 2)) for c in centers]
        k = int(np.argmin(d))
        if d[k] <= radius:
            good += 1
            counts[k] += 1
    covered = sum(c >= min_share * len(samples) for c in counts)
    return covered, good / len(samples), tuple(counts)


def test_mode_coverage_matches_a_loop_over_samples():
    rng = np.random.default_rng(0)
    centers = ring_centers(8)
    samples = np.r_[centers[rng.integers(0, 5, size=300)] + rng.normal(0, 0.05, size=(300, 2)),
                    rng.uniform(-3, 3, size=(100, 2))]
    got = mode_coverage(samples, centers, 0.1, min_share=0.02)
    covered, high_quality, counts = _coverage_by_loops(samples, centers, 0.1, 0.02)
    assert (got.n_covered, got.counts) == (covered, counts)
    assert got.high_quality == pytest.approx(high_quality)
    assert got.n_modes == 8 and got.n_covered == 5


def test_mode_coverage_of_the_data_itself_and_of_a_collapsed_generator():
    X, _ = ring_of_gaussians(2000, random_state=1)
    full = mode_coverage(X, ring_centers(), HQ_RADIUS)
    assert full.n_covered == 8 and full.high_quality > 0.98  # 3 sigma in 2-D holds 98.9 %
    collapsed = np.repeat(ring_centers()[:1], 1000, axis=0)
    one = mode_coverage(collapsed, ring_centers(), HQ_RADIUS)
    assert (one.n_covered, one.high_quality) == (1, 1.0)
    assert str(one) == "1/8 modes, 100% high-quality samples"


def test_a_few_stray_samples_do_not_cover_a_mode():
    centers = ring_centers(8)
    samples = np.r_[np.repeat(centers[:1], 995, axis=0), np.repeat(centers[1:2], 5, axis=0)]
    assert mode_coverage(samples, centers, 0.06).n_covered == 1  # 5 < 1 % of 1000
    assert mode_coverage(samples, centers, 0.06, min_share=0.005).n_covered == 2


def test_mode_coverage_rejects_bad_input():
    centers = ring_centers(8)
    with pytest.raises(ValueError, match="samples have 3 features but centers have 2"):
        mode_coverage(np.zeros((5, 3)), centers, 0.1)
    with pytest.raises(ValueError, match="radius"):
        mode_coverage(np.zeros((5, 2)), centers, 0.0)
    with pytest.raises(ValueError, match="min_share"):
        mode_coverage(np.zeros((5, 2)), centers, 0.1, min_share=0)
    with pytest.raises(ValueError, match="NaN"):
        mode_coverage(np.full((5, 2), np.nan), centers, 0.1)
