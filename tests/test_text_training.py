"""dglab.text_training: the snapshot hook of the LSTM trainer (chapter 9's training explorer)."""

import pytest
import torch

from dglab.text import CharLSTM, CharLSTMConfig, CharVocab
from dglab.text_training import CharLSTMTrainer, TrainingConfig

TEXT = "the cat sat on the mat. the dog sat on the log. " * 30


def small_trainer(seed=0):
    vocab = CharVocab.from_text(TEXT)
    model = CharLSTM(CharLSTMConfig(vocab.size, embedding_dim=8, hidden_size=16, num_layers=1), random_state=seed)
    config = TrainingConfig(batch_size=4, seq_len=16, learning_rate=1e-2)
    return CharLSTMTrainer(model, vocab, TEXT, config, random_state=seed)


def weights(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def assert_same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), k


def test_snapshots_do_not_change_the_trained_weights():
    plain = small_trainer()
    plain.train(12, progress=False)
    watched = small_trainer()
    watched.train(12, progress=False, snapshot_at=[0, 3, 7, 12])
    assert_same(weights(plain.model), weights(watched.model))
    assert list(plain.history_["train_bits"]) == list(watched.history_["train_bits"])
    assert plain.snapshots_ == {}


def test_snapshots_are_the_weights_after_that_many_steps_and_deterministic():
    trainer = small_trainer()
    initial = weights(trainer.model)
    trainer.train(10, progress=False, snapshot_at=[0, 4, 10, 99])
    assert sorted(trainer.snapshots_) == [0, 4, 10]  # 99 is beyond this run
    assert_same(trainer.snapshots_[0], initial)
    assert_same(trainer.snapshots_[10], weights(trainer.model))
    four = small_trainer()
    four.train(4, progress=False)  # step i's batch depends only on (seed, i)
    assert_same(trainer.snapshots_[4], weights(four.model))
    # the snapshot is a copy: later steps did not move it
    assert not torch.equal(trainer.snapshots_[4]["head.weight"], weights(trainer.model)["head.weight"])
    again = small_trainer()
    again.train(10, progress=False, snapshot_at=[0, 4, 10])
    for k in (0, 4, 10):
        assert_same(trainer.snapshots_[k], again.snapshots_[k])


def test_snapshots_continue_across_calls_and_model_at_rebuilds_the_model():
    trainer = small_trainer()
    trainer.train(5, progress=False, snapshot_at=[2, 5, 8])
    trainer.train(5, progress=False, snapshot_at=[2, 5, 8])  # steps 5..10: 5 is already kept
    assert sorted(trainer.snapshots_) == [2, 5, 8]
    model = trainer.model_at(8)
    assert model is not trainer.model and not model.training
    assert_same(weights(model), trainer.snapshots_[8])
    with pytest.raises(KeyError, match="no snapshot after 3 steps"):
        trainer.model_at(3)
    with pytest.raises(ValueError):
        trainer.train(1, progress=False, snapshot_at=[-1])
