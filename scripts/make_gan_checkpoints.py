"""Regenerate the GAN checkpoints shipped in dglab/checkpoints/, deterministically.

    python scripts/make_gan_checkpoints.py           # retrain everything, write weights + index
    python scripts/make_gan_checkpoints.py --check   # retrain, compare with the index, write nothing
    python scripts/make_gan_checkpoints.py --only gan_ring_latent2

Chapter 5 loads these instead of training seven GANs while it runs:

* ``gan_ring_latent{1,2,4,8,16,32}.pt``: the ring of Gaussians, one GAN per latent dimension
  (the latent-dimension explorer);
* ``gan_digits.pt``: the 8x8 digits (the training half of a fixed split), compared with the
  PCA + Gaussian-mixture baseline.

Every GAN is seeded and trained with one CPU thread, so rerunning the script on the same
machine reproduces the weights bit for bit. ``gan_checkpoints.json`` records each file's recipe,
the SHA-256 of its weights (``dglab.gan.weights_checksum``), the quality measured right after
training, and the CPU seconds it took (informational; it is the only field that changes between
runs). ``--check`` retrains and compares the checksums without touching the files.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import torch
from sklearn.model_selection import train_test_split

from dglab.data import load_digits_scaled, ring_centers, ring_of_gaussians
from dglab.gan import CHECKPOINT_INDEX, CHECKPOINTS, GAN, mode_coverage, weights_checksum
from dglab.metrics import digits_frechet_distance

# -- recipes (chapter 5 and benchmarks/bench_gan.py use the same numbers) ---------------------------
SEED = 0
RING_DATA = dict(n_samples=4096, random_state=SEED)
RING_GAN = dict(hidden=128, n_layers=3, lr=2e-3, lr_decay_steps=4000, betas=(0.5, 0.999))
RING_STEPS, RING_BATCH = 4000, 128
LATENT_DIMS = (1, 2, 4, 8, 16, 32)
RING_EVAL = dict(n=2000, random_state=SEED, radius=0.06)  # radius: 3 std of the ring's Gaussians

DIGITS_SPLIT = dict(test_size=0.5, random_state=SEED)  # stratified on the digit label
DIGITS_GAN = dict(latent_dim=32, hidden=256, n_layers=2, output="sigmoid", lr=1e-3,
                  lr_decay_steps=8000, betas=(0.5, 0.999))
DIGITS_STEPS, DIGITS_BATCH = 8000, 128
DIGITS_EVAL = dict(random_state=SEED)  # as many samples as held-out digits


def ring_data():
    return ring_of_gaussians(**RING_DATA)[0]


def digits_split():
    """(X_train, X_test, y_train, y_test): the halves every digits model in the book uses."""
    X, y = load_digits_scaled()
    return train_test_split(X, y, stratify=y, **DIGITS_SPLIT)


def train_ring(latent_dim: int, n_steps: int = RING_STEPS, progress: bool = False) -> GAN:
    gan = GAN(data_dim=2, latent_dim=latent_dim, random_state=SEED, **RING_GAN)
    return gan.fit(ring_data(), n_steps=n_steps, batch_size=RING_BATCH, progress=progress)


def train_digits(n_steps: int = DIGITS_STEPS, progress: bool = False) -> GAN:
    X_train = digits_split()[0]
    gan = GAN(data_dim=64, random_state=SEED, **DIGITS_GAN)
    return gan.fit(X_train, n_steps=n_steps, batch_size=DIGITS_BATCH, progress=progress)


def ring_quality(gan: GAN) -> dict:
    samples = gan.sample(RING_EVAL["n"], random_state=RING_EVAL["random_state"])
    coverage = mode_coverage(samples, ring_centers(), RING_EVAL["radius"])
    return {"modes_covered": coverage.n_covered, "high_quality": round(coverage.high_quality, 4),
            "evaluated_on": f"sample(2000, random_state={SEED}); radius 0.06 around ring_centers()"}


def digits_quality(gan: GAN) -> dict:
    X_test = digits_split()[1]
    samples = gan.sample(len(X_test), **DIGITS_EVAL)
    return {"frechet_distance": round(digits_frechet_distance(samples, X_test), 4),
            "evaluated_on": f"sample(len(X_test), random_state={SEED}) vs the held-out half"}


def recipes() -> dict:
    """name -> (train function, quality function, recipe written to the index)."""
    table = {}
    for d in LATENT_DIMS:
        table[f"gan_ring_latent{d}"] = (
            lambda d=d: train_ring(d), ring_quality,
            {"data": f"ring_of_gaussians(**{RING_DATA})", "gan": {**RING_GAN, "latent_dim": d},
             "n_steps": RING_STEPS, "batch_size": RING_BATCH, "random_state": SEED},
        )
    table["gan_digits"] = (
        train_digits, digits_quality,
        {"data": f"load_digits_scaled(), training half of train_test_split(stratify=y, **{DIGITS_SPLIT})",
         "gan": DIGITS_GAN, "n_steps": DIGITS_STEPS, "batch_size": DIGITS_BATCH,
         "random_state": SEED},
    )
    return table


def _jsonable(value):
    return json.loads(json.dumps(value, default=list))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="retrain and compare weights with the index; write nothing")
    parser.add_argument("--only", nargs="*", default=None, help="checkpoint names to (re)make")
    args = parser.parse_args(argv)
    table = recipes()
    names = args.only or list(table)
    unknown = set(names) - set(table)
    if unknown:
        parser.error(f"unknown checkpoints {sorted(unknown)}; available: {list(table)}")

    index = json.loads(CHECKPOINT_INDEX.read_text()) if CHECKPOINT_INDEX.is_file() else {}
    entries = index.get("checkpoints", {})
    CHECKPOINTS.mkdir(exist_ok=True)
    mismatches = 0
    for name in names:
        train, quality, recipe = table[name]
        start = time.process_time()
        gan = train()
        seconds = time.process_time() - start
        checksum = weights_checksum(gan)
        if args.check:
            expected = entries.get(name, {}).get("weights_sha256")
            same = checksum == expected
            mismatches += not same
            print(f"{name}: {'identical' if same else 'DIFFERENT'} weights ({seconds:.1f} s CPU)")
            continue
        path = gan.save(CHECKPOINTS / f"{name}.pt")
        entries[name] = {
            "file": path.name,
            "weights_sha256": checksum,
            "recipe": _jsonable(recipe),
            "quality": quality(gan),
            "train_cpu_seconds": round(seconds, 1),
        }
        print(f"{name}: {entries[name]['quality']} in {seconds:.1f} s CPU -> {path.name} "
              f"({path.stat().st_size / 1024:.0f} KiB)")
    if args.check:
        return 1 if mismatches else 0
    index = {"torch_version": torch.__version__, "checkpoints": dict(sorted(entries.items()))}
    CHECKPOINT_INDEX.write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    total = sum((CHECKPOINTS / e["file"]).stat().st_size for e in entries.values())
    print(f"{len(entries)} checkpoints, {total / 2**20:.2f} MiB in total -> {CHECKPOINT_INDEX.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
