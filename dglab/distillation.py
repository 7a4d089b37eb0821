"""Distillation: a decision tree that imitates a model, judged by its fidelity on held-out data.

:func:`distill_to_tree` labels a transfer set with a model's predictions, fits a decision tree
to them and measures how often the tree agrees with the model on held-out real inputs.
:func:`distill_to_trees` does the same for several depths at once: the model (a 200-tree
forest, say) predicts the transfer set and the held-out set once, not once per depth, and
every tree is fitted to those same labels, so each result equals :func:`distill_to_tree`'s.

Both are re-exported by :mod:`dglab.deploy`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sklearn.tree import DecisionTreeClassifier

from dglab._validation import check_fitted_model, check_int, check_numeric_array

__all__ = ["Distillation", "distill_to_tree", "distill_to_trees"]


@dataclass(frozen=True)
class Distillation:
    """A decision tree trained to imitate a model, and how well it does on held-out data."""

    tree: DecisionTreeClassifier
    fidelity: float
    accuracy: float | None
    teacher_accuracy: float | None
    max_depth: int | None
    n_leaves: int

    def __str__(self) -> str:
        text = f"depth {self.max_depth}: {self.n_leaves} leaves, fidelity {self.fidelity:.3f}"
        if self.accuracy is not None:
            text += f", accuracy {self.accuracy:.3f} (teacher {self.teacher_accuracy:.3f})"
        return text


def distill_to_tree(model, X, max_depth: int | None, *, X_test, y_test=None,
                    random_state=0, **tree_params) -> Distillation:
    """Fit a decision tree to ``model``'s predictions and measure it on held-out data.

    One depth of :func:`distill_to_trees` (see there for the parameters and advice on the
    transfer set); for several depths, call that instead: it asks the model only once.

    Returns
    -------
    Distillation
        ``tree``, ``fidelity`` (share of ``X_test`` where tree and teacher predict the same
        class), ``accuracy`` and ``teacher_accuracy`` (``None`` without ``y_test``),
        ``max_depth`` and ``n_leaves``.
    """
    (student,) = distill_to_trees(model, X, [max_depth], X_test=X_test, y_test=y_test,
                                  random_state=random_state, **tree_params).values()
    return student


def distill_to_trees(model, X, depths: Iterable[int | None], *, X_test, y_test=None,
                     random_state=0, **tree_params) -> dict[int | None, Distillation]:
    """Fit one decision tree per depth to ``model``'s predictions and measure each on held-out data.

    The trees learn from the *transfer set* ``X`` labelled by ``model.predict``: use real
    inputs (training inputs, unlabelled real data, or samples from a generative model of
    them), never inputs far from the data, where the model's answers say nothing about its
    behaviour on real cases. The model labels ``X`` and predicts ``X_test`` once, whatever the
    number of depths; every tree is fitted to those same labels, so each result is the one
    :func:`distill_to_tree` returns for its depth.

    Parameters
    ----------
    model : fitted classifier
        The teacher; only its ``predict`` is used.
    X : array-like of shape (n_samples, n_features)
        Transfer set.
    depths : iterable of int or None
        Depth limits of the trees (``None``: grow until pure); at least one, no repeats.
    X_test : array-like of shape (n_test, n_features)
        Held-out real inputs on which fidelity (and accuracy) are measured.
    y_test : array-like of shape (n_test,), optional
        True labels of ``X_test``, for the accuracy of the trees and of the teacher.
    random_state : int
        Seed of the trees (ties between equally good splits).
    **tree_params
        Further :class:`~sklearn.tree.DecisionTreeClassifier` parameters.

    Returns
    -------
    dict of depth to Distillation
        In the order of ``depths``; each holds ``tree``, ``fidelity`` (share of ``X_test``
        where tree and teacher predict the same class), ``accuracy`` and ``teacher_accuracy``
        (``None`` without ``y_test``), ``max_depth`` and ``n_leaves``.
    """
    check_fitted_model("model", model, "predict")
    depths = [d if d is None else check_int("max_depth", d, minimum=1) for d in depths]
    if not depths:
        raise ValueError("depths is empty: give at least one depth")
    if len(set(depths)) != len(depths):
        raise ValueError(f"depths has repeated values: {depths}")
    X = check_numeric_array("X", X)
    X_test = check_numeric_array("X_test", X_test)
    if X.shape[1] != X_test.shape[1]:
        raise ValueError(f"X has {X.shape[1]} features but X_test has {X_test.shape[1]}")
    if y_test is not None:
        y_test = np.asarray(y_test)
        if y_test.shape != (len(X_test),):
            raise ValueError(f"y_test must have shape ({len(X_test)},), got {y_test.shape}")
    teacher_train = model.predict(X)  # the transfer set's labels, shared by every depth
    teacher_test = np.asarray(model.predict(X_test))
    teacher_accuracy = None if y_test is None else float(np.mean(teacher_test == y_test))
    students = {}
    for max_depth in depths:
        tree = DecisionTreeClassifier(max_depth=max_depth, random_state=random_state, **tree_params)
        tree.fit(X, teacher_train)
        student_test = tree.predict(X_test)
        fidelity = float(np.mean(student_test == teacher_test))
        accuracy = None if y_test is None else float(np.mean(student_test == y_test))
        students[max_depth] = Distillation(tree, fidelity, accuracy, teacher_accuracy, max_depth,
                                           int(tree.get_n_leaves()))
    return students
