"""The exercise checks: each reference solution passes, each typical wrong answer fails with its
hint, bad input gets a message (never a traceback), and every exercise has a starter cell."""

from __future__ import annotations

import copy
import re

import numpy as np
import pandas as pd
import pytest
import torch
from scipy import stats
from scipy.stats import multivariate_normal
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import cross_val_predict
from sklearn.neighbors import NearestNeighbors

from coursetools import course
from dglab.exercises import (
    CheckResult,
    ch01,
    ch02,
    ch03,
    ch04,
    ch05,
    ch06,
    ch07,
    ch08,
    ch09,
    ch10,
    ch11,
    ch12,
    ch13,
    ch14,
    ch15,
    ch16,
)


def assert_fails(result, *fragments):
    assert isinstance(result, CheckResult)
    assert not result.passed and result.answered, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


def assert_passes(result):
    assert isinstance(result, CheckResult)
    assert result.passed and result.answered, result.message


# ----------------------------------------------------------------------------- shared behaviour

def test_placeholder_is_not_yet_answered_and_prints_one_line(capsys):
    result = ch03.check_curvature_bound(..., np.eye(3), 0.1)
    assert not result.passed and not result.answered and not result
    assert capsys.readouterr().out.startswith("… not yet answered")


@pytest.mark.parametrize("call", [
    lambda: ch15.check_identifier_kinds({"DOI": ..., "none": ...}, "references.bib"),
    lambda: ch06.check_mode_metrics({m: (..., ..., ...) for m in (1, 2, 4, 6, 8)}, "recall"),
    lambda: ch13.check_flag_counts({(n, d): (..., ...) for n in (50, 400) for d in (0.0, 0.001, 0.02, 0.1)}),
])
def test_placeholders_inside_containers_are_not_yet_answered(call):
    result = call()
    assert not result.answered and "# YOUR CODE" in result.message


def test_a_placeholder_returned_by_the_learners_function_is_not_yet_answered():
    result = ch03.check_alpha_from_C(lambda C, n: ...)
    assert not result.answered


def test_not_implemented_in_the_learners_function_is_not_yet_answered():
    def unfinished(theta):
        raise NotImplementedError

    assert not ch02.check_hessian(unfinished, np.eye(3)[:, :2], np.array([0, 1, 1]), 0.1).answered


def test_an_error_inside_the_learners_function_is_feedback():
    assert_fails(ch03.check_alpha_from_C(lambda C, n: 1 / 0), "ZeroDivisionError")


def test_pass_prints_a_tick(capsys):
    assert_passes(ch03.check_alpha_from_C(lambda C, n: 1 / (C * n)))
    assert capsys.readouterr().out.startswith("✓ ")


def test_result_does_not_display_twice_in_ipython():
    # IPython calls _ipython_display_ instead of showing the repr; the message was printed already
    assert ch03.check_alpha_from_C(lambda C, n: 1 / (C * n))._ipython_display_() is None


# ----------------------------------------------------------------------------- chapter 1

@pytest.fixture(scope="module")
def tumours():
    X, y = make_classification(400, n_features=5, weights=[0.6], flip_y=0.05, random_state=0)
    model = LogisticRegression()
    proba = cross_val_predict(model, X[:300], y[:300], cv=5, method="predict_proba")[:, 1]
    test = model.fit(X[:300], y[:300]).predict_proba(X[300:])[:, 1]
    return proba, y[:300], test, y[300:]


def _best_threshold(proba, y, miss, alarm):
    costs = {t: miss * np.sum((proba < t) & (y == 1)) + alarm * np.sum((proba >= t) & (y == 0))
             for t in ch01.THRESHOLDS}
    return min(costs, key=costs.get)


def test_ch1_threshold_reference_passes(tumours):
    proba, y, test, y_test = tumours
    assert_passes(ch01.check_threshold(_best_threshold(proba, y, 20, 1), proba, y, test, y_test))


def test_ch1_threshold_swapped_costs_get_a_hint(tumours):
    proba, y, _, _ = tumours
    swapped = _best_threshold(proba, y, 1, 20)
    assert swapped != _best_threshold(proba, y, 20, 1)
    assert_fails(ch01.check_threshold(swapped, proba, y), "other way round")


def test_ch1_threshold_chosen_by_accuracy_gets_a_hint(tumours):
    proba, y, _, _ = tumours
    accuracy = {t: np.mean((proba >= t) == (y == 1)) for t in ch01.THRESHOLDS}
    by_accuracy = max(accuracy, key=accuracy.get)
    assert by_accuracy not in (_best_threshold(proba, y, 20, 1), _best_threshold(proba, y, 1, 20))
    assert_fails(ch01.check_threshold(by_accuracy, proba, y), "maximises accuracy")


def test_ch1_threshold_tuned_on_the_test_set_gets_a_hint():
    # constructed so that the out-of-fold and the test optimum differ
    y = np.array([1] * 10 + [0] * 40)
    proba = np.r_[np.full(10, 0.45), np.linspace(0.0, 0.3, 40)]
    y_test = np.array([1] * 10 + [0] * 40)
    test = np.r_[np.full(10, 0.15), np.linspace(0.0, 0.3, 40)]
    on_test = _best_threshold(test, y_test, 20, 1)
    assert on_test != _best_threshold(proba, y, 20, 1)
    assert_fails(ch01.check_threshold(on_test, proba, y, test, y_test), "*test* set")


def test_ch1_threshold_bad_input_is_a_message(tumours):
    proba, y, _, _ = tumours
    assert_fails(ch01.check_threshold(0.33, proba, y), "not one of the thresholds")
    assert_fails(ch01.check_threshold(0.5, np.c_[1 - proba, proba], y), "two columns")
    assert_fails(ch01.check_threshold(0.5, proba[:10], y), "one probability per training tumour")
    assert_fails(ch01.check_threshold("0.5", proba, y), "should be an array of numbers")


@pytest.fixture(scope="module")
def cloud():
    rng = np.random.default_rng(1)
    X = rng.multivariate_normal([1, 2], [[2, 0.8], [0.8, 1]], size=200)
    points = {"mean": X.mean(axis=0), "far": X.mean(axis=0) + [30, 0], "across": X.mean(axis=0) + [0, 10]}
    return X, points


def test_ch1_density_reference_passes(cloud):
    X, points = cloud
    density = multivariate_normal(X.mean(axis=0), np.cov(X, rowvar=False))
    assert_passes(ch01.check_density({n: density.logpdf(p) for n, p in points.items()}, X, points))
    assert_passes(ch01.check_density([density.logpdf(p) for p in points.values()], X, points))


@pytest.mark.parametrize("mistake, hint", [
    (lambda X, p: multivariate_normal(X.mean(axis=0), np.cov(X, rowvar=False)).pdf(p), "not log-densities"),
    (lambda X, p: multivariate_normal(X.mean(axis=0)).logpdf(p), "ignore the covariance"),
    (lambda X, p: -multivariate_normal(X.mean(axis=0), np.cov(X, rowvar=False)).logpdf(p), "signs are flipped"),
])
def test_ch1_density_typical_mistakes(cloud, mistake, hint):
    X, points = cloud
    assert_fails(ch01.check_density({n: mistake(X, p) for n, p in points.items()}, X, points), hint)


def test_ch1_density_bad_input(cloud):
    X, points = cloud
    assert_fails(ch01.check_density({"mean": 0.0}, X, points), "no value for")
    assert_fails(ch01.check_density([1.0, 2.0], X, points), "shape")


# ----------------------------------------------------------------------------- chapter 2

@pytest.fixture(scope="module")
def toy():
    X, y = make_classification(60, n_features=2, n_redundant=0, random_state=0)
    return X, y


def _hessian(X, alpha, *, divide=True, penalty=1.0, bias_penalty=False, weights="p(1-p)"):
    X_tilde = np.c_[X, np.ones(len(X))]

    def hessian(theta):
        p = 1 / (1 + np.exp(-(X_tilde @ theta)))
        s = p * (1 - p) if weights == "p(1-p)" else p
        diagonal = np.ones(X.shape[1] + 1) if bias_penalty else np.r_[np.ones(X.shape[1]), 0.0]
        return (X_tilde.T * s) @ X_tilde / (len(X) if divide else 1) + penalty * alpha * np.diag(diagonal)

    return hessian


def test_ch2_hessian_reference_passes(toy):
    X, y = toy
    assert_passes(ch02.check_hessian(_hessian(X, 0.05), X, y, 0.05))


@pytest.mark.parametrize("options, hint", [
    ({"divide": False}, "divide by n"),
    ({"penalty": 0.0}, "forget the penalty"),
    ({"bias_penalty": True}, "intercept b is not penalised"),
    ({"weights": "p"}, "p (1 - p)"),
    ({"penalty": 0.5}, "not alpha / 2"),
])
def test_ch2_hessian_typical_mistakes(toy, options, hint):
    X, y = toy
    assert_fails(ch02.check_hessian(_hessian(X, 0.05, **options), X, y, 0.05), "differs from autograd", hint)


def test_ch2_hessian_without_intercept_gets_a_hint(toy):
    X, y = toy

    def no_bias(theta):
        p = 1 / (1 + np.exp(-(X @ theta[:2] + theta[2])))
        return (X.T * (p * (1 - p))) @ X / len(X) + 0.05 * np.eye(2)

    assert_fails(ch02.check_hessian(no_bias, X, y, 0.05), "column of ones")


def test_ch2_hessian_other_error_names_the_entry(toy):
    X, y = toy
    right = _hessian(X, 0.05)

    def off(theta):
        h = right(theta)
        h[2, 2] += 0.1
        return h

    assert_fails(ch02.check_hessian(off, X, y, 0.05), "bias entry")


def test_ch2_hessian_bad_input(toy):
    X, y = toy
    assert_fails(ch02.check_hessian(np.eye(3), X, y, 0.05), "should be a function")
    assert_fails(ch02.check_hessian(lambda t: np.eye(4), X, y, 0.05), "(3, 3) matrix")
    assert_fails(ch02.check_hessian(lambda t: "H", X, y, 0.05), "array of numbers")


def test_ch2_softmax_reference_passes():
    assert_passes(ch02.check_softmax_as_sigmoid(lambda W, b: (W[:, 1] - W[:, 0], b[1] - b[0])))


def test_ch2_softmax_typical_mistakes():
    assert_fails(ch02.check_softmax_as_sigmoid(lambda W, b: (W[:, 0] - W[:, 1], b[0] - b[1])), "P(y = 0 | x)")
    assert_fails(ch02.check_softmax_as_sigmoid(lambda W, b: (W[:, 1] - W[:, 0], b[1])), "intercept")
    assert_fails(ch02.check_softmax_as_sigmoid(lambda W, b: (W[:, 1], b[1])), "divide numerator")


def test_ch2_softmax_bad_input():
    assert_fails(ch02.check_softmax_as_sigmoid(lambda W, b: W), "pair (w, b0)")
    assert_fails(ch02.check_softmax_as_sigmoid(lambda W, b: (W, b)), "shape")


# ----------------------------------------------------------------------------- chapter 3

@pytest.fixture(scope="module")
def standardized():
    X, _ = make_classification(120, n_features=6, random_state=2)
    return (X - X.mean(axis=0)) / X.std(axis=0)


def _bound(X, alpha):
    X_tilde = np.c_[X, np.ones(len(X))]
    return np.linalg.eigvalsh(X_tilde.T @ X_tilde / len(X)).max() / 4 + alpha


def test_ch3_curvature_reference_passes(standardized):
    assert_passes(ch03.check_curvature_bound(_bound(standardized, 0.01), standardized, 0.01))


@pytest.mark.parametrize("mistake, hint", [
    (lambda X, a: 4 * (_bound(X, a) - a) + a, "divide lambda_max by 4"),
    (lambda X, a: _bound(X, a) - a, "add alpha"),
    (lambda X, a: 2 / _bound(X, a), "2 / L"),
])
def test_ch3_curvature_typical_mistakes(standardized, mistake, hint):
    assert_fails(ch03.check_curvature_bound(mistake(standardized, 0.01), standardized, 0.01), hint)


def test_ch3_curvature_without_the_column_of_ones_gets_a_hint(standardized):
    # on centred data the column of ones does not change lambda_max (the block is diagonal);
    # on uncentred data it does
    shifted = standardized + 3.0
    forgot = np.linalg.eigvalsh(shifted.T @ shifted / len(shifted)).max() / 4 + 0.01
    assert_fails(ch03.check_curvature_bound(forgot, shifted, 0.01), "column of ones")


def test_ch3_curvature_bad_input(standardized):
    assert_fails(ch03.check_curvature_bound(np.ones(3), standardized, 0.01), "single number")
    assert_fails(ch03.check_curvature_bound(True, standardized, 0.01), "bool")
    assert_fails(ch03.check_curvature_bound(1.0, standardized[:, 0], 0.01), "dimension")


def test_ch3_alpha_reference_passes():
    assert_passes(ch03.check_alpha_from_C(lambda C, n: 1 / (C * n)))


def test_ch3_alpha_typical_mistakes():
    assert_fails(ch03.check_alpha_from_C(lambda C, n: 1 / C), "n = 80 times too strong")
    assert_fails(ch03.check_alpha_from_C(lambda C, n: 2 / (C * n)), "factor of 2")
    assert_fails(ch03.check_alpha_from_C(lambda C, n: C / n), "coefficients")
    assert_fails(ch03.check_alpha_from_C(lambda C, n: -1.0), "positive")


# ----------------------------------------------------------------------------- chapter 4

@pytest.fixture(scope="module")
def clusters():
    from dglab.data import ring_of_gaussians

    X_train, _ = ring_of_gaussians(800, random_state=0)
    X_test, mode_test = ring_of_gaussians(800, random_state=1)
    fitted = {K: GaussianMixture(K, random_state=0).fit(X_train) for K in range(1, 11)}
    return fitted, X_train, X_test, mode_test


def test_ch4_bic_reference_passes(clusters):
    fitted, X_train, X_test, _ = clusters
    bic = {K: m.bic(X_train) for K, m in fitted.items()}
    heldout = {K: m.score(X_test) for K, m in fitted.items()}
    result = ch04.check_choose_K(min(bic, key=bic.get), max(heldout, key=heldout.get), fitted, X_train, X_test)
    assert_passes(result)


def test_ch4_bic_typical_mistakes(clusters):
    fitted, X_train, X_test, _ = clusters
    bic = {K: m.bic(X_train) for K, m in fitted.items()}
    heldout = {K: m.score(X_test) for K, m in fitted.items()}
    training = {K: m.score(X_train) for K, m in fitted.items()}
    good_bic, good_heldout = min(bic, key=bic.get), max(heldout, key=heldout.get)
    assert_fails(ch04.check_choose_K(max(bic, key=bic.get), good_heldout, fitted, X_train, X_test), "*highest* BIC")
    assert max(training, key=training.get) != good_heldout
    assert_fails(ch04.check_choose_K(good_bic, max(training, key=training.get), fitted, X_train, X_test),
                 "*training* points")
    assert_fails(ch04.check_choose_K(good_bic, min(heldout, key=heldout.get), fitted, X_train, X_test),
                 "*lowest* held-out")


def test_ch4_bic_bad_input(clusters):
    fitted, X_train, X_test, _ = clusters
    assert_fails(ch04.check_choose_K(8.5, 8, fitted, X_train, X_test), "one of the fitted K")
    assert_fails(ch04.check_choose_K(40, 8, fitted, X_train, X_test), "one of the fitted K")
    assert_fails(ch04.check_choose_K(8, 8, [], X_train, X_test), "dict")


def test_ch4_adjusted_rand_index_matches_scikit_learn():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 4, 300), rng.integers(0, 5, 300)
    assert ch04.adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_score(a, b))
    assert ch04.adjusted_rand_index(a, (a + 1) % 4) == pytest.approx(1.0)


def test_ch4_latent_reference_and_mistakes(clusters):
    fitted, _, X_test, mode_test = clusters
    mixtures = {8: fitted[8], 4: fitted[4]}
    right = {K: adjusted_rand_score(mode_test, m.predict(X_test)) for K, m in mixtures.items()}
    assert_passes(ch04.check_latent_recovery(right, mixtures, X_test, mode_test))
    accuracy = {K: np.mean(m.predict(X_test) == mode_test) for K, m in mixtures.items()}
    assert_fails(ch04.check_latent_recovery(accuracy, mixtures, X_test, mode_test), "arbitrary names")
    assert_fails(ch04.check_latent_recovery({8: 0.5}, mixtures, X_test, mode_test), "contingency-table")
    assert_fails(ch04.check_latent_recovery({3: 0.5}, mixtures, X_test, mode_test), "no fitted mixture")
    assert_fails(ch04.check_latent_recovery(0.9, mixtures, X_test, mode_test), "dict")


# ----------------------------------------------------------------------------- chapter 5

@pytest.fixture(scope="module")
def networks():
    torch.manual_seed(0)
    generator = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
    # a discriminator that confidently rejects the generator's points, as a trained one would
    discriminator = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    with torch.no_grad():
        discriminator[2].bias.fill_(-6.0)
    z = torch.randn(256, 2, generator=torch.Generator().manual_seed(0))
    return generator, discriminator, z


def _norm(generator, discriminator, z, loss):
    logits = discriminator(generator(z))
    grads = torch.autograd.grad(loss(logits), list(generator.parameters()))
    return torch.sqrt(sum((g**2).sum() for g in grads)).item()


def _minimax(logits):
    return torch.log1p(-torch.sigmoid(logits)).mean()


def _non_saturating(logits):
    return torch.nn.functional.softplus(-logits).mean()


def test_ch5_saturation_reference_passes(networks):
    G, D, z = networks
    result = ch05.check_saturation(_norm(G, D, z, _minimax), _norm(G, D, z, _non_saturating), G, D, z)
    assert_passes(result)
    assert "is larger" in result.message


def test_ch5_saturation_typical_mistakes(networks):
    G, D, z = networks
    minimax, non_saturating = _norm(G, D, z, _minimax), _norm(G, D, z, _non_saturating)
    assert_fails(ch05.check_saturation(non_saturating, minimax, G, D, z), "other loss")
    summed = _norm(G, D, z, lambda s: torch.log1p(-torch.sigmoid(s)).sum())
    assert_fails(ch05.check_saturation(summed, non_saturating, G, D, z), "times too large")
    # the gradient over the discriminator's parameters instead of the generator's
    logits = D(G(z))
    wrong = torch.autograd.grad(_minimax(logits), list(D.parameters()))
    wrong_norm = torch.sqrt(sum((g**2).sum() for g in wrong)).item()
    assert_fails(ch05.check_saturation(wrong_norm, non_saturating, G, D, z), "generator's* parameters")


def test_ch5_saturation_bad_input(networks):
    G, D, z = networks
    assert_fails(ch05.check_saturation(1.0, 1.0, G, D, z.numpy()), "torch tensor")
    assert_fails(ch05.check_saturation(1.0, 1.0, "G", D, z), "torch modules")
    assert_fails(ch05.check_saturation([1.0, 2.0], 1.0, G, D, z), "single number")


@pytest.fixture(scope="module")
def digits_like():
    rng = np.random.default_rng(0)
    return rng.normal(size=(300, 8)), rng.normal(size=(40, 8)), rng.normal(size=(40, 8))


def test_ch5_nearest_reference_and_mistakes(digits_like):
    X_train, fake, real = digits_like
    index = NearestNeighbors(n_neighbors=1).fit(X_train)
    gan_nn, real_nn = index.kneighbors(fake)[0].ravel(), index.kneighbors(real)[0].ravel()
    assert_passes(ch05.check_nearest_distances(gan_nn, real_nn, X_train, fake, real))
    assert_passes(ch05.check_nearest_distances(index.kneighbors(fake)[0], real_nn, X_train, fake, real))
    assert_fails(ch05.check_nearest_distances(gan_nn**2, real_nn, X_train, fake, real), "squared")
    self_index = NearestNeighbors(n_neighbors=1).fit(fake)
    assert_fails(ch05.check_nearest_distances(self_index.kneighbors(fake)[0].ravel(), real_nn, X_train, fake, real),
                 "contains the points you query")
    assert_fails(ch05.check_nearest_distances(index.kneighbors(fake)[1].ravel(), real_nn, X_train, fake, real),
                 "indices")
    assert_fails(ch05.check_nearest_distances(index.kneighbors(fake), real_nn, X_train, fake, real),
                 "(distances, indices)")
    assert_fails(ch05.check_nearest_distances(gan_nn[:5], real_nn, X_train, fake, real), "one distance per")


# ----------------------------------------------------------------------------- chapter 6

def _gaussian_kl_1d(m1, v1, m2, v2):
    return 0.5 * (np.log(v2 / v1) + (v1 + (m1 - m2) ** 2) / v2 - 1)


EXACT = {"KL(p || q)": _gaussian_kl_1d(0, 1, 1, 2.25), "KL(q || p)": _gaussian_kl_1d(1, 2.25, 0, 1)}


def test_ch6_kl_reference_passes():
    from dglab.metrics import gaussian_kl

    exact = {"KL(p || q)": gaussian_kl(0, 1, 1, 1.5**2), "KL(q || p)": gaussian_kl(1, 1.5**2, 0, 1)}
    estimates = {"KL(p || q)": exact["KL(p || q)"] * 1.02, "KL(q || p)": exact["KL(q || p)"] * 1.5}
    assert_passes(ch06.check_kl_directions(exact, estimates, "KL(p || q)"))


def test_ch6_kl_typical_mistakes():
    estimates = {"KL(p || q)": EXACT["KL(p || q)"] * 1.02, "KL(q || p)": EXACT["KL(q || p)"] * 1.5}
    swapped = {"KL(p || q)": EXACT["KL(q || p)"], "KL(q || p)": EXACT["KL(p || q)"]}
    assert_fails(ch06.check_kl_directions(swapped, estimates, "KL(p || q)"), "swapped")
    std_not_var = {"KL(p || q)": _gaussian_kl_1d(0, 1, 1, 1.5), "KL(q || p)": _gaussian_kl_1d(1, 1.5, 0, 1)}
    assert_fails(ch06.check_kl_directions(std_not_var, estimates, "KL(p || q)"), "takes variances")
    assert_fails(ch06.check_kl_directions(EXACT, estimates, "KL(q || p)"), "closer one")
    reversed_samples = {"KL(p || q)": EXACT["KL(p || q)"] * 2, "KL(q || p)": EXACT["KL(q || p)"] * 1.01}
    assert_fails(ch06.check_kl_directions(EXACT, reversed_samples, "KL(q || p)"), "order of the samples")


def test_ch6_kl_bad_input():
    assert_fails(ch06.check_kl_directions({"pq": 1.0}, {}, "KL(p || q)"), "keys")
    assert_fails(ch06.check_kl_directions(EXACT, EXACT, "forward"), "should be one of")


def _mode_results(precision_of, recall_of):
    return {m: (8.0 / m, precision_of(m), recall_of(m)) for m in (1, 2, 4, 6, 8)}


def test_ch6_modes_reference_and_mistakes():
    good = _mode_results(lambda m: 0.98, lambda m: m / 8 + 0.02)
    assert_passes(ch06.check_mode_metrics(good, "recall"))
    assert_fails(ch06.check_mode_metrics(good, "frechet"), "no reading")
    assert_fails(ch06.check_mode_metrics(good, "precision"), "close to m/8")
    swapped = _mode_results(lambda m: m / 8 + 0.02, lambda m: 0.98)
    assert_fails(ch06.check_mode_metrics(swapped, "precision"), "arguments are swapped")
    assert_fails(ch06.check_mode_metrics(_mode_results(lambda m: 0.9, lambda m: 0.5), "recall"), "away from m/8")


def test_ch6_modes_bad_input():
    assert_fails(ch06.check_mode_metrics({1: (1, 1, 1)}, "recall"), "m = 1, 2, 4, 6, 8")
    assert_fails(ch06.check_mode_metrics({m: (1, 1) for m in (1, 2, 4, 6, 8)}, "recall"), "triple")


# ----------------------------------------------------------------------------- chapter 7

@pytest.fixture(scope="module")
def fraud_scores():
    rng = np.random.default_rng(0)
    return rng.uniform(0.001, 0.999, 500), rng.lognormal(3, 1.5, 500)


def test_ch7_prior_reference_and_mistakes(fraud_scores):
    p_s, _ = fraud_scores
    pi = 0.02
    odds = p_s / (1 - p_s) * (pi / (1 - pi)) / (0.5 / 0.5)
    assert_passes(ch07.check_prior_correction(odds / (1 + odds), p_s, pi))
    assert_fails(ch07.check_prior_correction(odds, p_s, pi), "odds, not probabilities")
    inverse = p_s / (1 - p_s) * ((1 - pi) / pi)
    assert_fails(ch07.check_prior_correction(inverse / (1 + inverse), p_s, pi), "upside down")
    assert_fails(ch07.check_prior_correction(p_s * pi / 0.5, p_s, pi), "*odds*")
    assert_fails(ch07.check_prior_correction(p_s, p_s, pi), "differ from Bayes")
    assert_fails(ch07.check_prior_correction(p_s[:5], p_s, pi), "shape")


def test_ch7_amount_reference_and_mistakes(fraud_scores):
    p, amount = fraud_scores
    p = p / 10  # fraud probabilities are small
    assert_passes(ch07.check_amount_rule(p * amount / (1 - p) > 5, p, amount, cost_fp=5))
    assert_fails(ch07.check_amount_rule(p * amount > 5, p, amount, cost_fp=5), "without the (1 - p)")
    assert_fails(ch07.check_amount_rule(p * amount < 5 * (1 - p), p, amount, cost_fp=5), "reversed")
    assert_fails(ch07.check_amount_rule(p * 200 > 5 * (1 - p), p, amount, cost_fp=5), "flat miss cost")
    assert_fails(ch07.check_amount_rule((p * amount > 5).astype(float), p, amount, cost_fp=5), "booleans")
    assert_fails(ch07.check_amount_rule(p > 0.05, p, amount, cost_fp=5), "decisions differ")


# ----------------------------------------------------------------------------- chapter 8

def _curve_table(nb_errors):
    sizes = [20, 40, 80, 160, 320]
    return pd.DataFrame({"naive Bayes, var_smoothing=0.1": nb_errors,
                         "logistic regression, C=1": [0.30, 0.20, 0.10, 0.06, 0.04],
                         "logistic regression, C=1e4": [0.35, 0.22, 0.12, 0.07, 0.05]}, index=sizes)


def test_ch8_regime_reference_and_mistakes():
    table = _curve_table([0.25, 0.19, 0.12, 0.10, 0.09])
    assert_passes(ch08.check_small_sample_regime(table, 40))
    assert_fails(ch08.check_small_sample_regime(table, 20), "largest of these")
    assert_fails(ch08.check_small_sample_regime(table, 320), "*highest* error")
    assert_fails(ch08.check_small_sample_regime(_curve_table([0.5, 0.4, 0.3, 0.2, 0.1]), 20),
                 "never has the lowest error")


def test_ch8_regime_bad_input():
    table = _curve_table([0.25, 0.19, 0.12, 0.10, 0.09])
    assert_fails(ch08.check_small_sample_regime(table, 50), "not a training size")
    assert_fails(ch08.check_small_sample_regime(table.values, 40), "DataFrame")
    assert_fails(ch08.check_small_sample_regime(table * 100, 40), "between 0 and 1")


@pytest.fixture(scope="module")
def images():
    rng = np.random.default_rng(0)
    mixing = rng.normal(size=(4, 16))
    make = lambda n: np.clip(rng.normal(size=(n, 4)) @ mixing + 8, 0, 16)  # noqa: E731
    return make(120), make(40)


def test_ch8_covariance_reference_and_mistakes(images):
    train, test = images
    mean = train.mean(axis=0)
    full = stats.multivariate_normal(mean, np.cov(train, rowvar=False) + 0.5 * np.eye(16)).logpdf(test).mean()
    naive = stats.norm(mean, np.sqrt(train.var(axis=0) + 0.5)).logpdf(test).sum(axis=1).mean()
    assert_passes(ch08.check_covariance_log_densities(full, naive, train, test))
    std_slip = stats.norm(mean, train.var(axis=0) + 0.5).logpdf(test).sum(axis=1).mean()
    assert_fails(ch08.check_covariance_log_densities(full, std_slip, train, test), "standard deviation")
    per_pixel = stats.norm(mean, np.sqrt(train.var(axis=0) + 0.5)).logpdf(test).mean()
    assert_fails(ch08.check_covariance_log_densities(full, per_pixel, train, test), "sum the log-densities")
    no_floor = stats.norm(mean, np.sqrt(train.var(axis=0))).logpdf(test).sum(axis=1).mean()
    assert_fails(ch08.check_covariance_log_densities(full, no_floor, train, test), "variance floor")
    without = stats.multivariate_normal(mean, np.cov(train, rowvar=False) + 0.01 * np.eye(16)).logpdf(test).mean()
    assert_fails(ch08.check_covariance_log_densities(without, naive, train, test), "full-covariance")
    assert_fails(ch08.check_covariance_log_densities(full, naive, train, test[:, :8]), "shape")


# ----------------------------------------------------------------------------- chapter 9

TEXT = 'He said (quietly): "the end]." And then\nleft {x}.' * 3


@pytest.fixture(scope="module")
def bits():
    rng = np.random.default_rng(0)
    n = len(TEXT) - 1
    return rng.uniform(1, 3, n), rng.uniform(1.5, 4, n)


def _class_savings(text, lstm, ngram):
    targets = np.array(list(text))
    masks = {"letters": np.char.isalpha(targets), "spaces and newlines": np.isin(targets, [" ", "\n"]),
             'closing ) ] } "': np.isin(targets, [")", "]", "}", '"'])}
    masks["everything else"] = ~np.any(list(masks.values()), axis=0)
    return {k: ngram[m].mean() - lstm[m].mean() for k, m in masks.items()}


def test_ch9_bits_reference_and_mistakes(bits):
    lstm, ngram = bits
    assert_passes(ch09.check_bits_by_class(_class_savings(TEXT[1:], lstm, ngram), lstm, ngram, TEXT))
    flipped = {k: -v for k, v in _class_savings(TEXT[1:], lstm, ngram).items()}
    assert_fails(ch09.check_bits_by_class(flipped, lstm, ngram, TEXT), "signs are flipped")
    assert_fails(ch09.check_bits_by_class(_class_savings(TEXT[:-1], lstm, ngram), lstm, ngram, TEXT), "off by one")
    assert_fails(ch09.check_bits_by_class(_class_savings(TEXT[1:], lstm, ngram), -lstm, -ngram, TEXT), "positive")
    assert_fails(ch09.check_bits_by_class({"letters": 1.0}, lstm, ngram, TEXT), "keys")
    assert_fails(ch09.check_bits_by_class(flipped, lstm[:-1], ngram, TEXT), "shape")


def _grid(best=(7, 0.9)):
    scores = {(n, d): 2.0 + 0.01 * n + abs(d - 0.75) for n in range(6, 9) for d in (0.6, 0.75, 0.9, 1.0)}
    scores[best] = 1.0
    return scores


def test_ch9_tuning_reference_and_mistakes():
    train, validation = "abcdefghij" * 10, "klmnop" * 5
    cut = int(0.9 * len(train))
    scores = _grid()
    assert_passes(ch09.check_ngram_tuning(scores, (7, 0.9), train[:cut], train[cut:], train, validation))
    assert_fails(ch09.check_ngram_tuning(scores, (7, 0.9), train, validation, train, validation), "optimistic")
    assert_fails(ch09.check_ngram_tuning(scores, (7, 0.9), train[:50], train[50:], train, validation), "90 %")
    assert_fails(ch09.check_ngram_tuning(scores, (8, 1.0), train[:cut], train[cut:], train, validation), "fewer")
    worst = max(scores, key=scores.get)
    assert_fails(ch09.check_ngram_tuning(scores, worst, train[:cut], train[cut:], train, validation), "*highest*")
    small = {k: v for k, v in scores.items() if k[1] != 1.0}
    assert_fails(ch09.check_ngram_tuning(small, (7, 0.9), train[:cut], train[cut:], train, validation), "every discount")
    assert_fails(ch09.check_ngram_tuning(scores, [7, 0.9], train[:cut], train[cut:], train, validation), "pair of the grid")


# ----------------------------------------------------------------------------- chapter 10

def test_ch10_scores_reference_and_mistakes():
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    p = np.clip(0.3 * y + rng.uniform(0, 0.7, 300), 0.01, 0.99)
    p[:20] = 0.5  # ties, as an isotonic map creates
    auc, loss, brier = roc_auc_score(y, p), log_loss(y, p), brier_score_loss(y, p)
    assert_passes(ch10.check_probability_scores(auc, loss, brier, y, p))
    assert_fails(ch10.check_probability_scores(1 - auc, loss, brier, y, p), "1 - AUC")
    assert_fails(ch10.check_probability_scores(roc_auc_score(y, p >= 0.5), loss, brier, y, p), "hard 0/1")
    assert_fails(ch10.check_probability_scores(auc, loss / np.log(2), brier, y, p), "bits")
    assert_fails(ch10.check_probability_scores(auc, loss, np.mean((1 - p - y) ** 2), y, p), "class 0")
    assert_fails(ch10.check_probability_scores(auc, loss, brier, y, p[:10]), "shape")


def test_ch10_scores_with_probabilities_of_exactly_zero_and_one():
    # naive Bayes gives such probabilities; scikit-learn clips them at machine epsilon
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    p = rng.uniform(size=200)
    p[:3] = 1 - y[:3]
    assert_passes(ch10.check_probability_scores(roc_auc_score(y, p), log_loss(y, p), brier_score_loss(y, p), y, p))


def test_ch10_correlations_reference_and_mistakes():
    rng = np.random.default_rng(0)
    real = rng.multivariate_normal(np.zeros(4), np.eye(4) + 0.6, size=300)
    generated = {"independent": rng.normal(size=(300, 4)) * 2}
    gap = np.corrcoef(generated["independent"].T) - np.corrcoef(real.T)
    assert_passes(ch10.check_correlation_gaps({"independent": (np.abs(gap).max(), np.abs(gap).mean())},
                                              real, generated))
    assert_fails(ch10.check_correlation_gaps({"independent": (gap.max(), gap.mean())}, real, generated),
                 "*absolute*")
    cov_gap = np.abs(np.cov(generated["independent"].T) - np.cov(real.T))
    assert_fails(ch10.check_correlation_gaps({"independent": (cov_gap.max(), cov_gap.mean())}, real, generated),
                 "covariance")
    assert_fails(ch10.check_correlation_gaps({"other": (0.1, 0.1)}, real, generated), "keyed like")


# ----------------------------------------------------------------------------- chapter 11

def test_ch11_best_C_reference_and_mistakes():
    grid = np.logspace(-2, 4, 7)
    results = {C: (0.7 + 0.04 * i, [0.6, 0.7, 0.85, 0.84, 0.8, 0.78, 0.75][i]) for i, C in enumerate(grid)}
    assert_passes(ch11.check_best_C(results, 1.0))
    assert_fails(ch11.check_best_C(results, 1e4), "*training* accuracy")
    assert_fails(ch11.check_best_C(results, 0.1), "best test accuracy")
    assert_fails(ch11.check_best_C({1.0: (1, 1)}, 1.0), "np.logspace")


def test_ch11_qda_reference_and_mistakes():
    from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PowerTransformer

    X, y = make_classification(200, n_features=6, random_state=0)
    X = np.exp(X / 2)  # skewed features, where the power transform matters
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    right = cross_val_score(make_pipeline(PowerTransformer(), QuadraticDiscriminantAnalysis(reg_param=0.1)),
                            X, y, cv=cv).mean()
    assert_passes(ch11.check_qda_accuracy(right, X, y, cv))
    plain = cross_val_score(QuadraticDiscriminantAnalysis(reg_param=0.1), X, y, cv=cv).mean()
    assert plain != right
    assert_fails(ch11.check_qda_accuracy(plain, X, y, cv), "without the PowerTransformer")
    assert_fails(ch11.check_qda_accuracy(0.5, X, y, cv), "differs from a fresh run")


# ----------------------------------------------------------------------------- chapter 12

def test_ch12_kde_log_likelihood_matches_scikit_learn():
    from sklearn.neighbors import KernelDensity

    rng = np.random.default_rng(0)
    fit, held = rng.normal(size=(50, 3)), rng.normal(size=(20, 3))
    expected = KernelDensity(bandwidth=0.3).fit(fit).score_samples(held).mean()
    assert ch12.kde_log_likelihood(fit, held, 0.3) == pytest.approx(expected)


def test_ch12_bandwidth_reference_and_mistakes():
    results = {0.02: (120.0, -300.0), 0.1: (60.0, -20.0), 0.2: (30.0, -25.0)}
    assert_passes(ch12.check_bandwidth_choice(results, 0.1))
    assert_fails(ch12.check_bandwidth_choice(results, 0.02), "*training* likelihood")
    assert_fails(ch12.check_bandwidth_choice(results, 0.2), "highest held-out")
    assert_fails(ch12.check_bandwidth_choice(results, 0.5), "not one of your bandwidths")
    assert_fails(ch12.check_bandwidth_choice({0.1: 1.0}, 0.1), "dict")


def test_ch12_groups_reference_and_mistakes():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(30, 4))
    twice = np.vstack([Z, Z + rng.normal(0, 0.05, size=Z.shape)])
    assert_passes(ch12.check_patient_groups(np.r_[np.arange(30), np.arange(30)], twice, 30))
    assert_fails(ch12.check_patient_groups(np.arange(60), twice, 30), "its own group")
    assert_fails(ch12.check_patient_groups(np.r_[np.arange(30), np.arange(30)[::-1]], twice, 30), "different groups")
    assert_fails(ch12.check_patient_groups(np.arange(30), twice, 30), "shape")


# ----------------------------------------------------------------------------- chapter 13

def test_ch13_fidelity_reference_and_mistakes():
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier

    X, y = make_classification(300, n_features=5, flip_y=0.2, random_state=0)
    teacher = RandomForestClassifier(20, random_state=0).fit(X[:200], y[:200])
    student = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X[:200], teacher.predict(X[:200]))
    fidelity = np.mean(student.predict(X[200:]) == teacher.predict(X[200:]))
    accuracy = np.mean(student.predict(X[200:]) == y[200:])
    assert fidelity != accuracy
    assert_passes(ch13.check_fidelity(fidelity, student, teacher, X[200:], y[200:]))
    assert_fails(ch13.check_fidelity(accuracy, student, teacher, X[200:], y[200:]), "*accuracy*")
    assert_fails(ch13.check_fidelity(0.1, student, teacher, X[200:]), "differs")
    assert_fails(ch13.check_fidelity(0.1, "tree", teacher, X[200:]), "fitted classifier")


def _power(gated_400=(0, 0, 3, 20), plain_400=(0, 20, 20, 20)):
    counts = {}
    for n in (50, 400):
        for i, d in enumerate((0.0, 0.001, 0.02, 0.1)):
            counts[n, d] = (plain_400[i], gated_400[i]) if n == 400 else (i * 3, i)
    return counts


def test_ch13_flag_counts_self_check():
    assert_passes(ch13.check_flag_counts(_power()))
    assert_fails(ch13.check_flag_counts(_power(gated_400=(0, 5, 3, 20))), "do not grow")
    assert_fails(ch13.check_flag_counts(_power(gated_400=(0, 0, 21, 20), plain_400=(0, 20, 21, 20))), "between 0")
    assert_fails(ch13.check_flag_counts(_power(gated_400=(0, 0, 3, 20), plain_400=(0, 0, 0, 20))), "can only flag fewer")
    assert_fails(ch13.check_flag_counts({(50, 0.0): (1, 1)}), "sizes")


# ----------------------------------------------------------------------------- chapter 14

def test_ch14_self_labels_reference_and_mistakes():
    y_aug = np.array([0, 1, 0, 1, 0, 0, 1, 1])
    new = np.array([False] * 4 + [True] * 4)
    predicted = np.array([1, 0, 1, 1])
    right = y_aug.copy()
    right[new] = predicted
    assert_passes(ch14.check_self_labels(right, y_aug, new, predicted))
    assert_passes(ch14.check_self_labels(right, y_aug, new, np.r_[y_aug[:4], predicted]))
    assert_fails(ch14.check_self_labels(y_aug, y_aug, new, predicted), "labels by construction")
    everything = np.r_[np.array([1, 1, 1, 1]), predicted]
    assert_fails(ch14.check_self_labels(everything, y_aug, new, predicted), "*real* rows")
    assert_fails(ch14.check_self_labels(right, y_aug, new.astype(int), predicted), "boolean mask")
    assert_fails(ch14.check_self_labels(right, y_aug, new, predicted[:2]), "one prediction per")


def test_ch14_span_reference_and_mistakes():
    five = np.random.default_rng(0).normal(size=(5, 30))
    singular = np.linalg.svd(five - five.mean(axis=0), compute_uv=False)
    assert_passes(ch14.check_span(np.sum(singular > 1e-8 * singular[0]), five))
    assert_fails(ch14.check_span(np.linalg.matrix_rank(five), five), "*mean*")
    assert_fails(ch14.check_span(30, five), "cannot have rank")
    assert_fails(ch14.check_span(2, five), "at most")


# ----------------------------------------------------------------------------- chapter 15

BIB = """@article{a1,
  title = {A},
  doi = {10.1/x},
  url = {https://x}
}

@inproceedings{b2,
  title = {B},
  eprint = {1234.5678}
}

@book{c3,
  title = {C},
  isbn = {978}
}

@misc{d4,
  title = {D}
}
"""


def test_ch15_identifier_kinds_reference_and_mistakes(tmp_path):
    from pybtex.database import parse_string

    bib = tmp_path / "references.bib"
    bib.write_text(BIB)
    assert set(parse_string(BIB, "bibtex").entries) == {"a1", "b2", "c3", "d4"}  # the regex sees what pybtex sees
    right = {"DOI": ["a1"], "arXiv": ["b2"], "URL": [], "ISBN": ["c3"], "none": ["d4"]}
    assert_passes(ch15.check_identifier_kinds(right, bib))
    url_first = {"DOI": [], "arXiv": ["b2"], "URL": ["a1"], "ISBN": ["c3"], "none": ["d4"]}
    assert_fails(ch15.check_identifier_kinds(url_first, bib), "counts as DOI")
    assert_fails(ch15.check_identifier_kinds({"DOI": ["a1"]}, bib), "missing")
    assert_fails(ch15.check_identifier_kinds(right, tmp_path / "nope.bib"), "does not exist")
    assert_fails(ch15.check_identifier_kinds({"doi": ["a1"]}, bib), "keys")


def test_ch15_identifier_kinds_on_the_course_bibliography():
    from pybtex.database import parse_file

    path = course.ROOT / "references.bib"
    kinds = {}
    for key, entry in parse_file(str(path)).entries.items():
        fields = {name.lower() for name in entry.fields}
        kind = ("DOI" if "doi" in fields else "arXiv" if "eprint" in fields else
                "URL" if "url" in fields else "ISBN" if "isbn" in fields else "none")
        kinds.setdefault(kind, []).append(key)
    assert_passes(ch15.check_identifier_kinds(kinds, path))


def test_ch15_two_regimes_self_check():
    model = ("Chapter 8 repeats the learning curves: with enough data logistic regression reached the lower "
             "asymptotic error, and naive Bayes levelled off after few examples on breast cancer. Chapter 14 "
             "adds generated naive-Bayes rows to an SVM, a hybrid dial between the two.")
    assert_passes(ch15.self_check_two_regimes(model))
    assert_fails(ch15.self_check_two_regimes("Chapter 8 showed that logistic regression is better with enough "
                                             "data, which is the asymptotic claim of the paper, nothing more to add."),
                 "chapter 14")
    assert_fails(ch15.self_check_two_regimes("too short"), "at least 20 words")


# ----------------------------------------------------------------------------- chapter 16

class _MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))

    def forward(self, x):
        return self.layers(x)


@pytest.fixture(scope="module")
def primer():
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(120, 8, generator=generator)
    y = torch.randint(0, 3, (120,), generator=generator)
    torch.manual_seed(0)
    model = _MLP()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(20):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(X), y).backward()
        optimizer.step()
    model.zero_grad()
    net64 = copy.deepcopy(model).double()
    return model, net64, X, y


def _bias_loss(net, X, y, value):
    with torch.no_grad():
        saved = net.layers[0].bias[0].item()
        net.layers[0].bias[0] = value
        loss = torch.nn.functional.cross_entropy(net(X), y).item()
        net.layers[0].bias[0] = saved
    return loss


def _bias_derivatives(net, X, y, h=1e-6):
    (g,) = torch.autograd.grad(torch.nn.functional.cross_entropy(net(X), y), net.layers[0].bias)
    b = net.layers[0].bias[0].item()
    up, down, here = (_bias_loss(net, X, y, v) for v in (b + h, b - h, b))
    return g, up, down, here


def test_ch16_finite_difference_reference_passes(primer):
    _, net64, X, y = primer
    X64 = X.double()
    g, up, down, _ = _bias_derivatives(net64, X64, y)
    assert_passes(ch16.check_finite_difference(g[0].item(), (up - down) / 2e-6, net64, X64, y, 1e-6))
    assert_passes(ch16.check_finite_difference(g[0], torch.tensor((up - down) / 2e-6), net64, X64, y))


def test_ch16_finite_difference_typical_mistakes(primer):
    _, net64, X, y = primer
    X64 = X.double()
    g, up, down, here = _bias_derivatives(net64, X64, y)
    centred, auto = (up - down) / 2e-6, g[0].item()
    check = ch16.check_finite_difference
    _, up_mid, _, here_mid = _bias_derivatives(net64, X64, y, h=1e-3)
    assert_fails(check(auto, (up_mid - here_mid) / 1e-3, net64, X64, y, 1e-3), "one-sided")
    _, up_big, down_big, here_big = _bias_derivatives(net64, X64, y, h=0.1)
    assert_fails(check(auto, (up_big - here_big) / 0.1, net64, X64, y, 0.1), "one-sided")
    assert_fails(check(auto, (up_big - down_big) / 0.2, net64, X64, y, 0.1), "too large")
    assert_fails(check(auto, -centred, net64, X64, y, 1e-6), "wrong sign")
    assert_fails(check(auto, 2 * centred, net64, X64, y, 1e-6), "divide by 2h")
    assert_fails(check(-auto, centred, net64, X64, y, 1e-6), "wrong sign")
    assert_fails(check(2 * auto, centred, net64, X64, y, 1e-6), "zero_grad")
    assert_fails(check(len(y) * auto, centred, net64, X64, y, 1e-6), "*mean*")
    assert_fails(check(g, centred, net64, X64, y, 1e-6), "entry [0]")
    assert_fails(check(auto, centred + 0.05, net64, X64, y, 1e-6), "float64")


def test_ch16_finite_difference_bad_input(primer):
    model, net64, X, y = primer
    X64 = X.double()
    check = ch16.check_finite_difference
    assert_fails(check("0.1", 0.1, net64, X64, y), "number")
    assert_fails(check(0.1, 0.1, "net64", X64, y), "nn.Module")
    assert_fails(check(0.1, 0.1, net64, X64.numpy(), y), "torch tensors")
    assert_fails(check(0.1, 0.1, net64, X64[:, :3], y), "could not be computed")
    assert_fails(check(0.1, 0.1, net64, X64, y, -1e-6), "positive")
    assert not check(..., 0.1, net64, X64, y).answered


def test_ch16_accumulated_gradients_reference_and_mistakes(primer):
    model, _, X, y = primer
    check = ch16.check_accumulated_gradients

    def backward_twice(clear_between=False, clone=True):
        model.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(X), y)
        loss.backward(retain_graph=True)
        grad = model.layers[0].weight.grad
        once = grad.clone() if clone else grad
        if clear_between:
            model.zero_grad()
        loss.backward()
        twice = model.layers[0].weight.grad
        return once, twice

    assert_passes(check(*backward_twice(), model, X, y))
    assert_fails(check(*backward_twice(clone=False), model, X, y), ".clone()")
    assert_fails(check(*backward_twice(clear_between=True), model, X, y), "cleared")
    once, twice = backward_twice()
    assert_fails(check(-once, twice, model, X, y), "wrong sign")
    assert_fails(check(twice.clone(), 3 * once, model, X, y), "zero_grad()")
    assert_fails(check(once, 1.5 * once, model, X, y), "second backward")
    assert_fails(check(once, 3 * once, model, X, y), "three")
    assert_fails(check(torch.zeros_like(once), twice, model, X, y), "all zeros")
    model.zero_grad()


def test_ch16_accumulated_gradients_bad_input(primer):
    model, _, X, y = primer
    check = ch16.check_accumulated_gradients
    once = torch.zeros(16, 8)
    assert_fails(check(once[0], once, model, X, y), "shape (16, 8)")
    assert_fails(check("grad", once, model, X, y), "array of numbers")
    assert_fails(check(once, once, torch.nn.Linear(8, 3), X, y), "layers[0]")
    assert_fails(check(once, once, model, X, y[:5]), "(n,)")
    assert not check(once, ..., model, X, y).answered


# ----------------------------------------------------------------------------- every chapter

CHAPTERS = [p for p in course.chapters() if p.suffix == ".md"]
CHECK_CALL = re.compile(r"from dglab\.exercises\.(ch\d\d) import ([\w, ]+)")


def _exercise_starters(chapter):
    """For each {exercise} of a chapter: its label and the code cells between it and its solution."""
    cells = course.read_chapter(chapter).cells
    found = []
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        for label in re.findall(r"```\{exercise\}[^\n]*\n:label: (\S+)", cell.source):
            code = []
            for later in cells[i + 1:]:
                if later.cell_type == "markdown" and "{solution-start}" in later.source:
                    break
                if later.cell_type == "code":
                    code.append(later.source)
            found.append((label, code))
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_exercise_has_a_starter_cell_that_calls_a_check(chapter):
    exercises = _exercise_starters(chapter)
    assert exercises, f"{chapter.name} has no exercises"
    import importlib

    for label, code in exercises:
        assert len(code) == 1, f"{label}: expected one starter cell before the solution, found {len(code)}"
        source = code[0]
        match = CHECK_CALL.search(source)
        assert match, f"{label}: the starter cell does not import a check from dglab.exercises"
        assert match.group(1) == f"ch{chapter.name[:2]}", f"{label}: imports another chapter's checks"
        module = importlib.import_module(f"dglab.exercises.{match.group(1)}")
        for name in (n.strip() for n in match.group(2).split(",")):
            assert callable(getattr(module, name, None)), f"{label}: dglab.exercises.{match.group(1)} has no {name}"
            assert re.search(rf"^\s*{name}\(", source, re.M), f"{label}: the starter cell does not call {name}"
        assert "# YOUR CODE" in source and "..." in source, f"{label}: no `...` marked # YOUR CODE"
