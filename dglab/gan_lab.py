"""Watch a GAN learn: the frames of chapter 5's training explorer, and its live mode.

A frame is what :class:`dglab.plots.gan_lab.GANLabView` draws for one training step: the
discriminator's D(x) over the plane, generated samples, the generator's gradient at some of
them and the image of a grid of latent points. :func:`lab_frame` computes it from a
:class:`dglab.gan.GANSnapshot` (recorded during training by :class:`dglab.gan.GANSnapshots`);
:class:`LiveGANLab` trains in the kernel and redraws the same view as it goes (JupyterLab).
"""

from __future__ import annotations

import io
import time

import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from dglab._validation import check_int
from dglab.coverage import mode_coverage
from dglab.data import ring_centers
from dglab.gan import (
    GANRecipe,
    GANSnapshot,
    GANSnapshots,
    _torch_threads,
    discriminator_surface,
    generator_gradient,
    latent_grid_lines,
)
from dglab.plots.gan_lab import GANLabFrame, GANLabView

__all__ = ["lab_frame", "snapshot_modes", "saturation", "LiveGANLab", "train_live"]

#: The chapters' high-quality radius around a ring centre (three standard deviations).
HQ_RADIUS = 0.06


def lab_frame(snapshot: GANSnapshot, *, n_samples: int = 400, n_arrows: int = 40,
              lim: float = 3.0, resolution: int = 60, random_state: int = 0,
              title: str = "") -> GANLabFrame:
    """The frame of ``snapshot``: D's surface, ``n_samples`` generated points, the generator's
    gradient at the first ``n_arrows`` of them, and the warped latent grid."""
    # one torch thread: these small networks gain nothing from more, and lose a lot on a busy CPU
    with _torch_threads(1):
        return _lab_frame(snapshot, n_samples, n_arrows, lim, resolution, random_state, title)


def _lab_frame(snapshot, n_samples, n_arrows, lim, resolution, random_state, title):
    fake = snapshot.sample(n_samples, random_state=random_state)
    points = fake[:n_arrows]
    return GANLabFrame(
        step=snapshot.step,
        surface=discriminator_surface(snapshot.discriminator, lim=lim, resolution=resolution),
        fake=fake,
        arrow_points=points,
        arrows=generator_gradient(snapshot.discriminator, points, snapshot.g_loss),
        lines=latent_grid_lines(snapshot.generator, n_lines=9 if snapshot.generator.config.latent_dim > 1 else 1),
        title=title,
    )


def snapshot_modes(snapshots: GANSnapshots, n: int = 2000, random_state: int = 0) -> dict[int, int]:
    """Modes of the ring covered at each recorded step (the chapters' measure, ``n`` samples)."""
    centers = ring_centers()
    with _torch_threads(1):
        return {step: mode_coverage(snap.sample(n, random_state), centers, HQ_RADIUS).n_covered
                for step, snap in sorted(snapshots.snapshots_.items())}


def saturation(snapshot: GANSnapshot, n: int = 400, random_state: int = 0,
               tiny: float = 0.01) -> dict[str, float]:
    """How much the generator still learns at ``n`` of its samples: the median D(G(z)), and the
    share of samples whose generator gradient (:func:`dglab.gan.generator_gradient`, with the
    snapshot's loss) is shorter than ``tiny``."""
    with _torch_threads(1):
        fake = snapshot.sample(n, random_state=random_state)
        with torch.no_grad():
            logits = snapshot.discriminator(torch.as_tensor(fake, dtype=torch.float32))
        arrows = generator_gradient(snapshot.discriminator, fake, snapshot.g_loss)
    lengths = np.linalg.norm(arrows, axis=1)
    return {"median_d_fake": float(np.median(torch.sigmoid(logits).numpy())),
            "tiny_share": float(np.mean(lengths < tiny))}


class LiveGANLab:
    """Train a GAN on the ring in the kernel and redraw the training view after every few steps.

    The figure is built once; each frame trains ``steps_per_frame`` steps, moves the view's
    artists (:meth:`GANLabView.update`) and renders the figure into an ``ipywidgets.Image``.

    Parameters
    ----------
    X : array-like of shape (n, 2)
        The training data (the ring).
    recipe : GANRecipe
        What to train (one of :data:`dglab.recipes.LAB_RECIPES`); its batch size is used.
    n_steps : int
        Training steps in all.
    steps_per_frame : int
        Steps between two redraws.
    random_state : int
        The GAN's seed.
    dpi : int
        Resolution of the rendered frames (1 image pixel per CSS pixel at 80).
    """

    def __init__(self, X, recipe: GANRecipe, *, n_steps: int = 1000, steps_per_frame: int = 10,
                 random_state: int = 0, dpi: int = 80, arrow_scale: float = 0.4):
        if not isinstance(recipe, GANRecipe):
            raise TypeError(f"recipe must be a GANRecipe, got {type(recipe).__name__}")
        self.X = np.asarray(X, dtype=np.float32)
        self.trainer = recipe.trainer(self.X, random_state=random_state)
        self.n_steps = check_int("n_steps", n_steps, minimum=1)
        self.steps_per_frame = check_int("steps_per_frame", steps_per_frame, minimum=1)
        self.dpi = dpi
        loss_range = (-1.5, 3.0) if recipe.training.g_loss == "minimax" else (0.0, 3.0)
        self.view = GANLabView(self.X, None, n_steps=self.n_steps, arrow_scale=arrow_scale,
                               loss_range=loss_range)
        self.canvas = FigureCanvasAgg(self.view.fig)  # a pixel buffer we encode ourselves
        self.canvas.figure.set_dpi(dpi)
        self._background = None
        self.image = None
        self._modes: dict[int, int] = {}
        self.frame_seconds: list[float] = []

    def _train(self, n: int) -> None:
        self.trainer.train(n, progress=False)

    def _current(self) -> GANSnapshot:
        # the live networks themselves (no copy needed: nothing trains while we draw)
        t = self.trainer
        return GANSnapshot(t.steps_done, t.generator.eval(), t.discriminator.eval(), t.config.g_loss)

    def render(self) -> bytes:
        """Update the view to the GAN's current state; the frame as PNG bytes."""
        snap = self._current()
        frame = lab_frame(snap, n_samples=300, n_arrows=30, resolution=40)
        with _torch_threads(1):
            samples = snap.sample(1000)
        self._modes[snap.step] = mode_coverage(samples, ring_centers(), HQ_RADIUS).n_covered
        history = self.trainer.history_
        steps = np.asarray(history.steps) + 1
        self.view.extend_progress(steps, history["d_loss"], history["g_loss"],
                                  list(self._modes), list(self._modes.values()))
        fig = self.view.update(frame)
        # Blitting: the axes, ticks, labels and data never change, so they are drawn once into
        # a background; each frame restores it and draws only the artists that move.
        if self._background is None:
            self.view.set_animated(True)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(fig.bbox)
        self.canvas.restore_region(self._background)
        for artist in self.view.dynamic_artists():
            fig.draw_artist(artist)
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(fig.canvas.buffer_rgba())[..., :3]).save(
            buffer, format="png", compress_level=1)
        self.trainer.generator.train()
        self.trainer.discriminator.train()
        return buffer.getvalue()

    def run(self, n_frames: int | None = None, *, display: bool = True) -> LiveGANLab:
        """Train and redraw, ``n_frames`` frames (default: until ``n_steps``); returns self.

        With ``display=True`` the frames go to an ``ipywidgets.Image`` shown in the notebook;
        ``display=False`` renders headless (tests, benchmarks). ``frame_seconds`` records the
        wall-clock time of every frame (training and drawing).
        """
        if display and self.image is None:
            import ipywidgets as widgets
            from IPython.display import display as show

            self.image = widgets.Image(format="png")
            show(self.image)
        if self.trainer.steps_done == 0:
            self._train(1)  # as before the trainer idiom: the first frame shows step 1
        total = -(-(self.n_steps - self.trainer.steps_done) // self.steps_per_frame)
        n_frames = total if n_frames is None else min(int(n_frames), total)
        for _ in range(n_frames):
            start = time.perf_counter()
            self._train(min(self.steps_per_frame, self.n_steps - self.trainer.steps_done))
            png = self.render()
            if self.image is not None:
                self.image.value = png
            self.frame_seconds.append(time.perf_counter() - start)
        return self

    @property
    def fps(self) -> float:
        """Frames per second over the frames drawn so far."""
        return len(self.frame_seconds) / sum(self.frame_seconds) if self.frame_seconds else 0.0


def train_live(recipe: str = "healthy", n_steps: int = 1000, steps_per_frame: int = 10,
               random_state: int = 0) -> LiveGANLab:
    """Train one of chapter 5's recipes on the ring live, redrawing the view (JupyterLab)."""
    from dglab.recipes import LAB_RECIPES, ring_data

    if recipe not in LAB_RECIPES:
        raise ValueError(f"recipe must be one of {list(LAB_RECIPES)}, got {recipe!r}")
    lab = LiveGANLab(ring_data(), LAB_RECIPES[recipe], n_steps=n_steps,
                     steps_per_frame=steps_per_frame, random_state=random_state)
    return lab.run()
