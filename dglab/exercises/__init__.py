"""Checks a learner runs on an exercise's answer: one module per chapter (``dglab.exercises.ch05``).

Each exercise of a chapter has a starter cell that ends with a call such as
``check_hessian(hessian, X, y, alpha)``. The check recomputes the answer from an independent
reference (torch autograd, SciPy, scikit-learn, a closed form), prints one short line (✓ when the
answer matches, ✗ with a hint naming the likely slip, … while the starter still holds its ``...``)
and returns a :class:`CheckResult`, true when the answer passed. It never raises on an answer.

Open-ended questions (why does it work, what would you flag?) have no check; each chapter's
checks cover the computable part of its exercises.
"""

from ._feedback import AnswerError, CheckResult

__all__ = ["AnswerError", "CheckResult"]
