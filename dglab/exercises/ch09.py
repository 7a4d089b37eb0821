"""Checks for the exercises of chapter 9 (character-level text generation)."""

from __future__ import annotations

import numpy as np

from ._feedback import AnswerError, answer_array, answer_number, exercise_check

__all__ = ["CHARACTER_CLASSES", "check_bits_by_class", "check_ngram_tuning"]

CHARACTER_CLASSES = ("letters", "spaces and newlines", "closing ) ] } \"", "everything else")


def _character_class(c: str) -> str:
    # Python's own str methods, independent of the numpy masks a learner writes
    if c.isalpha():
        return CHARACTER_CLASSES[0]
    if c in " \n":
        return CHARACTER_CLASSES[1]
    if c in ')]}"':
        return CHARACTER_CLASSES[2]
    return CHARACTER_CLASSES[3]


def _savings(targets, ngram_bits, lstm_bits):
    labels = np.array([_character_class(c) for c in targets])
    return {name: ngram_bits[labels == name].mean() - lstm_bits[labels == name].mean()
            for name in CHARACTER_CLASSES}


@exercise_check
def check_bits_by_class(saving, lstm_bits, ngram_bits, validation):
    """Check the bits per character the LSTM saves over the n-gram in each character class.

    Parameters
    ----------
    saving : dict of str -> float
        ``n-gram bits - LSTM bits`` averaged over the characters of each class in
        :data:`CHARACTER_CLASSES`.
    lstm_bits, ngram_bits : arrays of shape (len(validation) - 1,)
        Bits each model spends on each character of ``validation[1:]`` (positive numbers).
    validation : str
        The validation text.

    Returns
    -------
    CheckResult
    """
    if not isinstance(validation, str):
        raise AnswerError("`validation` should be the validation text, `corpus.validation`.")
    n = len(validation) - 1
    lstm = answer_array("lstm_bits", lstm_bits, shape=(n,))
    ngram = answer_array("ngram_bits", ngram_bits, shape=(n,))
    if lstm.mean() < 0 or ngram.mean() < 0:
        raise AnswerError("bits are -log2 p, positive numbers: negate the log2 probabilities.")
    if not isinstance(saving, dict) or set(saving) != set(CHARACTER_CLASSES):
        raise AnswerError(f"`saving` should be a dict with the keys {CHARACTER_CLASSES}.")
    got = {k: answer_number(f"saving[{k!r}]", v) for k, v in saving.items()}
    reference = _savings(validation[1:], ngram, lstm)
    if all(np.isclose(got[k], reference[k], atol=1e-9) for k in CHARACTER_CLASSES):
        largest = max(reference, key=reference.get)
        return f"the savings per class match; the largest is on {largest}."
    if all(np.isclose(got[k], -reference[k], atol=1e-9) for k in CHARACTER_CLASSES):
        raise AnswerError("the signs are flipped: saving = n-gram bits - LSTM bits.")
    shifted = _savings(validation[:-1], ngram, lstm)
    if all(np.isclose(got[k], shifted[k], atol=1e-9) for k in CHARACTER_CLASSES):
        raise AnswerError("off by one character: the models score `validation[1:]` (the first "
                          "character has no context), so classify those characters.")
    wrong = [k for k in CHARACTER_CLASSES if not np.isclose(got[k], reference[k], atol=1e-9)]
    raise AnswerError(f"your savings differ for {wrong}; 'everything else' is every character in none of "
                      "the other three classes.")


@exercise_check
def check_ngram_tuning(scores, best, fit_text, dev_text, train_text, validation_text):
    """Check the honest tuning protocol of the n-gram: split, grid, choice.

    Parameters
    ----------
    scores : dict of (order, discount) -> float
        Development bits/char for each pair of the grid.
    best : tuple (order, discount)
        The chosen pair.
    fit_text, dev_text : str
        The learner's split of the training text.
    train_text, validation_text : str
        ``corpus.train`` and ``corpus.validation``.

    Returns
    -------
    CheckResult
    """
    for name, text in (("fit_text", fit_text), ("dev_text", dev_text), ("train_text", train_text),
                       ("validation_text", validation_text)):
        if not isinstance(text, str):
            raise AnswerError(f"`{name}` should be a string of text, got {type(text).__name__}.")
    if dev_text == validation_text or dev_text in validation_text:
        raise AnswerError("your development text is (part of) the validation text: choosing on it makes "
                          "the validation score a selected, optimistic number. Cut it from the training text.")
    cut = int(0.9 * len(train_text))
    if fit_text + dev_text != train_text:
        raise AnswerError("fit_text + dev_text should be the whole training text, split in two.")
    if len(fit_text) != cut:
        raise AnswerError(f"the split should be at 90 % of the training text (character {cut}), "
                          f"yours is at {len(fit_text)}.")
    if not isinstance(scores, dict) or not scores:
        raise AnswerError("`scores` should be a dict {(order, discount): development bits/char}.")
    orders = sorted({k[0] for k in scores})
    discounts = sorted({k[1] for k in scores})
    if discounts != [0.6, 0.75, 0.9, 1.0] or orders[0] != 6 or len(scores) != len(orders) * 4:
        raise AnswerError("`scores` should cover every order from 6 up to NGramModel.max_order(vocab.size) "
                          "and every discount in (0.6, 0.75, 0.9, 1).")
    values = {k: answer_number(f"scores[{k}]", v) for k, v in scores.items()}
    if not isinstance(best, tuple) or best not in values:
        raise AnswerError(f"`best` should be one (order, discount) pair of the grid, got {best!r}.")
    if best != min(values, key=values.get):
        if best == max(values, key=values.get):
            raise AnswerError("that pair has the *highest* bits/char: fewer bits is better.")
        raise AnswerError("another pair of your grid has fewer development bits/char.")
    return (f"honest protocol: split at 90 % of the training text, {len(values)} pairs scored on the "
            f"development text, order {best[0]} with D = {best[1]} has the fewest bits/char.")
