"""Language models (chapter 9): bits per character, and the entropy of each generated character."""

from __future__ import annotations

import numpy as np

from dglab.plots.base import CLASS_COLORS, FAMILY_COLORS, _axes

__all__ = [
    "plot_bits_per_char",
    "plot_char_entropy",
]


def plot_bits_per_char(
    x,
    curves: dict,
    *,
    baselines: dict | None = None,
    xlabel: str = "training step",
    ax=None,
    title: str | None = None,
    logx: bool = False,
    mark: float | None = None,
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
    mark : float, optional
        A position on the horizontal axis to mark with a vertical line and the curves' values
        there (e.g. the training step an explorer's frame shows); must be one of ``x``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D array, got shape {x.shape}")
    if not curves:
        raise ValueError("curves must hold at least one line")
    if mark is not None:
        hits = np.flatnonzero(np.isclose(x, float(mark)))
        if hits.size == 0:
            raise ValueError(f"mark={mark!r} is not one of the x positions")
    fig, ax = _axes(ax, width=6.4, height=3.8)
    palette = CLASS_COLORS
    for i, (label, y) in enumerate(curves.items()):
        y = np.asarray(y, dtype=float)
        if y.shape != x.shape:
            raise ValueError(f"curve {label!r} has shape {y.shape}, expected {x.shape}")
        ax.plot(x, y, marker="o" if x.size <= 20 else None, ms=4, color=palette[i], label=label)
        if mark is not None:
            ax.plot(x[hits[0]], y[hits[0]], "o", ms=10, mfc="none", mec="k", mew=2, zorder=5)
    if mark is not None:
        ax.axvline(x[hits[0]], color="k", lw=1, ls=":")
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
    fig, ax = _axes(ax, width=7.2, height=2.6)
    positions = np.arange(entropies.size)
    ax.bar(positions, entropies, width=1.0, color=FAMILY_COLORS["generative"], alpha=0.8)
    ax.axhline(entropies.mean(), color="k", lw=1, ls="--", label=f"mean {entropies.mean():.2f} bits")
    if text is not None and entropies.size <= 80:
        ax.set_xticks(positions, [repr(c)[1:-1] or " " for c in text], fontsize=9, family="monospace")
    ax.set(xlabel="generated character", ylabel="entropy (bits)", xlim=(-0.5, entropies.size - 0.5))
    if max_bits is not None:
        ax.set_ylim(0, max_bits)
    ax.legend(loc="upper right", fontsize=9)
    if title:
        ax.set_title(title)
    return fig
