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

from dglab.metrics import check_binary_scores

__all__ = [
    "FAMILY_COLORS",
    "CLASS_COLORS",
    "set_style",
    "new_figure",
    "plot_decision_boundary",
    "plot_probability_contours",
    "plot_loss_curves",
    "plot_training_run",
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


def _check_2d_data(X, y, caller: str):
    """``X`` as a finite (n, 2) float array and ``y`` as an array of shape (n,), or a clear error."""
    X = check_array(X, ensure_min_samples=1)
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
    X, y = _check_2d_data(X, y, "plot_decision_boundary")
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

    y_true, scores = check_binary_scores(y_true, scores)
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
    threshold: float | None = None,
):
    """Draw the ROC curve (true- vs false-positive rate) of binary scores.

    The curve comes from :func:`sklearn.metrics.roc_curve`; the legend reports its area. The
    dashed diagonal is a random scorer. Both axes are rates *within* a class, so the curve does
    not change when the positive class gets rarer (a precision-recall curve does).

    Parameters
    ----------
    threshold : float, optional
        Mark the operating point reached by predicting positive when ``score >= threshold``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    y_true, scores = check_binary_scores(y_true, scores)
    fig, ax = _axes(ax)
    fpr, tpr, _ = roc_curve(y_true, scores)
    auc = roc_auc_score(y_true, scores)
    text = f"AUC {auc:.3f}" if label is None else f"{label} (AUC {auc:.3f})"
    (line,) = ax.plot(fpr, tpr, color=color, label=text, lw=1.8)
    if threshold is not None:
        flagged = scores >= threshold
        ax.plot(np.mean(flagged[y_true == 0]), np.mean(flagged[y_true == 1]), "o",
                color=line.get_color(), ms=7, mec="k", zorder=5)
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
    images = check_array(images, ensure_min_samples=1, input_name="images")
    height, width = (int(v) for v in image_shape)
    if height < 1 or width < 1 or images.shape[1] != height * width:
        raise ValueError(
            f"images have {images.shape[1]} values each, which does not match image_shape "
            f"{tuple(image_shape)} ({height * width} pixels)"
        )
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
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
                    str(label), ha="center", va="bottom", fontsize=7)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=11)
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



# -- chapters 2 and 3: the logistic model and gradient descent ------------------------------------


def plot_probability_contours(
    w,
    b,
    X,
    y,
    *,
    ax=None,
    levels=(0.1, 0.25, 0.5, 0.75, 0.9),
    title: str | None = None,
    resolution: int = 120,
    margin: float = 0.1,
    show_normal: bool = True,
    colorbar: bool = True,
):
    """Draw the probability surface ``sigmoid(w . x + b)`` of a given 2-D linear model.

    Unlike :func:`plot_decision_boundary` this takes the parameters themselves, so it can show
    any weights, fitted or not. The labelled lines are the level sets ``P(y = 1 | x) = p`` for
    each ``p`` in ``levels`` (the thick one is the decision boundary, ``p = 0.5``) and the
    arrow is ``w``, which points towards class 1 and is perpendicular to every level set.

    Parameters
    ----------
    w : array-like of shape (2,)
        Weights.
    b : float
        Bias.
    X : array-like of shape (n_samples, 2)
        Points to show; they also set the plotted region.
    y : array-like of shape (n_samples,)
        Their 0/1 labels.
    ax : matplotlib Axes, optional
        Draw into this axes; by default a new figure is created.
    levels : sequence of float
        Probabilities (strictly between 0 and 1) whose level sets are drawn.
    show_normal : bool
        Draw the weight vector as an arrow from the centre of the data.
    colorbar : bool
        Add a colour bar for the shading (explorer frames skip it: it is slow to lay out).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from dglab.linear import sigmoid

    X, y = _check_2d_data(X, y, "plot_probability_contours")
    w = np.asarray(w, dtype=float)
    if w.shape != (2,) or not np.all(np.isfinite(w)) or not np.isfinite(b):
        raise ValueError(f"w must be 2 finite numbers and b a finite number, got w={w!r}, b={b!r}")
    levels = sorted(float(p) for p in levels)
    if not all(0 < p < 1 for p in levels):
        raise ValueError(f"levels must lie strictly between 0 and 1, got {levels}")
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure

    xx, yy, grid = _grid(X, resolution, margin)
    p1 = sigmoid(grid @ w + b).reshape(xx.shape)
    surface = ax.contourf(xx, yy, p1, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55,
                          vmin=0, vmax=1)
    if colorbar:
        fig.colorbar(surface, ax=ax, label="P(y = 1 | x)", ticks=[0, 0.25, 0.5, 0.75, 1])
    if np.any(w != 0):  # with w = 0 the probability is the constant sigmoid(b): no level sets
        thin = [p for p in levels if p != 0.5]
        if thin and p1.min() < max(thin) and p1.max() > min(thin):
            lines = ax.contour(xx, yy, p1, levels=thin, colors="k", linewidths=0.8, linestyles="--")
            ax.clabel(lines, fmt=lambda p: f"{p:g}", fontsize=8)
        if p1.min() < 0.5 < p1.max():
            ax.contour(xx, yy, p1, levels=[0.5], colors="k", linewidths=1.8)
        if show_normal:
            centre = X.mean(axis=0)
            scale = 0.25 * min(np.ptp(xx), np.ptp(yy)) / np.linalg.norm(w)
            ax.annotate("", xy=centre + scale * w, xytext=centre,
                        arrowprops=dict(arrowstyle="->", color="k", lw=1.5))
            ax.annotate("w", xy=centre + 1.1 * scale * w, fontsize=11, ha="center", va="center")
    cmap = ListedColormap([CLASS_COLORS[0], CLASS_COLORS[3]])
    ax.scatter(X[:, 0], X[:, 1], c=(y == np.max(y)).astype(int), cmap=cmap, vmin=0, vmax=1,
               s=14, edgecolors="white", linewidths=0.4)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", xlim=(xx.min(), xx.max()), ylim=(yy.min(), yy.max()))
    if title:
        ax.set_title(title)
    return fig


def plot_loss_curves(
    histories,
    *,
    ax=None,
    reference: float | None = None,
    title: str | None = None,
    log_y: bool = True,
):
    """Plot one or more training-loss curves against the step number.

    Parameters
    ----------
    histories : mapping of str to array-like, or array-like
        Loss per step for each labelled run (a single sequence is drawn unlabelled).
    ax : matplotlib Axes, optional
        Draw into this axes; by default a new figure is created.
    reference : float, optional
        A loss to draw as a dashed line, e.g. the optimum found by another solver.
    log_y : bool
        Use a logarithmic loss axis (losses must then be positive).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(histories, dict):
        histories = {None: histories}
    if not histories:
        raise ValueError("plot_loss_curves needs at least one loss history")
    curves = {}
    for label, history in histories.items():
        history = np.asarray(history, dtype=float)
        if history.ndim != 1 or history.size == 0:
            raise ValueError(f"each loss history must be a non-empty 1-D sequence, got shape {history.shape}")
        if not np.all(np.isfinite(history)):
            raise ValueError(f"loss history {label!r} contains NaN or inf; plot the finite part only")
        if log_y and np.any(history <= 0):
            raise ValueError(f"loss history {label!r} has values <= 0; use log_y=False")
        curves[label] = history
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure
    for label, history in curves.items():
        ax.plot(np.arange(history.size), history, label=label, lw=1.8,
                marker="o" if history.size < 3 else None)
    if reference is not None:
        ax.axhline(reference, color=FAMILY_COLORS["data"], ls="--", lw=1, label="optimum")
    if log_y:
        ax.set_yscale("log")
    ax.set(xlabel="gradient-descent step", ylabel="training loss")
    if any(label is not None for label in curves) or reference is not None:
        ax.legend()
    if title:
        ax.set_title(title)
    return fig


def plot_training_run(model, X, y, *, reference: float | None = None, warning: str | None = None,
                      title: str | None = None):
    """Two panels for one fitted gradient-descent model: its loss curve and its decision boundary.

    Made to be redrawn for every frame of an explorer, so it is kept lean: fixed margins instead
    of a layout engine, few ticks and no colour bar (the shading is ``P(y = 1 | x)`` from blue,
    0, to red, 1, as in :func:`plot_decision_boundary`).

    Parameters
    ----------
    model : fitted binary classifier with ``loss_history_`` and ``n_iter_``
        E.g. :class:`dglab.linear.LogisticRegressionGD`.
    X : array-like of shape (n_samples, 2)
        The training points.
    y : array-like of shape (n_samples,)
        Their labels.
    reference : float, optional
        The optimal loss, drawn as a dashed line in the loss panel.
    warning : str, optional
        Text of a warning raised while fitting, printed in red across the bottom of the figure.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import textwrap

    from matplotlib import ticker

    check_is_fitted(model, "loss_history_")
    X, y = _check_2d_data(X, y, "plot_training_run")
    fig = mpl.figure.Figure(figsize=(8.8, 3.7 if warning else 3.2), layout="none")
    bottom = 0.34 if warning else 0.16
    fig.subplots_adjust(left=0.09, right=0.98, bottom=bottom, top=0.82 if title else 0.9, wspace=0.22)
    ax_loss, ax_boundary = fig.subplots(1, 2)

    plot_loss_curves(model.loss_history_, ax=ax_loss, reference=reference)
    ax_loss.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0), numticks=8))
    ax_loss.yaxis.set_minor_locator(ticker.NullLocator())
    ax_loss.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
    ax_loss.xaxis.set_major_locator(ticker.MaxNLocator(5, integer=True))
    ax_loss.set_title(f"loss after {model.n_iter_} steps: {model.loss_history_[-1]:.4g}", fontsize=10)

    xx, yy, grid = _grid(X, 60, 0.1)
    p1 = model.predict_proba(grid)[:, 1].reshape(xx.shape)
    ax_boundary.contourf(xx, yy, p1, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55)
    if p1.min() < 0.5 < p1.max():
        ax_boundary.contour(xx, yy, p1, levels=[0.5], colors="k", linewidths=1.5)
    cmap = ListedColormap([CLASS_COLORS[0], CLASS_COLORS[3]])
    ax_boundary.scatter(X[:, 0], X[:, 1], c=(y == model.classes_[1]).astype(int), cmap=cmap,
                        vmin=0, vmax=1, s=12, edgecolors="white", linewidths=0.3)
    for axis in (ax_boundary.xaxis, ax_boundary.yaxis):
        axis.set_major_locator(ticker.MaxNLocator(5))
    ax_boundary.set(xlabel="$x_1$", ylabel="$x_2$", xlim=(xx.min(), xx.max()), ylim=(yy.min(), yy.max()))
    ax_boundary.set_title("decision boundary, shaded by P(y = 1 | x)", fontsize=10)
    if title:
        fig.suptitle(title)
    if warning:
        fig.text(0.5, 0.02, textwrap.fill(f"ConvergenceWarning: {warning}", 125), ha="center",
                 va="bottom", fontsize=8, color="#b91c1c",
                 bbox=dict(boxstyle="round", facecolor="#fef2f2", edgecolor="#b91c1c"))
    return fig


__all__ += ["plot_samples_vs_data", "plot_mode_counts", "plot_gan_history"]


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


# --- chapter 9: language models -----------------------------------------------------------------
__all__ += ["plot_bits_per_char", "plot_char_entropy"]


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


# -- chapters 6, 10 and 12: calibration, the classifier visualiser, real vs generated features,
# -- and the spread of an estimate ------------------------------------------------------------------

__all__ += [
    "plot_calibration_curve",
    "EVALUATION_PANELS",
    "plot_classifier_evaluation",
    "plot_feature_distributions",
    "plot_estimate_distribution",
]


def plot_calibration_curve(
    y_true,
    proba,
    *,
    n_bins: int = 10,
    strategy: str = "uniform",
    ax=None,
    label: str | None = None,
    color=None,
    show_diagonal: bool = True,
    show_counts: bool = True,
    title: str | None = None,
):
    """Reliability diagram: observed frequency of the positive class against predicted probability.

    The points come from :func:`sklearn.calibration.calibration_curve`: the predictions are
    grouped into ``n_bins`` bins, and each point is (mean predicted probability, share of
    positives) of one non-empty bin. A calibrated model lies on the dashed diagonal; points
    below it mean over-confidence in the positive class. With ``show_counts`` the area of each
    marker is proportional to the number of predictions in its bin, so that a point resting on
    two predictions does not look as trustworthy as one resting on two hundred. The legend
    reports the Brier score (:func:`sklearn.metrics.brier_score_loss`, lower is better). Call
    again on ``ax`` to overlay.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels 0 and 1.
    proba : array-like of shape (n_samples,)
        Predicted probabilities of class 1, in [0, 1].
    n_bins : int, default=10
    strategy : {"uniform", "quantile"}, default="uniform"
        Equal-width bins, or bins holding equally many predictions.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss

    y_true, proba = check_binary_scores(y_true, proba)
    if proba.min() < 0 or proba.max() > 1:
        raise ValueError("proba must hold probabilities in [0, 1]; pass predict_proba(X)[:, 1]")
    if isinstance(n_bins, bool) or not isinstance(n_bins, int) or n_bins < 2:
        raise ValueError(f"n_bins must be an integer >= 2, got {n_bins!r}")
    if strategy not in ("uniform", "quantile"):
        raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}")
    fig, ax = _axes(ax)
    observed, predicted = calibration_curve(y_true, proba, n_bins=n_bins, strategy=strategy)
    brier = brier_score_loss(y_true, proba)
    text = f"Brier {brier:.3f}" if label is None else f"{label} (Brier {brier:.3f})"
    (line,) = ax.plot(predicted, observed, lw=1.6, color=color, label=text)
    if show_counts:
        # the binning of calibration_curve, to count the predictions behind each point
        if strategy == "uniform":
            edges = np.linspace(0.0, 1.0, n_bins + 1)
        else:
            edges = np.percentile(proba, np.linspace(0, 100, n_bins + 1))
        counts = np.bincount(np.searchsorted(edges[1:-1], proba), minlength=n_bins)
        counts = counts[counts > 0]
        sizes = 10 + 190 * counts / counts.max()
    else:
        sizes = np.full(len(predicted), 30.0)
    ax.scatter(predicted, observed, s=sizes, color=line.get_color(), edgecolors="white",
               linewidths=0.6, zorder=3)
    if show_diagonal and not any(line.get_label() == "calibrated" for line in ax.lines):
        ax.plot([0, 1], [0, 1], ls="--", color=FAMILY_COLORS["data"], lw=1, label="calibrated")
    ax.set(xlabel="predicted probability", ylabel="observed frequency", xlim=(0, 1), ylim=(0, 1.02))
    ax.set_aspect("equal")
    ax.legend(loc="upper left", fontsize=9)
    if title:
        ax.set_title(title)
    return fig


#: Panels :func:`plot_classifier_evaluation` can draw.
EVALUATION_PANELS = ("confusion", "roc", "pr", "calibration")


def plot_classifier_evaluation(
    y_true,
    proba,
    *,
    threshold: float = 0.5,
    panels=("confusion", "roc", "calibration"),
    class_names=None,
    label: str | None = None,
    color=None,
    title: str | None = None,
    n_bins: int = 10,
    strategy: str = "uniform",
):
    """One row of panels that evaluates a fitted binary classifier on held-out data.

    ``"confusion"`` is the confusion matrix of the decisions ``proba >= threshold`` (titled with
    their precision and recall), ``"roc"`` and ``"pr"`` the ROC and precision-recall curves
    with that operating point marked, ``"calibration"`` the reliability diagram. Everything is
    computed from the true labels and the model's predicted probabilities: pass
    ``model.predict_proba(X_test)[:, 1]`` of a trained model.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels 0 and 1.
    proba : array-like of shape (n_samples,)
        Predicted probabilities of class 1.
    threshold : float, default=0.5
        Decision threshold in [0, 1].
    panels : sequence of str
        Any of :data:`EVALUATION_PANELS`, in the order to draw them.
    class_names : pair of str, optional
        Names of classes 0 and 1 for the confusion matrix.
    n_bins, strategy :
        Binning of the calibration panel (see :func:`plot_calibration_curve`); with few
        predictions, ``strategy="quantile"`` keeps every bin populated.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sklearn.metrics import confusion_matrix, precision_score, recall_score

    y_true, proba = check_binary_scores(y_true, proba)
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold must lie in [0, 1], got {threshold!r}")
    panels = tuple(panels)
    unknown = [p for p in panels if p not in EVALUATION_PANELS]
    if not panels or unknown:
        raise ValueError(f"panels must be a non-empty selection of {EVALUATION_PANELS}, got {panels}")
    fig, axes = new_figure(ncols=len(panels), width=3.9, height=3.7)
    axes = np.asarray(axes, dtype=object).reshape(1, len(panels))
    decisions = (proba >= threshold).astype(int)
    for ax, panel in zip(axes[0], panels, strict=True):
        if panel == "confusion":
            plot_confusion_matrix(confusion_matrix(y_true, decisions, labels=[0, 1]),
                                  class_names=class_names, ax=ax)
            precision = precision_score(y_true, decisions, zero_division=np.nan)
            recall = recall_score(y_true, decisions)
            shown = "undefined" if np.isnan(precision) else f"{precision:.3f}"
            ax.set_title(f"threshold {threshold:.2f}\nprecision {shown}, recall {recall:.3f}",
                         fontsize=10)
        elif panel == "roc":
            plot_roc_curve(y_true, proba, ax=ax, label=label, color=color, threshold=threshold)
            ax.set_title("ROC curve", fontsize=10)
        elif panel == "pr":
            plot_pr_curve(y_true, proba, ax=ax, label=label, color=color, threshold=threshold)
            ax.set_title("precision-recall curve", fontsize=10)
        else:
            plot_calibration_curve(y_true, proba, ax=ax, label=label, color=color, n_bins=n_bins,
                                   strategy=strategy)
            ax.set_title("calibration", fontsize=10)
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


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

    X_real = check_array(X_real, ensure_min_samples=2, input_name="X_real")
    if not isinstance(samples, dict):
        samples = {"generated": samples}
    if not samples:
        raise ValueError("samples must hold at least one generated sample")
    checked = {}
    for name, S in samples.items():
        S = check_array(S, ensure_min_samples=2, input_name=f"samples[{name!r}]")
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
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    palette = [FAMILY_COLORS["generative"], *sns.color_palette("colorblind", 10).as_hex()[:3]]
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
        ax.tick_params(labelsize=7)
        ax.set_yticks([])
        ax.legend(fontsize=6.5, loc="upper right")
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def plot_estimate_distribution(
    estimates,
    *,
    reference=None,
    ax=None,
    bins: int = 20,
    xlabel: str = "estimate",
    title: str | None = None,
    colors: dict | None = None,
    xlim=None,
):
    """Histograms of repeated estimates of a metric, with their mean ± standard deviation.

    A metric computed on a finite sample is an estimate: drawing another sample gives another
    value. This draws the values obtained over repeated samples, one histogram per label, and
    marks the quantity being estimated (``reference``) when it is known.

    Parameters
    ----------
    estimates : dict of str to array-like of shape (n_repeats,)
        Repeated values per label (e.g. per sample size or per model).
    reference : float or dict of str to float, optional
        The true value(s), drawn as dashed vertical lines.
    bins : int, default=20
        Number of equal-width bins over the range of all values.
    xlim : (float, float), optional
        Fixed horizontal range (keeps the frames of an explorer comparable).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(estimates, dict) or not estimates:
        raise ValueError("estimates must be a non-empty dict of label to repeated values")
    checked = {}
    for name, values in estimates.items():
        values = np.asarray(values, dtype=float).ravel()
        if values.size < 2 or not np.all(np.isfinite(values)):
            raise ValueError(f"estimates[{name!r}] needs at least 2 finite values")
        checked[name] = values
    fig, ax = _axes(ax, width=5.4, height=3.4)
    palette = sns.color_palette("colorblind", 10).as_hex()
    colors = colors or {}
    everything = np.concatenate(list(checked.values()))
    lo, hi = (everything.min(), everything.max()) if xlim is None else xlim
    edges = np.linspace(lo, hi if hi > lo else lo + 1e-9, bins + 1)
    for i, (name, values) in enumerate(checked.items()):
        color = colors.get(name, palette[i % len(palette)])
        ax.hist(values, bins=edges, color=color, alpha=0.45,
                label=f"{name}: {values.mean():.3f} ± {values.std(ddof=1):.3f}")
    if reference is not None:
        refs = reference if isinstance(reference, dict) else {"true value": reference}
        for i, (name, value) in enumerate(refs.items()):
            ax.axvline(value, color="k", ls=("--", ":", "-.")[i % 3], lw=1.2, label=f"{name} {value:.3f}")
    ax.set(xlabel=xlabel, ylabel="repeats")
    if xlim is not None:
        ax.set_xlim(xlim)
    ax.legend(fontsize=8, loc="upper right")
    if title:
        ax.set_title(title, fontsize=11)
    return fig


# -- chapters 13 and 14: deployment and hybrid models -----------------------------------------------

__all__ += ["plot_paired_gain", "plot_latency", "plot_distillation", "plot_drift_pvalues",
            "plot_quality_over_time"]


def _size_axis(ax, sizes, label: str) -> None:
    ax.set_xscale("log")
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    sizes = np.unique(np.asarray(sizes))
    ax.set_xticks(sizes, [str(int(m)) for m in sizes])
    ax.set_xlabel(label)


def plot_paired_gain(gains, *, ax=None, colors: dict | None = None, title: str | None = None,
                     legend: bool = True):
    """Accuracy gained over a baseline against training-set size, with interval bars.

    Parameters
    ----------
    gains : pandas.DataFrame or dict of str to DataFrame
        Output(s) of :func:`dglab.hybrid.paired_gain` (columns ``train_size``, ``gain``,
        ``ci_low``, ``ci_high``), one line per entry of a dict.
    ax : matplotlib Axes, optional
    colors : dict of name to colour, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(gains, dict):
        gains = {"gain": gains}
    if ax is None:
        fig, ax = new_figure(width=5.0, height=3.6)
    else:
        fig = ax.figure
    colors = colors or {}
    palette = sns.color_palette("colorblind", 10).as_hex()
    ax.axhline(0.0, color="k", lw=0.8)
    sizes = []
    for i, (name, table) in enumerate(gains.items()):
        missing = {"train_size", "gain", "ci_low", "ci_high"} - set(table.columns)
        if missing:
            raise ValueError(f"gains[{name!r}] lacks columns {sorted(missing)}; use dglab.hybrid.paired_gain")
        x = table["train_size"].to_numpy(float) * (1 + 0.03 * (i - (len(gains) - 1) / 2))  # dodge
        error = np.vstack([table["gain"] - table["ci_low"], table["ci_high"] - table["gain"]])
        ax.errorbar(x, table["gain"], yerr=error, marker="o", ms=4, capsize=3, lw=1.4,
                    color=colors.get(name, palette[i % len(palette)]), label=str(name))
        sizes.extend(table["train_size"])
    _size_axis(ax, sizes, "training-set size m")
    ax.set_ylabel("accuracy gain")
    if title:
        ax.set_title(title, fontsize=11)
    if legend and len(gains) > 1:
        ax.legend(fontsize=8)
    return fig


def plot_latency(tables, *, ax=None, title: str | None = None):
    """Median (line) and 95th percentile (dashed) time per call against batch size.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Outputs of :func:`dglab.deploy.measure_latency`, one per model.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is None:
        fig, ax = new_figure(width=5.0, height=3.6)
    else:
        fig = ax.figure
    palette = sns.color_palette("colorblind", 10).as_hex()
    sizes = []
    for i, (name, table) in enumerate(tables.items()):
        color = palette[i % len(palette)]
        ax.plot(table["batch_size"], table["median_ms"], marker="o", ms=4, color=color, label=f"{name}, median")
        ax.plot(table["batch_size"], table["p95_ms"], ls="--", color=color, lw=1, label=f"{name}, 95th percentile")
        sizes.extend(table["batch_size"])
    _size_axis(ax, sizes, "batch size (rows per call)")
    ax.set_yscale("log")
    ax.set_ylabel("milliseconds per call")
    ax.legend(fontsize=7)
    if title:
        ax.set_title(title, fontsize=11)
    return fig


def plot_distillation(table, depth, *, teacher_ms: float | None = None, title: str | None = None):
    """Fidelity, accuracy and latency of distilled trees against depth, one depth highlighted.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per depth with columns ``depth``, ``fidelity``, ``accuracy`` and
        ``latency_us`` (median time per call); ``teacher_accuracy`` if known.
    depth : int
        The depth to highlight.
    teacher_ms : float, optional
        The teacher's median time per call (drawn as a reference line), in milliseconds.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if depth not in set(table["depth"]):
        raise ValueError(f"depth {depth} is not in the table (depths {table['depth'].tolist()})")
    row = table.set_index("depth").loc[depth]
    fig, (ax_q, ax_t) = new_figure(ncols=2, width=4.2, height=3.4)
    ax_q.plot(table["depth"], table["fidelity"], marker="o", ms=4, color=FAMILY_COLORS["discriminative"],
              label="fidelity (agrees with teacher)")
    ax_q.plot(table["depth"], table["accuracy"], marker="s", ms=4, color=FAMILY_COLORS["data"],
              label="accuracy (agrees with truth)")
    if "teacher_accuracy" in table:
        ax_q.axhline(table["teacher_accuracy"].iloc[0], color=FAMILY_COLORS["data"], ls=":", lw=1,
                     label="teacher's accuracy")
    ax_q.axvline(depth, color="k", lw=0.8, alpha=0.5)
    ax_q.set(xlabel="tree depth", ylabel="share of held-out inputs", ylim=(0, 1.02))
    ax_q.legend(fontsize=7, loc="lower right")
    ax_q.set_title(f"depth {depth}: fidelity {row['fidelity']:.3f}, accuracy {row['accuracy']:.3f}",
                   fontsize=10)
    ax_t.plot(table["depth"], table["latency_us"], marker="o", ms=4, color=FAMILY_COLORS["discriminative"],
              label="tree")
    if teacher_ms is not None:
        ax_t.axhline(1e3 * teacher_ms, color=FAMILY_COLORS["data"], ls=":", label="teacher")
    ax_t.axvline(depth, color="k", lw=0.8, alpha=0.5)
    ax_t.set_yscale("log")
    ax_t.set(xlabel="tree depth", ylabel="microseconds per call (median)")
    ax_t.legend(fontsize=7)
    ax_t.set_title(f"{row['latency_us']:.0f} µs per call, {int(row['n_leaves'])} leaves"
                   if "n_leaves" in table else f"{row['latency_us']:.0f} µs per call", fontsize=10)
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def plot_drift_pvalues(reports, *, image_shape: tuple[int, int] | None = None, title: str | None = None,
                       floor: float = 1e-12):
    """Each column's drift-test p-value, on a -log10 scale, for several batches.

    Parameters
    ----------
    reports : dict of str to DriftReport
        Outputs of :meth:`dglab.deploy.DriftMonitor.check` on the same monitor.
    image_shape : (int, int), optional
        When the features are the pixels of an image (e.g. ``(8, 8)``), draw each batch as a
        heat map in the image's layout, with a dot on every flagged pixel; otherwise draw one
        dot per column and batch.
    floor : float
        p-values below this are drawn at it (they are all "certain").

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not reports:
        raise ValueError("reports is empty")
    first = next(iter(reports.values()))
    limit = -np.log10(floor)
    threshold = -np.log10(first.threshold)
    if image_shape is not None:
        height, width = image_shape
        fig, axes = new_figure(ncols=len(reports), width=2.6, height=3.0)
        axes = np.atleast_1d(axes)
        for ax, (name, report) in zip(axes, reports.items(), strict=True):
            features = report.table[report.table["kind"] == "feature"]
            if len(features) != height * width:
                raise ValueError(f"{len(features)} features do not fill an image of shape {image_shape}")
            scores = -np.log10(np.maximum(features["p_value"].to_numpy(), floor)).reshape(height, width)
            image = ax.imshow(scores, cmap="magma_r", vmin=0, vmax=limit)
            rows, cols = np.nonzero(features["drifted"].to_numpy().reshape(height, width))
            ax.scatter(cols, rows, s=10, color="#22d3ee", edgecolors="k", linewidths=0.4)
            text = f"{len(features[features['drifted']])} pixels flagged"
            predictions = report.table[report.table["kind"] == "prediction"]
            if len(predictions):
                text += f"\npredictions p = {predictions['p_value'].iloc[0]:.1g}"
                text += " (flagged)" if predictions["drifted"].iloc[0] else ""
            ax.set_title(f"{name}\n{text}", fontsize=9)
            ax.set_axis_off()
        fig.colorbar(image, ax=list(axes), shrink=0.8, label="-log10 p-value (dots: flagged)")
    else:
        fig, ax = new_figure(width=7.0, height=3.4)
        palette = sns.color_palette("colorblind", 10).as_hex()
        for i, (name, report) in enumerate(reports.items()):
            scores = -np.log10(np.maximum(report.table["p_value"].to_numpy(), floor))
            ax.scatter(np.arange(len(scores)), scores, s=14, color=palette[i % len(palette)],
                       label=f"{name} ({len(report.drifted)} flagged)")
        ax.axhline(threshold, color="k", ls="--", lw=1, label=f"threshold p = alpha / {len(first.table)}")
        names = first.table["name"].tolist()
        step = max(1, len(names) // 16)
        ax.set_xticks(np.arange(0, len(names), step), names[::step], rotation=60, fontsize=7)
        ax.set(xlabel="column", ylabel="-log10 p-value")
        ax.legend(fontsize=7, loc="upper left")
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def plot_quality_over_time(values, threshold: float, *, ax=None, label: str = "distance",
                           title: str | None = None):
    """A monitored quality score per period against the alarm threshold.

    Parameters
    ----------
    values : sequence of float
        One score per period (day 1, 2, ...), lower is better.
    threshold : float
        Alarm level: periods above it are marked.

    Returns
    -------
    matplotlib.figure.Figure
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("values must be a non-empty 1-D sequence")
    if ax is None:
        fig, ax = new_figure(width=5.6, height=3.2)
    else:
        fig = ax.figure
    days = np.arange(1, values.size + 1)
    ax.plot(days, values, marker="o", ms=4, color=FAMILY_COLORS["generative"], label=label)
    alarms = values > threshold
    ax.scatter(days[alarms], values[alarms], s=70, facecolors="none", edgecolors="k", label="alarm")
    ax.axhline(threshold, color="k", ls="--", lw=1, label="threshold")
    ax.set(xlabel="day", ylabel=label, xticks=days)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title, fontsize=11)
    return fig
