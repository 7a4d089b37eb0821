"""dglab.plots' layout rules for the website: rows of panels fit the column, text stays legible."""

import numpy as np
import pytest

from dglab.plots import new_figure
from dglab.plots.base import MAX_ROW_WIDTH, MIN_PANEL_WIDTH


def _rows(fig, axes):
    return len({round(ax.get_position().y0, 3) for ax in np.atleast_1d(axes)})


@pytest.mark.parametrize(("ncols", "width", "rows"), [(2, 4.2, 1), (3, 3.6, 1), (4, 3.4, 2), (5, 3.0, 2), (3, 4.6, 1)])
def test_a_row_of_panels_fits_the_column(ncols, width, rows):
    fig, axes = new_figure(ncols=ncols, width=width, height=3.0)
    assert len(axes) == ncols  # callers index the panels as they asked for them
    assert fig.get_size_inches()[0] <= MAX_ROW_WIDTH + 1e-9
    fig.canvas.draw()  # constrained layout places the axes
    assert _rows(fig, axes) == rows
    panel = fig.get_size_inches()[0] / -(-ncols // rows)
    assert panel >= min(width, MIN_PANEL_WIDTH) - 1e-9


def test_small_figures_are_left_alone():
    fig, ax = new_figure(width=5.4, height=4.0)
    assert tuple(fig.get_size_inches()) == (5.4, 4.0)
    fig, axes = new_figure(nrows=2, ncols=2, width=3.0, height=2.5)
    assert axes.shape == (2, 2) and tuple(fig.get_size_inches()) == (6.0, 5.0)


def test_a_wide_single_column_shrinks_keeping_its_shape():
    fig, axes = new_figure(nrows=4, width=11.0, height=1.3)
    w, h = fig.get_size_inches()
    assert w == pytest.approx(MAX_ROW_WIDTH) and h == pytest.approx(4 * 1.3 * MAX_ROW_WIDTH / 11.0)


def test_bad_grid_is_refused():
    with pytest.raises(ValueError, match="ncols"):
        new_figure(ncols=0)


@pytest.mark.parametrize("dpi, density", [(80, 2), (100, 1)])
def test_figure_png_is_the_figure_saved_as_png_then_reduced_to_a_palette(dpi, density):
    """figure_png goes through an uncompressed intermediate for speed; its bytes must be those of
    the plain route: savefig to PNG (tight bounding box), 256-colour palette, PNG with its density."""
    import io

    from PIL import Image

    from dglab.plots.base import figure_png

    fig, ax = new_figure(width=4.0, height=3.0)
    grid = np.linspace(-3, 3, 50)
    ax.contourf(grid, grid, np.add.outer(grid, grid ** 2), levels=12, cmap="RdBu_r")
    ax.scatter([0, 1, -1], [1, 0, 2], c=["C0", "C1", "C2"], edgecolors="k")
    ax.set_title("a title with $\\alpha$ and text")

    plain = io.BytesIO()
    fig.savefig(plain, format="png", dpi=dpi * density, bbox_inches="tight")
    image = Image.open(plain).convert("RGB")
    expected = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        expected, format="png", dpi=(dpi * density, dpi * density))

    png, width, height = figure_png(fig, dpi, density=density)
    assert png == expected.getvalue()
    assert (width, height) == (round(image.width / density), round(image.height / density))
