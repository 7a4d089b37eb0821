"""Regenerate the GAN checkpoints shipped in dglab/checkpoints/, deterministically.

    python scripts/make_gan_checkpoints.py            # retrain everything, write weights + index
    python scripts/make_gan_checkpoints.py --verify   # retrain, compare with the index, write nothing
    python scripts/make_gan_checkpoints.py --only gan_ring_latent2

Chapter 5 loads these instead of training seven GANs while it runs:

* ``gan_ring_latent{1,2,4,8,16,32}.pt``: the ring of Gaussians, one GAN per latent dimension
  (the latent-dimension explorer);
* ``gan_digits.pt``: the 8x8 digits (the training half of a fixed split), compared with the
  PCA + Gaussian-mixture baseline.

The recipes are ``dglab.recipes``' (the chapters train the same ones live). Every GAN is seeded
and trained with one CPU thread. ``gan_checkpoints.json`` records each file's recipe, the
SHA-256 of its weights (``dglab.checkpoints.weights_checksum``), the quality measured right after
training, the CPU kind that made it, and the CPU seconds it took.

``--verify`` retrains and compares the weights bit for bit with the recorded checksums, without
touching the files. **It is only valid on the CPU kind that made the files** (the index records
it): another CPU, or PyTorch's generic kernels, rounds differently, and a GAN's training amplifies
a last-bit difference into different weights. What holds on every machine is the quality:
``tests/test_gan_checkpoints.py`` checks that each shipped file still reaches its recorded
coverage or distance, and ``tests/test_gan_recipes.py`` that the recipes reach the chapters'
claims for several seeds and under the generic kernels.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time

import torch
from sklearn.model_selection import train_test_split

from dglab import recipes as book
from dglab.checkpoints import CHECKPOINT_INDEX, CHECKPOINTS, weights_checksum
from dglab.data import load_digits_scaled
from dglab.gan import GANModel, GANTrainer
from dglab.metrics import digits_frechet_distance
from dglab.recipes import (
    DIGITS_BATCH,
    DIGITS_STEPS,
    LATENT_DIMS,
    RING_BATCH,
    RING_DATA,
    RING_STEPS,
    SEED,
    ring_data,  # noqa: F401  (re-exported: tests and the benchmark call script.ring_data)
)

RING_GAN = ({k: v for k, v in book.RING.settings().items() if k != "latent_dim"}
            | dict(betas=book.RING.training.betas))
RING_EVAL = dict(n=2000, random_state=SEED, radius=book.HQ_RADIUS)
DIGITS_SPLIT = dict(test_size=0.5, random_state=SEED)  # stratified on the digit label
DIGITS_GAN = book.DIGITS.settings() | dict(betas=book.DIGITS.training.betas)
DIGITS_EVAL = dict(random_state=SEED)  # as many samples as held-out digits


def digits_split():
    """(X_train, X_test, y_train, y_test): the halves every digits model in the book uses."""
    X, y = load_digits_scaled()
    return train_test_split(X, y, stratify=y, **DIGITS_SPLIT)


def train_ring(latent_dim: int, n_steps: int = RING_STEPS, progress: bool = False) -> GANTrainer:
    return book.train_ring(SEED, latent_dim=latent_dim, n_steps=n_steps, progress=progress)


def train_digits(n_steps: int = DIGITS_STEPS, progress: bool = False) -> GANTrainer:
    X_train = digits_split()[0]
    return book.DIGITS.train(X_train, SEED, n_steps=n_steps, progress=progress)


def ring_quality(gan: GANModel | GANTrainer) -> dict:
    coverage = book.ring_coverage(gan, RING_EVAL["n"], RING_EVAL["random_state"])
    return {"modes_covered": coverage.n_covered, "high_quality": round(coverage.high_quality, 4),
            "evaluated_on": f"sample(2000, random_state={SEED}); radius 0.06 around ring_centers()"}


def digits_quality(gan: GANModel | GANTrainer) -> dict:
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


def cpu_kind() -> str:
    """The CPU kind that decides the bits: architecture and PyTorch's kernel capability."""
    return f"{platform.machine()} {torch.backends.cpu.get_cpu_capability()}"


def _jsonable(value):
    return json.loads(json.dumps(value, default=list))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verify", action="store_true",
                        help="retrain and compare weights bit for bit with the index; write nothing "
                             "(valid only on the CPU kind that made the files)")
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
        if args.verify:
            made_on = entries.get(name, {}).get("cpu")
            if made_on and made_on != cpu_kind():
                print(f"{name}: made on {made_on}, this machine is {cpu_kind()}: bit-identical "
                      "weights are not expected here")
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
            "cpu": cpu_kind(),
        }
        print(f"{name}: {entries[name]['quality']} in {seconds:.1f} s CPU -> {path.name} "
              f"({path.stat().st_size / 1024:.0f} KiB)")
    if args.verify:
        return 1 if mismatches else 0
    index = {"torch_version": torch.__version__, "checkpoints": dict(sorted(entries.items()))}
    CHECKPOINT_INDEX.write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    total = sum((CHECKPOINTS / e["file"]).stat().st_size for e in entries.values())
    print(f"{len(entries)} checkpoints, {total / 2**20:.2f} MiB in total -> {CHECKPOINT_INDEX.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
