"""Learning from imbalanced classes: resampling pipelines, their evaluation, cost-based thresholds.

:func:`make_imbalance_pipeline` returns an imbalanced-learn :class:`~imblearn.pipeline.Pipeline`
whose preprocessing, resampling and classifier are fitted together. imbalanced-learn applies a
resampler only inside ``fit``: ``predict``/``predict_proba`` skip it, so within
``cross_validate`` (or any split) synthetic or discarded rows only ever come from the training
part. :func:`evaluate_scores` reports what matters when positives are rare (average precision,
recall at a fixed precision, the confusion matrix at a chosen threshold), and
:func:`cost_optimal_threshold` picks a threshold from the costs of the two kinds of mistakes.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    confusion_matrix,
    precision_recall_curve,
    roc_auc_score,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target

from dglab._validation import (
    _is_real,
    check_binary_scores,
    check_int,
    check_is_fitted,
    check_numeric_array,
    check_real,
)

__all__ = [
    "STRATEGIES",
    "TRANSACTION_FEATURES",
    "CheckedSMOTE",
    "make_transaction_preprocessor",
    "make_imbalance_pipeline",
    "ImbalanceReport",
    "evaluate_scores",
    "recall_at_precision",
    "total_cost",
    "bayes_threshold",
    "cost_optimal_threshold",
]

#: The strategies :func:`make_imbalance_pipeline` knows.
STRATEGIES = ("none", "class_weight", "smote", "undersample")

#: Columns of :func:`dglab.data.make_transactions` the default preprocessing uses, by treatment.
TRANSACTION_FEATURES = {
    "log_scaled": ["amount", "customer_avg_amount", "distance_km", "customer_n_prev"],
    "hour_of_day": ["hour"],
    "one_hot": ["merchant_category"],
}


class CheckedSMOTE(SMOTE):
    """imbalanced-learn's :class:`~imblearn.over_sampling.SMOTE` with a clear too-few-samples error.

    SMOTE draws each synthetic sample between a minority sample and one of its ``k_neighbors``
    nearest minority neighbours, so every class it oversamples needs at least
    ``k_neighbors + 1`` samples. Plain SMOTE fails deep inside ``NearestNeighbors`` when that
    does not hold; this subclass says how many samples there are and what to change. The
    resampling itself is SMOTE's, unchanged.
    """

    def fit_resample(self, X, y, **params):
        y_arr = np.asarray(y)
        if type_of_target(y_arr) not in ("binary", "multiclass", "multilabel-indicator"):
            raise ValueError(
                f"SMOTE resamples classes, but the target y is {type_of_target(y_arr)} "
                f"(e.g. {y_arr.ravel()[:3].tolist()}); pass class labels (such as df['is_fraud'])"
            )
        labels, counts = np.unique(y_arr, return_counts=True)
        k = self.k_neighbors
        if isinstance(k, numbers.Integral) and len(labels) > 1:
            majority = labels[np.argmax(counts)]
            for label, count in zip(labels, counts, strict=True):
                if label != majority and count < k + 1:
                    label = label.item() if isinstance(label, np.generic) else label
                    fix = (f"lower k_neighbors to at most {count - 1}, " if count >= 2 else "")
                    raise ValueError(
                        f"SMOTE with k_neighbors={k} needs at least {k + 1} samples of each "
                        f"minority class, but the training data has only {count} of class "
                        f"{label!r}; {fix}gather more minority samples, or use another strategy"
                    )
        return super().fit_resample(X, y, **params)


def _log1p_nonnegative(X):
    """``log1p`` of amounts and counts, which cannot be negative: a negative value is named
    here instead of surfacing later as a NaN that SMOTE or the classifier reports."""
    values = np.asarray(X, dtype=float)
    if np.any(values < 0):
        columns = list(getattr(X, "columns", range(values.shape[1] if values.ndim == 2 else 1)))
        j = int(np.argwhere(values.reshape(len(values), -1) < 0)[0][1])
        raise ValueError(
            f"column {columns[j]!r} has negative values (e.g. {values.reshape(len(values), -1)[:, j].min():g}); "
            "it is log-scaled, so it must hold amounts or counts >= 0"
        )
    return np.log1p(X)


def _classifier_has(method: str):
    return lambda pipeline: hasattr(pipeline.steps[-1][1], method)


class ImbalancePipeline(Pipeline):
    """imbalanced-learn's :class:`~imblearn.pipeline.Pipeline` whose predictions check first
    that it was fitted (scikit-learn's ``NotFittedError``, not an error from inside a step)."""

    # available_if as in Pipeline: scorers look for these methods with hasattr
    @available_if(_classifier_has("predict"))
    def predict(self, X, **params):
        check_is_fitted(self)
        return super().predict(X, **params)

    @available_if(_classifier_has("predict_proba"))
    def predict_proba(self, X, **params):
        check_is_fitted(self)
        return super().predict_proba(X, **params)

    @available_if(_classifier_has("decision_function"))
    def decision_function(self, X, **params):
        check_is_fitted(self)
        return super().decision_function(X, **params)


def _hour_to_circle(hours):
    """Hour of day as a point on the unit circle, so 23:59 and 00:01 are neighbours."""
    angle = 2 * np.pi * np.asarray(hours, dtype=float) / 24.0
    return np.hstack([np.sin(angle), np.cos(angle)])


def _circle_names(transformer, input_features):
    return np.array([f"{f}_{part}" for part in ("sin", "cos") for f in input_features], dtype=object)


def make_transaction_preprocessor() -> ColumnTransformer:
    """Preprocessing for :func:`dglab.data.make_transactions` frames, as one ColumnTransformer.

    Skewed positive columns (amounts, distance, counts) go through ``log1p`` and a
    :class:`~sklearn.preprocessing.StandardScaler`; the hour of day becomes its sine and cosine;
    the merchant category is one-hot encoded. Every statistic is learned in ``fit``, i.e. from
    training rows only. Other columns (ids, timestamps, the label) are dropped.
    """
    log_scaled = make_pipeline(
        FunctionTransformer(_log1p_nonnegative, inverse_func=np.expm1, feature_names_out="one-to-one"),
        StandardScaler(),
    )
    hour = FunctionTransformer(_hour_to_circle, feature_names_out=_circle_names)
    one_hot = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    return ColumnTransformer(
        [
            ("log_scaled", log_scaled, TRANSACTION_FEATURES["log_scaled"]),
            ("hour_of_day", hour, TRANSACTION_FEATURES["hour_of_day"]),
            ("one_hot", one_hot, TRANSACTION_FEATURES["one_hot"]),
        ],
        remainder="drop",
    )


def _required_columns(preprocessor) -> list[str]:
    if not isinstance(preprocessor, ColumnTransformer):
        return []
    columns = []
    for _, _, cols in preprocessor.transformers:
        if isinstance(cols, str):
            cols = [cols]
        if isinstance(cols, (list, tuple)) and all(isinstance(c, str) for c in cols):
            columns.extend(c for c in cols if c not in columns)
    return columns


def _check_columns(X, required=()):
    """Pass a DataFrame through unchanged after checking it has the ``required`` columns."""
    if not required:
        return X
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            f"the pipeline selects columns by name, so it needs a pandas DataFrame with the "
            f"columns {list(required)}; got {type(X).__name__}"
        )
    missing = [c for c in required if c not in X.columns]
    if missing:
        raise ValueError(f"missing columns {missing}; the pipeline needs {list(required)}")
    return X


def make_imbalance_pipeline(
    strategy: str,
    classifier=None,
    *,
    preprocessor=None,
    k_neighbors: int = 5,
    random_state=None,
) -> Pipeline:
    """A preprocessing + (resampling) + classifier pipeline for one imbalance strategy.

    Parameters
    ----------
    strategy : {"none", "class_weight", "smote", "undersample"}
        ``"none"`` fits the classifier as is; ``"class_weight"`` sets its
        ``class_weight="balanced"`` (each class weighs the same in the loss); ``"smote"``
        oversamples the minority class with :class:`CheckedSMOTE` up to the majority's size;
        ``"undersample"`` keeps a random subset of the majority class of the minority's size
        (:class:`~imblearn.under_sampling.RandomUnderSampler`).
    classifier : scikit-learn classifier, optional
        Cloned, never modified. Defaults to ``LogisticRegression(max_iter=1000)``.
    preprocessor : transformer, optional
        Defaults to :func:`make_transaction_preprocessor`. Resampling comes after it, so SMOTE
        interpolates in the preprocessed (scaled, one-hot) space.
    k_neighbors : int
        SMOTE's number of neighbours (only used by ``"smote"``).
    random_state : int or None
        Seed of the resampler (and of the classifier, when it takes one).

    Returns
    -------
    imblearn.pipeline.Pipeline
        Steps ``check_columns``, ``preprocess``, optionally ``resample``, and ``classify``.

    Examples
    --------
    >>> from dglab.data import make_transactions
    >>> from dglab.imbalance import make_imbalance_pipeline
    >>> df = make_transactions(2000, fraud_rate=0.05, random_state=0)
    >>> model = make_imbalance_pipeline("smote", random_state=0).fit(df, df["is_fraud"])
    >>> model.predict_proba(df.head(3)).shape
    (3, 2)
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; choose one of {list(STRATEGIES)}")
    check_int("k_neighbors", k_neighbors, minimum=1)
    classifier = LogisticRegression(max_iter=1000) if classifier is None else clone(classifier)
    if not hasattr(classifier, "fit") or not (
        hasattr(classifier, "predict_proba") or hasattr(classifier, "decision_function")
    ):
        raise TypeError(f"classifier must be a scikit-learn classifier, got {type(classifier).__name__}")
    params = classifier.get_params(deep=False)
    if "random_state" in params and random_state is not None:
        classifier.set_params(random_state=random_state)
    if strategy == "class_weight":
        if "class_weight" not in params:
            raise ValueError(
                f"strategy 'class_weight' needs a classifier with a class_weight parameter; "
                f"{type(classifier).__name__} has none (try 'smote' or 'undersample')"
            )
        classifier.set_params(class_weight="balanced")
    preprocessor = make_transaction_preprocessor() if preprocessor is None else clone(preprocessor)

    steps = [
        ("check_columns", FunctionTransformer(
            _check_columns, kw_args={"required": _required_columns(preprocessor)},
            feature_names_out="one-to-one",
        )),
        ("preprocess", preprocessor),
    ]
    if strategy == "smote":
        steps.append(("resample", CheckedSMOTE(k_neighbors=k_neighbors, random_state=random_state)))
    elif strategy == "undersample":
        steps.append(("resample", RandomUnderSampler(random_state=random_state)))
    steps.append(("classify", classifier))
    return ImbalancePipeline(steps)


# ------------------------------------------------------------------------------------------------
# Evaluation
# ------------------------------------------------------------------------------------------------


def recall_at_precision(y_true, scores, min_precision: float) -> tuple[float, float]:
    """The largest recall reachable with precision >= ``min_precision``, and its threshold.

    Returns ``(0.0, inf)`` when no threshold reaches that precision.
    """
    min_precision = check_real("min_precision", min_precision, minimum=0, min_inclusive=False, maximum=1)
    y_true, scores = check_binary_scores(y_true, scores)
    precision, recall, thresholds = precision_recall_curve(y_true, scores)
    # The curve's last point (precision 1, recall 0) has no threshold.
    ok = precision[:-1] >= min_precision
    if not ok.any():
        return 0.0, float("inf")
    best = np.flatnonzero(ok)[np.argmax(recall[:-1][ok])]
    return float(recall[best]), float(thresholds[best])


@dataclass(frozen=True)
class ImbalanceReport:
    """What :func:`evaluate_scores` measures (see its docstring)."""

    average_precision: float
    roc_auc: float
    no_skill: float
    threshold: float
    precision: float
    recall: float
    confusion: np.ndarray
    min_precision: float
    recall_at_precision: float

    def summary(self) -> str:
        tn, fp, fn, tp = self.confusion.ravel()
        return (
            f"PR-AUC {self.average_precision:.3f} (no skill {self.no_skill:.3f}), "
            f"ROC-AUC {self.roc_auc:.3f}, recall at precision >= {self.min_precision:.2f}: "
            f"{self.recall_at_precision:.3f}; at threshold {self.threshold:.3g}: precision "
            f"{self.precision:.3f}, recall {self.recall:.3f} (TP {tp}, FP {fp}, FN {fn}, TN {tn})"
        )


def evaluate_scores(y_true, scores, *, threshold: float = 0.5, min_precision: float = 0.5) -> ImbalanceReport:
    """Evaluate fraud scores the way rare positives require.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, 1 for the (rare) positive class.
    scores : array-like of shape (n_samples,)
        Higher means more likely positive, e.g. ``predict_proba(X)[:, 1]``.
    threshold : float
        Predict positive when ``score >= threshold`` for the confusion matrix, precision, recall.
    min_precision : float
        The precision at which :func:`recall_at_precision` is reported.

    Returns
    -------
    ImbalanceReport
        ``average_precision`` (PR-AUC, scikit-learn's step-wise average precision),
        ``roc_auc``, ``no_skill`` (the positive rate: a random scorer's average precision),
        precision, recall and ``confusion`` (``[[TN, FP], [FN, TP]]``) at ``threshold``, and
        ``recall_at_precision`` at ``min_precision``.
    """
    y_true, scores = check_binary_scores(y_true, scores)
    predicted = (scores >= threshold).astype(int)
    cm = confusion_matrix(y_true, predicted, labels=[0, 1])
    tp, fp, fn = cm[1, 1], cm[0, 1], cm[1, 0]
    return ImbalanceReport(
        average_precision=float(average_precision_score(y_true, scores)),
        roc_auc=float(roc_auc_score(y_true, scores)),
        no_skill=float(y_true.mean()),
        threshold=float(threshold),
        precision=float(tp / (tp + fp)) if tp + fp else 0.0,
        recall=float(tp / (tp + fn)),
        confusion=cm,
        min_precision=float(min_precision),
        recall_at_precision=recall_at_precision(y_true, scores, min_precision)[0],
    )


# ------------------------------------------------------------------------------------------------
# Cost-based thresholds
# ------------------------------------------------------------------------------------------------


def _check_costs(cost_fp, cost_fn):
    for name, value in (("cost_fp", cost_fp), ("cost_fn", cost_fn)):
        if np.ndim(value) == 0:
            check_real(name, value, minimum=0)
        else:
            values = check_numeric_array(name, value, ensure_2d=False)
            if np.any(values < 0):
                raise ValueError(f"{name} must be finite and non-negative, got {value}")


def total_cost(y_true, scores, threshold, *, cost_fp, cost_fn) -> float:
    """Cost of flagging ``score >= threshold``: ``cost_fp`` per false alarm, ``cost_fn`` per miss.

    ``cost_fn`` may be an array (one cost per sample, e.g. the amount a missed fraud loses).
    """
    y_true, scores = check_binary_scores(y_true, scores)
    _check_costs(cost_fp, cost_fn)
    if np.ndim(threshold) == 0 and not (_is_real(threshold) and not np.isnan(threshold)):
        raise ValueError(f"threshold must be a number (inf flags nothing), got {threshold!r}")
    flagged = scores >= threshold
    cost_fn = np.broadcast_to(np.asarray(cost_fn, dtype=float), y_true.shape)
    return float(cost_fp * np.sum(flagged & (y_true == 0)) + np.sum(cost_fn[~flagged & (y_true == 1)]))


def bayes_threshold(cost_fp: float, cost_fn: float) -> float:
    """The threshold on a *calibrated* P(positive | x) that minimises the expected cost.

    Flag when ``p * cost_fn > (1 - p) * cost_fp``, i.e. ``p > cost_fp / (cost_fp + cost_fn)``.
    """
    _check_costs(cost_fp, cost_fn)
    if cost_fp + cost_fn == 0:
        raise ValueError("cost_fp and cost_fn cannot both be zero")
    return float(cost_fp / (cost_fp + cost_fn))


def cost_optimal_threshold(y_true, scores, *, cost_fp, cost_fn) -> tuple[float, float]:
    """The threshold with the lowest :func:`total_cost` on ``(y_true, scores)``, and that cost.

    Every distinct score is tried as a threshold (plus "flag nothing"); ties go to the higher
    threshold (fewer alerts). Choose it on validation data, not on the test set.
    """
    y_true, scores = check_binary_scores(y_true, scores)
    _check_costs(cost_fp, cost_fn)
    cost_fn = np.broadcast_to(np.asarray(cost_fn, dtype=float), y_true.shape)
    order = np.argsort(-scores, kind="stable")
    s, y, c_fn = scores[order], y_true[order], cost_fn[order]
    # Flagging the top i samples: false alarms among them, misses among the rest.
    false_alarms = np.concatenate([[0.0], np.cumsum(y == 0)])
    caught_cost = np.concatenate([[0.0], np.cumsum(np.where(y == 1, c_fn, 0.0))])
    costs = cost_fp * false_alarms + (caught_cost[-1] - caught_cost)
    # Only cut between distinct scores: i = 0 (nothing) or after the last of a run of ties.
    valid = np.concatenate([[True], np.append(s[1:] != s[:-1], True)])
    candidates = np.flatnonzero(valid)
    best = candidates[np.argmin(costs[candidates])]  # argmin returns the first: fewest alerts
    threshold = float("inf") if best == 0 else float(s[best - 1])
    return threshold, float(costs[best])
