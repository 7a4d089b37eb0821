"""dglab.naive_bayes.weighted_class_statistics (the readable statistics chapter 8 shows and
hybrid's M-step uses) against scikit-learn's GaussianNB with sample weights."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from dglab.naive_bayes import weighted_class_statistics


@pytest.mark.parametrize("seed", range(3))
def test_soft_weights_match_gaussian_nb_on_rows_repeated_per_class(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 3)) * [1.0, 5.0, 0.1]
    W = rng.dirichlet(np.ones(4), size=len(X))  # soft memberships, as in an E-step
    count, mean, var = weighted_class_statistics(X, W)
    # a soft row i is row i in every class c with weight W[i, c]
    n_classes = W.shape[1]
    reference = GaussianNB(var_smoothing=0.0).fit(
        np.tile(X, (n_classes, 1)), np.repeat(np.arange(n_classes), len(X)), sample_weight=W.T.ravel())
    np.testing.assert_allclose(count, reference.class_count_, rtol=1e-12)
    np.testing.assert_allclose(mean, reference.theta_, rtol=1e-10)
    np.testing.assert_allclose(var, reference.var_, rtol=1e-9)


def test_one_hot_weights_are_the_per_class_statistics():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), np.arange(30) % 3
    count, mean, var = weighted_class_statistics(X, np.eye(3)[y])
    np.testing.assert_array_equal(count, [10, 10, 10])
    np.testing.assert_allclose(mean, [X[y == c].mean(axis=0) for c in range(3)])
    np.testing.assert_allclose(var, [X[y == c].var(axis=0) for c in range(3)])
