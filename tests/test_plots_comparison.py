"""Calibration, the classifier visualiser, real vs generated features and estimate spreads
plot exactly what scikit-learn, NumPy and dglab.metrics compute."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, confusion_matrix, roc_curve

from dglab.metrics import wasserstein_1d
from dglab.plots import (
    new_figure,
    plot_calibration_curve,
    plot_classifier_evaluation,
    plot_estimate_distribution,
    plot_feature_distributions,
    plot_roc_curve,
)


@pytest.fixture(scope="module")
def scored():
    rng = np.random.default_rng(0)
    y = (rng.random(1000) < 0.4).astype(int)
    logits = rng.normal(size=1000) + 2.5 * (y - 0.4)
    return y, 1 / (1 + np.exp(-2 * logits))  # an over-confident score


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_calibration_curve_draws_scikit_learns_points(scored, strategy):
    y, proba = scored
    fig = plot_calibration_curve(y, proba, n_bins=8, strategy=strategy, label="model", title="cal")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    curve, diagonal = ax.lines
    observed, predicted = calibration_curve(y, proba, n_bins=8, strategy=strategy)
    np.testing.assert_allclose(curve.get_xdata(), predicted)
    np.testing.assert_allclose(curve.get_ydata(), observed)
    np.testing.assert_allclose(diagonal.get_xdata(), [0, 1])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == f"model (Brier {brier_score_loss(y, proba):.3f})"
    assert ax.get_title() == "cal"


def test_calibration_markers_are_sized_by_the_number_of_predictions_per_bin(scored):
    y, proba = scored
    fig = plot_calibration_curve(y, proba, n_bins=5)
    counts, _ = np.histogram(proba, bins=np.linspace(0, 1, 6))
    counts = counts[counts > 0]
    np.testing.assert_allclose(fig.axes[0].collections[0].get_sizes(), 10 + 190 * counts / counts.max())
    plain = plot_calibration_curve(y, proba, n_bins=5, show_counts=False)
    assert set(plain.axes[0].collections[0].get_sizes()) == {30.0}


def test_calibration_curves_overlay_with_one_diagonal(scored):
    y, proba = scored
    fig = plot_calibration_curve(y, proba, label="a")
    plot_calibration_curve(y, np.sqrt(proba), label="b", ax=fig.axes[0])
    assert len(fig.axes[0].lines) == 3  # two curves, one diagonal


def test_roc_operating_point_is_the_rates_at_the_threshold(scored):
    y, proba = scored
    fig = plot_roc_curve(y, proba, threshold=0.7)
    curve, point, _chance = fig.axes[0].lines
    fpr, tpr, _ = roc_curve(y, proba)
    np.testing.assert_allclose(curve.get_xdata(), fpr)
    tn, fp, fn, tp = confusion_matrix(y, proba >= 0.7).ravel()
    np.testing.assert_allclose([point.get_xdata()[0], point.get_ydata()[0]], [fp / (fp + tn), tp / (tp + fn)])


def test_classifier_evaluation_panels_show_the_decisions_at_the_threshold(scored):
    y, proba = scored
    fig = plot_classifier_evaluation(y, proba, threshold=0.3, panels=("confusion", "roc", "pr", "calibration"),
                                     class_names=["neg", "pos"], title="model")
    assert len(fig.axes) == 4
    cm = confusion_matrix(y, proba >= 0.3)
    texts = [t.get_text() for t in fig.axes[0].texts]
    for (i, j), count in np.ndenumerate(cm):
        assert texts[2 * i + j].startswith(f"{count:,}")
    tn, fp, fn, tp = cm.ravel()
    assert fig.axes[0].get_title() == (
        f"threshold 0.30\nprecision {tp / (tp + fp):.3f}, recall {tp / (tp + fn):.3f}")
    assert [ax.get_title() for ax in fig.axes[1:]] == ["ROC curve", "precision-recall curve", "calibration"]
    assert fig._suptitle.get_text() == "model"


def test_classifier_evaluation_passes_the_calibration_binning_on(scored):
    y, proba = scored
    fig = plot_classifier_evaluation(y, proba, panels=("calibration",), n_bins=5, strategy="quantile")
    observed, predicted = calibration_curve(y, proba, n_bins=5, strategy="quantile")
    np.testing.assert_allclose(fig.axes[0].lines[0].get_xdata(), predicted)
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(), observed)


def test_classifier_evaluation_with_no_positive_decision_says_precision_is_undefined(scored):
    y, proba = scored
    fig = plot_classifier_evaluation(y, proba, threshold=1.0, panels=("confusion",))
    assert "precision undefined, recall 0.000" in fig.axes[0].get_title()


def test_feature_distributions_draw_density_histograms_on_shared_bins():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(500, 3))
    gen = {"A": rng.normal(0.5, 1, size=(300, 3)), "B": rng.normal(0, 2, size=(200, 3))}
    fig = plot_feature_distributions(real, gen, features=[0, 2], feature_names=["x", "y", "z"], bins=12,
                                     title="marginals")
    axes = [ax for ax in fig.axes if ax.axison]
    assert len(axes) == 2 and [ax.get_title() for ax in axes] == ["x", "z"]
    ax, j = axes[1], 2
    edges = np.linspace(min(real[:, j].min(), gen["A"][:, j].min(), gen["B"][:, j].min()),
                        max(real[:, j].max(), gen["A"][:, j].max(), gen["B"][:, j].max()), 13)
    heights = [patch.get_height() for patch in ax.patches[:12]]
    np.testing.assert_allclose(heights, np.histogram(real[:, j], bins=edges, density=True)[0])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "real"
    assert labels[1] == f"A (W1 {wasserstein_1d(real[:, j], gen['A'][:, j]):.3g})"
    assert labels[2].startswith("B (W1 ")


def test_feature_distributions_accept_a_bare_array_and_reject_bad_input():
    rng = np.random.default_rng(2)
    real = rng.normal(size=(50, 2))
    fig = plot_feature_distributions(real, rng.normal(size=(40, 2)))
    assert "generated (W1" in fig.axes[0].get_legend().get_texts()[1].get_text()
    with pytest.raises(ValueError, match="3 features"):
        plot_feature_distributions(real, rng.normal(size=(40, 3)))
    with pytest.raises(ValueError, match="at most 16"):
        plot_feature_distributions(np.zeros((5, 20)), np.zeros((5, 20)))
    with pytest.raises(ValueError, match="column indices"):
        plot_feature_distributions(real, real, features=[5])
    with pytest.raises(ValueError, match="feature_names"):
        plot_feature_distributions(real, real, feature_names=["a"])
    with pytest.raises(ValueError, match="NaN"):
        plot_feature_distributions(real, np.full((5, 2), np.nan))


def test_estimate_distribution_reports_mean_and_std_and_the_reference():
    rng = np.random.default_rng(3)
    small, large = rng.normal(0.8, 0.05, 40), rng.normal(0.8, 0.01, 40)
    fig, ax = new_figure()
    assert plot_estimate_distribution({"n=50": small, "n=800": large}, reference=0.8, ax=ax,
                                      xlim=(0.6, 1.0), xlabel="accuracy") is fig
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"n=50: {small.mean():.3f} ± {small.std(ddof=1):.3f}" in labels
    assert "true value 0.800" in labels
    assert ax.get_xlim() == (0.6, 1.0) and ax.get_xlabel() == "accuracy"
    assert sum(p.get_height() for p in ax.patches) == 80


def test_bad_evaluation_input_gets_clear_errors(scored):
    y, proba = scored
    with pytest.raises(ValueError, match="probabilities in"):
        plot_calibration_curve(y, proba * 2)
    with pytest.raises(ValueError, match="n_bins"):
        plot_calibration_curve(y, proba, n_bins=1)
    with pytest.raises(ValueError, match="strategy"):
        plot_calibration_curve(y, proba, strategy="kmeans")
    with pytest.raises(ValueError, match="both labels"):
        plot_calibration_curve(np.zeros(10), np.full(10, 0.5))
    with pytest.raises(ValueError, match="threshold"):
        plot_classifier_evaluation(y, proba, threshold=1.5)
    with pytest.raises(ValueError, match="panels"):
        plot_classifier_evaluation(y, proba, panels=("histogram",))
    with pytest.raises(ValueError, match="at least 2 finite"):
        plot_estimate_distribution({"a": [1.0]})
    with pytest.raises(ValueError, match="non-empty dict"):
        plot_estimate_distribution([1.0, 2.0])
