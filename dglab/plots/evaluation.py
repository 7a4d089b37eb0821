"""Evaluating classifiers and estimates (chapters 4, 6, 10, 12 and 14): precision-recall and ROC
curves, confusion matrices, calibration, learning curves, the spread of an estimate, paired gains."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

from dglab._validation import check_binary_scores, check_int
from dglab.plots.base import CLASS_COLORS, FAMILY_COLORS, _axes, _size_axis, _titled, new_figure

__all__ = [
    "plot_pr_curve",
    "plot_roc_curve",
    "plot_confusion_matrix",
    "LEARNING_CURVE_BANDS",
    "plot_learning_curves",
    "plot_calibration_curve",
    "EVALUATION_PANELS",
    "plot_classifier_evaluation",
    "plot_estimate_distribution",
    "plot_paired_gain",
]


def _summarised_curve(ax, x, y, metric: str, value: float, label, color, **style):
    """A curve whose legend entry carries its summary number (``"label (AUC 0.912)"``)."""
    text = f"{metric} {value:.3f}" if label is None else f"{label} ({metric} {value:.3f})"
    (line,) = ax.plot(x, y, color=color, label=text, lw=1.8, **style)
    return line


def _operating_point(ax, x, y, line) -> None:
    """The point a threshold reaches on a curve, in the curve's colour."""
    ax.plot(x, y, "o", color=line.get_color(), ms=7, mec="k", zorder=5)

# The parameters plot_pr_curve and plot_roc_curve share, documented once and substituted into
# both docstrings by _binary_curve_doc (so the two cannot drift apart).
_BINARY_CURVE_PARAMETERS = """y_true : array-like of shape (n_samples,)
        Labels 0 and 1 (1 the positive, usually rare, class).
    scores : array-like of shape (n_samples,)
        Higher means more likely positive.
    ax : matplotlib Axes, optional
        Draw into this axes; by default a new figure is created.
    label : str, optional
        Legend entry; the curve's summary number is appended.
    color : matplotlib colour, optional
        Colour of the curve (and of its operating point).
    threshold : float, optional
        Mark the operating point reached by predicting positive when ``score >= threshold``.
    title : str, optional
        Title of the axes."""


def _binary_curve_doc(function):
    """Substitute the shared parameter block into ``function``'s docstring."""
    function.__doc__ = function.__doc__.replace("{binary_curve_parameters}", _BINARY_CURVE_PARAMETERS)
    return function


def _binary_curve_frame(y_true, scores, ax):
    """Checked ``(y_true, scores)`` and the ``(fig, ax)`` both curves draw into."""
    y_true, scores = check_binary_scores(y_true, scores)
    fig, ax = _axes(ax, width=5.0)
    return y_true, scores, fig, ax


def _finish_binary_curve(ax, legend_loc: str, title: str | None, **axis_settings) -> None:
    """Labels, limits, legend and title of a PR or ROC axes."""
    ax.set(**axis_settings)
    ax.legend(loc=legend_loc, fontsize=9)
    if title:
        ax.set_title(title)


@_binary_curve_doc
def plot_pr_curve(y_true, scores, *, ax=None, label: str | None = None, color=None,
                  show_no_skill: bool = True, threshold: float | None = None, title: str | None = None):
    """Draw the precision-recall curve of binary scores (call again on ``ax`` to overlay).

    The curve comes from :func:`sklearn.metrics.precision_recall_curve` and is drawn as a step
    function, whose area is the average precision reported in the legend. The dashed line is the
    no-skill level: a random scorer's precision equals the positive rate at every recall.

    Parameters
    ----------
    {binary_curve_parameters}
    show_no_skill : bool
        Draw the positive rate as a dashed horizontal line.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sklearn.metrics import average_precision_score, precision_recall_curve

    y_true, scores, fig, ax = _binary_curve_frame(y_true, scores, ax)
    precision, recall, _ = precision_recall_curve(y_true, scores)
    line = _summarised_curve(ax, recall, precision, "AP", average_precision_score(y_true, scores),
                             label, color, drawstyle="steps-post")
    if threshold is not None:
        flagged = scores >= threshold
        tp = np.sum(flagged & (y_true == 1))
        _operating_point(ax, tp / y_true.sum(), tp / flagged.sum() if flagged.any() else 1.0, line)
    if show_no_skill:
        rate = y_true.mean()
        ax.axhline(rate, ls="--", color=FAMILY_COLORS["data"], lw=1, label=f"no skill ({rate:.3g})")
    _finish_binary_curve(ax, "upper right", title,
                         xlabel="recall", ylabel="precision", xlim=(0, 1.0), ylim=(0, 1.02))
    return fig


@_binary_curve_doc
def plot_roc_curve(y_true, scores, *, ax=None, label: str | None = None, color=None,
                   show_chance: bool = True, threshold: float | None = None, title: str | None = None):
    """Draw the ROC curve (true- vs false-positive rate) of binary scores.

    The curve comes from :func:`sklearn.metrics.roc_curve`; the legend reports its area. The
    dashed diagonal is a random scorer. Both axes are rates *within* a class, so the curve does
    not change when the positive class gets rarer (a precision-recall curve does).

    Parameters
    ----------
    {binary_curve_parameters}
    show_chance : bool
        Draw the diagonal of a random scorer as a dashed line.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    y_true, scores, fig, ax = _binary_curve_frame(y_true, scores, ax)
    fpr, tpr, _ = roc_curve(y_true, scores)
    line = _summarised_curve(ax, fpr, tpr, "AUC", roc_auc_score(y_true, scores), label, color)
    if threshold is not None:
        flagged = scores >= threshold
        _operating_point(ax, np.mean(flagged[y_true == 0]), np.mean(flagged[y_true == 1]), line)
    if show_chance:
        ax.plot([0, 1], [0, 1], ls="--", color=FAMILY_COLORS["data"], lw=1, label="chance")
    _finish_binary_curve(ax, "lower right", title, xlabel="false-positive rate",
                         ylabel="true-positive rate (recall)", xlim=(0, 1), ylim=(0, 1.02))
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
    fig, ax = _axes(ax)
    colors, linestyles = colors or {}, linestyles or {}
    palette = CLASS_COLORS
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
    n_bins = check_int("n_bins", n_bins, minimum=2)
    if strategy not in ("uniform", "quantile"):
        raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}")
    fig, ax = _axes(ax, width=5.0)
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
    return _titled(fig, title)


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
    palette = CLASS_COLORS
    colors = colors or {}
    everything = np.concatenate(list(checked.values()))
    # bins over the values themselves, not over xlim: on a fixed wide axis, values that have
    # converged would otherwise all fall into one bar
    lo, hi = everything.min(), everything.max()
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
    ax.legend(fontsize=9, loc="upper right")
    if title:
        ax.set_title(title, fontsize=11)
    return fig


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
    fig, ax = _axes(ax, width=5.0, height=3.6)
    colors = colors or {}
    palette = CLASS_COLORS
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
        ax.legend(fontsize=9)
    return fig
