"""Generated samples against the data they imitate (chapters 5, 8 and 10): image grids, samples
over data, mode counts, GAN training curves, feature distributions."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

from dglab._validation import check_int, check_numeric_array
from dglab.plots.base import CLASS_COLORS, FAMILY_COLORS, _axes, _titled, new_figure

__all__ = [
    "plot_image_grid",
    "plot_samples_vs_data",
    "plot_mode_counts",
    "plot_gan_history",
    "plot_feature_distributions",
]


def plot_image_grid(
    images,
    image_shape: tuple[int, int] = (8, 8),
    ncols: int = 10,
    titles=None,
    *,
    ax=None,
    title: str | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    cmap: str = "gray_r",
):
    """Show flattened images (one per row) as one tiled picture, without axes.

    All tiles share one colour scale, so they are comparable; a single ``imshow`` keeps the
    figure fast to draw (explorers redraw it once per slider value).

    Parameters
    ----------
    images : array-like of shape (n_images, height * width)
        One flattened image per row, e.g. digits, class means or generated samples.
    image_shape : (int, int), default=(8, 8)
        Height and width of each image.
    ncols : int, default=10
        Images per row of the grid (fewer if there are fewer images).
    titles : sequence of str, optional
        One short label per image, written above it.
    ax : matplotlib Axes, optional
        Draw into this axes; by default a new figure is created.
    title : str, optional
        Title above the whole grid.
    vmin, vmax : float, optional
        Limits of the colour scale; by default the smallest and largest value over all images.
        Pass ``vmin=0, vmax=1`` for images in [0, 1] so that a washed-out image looks washed out.
    cmap : str, default="gray_r"
        Colour map (ink dark on a light background).

    Returns
    -------
    matplotlib.figure.Figure
    """
    images = check_numeric_array("images", images, ensure_min_samples=1)
    height, width = (int(v) for v in image_shape)
    if height < 1 or width < 1 or images.shape[1] != height * width:
        raise ValueError(
            f"images have {images.shape[1]} values each, which does not match image_shape "
            f"{tuple(image_shape)} ({height * width} pixels)"
        )
    ncols = check_int("ncols", ncols, minimum=1)
    n = len(images)
    if titles is not None and len(titles) != n:
        raise ValueError(f"got {len(titles)} titles for {n} images")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    pad = 1  # blank pixels between tiles
    # rows of titled tiles get a taller gap above them, for the title to sit in
    top_pad = pad + (max(2, round(0.45 * height)) if titles is not None else 0)
    canvas = np.full((nrows * (height + top_pad) + pad, ncols * (width + pad) + pad), np.nan)
    for k, image in enumerate(images):
        r, c = divmod(k, ncols)
        top, left = top_pad + r * (height + top_pad), pad + c * (width + pad)
        canvas[top:top + height, left:left + width] = image.reshape(height, width)
    if ax is None:
        inch = 0.6 / (width + pad)  # figure inches per canvas pixel: about 0.6 in per tile
        fig, ax = new_figure(width=max(2.0, inch * canvas.shape[1]),
                             height=max(1.0, inch * canvas.shape[0] + (0.3 if title else 0.0)))
    else:
        fig = ax.figure
    vmin = float(images.min()) if vmin is None else vmin
    vmax = float(images.max()) if vmax is None else vmax
    colormap = mpl.colormaps[cmap].with_extremes(bad="white")  # the gaps between tiles
    ax.imshow(canvas, cmap=colormap, vmin=vmin, vmax=vmax, interpolation="nearest")
    if titles is not None:
        for k, label in enumerate(titles):
            r, c = divmod(k, ncols)
            ax.text(pad + c * (width + pad) + width / 2 - 0.5, top_pad + r * (height + top_pad) - 0.8,
                    str(label), ha="center", va="bottom", fontsize=9)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=11)
    return fig


def plot_samples_vs_data(
    data,
    samples,
    *,
    ax=None,
    title: str | None = None,
    centers=None,
    radius: float | None = None,
    max_points: int = 2000,
    lim: float | None = None,
    sample_label: str = "generated",
    legend: bool = True,
):
    """Scatter generated 2-D samples over the data they imitate.

    Parameters
    ----------
    data, samples : array-like of shape (n, 2)
        Real points (grey) and generated points (orange); at most ``max_points`` of each are
        drawn (the first ones).
    ax : matplotlib Axes, optional
        Draw into this axes; by default a new figure is created.
    centers : array-like of shape (n_modes, 2), optional
        Known mode centres, marked with crosses; with ``radius``, the high-quality zone around
        each is drawn as a circle.
    lim : float, optional
        Show the square [-lim, lim]^2 (keeps panels of a sequence comparable).
    legend : bool
        Label the two clouds (switch off for all but one panel of a row).

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = check_numeric_array("data", data)
    samples = check_numeric_array("samples", samples)
    if data.shape[1] != 2 or samples.shape[1] != 2:
        raise ValueError(
            f"plot_samples_vs_data draws 2-D points, got data with {data.shape[1]} and samples "
            f"with {samples.shape[1]} columns"
        )
    fig, ax = _axes(ax, width=4.4, height=4.2)
    ax.scatter(*data[:max_points].T, s=6, color=FAMILY_COLORS["data"], alpha=0.35, label="data",
               edgecolors="none")
    ax.scatter(*samples[:max_points].T, s=6, color=FAMILY_COLORS["generative"], alpha=0.6,
               label=sample_label, edgecolors="none")
    if centers is not None:
        centers = check_numeric_array("centers", centers)
        ax.scatter(*centers.T, marker="x", s=30, color="k", linewidths=1.0)
        if radius is not None:
            for c in centers:
                ax.add_patch(mpl.patches.Circle(c, radius, fill=False, color="k", lw=0.6, alpha=0.6))
    if lim is not None:
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim))
    ax.set_aspect("equal")
    ax.set(xlabel="$x_1$", ylabel="$x_2$")
    if legend:
        ax.legend(loc="upper right", fontsize=9, markerscale=2, handletextpad=0.1,
                  borderaxespad=0.2)
    if title:
        ax.set_title(title, fontsize=11)
    return fig


def plot_mode_counts(counts, *, threshold: float | None = None, ax=None, title: str | None = None):
    """Bar chart of how many high-quality samples each mode received.

    A scatter plot hides mode collapse (a cluster of 700 points looks like one of 5); bars
    do not.

    Parameters
    ----------
    counts : sequence of int
        High-quality samples per mode, e.g. ``mode_coverage(...).counts``.
    threshold : float, optional
        The count a mode needs to count as covered; drawn as a dashed line, and bars below it
        are drawn pale.
    ax : matplotlib Axes, optional
        Draw into this axes; by default a new figure is created.

    Returns
    -------
    matplotlib.figure.Figure
    """
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.size == 0 or np.any(counts < 0):
        raise ValueError("counts must be a non-empty sequence of non-negative numbers")
    fig, ax = _axes(ax, width=4.0, height=3.0)
    covered = np.ones(counts.size, bool) if threshold is None else counts >= threshold
    colors = [FAMILY_COLORS["generative"] if c else "#fdba74" for c in covered]
    # uncovered modes are hatched as well as pale: colour is not the only sign
    ax.bar(np.arange(counts.size), counts, color=colors,
           hatch=["" if c else "//" for c in covered], edgecolor="#9a3412", linewidth=0.6)
    if threshold is not None:
        ax.axhline(threshold, color="k", lw=0.8, ls="--", label="covered above this")
        # headroom above the tallest bar, so the legend never sits on a bar
        ax.set_ylim(0, max(counts.max(), threshold) * 1.3 + 1)
        ax.legend(fontsize=9, loc="upper right")
    ax.set(xlabel="mode", ylabel="high-quality samples", xticks=np.arange(counts.size))
    if title:
        ax.set_title(title, fontsize=11)
    return fig


def plot_gan_history(history, *, window: int = 50, title: str | None = None):
    """Training curves of a GAN: both losses, and the discriminator's mean outputs.

    Parameters
    ----------
    history : dglab.training.History
        A GAN's ``history_`` (metrics ``d_loss``, ``g_loss``, ``d_real``, ``d_fake``).
    window : int
        Width of the moving average drawn over the raw (faint) curves.

    Returns
    -------
    matplotlib.figure.Figure
    """
    missing = [k for k in ("d_loss", "g_loss", "d_real", "d_fake") if k not in history]
    if missing:
        raise ValueError(f"history has no {', '.join(missing)}; is it a GAN's history_?")
    window = check_int("window", window, minimum=1)
    steps = np.asarray(history.steps)
    fig, (ax_loss, ax_d) = new_figure(ncols=2, width=4.6, height=3.4)

    def smooth(values):
        w = min(window, len(values))
        kernel = np.ones(w) / w
        return np.convolve(values, kernel, mode="valid"), steps[w - 1:]

    colors = {"d_loss": FAMILY_COLORS["discriminative"], "g_loss": FAMILY_COLORS["generative"],
              "d_real": FAMILY_COLORS["data"], "d_fake": FAMILY_COLORS["generative"]}
    labels = {"d_loss": "D loss", "g_loss": "G loss (non-saturating)", "d_real": "mean D(x), real",
              "d_fake": "mean D(G(z)), generated"}
    for ax, keys in [(ax_loss, ("d_loss", "g_loss")), (ax_d, ("d_real", "d_fake"))]:
        for key in keys:
            values = history[key]
            ax.plot(steps, values, color=colors[key], alpha=0.2, lw=0.8)
            ys, xs = smooth(values)
            ax.plot(xs, ys, color=colors[key], lw=1.8, label=labels[key])
        ax.set_xlabel("training step")
        ax.legend(fontsize=9)
    ax_loss.set_title("Losses", fontsize=11)
    ax_d.axhline(0.5, color="k", lw=0.6, ls="--")
    ax_d.set(ylim=(0, 1))
    ax_d.set_title("Discriminator outputs", fontsize=11)
    return _titled(fig, title)


def plot_feature_distributions(
    X_real,
    samples,
    *,
    features=None,
    feature_names=None,
    ncols: int = 4,
    bins: int = 30,
    title: str | None = None,
    colors: dict | None = None,
):
    """Histograms of real and generated values, one panel per feature.

    Each panel shows the real values as a filled grey histogram and every generated sample as
    an outline on the same bins (densities, so samples of different sizes compare), with the
    1-Wasserstein distance of each generated sample to the real one
    (:func:`dglab.metrics.wasserstein_1d`) in the legend. Matching marginals are necessary, not
    sufficient: a sample can match every feature and still get their relations wrong.

    Parameters
    ----------
    X_real : array-like of shape (n_real, n_features)
    samples : array-like of shape (n, n_features), or dict of str to such arrays
        Generated samples (a bare array is labelled "generated").
    features : sequence of int, optional
        Column indices to show (default: all, at most 16).
    feature_names : sequence of str, optional
        One name per column of ``X_real``.
    ncols : int, default=4
        Panels per row.
    bins : int, default=30
        Number of equal-width bins spanning the real and generated values of a feature.
    colors : dict of str to colour, optional
        Colour per sample name; by default orange for the first, then the palette.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from dglab.metrics import wasserstein_1d

    X_real = check_numeric_array("X_real", X_real, ensure_min_samples=2)
    if not isinstance(samples, dict):
        samples = {"generated": samples}
    if not samples:
        raise ValueError("samples must hold at least one generated sample")
    checked = {}
    for name, S in samples.items():
        S = check_numeric_array(f"samples[{name!r}]", S, ensure_min_samples=2)
        if S.shape[1] != X_real.shape[1]:
            raise ValueError(f"samples[{name!r}] has {S.shape[1]} features, X_real has {X_real.shape[1]}")
        checked[name] = S
    n_features = X_real.shape[1]
    if features is None:
        if n_features > 16:
            raise ValueError(f"X_real has {n_features} features; choose at most 16 with features=")
        features = list(range(n_features))
    features = [int(j) for j in features]
    if not features or not all(0 <= j < n_features for j in features):
        raise ValueError(f"features must be column indices in [0, {n_features}), got {features}")
    names = [f"feature {j}" for j in range(n_features)] if feature_names is None else list(feature_names)
    if len(names) != n_features:
        raise ValueError(f"feature_names has {len(names)} entries for {n_features} features")
    ncols = check_int("ncols", ncols, minimum=1)
    palette = [FAMILY_COLORS["generative"], *CLASS_COLORS[:3]]
    colors = {name: (colors or {}).get(name, palette[i % len(palette)]) for i, name in enumerate(checked)}

    ncols = min(ncols, len(features))
    nrows = -(-len(features) // ncols)
    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=3.0, height=2.5)
    axes = np.asarray(axes, dtype=object).reshape(nrows, ncols)
    for ax in axes.ravel()[len(features):]:
        ax.set_axis_off()
    for ax, j in zip(axes.ravel(), features, strict=False):
        values = [X_real[:, j], *(S[:, j] for S in checked.values())]
        lo, hi = min(v.min() for v in values), max(v.max() for v in values)
        edges = np.linspace(lo, hi if hi > lo else lo + 1.0, bins + 1)
        ax.hist(X_real[:, j], bins=edges, density=True, color=FAMILY_COLORS["data"], alpha=0.35,
                label="real")
        for name, S in checked.items():
            distance = wasserstein_1d(X_real[:, j], S[:, j])
            ax.hist(S[:, j], bins=edges, density=True, histtype="step", lw=1.6, color=colors[name],
                    label=f"{name} (W1 {distance:.3g})")
        ax.set_title(names[j], fontsize=9)
        ax.tick_params(labelsize=9)
        ax.set_yticks([])
        ax.legend(fontsize=9, loc="upper right")
    return _titled(fig, title)
