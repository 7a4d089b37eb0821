"""dglab.features: expansion pipelines and naive Bayes log-likelihoods against references."""

from math import comb

import numpy as np
import pytest
from scipy import stats
from scipy.special import logsumexp
from sklearn.datasets import make_circles
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from dglab.features import (
    GaussianNaiveBayes,
    degree_sweep,
    log_likelihood,
    make_gaussian_nb,
    make_polynomial_logistic,
    make_spline_logistic,
)


@pytest.fixture(scope="module")
def circles():
    X, y = make_circles(400, noise=0.1, factor=0.5, random_state=0)
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)


def test_degree_one_is_plain_logistic_regression_on_scaled_inputs(circles):
    X_train, X_test, y_train, _ = circles
    ours = make_polynomial_logistic(1, C=0.5).fit(X_train, y_train)
    reference = make_pipeline(StandardScaler(), LogisticRegression(C=0.5)).fit(X_train, y_train)
    np.testing.assert_allclose(ours.predict_proba(X_test), reference.predict_proba(X_test), atol=1e-6)


@pytest.mark.parametrize("degree", [1, 2, 3, 6])
def test_polynomial_expansion_has_every_monomial(circles, degree):
    X_train, _, y_train, _ = circles
    model = make_polynomial_logistic(degree).fit(X_train, y_train)
    # monomials of total degree 1..d in 2 variables: C(d + 2, 2) - 1
    assert model.named_steps["expand"].n_output_features_ == comb(degree + 2, 2) - 1
    assert model.named_steps["logistic"].coef_.shape == (1, comb(degree + 2, 2) - 1)


def test_a_curved_boundary_solves_what_a_line_cannot(circles):
    X_train, X_test, y_train, y_test = circles
    line = make_polynomial_logistic(1).fit(X_train, y_train).score(X_test, y_test)
    conic = make_polynomial_logistic(2).fit(X_train, y_train).score(X_test, y_test)
    splines = make_spline_logistic(n_knots=6).fit(X_train, y_train).score(X_test, y_test)
    assert line < 0.7 and conic > 0.95 and splines > 0.95


def test_spline_basis_size_matches_scikit_learn(circles):
    X_train, _, y_train, _ = circles
    model = make_spline_logistic(n_knots=6, degree=3).fit(X_train, y_train)
    # n_knots + degree - 1 B-splines per input
    assert model.named_steps["logistic"].coef_.shape == (1, 2 * (6 + 3 - 1))


def test_degree_sweep_reports_what_direct_fits_give(circles):
    X_train, X_test, y_train, y_test = circles
    table = degree_sweep(X_train, y_train, X_test, y_test, [1, 3], C=10.0)
    assert list(table.columns) == ["degree", "n_features", "train_accuracy", "test_accuracy"]
    for _, row in table.iterrows():
        direct = make_polynomial_logistic(int(row["degree"]), C=10.0).fit(X_train, y_train)
        assert row["train_accuracy"] == direct.score(X_train, y_train)
        assert row["test_accuracy"] == direct.score(X_test, y_test)
    assert table["n_features"].tolist() == [2, 9]


def test_expansion_helpers_reject_bad_arguments(circles):
    X_train, X_test, y_train, y_test = circles
    with pytest.raises(ValueError, match="degree must be an integer >= 1"):
        make_polynomial_logistic(0)
    with pytest.raises(ValueError, match="degree must be an integer"):
        make_polynomial_logistic(2.5)
    with pytest.raises(ValueError, match="C .* must be a finite number > 0"):
        make_polynomial_logistic(2, C=0.0)
    with pytest.raises(ValueError, match="n_knots must be an integer >= 2"):
        make_spline_logistic(n_knots=1)
    with pytest.raises(ValueError, match="X_train has 2 features but X_test has 3"):
        degree_sweep(X_train, y_train, np.c_[X_test, X_test[:, 0]], y_test, [1])
    with pytest.raises(ValueError, match="degrees is empty"):
        degree_sweep(X_train, y_train, X_test, y_test, [])
    with pytest.raises(ValueError, match="NaN"):
        degree_sweep(np.where(X_train > 0.9, np.nan, X_train), y_train, X_test, y_test, [1])


# ------------------------------------------------------------------------------------------------
# Generative side
# ------------------------------------------------------------------------------------------------

def _skewed_two_classes(n=600, d=2, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.4).astype(int)
    X = rng.gamma(2.0 + y[:, None], 1.5, size=(n, d))
    X[:, -1] += 0.8 * X[:, 0]  # correlated features
    return X, y


def _nb_log_density(nb, Z):
    """log p(z) of fitted GaussianNB parameters, written out with scipy."""
    per_class = [
        np.log(prior) + stats.norm.logpdf(Z, mean, np.sqrt(var)).sum(axis=1)
        for prior, mean, var in zip(nb.class_prior_, nb.theta_, nb.var_, strict=True)
    ]
    return logsumexp(np.column_stack(per_class), axis=1)


def test_plain_naive_bayes_log_likelihood_matches_scipy():
    X, y = _skewed_two_classes()
    model = make_gaussian_nb().fit(X, y)
    assert isinstance(model.named_steps["naive_bayes"], GaussianNaiveBayes)
    np.testing.assert_allclose(log_likelihood(model, X), _nb_log_density(model[-1], X), rtol=1e-10)
    # a bare estimator works too
    np.testing.assert_allclose(log_likelihood(model[-1], X), _nb_log_density(model[-1], X))


def test_power_transform_log_likelihood_matches_the_closed_form():
    X, y = _skewed_two_classes()
    model = make_gaussian_nb("power").fit(X, y)
    lambdas = model.named_steps["gaussianize"].lambdas_
    # Yeo-Johnson with scipy, then standardisation with the training data's moments
    psi = np.column_stack([stats.yeojohnson(X[:, j], lambdas[j]) for j in range(X.shape[1])])
    mean, std = psi.mean(axis=0), psi.std(axis=0)
    Z = (psi - mean) / std
    # d psi / dx = (1 + x)^(lambda - 1) for x >= 0 (all x here are positive)
    log_jacobian = ((lambdas - 1) * np.log1p(X) - np.log(std)).sum(axis=1)
    expected = _nb_log_density(model[-1], Z) + log_jacobian
    np.testing.assert_allclose(log_likelihood(model, X), expected, rtol=1e-6)


def test_rescaling_the_inputs_does_not_change_the_density_of_x():
    X, y = _skewed_two_classes()
    raw = make_gaussian_nb().fit(X, y)
    scaled = Pipeline([("scale", StandardScaler()), ("naive_bayes", GaussianNB())]).fit(X, y)
    rotated = make_gaussian_nb(decorrelate=True).fit(X, y)
    np.testing.assert_allclose(log_likelihood(scaled, X), log_likelihood(raw, X), rtol=1e-6)
    assert not np.allclose(log_likelihood(rotated, X), log_likelihood(raw, X))


@pytest.mark.parametrize("gaussianize", ["none", "power", "quantile"])
def test_one_dimensional_densities_integrate_to_one(gaussianize):
    X, y = _skewed_two_classes(d=1)
    model = make_gaussian_nb(gaussianize, n_quantiles=200, random_state=0).fit(X, y)
    lo, hi = (X.min(), X.max()) if gaussianize == "quantile" else (-40.0, 200.0)
    grid = np.linspace(lo, hi, 400_001)
    density = np.exp(log_likelihood(model, grid[:, None]))
    assert np.trapezoid(density, grid) == pytest.approx(1.0, abs=2e-3)


@pytest.mark.parametrize("whiten", [False, True])
def test_two_dimensional_density_after_pca_integrates_to_one(whiten):
    rng = np.random.default_rng(3)
    y = (rng.random(500) < 0.5).astype(int)
    X = rng.multivariate_normal([0, 0], [[1.0, 0.8], [0.8, 1.0]], 500) + 1.5 * y[:, None]
    model = Pipeline([("decorrelate", PCA(whiten=whiten)), ("naive_bayes", GaussianNB())]).fit(X, y)
    axis = np.linspace(-8, 10, 801)
    xx, yy = np.meshgrid(axis, axis)
    density = np.exp(log_likelihood(model, np.c_[xx.ravel(), yy.ravel()])).reshape(xx.shape)
    total = np.trapezoid(np.trapezoid(density, axis, axis=1), axis)
    assert total == pytest.approx(1.0, abs=1e-3)


def test_quantile_density_is_zero_outside_the_training_range():
    X, y = _skewed_two_classes(d=1)
    model = make_gaussian_nb("quantile", n_quantiles=200, random_state=0).fit(X, y)
    ll = log_likelihood(model, np.array([[X.max() + 1.0], [np.median(X)]]))
    assert ll[0] == -np.inf and np.isfinite(ll[1])


def test_log_likelihood_rejects_what_it_cannot_handle():
    X, y = _skewed_two_classes(d=3)
    with pytest.raises(ValueError, match="keeps 2 of 3 components"):
        log_likelihood(Pipeline([("pca", PCA(2)), ("nb", GaussianNB())]).fit(X, y), X)
    with pytest.raises(TypeError, match="PolynomialFeatures.*no known change of variables"):
        log_likelihood(Pipeline([("poly", PolynomialFeatures(2)), ("nb", GaussianNB())]).fit(X, y), X)
    with pytest.raises(TypeError, match="LogisticRegression gives no log-density"):
        log_likelihood(LogisticRegression().fit(X, y), X)
    with pytest.raises(ValueError, match="unknown gaussianize 'log'"):
        make_gaussian_nb("log")
    with pytest.raises(Exception, match="not fitted"):
        log_likelihood(make_gaussian_nb(), X)
