"""GANs (chapters 4-5): ring coverage and time, digits Fréchet distances, chapter run times.

* Ring: the chapter-5 recipe (the one the shipped checkpoints use) must cover 8/8 modes with
  >= 90 % high-quality samples in <= 15 s on 2 CPU cores.
* Digits: the GAN's Fréchet distance (classifier features, held-out half) against PCA + a
  Gaussian mixture and against the real-vs-real floor, with training times; goal: the GAN
  within 2x of the baseline's distance in <= 60 s of training.
* Chapters 4 and 5 each execute in <= 30 s.

Seconds are wall-clock; CPU seconds are in the notes (on a busy machine wall time inflates).
BLAS runs on one thread, as in the chapters: the matrices are small, and on a busy machine
extra BLAS threads slow scikit-learn's fits down many times over. The GANs train on one torch
thread (``GANTrainer(n_threads=1)``, the default) for the same reason.
"""

from __future__ import annotations

import time

import numpy as np
from sklearn.decomposition import PCA
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from benchmarks.common import Row, chapter_rows
from coursetools import course
from dglab.metrics import digits_frechet_distance

RING_BUDGET_S = 15.0
DIGITS_BUDGET_S = 60.0
CHAPTERS = ("04_generative_models", "05_gans")


def _recipes():
    """The training recipes of scripts/make_gan_checkpoints.py (one source of truth)."""
    return course.load_script("make_gan_checkpoints")


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _ring_rows(recipes) -> list[Row]:
    gan, wall, cpu = _timed(lambda: recipes.train_ring(latent_dim=2))
    quality = recipes.ring_quality(gan)
    steps = f"{recipes.RING_STEPS} steps, batch {recipes.RING_BATCH}"
    return [
        Row("GAN ring: modes covered (of 8)", quality["modes_covered"], "modes", "8",
            quality["modes_covered"] == 8, "HQ radius 0.06 = 3 std, >= 1 % of samples"),
        Row("GAN ring: high-quality share", quality["high_quality"], "share", ">= 0.90",
            quality["high_quality"] >= 0.90),
        Row("GAN ring: training time", wall, "s", f"<= {RING_BUDGET_S:.0f} s",
            wall <= RING_BUDGET_S, f"{steps}; {cpu:.1f} s CPU"),
    ]


def _digits_rows(recipes) -> list[Row]:
    X_train, X_test, _, _ = recipes.digits_split()
    floor = digits_frechet_distance(X_train, X_test)

    def baseline():
        pca = PCA(n_components=0.95, random_state=recipes.SEED).fit(X_train)
        gmm = GaussianMixture(n_components=10, random_state=recipes.SEED)
        gmm.fit(pca.transform(X_train))
        return pca, gmm

    (pca, gmm), base_wall, base_cpu = _timed(baseline)
    codes, _ = gmm.sample(len(X_test))
    base_fd = digits_frechet_distance(np.clip(pca.inverse_transform(codes), 0, 1), X_test)

    gan, gan_wall, gan_cpu = _timed(lambda: recipes.train_digits())
    gan_fd = recipes.digits_quality(gan)["frechet_distance"]
    ratio = gan_fd / base_fd
    return [
        Row("digits FD: real vs real (floor)", floor, "FD", note="training half vs held-out half"),
        Row("digits FD: PCA + GMM baseline", base_fd, "FD",
            note=f"PCA 95 % variance ({pca.n_components_} comps) + 10 Gaussians; "
                 f"fit {base_wall:.2f} s ({base_cpu:.2f} s CPU)"),
        Row("digits FD: GAN", gan_fd, "FD", note=f"{recipes.DIGITS_STEPS} steps, batch "
            f"{recipes.DIGITS_BATCH}, {recipes.DIGITS_GAN}"),
        Row("digits FD: GAN / baseline", ratio, "ratio", "<= 2", ratio <= 2.0),
        Row("digits: GAN training time", gan_wall, "s", f"<= {DIGITS_BUDGET_S:.0f} s",
            gan_wall <= DIGITS_BUDGET_S, f"{gan_cpu:.1f} s CPU"),
    ]


def run() -> list[Row]:
    recipes = _recipes()
    with threadpool_limits(limits=1, user_api="blas"):
        rows = _ring_rows(recipes) + _digits_rows(recipes)
    return rows + chapter_rows(CHAPTERS)
