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


def plot_image_grid(
    images,
    image_shape: tuple[int, int] = (8, 8),
    *,
    ncols: int = 10,
    titles=None,
    cmap: str = "gray_r",
    vmin: float | None = None,
    vmax: float | None = None,
    panel_size: float = 0.9,
    suptitle: str | None = None,
):
    """Show flattened images (one per row of ``images``) in a grid, without axes.

    Parameters
    ----------
    images : array-like of shape (n_images, height * width)
        One flattened image per row, e.g. digits, class means or generated samples.
    image_shape : (int, int), default=(8, 8)
        Height and width of each image.
    ncols : int, default=10
        Images per row of the grid (fewer if there are fewer images).
    titles : sequence of str, optional
        One short title per image.
    cmap, vmin, vmax
        Colour map and its limits, shared by all images so that they are comparable
        (by default the minimum and maximum over all images).
    panel_size : float, default=0.9
        Width and height of each image in inches.
    suptitle : str, optional
        Title above the whole grid.

    Returns
    -------
    matplotlib.figure.Figure
    """
    images = check_array(images, ensure_min_samples=1)
    height, width = (int(v) for v in image_shape)
    if height < 1 or width < 1 or images.shape[1] != height * width:
        raise ValueError(
            f"images have {images.shape[1]} values each, which does not match image_shape "
            f"{tuple(image_shape)} ({height * width} pixels)"
        )
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    n_images = images.shape[0]
    if titles is not None:
        titles = [str(t) for t in titles]
        if len(titles) != n_images:
            raise ValueError(f"got {len(titles)} titles for {n_images} images")
    ncols = min(ncols, n_images)
    nrows = -(-n_images // ncols)
    vmin = images.min() if vmin is None else vmin
    vmax = images.max() if vmax is None else vmax
    extra = 0.25 if titles is not None else 0.0
    fig, axes = new_figure(ncols, nrows, width=panel_size, height=panel_size + extra)
    for i, ax in enumerate(np.atleast_1d(axes).ravel()):
        ax.set_axis_off()
        if i < n_images:
            ax.imshow(images[i].reshape(height, width), cmap=cmap, vmin=vmin, vmax=vmax,
                      interpolation="nearest")
            if titles is not None:
                ax.set_title(titles[i], fontsize=9, fontweight="normal")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


#: What the error band of :func:`plot_learning_curves` shows, by name of its ``band`` argument.
LEARNING_CURVE_BANDS = {
    "ci95": "95 % t-interval of the mean over repeats",
    "sem": "mean ± 1 standard error over repeats",
}


def plot_learning_curves(
    curves,
    *,
    ax=None,
    band: str = "ci95",
    colors: dict | None = None,
    linestyles: dict | None = None,
    title: str | None = None,
    logx: bool = True,
    legend: bool = True,
):
    """Mean test error against training-set size, one line per estimator, with error bands.

    Parameters
    ----------
    curves : pandas.DataFrame
        The output of :func:`dglab.validation.learning_curves`.
    ax : matplotlib Axes, optional
        Draw into this axes; by default a new figure is created.
    band : {"ci95", "sem"}, default="ci95"
        The shaded band: a 95 % Student-t interval of the mean over repeats, or the mean
        plus and minus one standard error. See :data:`LEARNING_CURVE_BANDS`.
    colors, linestyles : dict of estimator name to a matplotlib colour / line style, optional
        By default each estimator takes the next colour of the palette and a solid line.
    logx : bool, default=True
        Logarithmic training-size axis (sizes are usually spaced geometrically).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from dglab.validation import summarize_learning_curves

    if band not in LEARNING_CURVE_BANDS:
        raise ValueError(f"band must be one of {sorted(LEARNING_CURVE_BANDS)}, got {band!r}")
    summary = summarize_learning_curves(curves)
    if summary.empty:
        raise ValueError("curves has no rows to plot")
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure
    colors, linestyles = colors or {}, linestyles or {}
    palette = sns.color_palette("colorblind", 10).as_hex()
    for i, (name, rows) in enumerate(summary.groupby("estimator", observed=True, sort=False)):
        color = colors.get(name, palette[i % len(palette)])
        if band == "ci95":
            low, high = rows["ci_low"], rows["ci_high"]
        else:
            low, high = rows["mean"] - rows["sem"], rows["mean"] + rows["sem"]
        ax.plot(rows["train_size"], rows["mean"], marker="o", markersize=4, color=color,
                linestyle=linestyles.get(name, "-"), label=str(name))
        ax.fill_between(rows["train_size"], low, high, color=color, alpha=0.2, linewidth=0)
    if logx:
        ax.set_xscale("log")
        ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    sizes = np.unique(summary["train_size"])
    ax.set_xticks(sizes, [str(m) for m in sizes])
    ax.set(xlabel="training-set size m", ylabel="test error")
    ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title)
    if legend:
        ax.legend(fontsize=9)
    return fig


__all__ += ["plot_image_grid", "LEARNING_CURVE_BANDS", "plot_learning_curves"]
