"""dglab.imbalance: resampling only on training folds, evaluation and cost thresholds vs references."""

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.utils.estimator_checks import estimator_checks_generator
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import average_precision_score, confusion_matrix, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_validate, train_test_split
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from dglab.data import make_transactions
from dglab.imbalance import (
    STRATEGIES,
    CheckedSMOTE,
    bayes_threshold,
    cost_optimal_threshold,
    evaluate_scores,
    make_imbalance_pipeline,
    make_transaction_preprocessor,
    recall_at_precision,
    total_cost,
)


@pytest.fixture(scope="module")
def small():
    df = make_transactions(1500, fraud_rate=0.05, random_state=0)
    return df, df["is_fraud"].to_numpy()


# ------------------------------------------------------------------------------------------------
# Leakage: a spy classifier records what the pipeline shows it inside cross_validate
# ------------------------------------------------------------------------------------------------

class SpyClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the class prior; records every matrix it is fitted on or asked about."""

    log: list = []  # class attribute: clone() would deep-copy an instance parameter

    def fit(self, X, y):
        SpyClassifier.log.append(("fit", np.array(X, copy=True), np.array(y, copy=True)))
        self.classes_ = np.unique(y)
        self.prior_ = np.mean(y)
        return self

    def predict_proba(self, X):
        SpyClassifier.log.append(("predict", np.array(X, copy=True), None))
        return np.tile([1 - self.prior_, self.prior_], (len(X), 1))

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


def _on_a_segment(point, endpoints, tol=1e-8):
    """Whether ``point`` = a + t (b - a), 0 <= t <= 1, for two rows a, b of ``endpoints``."""
    for a in endpoints:
        d = endpoints - a
        norms = np.einsum("ij,ij->i", d, d)
        ok = norms > 0
        t = (d[ok] @ (point - a)) / norms[ok]
        residual = np.linalg.norm(a + t[:, None] * d[ok] - point, axis=1)
        if np.any((residual < tol) & (t >= -tol) & (t <= 1 + tol)):
            return True
    return False


@pytest.mark.parametrize("strategy", ["smote", "undersample"])
def test_resampling_never_touches_held_out_rows(small, strategy):
    df, y = small
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    SpyClassifier.log.clear()
    result = cross_validate(
        make_imbalance_pipeline(strategy, SpyClassifier(), random_state=0), df, y, cv=cv,
        return_estimator=True, return_indices=True,
    )
    fits = [entry for entry in SpyClassifier.log if entry[0] == "fit"]
    predictions = [entry for entry in SpyClassifier.log if entry[0] == "predict"]
    assert len(fits) == 3
    splits = zip(result["indices"]["train"], result["indices"]["test"], result["estimator"], fits,
                 strict=True)
    for k, (train, test, model, (_, X_fit, y_fit)) in enumerate(splits):
        preprocess = model.named_steps["preprocess"]
        # the scaler learned its statistics from the training fold only
        log_amount = np.log1p(df["amount"].to_numpy()[train])
        scaler = preprocess.named_transformers_["log_scaled"][-1]
        assert scaler.mean_[0] == pytest.approx(log_amount.mean())
        X_train = preprocess.transform(df.iloc[train])
        X_test = preprocess.transform(df.iloc[test])
        # prediction sees exactly the held-out rows: no resampling at predict time
        assert any(p[1].shape == X_test.shape and np.allclose(p[1], X_test) for p in predictions)
        test_rows = {row.tobytes() for row in X_test}
        train_rows = {row.tobytes() for row in X_train}
        if strategy == "undersample":
            # every row the classifier learned from is a training row, none a test row
            assert all(row.tobytes() in train_rows for row in X_fit)
            assert np.sum(y_fit == 1) == np.sum(y[train] == 1) == np.sum(y_fit == 0)
        else:
            # SMOTE keeps the training rows first, then appends synthetic minority rows ...
            n_train = len(train)
            np.testing.assert_allclose(X_fit[:n_train], X_train)
            synthetic = X_fit[n_train:]
            assert len(synthetic) == np.sum(y[train] == 0) - np.sum(y[train] == 1)
            assert not any(row.tobytes() in test_rows for row in synthetic)
            # ... each on a segment between two *training* frauds (checked on a sample of them)
            train_frauds = X_train[y[train] == 1]
            rng = np.random.default_rng(k)
            for row in synthetic[rng.choice(len(synthetic), 40, replace=False)]:
                assert _on_a_segment(row, train_frauds)


def test_smote_samples_lie_between_a_minority_sample_and_one_of_its_neighbours(small):
    df, y = small
    X = make_transaction_preprocessor().fit_transform(df)
    k = 5
    X_res, y_res = CheckedSMOTE(k_neighbors=k, random_state=0).fit_resample(X, y)
    minority = X[y == 1]
    # neighbours as scikit-learn defines them (the sample itself is its own first neighbour)
    neighbours = NearestNeighbors(n_neighbors=k + 1).fit(minority).kneighbors(minority)[1][:, 1:]
    synthetic = X_res[len(X):]
    assert np.all(y_res[len(X):] == 1)
    rng = np.random.default_rng(0)
    for row in synthetic[rng.choice(len(synthetic), 60, replace=False)]:
        found = False
        for i, base in enumerate(minority):
            d = minority[neighbours[i]] - base
            t = (d @ (row - base)) / np.einsum("ij,ij->i", d, d)
            residual = np.linalg.norm(base + t[:, None] * d - row, axis=1)
            if np.any((residual < 1e-8) & (t >= 0) & (t <= 1)):
                found = True
                break
        assert found


def test_checked_smote_resamples_exactly_like_smote(small):
    df, y = small
    X = make_transaction_preprocessor().fit_transform(df)
    ours = CheckedSMOTE(k_neighbors=3, random_state=4).fit_resample(X, y)
    theirs = SMOTE(k_neighbors=3, random_state=4).fit_resample(X, y)
    np.testing.assert_array_equal(ours[0], theirs[0])
    np.testing.assert_array_equal(ours[1], theirs[1])


@pytest.mark.parametrize(
    "estimator, check", list(estimator_checks_generator(CheckedSMOTE(random_state=0))),
    ids=lambda x: getattr(x, "func", x).__name__ if callable(x) else type(x).__name__,
)
def test_checked_smote_passes_imbalanced_learns_estimator_checks(estimator, check):
    check(estimator)


def test_smote_with_too_few_minority_samples_says_how_many(small):
    df, y = small
    few = pd.concat([df[y == 0].iloc[:200], df[y == 1].iloc[:4]])
    model = make_imbalance_pipeline("smote", random_state=0)
    with pytest.raises(ValueError, match=r"k_neighbors=5 needs at least 6 .* only 4 of class 1"):
        model.fit(few, few["is_fraud"])
    # with k lowered as the message suggests, it fits
    make_imbalance_pipeline("smote", k_neighbors=3, random_state=0).fit(few, few["is_fraud"])


# ------------------------------------------------------------------------------------------------
# What the learned models achieve, and determinism
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def one_percent():
    df = make_transactions(20_000, fraud_rate=0.01, random_state=11)
    return train_test_split(df, test_size=0.5, stratify=df["is_fraud"], random_state=0)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_pr_auc_is_far_above_the_no_skill_level_at_one_percent_fraud(one_percent, strategy):
    train, test = one_percent
    model = make_imbalance_pipeline(strategy, random_state=0).fit(train, train["is_fraud"])
    report = evaluate_scores(test["is_fraud"], model.predict_proba(test)[:, 1])
    assert report.no_skill == pytest.approx(test["is_fraud"].mean())
    assert report.average_precision > 10 * report.no_skill
    assert report.roc_auc > 0.85


@pytest.mark.parametrize("strategy", ["smote", "undersample"])
def test_same_seed_same_model(one_percent, strategy):
    train, test = one_percent
    fit = lambda seed: make_imbalance_pipeline(strategy, random_state=seed).fit(  # noqa: E731
        train, train["is_fraud"]).predict_proba(test)[:, 1]
    a, b, c = fit(0), fit(0), fit(1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_strategies_build_the_documented_steps():
    steps = {s: list(make_imbalance_pipeline(s).named_steps) for s in STRATEGIES}
    assert steps["none"] == ["check_columns", "preprocess", "classify"]
    assert steps["smote"] == ["check_columns", "preprocess", "resample", "classify"]
    weighted = make_imbalance_pipeline("class_weight")
    assert weighted.named_steps["classify"].class_weight == "balanced"


def test_bad_pipeline_arguments_are_rejected(small):
    df, y = small
    with pytest.raises(ValueError, match="unknown strategy 'oversample'"):
        make_imbalance_pipeline("oversample")
    with pytest.raises(ValueError, match="k_neighbors must be an integer >= 1"):
        make_imbalance_pipeline("smote", k_neighbors=0)
    with pytest.raises(ValueError, match="KNeighborsClassifier has none"):
        make_imbalance_pipeline("class_weight", KNeighborsClassifier())
    model = make_imbalance_pipeline("none")
    with pytest.raises(ValueError, match=r"missing columns \['amount', 'hour'\]"):
        model.fit(df.drop(columns=["amount", "hour"]), y)
    with pytest.raises(TypeError, match="needs a pandas DataFrame"):
        model.fit(df[["amount", "hour"]].to_numpy(), y)
    model.fit(df, y)
    with pytest.raises(ValueError, match=r"missing columns \['merchant_category'\]"):
        model.predict_proba(df.drop(columns="merchant_category"))


# ------------------------------------------------------------------------------------------------
# Evaluation and cost thresholds against scikit-learn and brute force
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scored():
    rng = np.random.default_rng(0)
    y = (rng.random(3000) < 0.03).astype(int)
    scores = np.round(rng.normal(size=3000) + 1.5 * y, 1)  # rounded: many ties
    return y, scores


def test_evaluation_matches_scikit_learn(scored):
    y, scores = scored
    report = evaluate_scores(y, scores, threshold=1.0, min_precision=0.2)
    assert report.average_precision == pytest.approx(average_precision_score(y, scores))
    assert report.roc_auc == pytest.approx(roc_auc_score(y, scores))
    np.testing.assert_array_equal(report.confusion, confusion_matrix(y, scores >= 1.0))
    tn, fp, fn, tp = report.confusion.ravel()
    assert report.precision == pytest.approx(tp / (tp + fp))
    assert report.recall == pytest.approx(tp / (tp + fn))
    assert "PR-AUC" in report.summary()


def test_recall_at_precision_is_the_best_threshold_by_brute_force(scored):
    y, scores = scored
    for min_precision in (0.1, 0.2, 0.3):
        best = 0.0
        for t in np.unique(scores):
            flagged = scores >= t
            precision = np.sum(flagged & (y == 1)) / flagged.sum()
            if precision >= min_precision:
                best = max(best, np.sum(flagged & (y == 1)) / y.sum())
        recall, threshold = recall_at_precision(y, scores, min_precision)
        assert recall == pytest.approx(best)
        flagged = scores >= threshold
        assert np.sum(flagged & (y == 1)) / flagged.sum() >= min_precision
    # the only fraud is scored lowest: precision never exceeds 1/3
    assert recall_at_precision([1, 0, 0], [0.1, 0.9, 0.8], 0.5) == (0.0, float("inf"))
    assert recall_at_precision([1, 0, 0], [0.1, 0.9, 0.8], 0.3) == (1.0, 0.1)


def test_a_random_scorer_has_average_precision_near_the_positive_rate():
    rng = np.random.default_rng(1)
    y = (rng.random(200_000) < 0.01).astype(int)
    report = evaluate_scores(y, rng.random(200_000))
    assert report.average_precision == pytest.approx(report.no_skill, abs=0.002)


@pytest.mark.parametrize("per_sample", [False, True])
def test_cost_optimal_threshold_is_the_brute_force_minimum(scored, per_sample):
    y, scores = scored
    cost_fn = np.linspace(10, 100, len(y)) if per_sample else 40.0
    threshold, cost = cost_optimal_threshold(y, scores, cost_fp=3.0, cost_fn=cost_fn)
    candidates = np.append(np.unique(scores), np.inf)
    costs = [total_cost(y, scores, t, cost_fp=3.0, cost_fn=cost_fn) for t in candidates]
    assert cost == pytest.approx(min(costs))
    assert total_cost(y, scores, threshold, cost_fp=3.0, cost_fn=cost_fn) == pytest.approx(cost)


def test_bayes_threshold_minimises_expected_cost_of_calibrated_probabilities():
    rng = np.random.default_rng(2)
    p = rng.beta(0.3, 5, 5000)  # calibrated probabilities of fraud
    cost_fp, cost_fn = 5.0, 120.0
    t_star = bayes_threshold(cost_fp, cost_fn)
    assert t_star == pytest.approx(5 / 125)

    def expected(t):  # expected cost given the probabilities, no sampling noise
        flagged = p >= t
        return cost_fp * np.sum(1 - p[flagged]) + cost_fn * np.sum(p[~flagged])

    grid = np.linspace(0, 1, 2001)
    assert expected(t_star) <= min(expected(t) for t in grid) + 1e-9


def test_evaluation_rejects_bad_input():
    with pytest.raises(ValueError, match="only class"):
        evaluate_scores([0, 0, 0], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="NaN"):
        evaluate_scores([0, 1, 0], [0.1, np.nan, 0.3])
    with pytest.raises(ValueError, match="labels 0 and 1"):
        evaluate_scores([0, 2, 0], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="min_precision"):
        recall_at_precision([0, 1], [0.1, 0.2], 0.0)
    with pytest.raises(ValueError, match="cost_fp must be a finite number >= 0"):
        bayes_threshold(-1.0, 1.0)
    with pytest.raises(ValueError, match="both be zero"):
        bayes_threshold(0.0, 0.0)
