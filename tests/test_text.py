"""dglab.text: vocabulary, Kneser-Ney n-gram model, character LSTM, sampling, checkpoints."""

import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from dglab.data import load_corpus
from dglab.text import (
    CHECKPOINT_PATH,
    CharLSTM,
    CharLSTMConfig,
    CharVocab,
    NGramModel,
    bits_per_char,
    generate,
    load_checkpoint,
    next_char_proba,
    save_checkpoint,
)
from dglab.text_training import CharLSTMTrainer, TrainingConfig

TEXT = (
    "the cat sat on the mat. the dog sat on the log. a cat and a dog met on a mat.\n"
    "then the cat ran to the log and the dog ran to the mat; both sat, and that was that.\n"
)


# --- CharVocab --------------------------------------------------------------------------------


def test_vocab_roundtrip_and_order():
    vocab = CharVocab.from_text(TEXT)
    assert vocab.chars == tuple(sorted(set(TEXT)))
    ids = vocab.encode(TEXT)
    assert ids.dtype == np.int64 and ids.min() >= 0 and ids.max() < vocab.size
    assert vocab.decode(ids) == TEXT
    assert CharVocab.from_json(vocab.to_json()) == vocab


def test_vocab_unknown_characters_raise_by_default():
    vocab = CharVocab.from_text("abc")
    with pytest.raises(ValueError, match=r"2 character\(s\) not in the vocabulary: 'x', 'z'"):
        vocab.encode("abzx")


def test_vocab_unknown_symbol_maps_unseen_characters():
    vocab = CharVocab.from_text("abc", unknown="?")
    assert vocab.size == 4 and vocab.chars[-1] == "?"
    assert vocab.encode("azb").tolist() == [0, 3, 1]
    assert vocab.decode(vocab.encode("azb")) == "a?b"
    assert CharVocab.from_json(vocab.to_json()) == vocab


@given(chars=st.text(min_size=1, max_size=12), text=st.text(max_size=60),
       unknown=st.sampled_from([None, "\x00", "\ud800"]))
def test_vocab_encode_is_a_lookup_of_each_character(chars, text, unknown):
    # the reference: one dictionary lookup per character (encode looks the whole text up at once)
    chars = "".join(dict.fromkeys(chars))
    if unknown is not None and unknown in chars:
        chars = chars.replace(unknown, "")
    if not chars:
        return
    vocab = CharVocab(chars, unknown=unknown)
    missing = sorted(set(text) - set(chars))
    if missing and unknown is None:
        with pytest.raises(ValueError, match=rf"^text contains {len(missing)} character\(s\)"):
            vocab.encode(text)
        return
    expected = [vocab.index.get(c, vocab.index.get(unknown)) for c in text]
    ids = vocab.encode(text)
    assert ids.dtype == np.int64 and ids.shape == (len(text),) and ids.tolist() == expected


@pytest.mark.parametrize(
    "chars, unknown, match",
    [
        ("", None, "at least one character"),
        ("aa", None, "distinct"),
        (["ab"], None, "single characters"),
        ("ab", "a", "already a vocabulary character"),
        ("ab", "xy", "unknown must be None or a single character"),
    ],
)
def test_vocab_bad_input(chars, unknown, match):
    with pytest.raises(ValueError, match=match):
        CharVocab(chars, unknown=unknown)


def test_vocab_decode_bad_ids():
    vocab = CharVocab("ab")
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 2\)"):
        vocab.decode([0, 2])
    with pytest.raises(ValueError, match="1-D sequence of integers"):
        vocab.decode([[0]])


# --- NGramModel: against a hand computation and an independent implementation ------------------


def test_kneser_ney_bigram_by_hand():
    """Interpolated Kneser-Ney, order 2, D = 0.75, on "abracadabra", worked out by hand.

    Bigrams: ab 2, br 2, ra 2, ac 1, ca 1, ad 1, da 1 (7 types). Continuation counts (distinct
    left neighbours): a 3 (r, c, d), b 1, c 1, d 1, r 1; they sum to 7, and 5 characters have
    one, so with V = 5: P_1(w) = (N(.w) - 0.75)/7 + 0.75 * 5/7 * 1/5 = N(.w)/7.
    After "a" (count 4, 3 distinct followers): P(w|a) = max(c(aw) - 0.75, 0)/4 + 0.75*3/4*P_1(w).
    """
    model = NGramModel(order=2, discount=0.75).fit("abracadabra")
    assert model.vocab_.chars == ("a", "b", "c", "d", "r")
    unigram = {"a": 3 / 7, "b": 1 / 7, "c": 1 / 7, "d": 1 / 7, "r": 1 / 7}
    after_a = {w: max({"b": 2, "c": 1, "d": 1}.get(w, 0) - 0.75, 0) / 4 + 0.5625 * unigram[w]
               for w in "abcdr"}
    np.testing.assert_allclose(model.next_char_proba("a"), [after_a[w] for w in "abcdr"], rtol=1e-12)
    assert after_a["b"] == pytest.approx(0.3125 + 0.5625 / 7)
    # "r" is always followed by "a": P(a|r) = 1.25/2 + 0.75/2 * 3/7
    assert model.next_char_proba("r")[0] == pytest.approx(1.25 / 2 + 0.375 * 3 / 7)
    # The empty context is the continuation unigram.
    np.testing.assert_allclose(model.next_char_proba(""), [unigram[w] for w in "abcdr"], rtol=1e-12)


def test_kneser_ney_unseen_context_backs_off():
    # With a sixth character "z" that never occurs, V = 6 and the context "z" was never seen:
    # P(w|z) = P_1(w) = (N(.w) - 0.75)/7 + 0.75 * 5/7 * 1/6 for seen w, 0.625/7 for "z".
    model = NGramModel(order=2, discount=0.75, vocab=CharVocab("abcdrz")).fit("abracadabra")
    expected = np.array([2.25, 0.25, 0.25, 0.25, 0.25, 0.0]) / 7 + 0.625 / 7
    np.testing.assert_allclose(model.next_char_proba("z"), expected, rtol=1e-12)
    np.testing.assert_allclose(model.next_char_proba("abz"), expected, rtol=1e-12)


def kneser_ney_reference(train: str, alphabet: str, order: int, discount: float):
    """Interpolated Kneser-Ney (Chen & Goodman 1999, eq. 26 with one discount), with plain dicts."""
    raw = Counter(train[i:i + order] for i in range(len(train) - order + 1))
    continuation = Counter()  # N1+(. g): distinct characters seen just before g
    for j in range(1, order):
        for gram in {train[i:i + j + 1] for i in range(len(train) - j)}:
            continuation[gram[1:]] += 1

    def prob(w: str, history: str) -> float:
        j = len(history) + 1
        lower = prob(w, history[1:]) if history else 1.0 / len(alphabet)
        counts = raw if j == order else continuation
        total = sum(counts[history + v] for v in alphabet)
        if total == 0:
            return lower
        types = sum(counts[history + v] > 0 for v in alphabet)
        return (max(counts[history + w] - discount, 0) + discount * types * lower) / total

    return prob


@pytest.mark.parametrize("order", [1, 2, 3, 4])
@pytest.mark.parametrize("discount", [0.5, 0.75, 1.0])
def test_ngram_matches_reference_implementation(order, discount):
    rng = np.random.default_rng(order)
    alphabet = "abcde "
    # A little structure (repeated words) so that higher orders see repeated contexts.
    words = ["abc", "bad", "cab", "dee", "ace", "e"]
    train = " ".join(rng.choice(words, size=120))
    test = " ".join(rng.choice(words, size=15)) + " eeda"
    vocab = CharVocab(alphabet)
    model = NGramModel(order=order, discount=discount, vocab=vocab).fit(train)
    reference = kneser_ney_reference(train, alphabet, order, discount)
    for context in ["", "a", "ab", "abc", "ee d", "dddd", "cc a"]:
        history = context[max(0, len(context) - order + 1):] if order > 1 else ""
        expected = [reference(w, history) for w in alphabet]
        np.testing.assert_allclose(model.next_char_proba(context), expected, rtol=1e-10)
    expected_log2 = [math.log2(reference(test[t], test[max(0, t - order + 1):t])) for t in range(1, len(test))]
    np.testing.assert_allclose(model.log2_proba(test), expected_log2, rtol=1e-10)


@pytest.mark.parametrize("order", [1, 3, 6])
def test_ngram_probabilities_sum_to_one(order):
    corpus = TEXT * 3
    model = NGramModel(order=order).fit(corpus)
    for context in ["", "t", "the c", "the cat sat", "on a m", "ttttttt", ".\n\n\n"]:
        p = model.next_char_proba(context)
        assert p.shape == (model.vocab_.size,)
        assert np.all(p > 0)
        assert p.sum() == pytest.approx(1.0, abs=1e-12)


def test_ngram_vectorised_scores_match_next_char_distributions():
    model = NGramModel(order=4).fit(TEXT)
    text = "the dog sat on the cat."
    ids = model.vocab_.encode(text)
    one_by_one = [math.log2(model.next_char_proba(text[:t])[ids[t]]) for t in range(1, len(text))]
    np.testing.assert_allclose(model.log2_proba(text), one_by_one, rtol=1e-12)
    assert model.bits_per_char(text) == pytest.approx(-np.mean(one_by_one))


def test_ngram_uniform_model_has_log2_v_bits():
    # Every character once: unigram Kneser-Ney gives (1 - D)/V + D * V/V * 1/V = 1/V.
    alphabet = "abcdefghij"
    model = NGramModel(order=1).fit(alphabet)
    np.testing.assert_allclose(model.next_char_proba("abc"), np.full(10, 0.1))
    assert model.bits_per_char("jihgfedcbaaaaa") == pytest.approx(math.log2(10))


def test_ngram_sample_is_reproducible_and_uses_the_vocabulary():
    model = NGramModel(order=3).fit(TEXT)
    a = model.sample("the ", 80, random_state=1)
    assert a == model.sample("the ", 80, random_state=1)
    assert a != model.sample("the ", 80, random_state=2)
    assert a.startswith("the ") and len(a) == 84
    assert set(a) <= set(TEXT)
    assert model.sample("the", 0, random_state=1) == "the"


def test_ngram_higher_order_fits_training_text_better():
    bpc = [NGramModel(order=n).fit(TEXT).bits_per_char(TEXT) for n in (1, 2, 3, 5)]
    assert bpc == sorted(bpc, reverse=True)
    assert bpc[0] < math.log2(len(set(TEXT)))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"order": 0}, "order must be an integer >= 1"),
        ({"order": 2.0}, "order must be an integer >= 1"),
        ({"discount": 0.0}, "discount must be a finite number > 0 and <= 1"),
        ({"discount": 1.5}, "discount must be a finite number > 0 and <= 1"),
        ({"discount": True}, "discount must be a finite number .* got True"),
        ({"order": 40}, "too high for a vocabulary"),
    ],
)
def test_ngram_bad_hyper_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        NGramModel(**kwargs).fit(TEXT)


def test_ngram_bad_input():
    with pytest.raises(NotFittedError, match="NGramModel instance is not fitted yet"):
        NGramModel().bits_per_char("abc")
    with pytest.raises(ValueError, match="text must have at least 5 character"):
        NGramModel(order=5).fit("abc")
    model = NGramModel(order=3).fit(TEXT)
    with pytest.raises(ValueError, match="not in the vocabulary: 'Q'"):
        model.bits_per_char("the Queen")
    with pytest.raises(ValueError, match="prompt must have at least 1 character"):
        model.sample("", 10)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        model.sample("Zebra", 10)
    with pytest.raises(ValueError, match="length must be an integer >= 0"):
        model.sample("the", -1)
    with pytest.raises(ValueError, match="text must have at least 2 character"):
        model.bits_per_char("t")
    with pytest.raises(TypeError, match="text must be a str"):
        model.bits_per_char(["t", "h"])


# --- CharLSTM -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vocab():
    return CharVocab.from_text(TEXT)


@pytest.fixture(scope="module")
def small_model(vocab):
    return CharLSTM(CharLSTMConfig(vocab.size, embedding_dim=8, hidden_size=16, num_layers=2), random_state=0)


def test_forward_shapes_and_state(small_model, vocab):
    ids = torch.from_numpy(vocab.encode(TEXT[:40])).reshape(2, 20)
    logits, (h, c) = small_model(ids)
    assert logits.shape == (2, 20, vocab.size)
    assert h.shape == c.shape == (2, 2, 16)
    # Carrying the state across two halves equals one pass over the whole sequence.
    first, state = small_model(ids[:, :10])
    second, _ = small_model(ids[:, 10:], state)
    torch.testing.assert_close(torch.cat([first, second], dim=1), logits)
    # step() computes the same thing one character at a time, gate by gate.
    stepped, state = [], None
    for t in range(ids.shape[1]):
        out, state = small_model.step(ids[:, t], state)
        stepped.append(out)
    torch.testing.assert_close(torch.stack(stepped, dim=1), logits, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(state[0], h, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(state[1], c, rtol=1e-5, atol=1e-6)


def test_same_seed_same_initialisation(vocab):
    config = CharLSTMConfig(vocab.size, 8, 16, 1)
    a, b = CharLSTM(config, random_state=3), CharLSTM(config, random_state=3)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        torch.testing.assert_close(pa, pb)
    c = CharLSTM(config, random_state=4)
    assert not torch.equal(a.head.weight, c.head.weight)


def test_lstm_probabilities_sum_to_one(small_model, vocab):
    for context in ["t", "the cat", "a dog met on a mat.\n", TEXT]:
        p = next_char_proba(small_model, vocab, context)
        assert p.shape == (vocab.size,) and np.all(p > 0)
        assert p.sum() == pytest.approx(1.0, abs=1e-12)


def test_uniform_lstm_has_log2_v_bits(vocab):
    model = CharLSTM(CharLSTMConfig(vocab.size, 8, 16, 1), random_state=0)
    with torch.no_grad():
        model.head.weight.zero_()
        model.head.bias.zero_()
    assert bits_per_char(model, vocab, TEXT) == pytest.approx(math.log2(vocab.size), abs=1e-9)


def test_bits_per_char_is_the_mean_surprise_of_each_next_character(small_model, vocab):
    text = TEXT[:60]
    ids = vocab.encode(text)
    by_hand = [-math.log2(next_char_proba(small_model, vocab, text[:t])[ids[t]]) for t in range(1, len(text))]
    assert bits_per_char(small_model, vocab, text) == pytest.approx(np.mean(by_hand), rel=1e-5)
    # Chunking only bounds memory: the state is carried from chunk to chunk.
    assert bits_per_char(small_model, vocab, TEXT, chunk_size=7) == pytest.approx(
        bits_per_char(small_model, vocab, TEXT), rel=1e-5)


def test_generation_is_reproducible(small_model, vocab):
    a = generate(small_model, vocab, "the ", 60, random_state=0)
    assert a == generate(small_model, vocab, "the ", 60, random_state=0)
    assert a != generate(small_model, vocab, "the ", 60, random_state=1)
    assert a.startswith("the ") and len(a) == 64 and set(a) <= set(vocab.chars)
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    assert generate(small_model, vocab, "a", 30, random_state=rng_a) == generate(
        small_model, vocab, "a", 30, random_state=rng_b)
    assert generate(small_model, vocab, "the", 0, random_state=0) == "the"


def _greedy(model, vocab, prompt, length):
    """Greedy decoding, re-reading the whole text at every step (no carried state)."""
    text = prompt
    for _ in range(length):
        text += vocab.chars[int(np.argmax(next_char_proba(model, vocab, text)))]
    return text


@pytest.fixture(scope="module")
def peaked_model(vocab):
    """A random model with confident predictions, so that no two characters tie for the argmax."""
    model = CharLSTM(CharLSTMConfig(vocab.size, 8, 16, 1), random_state=1)
    with torch.no_grad():
        model.head.weight.mul_(30.0)
    return model


def test_low_temperature_approaches_greedy_decoding(peaked_model, vocab):
    greedy = _greedy(peaked_model, vocab, "the ", 40)
    assert len(set(greedy[4:])) > 2  # not a single repeated character
    for seed in range(3):
        assert generate(peaked_model, vocab, "the ", 40, temperature=1e-3, random_state=seed) == greedy
    assert generate(peaked_model, vocab, "the ", 40, top_k=1, random_state=0) == greedy
    assert generate(peaked_model, vocab, "the ", 40, random_state=0) != greedy
    # The entropy of the sampling distribution shrinks with the temperature.
    entropies = [generate(peaked_model, vocab, "the ", 40, temperature=t, random_state=0,
                          return_entropy=True)[1].mean() for t in (2.0, 1.0, 0.5, 0.01)]
    assert entropies == sorted(entropies, reverse=True)
    assert entropies[-1] < 0.1 < entropies[0] <= math.log2(vocab.size)


def test_top_k_restricts_the_support(small_model, vocab):
    text, entropy = generate(small_model, vocab, "a", 40, temperature=5.0, top_k=3, random_state=0,
                             return_entropy=True)
    for t in range(1, len(text)):
        top3 = np.argsort(next_char_proba(small_model, vocab, text[:t]))[-3:]
        assert vocab.index[text[t]] in top3
    assert np.all(entropy <= math.log2(3) + 1e-9)


def test_generate_restores_training_mode(small_model, vocab):
    small_model.train()
    generate(small_model, vocab, "a", 3, random_state=0)
    assert small_model.training
    small_model.eval()


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"prompt": ""}, ValueError, "prompt must have at least 1 character"),
        ({"prompt": "the Zebra"}, ValueError, r"not in the vocabulary: 'Z'"),
        ({"prompt": 5}, TypeError, "prompt must be a str"),
        ({"length": -1}, ValueError, "length must be an integer >= 0"),
        ({"length": 2.5}, ValueError, "length must be an integer >= 0"),
        ({"temperature": 0}, ValueError, "temperature must be a finite number > 0"),
        ({"temperature": -1.0}, ValueError, "temperature must be a finite number > 0"),
        ({"temperature": float("nan")}, ValueError, "temperature must be a finite number > 0"),
        ({"top_k": 0}, ValueError, "top_k must be an integer >= 1 and <= "),
        ({"top_k": 10_000}, ValueError, "top_k must be an integer >= 1 and <= "),
    ],
)
def test_generate_bad_input(small_model, vocab, kwargs, error, match):
    args = {"prompt": "the ", "length": 5} | kwargs
    with pytest.raises(error, match=match):
        generate(small_model, vocab, args.pop("prompt"), args.pop("length"), **args)


def test_mismatched_vocabulary(small_model):
    with pytest.raises(ValueError, match="the model predicts .* symbols but the vocabulary has 3"):
        generate(small_model, CharVocab("abc"), "a", 5)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: CharLSTMConfig(0), "vocab_size must be an integer >= 1"),
        (lambda: CharLSTMConfig(5, hidden_size=0), "hidden_size must be an integer >= 1"),
        (lambda: CharLSTMConfig(5, dropout=1.0), "dropout must be a finite number >= 0 and < 1"),
        (lambda: TrainingConfig(batch_size=0), "batch_size must be an integer >= 1"),
        (lambda: TrainingConfig(learning_rate=-1e-3), "learning_rate must be a finite number > 0, got -0.001"),
        (lambda: TrainingConfig(clip_norm=float("inf")), "clip_norm must be a finite number > 0, got inf"),
        # a bool is not a number here, although Python treats True as 1
        (lambda: TrainingConfig(learning_rate=True), "learning_rate must be a finite number .* got True"),
        (lambda: TrainingConfig(min_lr_fraction=False), "min_lr_fraction must be a finite number .* got False"),
        (lambda: CharLSTMConfig(5, dropout=False), "dropout must be a finite number .* got False"),
        (lambda: CharLSTMConfig(5, dropout="0.1"), "dropout must be a finite number .* got '0.1'"),
        (lambda: CharLSTMConfig(True), "vocab_size must be an integer >= 1, got True"),
    ],
)
def test_bad_hyper_parameters(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# --- training -----------------------------------------------------------------------------------


def _trainer(vocab, random_state=0, **config):
    model = CharLSTM(CharLSTMConfig(vocab.size, 16, 32, 1), random_state=0)
    config = TrainingConfig(batch_size=8, seq_len=24, learning_rate=1e-2) if not config else TrainingConfig(**config)
    return CharLSTMTrainer(model, vocab, TEXT, config, random_state=random_state)


def test_training_lowers_the_loss_and_records_history(vocab):
    trainer = _trainer(vocab)
    before = bits_per_char(trainer.model, vocab, TEXT)
    history = trainer.train(150, progress=False)
    assert len(history) == 150 and trainer.steps_done == 150
    assert history["train_bits"][:10].mean() > history["train_bits"][-10:].mean() + 1.0
    assert np.all(history["grad_norm"] > 0)
    after = bits_per_char(trainer.model, vocab, TEXT)
    assert after < before - 1.5
    assert not trainer.model.training


def test_training_in_chunks_equals_training_at_once(vocab):
    once, chunked = _trainer(vocab), _trainer(vocab)
    once.train(12, progress=False)
    chunked.train(5, progress=False)
    chunked.train(7, progress=False)
    np.testing.assert_allclose(once.history_["train_bits"], chunked.history_["train_bits"], rtol=1e-6)
    for a, b in zip(once.model.parameters(), chunked.model.parameters(), strict=True):
        torch.testing.assert_close(a, b)


def test_learning_rate_schedule():
    config = TrainingConfig(learning_rate=1e-2, decay_steps=100, min_lr_fraction=0.1)
    assert config.lr_at(0) == pytest.approx(1e-2)
    assert config.lr_at(50) == pytest.approx(1e-2 * (0.1 + 0.9 * 0.5))
    assert config.lr_at(100) == config.lr_at(500) == pytest.approx(1e-3)
    assert TrainingConfig(learning_rate=1e-2).lr_at(10_000) == 1e-2


def test_trainer_bad_input(vocab):
    model = CharLSTM(CharLSTMConfig(vocab.size, 8, 8, 1))
    with pytest.raises(ValueError, match="text must have at least 130 character"):
        CharLSTMTrainer(model, vocab, TEXT[:50])
    with pytest.raises(ValueError, match="not in the vocabulary"):
        CharLSTMTrainer(model, vocab, TEXT.upper(), TrainingConfig(seq_len=8))
    with pytest.raises(ValueError, match="the vocabulary has 3"):
        CharLSTMTrainer(model, CharVocab("abc"), "abc" * 100)


# --- checkpoints --------------------------------------------------------------------------------


def test_checkpoint_roundtrip(tmp_path, small_model, vocab):
    path = save_checkpoint(tmp_path / "m.pt", small_model, vocab, {"note": "test", "steps": 3},
                           dtype=torch.float32)
    payload = torch.load(path, weights_only=True)  # plain tensors and strings only
    assert set(payload) == {"format", "config", "vocab", "metadata", "state_dict"}
    model, vocab2, metadata = load_checkpoint(path)
    assert vocab2 == vocab and metadata == {"note": "test", "steps": 3}
    assert model.config == small_model.config and not model.training
    for a, b in zip(model.parameters(), small_model.parameters(), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    half, _, _ = load_checkpoint(save_checkpoint(tmp_path / "h.pt", small_model, vocab))
    assert bits_per_char(half, vocab, TEXT) == pytest.approx(bits_per_char(small_model, vocab, TEXT), abs=1e-3)


def test_load_checkpoint_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="make_text_checkpoint.py"):
        load_checkpoint(tmp_path / "missing.pt")
    torch.save({"weights": torch.zeros(2)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="not a dglab character-LSTM checkpoint"):
        load_checkpoint(tmp_path / "other.pt")


def test_shipped_checkpoint_reaches_its_recorded_validation_score():
    assert CHECKPOINT_PATH.stat().st_size <= 5 * 2**20
    payload = torch.load(CHECKPOINT_PATH, weights_only=True)
    assert all(v.dtype == torch.float16 for v in payload["state_dict"].values())
    model, vocab, metadata = load_checkpoint()
    corpus = load_corpus()
    if metadata["corpus_fingerprint"] != corpus.fingerprint:
        pytest.skip(f"this Python ships a different corpus than the checkpoint's ({corpus.source})")
    bpc = bits_per_char(model, vocab, corpus.validation)
    assert bpc == pytest.approx(metadata["validation_bits_per_char"], abs=1e-4)
    assert bpc <= 1.8


@pytest.mark.slow
def test_checkpoint_script_records_what_it_saved(tmp_path):
    import runpy

    script = runpy.run_path(str(Path(__file__).parents[1] / "scripts" / "make_text_checkpoint.py"))
    out = tmp_path / "tiny.pt"
    assert script["main"](["--steps", "2", "--out", str(out)]) == 0
    model, vocab, metadata = load_checkpoint(out)
    corpus = load_corpus()
    assert metadata["train_steps"] == 2 and metadata["corpus_fingerprint"] == corpus.fingerprint
    assert [row[0] for row in metadata["curve"]] == [2]
    assert bits_per_char(model, vocab, corpus.validation) == pytest.approx(metadata["validation_bits_per_char"], abs=1e-6)
    assert metadata["validation_bits_per_char"] == pytest.approx(metadata["validation_bits_per_char_float32"], abs=1e-3)


# --- bad input at the public boundary (issue 24): a clear error naming the argument or file -------


def test_trainer_stops_on_a_finite_blow_up_and_names_the_learning_rate(vocab):
    # Adam at this rate drives the loss to about 1e7 bits/char without a NaN (gradients are
    # clipped); the trainer must still stop, as the GAN and logistic-regression trainers do.
    from dglab.training import TrainingDiverged

    trainer = _trainer(vocab, batch_size=8, seq_len=24, learning_rate=1e6)
    with pytest.raises(TrainingDiverged, match=r"train_bits = .* \(limit .*the learning rate was 1e\+06"):
        trainer.train(50, progress=False)


def test_trainer_does_not_cry_wolf_at_a_usable_learning_rate(vocab):
    _trainer(vocab, batch_size=8, seq_len=24, learning_rate=3e-2).train(60, progress=False)


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda m, v: CharLSTMTrainer("model", v, TEXT), TypeError, "model must be a CharLSTM, got str"),
        (lambda m, v: CharLSTMTrainer(m, "abc", TEXT), TypeError, "vocab must be a CharVocab, got str"),
        (lambda m, v: CharLSTMTrainer(m, v, TEXT, config={"seq_len": 8}), TypeError,
         "config must be a TrainingConfig or None, got dict"),
        (lambda m, v: CharLSTMTrainer(m, v, "", TrainingConfig(seq_len=8)), ValueError,
         "text must have at least 10 character"),
        (lambda m, v: CharLSTMTrainer(m, v, TEXT, TrainingConfig(seq_len=8), random_state=True), ValueError,
         "random_state must be an integer >= 0, got True"),
        (lambda m, v: CharVocab(5), TypeError, "chars must be a str or an iterable of single characters, got int"),
        (lambda m, v: CharVocab(b"abc"), TypeError, "chars must be a str .* got bytes"),
        (lambda m, v: CharVocab.from_text(""), ValueError, "text must have at least 1 character"),
        (lambda m, v: v.encode(None), TypeError, "text must be a str, got NoneType"),
        (lambda m, v: generate(None, v, "the", 5), TypeError, "model must be a CharLSTM, got NoneType"),
        (lambda m, v: generate(m, v, "the", True), ValueError, "length must be an integer >= 0, got True"),
        (lambda m, v: generate(m, v, "the", 5, temperature=True), ValueError, "temperature must be a finite number > 0, got True"),
        (lambda m, v: generate(m, v, "the", 5, random_state=True), ValueError, "random_state must be an integer"),
        (lambda m, v: next_char_proba(m, v, ""), ValueError, "context must have at least 1 character"),
        (lambda m, v: bits_per_char(m, v, "the Queen"), ValueError, "not in the vocabulary: 'Q'"),
        (lambda m, v: bits_per_char(m, v, ""), ValueError, "text must have at least 2 character"),
        (lambda m, v: bits_per_char(m, v, TEXT, chunk_size=True), ValueError, "chunk_size must be an integer"),
        (lambda m, v: NGramModel(order=True).fit(TEXT), ValueError, "order must be an integer >= 1, got True"),
        (lambda m, v: NGramModel(order=2).fit(TEXT).sample("the", 5, random_state=True), ValueError,
         "random_state must be an integer >= 0, got True"),
        (lambda m, v: NGramModel(order=2, vocab="abc").fit(TEXT), TypeError, "vocab must be a CharVocab or None"),
    ],
)
def test_public_text_api_rejects_bad_input_clearly(small_model, vocab, make, error, match):
    with pytest.raises(error, match=match):
        make(small_model, vocab)


def test_ngram_discount_changed_after_fit_is_used_and_checked():
    model = NGramModel(order=3, discount=0.75).fit(TEXT)
    at_075 = model.bits_per_char(TEXT)
    model.set_params(discount=0.9)
    # the same as fitting with D = 0.9 from the start: the counts do not depend on D
    assert model.bits_per_char(TEXT) == pytest.approx(NGramModel(order=3, discount=0.9).fit(TEXT).bits_per_char(TEXT))
    assert model.bits_per_char(TEXT) != pytest.approx(at_075)
    model.set_params(discount=0.0)
    with pytest.raises(ValueError, match="discount must be a finite number > 0 and <= 1"):
        model.bits_per_char(TEXT)


def test_checkpoint_files_that_are_not_checkpoints_name_the_file(tmp_path, small_model, vocab):
    good = save_checkpoint(tmp_path / "good.pt", small_model, vocab)
    empty = tmp_path / "empty.pt"
    empty.write_bytes(b"")
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    text = tmp_path / "notes.pt"
    text.write_text("not a checkpoint")
    cases = [(empty, "empty"), (truncated, "cannot be read as a torch file"), (text, "cannot be read as a torch file")]
    for path, match in cases:
        with pytest.raises(ValueError, match=match) as info:
            load_checkpoint(path)
        assert str(path) in str(info.value)
    damaged = torch.load(good, weights_only=True)
    del damaged["state_dict"]["head.bias"]
    torch.save(damaged, tmp_path / "damaged.pt")
    with pytest.raises(ValueError, match="damaged.pt is a damaged dglab character-LSTM checkpoint"):
        load_checkpoint(tmp_path / "damaged.pt")


def test_save_checkpoint_rejects_metadata_it_cannot_store(tmp_path, small_model, vocab):
    with pytest.raises(ValueError, match="metadata must be JSON-serialisable"):
        save_checkpoint(tmp_path / "m.pt", small_model, vocab, {"when": object()})
    with pytest.raises(ValueError, match="metadata must be JSON-serialisable"):
        save_checkpoint(tmp_path / "m.pt", small_model, vocab, {"bits": float("nan")})
    with pytest.raises(TypeError, match="metadata must be a dict or None"):
        save_checkpoint(tmp_path / "m.pt", small_model, vocab, [1, 2])
    assert not (tmp_path / "m.pt").exists()
