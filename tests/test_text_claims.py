"""Chapter 9's claims hold for several seeds and with PyTorch's generic CPU kernels (issue 14).

Each test trains the chapter's own recipe (``dglab.text_training.LIVE_RUN``) or scores the shipped
checkpoint, for the seeds in ``SEEDS`` in this process and once more in a subprocess started
with ``ATEN_CPU_CAPABILITY=default``: PyTorch then uses its generic (non-vectorised) kernels,
which change floating-point results the way a different CPU does. The subprocess runs this
file as a script, so both measure with the same function.

    python tests/test_text_claims.py live 0        # one seed's outcome as JSON
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

SEEDS = (0, 1, 2, 3, 4)


@cache
def ngram_scores() -> dict:
    """Validation bits/char of the chapter's n-grams (D = 0.75, orders 1-8): counting, exact."""
    from dglab.data import load_corpus
    from dglab.text import CharVocab, NGramModel

    corpus = load_corpus()
    vocab = CharVocab.from_text(corpus.train)
    return {n: NGramModel(order=n, discount=0.75, vocab=vocab).fit(corpus.train).bits_per_char(corpus.validation)
            for n in range(1, 9)}


@cache
def live_outcome(seed: int) -> dict:
    """What chapter 9 prints about its live run, trained from ``seed`` (once per session)."""
    import torch

    from dglab.data import load_corpus
    from dglab.text import CharVocab, bits_per_char
    from dglab.text_training import LIVE_RUN

    torch.set_num_threads(1)  # as the chapter does
    corpus = load_corpus()
    vocab = CharVocab.from_text(corpus.train)
    trainer = LIVE_RUN.train(vocab, corpus.train, random_state=seed, progress=False)
    train_bits = trainer.history_["train_bits"]
    return {"seed": seed, "validation_bits": bits_per_char(trainer.model, vocab, corpus.validation),
            "first_batch_bits": float(train_bits[0]), "bits_at_100": float(train_bits[100]),
            "last_batches_bits": float(train_bits[-20:].mean()), "uniform_bits": math.log2(vocab.size)}


def checkpoint_outcome() -> dict:
    """The shipped checkpoint's validation score, as the chapter computes it."""
    import torch

    from dglab.data import load_corpus
    from dglab.text import load_checkpoint, log2_proba

    torch.set_num_threads(1)
    corpus = load_corpus()
    model, vocab, metadata = load_checkpoint()
    return {"validation_bits": float(-log2_proba(model, vocab, corpus.validation).mean()),
            "recorded": metadata["validation_bits_per_char"],
            "same_corpus": metadata["corpus_fingerprint"] == corpus.fingerprint}


def with_generic_kernels(what: str, *args) -> dict:
    """Run one of the outcome functions above in a subprocess with ATEN_CPU_CAPABILITY=default."""
    env = os.environ | {"ATEN_CPU_CAPABILITY": "default"}
    root = Path(__file__).resolve().parents[1]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, __file__, what, *map(str, args)], env=env, cwd=root,
                          capture_output=True, text=True, timeout=1800, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_live_claims(outcome: dict) -> None:
    best_ngram = min(ngram_scores().values())
    # "The live LSTM, after a few seconds, is still worse than a good n-gram."
    assert outcome["validation_bits"] > best_ngram + 0.2, outcome
    # ... yet it has learned most of what there is to learn: far below uniform guessing, and
    # (the figure's alt text) starting at the uniform level, falling steeply in the first 100
    # steps, then more slowly.
    assert outcome["validation_bits"] < 2.4, outcome
    assert abs(outcome["first_batch_bits"] - outcome["uniform_bits"]) < 0.2, outcome
    steep = outcome["first_batch_bits"] - outcome["bits_at_100"]
    assert steep > 3.0 and steep > 3 * (outcome["bits_at_100"] - outcome["last_batches_bits"]), outcome
    # "... then more slowly until the end of the run": still falling after step 100
    assert outcome["last_batches_bits"] < outcome["bits_at_100"], outcome


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_live_run_is_worse_than_the_best_ngram_for_every_seed(seed):
    assert_live_claims(live_outcome(seed))


@pytest.mark.slow
def test_live_run_claims_hold_with_generic_kernels():
    outcome = with_generic_kernels("live", 0)
    assert_live_claims(outcome)
    # the chapter's printed score moves by far less than its declared tolerance (0.02)
    assert outcome["validation_bits"] == pytest.approx(live_outcome(0)["validation_bits"], abs=0.01)


@pytest.mark.slow
def test_shipped_checkpoint_beats_every_ngram_on_every_kernel():
    here, generic = checkpoint_outcome(), with_generic_kernels("checkpoint")
    if not here["same_corpus"]:
        pytest.skip("this Python ships a different corpus than the checkpoint's")
    best_ngram = min(ngram_scores().values())
    for outcome in (here, generic):
        # the chapter compares this score exactly: it must not depend on the CPU's kernels
        assert outcome["validation_bits"] == pytest.approx(outcome["recorded"], abs=1e-4)
        # "the checkpoint ... is clearly better" (chapter: 0.18 bits/char; tuned n-gram: 0.14)
        assert outcome["validation_bits"] < best_ngram - 0.1


if __name__ == "__main__":
    what = sys.argv[1]
    result = live_outcome(int(sys.argv[2])) if what == "live" else checkpoint_outcome()
    print(json.dumps(result))
