"""The pieces every plot shares: the book's style, its palettes, figure and axes helpers, grids."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt  # noqa: F401  (activates the notebook's inline backend)
import numpy as np
import seaborn as sns

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


#: Widest figure (inches) the book shows in one row: at the website's ~670 px column a figure this
#: wide still renders 1 pt of text as >= 1 CSS px, so its smallest text (MIN_FONT_PT) stays legible.
MAX_ROW_WIDTH = 9.0
#: Narrowest panel (inches) :func:`new_figure` makes when it fits a row into MAX_ROW_WIDTH.
MIN_PANEL_WIDTH = 3.0
#: The smallest font size (points) any of the book's figures uses.
MIN_FONT_PT = 9

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
        # every Figure is shown as a high-density PNG at its own size (see figure_png)
        shell.display_formatter.formatters["image/png"].for_type(mpl.figure.Figure, _png_display)


def figure_png(fig, dpi: float | None = None, *, density: int = 2) -> tuple[bytes, int, int]:
    """A figure as PNG bytes for the web: ``(png, width, height)``, the size in CSS pixels.

    The image holds ``density`` pixels per CSS pixel (2: sharp on high-DPI screens and
    projectors) and is shown at the figure's size at ``dpi``. Its colours are reduced to a
    256-colour palette, which a plot of flat colours and lines does not visibly lose and which
    keeps the file about as small as a 1x image in full colour. The PNG records its density
    (pHYs), and carries no timestamp, so a rebuild gives the same bytes.
    """
    import io

    from PIL import Image

    dpi = float(dpi or fig.dpi)
    buffer = io.BytesIO()
    # The intermediate image is decoded at once: an uncompressed TIFF holds the same pixels as a
    # PNG and skips PNG's row filters and zlib (a third of the call at zlib's default level)
    fig.savefig(buffer, format="tiff", dpi=dpi * density, bbox_inches="tight",
                pil_kwargs={"compression": None})
    image = Image.open(buffer).convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="png", dpi=(dpi * density, dpi * density))
    return out.getvalue(), round(image.width / density), round(image.height / density)


def _png_display(fig):
    """IPython's PNG formatter for figures: the image and the size to show it at."""
    import base64

    png, width, _ = figure_png(fig)
    return base64.b64encode(png).decode("ascii"), {"width": width}


def new_figure(ncols: int = 1, nrows: int = 1, *, width: float = 5.4, height: float = 4.0, **kwargs):
    """Create a figure with a grid of axes sized per panel; returns ``(fig, axes)``.

    Figures are created through :class:`matplotlib.figure.Figure` rather than ``pyplot`` so that
    building one never displays it as a side effect (explorers render many of them).

    A figure wider than :data:`MAX_ROW_WIDTH` would be shrunk by the page until its text is
    illegible, so its panels are made narrower (down to :data:`MIN_PANEL_WIDTH`, keeping their
    shape) and a single row of more panels than fit wraps onto further rows. ``axes`` keeps its
    shape in that case (a 1-D array of ``ncols`` axes), so callers index it as they asked.
    """
    if ncols < 1 or nrows < 1:
        raise ValueError(f"ncols and nrows must be >= 1, got ncols={ncols}, nrows={nrows}")
    per_row = ncols
    if nrows == 1 and ncols * width > MAX_ROW_WIDTH:
        fit = max(1, int(MAX_ROW_WIDTH // min(width, MIN_PANEL_WIDTH)))
        rows = -(-ncols // fit)
        per_row = -(-ncols // rows)  # balanced rows: 4 panels as 2 + 2, 5 as 3 + 2
    scale = min(1.0, MAX_ROW_WIDTH / (per_row * width))
    rows = -(-ncols // per_row) if nrows == 1 else nrows
    fig = mpl.figure.Figure(figsize=(width * scale * per_row, height * scale * rows), layout="constrained")
    if per_row == ncols:
        return fig, fig.subplots(nrows, ncols, squeeze=True, **kwargs)
    grid = fig.subplots(rows, per_row, squeeze=False, **kwargs).ravel()
    for extra in grid[ncols:]:
        extra.remove()
    return fig, grid[:ncols]


def _titled(fig, title: str | None):
    """``fig`` with ``title`` as its suptitle (none when ``title`` is empty): how a multi-panel
    plotting function ends."""
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


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


#: Marker of each class in two-class scatter plots: shape as well as colour tells them apart.
CLASS_MARKERS = ("o", "^")


def _scatter_classes(ax, X, positive, *, size: float = 14, linewidth: float = 0.4) -> None:
    """The points of a binary problem on the plane: blue circles (negative) and vermillion
    triangles (positive), so shape as well as colour tells the classes apart."""
    positive = np.asarray(positive, dtype=bool)
    for is_positive, color, marker in ((False, CLASS_COLORS[0], CLASS_MARKERS[0]),
                                       (True, CLASS_COLORS[3], CLASS_MARKERS[1])):
        rows = positive == is_positive
        ax.scatter(X[rows, 0], X[rows, 1], color=color, marker=marker, s=size,
                   edgecolors="white", linewidths=linewidth)


def _size_axis(ax, sizes, label: str) -> None:
    ax.set_xscale("log")
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    sizes = np.unique(np.asarray(sizes))
    ax.set_xticks(sizes, [str(int(m)) for m in sizes])
    ax.set_xlabel(label)



