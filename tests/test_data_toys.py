import numpy as np
import pytest
from sklearn.datasets import load_digits

from dglab.data import load_digits_scaled, ring_centers, ring_of_gaussians


def test_ring_centers_are_evenly_spaced_on_the_circle():
    centers = ring_centers(8, radius=2.0)
    assert centers.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 2.0)
    np.testing.assert_allclose(centers[0], [2.0, 0.0])
    np.testing.assert_allclose(centers[2], [0.0, 2.0], atol=1e-12)
    # neighbours are one chord apart: 2 r sin(pi / n)
    chords = np.linalg.norm(centers - np.roll(centers, 1, axis=0), axis=1)
    np.testing.assert_allclose(chords, 2 * 2.0 * np.sin(np.pi / 8))


def test_ring_of_gaussians_shapes_and_determinism():
    X, mode = ring_of_gaussians(500, n_modes=5, random_state=3)
    assert X.shape == (500, 2) and mode.shape == (500,)
    assert mode.min() >= 0 and mode.max() <= 4
    X2, mode2 = ring_of_gaussians(500, n_modes=5, random_state=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(mode, mode2)
    X3, _ = ring_of_gaussians(500, n_modes=5, random_state=4)
    assert not np.array_equal(X, X3)


def test_ring_of_gaussians_matches_its_parameters():
    n_modes, radius, std = 6, 3.0, 0.1
    X, mode = ring_of_gaussians(60_000, n_modes=n_modes, radius=radius, std=std, random_state=0)
    centers = ring_centers(n_modes, radius)
    # modes are equally likely
    shares = np.bincount(mode, minlength=n_modes) / len(mode)
    np.testing.assert_allclose(shares, 1 / n_modes, atol=0.01)
    for k in range(n_modes):
        points = X[mode == k]
        # mean within a few standard errors of the centre, std within 3 % of the parameter
        np.testing.assert_allclose(points.mean(axis=0), centers[k], atol=5 * std / np.sqrt(len(points)))
        np.testing.assert_allclose(points.std(axis=0), std, rtol=0.03)
        assert abs(np.corrcoef(points.T)[0, 1]) < 0.05  # isotropic: no correlation


def test_ring_of_gaussians_with_zero_std_sits_on_the_centres():
    X, mode = ring_of_gaussians(20, std=0.0, random_state=0)
    np.testing.assert_allclose(X, ring_centers()[mode])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_samples=0), "n_samples"),
        (dict(n_samples=2.5), "n_samples"),
        (dict(n_samples=10, n_modes=0), "n_modes"),
        (dict(n_samples=10, radius=0.0), "radius"),
        (dict(n_samples=10, radius=np.nan), "radius"),
        (dict(n_samples=10, std=-0.1), "std"),
        (dict(n_samples=10, std=np.inf), "std"),
    ],
)
def test_ring_of_gaussians_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ring_of_gaussians(**kwargs)


def test_load_digits_scaled_is_sklearn_digits_over_16():
    X, y = load_digits_scaled()
    raw = load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(X * 16, raw.data)
    np.testing.assert_array_equal(y, raw.target)
    X[0, 0] = 5.0  # a copy: changing it does not change the next load
    assert load_digits_scaled()[0][0, 0] == 0.0
