"""Training the character LSTM: the trainer, its configuration, the course's two recipes, snapshots.

:class:`CharLSTMTrainer` trains a :class:`dglab.text.CharLSTM` on random windows of a text
through :func:`dglab.training.run_training`; :class:`CharLSTMRecipe` fixes a network size, a
training configuration and a number of steps (:data:`LIVE_RUN` is chapter 9's live run,
:data:`CHECKPOINT_RUN` the shipped checkpoint's). ``train(..., snapshot_at=...)`` keeps copies of
the weights at chosen steps, so that chapter 9 can show the model at several points of one run
without training it again.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dglab._validation import check_int, check_real
from dglab.text import (
    CharLSTM,
    CharLSTMConfig,
    CharVocab,
    _check_model_vocab,
    _check_text,
    _model_device,
)
from dglab.training import History, run_training, torch_seed

__all__ = ["TrainingConfig", "CharLSTMTrainer", "CharLSTMRecipe", "LIVE_RUN", "CHECKPOINT_RUN"]


# --- training ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingConfig:
    """How a :class:`CharLSTMTrainer` trains: random windows, Adam, gradient clipping.

    ``decay_steps``, if set, lowers the learning rate along a cosine from ``learning_rate`` to
    ``min_lr_fraction * learning_rate`` over that many steps (then keeps it there).
    """

    batch_size: int = 64
    seq_len: int = 128
    learning_rate: float = 2e-3
    clip_norm: float = 1.0
    decay_steps: int | None = None
    min_lr_fraction: float = 0.1

    def __post_init__(self):
        check_int("batch_size", self.batch_size, minimum=1)
        check_int("seq_len", self.seq_len, minimum=1)
        if self.decay_steps is not None:
            check_int("decay_steps", self.decay_steps, minimum=1)
        for name in ("learning_rate", "clip_norm"):
            check_real(name, getattr(self, name), minimum=0, min_inclusive=False)
        check_real("min_lr_fraction", self.min_lr_fraction, minimum=0, maximum=1)

    def lr_at(self, step: int) -> float:
        if self.decay_steps is None:
            return self.learning_rate
        progress = min(step / self.decay_steps, 1.0)
        fraction = self.min_lr_fraction + (1 - self.min_lr_fraction) * 0.5 * (1 + math.cos(math.pi * progress))
        return self.learning_rate * fraction


#: A training loss above this many times the uniform guess's log2(V) bits means divergence.
_DIVERGED_FACTOR = 4.0


class CharLSTMTrainer:
    """Train a :class:`CharLSTM` to predict each next character of random windows of a text.

    Each step draws ``batch_size`` windows of ``seq_len + 1`` characters at random positions,
    feeds the first ``seq_len`` characters from a zero state and minimises the cross-entropy of
    the next character at every position (teacher forcing), then clips the gradient norm and
    takes an Adam step. Step ``i``'s windows (and dropout masks) depend only on
    ``random_state`` and ``i``, so training 300 steps at once or as 100 + 200 gives the same
    model. :meth:`train` can be called repeatedly; :attr:`history_` accumulates.

    Parameters
    ----------
    model : CharLSTM
    vocab : CharVocab
    text : str
        The training text (every character must be in ``vocab`` or map to its unknown symbol).
    config : TrainingConfig, optional
    random_state : int
        Seed of the window positions and dropout masks.
    """

    def __init__(self, model: CharLSTM, vocab: CharVocab, text: str,
                 config: TrainingConfig | None = None, random_state: int = 0):
        self.config = TrainingConfig() if config is None else config
        if not isinstance(self.config, TrainingConfig):
            raise TypeError(f"config must be a TrainingConfig or None, got {type(self.config).__name__}")
        _check_model_vocab(model, vocab)
        _check_text("text", text, min_length=self.config.seq_len + 2)
        self.model = model
        self.vocab = vocab
        self.random_state = check_int("random_state", random_state, minimum=0)
        self.data = torch.from_numpy(vocab.encode(text))
        self.optimizer = torch.optim.Adam(model.parameters(), lr=self.config.learning_rate)
        self.history_ = History()
        #: Copies of the weights, ``{steps done: state_dict}`` (see :meth:`train`).
        self.snapshots_: dict[int, dict[str, torch.Tensor]] = {}
        self._offsets = torch.arange(self.config.seq_len + 1)

    def _windows(self, step: int):
        rng = np.random.default_rng([self.random_state, step])
        starts = rng.integers(0, len(self.data) - self.config.seq_len - 1, size=self.config.batch_size)
        chunk = self.data[torch.from_numpy(starts)[:, None] + self._offsets]
        return chunk[:, :-1], chunk[:, 1:]

    def step(self, i: int) -> dict[str, float]:
        """One optimisation step; returns the batch's cross-entropy in bits per character."""
        device = _model_device(self.model)
        inputs, targets = (t.to(device) for t in self._windows(i))
        for group in self.optimizer.param_groups:
            group["lr"] = self.config.lr_at(i)
        self.model.train()
        with torch_seed(self.random_state * 1_000_003 + i):  # dropout masks depend on (seed, step)
            logits, _ = self.model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = nn.utils.clip_grad_norm_(self.model.parameters(), self.config.clip_norm)
        self.optimizer.step()
        return {"train_bits": loss.item() / math.log(2), "grad_norm": float(grad_norm)}

    def train(self, n_steps: int, *, progress: bool = True, desc: str = "training the LSTM",
              record_every: int = 1, snapshot_at: Iterable[int] | None = None) -> History:
        """Run ``n_steps`` more steps; returns :attr:`history_` (``train_bits``, ``grad_norm``).

        ``snapshot_at`` lists numbers of steps done (0 = the untrained model) after which a copy
        of the weights goes into :attr:`snapshots_` (``{steps done: state_dict}``); steps outside
        this call's range are ignored. Copying reads the weights only (no random numbers, no
        change to the model or the optimiser), so the trained model is the same with or without
        snapshots. :meth:`model_at` gives a snapshot back as a model.
        """
        start = self.steps_done
        wanted = set()
        if snapshot_at is not None:
            for k in snapshot_at:
                check_int("snapshot step", k, minimum=0)
            wanted = {int(k) for k in snapshot_at if start <= int(k) <= start + n_steps}
        if start in wanted:
            self._snapshot(start)

        def step_and_snapshot(i):
            values = self.step(i)
            if i + 1 in wanted:  # after step i, i + 1 steps are done
                self._snapshot(i + 1)
            return values

        # Divergence: a NaN, or a loss above four times that of uniform guessing (a blown-up
        # model can stay finite: Adam at a learning rate of 1e6 reaches 1e7 bits per character).
        limit = _DIVERGED_FACTOR * max(math.log2(self.vocab.size), 1.0)
        history = run_training(step_and_snapshot if wanted else self.step, n_steps, desc=desc,
                               progress=progress, record_every=record_every, history=self.history_,
                               limits={"train_bits": limit}, learning_rate=self.config.lr_at)
        self.model.eval()
        return history

    def _snapshot(self, steps_done: int) -> None:
        # detach().clone(): a copy that later optimiser steps (in-place updates) cannot change
        self.snapshots_[steps_done] = {k: v.detach().clone() for k, v in self.model.state_dict().items()}

    def model_at(self, steps_done: int) -> CharLSTM:
        """A copy of the model as it was after ``steps_done`` steps (a snapshot), in eval mode."""
        if steps_done not in self.snapshots_:
            raise KeyError(f"no snapshot after {steps_done} steps; snapshots: {sorted(self.snapshots_)} "
                           "(ask for them with train(..., snapshot_at=[...]))")
        model = copy.deepcopy(self.model)
        model.load_state_dict(self.snapshots_[steps_done])
        return model.eval()

    @property
    def steps_done(self) -> int:
        return self.history_.steps[-1] + 1 if self.history_.steps else 0


# --- recipes: what chapter 9 and the checkpoint script train ------------------------------------


@dataclass(frozen=True)
class CharLSTMRecipe:
    """A network size, a training configuration and a number of steps: one reproducible run.

    Chapter 9, the checkpoint script, the tests and the benchmark all train through the two
    recipes below (:data:`LIVE_RUN`, :data:`CHECKPOINT_RUN`), so a claim tested for several
    seeds is a claim about exactly what the chapter runs.
    """

    embedding_dim: int
    hidden_size: int
    num_layers: int
    dropout: float
    training: TrainingConfig
    n_steps: int

    def __post_init__(self):
        check_int("n_steps", self.n_steps, minimum=1)
        if not isinstance(self.training, TrainingConfig):
            raise TypeError(f"training must be a TrainingConfig, got {type(self.training).__name__}")

    def trainer(self, vocab: CharVocab, text: str, random_state: int = 0) -> CharLSTMTrainer:
        """A fresh model (initialised from ``random_state``) and its trainer, not yet trained."""
        if not isinstance(vocab, CharVocab):
            raise TypeError(f"vocab must be a CharVocab, got {type(vocab).__name__}")
        config = CharLSTMConfig(vocab.size, self.embedding_dim, self.hidden_size, self.num_layers, self.dropout)
        model = CharLSTM(config, random_state=random_state)
        return CharLSTMTrainer(model, vocab, text, self.training, random_state=random_state)

    def train(self, vocab: CharVocab, text: str, random_state: int = 0, *, progress: bool = True,
              desc: str = "training the LSTM", snapshot_at: Iterable[int] | None = None) -> CharLSTMTrainer:
        """Run the whole recipe; returns the trainer (its ``model``, ``history_``, ``snapshots_``)."""
        trainer = self.trainer(vocab, text, random_state)
        trainer.train(self.n_steps, progress=progress, desc=desc, snapshot_at=snapshot_at)
        return trainer


#: Chapter 9's live run: a one-layer network trained for a few seconds on one CPU thread.
#: (200 steps at 8e-3 reach 2.22-2.32 validation bits/char over seeds 0-4, a little above the
#: 2.17-2.19 of the earlier 300 steps at 5e-3, in two thirds of the time; issue 21.
#: tests/test_text_claims.py checks the chapter's claims about it.)
LIVE_RUN = CharLSTMRecipe(
    embedding_dim=64, hidden_size=192, num_layers=1, dropout=0.0,
    training=TrainingConfig(batch_size=32, seq_len=64, learning_rate=8e-3, clip_norm=1.0),
    n_steps=200,
)

#: The shipped checkpoint (``scripts/make_text_checkpoint.py``): two layers of 256 units with
#: dropout, a cosine learning-rate decay over the whole run; about 25 minutes of one CPU thread.
CHECKPOINT_RUN = CharLSTMRecipe(
    embedding_dim=64, hidden_size=256, num_layers=2, dropout=0.25,
    training=TrainingConfig(batch_size=32, seq_len=128, learning_rate=2e-3, clip_norm=1.0,
                            decay_steps=4000, min_lr_fraction=0.05),
    n_steps=4000,
)


