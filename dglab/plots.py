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


# --- chapter 9: language models -----------------------------------------------------------------


def plot_bits_per_char(
    x,
    curves: dict,
    *,
    baselines: dict | None = None,
    xlabel: str = "training step",
    ax=None,
    title: str | None = None,
    logx: bool = False,
):
    """Bits per character against steps, characters seen or model order, with reference levels.

    Parameters
    ----------
    x : array-like of shape (n,)
        Horizontal positions shared by the curves.
    curves : dict of str to array-like of shape (n,)
        One line per entry (label -> bits per character).
    baselines : dict of str to float, optional
        Horizontal dashed lines (label -> bits per character), e.g. another model's score.
    xlabel : str
        Label of the horizontal axis.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D array, got shape {x.shape}")
    if not curves:
        raise ValueError("curves must hold at least one line")
    if ax is None:
        fig, ax = new_figure(width=6.4, height=3.8)
    else:
        fig = ax.figure
    palette = sns.color_palette("colorblind", 10)
    for i, (label, y) in enumerate(curves.items()):
        y = np.asarray(y, dtype=float)
        if y.shape != x.shape:
            raise ValueError(f"curve {label!r} has shape {y.shape}, expected {x.shape}")
        ax.plot(x, y, marker="o" if x.size <= 20 else None, ms=4, color=palette[i], label=label)
    for j, (label, level) in enumerate((baselines or {}).items()):
        ax.axhline(level, ls="--", lw=1.3, color=palette[(len(curves) + j) % 10], label=f"{label} ({level:.2f})")
    if logx:
        ax.set_xscale("log")
    ax.set(xlabel=xlabel, ylabel="bits per character")
    ax.legend(loc="upper right", fontsize=9)
    if title:
        ax.set_title(title)
    return fig


def plot_char_entropy(entropies, text: str | None = None, *, ax=None, title: str | None = None,
                      max_bits: float | None = None):
    """Entropy (bits) of the distribution each generated character was drawn from, in order.

    ``text``, if given, is the generated text (one character per entropy value); its characters
    label the horizontal axis when there are few enough of them to read.
    """
    entropies = np.asarray(entropies, dtype=float)
    if entropies.ndim != 1 or entropies.size == 0:
        raise ValueError(f"entropies must be a non-empty 1-D array, got shape {entropies.shape}")
    if not np.all(np.isfinite(entropies)) or entropies.min() < 0:
        raise ValueError("entropies must be finite and non-negative")
    if text is not None and len(text) != entropies.size:
        raise ValueError(f"text has {len(text)} characters but there are {entropies.size} entropies")
    if ax is None:
        fig, ax = new_figure(width=7.2, height=2.6)
    else:
        fig = ax.figure
    positions = np.arange(entropies.size)
    ax.bar(positions, entropies, width=1.0, color=FAMILY_COLORS["generative"], alpha=0.8)
    ax.axhline(entropies.mean(), color="k", lw=1, ls="--", label=f"mean {entropies.mean():.2f} bits")
    if text is not None and entropies.size <= 80:
        ax.set_xticks(positions, [repr(c)[1:-1] or " " for c in text], fontsize=7, family="monospace")
    ax.set(xlabel="generated character", ylabel="entropy (bits)", xlim=(-0.5, entropies.size - 0.5))
    if max_bits is not None:
        ax.set_ylim(0, max_bits)
    ax.legend(loc="upper right", fontsize=9)
    if title:
        ax.set_title(title)
    return fig
