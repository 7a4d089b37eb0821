"""The chapter 9 plots: bits-per-character curves and per-character entropy bars."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from dglab.plots import new_figure, plot_bits_per_char, plot_char_entropy


def test_bits_per_char_draws_each_curve_and_baseline():
    x = np.arange(1, 6)
    curves = {"a": [5.0, 4.0, 3.0, 2.5, 2.4], "b": [6.0, 5.0, 4.0, 3.0, 2.0]}
    fig = plot_bits_per_char(x, curves, baselines={"n-gram": 1.78}, title="t", logx=True)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = ax.get_lines()
    np.testing.assert_allclose(lines[0].get_ydata(), curves["a"])
    np.testing.assert_allclose(lines[1].get_xdata(), x)
    np.testing.assert_allclose(lines[2].get_ydata(), [1.78, 1.78])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "n-gram (1.78)"]
    assert ax.get_title() == "t" and ax.get_xscale() == "log" and ax.get_ylabel() == "bits per character"


def test_bits_per_char_into_given_axes():
    fig, ax = new_figure()
    assert plot_bits_per_char([0, 1], {"a": [2, 1]}, ax=ax) is fig


@pytest.mark.parametrize(
    "x, curves, match",
    [
        ([], {"a": []}, "x must be a non-empty 1-D array"),
        ([1, 2], {}, "curves must hold at least one line"),
        ([1, 2], {"a": [1, 2, 3]}, r"curve 'a' has shape \(3,\), expected \(2,\)"),
    ],
)
def test_bits_per_char_bad_input(x, curves, match):
    with pytest.raises(ValueError, match=match):
        plot_bits_per_char(x, curves)


def test_char_entropy_bars_and_mean():
    entropy = np.array([0.0, 1.0, 2.0, 1.0])
    fig = plot_char_entropy(entropy, "ab c", max_bits=3.0, title="T")
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, entropy)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [1.0, 1.0])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", " ", "c"]
    assert ax.get_ylim() == (0.0, 3.0)


@pytest.mark.parametrize(
    "entropy, text, match",
    [
        ([], None, "non-empty 1-D array"),
        ([1.0, np.nan], None, "finite and non-negative"),
        ([1.0, -0.5], None, "finite and non-negative"),
        ([1.0, 2.0], "abc", "text has 3 characters but there are 2 entropies"),
    ],
)
def test_char_entropy_bad_input(entropy, text, match):
    with pytest.raises(ValueError, match=match):
        plot_char_entropy(entropy, text)


def test_plot_bits_per_char_marks_a_step():
    from dglab.plots import plot_bits_per_char

    fig = plot_bits_per_char([0, 10, 20], {"held out": [5.0, 3.0, 2.5]}, mark=10)
    ax = fig.axes[0]
    ring = [line for line in ax.lines if line.get_marker() == "o" and len(line.get_xdata()) == 1]
    assert len(ring) == 1 and list(ring[0].get_xydata()[0]) == [10.0, 3.0]
    assert any(list(line.get_xdata()) == [10.0, 10.0] for line in ax.lines)  # the vertical line
    with pytest.raises(ValueError, match="not one of the x"):
        plot_bits_per_char([0, 10, 20], {"held out": [5.0, 3.0, 2.5]}, mark=15)
