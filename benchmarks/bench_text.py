"""Chapter 9: held-out bits per character of the n-gram models and the LSTM, against training time.

Rows:
* every n-gram order 1..8 (interpolated Kneser-Ney, D = 0.75): fit seconds and validation bits/char;
* the LSTM of the benchmark (``FAST`` below) trained from scratch, evaluated at a few step
  counts: validation bits/char against training seconds (evaluation time excluded), and the
  training time at which it first beats the best n-gram (goal: <= 60 s on 2 CPU cores);
* chapter 9's live run (``dglab.text_training.LIVE_RUN``) over five seeds: the spread of its validation
  bits/char (goal: every seed still above the best n-gram, as the chapter says);
* the shipped checkpoint's validation bits/char (goal: <= 1.8) and the time to generate 500
  characters with it (goal: <= 1 s);
* chapter 9's execution time (goal: <= 30 s).

Validation bits/char of the LSTM are measured in one pass over the whole held-out text,
carrying the hidden state (``dglab.text.bits_per_char``).
"""

from __future__ import annotations

import time

from benchmarks.common import Row, chapter_rows, median_time
from dglab.data import load_corpus
from dglab.text import (
    CharLSTM,
    CharLSTMConfig,
    CharVocab,
    NGramModel,
    bits_per_char,
    generate,
    load_checkpoint,
)
from dglab.text_training import LIVE_RUN, CharLSTMTrainer, TrainingConfig

ORDERS = range(1, 9)
#: The LSTM trained against the clock (the chapter's live run uses a smaller one-layer network).
FAST_MODEL = dict(embedding_dim=64, hidden_size=256, num_layers=2, dropout=0.0)
FAST_TRAINING = dict(batch_size=32, seq_len=64, learning_rate=5e-3)
EVAL_AT = [200, 400, 500, 600, 650, 700, 750, 800, 900, 1000, 1200]
TIME_BUDGET_S = 60.0
LIVE_SEEDS = range(5)


def run() -> list[Row]:
    rows = []
    corpus = load_corpus()
    vocab = CharVocab.from_text(corpus.train)

    best_order, best_bits = None, float("inf")
    for order in ORDERS:
        start = time.perf_counter()
        model = NGramModel(order=order, vocab=vocab).fit(corpus.train)
        fit_s = time.perf_counter() - start
        bits = model.bits_per_char(corpus.validation)
        if bits < best_bits:
            best_order, best_bits = order, bits
        rows.append(Row(f"{order}-gram (Kneser-Ney) validation bits/char", bits, "bits",
                        note=f"fit in {fit_s:.2f} s"))
    rows.append(Row(f"best n-gram: order {best_order}", best_bits, "bits"))

    lstm = CharLSTM(CharLSTMConfig(vocab.size, **FAST_MODEL), random_state=0)
    trainer = CharLSTMTrainer(lstm, vocab, corpus.train, TrainingConfig(**FAST_TRAINING), random_state=0)
    # Train until the LSTM beats the best n-gram (or EVAL_AT runs out), evaluating on the way.
    train_s, cpu_s, beaten = 0.0, 0.0, None
    for steps in EVAL_AT:
        start, cpu = time.perf_counter(), time.process_time()
        trainer.train(steps - trainer.steps_done, progress=False)
        train_s += time.perf_counter() - start
        cpu_s += time.process_time() - cpu
        bits = bits_per_char(lstm, vocab, corpus.validation)
        rows.append(Row(f"LSTM after {steps} steps: validation bits/char", bits, "bits",
                        note=f"{train_s:.1f} s training ({cpu_s:.0f} s CPU)"))
        if bits < best_bits:
            beaten = (steps, train_s, cpu_s)
            break
    if beaten:
        steps, seconds, cpu_seconds = beaten
        rows.append(Row("LSTM training time to beat the best n-gram", seconds, "s",
                        f"<= {TIME_BUDGET_S:.0f} s", seconds <= TIME_BUDGET_S,
                        note=f"after {steps} steps, {cpu_seconds:.0f} s CPU"))
    else:
        rows.append(Row("LSTM training time to beat the best n-gram", float("nan"), "s",
                        f"<= {TIME_BUDGET_S:.0f} s", False,
                        note=f"not beaten after {trainer.steps_done} steps, {train_s:.0f} s"))

    live = []
    for seed in LIVE_SEEDS:
        trained = LIVE_RUN.train(vocab, corpus.train, random_state=seed, progress=False)
        live.append(bits_per_char(trained.model, vocab, corpus.validation))
    rows.append(Row(f"chapter 9 live run, {len(live)} seeds: lowest validation bits/char", min(live), "bits",
                    f"> {best_bits:.3f}", min(live) > best_bits,
                    note=f"seeds span {min(live):.3f}-{max(live):.3f} (best n-gram {best_bits:.3f})"))

    model, vocab_ck, metadata = load_checkpoint()
    bits = bits_per_char(model, vocab_ck, corpus.validation)
    rows.append(Row("shipped checkpoint: validation bits/char", bits, "bits", "<= 1.8", bits <= 1.8,
                    note=f"{metadata['train_steps']} steps"))
    seconds = median_time(lambda: generate(model, vocab_ck, "The ", 500, random_state=0), repeat=5)
    rows.append(Row("generate 500 characters with the checkpoint", seconds, "s", "<= 1 s", seconds <= 1.0))

    return rows + chapter_rows(("09_text_generation",))
