"""Repeat the book's GAN recipes over several seeds and CPU kernels; write the spread.

    python scripts/measure_gan_seeds.py              # every study, seeds 0-4, ~10 min on 2 cores
    python scripts/measure_gan_seeds.py --workers 1  # one process at a time

A GAN's outcome depends on its seed, and on the CPU: another CPU (or PyTorch's generic kernels,
``ATEN_CPU_CAPABILITY=default``) rounds differently, and a chaotic game amplifies the difference
until the run is effectively another seed. So the chapters state what a recipe does *over seeds*,
from the table this script writes to ``dglab/checkpoints/gan_seeds.json``:

* ``ring``: chapter 5's ring recipe (``dglab.recipes.RING``), mode coverage after each of
  ``RING_SNAPSHOTS`` steps, per seed, on this machine's kernels and on the generic ones;
* ``collapse``: the same recipe with a discriminator 20 times slower, after ``COLLAPSE_STEPS``;
* ``quick_ring``: chapter 4's shorter run;
* ``latent``: the ring recipe for every latent dimension of chapter 5's explorer (this machine's
  kernels only).

The seed varies the GAN (initial weights, mini-batches, noise); data and evaluation samples are
the chapters'. Each kernel setting runs in its own subprocess, because PyTorch reads
``ATEN_CPU_CAPABILITY`` once, when it is imported. The ``slow`` tests in
``tests/test_gan_recipes.py`` re-run part of this and assert the chapters' claims.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "dglab" / "checkpoints" / "gan_seeds.json"
SEEDS = (0, 1, 2, 3, 4)
KERNELS = {"native": None, "generic": "default"}  # label -> ATEN_CPU_CAPABILITY


def jobs(seeds) -> list[tuple[str, str, int, int]]:
    """(kernel, study, seed, latent_dim) for every run."""
    from dglab.recipes import LATENT_DIMS

    out = []
    for kernel in KERNELS:
        for seed in seeds:
            out += [(kernel, "ring", seed, 2), (kernel, "collapse", seed, 2),
                    (kernel, "quick_ring", seed, 2)]
    out += [("native", "latent", seed, d) for d in LATENT_DIMS if d != 2 for seed in seeds]
    return out


def _coverage_row(gan, X=None) -> dict:
    from dglab import recipes

    coverage = recipes.ring_coverage(gan)
    row = {"modes": coverage.n_covered, "high_quality": round(coverage.high_quality, 4),
           "counts": list(coverage.counts)}
    if X is not None:  # how far the samples spread, against the data's spread
        samples = gan.sample(2000, random_state=recipes.SEED)
        row["spread"] = round(float(samples.std(axis=0).mean()), 4)
    return row


def run_job(study: str, seed: int, latent_dim: int) -> dict:
    """One training run of a study; returns its measurements."""
    from dglab import recipes

    if study in ("ring", "latent"):
        gan, out = None, {}
        for stop in recipes.RING_SNAPSHOTS if study == "ring" else (recipes.RING_STEPS,):
            if gan is None:
                gan = recipes.train_ring(seed, latent_dim=latent_dim, n_steps=stop)
            else:
                gan.fit(recipes.ring_data(), n_steps=stop - gan.n_steps_,
                        batch_size=recipes.RING_BATCH, warm_start=True, progress=False)
            out[str(stop)] = _coverage_row(gan, X=recipes.ring_data())
        return out
    if study == "collapse":
        return _coverage_row(recipes.train_collapse(seed), X=recipes.ring_data())
    if study == "quick_ring":
        return _coverage_row(recipes.train_quick_ring(seed))
    raise ValueError(f"unknown study {study!r}")


def _child(job_list: list) -> None:
    for _kernel, study, seed, latent_dim in job_list:
        result = run_job(study, seed, latent_dim)
        print(json.dumps([study, seed, latent_dim, result]), flush=True)


def _run_chunk(kernel: str, chunk: list) -> list:
    env = dict(os.environ)
    env.pop("ATEN_CPU_CAPABILITY", None)
    if KERNELS[kernel]:
        env["ATEN_CPU_CAPABILITY"] = KERNELS[kernel]
    proc = subprocess.run([sys.executable, __file__, "--child", json.dumps(chunk)], env=env,
                          capture_output=True, text=True, check=True)
    return [(kernel, *json.loads(line)) for line in proc.stdout.splitlines() if line.startswith("[")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="processes at a time")
    parser.add_argument("--seeds", type=int, nargs="*", default=list(SEEDS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(json.loads(args.child))
        return 0

    todo = jobs(args.seeds)
    # one chunk per (kernel, study, latent dimension): a few processes, each importing torch once
    groups = {}
    for job in todo:
        groups.setdefault((job[0], job[1], job[3]), []).append(job)
    chunks = sorted(groups.values(), key=lambda c: c[0][1] == "collapse")
    results = {kernel: {} for kernel in KERNELS}
    with ThreadPoolExecutor(args.workers) as pool:
        for rows in pool.map(lambda chunk: _run_chunk(chunk[0][0], chunk), chunks):
            for kernel, study, seed, latent_dim, result in rows:
                key = f"latent{latent_dim}" if study == "latent" else study
                results[kernel].setdefault(key, {})[str(seed)] = result
                print(kernel, key, seed, json.dumps(result)[:160], flush=True)
    for seed in args.seeds:  # the ring study is the latent-dimension-2 run
        results["native"].setdefault("latent2", {})[str(seed)] = {
            "4000": results["native"]["ring"][str(seed)]["4000"]}
    import torch

    OUT.write_text(json.dumps({
        "torch_version": torch.__version__, "machine": platform.machine(), "seeds": args.seeds,
        "kernels": {k: v or "this machine's" for k, v in KERNELS.items()},
        "results": results,
    }, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"-> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
