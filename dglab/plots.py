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
    "plot_pr_curve",
    "plot_roc_curve",
    "plot_confusion_matrix",
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


# ------------------------------------------------------------------------------------------------
# Binary classifier evaluation: precision-recall and ROC curves, confusion matrix
# ------------------------------------------------------------------------------------------------


def _binary_scores(y_true, scores):
    from sklearn.utils.validation import check_consistent_length, column_or_1d

    y_true = column_or_1d(y_true)
    scores = column_or_1d(scores).astype(float)
    check_consistent_length(y_true, scores)
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores contain NaN or infinity")
    if set(np.unique(y_true).tolist()) != {0, 1}:
        raise ValueError(f"y_true must contain both labels 0 and 1, got {np.unique(y_true).tolist()}")
    return y_true.astype(int), scores


def _axes(ax, width=5.0, height=4.0):
    if ax is None:
        fig, ax = new_figure(width=width, height=height)
    return ax.figure, ax


def plot_pr_curve(
    y_true,
    scores,
    *,
    ax=None,
    label: str | None = None,
    color=None,
    show_no_skill: bool = True,
    threshold: float | None = None,
    title: str | None = None,
):
    """Draw the precision-recall curve of binary scores (call again on ``ax`` to overlay).

    The curve comes from :func:`sklearn.metrics.precision_recall_curve` and is drawn as a step
    function, whose area is the average precision reported in the legend. The dashed line is the
    no-skill level: a random scorer's precision equals the positive rate at every recall.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels 0 and 1 (1 the positive, usually rare, class).
    scores : array-like of shape (n_samples,)
        Higher means more likely positive.
    ax : matplotlib Axes, optional
        Draw into this axes; by default a new figure is created.
    label : str, optional
        Legend entry; the average precision is appended.
    show_no_skill : bool
        Draw the positive rate as a dashed horizontal line.
    threshold : float, optional
        Mark the point reached by predicting positive when ``score >= threshold``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sklearn.metrics import average_precision_score, precision_recall_curve

    y_true, scores = _binary_scores(y_true, scores)
    fig, ax = _axes(ax)
    precision, recall, _ = precision_recall_curve(y_true, scores)
    ap = average_precision_score(y_true, scores)
    text = f"AP {ap:.3f}" if label is None else f"{label} (AP {ap:.3f})"
    (line,) = ax.plot(recall, precision, drawstyle="steps-post", color=color, label=text, lw=1.8)
    if threshold is not None:
        flagged = scores >= threshold
        tp = np.sum(flagged & (y_true == 1))
        p_at = tp / flagged.sum() if flagged.any() else 1.0
        ax.plot(tp / y_true.sum(), p_at, "o", color=line.get_color(), ms=7, mec="k", zorder=5)
    if show_no_skill:
        rate = y_true.mean()
        ax.axhline(rate, ls="--", color=FAMILY_COLORS["data"], lw=1, label=f"no skill ({rate:.3g})")
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1.0), ylim=(0, 1.02))
    ax.legend(loc="upper right", fontsize=9)
    if title:
        ax.set_title(title)
    return fig


def plot_roc_curve(
    y_true,
    scores,
    *,
    ax=None,
    label: str | None = None,
    color=None,
    show_chance: bool = True,
    title: str | None = None,
):
    """Draw the ROC curve (true- vs false-positive rate) of binary scores.

    The curve comes from :func:`sklearn.metrics.roc_curve`; the legend reports its area. The
    dashed diagonal is a random scorer. Both axes are rates *within* a class, so the curve does
    not change when the positive class gets rarer (a precision-recall curve does).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    y_true, scores = _binary_scores(y_true, scores)
    fig, ax = _axes(ax)
    fpr, tpr, _ = roc_curve(y_true, scores)
    auc = roc_auc_score(y_true, scores)
    text = f"AUC {auc:.3f}" if label is None else f"{label} (AUC {auc:.3f})"
    ax.plot(fpr, tpr, color=color, label=text, lw=1.8)
    if show_chance:
        ax.plot([0, 1], [0, 1], ls="--", color=FAMILY_COLORS["data"], lw=1, label="chance")
    ax.set(xlabel="false-positive rate", ylabel="true-positive rate (recall)", xlim=(0, 1), ylim=(0, 1.02))
    ax.legend(loc="lower right", fontsize=9)
    if title:
        ax.set_title(title)
    return fig


def plot_confusion_matrix(
    matrix,
    *,
    class_names=None,
    ax=None,
    title: str | None = None,
    cmap: str = "Blues",
):
    """Draw a confusion matrix: counts, and colours by the fraction of each true class.

    Colouring by row (the share of each true class predicted as each class) keeps a rare class
    visible next to a class with thousands of samples; the cells print both the count and that
    share.

    Parameters
    ----------
    matrix : array-like of shape (n_classes, n_classes)
        Counts, rows = true class, columns = predicted class (as
        :func:`sklearn.metrics.confusion_matrix` returns them).
    class_names : sequence of str, optional
        Tick labels; defaults to ``0, 1, ...``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] < 2:
        raise ValueError(f"matrix must be square with at least 2 classes, got shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)) or np.any(matrix < 0):
        raise ValueError("matrix must hold non-negative finite counts")
    n = matrix.shape[0]
    names = [str(i) for i in range(n)] if class_names is None else [str(c) for c in class_names]
    if len(names) != n:
        raise ValueError(f"class_names has {len(names)} entries for a {n}-class matrix")
    fig, ax = _axes(ax, width=3.8, height=3.4)
    totals = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix, totals, out=np.zeros(matrix.shape, dtype=float), where=totals > 0)
    ax.imshow(share, cmap=cmap, vmin=0, vmax=1)
    for i in range(n):
        for j in range(n):
            count = matrix[i, j]
            shown = f"{count:,.0f}" if float(count).is_integer() else f"{count:,.3g}"
            ax.text(j, i, f"{shown}\n{share[i, j]:.1%}", ha="center", va="center", fontsize=10,
                    color="white" if share[i, j] > 0.6 else "black")
    ax.set_xticks(range(n), names)
    ax.set_yticks(range(n), names)
    ax.set(xlabel="predicted", ylabel="true")
    ax.grid(False)
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
