"""Chapter 5's training explorer: live-mode frame rate, explorer render time and weight.

* Live mode (``dglab.gan_lab.LiveGANLab``, headless: frames rendered to PNG bytes, no
  notebook front end): frames per second while training the healthy recipe, 10 steps per
  frame; goal >= 5 frames per second on 2 CPU cores.
* Explorer: seconds to render the chapter's frames (steps x recipes, every 50 steps of 1,000)
  from snapshots, and the size of the static scrubber's HTML (goal: the chapter page < 15 MB).

Wall-clock seconds: on a busy machine they inflate.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.common import Row

LIVE_GOAL_FPS = 5.0
LIVE_FRAMES = 40


def _live_rows() -> list[Row]:
    from dglab.gan_lab import LiveGANLab
    from dglab.plots import set_style
    from dglab.recipes import RING, ring_data

    set_style()
    lab = LiveGANLab(ring_data(), RING, n_steps=10 * LIVE_FRAMES + 1, steps_per_frame=10)
    lab.run(n_frames=2, display=False)  # warm-up: the first frame lays out and draws everything
    lab.frame_seconds.clear()
    cpu = time.process_time()
    lab.run(n_frames=LIVE_FRAMES, display=False)
    cpu = time.process_time() - cpu
    fps = lab.fps
    # the live mode uses one thread: frames per CPU second is its rate on an idle core
    return [Row("GAN lab: live mode frame rate", fps, "frames/s", f">= {LIVE_GOAL_FPS:.0f}",
                fps >= LIVE_GOAL_FPS, f"{LIVE_FRAMES} frames of 10 steps, headless, median frame "
                f"{1000 * np.median(lab.frame_seconds):.0f} ms; {LIVE_FRAMES / cpu:.1f} frames "
                "per CPU second")]


def _explorer_rows() -> list[Row]:
    from dglab.gan import GANSnapshots
    from dglab.gan_lab import lab_frame, snapshot_modes
    from dglab.plots import set_style
    from dglab.plots.gan_lab import GANLabView
    from dglab.recipes import LAB_RECIPES, LAB_STEPS, SEED, ring_data
    from dglab.widgets import Param, explore

    set_style()
    X = ring_data()
    start = time.perf_counter()
    runs = {}
    for name, recipe in LAB_RECIPES.items():
        snaps = GANSnapshots(LAB_STEPS)
        gan = recipe.train(X, SEED, n_steps=LAB_STEPS[-1], progress=False, callbacks=[snaps])
        runs[name] = (gan, snaps)
    train = time.perf_counter() - start
    start = time.perf_counter()
    views, frames = {}, {}
    for name, (gan, snaps) in runs.items():
        modes = snapshot_modes(snaps)
        h = gan.history_
        views[name] = GANLabView(X, (np.asarray(h.steps) + 1, h["d_loss"], h["g_loss"], list(modes),
                                     list(modes.values())))
        frames.update({(name, s): lab_frame(snaps[s]) for s in LAB_STEPS})
    html = explore(lambda step, recipe: views[recipe].update(frames[recipe, step]), title="bench",
                   step=Param(LAB_STEPS), recipe=Param(list(LAB_RECIPES))).to_html()
    render = time.perf_counter() - start
    n = len(LAB_STEPS) * len(LAB_RECIPES)
    return [
        Row("GAN lab: training the 3 recipes with snapshots", train, "s", "",
            None, f"{LAB_STEPS[-1]} steps each; the chapter reuses 2 of these runs"),
        Row("GAN lab: computing and rendering the frames", render, "s", "", None,
            f"{n} frames, {1000 * render / n:.0f} ms each"),
        Row("GAN lab: explorer HTML", len(html) / 1e6, "MB", "< 15 MB page", len(html) < 15e6),
    ]


def run() -> list[Row]:
    return _live_rows() + _explorer_rows()
