"""Classifiers on the plane and their training (chapters 1-3): decision boundaries,
probability surfaces, loss curves."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from sklearn.utils.validation import check_is_fitted

from dglab._validation import check_int
from dglab.plots.base import (
    FAMILY_COLORS,
    _axes,
    _check_2d_data,
    _grid,
    _probability_surface,
    _scatter_classes,
)

__all__ = [
    "plot_decision_boundary",
    "plot_probability_contours",
    "plot_loss_curves",
    "plot_training_run",
    "plot_gd_path",
]


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
    fig, ax = _axes(ax)
    xx, yy, grid = _grid(X, resolution, margin)
    classes = getattr(model, "classes_", np.unique(y))
    if len(classes) != 2:
        raise ValueError(f"plot_decision_boundary draws binary classifiers, got {len(classes)} classes")
    if proba:
        p1 = model.predict_proba(grid)[:, 1].reshape(xx.shape)
        surface = _probability_surface(ax, xx, yy, p1)
        fig.colorbar(surface, ax=ax, label=f"P(y = {classes[1]} | x)", ticks=[0, 0.25, 0.5, 0.75, 1])
    else:
        score = model.decision_function(grid).reshape(xx.shape)
        ax.contour(xx, yy, score, levels=[0.0], colors="k", linewidths=1.5)
    if show_points:
        _scatter_classes(ax, X, y == classes[1])
    ax.set(xlabel="$x_1$", ylabel="$x_2$", xlim=(xx.min(), xx.max()), ylim=(yy.min(), yy.max()))
    if title:
        ax.set_title(title)
    return fig


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
    fig, ax = _axes(ax)
    xx, yy, grid = _grid(X, resolution, margin)
    p1 = sigmoid(grid @ w + b).reshape(xx.shape)
    surface = _probability_surface(ax, xx, yy, p1, boundary_width=1.8)
    if colorbar:
        fig.colorbar(surface, ax=ax, label="P(y = 1 | x)", ticks=[0, 0.25, 0.5, 0.75, 1])
    if np.any(w != 0):  # with w = 0 the probability is the constant sigmoid(b): no level sets
        thin = [p for p in levels if p != 0.5]
        if thin and p1.min() < max(thin) and p1.max() > min(thin):
            lines = ax.contour(xx, yy, p1, levels=thin, colors="k", linewidths=0.8, linestyles="--")
            ax.clabel(lines, fmt=lambda p: f"{p:g}", fontsize=9)
        if show_normal:
            centre = X.mean(axis=0)
            scale = 0.25 * min(np.ptp(xx), np.ptp(yy)) / np.linalg.norm(w)
            ax.annotate("", xy=centre + scale * w, xytext=centre,
                        arrowprops=dict(arrowstyle="->", color="k", lw=1.5))
            ax.annotate("w", xy=centre + 1.1 * scale * w, fontsize=11, ha="center", va="center")
    _scatter_classes(ax, X, y == np.max(y))
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
    fig, ax = _axes(ax)
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
    _probability_surface(ax_boundary, xx, yy, p1)
    _scatter_classes(ax_boundary, X, y == model.classes_[1], size=12, linewidth=0.3)
    for axis in (ax_boundary.xaxis, ax_boundary.yaxis):
        axis.set_major_locator(ticker.MaxNLocator(5))
    ax_boundary.set(xlabel="$x_1$", ylabel="$x_2$", xlim=(xx.min(), xx.max()), ylim=(yy.min(), yy.max()))
    ax_boundary.set_title("decision boundary, shaded by P(y = 1 | x)", fontsize=10)
    if title:
        fig.suptitle(title)
    if warning:
        fig.text(0.5, 0.02, textwrap.fill(f"ConvergenceWarning: {warning}", 110), ha="center",
                 va="bottom", fontsize=9, color="#b91c1c",
                 bbox=dict(boxstyle="round", facecolor="#fef2f2", edgecolor="#b91c1c"))
    return fig


def plot_gd_path(w_values, b_values, losses, path, *, step: int, optimum=None,
                 message: str | None = None, title: str | None = None, ax=None):
    """Gradient descent's path in the ``(w, b)`` plane over the contours of the loss.

    Parameters
    ----------
    w_values, b_values : array-like of shape (n_w,), (n_b,)
        The grid the losses were computed on (e.g. :func:`dglab.linear.log_loss_surface`).
    losses : array-like of shape (n_b, n_w)
        The loss at every grid point (rows are intercepts).
    path : array-like of shape (n_points, 2)
        The parameters ``(w, b)`` at the start and after every step (e.g. the columns of
        ``LogisticRegressionGD(record_path=True)``'s ``coef_path_`` and ``intercept_path_``).
    step : int
        Draw the path up to this step (>= 0); past the path's end, the whole path (a run that
        stopped early stays where it stopped).
    optimum : (w, b), optional
        The minimiser, drawn as a star.
    message : str, optional
        Printed in red under the axes (why the run stopped, e.g. a divergence warning).
    title : str, optional
        Axes title.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import textwrap

    w_values, b_values = (np.asarray(v, dtype=float) for v in (w_values, b_values))
    losses = np.asarray(losses, dtype=float)
    path = np.asarray(path, dtype=float)
    if losses.shape != (len(b_values), len(w_values)):
        raise ValueError(f"losses must have shape (len(b_values), len(w_values)) = "
                         f"{(len(b_values), len(w_values))}, got {losses.shape}")
    if path.ndim != 2 or path.shape[1] != 2 or len(path) == 0:
        raise ValueError(f"path must have shape (n_points, 2) of (w, b), got {path.shape}")
    if not (np.isfinite(losses).all() and np.isfinite(path).all()):
        raise ValueError("losses and path must be finite")
    step = check_int("step", step, minimum=0)
    fig, ax = _axes(ax, width=5.4, height=4.2 if message else 3.8)
    # log-spaced levels above the minimum: the valley floor gets as many lines as the walls
    floor = losses.min()
    levels = floor + np.geomspace(1e-3, max(losses.max() - floor, 2e-3), 14)
    ax.contourf(w_values, b_values, losses, levels=np.r_[floor, levels], cmap="Blues_r", alpha=0.55)
    # no contour labels: clabel costs more than the rest of the frame (explorers redraw it)
    ax.contour(w_values, b_values, losses, levels=levels[::2], colors="#1e3a8a", linewidths=0.6)
    shown = path[: min(step, len(path) - 1) + 1]
    ax.plot(shown[:, 0], shown[:, 1], "-o", color=FAMILY_COLORS["discriminative"], lw=1.2, ms=3, zorder=3)
    ax.plot(*path[0], "s", color="k", ms=6, zorder=4, label="start (0, 0)")
    ax.plot(*shown[-1], "o", color=FAMILY_COLORS["generative"], ms=8, mec="k", zorder=5,
            label=f"after {len(shown) - 1} step(s)")
    if optimum is not None:
        ax.plot(*optimum, "*", color="gold", ms=13, mec="k", zorder=5, label="minimum")
    ax.set(xlim=(w_values[0], w_values[-1]), ylim=(b_values[0], b_values[-1]),
           xlabel="weight $w$", ylabel="intercept $b$")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    if title:
        ax.set_title(title, fontsize=10)
    if message:
        # a figure-level label, so the constrained layout makes room for it
        ax.figure.supxlabel(textwrap.fill(message, 80), color="#b91c1c", fontsize=8, x=0.02, ha="left")
    return fig
