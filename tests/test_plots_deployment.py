"""The deployment and hybrid plots (chapters 13 and 14): what they draw is the data they were given.

Each test reads the drawn artists back (line data, error bars, scatter offsets, image arrays) and
compares them with the input tables, computed independently (numpy, DriftMonitor's own table).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from dglab.deploy import DriftMonitor
from dglab.plots import (
    plot_distillation,
    plot_drift_pvalues,
    plot_latency,
    plot_paired_gain,
    plot_quality_over_time,
)


def _lines(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_plot_latency_draws_median_and_p95_per_model():
    tables = {
        "model": pd.DataFrame({"batch_size": [1, 10, 100], "median_ms": [0.1, 0.5, 3.0], "p95_ms": [0.2, 0.9, 4.0]}),
        "tree": pd.DataFrame({"batch_size": [1, 10, 100], "median_ms": [0.01, 0.02, 0.1], "p95_ms": [0.02, 0.03, 0.2]}),
    }
    fig = plot_latency(tables)
    ax = fig.axes[0]
    lines = _lines(ax)
    for name, table in tables.items():
        np.testing.assert_array_equal(lines[f"{name}, median"].get_ydata(), table["median_ms"])
        np.testing.assert_array_equal(lines[f"{name}, 95th percentile"].get_ydata(), table["p95_ms"])
        np.testing.assert_array_equal(lines[f"{name}, median"].get_xdata(), table["batch_size"])
    assert ax.get_yscale() == "log"
    assert lines["model, median"].get_color() != lines["tree, median"].get_color()


def test_plot_distillation_highlights_the_chosen_depth():
    table = pd.DataFrame({"depth": [1, 2, 4], "fidelity": [0.7, 0.85, 0.97], "accuracy": [0.68, 0.8, 0.9],
                          "latency_us": [2.0, 2.5, 3.0], "n_leaves": [2, 4, 15], "teacher_accuracy": [0.92] * 3})
    fig = plot_distillation(table, 4, teacher_ms=0.5)
    ax_q, ax_t = fig.axes
    lines = _lines(ax_q)
    np.testing.assert_array_equal(lines["fidelity (agrees with teacher)"].get_ydata(), table["fidelity"])
    np.testing.assert_array_equal(lines["accuracy (agrees with truth)"].get_ydata(), table["accuracy"])
    assert lines["teacher's accuracy"].get_ydata()[0] == 0.92
    assert "fidelity 0.970, accuracy 0.900" in ax_q.get_title()
    assert _lines(ax_t)["teacher"].get_ydata()[0] == pytest.approx(500.0)  # 0.5 ms in µs
    assert "15 leaves" in ax_t.get_title()
    with pytest.raises(ValueError, match="depth 3 is not in the table"):
        plot_distillation(table, 3)


@pytest.fixture(scope="module")
def reports():
    rng = np.random.default_rng(0)
    monitor = DriftMonitor(alpha=0.01).fit(rng.normal(size=(500, 4)))
    healthy = monitor.check(rng.normal(size=(200, 4)))
    shifted = monitor.check(rng.normal(size=(200, 4)) + [0, 0, 1.0, 0])
    return {"healthy": healthy, "shifted": shifted}


def test_plot_drift_pvalues_draws_minus_log10_p(reports):
    fig = plot_drift_pvalues(reports, floor=1e-12)
    ax = fig.axes[0]
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    for collection, report in zip(dots, reports.values(), strict=True):
        expected = -np.log10(np.maximum(report.table["p_value"].to_numpy(), 1e-12))
        np.testing.assert_allclose(collection.get_offsets()[:, 1], expected)
    threshold = [line for line in ax.get_lines() if "threshold" in line.get_label()][0]
    assert threshold.get_ydata()[0] == pytest.approx(-np.log10(0.01 / 4))
    assert "shifted (1 flagged)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_drift_pvalues_as_images(reports):
    fig = plot_drift_pvalues(reports, image_shape=(2, 2))
    image = fig.axes[1].get_images()[0].get_array()
    expected = -np.log10(np.maximum(reports["shifted"].table["p_value"].to_numpy(), 1e-12)).reshape(2, 2)
    np.testing.assert_allclose(image, expected)
    with pytest.raises(ValueError, match="do not fill an image of shape"):
        plot_drift_pvalues(reports, image_shape=(3, 3))
    with pytest.raises(ValueError, match="reports is empty"):
        plot_drift_pvalues({})


def test_plot_quality_over_time_marks_the_days_above_the_threshold():
    values = [0.1, 0.3, 0.05, 0.6]
    fig = plot_quality_over_time(values, 0.25)
    ax = fig.axes[0]
    np.testing.assert_array_equal(_lines(ax)["distance"].get_ydata(), values)
    alarms = [c for c in ax.collections if c.get_label() == "alarm"][0]
    np.testing.assert_array_equal(alarms.get_offsets(), [[2, 0.3], [4, 0.6]])
    with pytest.raises(ValueError, match="non-empty 1-D"):
        plot_quality_over_time([], 0.2)


def test_plot_paired_gain_draws_the_interval_of_each_size():
    gains = pd.DataFrame({"train_size": [20, 50, 100], "gain": [0.05, 0.02, 0.0],
                          "ci_low": [0.01, -0.01, -0.02], "ci_high": [0.09, 0.05, 0.02]})
    fig = plot_paired_gain(gains)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    data_line, _caps, (bars,) = ax.containers[0].lines  # an errorbar container
    np.testing.assert_allclose(np.asarray(data_line.get_ydata(), dtype=float), gains["gain"].to_numpy())
    segments = np.array([s[:, 1] for s in bars.get_segments()])  # (low, high) per size
    np.testing.assert_allclose(segments, gains[["ci_low", "ci_high"]].to_numpy())
    with pytest.raises(ValueError, match="lacks columns"):
        plot_paired_gain(gains.drop(columns="ci_low"))
