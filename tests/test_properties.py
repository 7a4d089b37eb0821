"""Property-based tests (Hypothesis) of dglab's public boundary: every generated input, good or bad,
ends in a clear exception that names the argument, or in a finite, correct result. Never a NaN or
infinite output, never a RuntimeWarning on the way to one, never a message from deep inside numpy,
torch or skops.

Profiles live in tests/conftest.py (``quick`` by default; ``DGLAB_HYPOTHESIS_PROFILE=long`` for
many more examples). The GAN, text and training modules have their own helpers' suites.
"""

from __future__ import annotations

import pickle
import traceback
import warnings

import hypothesis.extra.numpy as hnp
import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dglab
from dglab import data, deploy, features, hybrid, imbalance, linear, metrics, sampling, validation
from dglab import plots as P
from dglab.naive_bayes import GaussianNaiveBayes
from dglab.widgets import Param, explore

matplotlib.use("Agg")

#: Exception types a learner can act on; sklearn's NotFittedError is a ValueError.
CLEAR = (ValueError, TypeError, FileNotFoundError, pickle.UnpicklingError)
#: Where a clear error may be raised: dglab itself, or scikit-learn's input validation (whose
#: messages name the argument through ``input_name``).
CLEAR_ORIGINS = ("/dglab/", "/sklearn/utils/validation.py", "/sklearn/utils/multiclass.py",
                 "/sklearn/utils/_param_validation.py", "/sklearn/utils/_tags.py")


def outcome(fn, *names):
    """Run ``fn()``: return its result, or ``None`` after checking that the error is clear.

    Clear means: an exception a learner can act on, raised by dglab or by scikit-learn's input
    validation, whose message names one of ``names`` (the arguments that were bad, or words
    that say what was wrong). RuntimeWarnings (overflow, invalid value) are errors: they are
    how a NaN starts its way to a plot.
    """
    try:
        with warnings.catch_warnings():
            # only warnings raised in dglab's own code: a dependency may warn on its way to a
            # clear error of its own (scikit-learn's quick finiteness check does)
            warnings.filterwarnings("error", category=RuntimeWarning, module=r"dglab(\.|$)")
            return fn()
    except CLEAR as err:
        message = str(err)
        origin = traceback.extract_tb(err.__traceback__)[-1].filename
        assert any(o in origin for o in CLEAR_ORIGINS), (
            f"{type(err).__name__} raised inside a dependency ({origin}): {message}")
        assert any(n in message for n in names), (
            f"{type(err).__name__} does not name any of {names}: {message}")
        return None


def assert_finite(*values):
    for value in values:
        array = np.asarray(value, dtype=float)
        assert np.all(np.isfinite(array)), f"non-finite output: {value}"


def assert_divergence(result):
    """A distance or divergence that was computed (``result`` not ``None``): finite, >= 0."""
    if result is not None:
        assert_finite(result)
        assert result >= 0


# -- strategies ------------------------------------------------------------------------------------
#: Scalars a learner may pass by mistake where a count belongs.
bad_counts = st.one_of(
    st.booleans(), st.integers(-3, 1), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=2), st.none(), st.just(np.int64(2)), st.just(np.float64(3.0)),
)
counts = st.one_of(bad_counts, st.integers(2, 12))
#: Scalars a learner may pass where a real number belongs.
reals = st.one_of(
    st.booleans(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5),
    st.sampled_from([1e-300, 1e160, 1e308, -1e308, 0.0, 0.5, 1.0]), st.none(), st.text(max_size=2),
)
#: Array entries: ordinary values mixed with the ones that break numerics.
entries = st.one_of(
    st.floats(-10, 10), st.sampled_from([np.nan, np.inf, -np.inf, 1e160, -1e300, 0.0, 5e-324]),
)


def matrices(rows=(0, 12), cols=(0, 4), elements=entries):
    shapes = st.tuples(st.integers(*rows), st.integers(*cols))
    return shapes.flatmap(lambda s: hnp.arrays(np.float64, s, elements=elements))


def vectors(size=(0, 30), elements=entries):
    return st.integers(*size).flatmap(lambda n: hnp.arrays(np.float64, (n,), elements=elements))


#: Things that are not numeric arrays at all.
not_arrays = st.sampled_from([None, "abc", [["a", "b"], ["c", "d"]],
                              np.array([["a", "b"], ["c", "d"]], dtype=object), 3.0, [[]]])
labels = st.integers(2, 30).flatmap(
    lambda n: hnp.arrays(np.int64, (n,), elements=st.integers(0, 1)))


# -- dglab (package) and data ------------------------------------------------------------------------
@given(seed=st.one_of(bad_counts, st.integers(0, 2**32 - 1), st.integers(2**32, 2**40)))
def test_seed_everything(seed):
    result = outcome(lambda: dglab.seed_everything(seed), "seed")
    assert result is None or result == seed


@given(n_samples=counts, n_modes=counts, radius=reals, std=reals)
def test_ring_of_gaussians(n_samples, n_modes, radius, std):
    result = outcome(lambda: data.ring_of_gaussians(n_samples, n_modes, radius, std, random_state=0),
                     "n_samples", "n_modes", "radius", "std")
    if result is not None:
        X, mode = result
        assert_finite(X)
        assert X.shape == (n_samples, 2) and set(mode.tolist()) <= set(range(n_modes))


@given(n_samples=st.one_of(bad_counts, st.integers(0, 3000)), fraud_rate=reals)
def test_make_transactions(n_samples, fraud_rate):
    result = outcome(lambda: data.make_transactions(n_samples, fraud_rate, random_state=0),
                     "n_samples", "fraud_rate")
    if result is not None:
        assert len(result) == n_samples and set(result["is_fraud"].unique()) <= {0, 1}


# -- linear and naive Bayes --------------------------------------------------------------------------
@given(z=st.one_of(matrices(), vectors()))
def test_sigmoid(z):
    result = outcome(lambda: linear.sigmoid(z), "z", "NaN", "finite")
    if result is not None:
        assert_finite(result)
        assert np.all((result >= 0) & (result <= 1))


@given(X=st.one_of(matrices(rows=(0, 20)), not_arrays), y=labels)
def test_logistic_regression_gd_fit(X, y):
    def fit():
        return linear.LogisticRegressionGD(max_iter=50).fit(X, y[: len(np.atleast_1d(X))])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)  # ConvergenceWarning: not the point
        model = outcome(fit, "X", "y", "class", "learning_rate", "diverged", "samples")
    if model is not None:
        assert_finite(model.coef_, model.intercept_, model.predict_proba(np.asarray(X)))


@given(learning_rate=reals, max_iter=counts, tol=reals, alpha=reals)
def test_logistic_regression_gd_parameters(learning_rate, max_iter, tol, alpha):
    X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1]])
    model = linear.LogisticRegressionGD(learning_rate=learning_rate, max_iter=max_iter, tol=tol, alpha=alpha)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        fitted = outcome(lambda: model.fit(X, [0, 1, 0, 1]),
                         "learning_rate", "max_iter", "tol", "alpha", "diverged")
    if fitted is not None:
        assert_finite(fitted.coef_, fitted.predict_proba(X))


@given(X=st.one_of(matrices(rows=(0, 20), cols=(0, 3)), not_arrays), y=labels)
def test_gaussian_naive_bayes(X, y):
    def fit_predict():
        model = GaussianNaiveBayes().fit(X, y[: len(np.atleast_1d(X))])
        return model, model.predict_proba(X)

    result = outcome(fit_predict, "X", "y", "class", "constant", "samples", "feature")
    if result is not None:
        model, proba = result
        assert_finite(model.theta_, model.var_, proba)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)


@given(n_samples=counts, y=st.one_of(st.none(), st.integers(-1, 3), st.text(max_size=2)),
       random_state=st.one_of(bad_counts, st.integers(0, 10)))
def test_naive_bayes_sample(n_samples, y, random_state):
    model = GaussianNaiveBayes().fit([[0.0], [1.0], [5.0], [6.0]], [0, 0, 1, 1])
    result = outcome(lambda: model.sample(n_samples, y=y, random_state=random_state),
                     "n_samples", "class", "random_state", "y")
    if result is not None:
        assert_finite(result[0])


@given(n_samples=counts, y=st.one_of(st.none(), st.text(max_size=3), st.lists(st.text(max_size=2))))
def test_draw_class_index(n_samples, y):
    classes = np.array(["cat", "dog"])
    result = outcome(lambda: sampling.draw_class_index(classes, [0.5, 0.5], n_samples, y,
                                                       np.random.default_rng(0)),
                     "n_samples", "class", "y")
    if result is not None:
        n, index = result
        assert index.shape == (n,) and set(index.tolist()) <= {0, 1}


# -- metrics ----------------------------------------------------------------------------------------
@given(X1=st.one_of(matrices(), not_arrays), X2=matrices())
def test_frechet_distance(X1, X2):
    result = outcome(lambda: metrics.frechet_distance(X1, X2), "X1", "X2")
    assert_divergence(result)


@given(mu=vectors(size=(0, 3)), scale=reals)
def test_gaussian_kl(mu, scale):
    def kl():
        sigma1 = np.eye(len(mu)) * scale if isinstance(scale, int | float) else scale
        return metrics.gaussian_kl(mu, sigma1, np.zeros(len(mu)), np.eye(len(mu)))

    result = outcome(kl, "mu1", "sigma1", "mu2", "sigma2")
    assert_divergence(result)


@given(p=st.one_of(vectors(), not_arrays), q=vectors(),
       bandwidth=st.one_of(reals, st.sampled_from(["scott", "silverman", "bogus"])))
def test_kl_divergence(p, q, bandwidth):
    result = outcome(lambda: metrics.kl_divergence(p, q, bandwidth=bandwidth, grid_size=64),
                     "p_samples", "q_samples", "bandwidth")
    assert_divergence(result)


@given(u=st.one_of(vectors(), not_arrays), v=vectors())
def test_wasserstein_1d(u, v):
    result = outcome(lambda: metrics.wasserstein_1d(u, v), "u_samples", "v_samples")
    assert_divergence(result)


@given(X=matrices(), Y=matrices(), n_projections=counts)
def test_sliced_wasserstein(X, Y, n_projections):
    result = outcome(lambda: metrics.sliced_wasserstein(X, Y, n_projections, random_state=0),
                     "X", "Y", "n_projections")
    if result is not None:
        assert_finite(result)


@given(X=matrices(rows=(0, 15)), G=matrices(rows=(0, 15)), k=counts)
def test_knn_precision_recall(X, G, k):
    result = outcome(lambda: metrics.knn_precision_recall(X, G, k=k), "X_real", "X_generated", "k")
    if result is not None:
        assert 0 <= result.precision <= 1 and 0 <= result.recall <= 1


@given(y=st.one_of(labels, st.lists(st.sampled_from([0, 1, 2, "a"]), max_size=5)), scores=vectors())
def test_check_binary_scores(y, scores):
    result = outcome(lambda: metrics.check_binary_scores(y, scores), "y_true", "scores", "samples",
                     "labels")
    if result is not None:
        assert_finite(result[1])


# -- deploy -----------------------------------------------------------------------------------------
@given(reference=vectors(), batch=vectors(), n_bins=counts)
def test_population_stability_index(reference, batch, n_bins):
    result = outcome(lambda: deploy.population_stability_index(reference, batch, n_bins),
                     "reference", "batch", "n_bins", "sample")
    assert_divergence(result)


@given(reference=matrices(rows=(0, 20), cols=(0, 3)), batch=matrices(rows=(0, 20), cols=(0, 3)),
       alpha=reals, n_bins=counts)
def test_drift_monitor(reference, batch, alpha, n_bins):
    def run():
        return deploy.DriftMonitor(alpha=alpha, n_bins=n_bins).fit(reference).check(batch)

    report = outcome(run, "reference data", "batch", "alpha", "n_bins", "features")
    if report is not None:
        assert_finite(report.table["p_value"], report.table["psi"])


@given(columns=st.permutations(["a", "b", "c"]))
def test_drift_monitor_ignores_column_order(columns):
    frame = pd.DataFrame(np.random.default_rng(1).normal(size=(200, 3)), columns=["a", "b", "c"])
    report = deploy.DriftMonitor().fit(frame).check(frame[list(columns)])
    assert not report.drift and report.table["name"].tolist() == ["a", "b", "c"]


@given(content=st.binary(max_size=64))
def test_model_files_that_are_not_model_files(tmp_path_factory, content):
    import torch

    folder = tmp_path_factory.mktemp("files")
    for name, load in [("m.skops", deploy.load_sklearn), ("m.pt2", deploy.load_exported),
                       ("m.pt", lambda p: deploy.load_torch_state(torch.nn.Linear(2, 1), p))]:
        path = folder / name
        path.write_bytes(content)
        assert outcome(lambda load=load, path=path: load(path), name) is None


@given(repeats=counts, warmup=st.one_of(bad_counts, st.integers(0, 2)))
def test_measure_latency(repeats, warmup):
    result = outcome(lambda: deploy.measure_latency(len, [np.zeros(3)], repeats=repeats, warmup=warmup),
                     "repeats", "warmup")
    if result is not None:
        assert_finite(result["median_ms"])


@given(model=st.sampled_from([None, "x", 3]), max_depth=st.one_of(bad_counts, st.none()))
def test_distill_to_tree_without_a_model(model, max_depth):
    X = np.random.default_rng(0).normal(size=(10, 2))
    assert outcome(lambda: deploy.distill_to_tree(model, X, max_depth, X_test=X), "model",
                   "max_depth") is None


# -- hybrid -----------------------------------------------------------------------------------------
@given(X=st.one_of(matrices(rows=(0, 10), cols=(1, 2)), not_arrays), factor=reals)
def test_augment(X, factor):
    generator = GaussianNaiveBayes().fit([[0.0, 0.0], [0.1, 0.1], [5.0, 5.0], [5.1, 5.2]], [0, 0, 1, 1])
    y = np.arange(len(np.atleast_1d(X))) % 2 if isinstance(X, np.ndarray) else [0, 1]
    result = outcome(lambda: hybrid.augment(X, y, generator, factor, random_state=0), "X", "y", "factor")
    if result is not None:
        X_aug, y_aug, is_generated = result
        assert_finite(X_aug)
        assert len(X_aug) == len(y_aug) == len(is_generated)


@given(unlabelled_weight=reals, tol=reals, max_iter=st.one_of(bad_counts, st.integers(0, 5)),
       var_smoothing=reals)
def test_semi_supervised_naive_bayes_parameters(unlabelled_weight, tol, max_iter, var_smoothing):
    X = np.array([[0.0], [0.2], [5.0], [5.3], [0.1], [5.1]])
    y = np.array([0, 0, 1, 1, hybrid.UNLABELLED, hybrid.UNLABELLED])
    model = hybrid.SemiSupervisedNaiveBayes(var_smoothing=var_smoothing, unlabelled_weight=unlabelled_weight,
                                            max_iter=max_iter, tol=tol)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        fitted = outcome(lambda: model.fit(X, y), "unlabelled_weight", "tol", "max_iter",
                         "var_smoothing", "constant")
    if fitted is not None:
        assert_finite(fitted.theta_, fitted.var_, fitted.predict_proba(X))


@given(n_components=counts, reg_covar=reals)
def test_class_conditional_gmm_parameters(n_components, reg_covar):
    X = np.random.default_rng(0).normal(size=(20, 2))
    y = np.repeat([0, 1], 10)
    model = hybrid.ClassConditionalGMM(n_components=n_components, reg_covar=reg_covar, random_state=0)
    fitted = outcome(lambda: model.fit(X, y), "n_components", "reg_covar", "samples")
    if fitted is not None:
        assert_finite(fitted.sample(5, random_state=0)[0])


@given(confidence=reals)
def test_paired_gain_confidence(confidence):
    curves = pd.DataFrame({"estimator": ["a", "b"] * 4, "train_size": [10] * 8,
                           "repeat": np.repeat(range(4), 2), "test_error": [0.3, 0.2, 0.4, 0.3] * 2})
    table = outcome(lambda: hybrid.paired_gain(curves, "a", "b", confidence=confidence), "confidence")
    if table is not None:
        assert_finite(table[["gain", "ci_low", "ci_high"]])


# -- imbalance --------------------------------------------------------------------------------------
@given(y=labels, threshold=reals, cost_fp=reals, cost_fn=reals)
def test_total_cost(y, threshold, cost_fp, cost_fn):
    scores = np.linspace(0, 1, len(y))
    result = outcome(lambda: imbalance.total_cost(y, scores, threshold, cost_fp=cost_fp, cost_fn=cost_fn),
                     "y_true", "threshold", "cost_fp", "cost_fn")
    if result is not None:
        assert_finite(result)


@given(cost_fp=reals, cost_fn=reals)
def test_bayes_threshold(cost_fp, cost_fn):
    result = outcome(lambda: imbalance.bayes_threshold(cost_fp, cost_fn), "cost_fp", "cost_fn")
    if result is not None:
        assert 0 <= result <= 1


@given(y=labels, min_precision=reals, data=st.data())
def test_recall_at_precision(y, min_precision, data):
    scores = data.draw(vectors(size=(len(y), len(y))))
    result = outcome(lambda: imbalance.recall_at_precision(y, scores, min_precision),
                     "y_true", "scores", "min_precision", "samples", "labels")
    if result is not None:
        assert 0 <= result[0] <= 1


@given(strategy=st.sampled_from([*imbalance.STRATEGIES, "oversample", 3]), k_neighbors=counts)
def test_make_imbalance_pipeline(strategy, k_neighbors):
    outcome(lambda: imbalance.make_imbalance_pipeline(strategy, k_neighbors=k_neighbors), "strategy",
            "k_neighbors")


# -- validation and features ------------------------------------------------------------------------
@given(mean=vectors(size=(1, 5), elements=st.floats(-1, 1)), n=st.integers(1, 50),
       confidence=st.floats(0.01, 0.99))
def test_t_interval_contains_the_mean(mean, n, confidence):
    sem = np.abs(mean) / 3
    low, high = validation.t_interval(mean, sem, n, confidence)
    assert np.all(low <= mean) and np.all(mean <= high)


@given(n_repeats=counts, test_size=reals, train_sizes=st.lists(st.one_of(st.integers(-2, 40), st.booleans()),
                                                               max_size=3))
def test_learning_curves_parameters(n_repeats, test_size, train_sizes):
    from sklearn.datasets import load_iris
    from sklearn.naive_bayes import GaussianNB

    X, y = load_iris(return_X_y=True)
    result = outcome(lambda: validation.learning_curves({"nb": GaussianNB()}, X, y, train_sizes,
                                                        n_repeats=n_repeats, test_size=test_size,
                                                        random_state=0),
                     "n_repeats", "test_size", "train_sizes", "train size", "training size", "pool")
    if result is not None:
        assert_finite(result["test_error"])


@given(degree=counts, C=reals)
def test_make_polynomial_logistic(degree, C):
    outcome(lambda: features.make_polynomial_logistic(degree, C=C), "degree", "C")


@given(n_knots=counts, degree=counts, C=reals)
def test_make_spline_logistic(n_knots, degree, C):
    outcome(lambda: features.make_spline_logistic(n_knots, degree, C=C), "n_knots", "degree", "C")


# -- widgets and plots ------------------------------------------------------------------------------
@given(values=st.lists(st.one_of(reals, st.text(max_size=2)), max_size=4))
def test_param(values):
    param = outcome(lambda: Param(values), "Param", "value")
    if param is not None and param.numeric:
        assert_finite(param.grid)


@given(dpi=reals)
def test_explore_dpi(dpi):
    outcome(lambda: explore(lambda k: str(k), title="t", dpi=dpi, k=Param([1, 2])), "dpi")


@pytest.mark.parametrize("plot", [P.plot_roc_curve, P.plot_pr_curve, P.plot_calibration_curve])
@given(y=st.one_of(labels, st.lists(st.sampled_from([0, 1, 2, "a"]), max_size=5)), scores=vectors())
def test_binary_score_plots(plot, y, scores):
    fig = outcome(lambda: plot(y, scores), "y_true", "scores", "proba", "samples", "labels")
    if fig is not None:
        matplotlib.pyplot.close(fig)


@given(images=st.one_of(matrices(rows=(0, 5), cols=(0, 70)), not_arrays), ncols=counts)
def test_plot_image_grid(images, ncols):
    fig = outcome(lambda: P.plot_image_grid(images, (8, 8), ncols=ncols), "images", "ncols", "image_shape")
    if fig is not None:
        matplotlib.pyplot.close(fig)


@given(X=st.one_of(matrices(rows=(0, 10), cols=(1, 3)), not_arrays))
def test_plot_decision_boundary(X):
    model = GaussianNaiveBayes().fit([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0], [6.0, 5.0]], [0, 0, 1, 1])
    y = np.arange(len(np.atleast_1d(X))) % 2 if isinstance(X, np.ndarray) else [0, 1]
    fig = outcome(lambda: P.plot_decision_boundary(model, X, y), "X", "y", "2-D")
    if fig is not None:
        matplotlib.pyplot.close(fig)
