"""Regenerate dglab/checkpoints/char_lstm.pt, the character LSTM that chapter 9 samples from.

    python scripts/make_text_checkpoint.py                     # the shipped model
    python scripts/make_text_checkpoint.py --steps 300 --out /tmp/quick.pt   # a quick check
    python scripts/make_text_checkpoint.py --seed 1 --out /tmp/seed1.pt      # another seed
    python scripts/make_text_checkpoint.py --verify            # retrain, compare with the shipped file

Trains a CharLSTM for a fixed number of steps (not a time budget, so the result does not depend
on the machine's speed) on the training text of ``dglab.data.load_corpus()``, evaluates it on
the held-out validation text, and saves it with ``dglab.text.save_checkpoint``: weights in
half precision (float16: half the size; the validation bits per character of the float16 and
float32 weights are both recorded, and agree to about 1e-4), the vocabulary and
hyper-parameters as JSON strings, and metadata including the corpus fingerprint. The file loads
with ``torch.load(..., weights_only=True)``.

Every random choice is seeded (parameter initialisation, training windows, dropout masks) and
the script computes on one thread (floating-point sums do not depend on how many cores
share them), so rerunning it with the same PyTorch build reproduces the weights; other builds
or CPUs can differ in the last floating-point bits. ``--verify`` retrains into a temporary file and
checks that its weights equal the shipped ones bit for bit: valid only on the kind of CPU (and
PyTorch build) that made them. On any other machine compare quality instead, as
``tests/test_text.py`` does (the shipped file scores its recorded validation bits/char).

The recipe itself (network size, optimiser, schedule, number of steps) is
``dglab.text_training.CHECKPOINT_RUN``, shared with the chapter and the tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

import torch

from dglab.data import load_corpus
from dglab.text import (
    CHECKPOINT_PATH,
    CharVocab,
    bits_per_char,
    load_checkpoint,
    save_checkpoint,
)
from dglab.text_training import CHECKPOINT_RUN

SEED = 0
STEPS = CHECKPOINT_RUN.n_steps
EVAL_EVERY = 500


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=STEPS, help=f"training steps (default {STEPS})")
    parser.add_argument("--out", type=Path, default=CHECKPOINT_PATH, help="where to write the checkpoint")
    parser.add_argument("--seed", type=int, default=SEED, help=f"initialisation and data-order seed (default {SEED})")
    parser.add_argument("--verify", action="store_true",
                        help="retrain into a temporary file and check it equals the shipped checkpoint bit for bit "
                             "(only meaningful on the CPU kind and PyTorch build that made it)")
    args = parser.parse_args(argv)
    if args.verify:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "char_lstm.pt"
            main(["--steps", str(STEPS), "--seed", str(SEED), "--out", str(out)])
            shipped = torch.load(CHECKPOINT_PATH, weights_only=True)["state_dict"]
            rebuilt = torch.load(out, weights_only=True)["state_dict"]
            same = shipped.keys() == rebuilt.keys() and all(torch.equal(shipped[k], rebuilt[k]) for k in shipped)
        print("identical to the shipped checkpoint" if same else
              "DIFFERENT from the shipped checkpoint (expected on another CPU kind or PyTorch build)")
        return 0 if same else 1
    torch.set_num_threads(1)

    recipe = replace(CHECKPOINT_RUN, n_steps=args.steps,
                     training=replace(CHECKPOINT_RUN.training, decay_steps=args.steps))
    corpus = load_corpus()
    vocab = CharVocab.from_text(corpus.train)
    trainer = recipe.trainer(vocab, corpus.train, random_state=args.seed)
    model, training = trainer.model, recipe.training
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{corpus.source}: {len(corpus.train):,} training / {len(corpus.validation):,} validation "
          f"characters, {vocab.size} symbols; {n_params:,} parameters; {torch.get_num_threads()} threads",
          flush=True)

    curve = []
    wall, cpu = time.perf_counter(), time.process_time()
    while trainer.steps_done < args.steps:
        n = min(EVAL_EVERY, args.steps - trainer.steps_done)
        history = trainer.train(n, progress=sys.stderr.isatty(), desc="training the checkpoint")
        train_bits = float(history["train_bits"][-n:].mean())
        val_bits = bits_per_char(model, vocab, corpus.validation)
        curve.append([trainer.steps_done, round(train_bits, 4), round(val_bits, 4)])
        print(f"step {trainer.steps_done:5d}: training batches {train_bits:.3f}, validation {val_bits:.3f} "
              f"bits/char ({time.perf_counter() - wall:.0f} s wall, {time.process_time() - cpu:.0f} s CPU)",
              flush=True)

    fp32_bits = bits_per_char(model, vocab, corpus.validation)
    metadata = {
        "corpus_fingerprint": corpus.fingerprint,
        "corpus_source": corpus.source,
        "train_steps": trainer.steps_done,
        "train_characters_seen": trainer.steps_done * training.batch_size * training.seq_len,
        "seed": args.seed,
        "training": asdict(training),
        "curve": curve,  # [step, mean training-batch bits/char since the last row, validation bits/char]
        "validation_bits_per_char_float32": round(fp32_bits, 6),
        "torch_version": torch.__version__,
    }
    save_checkpoint(args.out, model, vocab, metadata)
    # Score the weights as shipped (float16, loaded back to float32) and record that score.
    shipped, _, _ = load_checkpoint(args.out)
    metadata["validation_bits_per_char"] = round(bits_per_char(shipped, vocab, corpus.validation), 6)
    save_checkpoint(args.out, model, vocab, metadata)
    size = args.out.stat().st_size
    print(f"saved {args.out} ({size / 2**20:.2f} MiB): validation {metadata['validation_bits_per_char']:.4f} "
          f"bits/char with float16 weights, {fp32_bits:.4f} with float32; "
          f"{time.perf_counter() - wall:.0f} s wall, {time.process_time() - cpu:.0f} s CPU", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
