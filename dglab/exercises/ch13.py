"""Checks for the exercises of chapter 13 (deployment)."""

from __future__ import annotations

import numpy as np

from ._feedback import AnswerError, answer_array, answer_number, answer_number_pairs, exercise_check

__all__ = ["check_fidelity", "check_flag_counts"]


@exercise_check
def check_fidelity(fidelity, student, teacher, X_test, y_test=None):
    """Check a student's fidelity: the share of held-out inputs where it agrees with the teacher.

    Parameters
    ----------
    fidelity : float
        The learner's fidelity.
    student : Distillation or fitted classifier
        The student (a :class:`dglab.deploy.Distillation` is read through its ``tree``).
    teacher : fitted classifier (with ``predict``)
    X_test : array of shape (n, d)
        Held-out *real* inputs.
    y_test : array of shape (n,), optional
        Their labels; given, the check can tell accuracy from fidelity.

    Returns
    -------
    CheckResult
    """
    fidelity = answer_number("fidelity", fidelity)
    student = getattr(student, "tree", student)
    for name, model in (("student", student), ("teacher", teacher)):
        if not hasattr(model, "predict"):
            raise AnswerError(f"`{name}` should be a fitted classifier with .predict).")
    X = answer_array("X_test", X_test, ndim=2)
    student_says, teacher_says = np.asarray(student.predict(X)), np.asarray(teacher.predict(X))
    reference = float(np.mean(student_says == teacher_says))
    if np.isclose(fidelity, reference, atol=1e-12):
        return f"fidelity {fidelity:.3f}: the student agrees with the teacher on that share of held-out inputs."
    if y_test is not None:
        y = np.asarray(y_test)
        if np.isclose(fidelity, np.mean(student_says == y), atol=1e-12):
            raise AnswerError("that is the student's *accuracy* (agreement with the labels); fidelity is "
                              "agreement with the teacher's predictions.")
    raise AnswerError(f"your fidelity {fidelity:.3f} differs from the student's agreement with the teacher "
                      f"on X_test ({reference:.3f}).")


@exercise_check
def check_flag_counts(power, n_batches=20):
    """Structured self-check of the monitor's flag counts: what to look for in your own numbers.

    Parameters
    ----------
    power : dict of (batch_size, delta) -> (flagged by p only, flagged by p and PSI)
        The learner's counts for batch sizes 50 and 400 and shifts 0, 0.001, 0.02, 0.1.
    n_batches : int, default=20

    Returns
    -------
    CheckResult
    """
    keys = {(n, d) for n in (50, 400) for d in (0.0, 0.001, 0.02, 0.1)}
    if not isinstance(power, dict) or set(power) != keys:
        raise AnswerError("`power` should be a dict {(batch size, delta): (p only, p and PSI)} for sizes "
                          "50 and 400 and deltas 0, 0.001, 0.02, 0.1.")
    counts = answer_number_pairs("power", power, "p only, p and PSI")
    for key, values in counts.items():
        if any(v < 0 or v > n_batches or not float(v).is_integer() for v in values):
            raise AnswerError(f"`power[{key}]` should hold counts of batches between 0 and {n_batches}.")
        if values[1] > values[0]:
            raise AnswerError(f"at {key} more batches are flagged with the PSI condition than without: the "
                              "gated rule needs a small p-value *and* a large PSI, so it can only flag fewer.")
    gated = [int(counts[400, d][1]) for d in (0.0, 0.001, 0.02, 0.1)]
    if gated != sorted(gated):
        raise AnswerError(f"your gated counts for batches of 400 ({gated}) do not grow with the shift; "
                          "check that every delta gets fresh batches and min_psi=0.25.")
    plain_tiny, plain_zero = counts[400, 0.001][0], counts[400, 0.0][0]
    note = ("the p-value alone flags a 0.1 % change far more often than no change"
            if plain_tiny > plain_zero else "the p-value alone does not react to the 0.1 % change")
    return f"consistent counts: the gated count grows with the shift ({gated}); {note}."
