import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import accuracy_score
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline

from dglab.validation import learning_curves, summarize_learning_curves

LOGS: dict[str, list] = {}


class Recorder(ClassifierMixin, BaseEstimator):
    """Gaussian naive Bayes that logs which rows (column 0 holds the row id) it saw.

    The log lives in a module-level dict because learning_curves clones (deep-copies) the
    estimator's parameters.
    """

    def __init__(self, tag="default"):
        self.tag = tag

    def fit(self, X, y):
        self.model_ = GaussianNB().fit(X[:, 1:], y)
        self.classes_ = self.model_.classes_
        self.train_ids_ = X[:, 0].astype(int)
        return self

    def predict(self, X):
        y_pred = self.model_.predict(X[:, 1:])
        LOGS.setdefault(self.tag, []).append((self.train_ids_, X[:, 0].astype(int), y_pred))
        return y_pred


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return np.column_stack([np.arange(len(y)), X]), y


def test_constant_classifier_has_the_error_computed_by_hand():
    # 60 zeros and 40 ones; a stratified test set of 25 holds exactly 15 zeros and 10 ones,
    # so always predicting 0 is wrong on 10 / 25 of it, whatever the split.
    X = np.arange(100.0)[:, None]
    y = np.array([0] * 60 + [1] * 40)
    curves = learning_curves(
        {"always 0": DummyClassifier(strategy="constant", constant=0),
         "majority": DummyClassifier(strategy="most_frequent")},
        X, y, [5, 20, 75], n_repeats=4, test_size=0.25, random_state=0,
    )
    np.testing.assert_array_equal(curves["test_error"], 0.4)


def test_errors_match_scikit_learn_on_the_recorded_splits(iris):
    X, y = iris
    LOGS.clear()
    curves = learning_curves({"a": Recorder("a"), "b": Recorder("b")}, X, y, [9, 30, 112],
                             n_repeats=3, test_size=0.25, random_state=1)
    log_a, log_b = LOGS["a"], LOGS["b"]
    assert len(log_a) == len(log_b) == 9
    n_pool = 150 - 38  # scikit-learn rounds the test share up: ceil(0.25 * 150) = 38
    # the log runs repeat by repeat, size by size
    errors = curves[curves.estimator == "a"].sort_values(["repeat", "train_size"])["test_error"]
    for (train, test, y_pred), (train_b, test_b, _), error in zip(log_a, log_b, errors, strict=True):
        # both estimators saw the same sets: the comparison is paired
        np.testing.assert_array_equal(train, train_b)
        np.testing.assert_array_equal(test, test_b)
        assert len(test) == 38 and len(set(train) & set(test)) == 0
        assert len(train) in (9, 30, 112) and len(set(train)) == len(train)
        # stratified: every class is represented in proportion (iris is balanced)
        assert np.ptp(np.bincount(y[test])) <= 1 and np.ptp(np.bincount(y[train], minlength=3)) <= 1
        # the recorded error is scikit-learn's, refitted independently on the same rows
        ref = GaussianNB().fit(X[train, 1:], y[train])
        assert error == pytest.approx(1 - accuracy_score(y[test], ref.predict(X[test, 1:])))
        np.testing.assert_array_equal(y_pred, ref.predict(X[test, 1:]))
    # the largest size is the whole pool left after the test set
    assert {len(t) for t, _, _ in log_a} == {9, 30, n_pool}


def test_table_shape_order_and_reproducibility(iris):
    X, y = iris[0][:, 1:], iris[1]
    estimators = {"nb": GaussianNB(), "knn": KNeighborsClassifier(n_neighbors=3)}
    curves = learning_curves(estimators, X, y, [40, 10, 20], n_repeats=5, random_state=0)
    assert list(curves.columns) == ["estimator", "train_size", "repeat", "test_error"]
    assert curves.shape == (2 * 3 * 5, 4)
    assert list(curves["estimator"].cat.categories) == ["nb", "knn"]
    assert curves["train_size"].tolist()[:15] == [10] * 5 + [20] * 5 + [40] * 5
    assert curves["repeat"].tolist()[:5] == [0, 1, 2, 3, 4]
    assert curves["test_error"].between(0, 1).all()
    again = learning_curves(estimators, X, y, [10, 20, 40], n_repeats=5, random_state=0)
    pd.testing.assert_frame_equal(curves, again)
    other = learning_curves(estimators, X, y, [10, 20, 40], n_repeats=5, random_state=1)
    assert not np.array_equal(curves["test_error"], other["test_error"])


def test_accepts_text_pipelines():
    docs = np.array(["red apple", "green apple", "ripe apple", "sweet apple",
                     "fast car", "red car", "old car", "new car"] * 3, dtype=object)
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1] * 3)
    curves = learning_curves({"nb": make_pipeline(CountVectorizer(), MultinomialNB())}, docs, y,
                             [4, 12], n_repeats=3, test_size=6, random_state=0)
    assert curves.shape == (6, 4)
    assert curves.loc[curves.train_size == 12, "test_error"].max() == 0.0


def test_summary_matches_numpy_and_scipy():
    rng = np.random.default_rng(0)
    curves = pd.DataFrame({
        "estimator": ["a"] * 8 + ["b"] * 8,
        "train_size": [10] * 4 + [20] * 4 + [10] * 4 + [20] * 4,
        "repeat": list(range(4)) * 4,
        "test_error": rng.uniform(0, 0.5, 16),
    })
    summary = summarize_learning_curves(curves, confidence=0.9)
    assert summary.shape == (4, 8)
    errors = curves["test_error"].to_numpy()[4:8]  # estimator a, size 20
    row = summary.iloc[1]
    assert (row.estimator, row.train_size, row.n_repeats) == ("a", 20, 4)
    assert row["mean"] == pytest.approx(errors.mean())
    assert row["std"] == pytest.approx(errors.std(ddof=1))
    assert row["sem"] == pytest.approx(stats.sem(errors))
    low, high = stats.t.interval(0.9, 3, loc=errors.mean(), scale=stats.sem(errors))
    assert (row.ci_low, row.ci_high) == (pytest.approx(low), pytest.approx(high))


def test_summary_rejects_bad_input():
    with pytest.raises(ValueError, match="missing columns"):
        summarize_learning_curves(pd.DataFrame({"estimator": ["a"]}))
    good = pd.DataFrame({"estimator": ["a"], "train_size": [3], "repeat": [0], "test_error": [0.1]})
    with pytest.raises(ValueError, match="confidence"):
        summarize_learning_curves(good, confidence=95)


def test_rejects_bad_input(iris):
    X, y = iris[0][:, 1:], iris[1]
    est = {"nb": GaussianNB()}
    with pytest.raises(ValueError, match="larger than the 112 samples available"):
        learning_curves(est, X, y, [10, 113])
    with pytest.raises(ValueError, match=r"at least the number of classes \(3\)"):
        learning_curves(est, X, y, [2, 10])
    with pytest.raises(ValueError, match="duplicates"):
        learning_curves(est, X, y, [10, 10])
    for bad in ([], [10.5], "10", [[10]]):
        with pytest.raises(ValueError, match="non-empty list of integers"):
            learning_curves(est, X, y, bad)
    for bad in (0, 2.0, True):
        with pytest.raises(ValueError, match="n_repeats"):
            learning_curves(est, X, y, [10], n_repeats=bad)
    for bad in (0.0, 1.0, -3, "half"):
        with pytest.raises(ValueError, match="test_size"):
            learning_curves(est, X, y, [10], test_size=bad)
    with pytest.raises(ValueError, match="at least one sample per class"):
        learning_curves(est, X, y, [10], test_size=2)
    with pytest.raises(ValueError, match="non-empty dict"):
        learning_curves({}, X, y, [10])
    with pytest.raises(ValueError, match="non-empty dict"):
        learning_curves([GaussianNB()], X, y, [10])
    with pytest.raises(ValueError, match="no fit/predict"):
        learning_curves({"x": object()}, X, y, [10])
    with pytest.raises(ValueError, match="NaN"):
        learning_curves(est, np.where(X > 7, np.nan, X), y, [10])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        learning_curves(est, X, y[:-1], [10])
    with pytest.raises(ValueError, match="at least 2 classes"):
        learning_curves(est, X, np.zeros(len(y)), [10])
    with pytest.raises(ValueError, match="class 2 has 1"):
        learning_curves(est, X[:101], y[:101], [10])


def test_sizes_that_leave_too_few_pool_samples_to_stratify(iris):
    # 112 samples in the pool; training on 111 leaves one out, fewer than the 3 classes,
    # so that draw cannot be stratified (it is a plain random subset instead)
    X, y = iris
    LOGS.clear()
    learning_curves({"r": Recorder("r")}, X, y, [110, 111], n_repeats=2, random_state=0)
    sizes = [len(train) for train, _, _ in LOGS["r"]]
    assert sizes == [110, 111, 110, 111]
    assert all(len(set(train)) == len(train) for train, _, _ in LOGS["r"])
