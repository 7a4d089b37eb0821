"""Repeat the book's GAN recipes over several seeds and CPU kernels; write the spread.

    python scripts/measure_gan_seeds.py               # every study; ~8 min of CPU, 2 processes
    python scripts/measure_gan_seeds.py --assemble    # write the table from the runs done so far

Each finished run is appended to ``gan_seeds.jsonl`` next to the table, so an interrupted
study loses nothing: run it again and it skips what is done.

A GAN's outcome depends on its seed, and on the CPU: another CPU (or PyTorch's generic kernels,
``ATEN_CPU_CAPABILITY=default``) rounds differently, and a chaotic game amplifies the difference
until the run is effectively another seed. So the chapters state what a recipe does *over seeds*,
from the table this script writes to ``dglab/checkpoints/gan_seeds.json``:

* ``ring``: chapter 5's ring recipe (``dglab.recipes.RING``), mode coverage after each of
  ``RING_SNAPSHOTS`` steps, per seed, on this machine's kernels and on the generic ones;
* ``collapse``: the same recipe with a discriminator 20 times slower, after ``COLLAPSE_STEPS``;
* ``quick_ring``: chapter 4's shorter run;
* ``latent``: the ring recipe for every latent dimension of chapter 5's explorer (this machine's
  kernels, seeds 0-2 only: the explorer shows one run per dimension and only says what varies).

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
RUNS = OUT.with_suffix(".jsonl")
SEEDS = (0, 1, 2, 3, 4)
LATENT_SEEDS = (0, 1, 2)
KERNELS = {"native": None, "generic": "default"}  # label -> ATEN_CPU_CAPABILITY


def jobs(seeds, kernels=tuple(KERNELS)) -> list[tuple[str, str, int, int]]:
    """(kernel, study, seed, latent_dim) for every run."""
    from dglab.recipes import LATENT_DIMS

    out = []
    for kernel in kernels:
        for seed in seeds:
            out += [(kernel, "ring", seed, 2), (kernel, "collapse", seed, 2),
                    (kernel, "quick_ring", seed, 2)]
    out += [("native", "latent", seed, d) for d in LATENT_DIMS if d != 2
            for seed in seeds if seed in LATENT_SEEDS]
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
                gan.train(stop - gan.steps_done, progress=False)  # continues the same run
            out[str(stop)] = _coverage_row(gan, X=recipes.ring_data())
        return out
    if study == "collapse":
        return _coverage_row(recipes.train_collapse(seed), X=recipes.ring_data())
    if study == "quick_ring":
        return _coverage_row(recipes.train_quick_ring(seed))
    raise ValueError(f"unknown study {study!r}")


def _child(job_list: list) -> None:
    for kernel, study, seed, latent_dim in job_list:
        result = run_job(study, seed, latent_dim)
        line = json.dumps([kernel, study, seed, latent_dim, result])
        with RUNS.open("a", encoding="utf-8") as f:  # one short append per run
            f.write(line + "\n")
        print(line, flush=True)


def _run_chunk(kernel: str, chunk: list) -> None:
    env = dict(os.environ)
    env.pop("ATEN_CPU_CAPABILITY", None)
    if KERNELS[kernel]:
        env["ATEN_CPU_CAPABILITY"] = KERNELS[kernel]
    subprocess.run([sys.executable, __file__, "--child", json.dumps(chunk)], env=env, check=True)


def _done() -> list:
    if not RUNS.is_file():
        return []
    return [json.loads(line) for line in RUNS.read_text(encoding="utf-8").splitlines() if line]


def assemble(seeds) -> None:
    """Write the table from every run recorded so far."""
    import torch

    results = {}
    for kernel, study, seed, latent_dim, result in _done():
        key = f"latent{latent_dim}" if study == "latent" else study
        results.setdefault(kernel, {}).setdefault(key, {})[str(seed)] = result
    for seed, run in results.get("native", {}).get("ring", {}).items():  # the latent-dimension-2 runs
        if int(seed) in LATENT_SEEDS:
            results["native"].setdefault("latent2", {})[seed] = {"4000": run["4000"]}
    OUT.write_text(json.dumps({
        "torch_version": torch.__version__, "machine": platform.machine(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(), "seeds": list(seeds),
        "kernels": {k: v or "this machine's" for k, v in KERNELS.items() if k in results},
        "results": results,
    }, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"-> {OUT}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="processes at a time")
    parser.add_argument("--seeds", type=int, nargs="*", default=list(SEEDS))
    parser.add_argument("--kernels", nargs="*", default=list(KERNELS), choices=list(KERNELS),
                        help="which CPU kernels to measure (default: both)")
    parser.add_argument("--split", action="store_true",
                        help="one process per run (more parallel, each imports torch)")
    parser.add_argument("--assemble", action="store_true",
                        help="only write the table from the runs recorded so far")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(json.loads(args.child))
        return 0

    if args.assemble:
        assemble(args.seeds)
        return 0
    done = {tuple(run[:4]) for run in _done()}
    todo = [job for job in jobs(args.seeds, args.kernels) if tuple(job) not in done]
    # one chunk per (kernel, study, latent dimension): a few processes, each importing torch once;
    # the latent-dimension studies last
    groups = {}
    for job in todo:
        groups.setdefault((job[0], job[1], job[3]) + ((job[2],) if args.split else ()), []).append(job)
    chunks = sorted(groups.values(), key=lambda c: c[0][1] == "latent")
    with ThreadPoolExecutor(args.workers) as pool:
        list(pool.map(lambda chunk: _run_chunk(chunk[0][0], chunk), chunks))
    assemble(args.seeds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
