"""Plotting functions: data (and fitted models) in, a matplotlib ``Figure`` out.

Nothing here trains a model or keeps hidden state: a plot of a classifier takes the *fitted*
classifier. Every chapter calls :func:`set_style` once so the whole book looks alike, and uses
:data:`FAMILY_COLORS` so discriminative models are always blue and generative ones always orange.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt  # noqa: F401  (activates the notebook's inline backend)
import numpy as np
import seaborn as sns
from matplotlib.colors import ListedColormap
from sklearn.utils.validation import check_array, check_is_fitted

__all__ = [
    "FAMILY_COLORS",
    "CLASS_COLORS",
    "set_style",
    "new_figure",
    "plot_decision_boundary",
]

#: One colour per model family, used consistently across the book.
FAMILY_COLORS = {"discriminative": "#2563eb", "generative": "#ea580c", "data": "#4b5563"}

#: Colours for class labels 0, 1, 2, ... (colour-blind safe, from seaborn's "colorblind").
CLASS_COLORS = sns.color_palette("colorblind", 10).as_hex()

_STYLE_RC = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "axes.titleweight": "bold",
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.frameon": False,
    "image.cmap": "viridis",
}


def set_style(context: str = "notebook") -> None:
    """Apply the book's plotting style (seaborn whitegrid, colour-blind palette).

    Parameters
    ----------
    context : {"paper", "notebook", "talk", "poster"}
        Seaborn's scaling context; slides use ``"talk"``.
    """
    if context not in {"paper", "notebook", "talk", "poster"}:
        raise ValueError(f"context must be paper, notebook, talk or poster, got {context!r}")
    _show_figures_inline()
    sns.set_theme(context=context, style="whitegrid", palette="colorblind", rc=_STYLE_RC)


def _show_figures_inline() -> None:
    """In a notebook, display a ``Figure`` that ends a cell as an image.

    The book's plotting functions build figures without pyplot (so nothing is displayed as a
    side effect); IPython only knows how to show such a figure once the inline backend has
    registered its formatters, which matplotlib otherwise does lazily.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and getattr(shell, "kernel", None) is not None:
        shell.run_line_magic("matplotlib", "inline")


def new_figure(ncols: int = 1, nrows: int = 1, *, width: float = 5.4, height: float = 4.0, **kwargs):
    """Create a figure with a grid of axes sized per panel; returns ``(fig, axes)``.

    Figures are created through :class:`matplotlib.figure.Figure` rather than ``pyplot`` so that
    building one never displays it as a side effect (explorers render many of them).
    """
    fig = mpl.figure.Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **kwargs)
    return fig, axes


def _grid(X: np.ndarray, resolution: int, margin: float):
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = margin * (hi - lo)
    xx, yy = np.meshgrid(
        np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution),
        np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution),
    )
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def plot_decision_boundary(
    model,
    X,
    y,
    *,
    ax=None,
    title: str | None = None,
    resolution: int = 200,
    margin: float = 0.1,
    proba: bool = True,
    show_points: bool = True,
):
    """Draw a fitted binary classifier's decision boundary and probability surface on 2-D data.

    Parameters
    ----------
    model : fitted classifier
        Anything with ``predict_proba`` (or ``decision_function`` when ``proba=False``).
    X : array-like of shape (n_samples, 2)
        The points to show; they also set the plotted region.
    y : array-like of shape (n_samples,)
        Their labels (two classes).
    ax : matplotlib Axes, optional
        Draw into this axes; by default a new figure is created.
    proba : bool
        Shade P(y=1 | x) (``True``) or only draw the boundary.

    Returns
    -------
    matplotlib.figure.Figure
    """
    X = check_array(X, ensure_min_samples=1)
    if X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary needs 2-D inputs, got X with {X.shape[1]} columns")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    check_is_fitted(model)
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure

    xx, yy, grid = _grid(X, resolution, margin)
    classes = getattr(model, "classes_", np.unique(y))
    if len(classes) != 2:
        raise ValueError(f"plot_decision_boundary draws binary classifiers, got {len(classes)} classes")
    if proba:
        p1 = model.predict_proba(grid)[:, 1].reshape(xx.shape)
        surface = ax.contourf(xx, yy, p1, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55)
        ax.contour(xx, yy, p1, levels=[0.5], colors="k", linewidths=1.5)
        fig.colorbar(surface, ax=ax, label=f"P(y = {classes[1]} | x)", ticks=[0, 0.25, 0.5, 0.75, 1])
    else:
        score = model.decision_function(grid).reshape(xx.shape)
        ax.contour(xx, yy, score, levels=[0.0], colors="k", linewidths=1.5)
    if show_points:
        cmap = ListedColormap([CLASS_COLORS[0], CLASS_COLORS[3]])
        ax.scatter(
            X[:, 0], X[:, 1], c=(y == classes[1]).astype(int), cmap=cmap, vmin=0, vmax=1,
            s=14, edgecolors="white", linewidths=0.4,
        )
    ax.set(xlabel="$x_1$", ylabel="$x_2$", xlim=(xx.min(), xx.max()), ylim=(yy.min(), yy.max()))
    if title:
        ax.set_title(title)
    return fig


# -- generative models: samples against data, image grids, GAN training curves ---------------------
__all__ += ["plot_samples_vs_data", "plot_mode_counts", "plot_image_grid", "plot_gan_history"]


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
    data = check_array(data, input_name="data")
    samples = check_array(samples, input_name="samples")
    if data.shape[1] != 2 or samples.shape[1] != 2:
        raise ValueError(
            f"plot_samples_vs_data draws 2-D points, got data with {data.shape[1]} and samples "
            f"with {samples.shape[1]} columns"
        )
    if ax is None:
        fig, ax = new_figure(width=4.4, height=4.2)
    else:
        fig = ax.figure
    ax.scatter(*data[:max_points].T, s=6, color=FAMILY_COLORS["data"], alpha=0.35, label="data",
               edgecolors="none")
    ax.scatter(*samples[:max_points].T, s=6, color=FAMILY_COLORS["generative"], alpha=0.6,
               label=sample_label, edgecolors="none")
    if centers is not None:
        centers = check_array(centers, input_name="centers")
        ax.scatter(*centers.T, marker="x", s=30, color="k", linewidths=1.0)
        if radius is not None:
            for c in centers:
                ax.add_patch(mpl.patches.Circle(c, radius, fill=False, color="k", lw=0.6, alpha=0.6))
    if lim is not None:
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim))
    ax.set_aspect("equal")
    ax.set(xlabel="$x_1$", ylabel="$x_2$")
    if legend:
        ax.legend(loc="upper right", fontsize=7, markerscale=2, handletextpad=0.1,
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
    if ax is None:
        fig, ax = new_figure(width=4.0, height=3.0)
    else:
        fig = ax.figure
    covered = np.ones(counts.size, bool) if threshold is None else counts >= threshold
    colors = [FAMILY_COLORS["generative"] if c else "#fdba74" for c in covered]
    ax.bar(np.arange(counts.size), counts, color=colors)
    if threshold is not None:
        ax.axhline(threshold, color="k", lw=0.8, ls="--", label="covered above this")
        ax.legend(fontsize=8, loc="upper right")
    ax.set(xlabel="mode", ylabel="high-quality samples", xticks=np.arange(counts.size))
    if title:
        ax.set_title(title, fontsize=11)
    return fig


def plot_image_grid(
    images,
    image_shape: tuple[int, int] = (8, 8),
    ncols: int = 10,
    titles=None,
    *,
    ax=None,
    title: str | None = None,
    vmin: float = 0.0,
    vmax: float = 1.0,
    cmap: str = "gray_r",
):
    """Show flattened images as one tiled picture (a single ``imshow``, fast to redraw).

    Parameters
    ----------
    images : array-like of shape (n_images, height * width)
        One flattened image per row (e.g. 8x8 digits scaled to [0, 1]).
    image_shape : (int, int)
        Height and width of one image.
    ncols : int
        Images per row of the grid.
    titles : sequence of str, optional
        One short label per image, written above it.
    ax : matplotlib Axes, optional
        Draw into this axes; by default a new figure is created.

    Returns
    -------
    matplotlib.figure.Figure
    """
    images = check_array(images, input_name="images")
    height, width = (int(v) for v in image_shape)
    if height * width != images.shape[1]:
        raise ValueError(
            f"image_shape {image_shape} needs {height * width} values per image, "
            f"got {images.shape[1]}"
        )
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"got {len(titles)} titles for {len(images)} images")
    n = len(images)
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    pad = 1
    canvas = np.full((nrows * (height + pad) + pad, ncols * (width + pad) + pad), np.nan)
    for k, image in enumerate(images):
        r, c = divmod(k, ncols)
        top, left = pad + r * (height + pad), pad + c * (width + pad)
        canvas[top:top + height, left:left + width] = image.reshape(height, width)
    if ax is None:
        scale = 0.55 if titles is None else 0.7
        fig, ax = new_figure(width=max(2.0, scale * ncols), height=max(1.2, scale * nrows + 0.3))
    else:
        fig = ax.figure
    cm = mpl.colormaps[cmap].with_extremes(bad="white")  # the gaps between tiles
    ax.imshow(canvas, cmap=cm, vmin=vmin, vmax=vmax, interpolation="nearest")
    if titles is not None:
        for k, label in enumerate(titles):
            r, c = divmod(k, ncols)
            ax.text(pad + c * (width + pad) + width / 2 - 0.5, pad + r * (height + pad) - 0.7,
                    str(label), ha="center", va="bottom", fontsize=7)
    ax.set_axis_off()
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
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
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
        ax.legend(fontsize=8)
    ax_loss.set_title("Losses", fontsize=11)
    ax_d.axhline(0.5, color="k", lw=0.6, ls="--")
    ax_d.set(ylim=(0, 1))
    ax_d.set_title("Discriminator outputs", fontsize=11)
    if title:
        fig.suptitle(title, fontsize=12)
    return fig
