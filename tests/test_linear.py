"""dglab.linear against independent references: SciPy, scikit-learn, finite differences, PyTorch."""

import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy.optimize import linprog
from scipy.special import expit
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_wine,
    make_classification,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from dglab.linear import DIVERGENCE_PATIENCE, LogisticRegressionGD, log_loss_and_gradient, sigmoid
from dglab.plots import plot_loss_curves, plot_probability_contours, plot_training_run

# The eight "mean" measurements of the breast cancer data without perimeter and area, which are
# functions of the radius. With all 30 features the two classes are linearly separable, so the
# unpenalised maximum-likelihood estimate does not exist (the weights grow without bound) and
# there are no coefficients to compare; with these eight it exists and is well conditioned.
MEAN_FEATURES_WITHOUT_PERIMETER_AND_AREA = [0, 1, 4, 5, 6, 7, 8, 9]


def fit_quietly(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # a test fit must converge
        return model.fit(X, y)


def relative_difference(a, b):
    """Largest elementwise |a - b| relative to the largest |b| (coefficients of one model)."""
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def toy():
    X, y = make_classification(n_samples=200, n_features=2, n_informative=2, n_redundant=0,
                               n_clusters_per_class=1, flip_y=0.05, random_state=0)
    return X, y


# -- the scikit-learn estimator contract ------------------------------------------------------


@parametrize_with_checks([LogisticRegressionGD(), LogisticRegressionGD(alpha=0.01, fit_intercept=False)])
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        # Some checks fit separable toy data without a penalty, where gradient descent cannot
        # reach tol in max_iter steps and says so; that warning is the correct behaviour.
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


# -- sigmoid ------------------------------------------------------------------------------------


def test_sigmoid_matches_scipy_expit():
    z = np.concatenate([np.linspace(-50, 50, 2001), [-745.0, -700.0, 700.0, 745.0]])
    np.testing.assert_allclose(sigmoid(z), expit(z), rtol=1e-15, atol=1e-300)  # subnormals differ
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), atol=1e-15)


def test_sigmoid_is_exact_and_silent_at_the_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow/underflow warning fails the test
        with np.errstate(all="warn"):
            out = sigmoid(np.array([-1e4, -1e300, -np.inf, 1e4, 1e300, np.inf]))
            scalar_low, scalar_high = sigmoid(-1e4), sigmoid(1e4)
    assert out.tolist() == [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    assert scalar_low == 0.0 and scalar_high == 1.0
    assert isinstance(scalar_high, float) and sigmoid(0) == 0.5


def test_sigmoid_keeps_the_shape_of_its_input():
    z = np.arange(12.0).reshape(3, 4) - 6
    assert sigmoid(z).shape == (3, 4)
    assert sigmoid([[0.0]]).shape == (1, 1)


# -- the loss and its gradient ------------------------------------------------------------------


def test_loss_matches_sklearn_log_loss_binary_and_multinomial(toy):
    X, y = toy
    rng = np.random.default_rng(0)
    w, b, alpha = rng.normal(size=2), 0.3, 0.1
    loss, _, _ = log_loss_and_gradient(w, b, X, y.astype(float), alpha)
    expected = log_loss(y, expit(X @ w + b)) + 0.5 * alpha * w @ w
    assert loss == pytest.approx(expected, rel=1e-12)

    X3, y3 = load_iris(return_X_y=True)
    W, b3 = rng.normal(size=(4, 3)), rng.normal(size=3)
    Z = X3 @ W + b3
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    loss3, _, _ = log_loss_and_gradient(W, b3, X3, np.eye(3)[y3], alpha)
    assert loss3 == pytest.approx(log_loss(y3, P) + 0.5 * alpha * np.sum(W**2), rel=1e-12)


def _finite_difference_gradient(f, theta, h=1e-6):
    grad = np.empty_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (f(theta + step) - f(theta - step)) / (2 * h)
    return grad


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("alpha", [0.0, 0.05])
def test_gradient_matches_finite_differences_and_autograd(n_classes, alpha):
    torch = pytest.importorskip("torch")
    X, y = make_classification(n_samples=120, n_features=5, n_informative=3, n_classes=n_classes,
                               n_clusters_per_class=1, random_state=1)
    rng = np.random.default_rng(1)
    if n_classes == 2:
        w, b, Y = rng.normal(size=5), rng.normal(), y.astype(float)
    else:
        w, b, Y = rng.normal(size=(5, 3)), rng.normal(size=3), np.eye(3)[y]
    _, grad_w, grad_b = log_loss_and_gradient(w, b, X, Y, alpha)
    analytic = np.concatenate([np.ravel(grad_w), np.ravel(grad_b)])

    def unpack(theta):
        return theta[: w.size].reshape(w.shape), (theta[w.size:] if np.ndim(b) else theta[-1])

    theta = np.concatenate([np.ravel(w), np.ravel(b)])
    numeric = _finite_difference_gradient(lambda t: log_loss_and_gradient(*unpack(t), X, Y, alpha)[0], theta)
    np.testing.assert_allclose(analytic, numeric, rtol=0, atol=1e-6)

    # PyTorch's autograd of its own cross-entropy (no code shared with dglab).
    tw = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    tX, tY = torch.tensor(X), torch.tensor(Y)
    scores = tX @ tw + tb
    if n_classes == 2:
        loss = torch.nn.functional.binary_cross_entropy_with_logits(scores, tY)
    else:
        loss = torch.nn.functional.cross_entropy(scores, torch.tensor(y))
    loss = loss + 0.5 * alpha * (tw**2).sum()
    loss.backward()
    autograd = np.concatenate([tw.grad.numpy().ravel(), tb.grad.numpy().ravel()])
    np.testing.assert_allclose(analytic, autograd, rtol=0, atol=1e-12)
    assert log_loss_and_gradient(w, b, X, Y, alpha)[0] == pytest.approx(loss.item(), rel=1e-12)


def test_loss_and_gradient_reject_mismatched_shapes(toy):
    X, y = toy
    with pytest.raises(ValueError, match="shapes do not fit"):
        log_loss_and_gradient(np.zeros(3), 0.0, X, y.astype(float))
    with pytest.raises(ValueError, match="shapes do not fit"):
        log_loss_and_gradient(np.zeros((2, 3)), np.zeros(3), X, y.astype(float))


# -- parity with scikit-learn -----------------------------------------------------------------


def test_unpenalised_parity_with_sklearn_on_breast_cancer():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X[:, MEAN_FEATURES_WITHOUT_PERIMETER_AND_AREA])
    # scikit-learn >= 1.8: C=np.inf is the documented way to ask for no penalty (penalty=None is
    # deprecated).
    reference = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X, y)
    ours = fit_quietly(LogisticRegressionGD(learning_rate=5.0, max_iter=20_000, tol=1e-8), X, y)
    assert relative_difference(ours.coef_, reference.coef_) < 1e-3
    assert np.max(np.abs(ours.coef_ - reference.coef_) / np.abs(reference.coef_)) < 1e-3
    assert ours.intercept_ == pytest.approx(reference.intercept_, rel=1e-3)
    assert np.mean(ours.predict(X) == reference.predict(X)) >= 0.995


def test_all_thirty_cancer_features_are_separable(cancer):
    # Why the unpenalised parity test uses eight features: with all thirty, a hyperplane with
    # y_i (w . x_i + b) >= 1 for every sample exists (a linear program finds one), so the
    # training loss can be driven to zero and no finite minimiser exists.
    X, y = cancer
    signs = np.where(y == 1, 1.0, -1.0)
    A_ub = -signs[:, None] * np.c_[X, np.ones(len(X))]
    result = linprog(np.zeros(X.shape[1] + 1), A_ub=A_ub, b_ub=-np.ones(len(X)),
                     bounds=(None, None), method="highs")
    assert result.status == 0  # feasible: the classes are linearly separable
    X8 = StandardScaler().fit_transform(load_breast_cancer().data[:, MEAN_FEATURES_WITHOUT_PERIMETER_AND_AREA])
    A_ub8 = -signs[:, None] * np.c_[X8, np.ones(len(X8))]
    result8 = linprog(np.zeros(X8.shape[1] + 1), A_ub=A_ub8, b_ub=-np.ones(len(X8)),
                      bounds=(None, None), method="highs")
    assert result8.status == 2  # infeasible: not separable, the unpenalised optimum exists


@pytest.mark.parametrize("C", [0.1, 1.0])
def test_l2_parity_with_sklearn_C(cancer, C):
    X, y = cancer
    n = X.shape[0]
    reference = LogisticRegression(C=C, tol=1e-10, max_iter=10_000).fit(X, y)
    # learning_rate 0.5 < 2 / L with L = lambda_max(X'X / n) / 4 + alpha = 3.3 + alpha
    ours = fit_quietly(LogisticRegressionGD(learning_rate=0.5, max_iter=50_000, tol=1e-9,
                                            alpha=1 / (C * n)), X, y)
    assert relative_difference(ours.coef_, reference.coef_) < 1e-4
    assert ours.intercept_ == pytest.approx(reference.intercept_, rel=1e-4)
    assert np.mean(ours.predict(X) == reference.predict(X)) >= 0.995
    # the other plausible mapping, alpha = 1 / C, is a different (much stronger) penalty
    wrong = fit_quietly(LogisticRegressionGD(learning_rate=0.1, max_iter=20_000, tol=1e-8,
                                             alpha=1 / C), X, y)
    assert relative_difference(wrong.coef_, reference.coef_) > 0.5


def test_no_intercept_parity_with_sklearn(cancer):
    X, y = cancer
    reference = LogisticRegression(C=1.0, fit_intercept=False, tol=1e-10, max_iter=10_000).fit(X, y)
    ours = fit_quietly(LogisticRegressionGD(learning_rate=0.5, max_iter=50_000, tol=1e-9,
                                            alpha=1 / X.shape[0], fit_intercept=False), X, y)
    assert relative_difference(ours.coef_, reference.coef_) < 1e-4
    assert ours.intercept_.tolist() == [0.0]


@pytest.mark.parametrize(
    ("loader", "C", "learning_rate"),
    [(load_iris, 1.0, 2.0), (load_wine, 1.0, 2.0),
     pytest.param(load_digits, 0.1, 2.0, marks=pytest.mark.slow)],  # digits: over 5 s
    ids=["iris", "wine", "digits"],
)
def test_multinomial_parity_with_sklearn(loader, C, learning_rate):
    # A penalty is needed: these datasets are (nearly) separable, so without one the
    # coefficients diverge. Digits uses C=0.1 to keep gradient descent to a few thousand steps.
    X, y = loader(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    reference = LogisticRegression(C=C, tol=1e-10, max_iter=10_000).fit(X, y)
    ours = fit_quietly(LogisticRegressionGD(learning_rate=learning_rate, max_iter=20_000, tol=1e-7,
                                            alpha=1 / (C * X.shape[0])), X, y)
    assert ours.coef_.shape == reference.coef_.shape == (len(np.unique(y)), X.shape[1])
    assert relative_difference(ours.coef_, reference.coef_) < 1e-3
    np.testing.assert_allclose(ours.intercept_, reference.intercept_, atol=1e-3 * np.abs(reference.intercept_).max())
    np.testing.assert_allclose(ours.predict_proba(X), reference.predict_proba(X), atol=1e-4)
    assert np.mean(ours.predict(X) == reference.predict(X)) >= 0.995


# -- what fit learns --------------------------------------------------------------------------


def test_converged_fit_meets_tol_and_loss_never_rises(toy):
    X, y = toy
    model = fit_quietly(LogisticRegressionGD(learning_rate=0.5, max_iter=5000, tol=1e-7), X, y)
    loss, grad_w, grad_b = log_loss_and_gradient(model.coef_[0], model.intercept_[0], X, y.astype(float))
    assert max(np.abs(grad_w).max(), abs(grad_b)) <= 1e-7
    assert loss == pytest.approx(model.loss_history_[-1], rel=1e-12)
    assert model.loss_history_.shape == (model.n_iter_ + 1,)
    assert model.loss_history_[0] == pytest.approx(np.log(2))
    assert np.all(np.diff(model.loss_history_) <= 0)  # a small step never increases the loss


def test_shapes_probabilities_and_labels(toy):
    X, y = toy
    labels = np.array(["cat", "dog"])[y]
    model = fit_quietly(LogisticRegressionGD(learning_rate=1.0, max_iter=5000), X, labels)
    assert model.classes_.tolist() == ["cat", "dog"]
    assert model.coef_.shape == (1, 2) and model.intercept_.shape == (1,)
    scores = model.decision_function(X)
    proba = model.predict_proba(X)
    assert scores.shape == (len(X),)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(proba[:, 1], expit(scores), rtol=1e-12)
    assert np.array_equal(model.predict(X), np.where(scores > 0, "dog", "cat"))
    assert model.score(X, labels) == pytest.approx(np.mean(model.predict(X) == labels))


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"learning_rate": 0}, "learning_rate must be a finite number > 0"),
        ({"learning_rate": -0.1}, "learning_rate must be"),
        ({"learning_rate": np.nan}, "learning_rate must be"),
        ({"learning_rate": "fast"}, "learning_rate must be"),
        ({"max_iter": 0}, "max_iter must be an integer >= 1"),
        ({"max_iter": 10.5}, "max_iter must be an integer >= 1"),
        ({"tol": -1e-3}, "tol must be a finite number >= 0"),
        ({"alpha": -1.0}, "alpha must be a finite number >= 0"),
        ({"alpha": np.inf}, "alpha must be"),
        ({"fit_intercept": "yes"}, "fit_intercept must be True or False"),
    ],
)
def test_bad_hyperparameters_are_rejected(toy, params, match):
    X, y = toy
    with pytest.raises(ValueError, match=match):
        LogisticRegressionGD(**params).fit(X, y)


def test_bad_data_is_rejected(toy):
    X, y = toy
    model = LogisticRegressionGD()
    with pytest.raises(ValueError, match="NaN"):
        model.fit(np.where(X > 1.5, np.nan, X), y)
    with pytest.raises(ValueError, match="infinity"):
        model.fit(np.where(X > 1.5, np.inf, X), y)
    with pytest.raises(ValueError, match="Expected a 2-dimensional container|Expected 2D array"):
        model.fit(X[:, 0], y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        model.fit(X, y[:-1])
    with pytest.raises(ValueError, match="at least 2 classes; got 1 class"):
        model.fit(X, np.zeros_like(y))
    with pytest.raises(ValueError, match="Unknown label type"):
        model.fit(X, y + np.linspace(0, 0.5, len(y)))
    fitted = fit_quietly(LogisticRegressionGD(learning_rate=1.0, max_iter=5000), X, y)
    with pytest.raises(ValueError, match="X has 3 features, but LogisticRegressionGD is expecting 2"):
        fitted.predict(np.c_[X, X[:, 0]])
    with pytest.raises(ValueError, match="NaN"):
        fitted.predict_proba(np.full((1, 2), np.nan))


# -- divergence and non-convergence ---------------------------------------------------------------


def _assert_finite_model(model, X):
    assert np.all(np.isfinite(model.loss_history_))
    assert model.loss_history_.shape == (model.n_iter_ + 1,)
    assert np.all(np.isfinite(model.coef_)) and np.all(np.isfinite(model.intercept_))
    proba = model.predict_proba(X)
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1.0)
    assert set(np.unique(model.predict(X))) <= set(model.classes_)


def test_divergence_above_the_starting_loss_warns_and_keeps_a_finite_model():
    X, y = load_breast_cancer(return_X_y=True)  # raw features: scales up to thousands
    model = LogisticRegressionGD(learning_rate=0.01)
    with pytest.warns(ConvergenceWarning, match=r"diverged with learning_rate=0\.01: the loss rose above its starting value"):
        model.fit(X, y)
    assert model.n_iter_ == 1
    _assert_finite_model(model, X)
    # the kept parameters are the ones whose loss ends the history
    kept_loss = log_loss_and_gradient(model.coef_[0], model.intercept_[0], X, y.astype(float))[0]
    assert kept_loss == pytest.approx(model.loss_history_[-1], rel=1e-12)


def test_loss_rising_on_consecutive_steps_counts_as_divergence():
    X, y = make_classification(n_samples=400, n_features=2, n_informative=2, n_redundant=0,
                               n_clusters_per_class=1, flip_y=0.03, random_state=0)
    model = LogisticRegressionGD(learning_rate=10.0, max_iter=500)
    with pytest.warns(ConvergenceWarning, match=f"learning_rate=10: the loss rose on {DIVERGENCE_PATIENCE} consecutive"):
        model.fit(X, y)
    rises = np.diff(model.loss_history_)[-DIVERGENCE_PATIENCE:]
    assert np.all(rises > 0)
    _assert_finite_model(model, X)


def test_non_finite_loss_stops_training_with_the_last_finite_parameters():
    X, y = load_breast_cancer(return_X_y=True)
    X = X * 1e200  # finite inputs whose scores overflow after the first step
    model = LogisticRegressionGD(learning_rate=1e200)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow warning leaks out
        with pytest.warns(ConvergenceWarning, match=r"learning_rate=1e\+200: the loss became (inf|nan)"):
            model.fit(X, y)
    assert model.n_iter_ == 0 and model.loss_history_.tolist() == [pytest.approx(np.log(2))]
    assert np.all(model.coef_ == 0)
    assert np.all(np.isfinite(model.predict_proba(X[:5] / 1e200)))


def test_not_reaching_tol_warns_and_names_the_learning_rate(toy):
    X, y = toy
    model = LogisticRegressionGD(learning_rate=1e-3, max_iter=10)
    with pytest.warns(ConvergenceWarning, match=r"did not converge in max_iter=10 steps with learning_rate=0\.001"):
        model.fit(X, y)
    assert model.n_iter_ == 10
    _assert_finite_model(model, X)


# -- plot helpers of chapters 2 and 3 -----------------------------------------------------------


def test_probability_contours_draw_the_boundary_where_the_score_is_zero(toy):
    X, y = toy
    w, b = np.array([1.0, -2.0]), 0.5
    fig = plot_probability_contours(w, b, X, y, title="t")
    assert isinstance(fig, Figure) and fig.axes[0].get_title() == "t"
    boundary = [c for c in fig.axes[0].collections
                if hasattr(c, "get_linewidth") and np.size(c.get_linewidth()) and c.get_linewidth()[0] == 1.8]
    vertices = np.concatenate([p.vertices for p in boundary[0].get_paths()])
    np.testing.assert_allclose(vertices @ w + b, 0, atol=0.05)
    assert isinstance(plot_probability_contours([0.0, 0.0], 1.0, X, y), Figure)  # flat surface
    with pytest.raises(ValueError, match="2 finite numbers"):
        plot_probability_contours([1.0, np.nan], 0.0, X, y)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        plot_probability_contours(w, b, X, y, levels=[0.5, 1.0])
    with pytest.raises(ValueError, match="2-D inputs"):
        plot_probability_contours(w, b, np.c_[X, X], y)


def test_loss_curves_and_training_run(toy):
    X, y = toy
    fig = plot_loss_curves({"a": [0.7, 0.5, 0.4], "b": [0.7, 0.6]}, reference=0.3)
    assert len(fig.axes[0].get_lines()) == 3
    with pytest.raises(ValueError, match="NaN or inf"):
        plot_loss_curves([0.7, np.nan])
    with pytest.raises(ValueError, match="log_y=False"):
        plot_loss_curves([0.7, 0.0])
    model = LogisticRegressionGD(learning_rate=1e-3, max_iter=5)
    with pytest.warns(ConvergenceWarning) as record:
        model.fit(X, y)
    fig = plot_training_run(model, X, y, reference=0.3, warning=str(record[0].message), title="run")
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "ConvergenceWarning: Gradient descent did not converge" in texts
    assert "learning_rate=0.001" in texts
    with pytest.raises(Exception, match="not fitted"):
        plot_training_run(LogisticRegressionGD(), X, y)


# -- the recorded path of gradient descent (chapter 3's explorer) ----------------------------------

def test_recorded_path_starts_at_zero_and_ends_at_the_fitted_weights():
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    x, y = data.data[:, [list(data.feature_names).index("texture error")]], 1 - data.target
    run = LogisticRegressionGD(learning_rate=1.5, max_iter=300, record_path=True).fit(x, y)
    assert run.coef_path_.shape == (run.n_iter_ + 1, 1, 1)
    assert run.intercept_path_.shape == (run.n_iter_ + 1, 1)
    assert np.all(run.coef_path_[0] == 0) and np.all(run.intercept_path_[0] == 0)
    np.testing.assert_array_equal(run.coef_path_[-1], run.coef_)
    np.testing.assert_array_equal(run.intercept_path_[-1], run.intercept_)
    # each recorded point's loss is the recorded loss history (the path is the one trained)
    for k in (0, 1, 50, run.n_iter_):
        loss, _, _ = log_loss_and_gradient(run.coef_path_[k, 0], run.intercept_path_[k, 0], x, y)
        assert loss == pytest.approx(run.loss_history_[k], rel=1e-12)
    # recording changes nothing about the fit
    plain = LogisticRegressionGD(learning_rate=1.5, max_iter=300).fit(x, y)
    np.testing.assert_array_equal(plain.coef_, run.coef_)
    assert not hasattr(plain, "coef_path_")


def test_recorded_path_of_a_diverging_run_ends_at_the_kept_parameters():
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    X, y = make_classification(n_samples=200, n_features=3, n_informative=2, n_redundant=0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        run = LogisticRegressionGD(learning_rate=500.0, max_iter=50, record_path=True).fit(X * 30, y)
    assert len(run.coef_path_) == run.n_iter_ + 1 == len(run.loss_history_)
    np.testing.assert_array_equal(run.coef_path_[-1], run.coef_)
    multi = LogisticRegressionGD(max_iter=5, record_path=True).fit(*make_classification(
        n_samples=90, n_features=4, n_informative=3, n_redundant=0, n_classes=3, random_state=0))
    assert multi.coef_path_.shape == (multi.n_iter_ + 1, 3, 4)
    np.testing.assert_array_equal(multi.coef_path_[-1], multi.coef_)
    with pytest.raises(ValueError, match="record_path must be True or False"):
        LogisticRegressionGD(record_path=1).fit(X, y)


def test_log_loss_surface_equals_sklearn_log_loss_at_grid_points():
    from sklearn.metrics import log_loss

    from dglab.linear import log_loss_surface

    rng = np.random.default_rng(0)
    x = rng.normal(1.0, 0.5, size=150)
    y = (rng.random(150) < sigmoid(2 * x - 1)).astype(int)
    w_values, b_values = np.linspace(-3, 4, 15), np.linspace(-2, 2, 11)
    losses = log_loss_surface(x[:, None], y, w_values, b_values)
    assert losses.shape == (11, 15)
    for i, j in [(0, 0), (3, 7), (10, 14), (5, 2)]:
        p = sigmoid(w_values[j] * x + b_values[i])
        assert losses[i, j] == pytest.approx(log_loss(y, p, labels=[0, 1]), rel=1e-10)
    with pytest.raises(ValueError, match="0/1"):
        log_loss_surface(x, y + 1, w_values, b_values)
    with pytest.raises(ValueError, match="one feature"):
        log_loss_surface(np.c_[x, x], y, w_values, b_values)
