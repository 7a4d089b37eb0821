"""Checks for the exercises of chapter 11 (feature engineering)."""

from __future__ import annotations

import numpy as np
from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PowerTransformer, StandardScaler

from ._feedback import AnswerError, answer_array, answer_number, answer_number_pairs, exercise_check

__all__ = ["check_best_C", "check_qda_accuracy"]


@exercise_check
def check_best_C(results, best_C):
    """Structured self-check: the C chosen from the learner's own train/test accuracies.

    Parameters
    ----------
    results : dict of float -> (train_accuracy, test_accuracy)
        One entry per C of the grid 1e-2 ... 1e4.
    best_C : float
        The learner's choice.

    Returns
    -------
    CheckResult
    """
    grid = np.logspace(-2, 4, 7)
    if not isinstance(results, dict) or len(results) != 7 or not np.allclose(sorted(results), grid):
        raise AnswerError("`results` should have one (train, test) accuracy pair for each C in "
                          "np.logspace(-2, 4, 7).")
    table = answer_number_pairs("results", results, "train accuracy, test accuracy")
    chosen = answer_number("best_C", best_C)
    test_best = max(v[1] for v in table.values())
    winners = [C for C, v in table.items() if np.isclose(v[1], test_best)]
    if any(np.isclose(chosen, C) for C in winners):
        return f"C = {chosen:g} has the best test accuracy of your grid ({test_best:.3f})."
    train_best = max(v[0] for v in table.values())
    if any(np.isclose(chosen, C) and np.isclose(v[0], train_best) for C, v in table.items()):
        raise AnswerError(f"C = {chosen:g} has the best *training* accuracy: a weak penalty lets degree 15 fit "
                          "the noise; choose by the test (better: cross-validated) accuracy.")
    raise AnswerError(f"by your own numbers, C = {', '.join(f'{C:g}' for C in winners)} has the best test accuracy.")


@exercise_check
def check_qda_accuracy(accuracy, X, y, cv):
    """Check the cross-validated accuracy of PowerTransformer + QDA(reg_param=0.1).

    Parameters
    ----------
    accuracy : float
        The learner's mean cross-validated accuracy.
    X, y : arrays
        The training data (``Xc_train``, ``yc_train``).
    cv : cross-validation splitter
        The chapter's folds.

    Returns
    -------
    CheckResult
    """
    accuracy = answer_number("accuracy", accuracy)
    X = answer_array("X", X, ndim=2)
    y = answer_array("y", y, shape=(len(X),))

    def score(*steps):
        return cross_val_score(make_pipeline(*steps), X, y, cv=cv).mean()

    reference = score(PowerTransformer(), QuadraticDiscriminantAnalysis(reg_param=0.1))
    if np.isclose(accuracy, reference, atol=1e-9):
        return f"the cross-validated accuracy {accuracy:.3f} matches a fresh run of the same pipeline."
    variants = {
        "without the PowerTransformer: put it before QDA in the pipeline.":
            lambda: score(QuadraticDiscriminantAnalysis(reg_param=0.1)),
        "with a StandardScaler; the exercise uses a PowerTransformer.":
            lambda: score(StandardScaler(), QuadraticDiscriminantAnalysis(reg_param=0.1)),
    }
    for hint, variant in variants.items():
        if np.isclose(accuracy, variant(), atol=1e-9):
            raise AnswerError(f"this is the accuracy {hint}")
    raise AnswerError(f"your accuracy {accuracy:.3f} differs from a fresh run ({reference:.3f}); use the "
                      "chapter's folds `cv` and reg_param=0.1.")
