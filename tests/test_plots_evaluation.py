"""PR / ROC curves and the confusion matrix plot the numbers scikit-learn computes."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from sklearn.metrics import confusion_matrix, precision_recall_curve, roc_curve

from dglab.plots import new_figure, plot_confusion_matrix, plot_pr_curve, plot_roc_curve


@pytest.fixture(scope="module")
def scored():
    rng = np.random.default_rng(0)
    y = (rng.random(2000) < 0.05).astype(int)
    return y, rng.normal(size=2000) + 2 * y


def test_pr_curve_draws_scikit_learns_curve_and_the_no_skill_line(scored):
    y, scores = scored
    fig = plot_pr_curve(y, scores, label="model", threshold=1.0, title="PR")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    precision, recall, _ = precision_recall_curve(y, scores)
    curve, marker, no_skill = ax.lines
    np.testing.assert_allclose(curve.get_xdata(), recall)
    np.testing.assert_allclose(curve.get_ydata(), precision)
    assert curve.get_drawstyle() == "steps-post"
    np.testing.assert_allclose(no_skill.get_ydata(), y.mean())
    flagged = scores >= 1.0
    tp = np.sum(flagged & (y == 1))
    np.testing.assert_allclose([marker.get_xdata()[0], marker.get_ydata()[0]],
                               [tp / y.sum(), tp / flagged.sum()])
    assert "model (AP " in ax.get_legend().get_texts()[0].get_text()
    assert ax.get_title() == "PR"


def test_roc_curve_draws_scikit_learns_curve(scored):
    y, scores = scored
    fig, axes = new_figure(ncols=2)
    assert plot_roc_curve(y, scores, ax=axes[1], label="m") is fig
    fpr, tpr, _ = roc_curve(y, scores)
    np.testing.assert_allclose(axes[1].lines[0].get_xdata(), fpr)
    np.testing.assert_allclose(axes[1].lines[0].get_ydata(), tpr)


def test_curves_overlay_on_one_axes(scored):
    y, scores = scored
    fig = plot_pr_curve(y, scores, label="a")
    plot_pr_curve(y, -scores, label="b", ax=fig.axes[0], show_no_skill=False)
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 3


def test_confusion_matrix_prints_counts_and_row_shares(scored):
    y, scores = scored
    cm = confusion_matrix(y, scores >= 1.0)
    fig = plot_confusion_matrix(cm, class_names=["legit", "fraud"], title="CM")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    for (i, _j), count in np.ndenumerate(cm):
        share = count / cm[i].sum()
        assert f"{count:,}\n{share:.1%}" in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == ["legit", "fraud"]
    np.testing.assert_allclose(ax.images[0].get_array(), cm / cm.sum(axis=1, keepdims=True))


def test_bad_input_gets_clear_errors(scored):
    y, scores = scored
    with pytest.raises(ValueError, match="both labels 0 and 1"):
        plot_pr_curve(np.zeros(5), np.arange(5.0))
    with pytest.raises(ValueError, match="NaN"):
        plot_roc_curve([0, 1, 0], [0.1, np.nan, 0.2])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        plot_pr_curve(y, scores[:-1])
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix(np.ones((2, 3)))
    with pytest.raises(ValueError, match="non-negative"):
        plot_confusion_matrix([[1, -1], [0, 2]])
    with pytest.raises(ValueError, match="class_names has 3 entries"):
        plot_confusion_matrix([[1, 0], [0, 1]], class_names=["a", "b", "c"])
