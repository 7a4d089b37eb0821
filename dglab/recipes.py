"""The GAN recipes the book trains, in one place.

Chapters 4 and 5 train these recipes live, ``scripts/make_gan_checkpoints.py`` trains them to
the end for the shipped checkpoints, ``scripts/measure_gan_seeds.py`` repeats them over seeds,
and the ``slow`` tests in ``tests/test_gan_recipes.py`` check every claim the chapters make
about them. Because all of them import the numbers from here, a claim is always tested on the
recipe the chapter runs.

A recipe is a :class:`dglab.gan.GANRecipe` (network sizes, a
:class:`dglab.gan.GANTrainingConfig` with the batch size and learning rates, and the number of
steps), as :data:`dglab.text_training.LIVE_RUN` is for the LSTM. ``train_*`` functions take the seed of
the GAN (initial weights, mini-batches, noise) and return its :class:`dglab.gan.GANTrainer`; the
data and the evaluation samples stay fixed, as in the chapters.
"""

from __future__ import annotations

import json
from pathlib import Path

from dglab.coverage import ModeCoverage, mode_coverage
from dglab.data import ring_centers, ring_of_gaussians
from dglab.gan import GANModel, GANRecipe, GANTrainer, GANTrainingConfig

__all__ = [
    "SEED", "HQ_RADIUS", "RING", "RING_STEPS", "RING_BATCH", "RING_SNAPSHOTS", "QUICK_RING",
    "QUICK_RING_STEPS", "COLLAPSE", "COLLAPSE_STEPS", "MINIMAX", "LAB_RECIPES", "LAB_STEPS",
    "LATENT_DIMS", "DIGITS", "DIGITS_STEPS",
    "DIGITS_BATCH", "DIGITS_LIVE_STEPS", "ring_data", "quick_ring_data", "train_ring",
    "train_quick_ring", "train_collapse", "ring_coverage", "seed_study", "seed_runs",
]

#: The book's seed: data, evaluation samples and (unless a study varies it) the GAN's seed.
SEED = 0
#: A generated point is high-quality within 3 standard deviations (0.02) of a ring centre.
HQ_RADIUS = 0.06

# -- chapter 5, experiment 1: the ring (and the latent-dimension explorer) ------------------------
RING_DATA = dict(n_samples=4096, random_state=SEED)
RING_STEPS, RING_BATCH = 4000, 128
RING = GANRecipe(latent_dim=2, hidden=128, n_layers=3, n_steps=RING_STEPS,
                 training=GANTrainingConfig(batch_size=RING_BATCH, lr=2e-3, lr_decay_steps=4000))
#: Where chapter 5 looks at the samples during training (the last one is the checkpoint).
RING_SNAPSHOTS = (250, 500, 1000, 2000, 4000)
LATENT_DIMS = (1, 2, 4, 8, 16, 32)

# -- chapter 5, experiment 2: the same recipe with a discriminator 20 times slower ----------------
COLLAPSE_STEPS = 1000  # compared with the healthy run after as many steps
COLLAPSE = RING.replace(d_lr=1e-4, n_steps=COLLAPSE_STEPS)

# -- chapter 5, the training explorer: the two runs above and the saturating minimax loss ----------
#: The ring recipe with the original minimax generator loss log(1 - D(G(z))).
MINIMAX = RING.replace(g_loss="minimax", n_steps=COLLAPSE_STEPS)
#: The explorer's recipes, by the name its selector shows.
LAB_RECIPES = {"healthy": RING, "collapse": COLLAPSE, "minimax": MINIMAX}
#: The explorer's snapshots over the chapter's 1,000 live steps (0 = untrained): every 25 steps at
#: first, where the picture changes fastest, then doubling to 200 and every 200 after (27 frames
#: for the three recipes; each frame costs the page build ~0.1 s, and the later ones change slowly).
LAB_STEPS = (0, 25, 50, 100, *range(200, COLLAPSE_STEPS + 1, 200))

# -- chapter 4: a shorter run of the same networks on a smaller sample of the ring -----------------
QUICK_RING_DATA = dict(n_samples=2000, random_state=SEED)
QUICK_RING_STEPS = 2000
QUICK_RING = GANRecipe(latent_dim=2, hidden=128, n_layers=3, n_steps=QUICK_RING_STEPS,
                       training=GANTrainingConfig(batch_size=RING_BATCH, lr=2e-3, lr_decay_steps=2000))

# -- chapter 5, experiment 3: 8x8 digits ------------------------------------------------------------
DIGITS_STEPS, DIGITS_BATCH = 8000, 128
DIGITS = GANRecipe(latent_dim=32, hidden=256, n_layers=2, output="sigmoid", n_steps=DIGITS_STEPS,
                   training=GANTrainingConfig(batch_size=DIGITS_BATCH, lr=1e-3, lr_decay_steps=8000))
DIGITS_LIVE_STEPS = 1000  # what chapter 5 trains live before loading the checkpoint


def ring_data():
    """Chapter 5's ring: 4,096 points of :func:`dglab.data.ring_of_gaussians`."""
    return ring_of_gaussians(**RING_DATA)[0]


def quick_ring_data():
    """Chapter 4's ring: 2,000 points."""
    return ring_of_gaussians(**QUICK_RING_DATA)[0]


def train_ring(seed: int = SEED, *, latent_dim: int = 2, n_steps: int = RING_STEPS,
               progress: bool = False, device=None) -> GANTrainer:
    """Chapter 5's ring recipe (``latent_dim`` varied by the explorer), ``n_steps`` steps."""
    return RING.replace(latent_dim=latent_dim).train(ring_data(), seed, n_steps=n_steps,
                                                     progress=progress, device=device)


def train_collapse(seed: int = SEED, *, n_steps: int = COLLAPSE_STEPS, progress: bool = False,
                   device=None) -> GANTrainer:
    """Chapter 5's deliberately broken recipe: the ring recipe with ``d_lr=1e-4``."""
    return COLLAPSE.train(ring_data(), seed, n_steps=n_steps, progress=progress, device=device)


def train_quick_ring(seed: int = SEED, *, n_steps: int = QUICK_RING_STEPS, progress: bool = False,
                     device=None) -> GANTrainer:
    """Chapter 4's short run on 2,000 points of the ring."""
    return QUICK_RING.train(quick_ring_data(), seed, n_steps=n_steps, progress=progress,
                            device=device)


def ring_coverage(gan: GANModel | GANTrainer, n: int = 2000, random_state: int = SEED) -> ModeCoverage:
    """Mode coverage of ``n`` samples of a ring GAN, as the chapters measure it."""
    return mode_coverage(gan.sample(n, random_state=random_state), ring_centers(), HQ_RADIUS)


# -- the seed study: what the recipes do over seeds and CPU kernels --------------------------------------
#: Written by ``scripts/measure_gan_seeds.py``.
SEED_STUDY = Path(__file__).resolve().parent / "checkpoints" / "gan_seeds.json"


def seed_study() -> dict:
    """The measured outcome of every recipe per seed and kernel (see ``measure_gan_seeds.py``)."""
    if not SEED_STUDY.is_file():
        raise FileNotFoundError(f"{SEED_STUDY} is missing; run scripts/measure_gan_seeds.py")
    return json.loads(SEED_STUDY.read_text(encoding="utf-8"))


def seed_runs(study: str, kernel: str = "native", step: int | None = None) -> list[dict]:
    """One study's runs in seed order: dicts with ``modes``, ``high_quality``, ``counts`` (and
    ``spread``); ``step`` picks a snapshot of the ring study (e.g. 1000)."""
    table = seed_study()["results"][kernel][study]
    runs = [table[seed] for seed in sorted(table, key=int)]
    return [run[str(step)] for run in runs] if step is not None else runs
