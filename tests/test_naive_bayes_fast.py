"""The matrix-product statistics EM uses (weighted_class_statistics_fast,
gaussian_joint_log_likelihood_fast) against the readable ones chapter 8 shows, including the
features where expanding the squares cancels, and SemiSupervisedNaiveBayes against an EM
written with the readable functions only."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import logsumexp
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.model_selection import train_test_split

from dglab.hybrid import UNLABELLED, SemiSupervisedNaiveBayes
from dglab.naive_bayes import (
    gaussian_joint_log_likelihood,
    gaussian_joint_log_likelihood_fast,
    weighted_class_statistics,
    weighted_class_statistics_fast,
)

# Stated tolerances: means to 1e-13 relative (the same product, but with one BLAS thread its
# rounding can differ), variances to 1e-11 relative, joint log-likelihoods to 1e-12 of the
# larger of the value and the number of features (measured: 1e-13 and 1e-14 on these data).
MEAN_RTOL = 1e-13
VAR_RTOL = 1e-11
JLL_RTOL = 1e-12


def _near_constant_data(seed=0):
    """Rows of 3 classes with features that make the expanded squares cancel: an offset of 1e3
    with a spread of 1e-6, a feature constant at 16 within class 0 (variance 0 there), one
    constant at 0 within class 1, and two ordinary ones."""
    rng = np.random.default_rng(seed)
    y = np.arange(300) % 3
    X = np.column_stack([
        1e3 + 1e-6 * rng.normal(size=len(y)),
        np.where(y == 0, 16.0, rng.integers(0, 17, len(y))),
        np.where(y == 1, 0.0, rng.integers(0, 17, len(y))),
        rng.normal(size=len(y)),
        5 * rng.normal(size=len(y)) + y,
    ])
    return X, y


def _datasets():
    yield "near-constant", *_near_constant_data()
    for load in (load_wine, load_breast_cancer, load_digits):
        yield load.__name__, *load(return_X_y=True)


@pytest.mark.parametrize(("name", "X", "y"), list(_datasets()), ids=lambda v: v if isinstance(v, str) else "")
def test_weighted_class_statistics_fast_matches_the_readable_one(name, X, y):
    rng = np.random.default_rng(1)
    n_classes = len(np.unique(y))
    one_hot = np.eye(n_classes)[y]
    soft = 0.9 * one_hot + 0.1 * rng.dirichlet(np.ones(n_classes), size=len(y))  # an E-step
    for W in (one_hot, soft):
        count, mean, var = weighted_class_statistics(X, W)
        fast_count, fast_mean, fast_var = weighted_class_statistics_fast(X, W)
        np.testing.assert_array_equal(fast_count, count)
        np.testing.assert_allclose(fast_mean, mean, rtol=MEAN_RTOL, atol=0)
        np.testing.assert_allclose(fast_var, var, rtol=VAR_RTOL, atol=0)


@pytest.mark.parametrize(("name", "X", "y"), list(_datasets()), ids=lambda v: v if isinstance(v, str) else "")
def test_joint_log_likelihood_fast_matches_the_readable_one(name, X, y):
    n_classes = len(np.unique(y))
    count, mean, var = weighted_class_statistics(X, np.eye(n_classes)[y])
    var = var + 1e-9 * X.var(axis=0).max()  # the smoothing of GaussianNaiveBayes
    prior = count / count.sum()
    reference = gaussian_joint_log_likelihood(X, prior, mean, var)
    fast = gaussian_joint_log_likelihood_fast(X, prior, mean, var)
    assert np.all(np.abs(fast - reference) <= JLL_RTOL * np.maximum(np.abs(reference), X.shape[1]))
    # rows that fit their class exactly where its variance is tiny are where cancellation bites
    np.testing.assert_array_equal(fast.argmax(axis=1), reference.argmax(axis=1))


def test_the_near_constant_features_do_defeat_the_plain_expansion():
    """The test data above has teeth: without the fallback to differences both expansions
    are wrong by far more than the stated tolerances."""
    X, y = _near_constant_data()
    W = np.eye(3)[y]
    count, mean, var = weighted_class_statistics(X, W)
    expanded_var = (W.T @ np.square(X)) / count[:, None] - np.square(mean)
    assert np.max(np.abs(expanded_var[:, 0] - var[:, 0]) / var[:, 0]) > 1e-3
    var = var + 1e-9 * X.var(axis=0).max()
    prior = count / count.sum()
    reference = gaussian_joint_log_likelihood(X, prior, mean, var)
    expanded = (np.log(prior) - 0.5 * np.sum(np.log(2 * np.pi * var), axis=1)
                - 0.5 * (np.square(X) @ (1 / var).T - 2 * X @ (mean / var).T + np.sum(mean**2 / var, axis=1)))
    assert np.max(np.abs(expanded - reference) / np.maximum(np.abs(reference), X.shape[1])) > 1e3 * JLL_RTOL


def test_joint_log_likelihood_fast_overflow_and_zero_prior_as_the_readable_one():
    X, y = load_wine(return_X_y=True)
    count, mean, var = weighted_class_statistics(X, np.eye(3)[y])
    var = var + 1e-9 * X.var(axis=0).max()
    prior = np.array([0.5, 0.5, 0.0])
    X = X[:5].copy()
    X[0, 3] = 1e200  # its square overflows: -inf for every class, by differences too
    with np.errstate(over="ignore"):
        reference = gaussian_joint_log_likelihood(X, prior, mean, var)
    fast = gaussian_joint_log_likelihood_fast(X, prior, mean, var)
    np.testing.assert_array_equal(np.isneginf(fast), np.isneginf(reference))
    assert np.isneginf(fast[0]).all() and np.isneginf(fast[:, 2]).all()
    finite = np.isfinite(reference)
    np.testing.assert_allclose(fast[finite], reference[finite], rtol=JLL_RTOL)


def _readable_em(X, y, max_iter=100, tol=1e-6):
    """SemiSupervisedNaiveBayes.fit written with the readable statistics only: the reference."""
    unlabelled = y == UNLABELLED
    classes, label_index = np.unique(y[~unlabelled], return_inverse=True)
    X_l, X_u = X[~unlabelled], X[unlabelled]
    X_all = np.vstack([X_l, X_u])
    epsilon = 1e-9 * np.var(X, axis=0).max()
    W_l = np.eye(len(classes))[label_index]
    W = np.vstack([W_l, np.zeros((len(X_u), len(classes)))])
    history = []
    for _ in range(max_iter + 1):
        count, mean, var = weighted_class_statistics(X_all, W)
        var = var + epsilon
        prior = count / count.sum()
        labelled = gaussian_joint_log_likelihood(X_l, prior, mean, var)[np.arange(len(X_l)), label_index]
        joint = gaussian_joint_log_likelihood(X_u, prior, mean, var)
        log_px = logsumexp(joint, axis=1, keepdims=True)
        history.append(labelled.sum() + log_px.sum())
        if len(history) > 1 and history[-1] - history[-2] < tol * len(X):
            break
        W = np.vstack([W_l, np.exp(joint - log_px)])
    return classes, mean, var, np.asarray(history)


@pytest.mark.parametrize("load", [load_digits, load_breast_cancer])
@pytest.mark.parametrize("labels_per_class", [2, 10])
def test_em_matches_an_em_of_the_readable_statistics(load, labels_per_class):
    X, y = load(return_X_y=True)
    X_pool, X_test, y_pool, _ = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    rng = np.random.default_rng(0)
    keep = np.concatenate([rng.choice(np.flatnonzero(y_pool == c), labels_per_class, replace=False)
                           for c in np.unique(y)])
    partial = np.full_like(y_pool, UNLABELLED)
    partial[keep] = y_pool[keep]
    model = SemiSupervisedNaiveBayes().fit(X_pool, partial)
    classes, mean, var, history = _readable_em(X_pool, partial)
    assert model.n_iter_ == len(history)
    # EM amplifies rounding along its path (the readable and the blocked likelihoods, 1e-16
    # apart, give log-likelihoods up to 3e-5 apart mid-way on digits), then contracts it
    np.testing.assert_allclose(model.log_likelihood_history_[-1], history[-1], rtol=1e-12)
    np.testing.assert_allclose(model.theta_, mean, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(model.var_, var, rtol=1e-8)
    reference = gaussian_joint_log_likelihood(X_test, model.class_prior_, mean, var)
    np.testing.assert_array_equal(model.predict(X_test), classes[reference.argmax(axis=1)])
