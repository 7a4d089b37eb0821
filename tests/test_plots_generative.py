"""The plotting helpers of the generative chapters (appended to dglab.plots)."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from dglab.data import ring_centers, ring_of_gaussians
from dglab.plots import (
    new_figure,
    plot_gan_history,
    plot_image_grid,
    plot_mode_counts,
    plot_samples_vs_data,
)
from dglab.training import History


def test_samples_vs_data_draws_both_clouds_and_the_modes():
    X, _ = ring_of_gaussians(300, random_state=0)
    S = X + 0.1
    fig = plot_samples_vs_data(X, S, centers=ring_centers(), radius=0.1, lim=3, title="t")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    offsets = [c.get_offsets() for c in ax.collections]
    np.testing.assert_array_equal(offsets[0], X)
    np.testing.assert_array_equal(offsets[1], S)
    assert len(ax.patches) == 8  # one high-quality circle per mode
    assert ax.get_xlim() == (-3, 3) and ax.get_title() == "t"


def test_samples_vs_data_limits_points_and_draws_into_an_axes():
    X, _ = ring_of_gaussians(300, random_state=0)
    fig, axes = new_figure(ncols=2)
    assert plot_samples_vs_data(X, X, ax=axes[1], max_points=50, legend=False) is fig
    assert len(axes[1].collections[0].get_offsets()) == 50
    assert axes[1].get_legend() is None


def test_samples_vs_data_rejects_non_2d_points():
    with pytest.raises(ValueError, match="2-D points"):
        plot_samples_vs_data(np.zeros((5, 3)), np.zeros((5, 3)))


def test_mode_counts_draws_one_bar_per_mode_and_the_threshold():
    fig = plot_mode_counts([5, 300, 0, 120], threshold=20, title="t")
    ax = fig.axes[0]
    assert [p.get_height() for p in ax.patches] == [5, 300, 0, 120]
    pale = [p.get_facecolor() for p in ax.patches]
    assert pale[0] == pale[2] != pale[1] == pale[3]  # below the threshold: pale
    assert ax.lines[0].get_ydata()[0] == 20


def test_mode_counts_rejects_bad_counts():
    with pytest.raises(ValueError, match="non-negative"):
        plot_mode_counts([1, -2])
    with pytest.raises(ValueError, match="non-empty"):
        plot_mode_counts([])


def test_image_grid_tiles_the_images_in_order():
    images = np.arange(6 * 4, dtype=float).reshape(6, 4) / 24
    fig = plot_image_grid(images, image_shape=(2, 2), ncols=4, titles=list("abcdef"))
    ax = fig.axes[0]
    canvas = ax.images[0].get_array()
    # 2 rows x 4 columns of 2x2 tiles: one blank pixel between tiles, a 3-pixel gap above
    # each row for the titles
    assert canvas.shape == (2 * (2 + 3) + 1, 4 * 3 + 1)
    np.testing.assert_array_equal(canvas[3:5, 1:3], images[0].reshape(2, 2))
    np.testing.assert_array_equal(canvas[8:10, 1:3], images[4].reshape(2, 2))
    untitled = plot_image_grid(images, image_shape=(2, 2), ncols=4).axes[0].images[0].get_array()
    assert untitled.shape == (2 * 3 + 1, 4 * 3 + 1)
    assert [t.get_text() for t in ax.texts] == list("abcdef")


def test_image_grid_rejects_bad_input():
    with pytest.raises(ValueError, match="does not match image_shape"):
        plot_image_grid(np.zeros((3, 10)))
    with pytest.raises(ValueError, match="titles"):
        plot_image_grid(np.zeros((3, 64)), titles=["a"])
    with pytest.raises(ValueError, match="ncols"):
        plot_image_grid(np.zeros((3, 64)), ncols=0)


def test_gan_history_plots_losses_and_d_outputs():
    h = History()
    for i in range(100):
        h.record(i, {"d_loss": 1.4, "g_loss": 0.7, "d_real": 0.6, "d_fake": 0.4})
    fig = plot_gan_history(h, window=10)
    loss_ax, d_ax = fig.axes
    assert len(loss_ax.lines) == 4 and d_ax.get_ylim() == (0, 1)
    smoothed = loss_ax.lines[1].get_ydata()
    np.testing.assert_allclose(smoothed, 1.4)
    assert len(smoothed) == 91


def test_gan_history_needs_a_gan_history():
    h = History()
    h.record(0, {"loss": 1.0})
    with pytest.raises(ValueError, match="d_loss"):
        plot_gan_history(h)
