"""A GAN's training, frame by frame (chapter 5's training explorer and its live mode).

One panel function per view of the game, each drawing on an axes and returning the figure:
the discriminator's opinion of the plane (:func:`plot_discriminator_surface`), where the
generator's update pushes its points (:func:`plot_generator_arrows`), how the generator warps a
regular grid of latent points (:func:`plot_latent_grid`) and the losses and mode coverage over
the steps (:func:`plot_gan_progress`). :class:`GANLabView` lays them out in one figure and
*updates* its artists for the next frame instead of drawing a new figure, which is what lets an
explorer render dozens of frames, and the live mode redraw several times a second, cheaply.

The functions take arrays (computed by :func:`dglab.gan.discriminator_surface`,
:func:`dglab.gan.generator_gradient`, :func:`dglab.gan.latent_grid_lines`); nothing here
trains or evaluates a network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dglab._validation import check_numeric_array, check_real
from dglab.plots.base import FAMILY_COLORS, _axes, new_figure

__all__ = [
    "GANLabFrame",
    "GANLabView",
    "plot_discriminator_surface",
    "plot_generator_arrows",
    "plot_latent_grid",
    "plot_gan_progress",
]

#: Shading levels of D(x): flat bands (a few colours) keep the explorer's PNG frames small.
SURFACE_LEVELS = np.linspace(0, 1, 11)
SURFACE_CMAP = "PuOr"  # orange = "generated" (D near 0), purple = "real" (D near 1)
WARP_COLOR = "#0f766e"


def _check_points(name: str, points, ncols: int = 2, *, min_samples: int = 1) -> np.ndarray:
    points = check_numeric_array(name, points, ensure_min_samples=min_samples)
    if points.shape[1] != ncols:
        raise ValueError(f"{name} must have {ncols} columns (points in the plane), got {points.shape[1]}")
    return points


def _check_surface(xs, ys, probs):
    xs = check_numeric_array("xs", xs, ensure_2d=False, ensure_min_samples=2)
    ys = check_numeric_array("ys", ys, ensure_2d=False, ensure_min_samples=2)
    if xs.ndim != 1 or ys.ndim != 1:
        raise ValueError(f"xs and ys must be 1-D grids, got shapes {xs.shape} and {ys.shape}")
    probs = check_numeric_array("probs", probs)
    if probs.shape != (len(ys), len(xs)):
        raise ValueError(f"probs must have shape (len(ys), len(xs)) = {(len(ys), len(xs))}, "
                         f"got {probs.shape}")
    if probs.min() < 0 or probs.max() > 1:
        raise ValueError("probs must be probabilities D(x) in [0, 1]; "
                         f"got values from {probs.min():.3g} to {probs.max():.3g}")
    return xs, ys, probs


# -- the panels ----------------------------------------------------------------------------------
def _draw_surface(ax, xs, ys, probs):
    shading = ax.contourf(xs, ys, probs, levels=SURFACE_LEVELS, cmap=SURFACE_CMAP, vmin=0, vmax=1,
                          alpha=0.6)
    boundary = None
    if probs.min() < 0.5 < probs.max():
        boundary = ax.contour(xs, ys, probs, levels=[0.5], colors="k", linewidths=1.2)
    return shading, boundary


def plot_discriminator_surface(xs, ys, probs, real=None, fake=None, *, ax=None,
                               title: str | None = None, max_points: int = 400):
    """The discriminator's D(x) as a shaded surface with its 0.5 contour, real and generated points.

    Parameters
    ----------
    xs, ys : array-like of shape (nx,) and (ny,)
        The grid's coordinates.
    probs : array-like of shape (ny, nx)
        D at ``(xs[j], ys[i])`` in ``probs[i, j]``, in [0, 1].
    real, fake : array-like of shape (n, 2), optional
        Data points (grey) and generated points (orange); at most ``max_points`` of each shown.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    xs, ys, probs = _check_surface(xs, ys, probs)
    fig, ax = _axes(ax, 4.2, 4.0)
    _draw_surface(ax, xs, ys, probs)
    if real is not None:
        real = _check_points("real", real)
        ax.scatter(*real[:max_points].T, s=5, color=FAMILY_COLORS["data"], alpha=0.5, label="data")
    if fake is not None:
        fake = _check_points("fake", fake)
        ax.scatter(*fake[:max_points].T, s=6, color=FAMILY_COLORS["generative"], label="generated")
    ax.set(xlim=(xs[0], xs[-1]), ylim=(ys[0], ys[-1]), aspect="equal", title=title)
    return fig


def _arrow_vectors(gradients, scale: float, max_length: float):
    lengths = np.linalg.norm(gradients, axis=1, keepdims=True) * scale
    # long arrows are capped (the direction stays exact) so that one steep spot cannot hide the rest
    shrink = np.minimum(1.0, max_length / np.maximum(lengths, 1e-12))
    return gradients * scale * shrink


def plot_generator_arrows(points, gradients, *, ax=None, scale: float = 0.4,
                          max_length: float = 0.5):
    """Arrows from generated points along ``gradients`` (``-dL_G/dx``: where G pushes them).

    An arrow is ``scale`` times the gradient, capped at ``max_length`` (data units); keep
    ``scale`` fixed across frames so that arrow lengths compare between steps and recipes.

    Returns
    -------
    matplotlib.figure.Figure
    """
    points = _check_points("points", points)
    gradients = _check_points("gradients", gradients)
    if gradients.shape != points.shape:
        raise ValueError(f"gradients must have the shape of points {points.shape}, got {gradients.shape}")
    scale = check_real("scale", scale, minimum=0, min_inclusive=False)
    max_length = check_real("max_length", max_length, minimum=0, min_inclusive=False)
    fig, ax = _axes(ax, 4.2, 4.0)
    uv = _arrow_vectors(gradients, scale, max_length)
    ax.quiver(points[:, 0], points[:, 1], uv[:, 0], uv[:, 1], angles="xy", scale_units="xy",
              scale=1.0, width=0.006, color="k")
    return fig


def plot_latent_grid(lines, *, ax=None):
    """The image of a regular grid of latent points under G: curves of shape (n, m, 2).

    Returns
    -------
    matplotlib.figure.Figure
    """
    lines = _check_lines(lines)
    fig, ax = _axes(ax, 4.2, 4.0)
    for curve in lines:
        ax.plot(curve[:, 0], curve[:, 1], color=WARP_COLOR, lw=0.7, alpha=0.8)
    return fig


def _check_lines(lines) -> np.ndarray:
    lines = np.asarray(lines, dtype=float) if not isinstance(lines, np.ndarray) else lines.astype(float)
    if lines.ndim != 3 or lines.shape[2] != 2 or lines.shape[1] < 2 or lines.shape[0] < 1:
        raise ValueError(f"lines must have shape (n_curves, n_points >= 2, 2), got {lines.shape}")
    if not np.isfinite(lines).all():
        raise ValueError("lines contain NaN or infinite values")
    return lines


def _moving_average(values: np.ndarray, window: int) -> np.ndarray:
    if len(values) < window:
        return values
    kernel = np.ones(window) / window
    head = np.cumsum(values[:window - 1]) / np.arange(1, window)
    return np.concatenate([head, np.convolve(values, kernel, mode="valid")])


def plot_gan_progress(steps, d_loss, g_loss, coverage_steps, modes, *, step=None, axes=None,
                      window: int = 25, n_modes: int = 8):
    """Both losses (moving averages) and the modes covered over the steps, marking ``step``.

    Parameters
    ----------
    steps, d_loss, g_loss : array-like of shape (n,)
        Training steps and the two losses at them.
    coverage_steps, modes : array-like of shape (m,)
        Steps at which coverage was measured and the number of modes covered there.
    step : int, optional
        The current step, marked by a vertical line on both panels.
    axes : pair of Axes, optional
        Where to draw the losses and the coverage; by default a new figure with two rows.

    Returns
    -------
    matplotlib.figure.Figure
    """
    curves = _check_progress(steps, d_loss, g_loss, coverage_steps, modes)
    if axes is None:
        fig, axes = new_figure(nrows=2, width=4.0, height=2.0, sharex=True)
    fig = axes[0].figure
    _draw_progress(axes, *curves, window=window, n_modes=n_modes)
    if step is not None:
        for ax in axes:
            ax.axvline(check_real("step", step), color="k", lw=1.0)
    return fig


def _check_progress(steps, d_loss, g_loss, coverage_steps, modes):
    kw = dict(ensure_2d=False, ensure_min_samples=1)
    steps, d_loss, g_loss = (check_numeric_array(n, v, **kw) for n, v in
                             (("steps", steps), ("d_loss", d_loss), ("g_loss", g_loss)))
    if not (steps.shape == d_loss.shape == g_loss.shape) or steps.ndim != 1:
        raise ValueError(f"steps, d_loss and g_loss must be 1-D of one length, got shapes "
                         f"{steps.shape}, {d_loss.shape}, {g_loss.shape}")
    coverage_steps = check_numeric_array("coverage_steps", coverage_steps, **kw)
    modes = check_numeric_array("modes", modes, **kw)
    if coverage_steps.shape != modes.shape or modes.ndim != 1:
        raise ValueError(f"coverage_steps and modes must be 1-D of one length, got shapes "
                         f"{coverage_steps.shape} and {modes.shape}")
    return steps, d_loss, g_loss, coverage_steps, modes


def _draw_progress(axes, steps, d_loss, g_loss, coverage_steps, modes, *, window, n_modes):
    loss_ax, mode_ax = axes
    loss_ax.plot(steps, _moving_average(d_loss, window), color=FAMILY_COLORS["discriminative"],
                 lw=1.4, label="D loss")
    loss_ax.plot(steps, _moving_average(g_loss, window), color=FAMILY_COLORS["generative"],
                 lw=1.4, label="G loss")
    loss_ax.set(ylabel="loss")
    loss_ax.legend(loc="upper right", fontsize=9, ncols=2)
    mode_ax.plot(coverage_steps, modes, color=FAMILY_COLORS["generative"], marker="o", ms=3, lw=1.2)
    mode_ax.set(ylim=(-0.5, n_modes + 0.5), yticks=range(0, n_modes + 1, 2), ylabel="modes",
                xlabel="training step")


# -- the whole frame, updated in place ------------------------------------------------------------
@dataclass
class GANLabFrame:
    """What one frame of the view shows (see :class:`GANLabView`)."""

    step: int
    surface: tuple  # (xs, ys, probs)
    fake: np.ndarray  # generated samples, shape (n, 2)
    arrow_points: np.ndarray  # a subset of generated points, shape (k, 2)
    arrows: np.ndarray  # -dL_G/dx at them, shape (k, 2)
    lines: np.ndarray  # the warped latent grid, shape (n_curves, m, 2)
    title: str = ""


class GANLabView:
    """One figure of a GAN's training: the plane (left) and the losses and coverage (right).

    Build it once with what does not change (the data, the whole run's curves), then call
    :meth:`update` with a :class:`GANLabFrame` per step: it moves the existing artists (the
    surface's shading and contour are the only artists replaced) and returns the figure.

    Parameters
    ----------
    real : array-like of shape (n, 2)
        The training data (at most ``max_points`` drawn).
    progress : tuple or None
        ``(steps, d_loss, g_loss, coverage_steps, modes)`` of the whole run, drawn once; or
        ``None`` to grow the curves with :meth:`update` (the live mode).
    lim : float
        Half-width of the plane shown.
    arrow_scale, max_arrow : float
        Arrow length per unit of gradient and the cap (see :func:`plot_generator_arrows`).
    n_steps, loss_range :
        Live mode only: the axes' fixed extent (steps to come; losses).
    """

    def __init__(self, real, progress=None, *, lim: float = 3.0, arrow_scale: float = 0.4,
                 max_arrow: float = 0.5, n_steps: int | None = None, max_points: int = 400,
                 width: float = 8.0, height: float = 4.0, loss_range=(0.0, 3.0)):
        real = _check_points("real", real)
        self.lim = check_real("lim", lim, minimum=0, min_inclusive=False)
        self.arrow_scale = check_real("arrow_scale", arrow_scale, minimum=0, min_inclusive=False)
        self.max_arrow = check_real("max_arrow", max_arrow, minimum=0, min_inclusive=False)
        self.max_points = max_points
        self.fig = fig = new_figure(width=width, height=height)[0]
        fig.clear()
        grid = fig.add_gridspec(2, 2, width_ratios=[1.05, 1.0])
        self.plane = fig.add_subplot(grid[:, 0])
        self.loss_ax = fig.add_subplot(grid[0, 1])
        self.mode_ax = fig.add_subplot(grid[1, 1], sharex=self.loss_ax)
        self.loss_ax.tick_params(labelbottom=False)
        ax = self.plane
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal")
        ax.set_xticks([-2, 0, 2])
        ax.set_yticks([-2, 0, 2])
        self._shading = self._boundary = None
        ax.scatter(*real[:max_points].T, s=5, color=FAMILY_COLORS["data"], alpha=0.5, zorder=2,
                   label="data")
        self._warp = []
        self._fake = ax.scatter([], [], s=7, color=FAMILY_COLORS["generative"], zorder=4,
                                edgecolors="white", linewidths=0.2, label="generated")
        self._quiver = None
        self._legend = ax.legend(loc="upper left", fontsize=9, handletextpad=0.1, borderaxespad=0.2,
                                 markerscale=2, ncols=2)
        self._legend.set_zorder(7)  # above the shading
        self._live = progress is None
        if self._live:
            n = n_steps or 1
            self._loss_lines = [self.loss_ax.plot([], [], color=FAMILY_COLORS[k], lw=1.2, label=lbl)[0]
                                for k, lbl in (("discriminative", "D loss"), ("generative", "G loss"))]
            self.loss_ax.legend(loc="upper right", fontsize=9, ncols=2)
            self.loss_ax.set(xlim=(0, n), ylim=loss_range, ylabel="loss")
            self._mode_line = self.mode_ax.plot([], [], color=FAMILY_COLORS["generative"], marker="o",
                                                ms=3, lw=1.2)[0]
            self.mode_ax.set(ylim=(-0.5, 8.5), yticks=range(0, 9, 2), ylabel="modes",
                             xlabel="training step")
        else:
            curves = _check_progress(*progress)
            _draw_progress((self.loss_ax, self.mode_ax), *curves, window=25, n_modes=8)
            self.loss_ax.set_xlim(0, curves[0].max())
            self.loss_ax.set_xlabel("")
        self._markers = [a.axvline(0, color="k", lw=1.0) for a in (self.loss_ax, self.mode_ax)]
        self._step_text = self.plane.text(0.98, 0.02, "", transform=self.plane.transAxes,
                                          ha="right", va="bottom", fontsize=11, fontweight="bold",
                                          bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none",
                                                    alpha=0.8), zorder=6)
        self._layout_fixed = False
        self._animated = False

    def update(self, frame: GANLabFrame):
        """Show ``frame``; returns the figure (the same object every time)."""
        xs, ys, probs = _check_surface(*frame.surface)
        for artist in (self._shading, self._boundary):
            if artist is not None:
                artist.remove()
        self._shading, self._boundary = _draw_surface(self.plane, xs, ys, probs)
        for artist in (self._shading, self._boundary):
            if artist is not None:
                artist.set_animated(self._animated)
        fake = _check_points("fake", frame.fake)
        self._fake.set_offsets(fake[:self.max_points])
        points = _check_points("arrow_points", frame.arrow_points)
        arrows = _check_points("arrows", frame.arrows)
        if arrows.shape != points.shape:
            raise ValueError(f"arrows must have the shape of arrow_points {points.shape}, got {arrows.shape}")
        uv = _arrow_vectors(arrows, self.arrow_scale, self.max_arrow)
        if self._quiver is None or self._quiver.N != len(points):
            if self._quiver is not None:
                self._quiver.remove()
            self._quiver = self.plane.quiver(points[:, 0], points[:, 1], uv[:, 0], uv[:, 1],
                                             angles="xy", scale_units="xy", scale=1.0, width=0.006,
                                             color="k", zorder=5, animated=self._animated)
        else:
            self._quiver.set_offsets(points)
            self._quiver.set_UVC(uv[:, 0], uv[:, 1])
        lines = _check_lines(frame.lines)
        while len(self._warp) < len(lines):
            self._warp += self.plane.plot([], [], color=WARP_COLOR, lw=0.7, alpha=0.8, zorder=3,
                                          animated=self._animated)
        for line, curve in zip(self._warp, lines, strict=False):  # extra lines are emptied below
            line.set_data(curve[:, 0], curve[:, 1])
        for line in self._warp[len(lines):]:
            line.set_data([], [])
        for marker in self._markers:
            marker.set_xdata([frame.step, frame.step])
        self._step_text.set_text(frame.title or f"step {frame.step:,}")
        if not self._layout_fixed:
            # lay the figure out once, for the first frame, and keep that layout: every frame
            # then lines up with the last, and drawing skips the (slow) constrained layout
            self.fig.canvas.draw()
            self.fig.set_layout_engine("none")
            self._layout_fixed = True
        return self.fig

    def extend_progress(self, steps, d_loss, g_loss, coverage_steps, modes, window: int = 25):
        """Live mode: replace the curves with the run so far."""
        steps, d_loss, g_loss, coverage_steps, modes = _check_progress(
            steps, d_loss, g_loss, coverage_steps, modes)
        for line, values in zip(self._loss_lines, (d_loss, g_loss), strict=True):
            line.set_data(steps, _moving_average(values, window))
        self._mode_line.set_data(coverage_steps, modes)

    def dynamic_artists(self) -> list:
        """The artists :meth:`update` and :meth:`extend_progress` change (for blitting)."""
        artists = [self._shading, self._boundary, self._fake, self._quiver, *self._warp,
                   *self._markers, self._step_text, self._legend]
        if self._live:
            artists += [*self._loss_lines, self._mode_line]
        return [a for a in artists if a is not None]

    def set_animated(self, animated: bool = True) -> None:
        """Mark the dynamic artists (and those made later) as animated: a full draw skips them."""
        self._animated = animated
        for artist in self.dynamic_artists():
            artist.set_animated(animated)
