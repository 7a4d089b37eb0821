"""Deployment (chapter 13): latency, distillation, drift p-values, quality over time."""

from __future__ import annotations

import numpy as np

from dglab.plots.base import CLASS_COLORS, FAMILY_COLORS, _axes, _size_axis, _titled, new_figure

__all__ = [
    "plot_latency",
    "plot_distillation",
    "plot_drift_pvalues",
    "plot_quality_over_time",
]


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
    fig, ax = _axes(ax, width=5.0, height=3.6)
    palette = CLASS_COLORS
    sizes = []
    for i, (name, table) in enumerate(tables.items()):
        color = palette[i % len(palette)]
        ax.plot(table["batch_size"], table["median_ms"], marker="o", ms=4, color=color, label=f"{name}, median")
        ax.plot(table["batch_size"], table["p95_ms"], ls="--", color=color, lw=1, label=f"{name}, 95th percentile")
        sizes.extend(table["batch_size"])
    _size_axis(ax, sizes, "batch size (rows per call)")
    ax.set_yscale("log")
    ax.set_ylabel("milliseconds per call")
    ax.legend(fontsize=9)
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
    ax_q.legend(fontsize=9, loc="lower right")
    ax_q.set_title(f"depth {depth}: fidelity {row['fidelity']:.3f}, accuracy {row['accuracy']:.3f}",
                   fontsize=10)
    ax_t.plot(table["depth"], table["latency_us"], marker="o", ms=4, color=FAMILY_COLORS["discriminative"],
              label="tree")
    if teacher_ms is not None:
        ax_t.axhline(1e3 * teacher_ms, color=FAMILY_COLORS["data"], ls=":", label="teacher")
    ax_t.axvline(depth, color="k", lw=0.8, alpha=0.5)
    ax_t.set_yscale("log")
    ax_t.set(xlabel="tree depth", ylabel="microseconds per call (median)")
    ax_t.legend(fontsize=9)
    ax_t.set_title(f"{row['latency_us']:.0f} µs per call, {int(row['n_leaves'])} leaves"
                   if "n_leaves" in table else f"{row['latency_us']:.0f} µs per call", fontsize=10)
    return _titled(fig, title)


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
        palette = CLASS_COLORS
        for i, (name, report) in enumerate(reports.items()):
            scores = -np.log10(np.maximum(report.table["p_value"].to_numpy(), floor))
            ax.scatter(np.arange(len(scores)), scores, s=14, color=palette[i % len(palette)],
                       label=f"{name} ({len(report.drifted)} flagged)")
        ax.axhline(threshold, color="k", ls="--", lw=1, label=f"threshold p = alpha / {len(first.table)}")
        names = first.table["name"].tolist()
        step = max(1, len(names) // 16)
        ax.set_xticks(np.arange(0, len(names), step), names[::step], rotation=60, fontsize=9)
        ax.set(xlabel="column", ylabel="-log10 p-value")
        ax.legend(fontsize=9, loc="upper left")
    return _titled(fig, title)


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
    fig, ax = _axes(ax, width=5.6, height=3.2)
    days = np.arange(1, values.size + 1)
    ax.plot(days, values, marker="o", ms=4, color=FAMILY_COLORS["generative"], label=label)
    alarms = values > threshold
    ax.scatter(days[alarms], values[alarms], s=70, facecolors="none", edgecolors="k", label="alarm")
    ax.axhline(threshold, color="k", ls="--", lw=1, label="threshold")
    ax.set(xlabel="day", ylabel=label, xticks=days)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=9)
    if title:
        ax.set_title(title, fontsize=11)
    return fig
