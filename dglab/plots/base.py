"""The pieces every plot shares: the book's style, its palettes, figure and axes helpers, grids."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt  # noqa: F401  (activates the notebook's inline backend)
import numpy as np
import seaborn as sns
from matplotlib.colors import ListedColormap

from dglab._validation import check_numeric_array

__all__ = [
    "FAMILY_COLORS",
    "CLASS_COLORS",
    "set_style",
    "new_figure",
]


#: One colour per model family, used consistently across the book.
FAMILY_COLORS = {"discriminative": "#2563eb", "generative": "#ea580c", "data": "#4b5563"}


#: Colours for class labels 0, 1, 2, ... (colour-blind safe, from seaborn's "colorblind").
CLASS_COLORS = sns.color_palette("colorblind", 10).as_hex()

# The two classes of a binary problem: blue and red, as the probability shading (RdBu_r) ends.
_BINARY_CMAP = ListedColormap([CLASS_COLORS[0], CLASS_COLORS[3]])


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


def _check_2d_data(X, y, caller: str):
    """``X`` as a finite (n, 2) float array and ``y`` as an array of shape (n,), or a clear error."""
    X = check_numeric_array("X", X, ensure_min_samples=1)
    if X.shape[1] != 2:
        raise ValueError(f"{caller} needs 2-D inputs, got X with {X.shape[1]} columns")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    return X, y


def _grid(X: np.ndarray, resolution: int, margin: float):
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = margin * (hi - lo)
    xx, yy = np.meshgrid(
        np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution),
        np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution),
    )
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _axes(ax, width: float = 5.4, height: float = 4.0):
    """``(fig, ax)``: the given axes and its figure, or a new one-panel figure of that size."""
    if ax is None:
        fig, ax = new_figure(width=width, height=height)
    return ax.figure, ax


def _probability_surface(ax, xx, yy, p1, *, boundary_width: float = 1.5):
    """Shade ``P(y = 1 | x)`` on a grid, blue (0) to red (1), and draw the decision boundary
    ``p = 0.5`` where the surface crosses it; returns the shading (for a colour bar)."""
    surface = ax.contourf(xx, yy, p1, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55,
                          vmin=0, vmax=1)
    if p1.min() < 0.5 < p1.max():
        ax.contour(xx, yy, p1, levels=[0.5], colors="k", linewidths=boundary_width)
    return surface


def _scatter_classes(ax, X, positive, *, size: float = 14, linewidth: float = 0.4) -> None:
    """The points of a binary problem on the plane, in the two class colours."""
    ax.scatter(X[:, 0], X[:, 1], c=np.asarray(positive).astype(int), cmap=_BINARY_CMAP, vmin=0, vmax=1,
               s=size, edgecolors="white", linewidths=linewidth)


def _size_axis(ax, sizes, label: str) -> None:
    ax.set_xscale("log")
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    sizes = np.unique(np.asarray(sizes))
    ax.set_xticks(sizes, [str(int(m)) for m in sizes])
    ax.set_xlabel(label)
