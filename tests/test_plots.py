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
