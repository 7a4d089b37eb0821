"""Chapter 12's validation tools, each checked against scikit-learn run by hand on the same splits."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_breast_cancer, load_iris, make_classification
from sklearn.dummy import DummyClassifier
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import KFold, RepeatedStratifiedKFold, StratifiedKFold, cross_val_score
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from dglab.data import ring_of_gaussians
from dglab.metrics import frechet_distance
from dglab.naive_bayes import GaussianNaiveBayes
from dglab.validation import (
    REAL_FLOOR,
    cross_validation_scores,
    cross_validation_spread,
    distances_to_held_out,
    held_out_log_likelihood,
    leakage_experiment,
    summarize_cross_validation,
)


@pytest.fixture(scope="module")
def cancer():
    return load_breast_cancer(return_X_y=True)


# ------------------------------------------------------------------------------------------------
# cross_validation_scores / summarize_cross_validation
# ------------------------------------------------------------------------------------------------


def test_fold_scores_match_a_hand_written_stratified_k_fold(cancer):
    X, y = cancer
    model = make_pipeline(StandardScaler(), LogisticRegression())
    scores = cross_validation_scores(model, X, y, scoring=["accuracy", "roc_auc", "neg_log_loss"],
                                     n_splits=4, random_state=3)
    assert list(scores.columns) == ["repeat", "fold", "accuracy", "roc_auc", "neg_log_loss", "fit_time"]
    for i, (train, test) in enumerate(StratifiedKFold(4, shuffle=True, random_state=3).split(X, y)):
        fitted = make_pipeline(StandardScaler(), LogisticRegression()).fit(X[train], y[train])
        proba = fitted.predict_proba(X[test])[:, 1]
        row = scores.iloc[i]
        assert (row["repeat"], row["fold"]) == (0, i)
        assert row.accuracy == pytest.approx(accuracy_score(y[test], fitted.predict(X[test])))
        assert row.roc_auc == pytest.approx(roc_auc_score(y[test], proba))
        assert row.neg_log_loss == pytest.approx(-log_loss(y[test], proba))


def test_repeated_folds_and_summary(cancer):
    X, y = cancer
    scores = cross_validation_scores(GaussianNB(), X, y, n_splits=5, n_repeats=3, random_state=0)
    expected = cross_val_score(GaussianNB(), X, y, cv=RepeatedStratifiedKFold(n_splits=5, n_repeats=3, random_state=0))
    np.testing.assert_allclose(scores["accuracy"], expected)
    assert scores["repeat"].tolist() == [0] * 5 + [1] * 5 + [2] * 5
    summary = summarize_cross_validation(scores)
    row = summary.loc["accuracy"]
    assert row["mean"] == pytest.approx(expected.mean())
    assert row["std"] == pytest.approx(expected.std(ddof=1))
    assert row["n_folds"] == 15
    assert row["std_of_repeat_means"] == pytest.approx(expected.reshape(3, 5).mean(axis=1).std(ddof=1))
    single = summarize_cross_validation(cross_validation_scores(GaussianNB(), X, y, random_state=0))
    assert np.isnan(single.loc["accuracy", "std_of_repeat_means"])


def test_constant_classifier_scores_the_majority_share_in_every_stratified_fold():
    X, y = np.zeros((100, 1)), np.array([0] * 60 + [1] * 40)
    scores = cross_validation_scores(DummyClassifier(strategy="most_frequent"), X, y, random_state=0)
    np.testing.assert_allclose(scores["accuracy"], 0.6)  # each fold holds 12 zeros and 8 ones


def test_cross_validation_rejects_bad_input(cancer):
    X, y = cancer
    with pytest.raises(ValueError, match="n_splits"):
        cross_validation_scores(GaussianNB(), X, y, n_splits=1)
    with pytest.raises(ValueError, match="n_repeats"):
        cross_validation_scores(GaussianNB(), X, y, n_repeats=0)
    with pytest.raises(ValueError, match="at least 2 classes"):
        cross_validation_scores(GaussianNB(), X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="at least n_splits=5 samples"):
        cross_validation_scores(GaussianNB(), X[:20], np.r_[np.zeros(17), np.ones(3)])
    with pytest.raises(ValueError, match="NaN"):
        cross_validation_scores(GaussianNB(), np.full_like(X, np.nan), y)
    with pytest.raises(ValueError, match="scoring"):
        cross_validation_scores(GaussianNB(), X, y, scoring=3)
    with pytest.raises(ValueError, match="cross_validation_scores"):
        summarize_cross_validation(pd.DataFrame({"a": [1]}))


# ------------------------------------------------------------------------------------------------
# cross_validation_spread
# ------------------------------------------------------------------------------------------------

SEEN: list = []


class RowSpy(ClassifierMixin, BaseEstimator):
    """Majority-class classifier that records the row ids (column 0) it is fitted and scored on."""

    def fit(self, X, y):
        self.classes_, counts = np.unique(y, return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        SEEN.append(("fit", X[:, 0].astype(int)))
        return self

    def predict(self, X):
        SEEN.append(("predict", X[:, 0].astype(int)))
        return np.full(len(X), self.majority_)


def test_spread_runs_k_fold_on_one_sample_per_repeat_and_scores_the_truth_on_the_rest():
    rng = np.random.default_rng(0)
    y_pool = (rng.random(600) < 0.3).astype(int)
    X_pool = np.column_stack([np.arange(600), rng.normal(size=600)])
    SEEN.clear()
    table = cross_validation_spread(RowSpy(), X_pool, y_pool, sizes=[50, 100], n_splits_values=[2, 5],
                                    n_repeats=3, random_state=0)
    assert list(table.columns) == ["size", "n_splits", "repeat", "cv_estimate", "true_score"]
    assert len(table) == 2 * 2 * 3
    # per repeat: one fit on the sample, scored on the rest of the pool, then 2 + 5 fold fits
    per_repeat = 2 * (1 + 2 + 5)
    assert len(SEEN) == 2 * 3 * per_repeat
    for block in range(6):
        events = SEEN[block * per_repeat:(block + 1) * per_repeat]
        sample, rest = events[0][1], events[1][1]
        assert len(set(sample) | set(rest)) == 600 and not set(sample) & set(rest)
        folds = events[2:]
        for (_, train), (_, test) in zip(folds[::2], folds[1::2], strict=True):
            assert set(train) | set(test) == set(sample) and not set(train) & set(test)
    # a majority-class predictor's accuracy is the majority share of what it is scored on
    first = table.iloc[0]
    majority = np.bincount(y_pool[SEEN[0][1]]).argmax()
    assert first.true_score == pytest.approx(np.mean(y_pool[SEEN[1][1]] == majority))


def test_spread_matches_cross_val_score_on_the_same_folds():
    X, y = load_iris(return_X_y=True)
    table = cross_validation_spread(GaussianNB(), X, y, sizes=[60], n_splits_values=[3], n_repeats=2,
                                    random_state=np.random.RandomState(7))
    # replay the seeds the function draws, in its order
    rng = np.random.RandomState(7)
    from sklearn.model_selection import StratifiedShuffleSplit

    for repeat in range(2):
        draw = StratifiedShuffleSplit(n_splits=1, train_size=60, test_size=90,
                                      random_state=rng.randint(np.iinfo(np.int32).max))
        sample, rest = next(draw.split(X, y))
        folds = StratifiedKFold(3, shuffle=True, random_state=rng.randint(np.iinfo(np.int32).max))
        expected = cross_val_score(GaussianNB(), X[sample], y[sample], cv=folds).mean()
        truth = GaussianNB().fit(X[sample], y[sample]).score(X[rest], y[rest])
        assert table.iloc[repeat].cv_estimate == pytest.approx(expected)
        assert table.iloc[repeat].true_score == pytest.approx(truth)


def test_spread_scores_a_classifier_exactly_as_its_score_method_does():
    """The accuracy shortcut gives the numbers of ``score`` (accuracy_score); a model with its own
    ``score`` is still asked for it."""
    from dglab.validation import _score

    X, y = make_classification(n_samples=300, n_features=5, random_state=0)
    labels = np.array(["no", "yes"])[y]
    for target in (y, labels):
        model = GaussianNaiveBayes().fit(X[:100], target[:100])
        assert _score(model, X[100:], target[100:]) == model.score(X[100:], target[100:])

    class Scored(RowSpy):
        def score(self, X, y):
            return 0.25

    assert _score(Scored().fit(X, y), X, y) == 0.25


def test_spread_rejects_bad_input():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="size 10 must allow 5 folds"):
        cross_validation_spread(GaussianNB(), X, y, sizes=[10], n_splits_values=[5])
    with pytest.raises(ValueError, match="distinct"):
        cross_validation_spread(GaussianNB(), X, y, sizes=[60], n_splits_values=[3, 3])
    with pytest.raises(ValueError, match="n_splits"):
        cross_validation_spread(GaussianNB(), X, y, sizes=[60], n_splits_values=[1])
    with pytest.raises(ValueError, match="sizes"):
        cross_validation_spread(GaussianNB(), X, y, sizes=[])


# ------------------------------------------------------------------------------------------------
# held_out_log_likelihood
# ------------------------------------------------------------------------------------------------


def test_mixture_log_likelihood_matches_score_on_the_same_folds():
    X, _ = ring_of_gaussians(500, random_state=0)
    table = held_out_log_likelihood(GaussianMixture(4, random_state=0), X, n_splits=5, random_state=1)
    assert list(table.columns) == ["fold", "n_train", "n_test", "train_log_likelihood", "test_log_likelihood"]
    for row, (train, test) in zip(table.itertuples(), KFold(5, shuffle=True, random_state=1).split(X), strict=True):
        gmm = GaussianMixture(4, random_state=0).fit(X[train])
        assert row.test_log_likelihood == pytest.approx(gmm.score(X[test]))  # mean log p(x)
        assert row.train_log_likelihood == pytest.approx(gmm.score(X[train]))
        assert (row.n_train, row.n_test) == (400, 100)


def test_naive_bayes_joint_log_likelihood_matches_scikit_learn(cancer):
    X, y = cancer
    table = held_out_log_likelihood(GaussianNaiveBayes(), X, y, n_splits=3, random_state=2)
    folds = StratifiedKFold(3, shuffle=True, random_state=2).split(X, y)
    for row, (train, test) in zip(table.itertuples(), folds, strict=True):
        ref = GaussianNB().fit(X[train], y[train])
        joint = ref.predict_joint_log_proba(X[test])  # log p(x, y=c), scikit-learn's own
        assert row.test_log_joint == pytest.approx(joint[np.arange(len(test)), y[test]].mean(), rel=1e-9)
        assert row.test_log_likelihood == pytest.approx(logsumexp(joint, axis=1).mean(), rel=1e-9)


@pytest.mark.slow  # fits mixtures of up to many components: over 5 s
def test_more_mixture_components_fit_the_training_data_better_but_not_the_held_out_data():
    X, _ = ring_of_gaussians(300, std=0.1, random_state=3)
    lls = {k: held_out_log_likelihood(GaussianMixture(k, random_state=0), X, random_state=0).mean()
           for k in (1, 8, 60)}
    assert lls[8]["test_log_likelihood"] > lls[1]["test_log_likelihood"]
    assert lls[60]["train_log_likelihood"] > lls[8]["train_log_likelihood"]
    assert lls[60]["test_log_likelihood"] < lls[8]["test_log_likelihood"]


def test_log_likelihood_rejects_bad_input():
    X, _ = ring_of_gaussians(50, random_state=0)
    with pytest.raises(ValueError, match="score_samples"):
        held_out_log_likelihood(LogisticRegression(), X)
    with pytest.raises(ValueError, match="n_splits"):
        held_out_log_likelihood(GaussianMixture(), X, n_splits=1)
    with pytest.raises(ValueError, match="at least 5 samples"):
        held_out_log_likelihood(GaussianMixture(), X[:3])
    with pytest.raises(ValueError, match="NaN"):
        held_out_log_likelihood(GaussianMixture(), np.full((20, 2), np.nan))


# ------------------------------------------------------------------------------------------------
# distances_to_held_out
# ------------------------------------------------------------------------------------------------


def test_distances_use_disjoint_halves_and_shared_real_samples():
    calls = []

    def spy(A, S):
        calls.append((A.copy(), S.copy()))
        return frechet_distance(A, S)

    rng = np.random.default_rng(0)
    held_out = np.column_stack([np.arange(100), rng.normal(size=100)])
    gen = np.column_stack([1000 + np.arange(40), rng.normal(size=40)])
    table = distances_to_held_out(held_out, {"gen": gen}, {"fd": spy}, n_samples=30, n_repeats=2,
                                  random_state=0)
    assert list(table.source.cat.categories) == [REAL_FLOOR, "gen"]
    assert len(calls) == 4 and len(table) == 4
    for repeat in range(2):
        (A1, B), (A2, S) = calls[2 * repeat], calls[2 * repeat + 1]
        np.testing.assert_array_equal(A1, A2)  # paired: the same real half for every source
        assert len(A1) == len(B) == len(S) == 30
        assert not set(A1[:, 0]) & set(B[:, 0])  # disjoint halves of the held-out data
        assert set(S[:, 0]) <= set(gen[:, 0]) and len(set(S[:, 0])) == 30  # no replacement
    np.testing.assert_allclose(table.value, [frechet_distance(A, S) for A, S in calls])


def test_a_sample_of_the_same_distribution_sits_on_the_floor_and_a_shifted_one_above_it():
    rng = np.random.default_rng(1)
    held_out = rng.normal(size=(2000, 2))
    table = distances_to_held_out(
        held_out, {"same": rng.normal(size=(1000, 2)), "shifted": rng.normal(0.3, 1, size=(1000, 2))},
        {"fd": frechet_distance}, n_samples=500, n_repeats=10, random_state=0)
    means = table.groupby("source", observed=True)["value"].mean()
    assert means["same"] < 2 * means[REAL_FLOOR]
    assert means["shifted"] > 5 * means[REAL_FLOOR]


def test_distances_reject_bad_input():
    X = np.zeros((20, 2))
    metric = {"fd": frechet_distance}
    with pytest.raises(ValueError, match="two disjoint halves"):
        distances_to_held_out(X, {}, metric, n_samples=11)
    with pytest.raises(ValueError, match="3 features"):
        distances_to_held_out(X, {"g": np.zeros((10, 3))}, metric, n_samples=5)
    with pytest.raises(ValueError, match="fewer than n_samples"):
        distances_to_held_out(X, {"g": np.zeros((4, 2))}, metric, n_samples=5)
    with pytest.raises(ValueError, match="reserved"):
        distances_to_held_out(X, {REAL_FLOOR: X}, metric, n_samples=5)
    with pytest.raises(ValueError, match="must be a function"):
        distances_to_held_out(X, {}, {"fd": 3}, n_samples=5)
    with pytest.raises(ValueError, match="NaN"):
        distances_to_held_out(X, {"g": np.full((10, 2), np.nan)}, metric, n_samples=5)


# ------------------------------------------------------------------------------------------------
# leakage_experiment
# ------------------------------------------------------------------------------------------------


def test_leakage_columns_are_scikit_learns_two_procedures(cancer):
    X, y = cancer
    table = leakage_experiment(StandardScaler(), LogisticRegression(), X, y, n_splits=4, random_state=0)
    folds = StratifiedKFold(4, shuffle=True, random_state=0)
    honest = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), X, y, cv=folds)
    leaky = cross_val_score(LogisticRegression(), StandardScaler().fit_transform(X), y, cv=folds)
    np.testing.assert_allclose(table.honest, honest)
    np.testing.assert_allclose(table.leaky, leaky)


def test_feature_selection_on_all_data_invents_signal_in_pure_noise():
    # the classic demonstration: labels independent of 2,000 noise features
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(100, 2000)), np.repeat([0, 1], 50)
    table = leakage_experiment(SelectKBest(f_classif, k=20), LogisticRegression(), X, y, random_state=0)
    assert table.leaky.mean() > 0.8
    assert table.honest.mean() == pytest.approx(0.5, abs=0.15)


def test_leakage_rejects_bad_input(cancer):
    X, y = cancer
    with pytest.raises(ValueError, match="preprocessing"):
        leakage_experiment(LogisticRegression(), LogisticRegression(), X, y)
    with pytest.raises(ValueError, match="classifier"):
        leakage_experiment(StandardScaler(), StandardScaler(), X, y)
    with pytest.raises(ValueError, match="at least 2 classes"):
        leakage_experiment(StandardScaler(), LogisticRegression(), X, np.ones(len(y)))


@pytest.mark.slow  # five pools x 25 repeats x 3 fold counts x 2 sizes: about 10 s
def test_chapter_12_spread_claims_hold_over_pools():
    """Chapter 12's explorer: over pools and repeats drawn with seeds 0-4, the spread of the
    cross-validated error is at least 1.5 times larger at n = 40 than at n = 320 (for every fold
    count), two folds are pessimistic at n = 40 and more so than five or ten folds, and at
    n = 40 the estimate varies more than the quantity it estimates. (Which fold count is the
    noisiest is not stable over seeds, so the chapter does not claim it.) Measured: the
    smallest ratio of the spreads is 1.76 (seed 2, two folds: 0.067 against 0.038)."""
    from sklearn.datasets import make_classification

    for seed in range(5):
        X_pool, y_pool = make_classification(n_samples=20_000, n_features=10, n_informative=4,
                                             random_state=seed)
        spread = cross_validation_spread(GaussianNaiveBayes(), X_pool, y_pool, sizes=[40, 80, 160, 320],
                                         n_splits_values=[2, 5, 10], n_repeats=25, random_state=seed)
        spread["error"] = spread["cv_estimate"] - spread["true_score"]
        table = spread.groupby(["size", "n_splits"])[["cv_estimate", "true_score", "error"]].agg(["mean", "std"])
        for k in (2, 5, 10):
            assert table.loc[(40, k), ("error", "std")] > 1.5 * table.loc[(320, k), ("error", "std")], seed
            assert table.loc[(40, k), ("cv_estimate", "std")] > table.loc[(40, k), ("true_score", "std")], seed
        bias = {k: table.loc[(40, k), ("error", "mean")] for k in (2, 5, 10)}
        assert bias[2] < -0.02, (seed, bias)
        assert bias[2] < min(bias[5], bias[10]), (seed, bias)
