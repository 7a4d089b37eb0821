import numpy as np
import pytest
from matplotlib.figure import Figure
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression

from dglab.plots import new_figure, plot_decision_boundary, set_style


@pytest.fixture(scope="module")
def fitted():
    X, y = make_blobs(n_samples=80, centers=2, random_state=0)
    return LogisticRegression().fit(X, y), X, y


def test_decision_boundary_draws_the_half_probability_line(fitted):
    model, X, y = fitted
    fig = plot_decision_boundary(model, X, y, title="t")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "t"
    # the 0.5 contour lies where w.x + b = 0
    (w1, w2), b = model.coef_[0], model.intercept_[0]
    contour = [c for c in ax.collections if hasattr(c, "get_paths") and c.get_linewidth()[0] == 1.5][0]
    vertices = np.concatenate([p.vertices for p in contour.get_paths()])
    np.testing.assert_allclose(vertices @ [w1, w2] + b, 0, atol=0.05 * np.abs([w1, w2]).max())


def test_decision_boundary_draws_into_a_given_axes(fitted):
    model, X, y = fitted
    fig, axes = new_figure(ncols=2)
    assert plot_decision_boundary(model, X, y, ax=axes[1], proba=False) is fig


def test_decision_boundary_rejects_bad_input(fitted):
    model, X, y = fitted
    with pytest.raises(ValueError, match="2-D inputs"):
        plot_decision_boundary(model, np.c_[X, X], y)
    with pytest.raises(ValueError, match="y must have shape"):
        plot_decision_boundary(model, X, y[:-1])
    with pytest.raises(ValueError, match="NaN"):
        plot_decision_boundary(model, np.where(X > 5, np.nan, X), y)
    with pytest.raises(Exception, match="not fitted"):
        plot_decision_boundary(LogisticRegression(), X, y)


def test_set_style_rejects_unknown_context():
    set_style("talk")
    with pytest.raises(ValueError, match="context"):
        set_style("huge")


def test_image_grid_shows_each_image_with_its_title():
    from dglab.plots import plot_image_grid

    images = np.arange(5 * 12, dtype=float).reshape(5, 12)
    fig = plot_image_grid(images, image_shape=(3, 4), ncols=3, titles=list("abcde"))
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    canvas = ax.images[0].get_array()
    # 2 rows of 3 tiles of 3x4 pixels; one blank pixel between tiles and a 3-pixel gap above
    # each row for the titles; the sixth tile stays empty
    assert canvas.shape == (2 * (3 + 3) + 1, 3 * 5 + 1)
    np.testing.assert_array_equal(canvas[9:12, 6:10], images[4].reshape(3, 4))
    assert np.ma.getmaskarray(canvas[9:12, 11:15]).all()
    # each title sits in the gap just above its tile
    x, y = ax.texts[4].get_position()
    assert 6 <= x <= 10 and 6 < y < 9
    assert [t.get_text() for t in ax.texts] == list("abcde")
    assert ax.images[0].get_clim() == (0.0, 59.0)  # one colour scale for all


def test_image_grid_rejects_bad_input():
    from dglab.plots import plot_image_grid

    with pytest.raises(ValueError, match="does not match image_shape"):
        plot_image_grid(np.zeros((2, 10)), image_shape=(3, 3))
    with pytest.raises(ValueError, match="titles for 2 images"):
        plot_image_grid(np.zeros((2, 9)), image_shape=(3, 3), titles=["a"])
    with pytest.raises(ValueError, match="ncols"):
        plot_image_grid(np.zeros((2, 9)), image_shape=(3, 3), ncols=0)
    with pytest.raises(ValueError, match="NaN"):
        plot_image_grid(np.full((2, 9), np.nan), image_shape=(3, 3))


def test_learning_curves_plot_draws_means_and_bands():
    import pandas as pd

    from dglab.plots import plot_learning_curves
    from dglab.validation import summarize_learning_curves

    rng = np.random.default_rng(0)
    curves = pd.DataFrame({
        "estimator": pd.Categorical(["nb"] * 6 + ["lr"] * 6, categories=["nb", "lr"]),
        "train_size": [10, 10, 10, 40, 40, 40] * 2,
        "repeat": [0, 1, 2] * 4,
        "test_error": rng.uniform(0.1, 0.4, 12),
    })
    summary = summarize_learning_curves(curves)
    fig = plot_learning_curves(curves, colors={"nb": "#ea580c"}, title="t")
    ax = fig.axes[0]
    assert ax.get_title() == "t" and ax.get_xscale() == "log"
    lines = [line for line in ax.get_lines() if line.get_label() in ("nb", "lr")]
    assert [line.get_label() for line in lines] == ["nb", "lr"]
    np.testing.assert_allclose(lines[0].get_ydata(), summary[summary.estimator == "nb"]["mean"])
    assert lines[0].get_color() == "#ea580c"
    # the 95 % band spans ci_low..ci_high
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    nb = summary[summary.estimator == "nb"]
    assert band.min() == pytest.approx(nb["ci_low"].min())
    assert band.max() == pytest.approx(nb["ci_high"].max())
    fig = plot_learning_curves(curves, band="sem", logx=False)
    band = fig.axes[0].collections[0].get_paths()[0].vertices[:, 1]
    assert band.max() == pytest.approx((nb["mean"] + nb["sem"]).max())
    with pytest.raises(ValueError, match="band must be one of"):
        plot_learning_curves(curves, band="2sd")


def test_plot_gd_path_draws_the_path_up_to_the_step():
    from dglab.linear import log_loss_surface
    from dglab.plots import plot_gd_path

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=50), rng.integers(0, 2, 50)
    w, b = np.linspace(-1, 1, 20), np.linspace(-1, 1, 15)
    losses = log_loss_surface(x, y, w, b)
    path = np.array([[0.0, 0.0], [0.2, -0.1], [0.3, -0.15], [0.35, -0.2]])
    fig = plot_gd_path(w, b, losses, path, step=2, optimum=(0.4, -0.2), message="diverged", title="t")
    ax = fig.axes[0]
    drawn = [line.get_xydata() for line in ax.lines if len(line.get_xydata()) == 3]
    np.testing.assert_array_equal(drawn[0], path[:3])
    # past the end of a run that stopped early, the whole path
    late = plot_gd_path(w, b, losses, path, step=99).axes[0]
    assert max(len(line.get_xydata()) for line in late.lines) == 4
    assert fig._supxlabel.get_text() == "diverged"
    with pytest.raises(ValueError, match="shape"):
        plot_gd_path(w, b, losses.T, path, step=0)
    with pytest.raises(ValueError, match="step"):
        plot_gd_path(w, b, losses, path, step=-1)
