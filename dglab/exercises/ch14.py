"""Checks for the exercises of chapter 14 (hybrid models)."""

from __future__ import annotations

import numpy as np

from ._feedback import AnswerError, answer_array, answer_number, exercise_check

__all__ = ["check_self_labels", "check_span"]


@exercise_check
def check_self_labels(y_self, y_aug, new, predicted):
    """Check self-labelling: generated rows relabelled by the classifier, real rows untouched.

    Parameters
    ----------
    y_self : array of shape (n,)
        The learner's labels.
    y_aug : array of shape (n,)
        The labels by construction (real labels, then the generator's classes).
    new : array of bool, shape (n,)
        Which rows are generated.
    predicted : array of shape (n_new,) or (n,)
        The first classifier's predictions for the generated rows (or for every row).

    Returns
    -------
    CheckResult
    """
    y_aug = answer_array("y_aug", y_aug, ndim=1, dtype=None)
    got = answer_array("y_self", y_self, shape=y_aug.shape, dtype=None)
    new = answer_array("new", new, shape=y_aug.shape, dtype=None)
    if new.dtype != bool:
        raise AnswerError("`new` should be the boolean mask of generated rows that `augment` returns.")
    predicted = np.asarray(predicted)
    if predicted.shape == y_aug.shape:
        predicted = predicted[new]
    if predicted.shape != (new.sum(),):
        raise AnswerError(f"`predicted` should hold one prediction per generated row ({new.sum()}).")
    reference = y_aug.copy()
    reference[new] = predicted
    if np.array_equal(got, reference):
        changed = np.mean(got[new] != y_aug[new])
        if np.array_equal(got, y_aug) and changed == 0:
            return "the labels are right; here the classifier agrees with every generated label."
        return f"generated rows carry the classifier's labels ({changed:.0%} overruled), real rows keep theirs."
    if np.array_equal(got, y_aug):
        raise AnswerError("these are the labels by construction: did you change a copy, or overwrite the "
                          "copy with y_aug afterwards? Set y_self[new] = the SVM's predictions.")
    if not np.array_equal(got[~new], y_aug[~new]):
        raise AnswerError("some *real* rows lost their labels: relabel only the generated rows, `y_self[new]`.")
    raise AnswerError("the generated rows' labels are not the first classifier's predictions for them.")


@exercise_check
def check_span(n_directions, points):
    """Check how many independent directions a few points span around their mean.

    Parameters
    ----------
    n_directions : int
        The learner's count.
    points : array of shape (k, d)
        The points (e.g. five tumours, 30 features).

    Returns
    -------
    CheckResult
    """
    count = answer_number("n_directions", n_directions)
    X = answer_array("points", points, ndim=2)
    k, d = X.shape
    # closed form for points in general position: k points span k - 1 directions around their mean
    reference = min(k - 1, d)
    if count == reference:
        return (f"{k} points span {reference} of {d} directions around their mean: the fitted covariance is "
                f"zero in the other {d - reference}.")
    if count == min(k, d):
        raise AnswerError(f"{k} points span {k} directions from the origin, but the covariance is about "
                          f"directions around their *mean*: subtract it first.")
    if count == d:
        raise AnswerError(f"a covariance from {k} points cannot have rank {d}; count the non-zero singular "
                          "values of the centred points.")
    raise AnswerError(f"count the singular values of the centred points above a tiny tolerance "
                      f"(the answer is at most {k} - 1).")
