"""SemiSupervisedNaiveBayes: EM on labelled and unlabelled rows, checked against scikit-learn."""

import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.utils.estimator_checks import parametrize_with_checks

from dglab.hybrid import UNLABELLED, SemiSupervisedNaiveBayes


# -1 marks an unlabelled row (the convention of sklearn.semi_supervised), so the one check that
# trains on the labels {-1, 1} sees a single labelled class; every other check applies as is.
@parametrize_with_checks(
    [SemiSupervisedNaiveBayes()],
    expected_failed_checks=lambda _: {"check_classifiers_classes": "-1 means unlabelled"},
)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


def _hide_labels(y, keep_per_class, seed):
    """Keep ``keep_per_class`` labels of each class, mark every other row UNLABELLED."""
    rng = np.random.default_rng(seed)
    keep = np.concatenate([rng.choice(np.flatnonzero(y == c), keep_per_class, replace=False)
                           for c in np.unique(y)])
    partial = np.full_like(y, UNLABELLED)
    partial[keep] = y[keep]
    return partial


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return X, y, _hide_labels(y, 5, seed=0)


def test_without_unlabelled_rows_it_is_gaussian_naive_bayes():
    X, y = load_wine(return_X_y=True)
    ours = SemiSupervisedNaiveBayes().fit(X, y)
    reference = GaussianNB().fit(X, y)
    np.testing.assert_allclose(ours.theta_, reference.theta_, rtol=1e-12)
    np.testing.assert_allclose(ours.var_, reference.var_, rtol=1e-10)
    np.testing.assert_allclose(ours.predict_proba(X), reference.predict_proba(X), atol=1e-10)
    assert ours.n_iter_ == 1 and ours.n_unlabelled_ == 0  # the labelled fit, no EM


def test_unlabelled_weight_zero_ignores_unlabelled_rows(cancer):
    X, _, partial = cancer
    ours = SemiSupervisedNaiveBayes(unlabelled_weight=0.0).fit(X, partial)
    labelled = partial != UNLABELLED
    reference = GaussianNB(var_smoothing=0.0).fit(X[labelled], partial[labelled])
    np.testing.assert_allclose(ours.theta_, reference.theta_, rtol=1e-12)
    # the smoothing differs (ours is computed over every row), so compare the unsmoothed variances
    np.testing.assert_allclose(ours.var_ - ours.epsilon_, reference.var_, rtol=1e-9)


def test_one_em_iteration_is_weighted_naive_bayes_on_the_posteriors(cancer):
    """E-step = the labelled-only model's predict_proba; M-step = GaussianNB with sample weights,
    each unlabelled row entered once per class with its posterior as weight."""
    X, _, partial = cancer
    labelled = partial != UNLABELLED
    X_l, y_l, X_u = X[labelled], partial[labelled], X[~labelled]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = SemiSupervisedNaiveBayes(var_smoothing=0.0, unlabelled_weight=0.5, max_iter=1).fit(X, partial)
    start = GaussianNB(var_smoothing=0.0).fit(X_l, y_l)
    R = start.predict_proba(X_u)
    classes = start.classes_
    X_rep = np.vstack([X_l] + [X_u] * len(classes))
    y_rep = np.concatenate([y_l] + [np.full(len(X_u), c) for c in classes])
    w_rep = np.concatenate([np.ones(len(X_l))] + [0.5 * R[:, k] for k in range(len(classes))])
    reference = GaussianNB(var_smoothing=0.0).fit(X_rep, y_rep, sample_weight=w_rep)
    assert ours.n_iter_ == 2  # the labelled-only fit and one EM iteration
    np.testing.assert_allclose(ours.class_prior_, reference.class_prior_, rtol=1e-10)
    np.testing.assert_allclose(ours.theta_, reference.theta_, rtol=1e-9)
    np.testing.assert_allclose(ours.var_, reference.var_, rtol=1e-7)


def test_em_never_lowers_the_likelihood(cancer):
    X, _, partial = cancer
    model = SemiSupervisedNaiveBayes(var_smoothing=0.0, tol=0.0, max_iter=40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        history = model.fit(X, partial).log_likelihood_history_
    assert 10 < len(history) <= 41  # stops once a step no longer rises (tol=0) or at max_iter
    steps = np.diff(history)
    assert np.all(steps >= -1e-9 * np.abs(history[1:])), steps.min()
    assert history[-1] > history[0] + 100  # and it does rise: by more than 100 nats here


def test_unlabelled_rows_recover_the_bayes_optimal_classifier():
    """Two spherical Gaussians, where naive Bayes is the right model: with two labels per class
    and 2000 unlabelled rows, EM reaches the Bayes-optimal accuracy Phi(a sqrt(d)) (closed form)
    within sampling error, and beats naive Bayes fitted on the four labelled rows alone."""
    a, d, n = 0.5, 4, 1000
    rng = np.random.default_rng(1)

    def draw(size):
        y = rng.integers(0, 2, size)
        return rng.standard_normal((size, d)) + np.where(y[:, None] == 1, a, -a), y

    X, y = draw(2 * n)
    partial = _hide_labels(y, 2, seed=2)
    X_test, y_test = draw(20_000)
    bayes = stats.norm.cdf(a * np.sqrt(d))  # accuracy of the optimal classifier sign(sum x)
    semi = SemiSupervisedNaiveBayes().fit(X, partial).score(X_test, y_test)
    labelled = partial != UNLABELLED
    alone = GaussianNB().fit(X[labelled], y[labelled]).score(X_test, y_test)
    assert abs(semi - bayes) < 0.01, (semi, bayes)
    assert semi > alone


def test_sampling_and_prediction_come_from_naive_bayes(cancer):
    X, _, partial = cancer
    model = SemiSupervisedNaiveBayes().fit(X, partial)
    X_new, y_new = model.sample(2000, y=model.classes_[1], random_state=0)
    assert X_new.shape == (2000, X.shape[1]) and set(y_new) == {model.classes_[1]}
    np.testing.assert_allclose(X_new.mean(axis=0), model.theta_[1],
                               atol=float(5 * np.sqrt(model.var_[1].max() / 2000)))
    assert UNLABELLED not in model.classes_


def test_bad_input_gets_clear_errors():
    X = np.random.default_rng(0).standard_normal((20, 2))
    with pytest.raises(ValueError, match="no labelled row"):
        SemiSupervisedNaiveBayes().fit(X, np.full(20, UNLABELLED))
    one_class = np.full(20, UNLABELLED)
    one_class[:3] = 1
    with pytest.raises(ValueError, match="at least 2 classes"):
        SemiSupervisedNaiveBayes().fit(X, one_class)
    good = np.full(20, UNLABELLED)
    good[:4] = [0, 0, 1, 1]
    for name, value in [("unlabelled_weight", -1.0), ("tol", np.nan), ("max_iter", 2.5)]:
        with pytest.raises(ValueError, match=name):
            SemiSupervisedNaiveBayes(**{name: value}).fit(X, good)
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SemiSupervisedNaiveBayes().fit(X_nan, good)
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        SemiSupervisedNaiveBayes(max_iter=1, tol=0.0).fit(X, good)


def test_fit_is_deterministic():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, y, random_state=0)
    partial = _hide_labels(y_train, 3, seed=0)
    first = SemiSupervisedNaiveBayes().fit(X_train, partial)
    second = SemiSupervisedNaiveBayes().fit(X_train, partial)
    np.testing.assert_array_equal(first.theta_, second.theta_)
    assert first.n_iter_ == second.n_iter_
